"""Benchmark: auto-scores that learn from the team's reviewers (``qa rubric tune``).

    .venv/bin/python bench/learn.py            # simulated team, unseen, learning curve, tuning time (~15 min)
    .venv/bin/python bench/learn.py --quick    # simulated team only
    .venv/bin/python bench/learn.py --only team,curve   # some parts: team, unseen, curve, time, develop
    .venv/bin/python bench/learn.py --labels tests/data/labelled/chats_test.jsonl --only team   # another team

The simulated team (default) is tests/data/labelled/team/kestrel.jsonl: 700 chats of one mobile-network care
team in its own house style, which the shipped checks were not written for (how it was made and labelled:
tests/data/labelled/team/build.py), in time order, used as the team's own reviews. The shipped support-chat
stays as it is (tuned on the dev split only) and is the baseline, measured in the same run.

1. ``team``: ``qa rubric tune``'s own protocol: tune on the first 60 %, measure on the last 40 % (whose verdict
   also decides, per check, whether the tuning is kept: the guard), per-check F1 before and after, the worst
   check's gain and the largest loss.
2. ``unseen``: a figure nothing chose: tune on the first 80 % (teach on 60 %, guard on the next 20 %), then
   score the last 20 % with the draft's parameters beside the shipped ones.
3. ``curve``: per-check F1 on the same last 40 % after tuning on the first 25, 50, 100, 200 and 400 reviews.
4. ``time``: tuning from 1,000 reviews (the team's chats cycled to 1,000 with a unique sentence in every turn, so
   no turn is found cached), CPU (embedding apart) and wall time, and the same for the tuning of ``--baseline``
   (a commit, default the one before the speed-up) in a process of its own, side by side in the same run: the
   ratio is the figure.
5. ``develop``: the team's first 60 % only, split again 60/40 (the last 40 % never read).

Writes bench/results/learn.json (or --out).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "learn.json"
TEAM = ROOT / "tests" / "data" / "labelled" / "team" / "kestrel.jsonl"
RUBRIC = "support-chat"
CURVE = (25, 50, 100, 200, 400)
BASELINE = "2e39682"  # main before the tuning speed-up and the held-out guard


def _items(path: Path) -> list[Any]:
    from qa_toolkit.services.rubric_tune import labels_from_file

    items, _ = labels_from_file(path)
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
            "rejected_by_guard": sorted(k for k, v in rows.items() if v["rejected"]),
            "goal_worst_gain_0_10": changes[worst] >= 0.10, "goal_no_loss_over_0_02": min(changes.values()) >= -0.02}


def unseen(rubric: Any, items: list[Any]) -> dict[str, Any]:
    """Tune on the first 80 % (teach on 60 %, the guard on the next 20 %); score the last 20 % with the draft's
    parameters and with the shipped ones: a held-out figure that no choice was made on."""
    from qa_toolkit.scoring.evaluate import evaluate
    from qa_toolkit.scoring.tune import split, tune

    known, last = split(items, 0.8)
    started = time.perf_counter()
    new_params, reports = tune(rubric, known, fit_share=0.75)
    rows: dict[str, Any] = {}
    for report in reports:
        _, crit = rubric.criterion(report.criterion)
        subset = [(v, {report.label: labels[report.label]}) for v, labels in last if report.label in labels]
        if not subset:
            continue
        (shipped,) = evaluate(subset, {report.check: dict(crit.params)})
        (tuned,) = evaluate(subset, {report.check: dict(new_params.get(report.criterion, crit.params))})
        rows[report.criterion] = {"n": len(subset), "f1_shipped": shipped.metrics.get("f1"),
                                  "f1_tuned": tuned.metrics.get("f1"), "kept": report.criterion in new_params,
                                  "guard_f1_before": report.before.get("f1"), "guard_f1_after": report.after.get("f1"),
                                  "rejected": report.rejected, "refused": report.refused,
                                  "exemplars_added": len(report.added)}
    scored = {k: v for k, v in rows.items() if v["f1_shipped"] is not None and v["f1_tuned"] is not None}
    worst = min(scored, key=lambda k: scored[k]["f1_shipped"])
    changes = {k: round(v["f1_tuned"] - v["f1_shipped"], 4) for k, v in scored.items()}
    return {"taught_on": len(split(known, 0.75)[0]), "guard_on": len(split(known, 0.75)[1]), "unseen": len(last),
            "seconds": round(time.perf_counter() - started, 1), "criteria": rows, "worst_check": worst,
            "worst_before": scored[worst]["f1_shipped"], "worst_after": scored[worst]["f1_tuned"],
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
                              "rejected": sorted(k for k, r in team["criteria"].items() if r["rejected"]),
                              "refused": {k: r["refused"] for k, r in team["criteria"].items() if r["refused"]}}
            continue
        if n > len(fit):
            points[str(n)] = {"available": False,
                              "why": f"the team's first 60 % holds {len(fit)} chats (the set has {len(items)})"}
            continue
        chosen = fit[:n]
        # tune() splits what it gets; hand it the N reviews then the held-out part, with the matching share
        _, reports = tune(rubric, chosen + held, fit_share=n / (n + len(held)), min_labels=min(20, n))
        points[str(n)] = {"available": True, "f1": {r.criterion: r.after.get("f1") for r in reports},
                          "f1_before": {r.criterion: r.before.get("f1") for r in reports},
                          "rejected": sorted(r.criterion for r in reports if r.rejected),
                          "refused": {r.criterion: r.refused for r in reports if r.refused}}
        print(f"  {n} reviews: " + json.dumps(points[str(n)]["f1"]), flush=True)
    return points


def cycled(items: list[Any], n: int) -> list[Any]:
    """``items`` cycled to ``n``, with a unique sentence added to every turn (so no turn is found cached)."""
    from qa_toolkit.scoring.view import TurnView

    many = []
    for k in range(n):
        view, labelled = items[k % len(items)]
        turns = tuple(TurnView(t.index, t.speaker, f"{t.text} Ref {k}-{t.index}.", t.start_s, t.end_s, t.at)
                      for t in view.turns)
        many.append((replace(view, external_id=f"{view.external_id}-{k}", turns=turns), labelled))
    return many


def _timed_tune(labels: str, n: int) -> dict[str, Any]:
    """Tuning from ``n`` reviews with a unique sentence in every turn (no turn cached), timed."""
    from qa_toolkit.scoring import semantic
    from qa_toolkit.scoring.tune import tune

    rubric, many = _rubric(), cycled(_items(Path(labels)), n)
    semantic.encoder()  # the model is loaded before the clock starts: it is loaded once per process anyway
    semantic.prefetch(["warm-up"])
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    semantic.prefetch(t.text for view, _ in many for t in view.turns)  # what tune() embeds first, timed apart
    embed_seconds, embed_cpu = time.perf_counter() - started, time.process_time() - cpu
    _, reports = tune(rubric, many, fit_share=0.6)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"reviews": n, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1),
            "embedding_seconds": round(embed_seconds, 1), "embedding_cpu_seconds": round(embed_cpu, 1),
            "tuning_cpu_seconds": round(cpu - embed_cpu, 1),
            "load_average_1min": [round(load, 2), round(os.getloadavg()[0], 2)],
            "sentences_embedded": semantic.encoder().encoded, "criteria_tuned": sum(1 for r in reports if not r.refused),
            "f1_after": {r.criterion: r.after.get("f1") for r in reports},
            "code": str(Path(sys.modules[tune.__module__].__file__ or "").parent.parent)}  # which tree was timed


def tuning_time(labels: Path, n: int = 1000, baseline: str | None = BASELINE) -> dict[str, Any]:
    """This tree's tuning from ``n`` reviews and the baseline commit's, each in a process of its own (cold caches),
    one after the other in the same run."""
    out: dict[str, Any] = {"reviews": n, "cpus": os.cpu_count()}
    runs = [("current", ROOT)]
    tmp = None
    if baseline:
        tmp = tempfile.TemporaryDirectory(prefix="learn-baseline-")
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", baseline, "qa_toolkit"], capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp.name], input=archive, check=True)
        runs.append((f"baseline {baseline}", Path(tmp.name)))
    try:  # side by side, so both see the same load
        procs = []
        for name, source in runs:
            code = (f"import sys, json; sys.path.insert(0, {str(source)!r}); sys.path.insert(1, {str(ROOT / 'bench')!r});"
                    f"import learn; sys.path.insert(0, {str(source)!r});"  # learn puts this tree first: the source goes first again
                    f"print(json.dumps(learn._timed_tune({str(labels)!r}, {n})))")
            procs.append((name, subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                                                 stderr=subprocess.PIPE, text=True,
                                                 env={**os.environ, "PYTHONPATH": str(source)})))
        for name, proc in procs:
            stdout, stderr = proc.communicate()
            if proc.returncode:
                raise SystemExit(f"{name}: {stderr[-2000:]}")
            key = name.split()[0]
            out[key] = {"source": name, **json.loads(stdout.strip().splitlines()[-1])}
            print(f"  {name}: {out[key]['seconds']} s wall, {out[key]['cpu_seconds']} s CPU "
                  f"({out[key]['embedding_cpu_seconds']} s embedding)", flush=True)
    finally:
        if tmp is not None:
            tmp.cleanup()
    current = out["current"]
    out["goal_under_60_s"] = current["cpu_seconds"] < 60
    if "baseline" in out:
        out["cpu_ratio"] = round(out["baseline"]["cpu_seconds"] / max(current["cpu_seconds"], 1e-9), 2)
        out["tuning_cpu_ratio"] = round(out["baseline"]["tuning_cpu_seconds"]
                                        / max(current["tuning_cpu_seconds"], 1e-9), 2)
        out["wall_ratio"] = round(out["baseline"]["seconds"] / max(current["seconds"], 1e-9), 2)
    return out


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
              + (f"  ({row['refused']})" if row["refused"] else "")
              + (f"  (rejected by the guard: F1 would be {row['rejected']['f1']})" if row["rejected"] else ""))
    print(f"  worst check {team['worst_check']}: {team['worst_before']} -> {team['worst_after']} "
          f"(gain {team['worst_gain']:+.2f}); largest loss {team['largest_loss']:+.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="only the simulated team")
    parser.add_argument("--only", help="run these parts only, comma-separated: team, unseen, curve, time, develop")
    parser.add_argument("--labels", type=Path, default=TEAM, help="the team's labelled chats, in time order")
    parser.add_argument("--baseline", default=BASELINE, help="commit whose tuning is timed beside (time); '' none")
    parser.add_argument("--out", type=Path, default=RESULTS, help="results JSON (merged into when it exists)")
    args = parser.parse_args()
    labels = args.labels.resolve()
    rubric, items = _rubric(), _items(labels)
    result: dict[str, Any] = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                              "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}",
                              "load_average_at_start": round(os.getloadavg()[0], 2),
                              "labels": str(labels.relative_to(ROOT)) if labels.is_relative_to(ROOT) else str(labels),
                              "rubric": RUBRIC, "interactions": len(items)}
    known = {"team", "unseen", "curve", "time", "develop"}
    parts = set(args.only.split(",")) if args.only else {"team"} if args.quick else known - {"develop"}
    if parts - known:
        parser.error(f"--only: unknown part(s) {', '.join(sorted(parts - known))}")
    if "team" in parts:
        result["simulated_team"] = team = simulated_team(rubric, items)
        _print_team("simulated team", team)
    if "unseen" in parts:
        result["unseen"] = seen = unseen(rubric, items)
        print(f"unseen last 20 % ({seen['unseen']}): worst {seen['worst_check']} {seen['worst_before']} -> "
              f"{seen['worst_after']}; largest loss {seen['largest_loss']:+.2f}", flush=True)
        for key, row in seen["criteria"].items():
            print(f"  {key:<24} F1 {row['f1_shipped']} -> {row['f1_tuned']}" + ("" if row["kept"] else "  (not kept)"))
    if "develop" in parts:
        result["develop"] = dev = develop(rubric, items)
        _print_team("develop (team's first 60 % only)", dev)
    if "curve" in parts:
        result["learning_curve"] = learning_curve(rubric, items, result.get("simulated_team"))
    if "time" in parts:
        result["tuning_time"] = tuning_time(labels, baseline=args.baseline or None)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    args.out.write_text(json.dumps({**previous, **result}, indent=2) + "\n")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
