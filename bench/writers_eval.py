"""Chat checks per dev writer: ``qa score eval``'s figures for some labels, pooled and for each dev writer.

    python bench/writers_eval.py --labels customer_sentiment_end closing escalated \
        --out bench/results/chatrest_dev_before.json                       # all dev, per writer
    python bench/writers_eval.py --ids ld-0741 ld-0790 --labels closing    # one writer's batch

A check tuned on the writers it was written for reads best on them; the writer it was not written for (the newest
batch, or each writer in turn) is the honest figure. Writers are ``DEV_WRITERS`` in tools/mine_exemplars.py. The
disagreements are listed in full. Tune on dev only; an old test split (chats_test..test4) may be measured as a
regression check, never one of the unseen ones.
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
SUMMARY = ("f1", "precision", "recall", "accuracy", "support", "tp", "fp", "fn", "tn")


def figures(report: dict[str, Any]) -> dict[str, Any]:
    """The headline figures of one label's report (binary or category), without its disagreements."""
    return {k: v for k, v in report.items() if k not in ("disagreements", "label", "check", "kind")
            and (report["kind"] == "category" or k in SUMMARY or k == "n")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(DEV),
                        help="the dev split (or an old test split, as a regression check)")
    parser.add_argument("--rubric", default="support-chat,collections-compliance")
    parser.add_argument("--labels", nargs="+", default=["customer_sentiment_end", "closing", "escalated"])
    parser.add_argument("--ids", nargs=2, metavar=("FIRST", "LAST"), help="only conversations with ids in this range")
    parser.add_argument("--out", help="write the JSON here too")
    args = parser.parse_args(argv)

    from mine_exemplars import DEV_WRITERS, writer_of

    from qa_toolkit.scoring.evaluate import evaluate, read_labelled
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params(args.rubric, None)
    items = [(v, {k: l[k] for k in args.labels if k in l}) for v, l in read_labelled(args.file)
             if not args.ids or args.ids[0] <= v.external_id <= args.ids[1]]
    pooled = {r.label: r.as_dict() for r in evaluate(items, params)}
    writers: dict[str, dict[str, Any]] = {}
    for name, _ in DEV_WRITERS:
        held = [item for item in items if writer_of(item[0].external_id) == name]
        if held:
            writers[name] = {r.label: figures(r.as_dict()) for r in evaluate(held, params)}
    out = {"file": args.file, "rubric": args.rubric, "ids": args.ids, "conversations": len(items),
           "labels": {k: figures(v) for k, v in pooled.items()}, "writers": writers,
           "disagreements": {k: [{d: e[d] for d in ("id", "expected", "predicted", "message")}
                                 for e in v["disagreements"]] for k, v in pooled.items()}}
    text = json.dumps(out, indent=1, ensure_ascii=False)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    for label, report in out["labels"].items():
        headline = {k: report.get(k) for k in ("f1", "precision", "recall", "accuracy") if k in report}
        print(label, headline, {w: v[label].get("f1") for w, v in writers.items() if label in v})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
