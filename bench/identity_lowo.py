"""Identity verified before account details: leave-one-writer-out on dev, and which decision each error comes from.

    python bench/identity_lowo.py --out bench/results/identity_lowo_r18_before.json       # dev only
    python bench/identity_lowo.py --first ld-1371 --last ld-1420                          # one dev batch

The identity twin of bench/empathy_lowo.py. For each dev writer (``DEV_WRITERS`` in tools/mine_exemplars.py), the
sentences of the rubric's two exemplar blocks (``verification_exemplars``: asking for or confirming identity;
``account_exemplars``: disclosing or changing something of the account) that occur word for word in that writer's
turns are taken out, and the check scores the writer's conversations with the rest: ``lowo``. ``leaky`` keeps every
exemplar (in-sample); ``rules_off`` also empties the hand-written phrase lists and patterns of verification and
account details (the blocks alone). Counts are pooled over the writers.

Every disagreement of ``lowo`` is put down to one decision:

- ``disclosed``: the check found an account detail where the label says none was given (null), or none where the
  label says one was (true or false);
- ``order``: both say a detail was given, and they disagree on whether verification came first.

Run on dev only, never on a test split.
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
sys.path.insert(0, str(ROOT / "bench"))

DEV = ROOT / "tests" / "data" / "labelled" / "chats_dev.jsonl"
LABEL, CHECK, CRITERION = "identity_verified_before_account_details", "identity_before_account", "identity_verified"
BLOCKS = ("verification_exemplars", "account_exemplars")
RULES = ("verification_phrases", "verification_regexes", "account_phrases", "account_regexes")


def error_kind(expected: Any, predicted: Any) -> str | None:
    """Which decision a disagreement comes from (None: no disagreement)."""
    if expected == predicted:
        return None
    if expected is None or predicted is None:
        return "disclosed: detail where none" if expected is None else "disclosed: detail missed"
    return "order: verification missed" if expected else "order: verification where none"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="?", default=str(DEV), help="the dev split (never a test split)")
    parser.add_argument("--rubric", default="support-chat")
    parser.add_argument("--first", help="only conversations from this id on (one dev batch)")
    parser.add_argument("--last", help="only conversations up to this id")
    parser.add_argument("--out", help="write the JSON here too")
    args = parser.parse_args(argv)

    from empathy_lowo import dev_items, leave_each_writer_out, summary

    params, items = dev_items(args.labels, args.rubric, CRITERION, LABEL, args.first, args.last)
    designs, writers = leave_each_writer_out(items, params, BLOCKS, RULES, CHECK, LABEL, error_kind)
    out: dict[str, Any] = {"file": Path(args.labels).name, "first": args.first, "last": args.last, "writers": writers}
    out["pooled"] = {key: summary(rows, error_kind) for key, rows in designs.items()}
    out["lowo_disagreements"] = [{"id": i, "expected": e, "predicted": p, "kind": error_kind(e, p)}
                                 for i, e, p in designs["lowo"] if e != p]
    text = json.dumps(out, indent=1, ensure_ascii=False)
    print(json.dumps(out["pooled"], indent=1))
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
