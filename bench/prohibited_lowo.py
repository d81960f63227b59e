"""Prohibited language, leave-one-writer-out on dev: how the check does on a writer it never learnt from.

    python bench/prohibited_lowo.py --out bench/results/prohibited_lowo.json          # dev only

Dev has seven writers (tests/data/labelled/README.md, ``DEV_WRITERS`` in tools/mine_exemplars.py). For each writer,
every sentence of the rubric's exemplar block that occurs in that writer's conversations is taken out of the block
(the block was mined from and picked in all of dev: leaving them in measures sentences it has seen; that figure is
``leaky``), the classifier is trained on the other six writers (tools/train_classifier.py), and the real check runs
on the writer left out; counts are pooled over the seven. Designs:

- ``before``: the rubric's exemplar block alone (as shipped before the trained classifier), its threshold;
- ``after``: the block and the trained classifier (``classifier: {model: trained}``), the classifier's threshold
  chosen by leave-one-writer-out *inside* the six writers (``--grid``), so the held-out writer picks nothing.

The phrase lists and patterns were written on all of dev and cannot be taken apart by writer; ``rules_off`` repeats
each design without them (the blocks alone). Run on dev only, never on a test split.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

DEV = ROOT / "tests" / "data" / "labelled" / "chats_dev.jsonl"
LABEL = "prohibited_language_by_agent"
CHECK = "prohibited_language"
GRID = (0.5, 0.6, 0.7, 0.8, 0.9)
RULES = ("phrases", "regexes", "extra_phrases")


def counts(pairs: list[tuple[bool, bool]]) -> dict[str, Any]:
    """Precision, recall, F1 and the confusion counts of (expected, predicted) pairs."""
    tp = sum(1 for e, p in pairs if e and p)
    fp = sum(1 for e, p in pairs if not e and p)
    fn = sum(1 for e, p in pairs if e and not p)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
    return {"precision": None if precision is None else round(precision, 4),
            "recall": None if recall is None else round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn, "tn": len(pairs) - tp - fp - fn}


def stripped(block: dict[str, Any], held: list[tuple[Any, dict[str, Any]]]) -> dict[str, Any]:
    """``block`` without the sentences that occur in the agent turns of ``held``."""
    said = "\n".join(t.text for view, _ in held for t in view.turns if t.speaker == "agent")
    return {**block, "positive": [s for s in block["positive"] if s not in said],
            "negative": [s for s in block.get("negative", ()) if s not in said]}


def predicted(items: list[tuple[Any, dict[str, Any]]], params: dict[str, Any]) -> list[tuple[bool, bool]]:
    """(label, the check's verdict) per conversation, with ``params``."""
    from mine_exemplars import _pairs

    from qa_toolkit.scoring.evaluate import evaluate

    (report,) = evaluate(items, {CHECK: params})
    return _pairs(report.metrics)


def trained_block(items: list[tuple[Any, dict[str, Any]]], params: dict[str, Any], seed: dict[str, Any],
                  folder: Path, name: str) -> str:
    """Train the classifier on ``items`` from ``seed`` and write it to ``folder``; its path."""
    from train_classifier import bags_of, train

    from qa_toolkit.scoring.checks import get_check

    checked = get_check(CHECK).params.model_validate({**params, "classifier": None})
    weights, bias, _, _ = train(list(seed["positive"]), list(seed["negative"]), bags_of(items, checked))
    path = folder / f"{name}.json"
    path.write_text(json.dumps({"bias": bias, "weights": [float(w) for w in weights]}), encoding="utf-8")
    return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="?", default=str(DEV), help="the dev split (never a test split)")
    parser.add_argument("--rubric", default="support-chat")
    parser.add_argument("--grid", type=float, nargs="+", default=GRID)
    parser.add_argument("--out", help="write the JSON here too")
    args = parser.parse_args(argv)

    from mine_exemplars import DEV_WRITERS, writer_of
    from train_classifier import rubric_block

    from qa_toolkit.scoring.evaluate import read_labelled

    items = [(v, {LABEL: l[LABEL]}) for v, l in read_labelled(args.labels) if LABEL in l]
    params, block = rubric_block(args.rubric)
    params = {**params, "classifier": None}
    writers = [name for name, _ in DEV_WRITERS]
    by = {name: [item for item in items if writer_of(item[0].external_id) == name] for name in writers}
    off = dict.fromkeys(RULES, ())
    out: dict[str, Any] = {"conversations": len(items), "writers": {}, "grid": list(args.grid)}
    pooled: dict[str, list[tuple[bool, bool]]] = {k: [] for k in ("leaky", "before", "before_rules_off", "after",
                                                                 "after_rules_off")}
    grid_pooled: dict[float, list[tuple[bool, bool]]] = {t: [] for t in args.grid}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in writers:
            held, teach = by[name], [item for item in items if writer_of(item[0].external_id) != name]
            seed = stripped(block, held)
            inner: dict[float, list[tuple[bool, bool]]] = {t: [] for t in args.grid}
            for other in writers:  # the threshold, chosen on the six writers alone
                if other == name:
                    continue
                inner_held = by[other]
                inner_teach = [item for item in teach if writer_of(item[0].external_id) != other]
                inner_seed = stripped(seed, inner_held)
                path = trained_block(inner_teach, params, inner_seed, folder, f"{name}-{other}")
                for t in args.grid:
                    classifier = {"model": "trained", "weights": path, "threshold": t}
                    inner[t] += predicted(inner_held, {**params, "exemplars": inner_seed, "classifier": classifier})
            threshold = max(args.grid, key=lambda t: (counts(inner[t])["f1"], t))
            path = trained_block(teach, params, seed, folder, name)
            classifier = {"model": "trained", "weights": path, "threshold": threshold}
            found = {
                "leaky": predicted(held, {**params, "exemplars": block}),
                "before": predicted(held, {**params, "exemplars": seed}),
                "before_rules_off": predicted(held, {**params, **off, "exemplars": seed}),
                "after": predicted(held, {**params, "exemplars": seed, "classifier": classifier}),
                "after_rules_off": predicted(held, {**params, **off, "exemplars": seed, "classifier": classifier}),
            }
            for t in args.grid:
                grid_pooled[t] += predicted(held, {**params, "exemplars": seed,
                                                   "classifier": {**classifier, "threshold": t}})
            for key, pairs in found.items():
                pooled[key] += pairs
            out["writers"][name] = {"conversations": len(held), "threshold": threshold,
                                    "exemplars_left_out": [len(block["positive"]) - len(seed["positive"]),
                                                           len(block["negative"]) - len(seed["negative"])],
                                    **{key: counts(pairs)["f1"] for key, pairs in found.items()}}
            print(name, out["writers"][name], file=sys.stderr, flush=True)
    out["pooled"] = {key: counts(pairs) for key, pairs in pooled.items()}
    out["after_at_each_threshold"] = {str(t): counts(pairs) for t, pairs in grid_pooled.items()}
    out["summary"] = {"before_f1": out["pooled"]["before"]["f1"], "after_f1": out["pooled"]["after"]["f1"],
                      "leaky_f1": out["pooled"]["leaky"]["f1"]}
    text = json.dumps(out, indent=1)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
