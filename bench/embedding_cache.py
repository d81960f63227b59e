"""Benchmark: `qa rubric tune` from 1,000 reviews with the database's embedding cache cold, then warm.

    .venv/bin/python bench/embedding_cache.py [--reviews 1000] [--db /tmp/cache.db]

The simulated team's chats (tests/data/labelled/team/kestrel.jsonl) cycled to ``--reviews`` with a unique sentence in
every turn (as bench/learn.py's ``time`` part), tuned with a SQLite database's embedding cache (revision 0017) in
two processes one after the other: ``cold`` starts from an empty table (every sentence embedded, and stored),
``warm`` is a new process that finds them all there (as after ``qa score auto`` scored the reviewed chats: the same
agent and customer sentences). CPU seconds of the embedding step (``prefetch``) and of the tuning itself, apart.

Writes bench/results/embedding_cache.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "embedding_cache.json"
TEAM = ROOT / "tests" / "data" / "labelled" / "team" / "kestrel.jsonl"


def timed(url: str, reviews: int) -> dict[str, Any]:
    """In this process: embed every sentence (from the cache where stored), then tune; timed apart."""
    sys.path.insert(0, str(ROOT / "bench"))
    import learn

    from qa_toolkit.scoring import semantic
    from qa_toolkit.scoring.tune import tune
    from qa_toolkit.services import embedding_cache
    from qa_toolkit.storage.database import open_database

    rubric, many = learn._rubric(), learn.cycled(learn._items(TEAM), reviews)
    database = open_database(url)
    semantic.encoder().model  # loaded before the clock starts (once per process anyway)
    load = os.getloadavg()[0]
    with embedding_cache.persisted(database):
        started, cpu = time.perf_counter(), time.process_time()
        semantic.prefetch(t.text for view, _ in many for t in view.turns)
        embed_s, embed_cpu = time.perf_counter() - started, time.process_time() - cpu
        _, reports = tune(rubric, many, fit_share=0.6)
        seconds, total_cpu = time.perf_counter() - started, time.process_time() - cpu
    enc = semantic.encoder()
    return {"seconds": round(seconds, 1), "cpu_seconds": round(total_cpu, 1), "embedding_seconds": round(embed_s, 1),
            "embedding_cpu_seconds": round(embed_cpu, 1), "tuning_cpu_seconds": round(total_cpu - embed_cpu, 1),
            "sentences_embedded": enc.encoded, "sentences_read_from_cache": enc.loaded,
            "load_average_1min": [round(load, 2), round(os.getloadavg()[0], 2)],
            "f1_after": {r.criterion: r.after.get("f1") for r in reports}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reviews", type=int, default=1000)
    parser.add_argument("--db", type=Path, help="SQLite file to use (default: a new temporary one)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(timed(args.child, args.reviews)))
        return
    from qa_toolkit.services import schema

    tmp = tempfile.TemporaryDirectory(prefix="embedding-cache-")
    path = args.db or Path(tmp.name) / "cache.db"
    url = f"sqlite:///{path}"
    schema.init_database(url)
    result: dict[str, Any] = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                              "cpus": os.cpu_count(), "reviews": args.reviews, "labels": str(TEAM.relative_to(ROOT)),
                              "torch_threads": int(os.environ.get("QA_EMBEDDING_THREADS") or 1)}
    for run in ("cold", "warm"):  # each in a new process: nothing in memory, only the database
        out = subprocess.run([sys.executable, __file__, "--reviews", str(args.reviews), "--child", url],
                             capture_output=True, text=True, check=True)
        result[run] = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{run}: {result[run]['cpu_seconds']} s CPU ({result[run]['embedding_cpu_seconds']} s embedding, "
              f"{result[run]['sentences_embedded']} embedded, {result[run]['sentences_read_from_cache']} read), "
              f"{result[run]['seconds']} s wall", flush=True)
    with_cache = sqlite_size(path)
    result["database_bytes_per_vector"] = with_cache
    result["same_f1_after"] = result["cold"]["f1_after"] == result["warm"]["f1_after"]
    result["goal_under_60_s_cpu_warm"] = result["warm"]["cpu_seconds"] < 60
    result["goal_under_60_s_cpu_cold"] = result["cold"]["cpu_seconds"] < 60
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {RESULTS}")
    tmp.cleanup()


def sqlite_size(path: Path) -> float | None:
    """Bytes of the database file per stored vector (the cache is the only big table here)."""
    import sqlite3

    with sqlite3.connect(path) as connection:
        (rows,) = connection.execute("SELECT count(*) FROM embedding_cache").fetchone()
    return round(path.stat().st_size / rows, 1) if rows else None


if __name__ == "__main__":
    main()
