"""Benchmark: `qa score auto` with the shipped semantic rubric (support-chat) with the verdict cache against
without it (``QA_VERDICT_CACHE=0``, the baseline), same code, same copies of one database, in one run.

    .venv/bin/python bench/verdict_cache.py                  # 1,000 interactions, 2 alternating runs each
    .venv/bin/python bench/verdict_cache.py --n 300 --repeat 1 --profile-cold

Data as bench/score_throughput.py: chats cycled to ``--n`` interactions, every turn made unique, imported with the
real importer into a fresh SQLite database; then scored once without the verdict cache (``cold``: every sentence
embedded, which fills the embedding cache; measured). Each copy of that database then goes through three new
versions of a rubric, each scored by a new process (CPU and wall time of ``score_auto``; imports and the model's
load outside the timed part):

1. ``first``: the rubric's first version (vectors in the embedding cache, no verdict kept yet: the cache's cost);
2. ``weight``: a new version that changes a criterion's weight (no check's parameters: every result read back);
3. ``param``: a new version that changes one criterion's threshold (that criterion runs again, the rest is read).

Every stored verdict (status, value, message, evidence, confidence) and score of each version is compared between
the two copies: with the cache they must be identical. Writes bench/results/verdict_cache.json.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "verdict_cache.json"
sys.path.insert(0, str(ROOT / "bench"))

from score_throughput import unique_chats  # noqa: E402
from timed_child import load_average, revision, run_child, write_results  # noqa: E402

STEPS = ("first", "weight", "param")


def bodies() -> dict[str, dict[str, Any]]:
    """The rubric bodies of the three steps (support-chat; a weight changed; then a threshold changed)."""
    from qa_toolkit.rubrics import load_rubric
    from qa_toolkit.rubrics.loader import body_of
    from qa_toolkit.services.rubrics import resolve_file

    body = {**body_of(load_rubric(resolve_file("support-chat")).rubric), "name": "bench"}

    def criterion(b: dict[str, Any]) -> dict[str, Any]:
        return next(c for cat in b["categories"] for c in cat["criteria"] if c["key"] == "customer_satisfied")

    weight = copy.deepcopy(body)
    criterion(weight)["weight"] = 1.0
    param = copy.deepcopy(weight)
    criterion(param)["params"]["positive_exemplars"]["threshold"] = 0.6
    return {"first": body, "weight": weight, "param": param}


def measure(db: Path, body: dict[str, Any], cache: bool, profile: bool = False) -> dict[str, Any]:
    """Publish ``body`` and score it in a new process on ``db`` (changed in place), the verdict cache on or off
    (bench/timed_child.py)."""
    return run_child(ROOT, db, body=body, profile=profile, env={"QA_VERDICT_CACHE": "1" if cache else "0"})


def prepare(path: Path, chats: Path) -> None:
    """A fresh database with the chats imported."""
    from qa_toolkit.services import schema
    from qa_toolkit.services.chat_import import import_chats
    from qa_toolkit.storage.database import open_database

    url = f"sqlite:///{path}"
    schema.init_database(url)
    database = open_database(url)
    import_chats(database, [str(chats)], source="bench", workers=1)
    database.close()


def stored(db: Path) -> dict[int, dict[tuple[str, str], str]]:
    """Rubric version → (interaction, criterion) → its stored verdict and score as JSON text."""
    import sqlite3

    rows = sqlite3.connect(db).execute(
        "SELECT v.version, i.external_id, r.criterion_key, r.status, r.value, r.normalized, r.message, r.evidence, "
        "r.confidence, e.score, e.critical_failed, e.category_scores FROM criterion_results r "
        "JOIN evaluations e ON e.id = r.evaluation_id JOIN interactions i ON i.id = e.interaction_id "
        "JOIN rubric_versions v ON v.id = e.rubric_version_id WHERE v.name = 'bench'").fetchall()
    out: dict[int, dict[tuple[str, str], str]] = {}
    for version, ext, key, *rest in rows:
        out.setdefault(version, {})[(ext, key)] = json.dumps(rest)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="interactions (default 1,000)")
    parser.add_argument("--repeat", type=int, default=2, help="alternating runs without and with the cache")
    parser.add_argument("--profile-cold", action="store_true", help="profile the cold run (cProfile)")
    parser.add_argument("--profile", action="store_true", help="also profile a rescore with the cache (cProfile)")
    parser.add_argument("--prepare", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(Path(args.prepare[0]), Path(args.prepare[1]))
        return
    load_before, code = load_average(), revision()
    steps = bodies()
    runs: dict[str, list[dict[str, Any]]] = {}
    identical: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        chats = work / "chats.jsonl"
        turns = unique_chats(args.n, chats)
        seed = work / "seed.db"
        subprocess.run([sys.executable, __file__, "--prepare", str(seed), str(chats)], check=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        cold = measure(seed, {**steps["first"], "name": "cold"}, cache=False, profile=args.profile_cold)
        print("cold (every sentence embedded, no verdict cache)", cold)
        for r in range(args.repeat):
            copies = {}
            for cache in (False, True) if r % 2 == 0 else (True, False):
                name = "cache" if cache else "baseline"
                copies[name] = work / f"{name}-{r}.db"
                shutil.copyfile(seed, copies[name])
            for step in STEPS:  # each step alternates baseline and cache, on their own copies
                for name, db in copies.items():
                    result = measure(db, steps[step], cache=name == "cache")
                    print(step, name, result)
                    runs.setdefault(f"{step}_{name}", []).append(result)
            a, b = stored(copies["baseline"]), stored(copies["cache"])
            for version, step in enumerate(STEPS, start=1):
                keys = set(a[version]) | set(b[version])
                counts = identical.setdefault(step, {"verdicts": 0, "identical": 0})
                counts["verdicts"] += len(keys)
                counts["identical"] += sum(a[version].get(k) == b[version].get(k) for k in keys)
        if args.profile:
            db = work / "profile.db"
            shutil.copyfile(seed, db)
            measure(db, steps["first"], cache=True)
            measure(db, steps["weight"], cache=True, profile=True)

    def best(key: str) -> dict[str, Any]:  # the run with the least CPU time (the least disturbed by the load)
        return min(runs[key], key=lambda r: r["cpu_s"])

    ratios = {f"{step}_{kind}": round(best(f"{step}_cache")[f"per_s_{kind}"]
                                      / best(f"{step}_baseline")[f"per_s_{kind}"], 2)
              for step in STEPS for kind in ("cpu", "wall")}
    result = {"benchmark": "verdict_cache", "interactions": args.n, "unique_turns": turns,
              "rubric": "support-chat (semantic): first version; a weight changed; a threshold changed",
              "baseline": "the same code with QA_VERDICT_CACHE=0", "code": code,
              "cold_no_cache": cold, "runs": runs, "ratio_cache_to_baseline": ratios,
              "per_s_cpu": {f"{step}_{name}": best(f"{step}_{name}")["per_s_cpu"] for step in STEPS
                            for name in ("baseline", "cache")},
              "identical_verdicts": identical}
    write_results(RESULTS, result, load_before)
    print(json.dumps({"ratios": ratios, "per_s_cpu": result["per_s_cpu"], "identical": identical}))
    print(f"load {load_before} -> {load_average()}; wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
