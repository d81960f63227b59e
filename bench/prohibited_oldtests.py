"""Prohibited language alone on the regression-only test splits (chats_test .. chats_test4): summary figures only.

    python bench/prohibited_oldtests.py --out bench/results/prohibited_oldtests_NAME.json

The support-chat rubric's ``professional_language`` parameters, label ``prohibited_language_by_agent``, through
qa_toolkit.scoring.evaluate. Prints and writes counts and P/R/F1 per split, never a conversation: these splits are
run to check that nothing got worse, never read or tuned on.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

SPLITS = ("chats_test.jsonl", "chats_test2.jsonl", "chats_test3.jsonl", "chats_test4.jsonl")
LABEL = "prohibited_language_by_agent"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rubric", default="support-chat")
    parser.add_argument("--out")
    args = parser.parse_args(argv)

    from train_classifier import rubric_block

    from qa_toolkit.scoring.evaluate import evaluate, read_labelled

    params, _ = rubric_block(args.rubric)
    out = {}
    for split in SPLITS:
        items = [(v, {LABEL: l[LABEL]}) for v, l in read_labelled(ROOT / "tests" / "data" / "labelled" / split)
                 if LABEL in l]
        (report,) = evaluate(items, {"prohibited_language": params})
        out[split] = {"n": len(items), **{k: report.metrics.get(k) for k in ("precision", "recall", "f1", "tp", "fp",
                                                                              "fn", "tn")}}
        print(split, out[split], file=sys.stderr, flush=True)
    text = json.dumps(out, indent=1)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
