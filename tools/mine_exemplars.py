"""Mine a classifier block's exemplars from labelled conversations (multiple-instance learning, dev data only).

    python tools/mine_exemplars.py tests/data/labelled/chats_dev.jsonl            # prohibited language
    python tools/mine_exemplars.py DEV.jsonl --rounds 2 --hard 0.2 --json

For a check that fails on *any* agent sentence its ``model: linear`` exemplar block matches (prohibited language),
the hand labels say which conversations hold such a sentence, not which sentence it is. Starting from the block in
the rubric, each round fits the block's classifier (``semantic.classifier``: the same logistic regression the check
uses), then takes

- from each conversation labelled "yes": its agent sentences the check's phrases and patterns match, as positives
  (they teach the classifier the same meaning in other words), or, where none does, the agent sentence the
  classifier rates highest;
- from each conversation labelled "no": every agent sentence rated at least ``--hard``, as a negative (all of them
  are "no" by the label: the ones the classifier gets closest to wrong are the ones worth writing down).

What it prints are the sentences to add to the block (YAML list items), so a team sees and edits what the check
learnt; deterministic (no sampling, the fit starts from zero). Run it on the split you tune on, never on a test split.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


Sentence = tuple[str, bool]  # an agent sentence and whether the check's phrases or patterns match it


def agent_sentences(view: Any, params: Any) -> list[Sentence]:
    """The agent's sentences the prohibited-language check reads (after a call's opening), in order, each with
    whether the check's phrases or patterns match it (negated uses do not count, as in the check)."""
    from qa_toolkit.scoring import semantic, text

    phrases = params.phrases + params.extra_phrases
    out = []
    for turn in view.after_opening():
        if turn.speaker == params.speaker:
            for s, e in semantic.sentences(turn.text):
                said = turn.text[s:e]
                found = text.find(said, phrases, params.regexes, window=params.negation_window)
                out.append((said, any(not (params.negation and m.negated) for m in found)))
    return out


def mine(block: dict[str, Any], labelled: list[tuple[list[Sentence], bool]], rounds: int = 2,
         hard: float = 0.2) -> tuple[list[str], list[str]]:
    """The positive and negative sentences to add to ``block`` (a ``model: linear`` exemplar block), mined from
    ``labelled``: (agent sentences, label) per conversation."""
    import numpy as np

    from qa_toolkit.scoring import semantic

    base = semantic.Exemplars.model_validate(block)
    positive, negative = list(base.positive), list(base.negative)
    encoder = semantic.encoder()
    encoder.embed(list(dict.fromkeys(s for sentences, _ in labelled for s, _ in sentences)))  # one batch
    added_pos: list[str] = []
    added_neg: list[str] = []
    current = base
    for _ in range(rounds):
        weights, bias = semantic.classifier(current)
        round_pos, round_neg = [], []
        for sentences, label in labelled:
            if not sentences:
                continue
            said = [s for s, _ in sentences]
            matched = [s for s, rule in sentences if rule]
            if label and matched:
                round_pos += matched
                continue
            probability = 1.0 / (1.0 + np.exp(-(encoder.embed(said) @ weights + bias)))
            if label:
                round_pos.append(said[int(probability.argmax())])
            else:
                round_neg += [s for s, p in zip(said, probability.tolist()) if p >= hard]
        added_pos = [s for s in dict.fromkeys(round_pos) if s not in base.positive]  # the newest fit's choice
        added_neg = [s for s in dict.fromkeys([*added_neg, *round_neg]) if s not in base.negative
                     and s not in added_pos]
        current = semantic.Exemplars.model_validate({**block, "positive": [*base.positive, *added_pos],
                                                     "negative": [*base.negative, *added_neg]})
    return added_pos, added_neg


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", help="labelled canonical chat JSONL (the split you tune on)")
    parser.add_argument("--rubric", default="support-chat", help="shipped rubric name or file")
    parser.add_argument("--criterion", default="professional_language")
    parser.add_argument("--block", default="exemplars", help="the criterion's exemplar block (model: linear)")
    parser.add_argument("--label", default="prohibited_language_by_agent")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--hard", type=float, default=0.2, help="probability from which a 'no' sentence is kept")
    parser.add_argument("--json", action="store_true", help="print JSON instead of YAML list items")
    args = parser.parse_args(argv)

    from qa_toolkit.rubrics import Rubric, load_rubric
    from qa_toolkit.rubrics.loader import body_of
    from qa_toolkit.scoring.evaluate import read_labelled
    from qa_toolkit.services.rubrics import resolve_file

    rubric = Rubric.model_validate(body_of(load_rubric(resolve_file(args.rubric)).rubric))
    _, criterion = rubric.criterion(args.criterion)
    block = dict(criterion.params[args.block])
    from qa_toolkit.scoring.checks import get_check

    params = get_check(criterion.check or "").params.model_validate(criterion.params)
    labelled = [(agent_sentences(view, params), bool(labels[args.label]))
                for view, labels in read_labelled(args.labels) if labels.get(args.label) is not None]
    positive, negative = mine(block, labelled, args.rounds, args.hard)
    if args.json:
        print(json.dumps({"positive": positive, "negative": negative}, ensure_ascii=False, indent=1))
    else:
        for name, sentences in (("positive", positive), ("negative", negative)):
            print(f"# {name}: {len(sentences)} to add")
            for sentence in sentences:
                print(f"- {json.dumps(sentence, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
