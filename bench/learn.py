"""Benchmark: auto-scores that learn from the team's reviewers (``qa rubric tune``).

    .venv/bin/python bench/learn.py            # simulated team, learning curve, tuning time (a few minutes)
    .venv/bin/python bench/learn.py --quick    # simulated team only
    .venv/bin/python bench/learn.py --only team,curve   # some parts: team, curve, time, develop

The simulated team is data the shipped rubric never saw: the labelled **test** split
(tests/data/labelled/chats_test.jsonl, 176 chats by a writer the checks were not tuned on) in time order,
used as the team's own reviews. The shipped support-chat stays as it is (tuned on the dev split only); a
team version is tuned on the first 60 % and measured on the last 40 %, and thrown away.

1. Simulated team: per-check F1 on the last 40 % for the shipped rubric (the baseline, in the same run) and
   for the draft ``qa rubric tune`` fits on the first 60 %; the worst check's gain and the largest loss.
2. Learning curve: per-check F1 on the same last 40 % after tuning on the first 25, 50 and 100 reviews and
   on all of the first 60 % (106); 200 and 400 need more labelled chats than the team has and are reported
   as such.
3. Tuning time from 1,000 reviews: the team's chats cycled to 1,000 with every sentence made unique
   (nothing cached, every sentence embedded), wall-clock of the whole tune, with the load average.
4. ``--only develop``: the protocol the tuning was built on, which never reads the last 40 %: tune on the
   first 60 % of the team's first 60 %, measure on the rest of it.

Writes bench/results/learn.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "learn.json"
TEAM = ROOT / "tests" / "data" / "labelled" / "chats_test.jsonl"
RUBRIC = "support-chat"
CURVE = (25, 50, 100, 200, 400)


def _items() -> list[Any]:
    from qa_toolkit.services.rubric_tune import labels_from_file

    items, _ = labels_from_file(TEAM)
    return items


def _rubric() -> Any:
    from qa_toolkit.rubrics import load_rubric
    from qa_toolkit.services.rubrics import resolve_file

    return load_rubric(resolve_file(RUBRIC)).rubric


def simulated_team(rubric: Any, items: list[Any]) -> dict[str, Any]:
    from qa_toolkit.scoring.tune import tune

    started = time.perf_counter()
    _, reports = tune(rubric, items, fit_share=0.6)
    return _summary(reports, started)


def _summary(reports: list[Any], started: float) -> dict[str, Any]:
    seconds = time.perf_counter() - started
    rows = {r.criterion: r.as_dict() for r in reports if r.before.get("f1") is not None}
    scored = {k: v for k, v in rows.items() if v["f1_before"] is not None and v["f1_after"] is not None}
    worst = min(scored, key=lambda k: scored[k]["f1_before"])
    changes = {k: round(v["f1_after"] - v["f1_before"], 4) for k, v in scored.items()}
    return {"fitted_on": reports[0].fitted_on if reports else 0, "held_out": reports[0].held_out if reports else 0,
            "seconds": round(seconds, 1), "criteria": rows, "worst_check": worst,
            "worst_before": scored[worst]["f1_before"], "worst_after": scored[worst]["f1_after"],
            "worst_gain": changes[worst], "largest_loss": min(changes.values()),
            "goal_worst_gain_0_10": changes[worst] >= 0.10, "goal_no_loss_over_0_02": min(changes.values()) >= -0.02}


def learning_curve(rubric: Any, items: list[Any], team: dict[str, Any] | None = None) -> dict[str, Any]:
    """Tune on the first N of the fitting part, measure on the same held-out last 40 % (all of the fitting part:
    the simulated team's run, when it ran in the same process)."""
    from qa_toolkit.scoring.tune import split, tune

    fit, held = split(items, 0.6)
    points: dict[str, Any] = {}
    for n in (*CURVE, len(fit)):
        if n == len(fit) and team is not None:
            points[str(n)] = {"available": True, "f1": {k: r["f1_after"] for k, r in team["criteria"].items()},
                              "f1_before": {k: r["f1_before"] for k, r in team["criteria"].items()},
                              "refused": {k: r["refused"] for k, r in team["criteria"].items() if r["refused"]}}
            continue
        if n > len(fit):
            points[str(n)] = {"available": False,
                              "why": f"the team's first 60 % holds {len(fit)} chats (the test split has {len(items)})"}
            continue
        chosen = fit[:n]
        # tune() splits what it gets; hand it the N reviews then the held-out part, with the matching share
        _, reports = tune(rubric, chosen + held, fit_share=n / (n + len(held)), min_labels=min(20, n))
        points[str(n)] = {"available": True, "f1": {r.criterion: r.after.get("f1") for r in reports},
                          "f1_before": {r.criterion: r.before.get("f1") for r in reports},
                          "refused": {r.criterion: r.refused for r in reports if r.refused}}
    return points


def tuning_time(rubric: Any, items: list[Any], n: int = 1000) -> dict[str, Any]:
    """Tuning from ``n`` reviews with every sentence unique (the embedding cache cannot help)."""
    from qa_toolkit.scoring import semantic
    from qa_toolkit.scoring.tune import tune
    from qa_toolkit.scoring.view import TurnView

    many = []
    for k in range(n):
        view, labels = items[k % len(items)]
        turns = tuple(TurnView(t.index, t.speaker, f"{t.text} Ref {k}-{t.index}.", t.start_s, t.end_s, t.at)
                      for t in view.turns)
        many.append((replace(view, external_id=f"{view.external_id}-{k}", turns=turns), labels))
    semantic.encoder()  # the model is loaded before the clock starts: it is loaded once per process anyway
    semantic.prefetch(["warm-up"])
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    _, reports = tune(rubric, many, fit_share=0.6)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"reviews": n, "seconds": round(seconds, 1), "goal_under_60_s": seconds < 60,
            "cpu_seconds": round(cpu, 1),  # all threads of this process: what the machine's load does not inflate
            "load_average_1min": [round(load, 2), round(os.getloadavg()[0], 2)], "cpus": os.cpu_count(),
            "sentences_embedded": semantic.encoder().encoded,
            "criteria_tuned": sum(1 for r in reports if not r.refused)}


def develop(rubric: Any, items: list[Any]) -> dict[str, Any]:
    """The development protocol: the team's first 60 % only, split again 60/40 (the last 40 % never read)."""
    from qa_toolkit.scoring.tune import split, tune

    fit, _ = split(items, 0.6)
    started = time.perf_counter()
    _, reports = tune(rubric, fit, fit_share=0.6)
    return _summary(reports, started)


def _print_team(title: str, team: dict[str, Any]) -> None:
    print(f"{title}: fitted on {team['fitted_on']}, measured on {team['held_out']} ({team['seconds']} s)")
    for key, row in team["criteria"].items():
        print(f"  {key:<24} F1 {row['f1_before']} -> {row['f1_after']}  +{len(row['exemplars_added'])} exemplars"
              + (f"  ({row['refused']})" if row["refused"] else ""))
    print(f"  worst check {team['worst_check']}: {team['worst_before']} -> {team['worst_after']} "
          f"(gain {team['worst_gain']:+.2f}); largest loss {team['largest_loss']:+.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="only the simulated team")
    parser.add_argument("--only", help="run these parts only, comma-separated: team, curve, time, develop")
    args = parser.parse_args()
    rubric, items = _rubric(), _items()
    result: dict[str, Any] = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                              "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}",
                              "labels": str(TEAM.relative_to(ROOT)), "rubric": RUBRIC, "interactions": len(items)}
    parts = set(args.only.split(",")) if args.only else {"team"} if args.quick else {"team", "curve", "time"}
    if parts - {"team", "curve", "time", "develop"}:
        parser.error(f"--only: unknown part(s) {', '.join(sorted(parts - {'team', 'curve', 'time', 'develop'}))}")
    if "team" in parts:
        result["simulated_team"] = team = simulated_team(rubric, items)
        _print_team("simulated team", team)
    if "develop" in parts:
        result["develop"] = dev = develop(rubric, items)
        _print_team("develop (team's first 60 % only)", dev)
    if "curve" in parts:
        result["learning_curve"] = learning_curve(rubric, items, result.get("simulated_team"))
        for n, point in result["learning_curve"].items():
            print(f"  {n} reviews: " + (json.dumps(point["f1"]) if point["available"] else point["why"]))
    if "time" in parts:
        result["tuning_time"] = timing = tuning_time(rubric, items)
        print(f"tuning from {timing['reviews']} reviews: {timing['seconds']} s wall, {timing['cpu_seconds']} s CPU, "
              f"load average {timing['load_average_1min']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    RESULTS.write_text(json.dumps({**previous, **result}, indent=2) + "\n")
    print(f"written {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
