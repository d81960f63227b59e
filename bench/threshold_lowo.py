"""A check's exemplar threshold chosen leave-one-writer-out on dev, for any binary label.

    python bench/threshold_lowo.py --label closing --check closing --block exemplars \
        --grid 0.425 0.45 0.475 0.5 --out bench/results/closing_threshold_lowo.json
    python bench/threshold_lowo.py --label escalated --check escalation --block exemplars --grid 0.7 0.75 0.8
    python bench/threshold_lowo.py --label resolved --check resolution --block unfixed_exemplars --rubric support-chat \
        --grid 0.5 0.55 0.6 0.65 0.7 0.75 --off --tie high     # resolved's "not fixed" block (bench/resolved_lowo.py)

For each dev writer (``DEV_WRITERS`` in tools/mine_exemplars.py), the threshold of ``--grid`` with the best F1 on the
other writers' chats is applied to the writer left out; counts are pooled over all writers (``held_out``). Ties go to
the threshold nearest the rubric's (``--tie rubric``) or to the highest (``--tie high``). ``at_each_threshold`` pools
every writer at each threshold (in-sample), with each writer's F1; ``--off`` also runs the check with the block
switched off (``off``, pooled and per writer). Dev only, never a test split.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

DEV = ROOT / "tests" / "data" / "labelled" / "chats_dev.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="?", default=str(DEV), help="the dev split (never a test split)")
    parser.add_argument("--rubric", default="support-chat,collections-compliance")
    parser.add_argument("--label", required=True, help="a binary label, e.g. closing")
    parser.add_argument("--check", required=True, help="the check that predicts it, e.g. closing")
    parser.add_argument("--block", required=True, help="the check's exemplar parameter, e.g. exemplars")
    parser.add_argument("--grid", type=float, nargs="+", required=True)
    parser.add_argument("--margin", type=float, help="the block's margin over its negatives (default: the rubric's)")
    parser.add_argument("--tie", choices=("rubric", "high"), default="rubric",
                        help="among thresholds of equal F1: the one nearest the rubric's, or the highest")
    parser.add_argument("--off", action="store_true", help="also run the check with the block switched off")
    parser.add_argument("--out", help="write the JSON here too")
    args = parser.parse_args(argv)

    from mine_exemplars import DEV_WRITERS, _pairs, writer_of
    from prohibited_lowo import counts

    from qa_toolkit.scoring.evaluate import evaluate, read_labelled
    from qa_toolkit.services.scoring import rubric_check_params

    params: dict[str, Any] = dict(rubric_check_params(args.rubric, None)[args.check])
    block = dict(params[args.block])
    if args.margin is not None:
        block["margin"] = args.margin
    items = [(v, {args.label: l[args.label]}) for v, l in read_labelled(args.labels) if args.label in l]
    by = {name: [item for item in items if writer_of(item[0].external_id) == name] for name, _ in DEV_WRITERS}
    by = {name: held for name, held in by.items() if held}
    steps: list[float | None] = [*([None] if args.off else []), *args.grid]

    def pairs(held: list[Any], threshold: float | None) -> list[tuple[bool, bool]]:
        changed = None if threshold is None else {**block, "threshold": threshold}
        (report,) = evaluate(held, {args.check: {**params, args.block: changed}})
        return _pairs(report.metrics)

    def tie(t: float) -> float:
        return t if args.tie == "high" else -abs(t - block["threshold"])

    table = {name: {t: pairs(held, t) for t in steps} for name, held in by.items()}
    chosen: dict[str, float] = {}
    held_out: list[tuple[bool, bool]] = []
    for name in by:
        inner = {t: [p for other in by if other != name for p in table[other][t]] for t in args.grid}
        chosen[name] = max(args.grid, key=lambda t: (counts(inner[t])["f1"], tie(t)))
        held_out += table[name][chosen[name]]
    out: dict[str, Any] = {
        "label": args.label, "check": args.check, "block": args.block, "rubric_threshold": block["threshold"],
        "margin": block.get("margin", 0.0), "tie": args.tie, "conversations": len(items), "grid": list(args.grid),
        "chosen": chosen, "held_out": counts(held_out),
        "at_each_threshold": {str(t): {"pooled": counts([p for n in by for p in table[n][t]]),
                                       "writers": {n: counts(table[n][t])["f1"] for n in by}}
                              for t in args.grid}}
    if args.off:
        out["off"] = {"pooled": counts([p for n in by for p in table[n][None]]),
                      "writers": {n: {"off": counts(table[n][None]), "held_out": counts(table[n][chosen[n]])}
                                  for n in by}}
    text = json.dumps(out, indent=1)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    print(json.dumps({"chosen": chosen, "held_out": out["held_out"],
                      **({"off": out["off"]["pooled"]} if args.off else {}),
                      "pooled": {t: v["pooled"]["f1"] for t, v in out["at_each_threshold"].items()}}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
