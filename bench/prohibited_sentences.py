"""Prohibited language, leave-one-writer-out on dev, sentence by sentence: what each signal said of every agent sentence.

    python bench/prohibited_sentences.py --out /tmp/sentences.json          # dev only

For each dev writer left out (as bench/prohibited_lowo.py does: the rubric's exemplar block without that writer's
sentences, the classifier trained on the other writers, with the tone cues), every agent sentence the check reads
in that writer's conversations, with: the exemplar block's probability and closest positive exemplar, the cosine
similarity to the block's closest positive and closest negative sentence, the trained classifier's probability, the
tone cues that fire, and whether the phrase lists or patterns match in the conversation (not negated). A gate or a
margin can then be tried on these numbers in seconds instead of re-running the check (bench/prohibited_lowo.py then
measures the design chosen, end to end). Run on dev only, never on a test split.
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
sys.path.insert(0, str(ROOT / "bench"))

from prohibited_lowo import DEV, LABEL, Trainer, stripped  # noqa: E402


def rows(held: list[tuple[Any, dict[str, Any]]], params: Any, seed: dict[str, Any], weights: str,
         threshold: float) -> list[dict[str, Any]]:
    """One row per conversation of ``held``: its label, whether a phrase or pattern matches, and its sentences."""
    from qa_toolkit.scoring import semantic, text, tone
    from qa_toolkit.scoring.checks import on_channel
    from qa_toolkit.scoring.semantic import Exemplars

    block = Exemplars.model_validate(seed)
    nearest = Exemplars.model_validate({"positive": seed["positive"], "negative": seed["negative"],
                                        "model": "nearest", "threshold": 0.0})
    trained = Exemplars.model_validate({"model": "trained", "weights": weights, "threshold": threshold})
    out = []
    for view, labels in held:
        spoken = [t for t in view.after_opening() if t.speaker == params.speaker]
        regexes = on_channel(view, params.regexes, params.spoken_regexes)
        rule = any(not (params.negation and m.negated) for t in spoken
                   for m in text.find(t.text, params.phrases + params.extra_phrases, regexes,
                                      window=params.negation_window))
        found = []
        for b, c, n in zip(semantic.hits(spoken, block), semantic.hits(spoken, trained),
                           semantic.hits(spoken, nearest)):
            negative = semantic._table(nearest, [n.sentence])[n.sentence][2]
            found.append({"turn": b.turn.index, "text": b.sentence, "block": b.similarity, "exemplar": b.exemplar,
                          "classifier": c.similarity, "positive_cos": n.similarity,
                          "negative_cos": round(float(negative), 3) if negative is not None else None,
                          "cues": list(tone.fired(b.sentence))})
        out.append({"id": view.external_id, "label": labels[LABEL], "rule": rule, "sentences": found})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="?", default=str(DEV), help="the dev split (never a test split)")
    parser.add_argument("--rubric", default="support-chat")
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)

    from mine_exemplars import DEV_WRITERS, writer_of
    from train_classifier import rubric_block

    from qa_toolkit.scoring import tone
    from qa_toolkit.scoring.checks import get_check
    from qa_toolkit.scoring.evaluate import read_labelled

    items = [(v, {LABEL: l[LABEL]}) for v, l in read_labelled(args.labels) if LABEL in l]
    params, block = rubric_block(args.rubric)
    params = {**params, "classifier": None}
    checked = get_check("prohibited_language").params.model_validate(params)
    by = {name: [item for item in items if writer_of(item[0].external_id) == name] for name, _ in DEV_WRITERS}
    out: dict[str, Any] = {"block_threshold": block.get("threshold"), "classifier_threshold": args.threshold,
                           "writers": {}}
    with tempfile.TemporaryDirectory() as tmp:
        trainer = Trainer(by, block, params, Path(tmp))
        for name, held in by.items():
            path = trainer.path(frozenset({name}), tone.NAMES)
            out["writers"][name] = rows(held, checked, stripped(block, held), path, args.threshold)
            print(name, len(held), file=sys.stderr, flush=True)
    Path(args.out).write_text(json.dumps(out) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
