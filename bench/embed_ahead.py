"""Benchmark: sentence embeddings taken off the scoring path. The first `qa score auto` with the shipped semantic
rubric (support-chat) after a plain import (the baseline: scoring runs the model on every sentence) against after an
import that embedded as it stored (``import_chats(embed=True)``, what ``QA_EMBED_ON_INGEST=1`` and ``qa score embed``
do), same code, same chats, in one run.

    .venv/bin/python bench/embed_ahead.py                 # 300 interactions, 1 run of each arm
    .venv/bin/python bench/embed_ahead.py --n 1000 --repeat 2 --profile

Data as bench/score_throughput.py: chats cycled to ``--n`` interactions with every turn made unique, so no sentence
is seen twice. Each arm starts from its own copy of one database (schema and the rubric, published as ``bench``)
and runs two steps, each timed in a new process (bench/timed_child.py: imports and the model's load outside the
timed part, CPU and wall time):

* ``baseline``: the import, then the first scoring (embeds every sentence);
* ``ahead``: the import with embedding (the model's forward pass moves here), then the first scoring (reads every
  vector from the embedding cache).

Ratios ahead / baseline: first scoring per CPU second (the gain), the import per CPU second (the cost it moved) and
import plus scoring together (moved, not removed: about 1). Every stored verdict and score of the two arms is
compared (they must be identical). Writes bench/results/embed_ahead.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "embed_ahead.json"
sys.path.insert(0, str(ROOT / "bench"))

from score_throughput import unique_chats  # noqa: E402
from timed_child import load_average, revision, run_child, write_results  # noqa: E402
from verdict_cache import stored  # noqa: E402

ARMS = ("baseline", "ahead")


def prepare(path: Path) -> None:
    """An empty database with support-chat published as ``bench``."""
    import yaml

    from qa_toolkit.rubrics import load_rubric
    from qa_toolkit.rubrics.loader import body_of, parse_rubric
    from qa_toolkit.services import rubrics, schema
    from qa_toolkit.services.rubrics import resolve_file
    from qa_toolkit.storage.database import open_database

    url = f"sqlite:///{path}"
    schema.init_database(url)
    database = open_database(url)
    body = {**body_of(load_rubric(resolve_file("support-chat")).rubric), "name": "bench"}
    with database.session() as session:
        rubrics.publish(session, parse_rubric(yaml.safe_dump(body, sort_keys=False)), actor="bench")
    database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="interactions (default 300)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each arm, alternating (default 1)")
    parser.add_argument("--profile", action="store_true", help="also profile a first scoring after the embedding "
                                                                  "import (cProfile, printed)")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(Path(args.prepare))
        return
    load_before, code = load_average(), revision()
    runs: dict[str, list[dict[str, Any]]] = {}
    identical = {"verdicts": 0, "identical": 0}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        chats = work / "chats.jsonl"
        turns = unique_chats(args.n, chats)
        seed = work / "seed.db"
        subprocess.run([sys.executable, __file__, "--prepare", str(seed)], check=True, cwd=ROOT,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
        for r in range(args.repeat):
            copies = {}
            for arm in ARMS if r % 2 == 0 else ARMS[::-1]:
                copies[arm] = db = work / f"{arm}-{r}.db"
                shutil.copyfile(seed, db)
                imported = run_child(ROOT, db, step="import", chats=chats, embed=arm == "ahead")
                print(arm, "import", imported, flush=True)
                if arm == "ahead" and args.profile and r == 0:
                    shutil.copyfile(db, work / "profile.db")
                scored = run_child(ROOT, db, rubric="bench")
                print(arm, "first scoring", scored, flush=True)
                runs.setdefault(f"import_{arm}", []).append(imported)
                runs.setdefault(f"score_{arm}", []).append(scored)
            a, b = stored(copies["baseline"])[1], stored(copies["ahead"])[1]
            keys = set(a) | set(b)
            identical["verdicts"] += len(keys)
            identical["identical"] += sum(a.get(k) == b.get(k) for k in keys)
        if args.profile:
            run_child(ROOT, work / "profile.db", rubric="bench", profile=True)

    def best(key: str) -> dict[str, Any]:  # the run with the least CPU time (the least disturbed by the load)
        return min(runs[key], key=lambda r: r["cpu_s"])

    def total(arm: str) -> float:
        return best(f"import_{arm}")["cpu_s"] + best(f"score_{arm}")["cpu_s"]

    ratios = {f"first_scoring_{kind}": round(best("score_ahead")[f"per_s_{kind}"]
                                             / best("score_baseline")[f"per_s_{kind}"], 2) for kind in ("cpu", "wall")}
    ratios["import_cpu"] = round(best("import_ahead")["per_s_cpu"] / best("import_baseline")["per_s_cpu"], 3)
    ratios["import_plus_scoring_cpu"] = round(total("baseline") / total("ahead"), 2)
    result = {"benchmark": "embed_ahead", "interactions": args.n, "unique_turns": turns,
              "rubric": "support-chat (semantic), first version, verdict cache empty",
              "baseline": "plain import, then first scoring (embeds every sentence)",
              "ahead": "import with embed=True (QA_EMBED_ON_INGEST=1), then first scoring (reads the vectors)",
              "code": code, "runs": runs,
              "ratio_ahead_to_baseline": ratios,
              "per_s_cpu": {key: best(key)["per_s_cpu"] for key in runs},
              "cpu_s": {key: best(key)["cpu_s"] for key in runs},
              "identical_verdicts": identical}
    write_results(RESULTS, result, load_before)
    print(json.dumps({"ratios": ratios, "per_s_cpu": result["per_s_cpu"], "identical": identical}))
    print(f"first scoring {result['per_s_cpu']['score_baseline']}/s -> {result['per_s_cpu']['score_ahead']}/s per "
          f"CPU second; load {load_before} -> {load_average()}; wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
