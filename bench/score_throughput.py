"""Benchmark: `qa score auto` with the shipped semantic rubric (support-chat), cold and as a rescore, this tree
against a base revision in the same run.

    .venv/bin/python bench/score_throughput.py                 # 1,000 interactions, base = main
    .venv/bin/python bench/score_throughput.py --n 400 --base a487118 --profile

Data: the labelled chats, the simulated team's and the sample chats (1,367 conversations of many writers and
styles), cycled to ``--n`` interactions with every turn made unique (a reference appended), imported with the
real importer (``import_chats``: PII redacted, spans stored) into a fresh SQLite database, so no sentence is
seen twice and no in-process cache can stand in for work.

Each measurement is a new child process running ``scoring.score_auto(workers=1)`` on its own copy of the
database (what a ``qa score auto`` run does: load views in batches of 1,000, score, store; model load and
imports are outside the timed part), with its CPU time (process time) and wall time:

1. ``cold``: support-chat, embedding cache empty (every sentence embedded; this tree only: the model's
   speed, which a scoring change does not move; ``--seed-db PATH`` keeps the database it filled for the next run);
2. ``rescore``: support-chat published again under another name on the database the cold run filled (a new
   rubric version over stored interactions: every vector read from the embedding cache), base tree and this tree;
3. ``keyword``: the same rubric without its exemplar blocks (the keyword checks alone), base tree and this tree.

Every run has the verdict cache off (``QA_VERDICT_CACHE=0``), so each measures the checks themselves.

The base tree is ``git archive BASE``; ratios are this tree / base on the same copies, same run. With
``--profile``, this tree's rescore is also run under cProfile and the top functions by own time are printed; with
``--workers``, this tree's rescore also runs in batches of n/4 in one process and with ``workers=2`` (a spawned
process pool; CPU time counts the workers), for the wall-time ratio of 2 workers to 1.
Writes bench/results/score_throughput.json (CPU seconds, wall seconds, rates, ratios, the load average).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from timed_child import load_average, revision, run_child, write_results  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "score_throughput.json"
LABELLED = ROOT / "tests" / "data" / "labelled"
SOURCES = (LABELLED / "chats_dev.jsonl", LABELLED / "chats_test.jsonl", LABELLED / "chats_test2.jsonl",
           LABELLED / "chats_test3.jsonl", LABELLED / "team" / "kestrel.jsonl", ROOT / "samples" / "chats" / "chats.jsonl")


def unique_chats(n: int, out: Path) -> int:
    """``n`` canonical chat records cycled from SOURCES, each turn made unique; returns the number of turns."""
    records = [json.loads(line) for path in SOURCES for line in path.read_text(encoding="utf-8").splitlines()
               if line.strip()]
    turns = 0
    with out.open("w", encoding="utf-8") as handle:
        for i in range(n):
            record = dict(records[i % len(records)])
            record.pop("labels", None)
            record["id"] = f"u-{i}"
            record["turns"] = [{**t, "text": f"{t['text']} (ref {i}-{k})"} for k, t in enumerate(record["turns"])]
            turns += len(record["turns"])
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return turns


def prepare(path: Path, chats: Path) -> None:
    """A fresh database with the chats imported and support-chat plus its keyword-only twin published."""
    import yaml

    from qa_toolkit.rubrics import load_rubric
    from qa_toolkit.rubrics.loader import body_of, parse_rubric
    from qa_toolkit.services import rubrics, schema
    from qa_toolkit.services.chat_import import import_chats
    from qa_toolkit.services.rubrics import resolve_file
    from qa_toolkit.storage.database import open_database

    from semantic import keyword_only

    url = f"sqlite:///{path}"
    schema.init_database(url)
    database = open_database(url)
    import_chats(database, [str(chats)], source="bench", workers=1)
    body = body_of(load_rubric(resolve_file("support-chat")).rubric)
    with database.session() as session:
        for name, variant in (("bench-semantic", body), ("bench-rescore", body), ("bench-keyword", keyword_only(body))):
            rubrics.publish(session, parse_rubric(yaml.safe_dump({**variant, "name": name}, sort_keys=False)),
                            actor="bench")
    database.close()


def measure(tree: Path, db: Path, rubric: str, profile: bool = False, workers: int = 1,
            batch: int = 1000) -> dict[str, Any]:
    """One ``score_auto`` run in a new process with ``tree`` on its path, on ``db`` (changed in place); CPU time
    counts its worker processes too (bench/timed_child.py). The verdict cache is off (``QA_VERDICT_CACHE=0``):
    its rows are keyed by a digest of the code, so this tree would read back what its cold run kept and the base
    tree nothing (bench/verdict_cache.py measures the cache)."""
    return run_child(tree, db, rubric=rubric, profile=profile, workers=workers, batch=batch,
                     env={"QA_VERDICT_CACHE": "0"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="interactions rescored (default 1,000)")
    parser.add_argument("--base", default="main", help="the revision to compare with (default main)")
    parser.add_argument("--profile", action="store_true", help="also profile this tree's rescore (cProfile)")
    parser.add_argument("--repeat", type=int, default=2, help="alternating base/new runs of each (default 2)")
    parser.add_argument("--workers", action="store_true", help="also this tree's rescore with 1 and 2 worker "
                                                                  "processes (batches of n/4), wall and CPU time")
    parser.add_argument("--seed-db", metavar="PATH", help="keep (or reuse) the imported, cold-scored database here")
    parser.add_argument("--prepare", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(Path(args.prepare[0]), Path(args.prepare[1]))
        return
    load_before, new = load_average(), revision()
    base_revision = subprocess.run(["git", "rev-parse", "--short", args.base], cwd=ROOT, check=True,
                                   capture_output=True, text=True).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = work / "base"
        base.mkdir()
        archive = subprocess.run(["git", "archive", args.base], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
        chats = work / "chats.jsonl"
        turns = unique_chats(args.n, chats)
        seed = Path(args.seed_db) if args.seed_db else work / "seed.db"
        kept = seed.with_suffix(".cold.json")
        if seed.exists() and kept.exists():  # reused: the same --n, imported and cold-scored by an earlier run
            cold = json.loads(kept.read_text())
            print("cold (kept from an earlier run)", cold)
        else:
            t0 = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--prepare", str(seed), str(chats)], check=True, cwd=ROOT,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
            print(f"{args.n:,} interactions ({turns:,} unique turns) imported in {time.perf_counter() - t0:.0f} s")
            cold = measure(ROOT, seed, "bench-semantic")  # fills the embedding cache of seed.db
            kept.write_text(json.dumps(cold))
            print("cold", cold)
        runs: dict[str, list[dict[str, Any]]] = {}
        for _ in range(args.repeat):
            for rubric in ("bench-rescore", "bench-keyword"):
                for name, tree in (("base", base), ("new", ROOT)):
                    copy = work / f"{name}-{rubric}.db"
                    shutil.copyfile(seed, copy)
                    result = measure(tree, copy, rubric)
                    print(name, rubric, result)
                    runs.setdefault(f"{rubric.removeprefix('bench-')}_{name}", []).append(result)
        if args.workers:  # this tree's rescore in batches of n/4: one process, then 2 workers (a spawned pool)
            for _ in range(args.repeat):
                for workers in (1, 2):
                    copy = work / f"workers-{workers}.db"
                    shutil.copyfile(seed, copy)
                    result = measure(ROOT, copy, "bench-rescore", workers=workers, batch=max(1, args.n // 4))
                    print(f"workers={workers}", result)
                    runs.setdefault(f"rescore_workers_{workers}", []).append(result)
        if args.profile:
            copy = work / "profile.db"
            shutil.copyfile(seed, copy)
            measure(ROOT, copy, "bench-rescore", profile=True)

    def best(key: str) -> dict[str, Any]:  # the run with the least CPU time (the least disturbed by the load)
        return min(runs[key], key=lambda r: r["cpu_s"])

    summary = {f"{kind}_{ratio}": round(best(f"{kind}_new")[f"per_s_{ratio}"] / best(f"{kind}_base")[f"per_s_{ratio}"], 2)
               for kind in ("rescore", "keyword") for ratio in ("cpu", "wall")}
    result = {"benchmark": "score_throughput", "interactions": args.n, "unique_turns": turns,
              "rubric": "support-chat (semantic); keyword = the same without exemplar blocks", "workers": 1,
              "base": base_revision, "new": new, "cold_new": cold, "runs": runs,
              "ratio_new_to_base": summary,
              "rescore_new_per_s_cpu": best("rescore_new")["per_s_cpu"],
              "rescore_base_per_s_cpu": best("rescore_base")["per_s_cpu"],
              **({"workers_2_to_1_wall": round(best("rescore_workers_1")["wall_s"]
                                               / best("rescore_workers_2")["wall_s"], 2)} if args.workers else {})}
    write_results(RESULTS, result, load_before)
    print(json.dumps(summary))
    print(f"rescore: {result['rescore_base_per_s_cpu']}/s -> {result['rescore_new_per_s_cpu']}/s per CPU second; "
          f"cold {cold['per_s_cpu']}/s per CPU second; load {load_before} -> {load_average()}; "
          f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
