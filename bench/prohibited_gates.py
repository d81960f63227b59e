"""Prohibited language: the check's decision replayed from a sentence dump, with its gates and thresholds varied.

    python bench/prohibited_sentences.py --out /tmp/sentences.json                 # leave-one-writer-out signals
    python bench/prohibited_gates.py /tmp/sentences.json --out bench/results/prohibited_gates_NAME.json

The dump holds, for every dev writer left out, each agent sentence's exemplar-block probability, held-out classifier
probability and tone cues, and whether a phrase or pattern matches. This replays ``prohibited_language`` on those
numbers (a rule; else the block's first sentence no polite closing, softener or missing second signal holds back;
else the classifier's) for a grid of settings, pooled and per writer, so a gate is chosen on writers each classifier
never saw in seconds; ``bench/prohibited_lowo.py`` then measures the chosen design end to end. Dev only.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EXEMPLAR_SOFTENERS = ("polite", "quote", "negated", "owned", "practice")  # the rubric's before the eighth session
CLASSIFIER_SOFTENERS = ("quote", "negated", "owned")
# before the eighth session; ``acknowledged``: the acknowledgement softener in both lists, ``addressed``: a sentence
# with no rude cue counts only where it speaks to the customer ("you", "your")
SHIPPED = {"block": 0.75, "classifier": 0.8, "classifier_needs_block": 0.5, "block_needs_classifier": None,
           "addressed": False, "acknowledged": False}


def rude(sentence: dict[str, Any]) -> bool:
    """Whether a cue that speaks against the speaker fires in the sentence."""
    from qa_toolkit.scoring.tone import SOFTENING

    return any(c not in SOFTENING for c in sentence["cues"])


def spared(sentence: dict[str, Any], cache: dict[str, bool] = {}) -> bool:  # noqa: B006 (a cache on purpose)
    """A polite closing or well-wish with no rude cue (``spare_closings``)."""
    from qa_toolkit.scoring import text
    from qa_toolkit.scoring.checks.phrases import CLOSING_REGEXES, CLOSINGS

    said = sentence["text"]
    if said not in cache:
        cache[said] = text.first(said, CLOSINGS, CLOSING_REGEXES) is not None
    return cache[said] and not rude(sentence)


def softened(sentence: dict[str, Any], names: tuple[str, ...], cache: dict[tuple[str, tuple[str, ...]], bool] = {}
             ) -> bool:  # noqa: B006 (a cache on purpose)
    """The check's own reading: one of the softeners ``names`` holds the sentence back and no rude cue fires."""
    from qa_toolkit.scoring.checks.phrases import _softened

    key = (sentence["text"], names)
    if key not in cache:
        cache[key] = _softened(sentence["text"], names)
    return cache[key]


def decide(conversation: dict[str, Any], s: dict[str, Any]) -> bool:
    """The check's verdict on one conversation with settings ``s`` (keys of :data:`SHIPPED`)."""
    if conversation["rule"]:
        return True
    from qa_toolkit.scoring.checks.phrases import ACKNOWLEDGED

    more = (ACKNOWLEDGED,) if s["acknowledged"] else ()
    said = [x for x in conversation["sentences"] if not s["addressed"] or rude(x) or "addressed" in x["cues"]]
    for x in said:
        if x["block"] >= s["block"] and not spared(x) and not softened(x, (*EXEMPLAR_SOFTENERS, *more)) and (
                s["block_needs_classifier"] is None or rude(x) or x["classifier"] >= s["block_needs_classifier"]):
            return True
    for x in said:
        if x["classifier"] >= s["classifier"] and not spared(x) and not softened(x, (*CLASSIFIER_SOFTENERS, *more)) \
                and (s["classifier_needs_block"] is None or rude(x) or x["block"] >= s["classifier_needs_block"]):
            return True
    return False


def counts(pairs: list[tuple[bool, bool]]) -> dict[str, Any]:
    """P, R, F1 and the confusion counts of (expected, predicted) pairs."""
    tp = sum(e and p for e, p in pairs)
    fp = sum(p and not e for e, p in pairs)
    fn = sum(e and not p for e, p in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "tp": tp, "fp": fp,
            "fn": fn}


def measure(dump: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    """Pooled and per-writer figures of ``settings``."""
    by = {w: [(c["label"], decide(c, settings)) for c in convs] for w, convs in dump["writers"].items()}
    return {"settings": settings, "pooled": counts([p for pairs in by.values() for p in pairs]),
            "writers": {w: counts(pairs) for w, pairs in by.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dump", help="bench/prohibited_sentences.py's output (dev only)")
    parser.add_argument("--block", type=float, nargs="+", default=[0.75])
    parser.add_argument("--classifier", type=float, nargs="+", default=[0.8])
    parser.add_argument("--classifier-needs-block", type=float, nargs="+", default=[0.5])
    parser.add_argument("--block-needs-classifier", type=float, nargs="+", default=[-1.0],
                        help="-1: off (None)")
    parser.add_argument("--addressed", type=int, nargs="+", default=[0],
                        help="1: a sentence with no rude cue counts only when it speaks to the customer")
    parser.add_argument("--acknowledged", type=int, nargs="+", default=[0],
                        help="1: a sentence that acknowledges the customer's feeling, with no rude cue, is held back")
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    dump = json.loads(Path(args.dump).read_text(encoding="utf-8"))
    shipped = measure(dump, SHIPPED)
    rows = []
    for b, c, cnb, bnc, addressed, acknowledged in itertools.product(
            args.block, args.classifier, args.classifier_needs_block, args.block_needs_classifier, args.addressed,
            args.acknowledged):
        settings = {"block": b, "classifier": c, "classifier_needs_block": None if cnb < 0 else cnb,
                    "block_needs_classifier": None if bnc < 0 else bnc, "addressed": bool(addressed),
                    "acknowledged": bool(acknowledged)}
        found = measure(dump, settings)
        # writers better / worse than the shipped settings (F1), the generalisation the pooled figure can hide
        found["without_newest_writer"] = counts([(c["label"], decide(c, settings)) for w, convs in dump["writers"].items()
                                                 if w != list(dump["writers"])[-1] for c in convs])
        found["writers_better_worse"] = [
            sum(found["writers"][w]["f1"] > shipped["writers"][w]["f1"] for w in found["writers"]),
            sum(found["writers"][w]["f1"] < shipped["writers"][w]["f1"] for w in found["writers"])]
        rows.append(found)
        print(settings, found["pooled"], found["writers_better_worse"], flush=True)
    out = {"dump_threshold": dump.get("classifier_threshold"), "shipped": shipped, "grid": rows}
    if args.out:
        Path(args.out).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
