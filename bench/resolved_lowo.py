"""Resolved, the agent's "not fixed" block: its threshold chosen leave-one-writer-out on dev.

    python bench/resolved_lowo.py --out bench/results/resolved_unfixed_lowo.json          # dev only

For each dev writer (``DEV_WRITERS`` in tools/mine_exemplars.py), the threshold of the rubric's
``unfixed_exemplars`` block is the one of ``--grid`` with the best F1 on the other writers' chats; the check then runs
on the writer left out with it; counts are pooled over all writers. ``off`` is the check without the block, and
``at_each_threshold`` pools every writer at each threshold (in-sample). The exemplars were written by kind, not from
dev sentences, so there is nothing to take out of the block per writer. Run on dev only, never on a test split.
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
LABEL, CHECK, CRITERION, BLOCK = "resolved", "resolution", "resolved", "unfixed_exemplars"
GRID = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="?", default=str(DEV), help="the dev split (never a test split)")
    parser.add_argument("--rubric", default="support-chat")
    parser.add_argument("--grid", type=float, nargs="+", default=GRID)
    parser.add_argument("--margin", type=float, help="the block's margin over its negatives (default: the rubric's)")
    parser.add_argument("--out", help="write the JSON here too")
    args = parser.parse_args(argv)

    from mine_exemplars import DEV_WRITERS, _pairs, writer_of
    from prohibited_lowo import counts

    from qa_toolkit.rubrics import Rubric, load_rubric
    from qa_toolkit.rubrics.loader import body_of
    from qa_toolkit.scoring.evaluate import evaluate, read_labelled
    from qa_toolkit.services.rubrics import resolve_file

    _, criterion = Rubric.model_validate(body_of(load_rubric(resolve_file(args.rubric)).rubric)).criterion(CRITERION)
    params: dict[str, Any] = dict(criterion.params)
    block = dict(params[BLOCK])
    if args.margin is not None:
        block["margin"] = args.margin
    items = [(v, {LABEL: l[LABEL]}) for v, l in read_labelled(args.labels) if LABEL in l]
    by = {name: [item for item in items if writer_of(item[0].external_id) == name] for name, _ in DEV_WRITERS}

    def pairs(held: list[Any], threshold: float | None) -> list[tuple[bool, bool]]:
        unfixed = None if threshold is None else {**block, "threshold": threshold}
        (report,) = evaluate(held, {CHECK: {**params, BLOCK: unfixed}})
        return _pairs(report.metrics)

    table = {name: {t: pairs(held, t) for t in [None, *args.grid]} for name, held in by.items()}
    out: dict[str, Any] = {"conversations": len(items), "grid": list(args.grid), "margin": block.get("margin", 0.0),
                           "writers": {}}
    pooled: list[tuple[bool, bool]] = []
    for name in by:
        inner = {t: [p for other in by if other != name for p in table[other][t]] for t in args.grid}
        chosen = max(args.grid, key=lambda t: (counts(inner[t])["f1"], t))
        pooled += table[name][chosen]
        out["writers"][name] = {"threshold": chosen, "off": counts(table[name][None]),
                                "held_out": counts(table[name][chosen])}
    out["pooled"] = {"off": counts([p for name in by for p in table[name][None]]), "lowo": counts(pooled)}
    out["at_each_threshold"] = {str(t): counts([p for name in by for p in table[name][t]]) for t in args.grid}
    text = json.dumps(out, indent=1)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
