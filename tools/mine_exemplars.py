"""Mine a classifier block's exemplars from labelled conversations (multiple-instance learning, dev data only).

    python tools/mine_exemplars.py tests/data/labelled/chats_dev.jsonl                 # prohibited language
    python tools/mine_exemplars.py DEV.jsonl --target escalation --rounds 2 --hard 0.2 --json
    python tools/mine_exemplars.py DEV.jsonl --target empathy --leave-writer-out       # thresholds by writer

A target (``--target``) is a ``model: linear`` exemplar block of a check that passes or fails on *some* sentence of
a conversation: prohibited language (any rude agent sentence), the hand-over sentence (escalated), the agent's
acknowledgement in the replies after the customer first sounds upset (empathy), the hold announcement and the
thanks for waiting (hold etiquette). The hand labels say which conversations hold such a sentence, not which
sentence it is. Starting from the block in the rubric, each round fits the block's classifier
(``semantic.classifier``: the same logistic regression the check uses), then takes

- from each conversation whose label says "yes": the sentences the check reads that its phrases and patterns
  match, as positives (they teach the classifier the same meaning in other words), or, where none does, the
  sentence the classifier rates highest;
- from each conversation whose label says "no": every sentence the check reads rated at least ``--hard``, as a
  negative (all of them are "no" by the label: the ones the classifier gets closest to wrong are the ones worth
  writing down).

What it prints are the sentences to add to the block (YAML list items), so a team sees and edits what the check
learnt; deterministic (no sampling, the fit starts from zero). ``--leave-writer-out`` instead mines from all dev
writers but one, measures the check on the one left out at each threshold of ``--grid``, and prints the F1 pooled
over the writers: how the block does on a writer it never learnt from. Run it on the split you tune on, never on
a test split.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
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
         hard: float = 0.2, outside: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """The positive and negative sentences to add to ``block`` (a ``model: linear`` exemplar block), mined from
    ``labelled``: (agent sentences, label) per conversation; ``outside``: sentences that are "no" whatever the
    label (the agent's sentences the check does not read), kept as negatives like a "no" bag's."""
    import numpy as np

    from qa_toolkit.scoring import semantic

    base = semantic.Exemplars.model_validate(block)
    positive, negative = list(base.positive), list(base.negative)
    encoder = semantic.encoder()
    encoder.embed(list(dict.fromkeys([*(s for sentences, _ in labelled for s, _ in sentences), *outside])))
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
        if outside:
            probability = 1.0 / (1.0 + np.exp(-(encoder.embed(list(outside)) @ weights + bias)))
            round_neg += [s for s, p in zip(outside, probability.tolist()) if p >= hard]
        added_pos = [s for s in dict.fromkeys(round_pos) if s not in base.positive]  # the newest fit's choice
        added_neg = [s for s in dict.fromkeys([*added_neg, *round_neg]) if s not in base.negative
                     and s not in added_pos]
        current = semantic.Exemplars.model_validate({**block, "positive": [*base.positive, *added_pos],
                                                     "negative": [*base.negative, *added_neg]})
    return added_pos, added_neg


def _split(turns: Any) -> list[tuple[Any, str]]:
    """Each sentence of ``turns`` as a turn of its own (the check's rules then read one sentence), with its text."""
    from dataclasses import replace

    from qa_toolkit.scoring import semantic

    return [(replace(turn, text=turn.text[s:e]), turn.text[s:e]) for turn in turns
            for s, e in semantic.sentences(turn.text)]


def handover_sentences(view: Any, params: Any) -> list[Sentence]:
    """The agent's and system's sentences the escalation check reads, offers left out ("if you like, I can pass
    you to ..." is no hand-over), each with whether the check's phrases or patterns find a hand-over in it."""
    from qa_toolkit.scoring.checks.resolution import _offered, handover

    first_agent = next((t.index for t in view.turns if t.speaker == "agent"), None)
    read = [t for t in view.after_opening() if t.speaker in params.speakers
            and (t.speaker == "agent" or first_agent is None or t.index > first_agent)]
    out = []
    for turn, said in _split(read):
        if not _offered(_Said(said), params.offer_regexes):
            found = handover(turn, params.phrases, params.regexes, params.offer_regexes, turn.index == first_agent)
            out.append((said, found is not None))
    return out


class _Said:
    """A sentence where ``_offered`` expects a semantic hit."""

    def __init__(self, sentence: str) -> None:
        self.sentence = sentence


def acknowledgement_sentences(view: Any, params: Any) -> list[Sentence]:
    """The agent's sentences in the ``window`` replies after the customer first sounds upset (as the empathy check
    finds it; every agent sentence when it finds no upset turn), each with whether the check's empathy phrases or
    patterns match it."""
    from qa_toolkit.scoring import text
    from qa_toolkit.scoring.checks.empathy import _upset

    turns = view.turns
    upset = next((i for i, t in enumerate(turns) if t.speaker == "customer" and _upset(t, params)), None)
    agent = [t for t in turns[(upset or 0):] if t.speaker == "agent"]
    replies = agent[: params.window] if upset is not None else agent
    return [(said, text.first(said, params.empathy_phrases, params.empathy_regexes) is not None)
            for _, said in _split(replies)]


def unread_sentences(view: Any, params: Any) -> list[str]:
    """The agent's sentences the empathy check does not read when the customer sounds upset (before the upset
    turn, and after the ``window`` replies: greetings, procedure, closings), those its empathy phrases or
    patterns match left out: no acknowledgement of that upset, whatever the label."""
    from qa_toolkit.scoring import text

    read = {said for said, _ in acknowledgement_sentences(view, params)}
    return [said for _, said in _split(view.by("agent")) if said not in read
            and text.first(said, params.empathy_phrases, params.empathy_regexes) is None]


def announcement_sentences(view: Any, params: Any) -> list[Sentence]:
    """The agent's sentences that could announce a wait (every agent turn but the last; sentences that thank for
    waiting by the check's phrases left out), each with whether the check's announcement phrases match it."""
    from qa_toolkit.scoring import text

    agent = view.by("agent")[:-1]
    return [(said, text.first(said, params.announcement_phrases, params.announcement_regexes) is not None)
            for _, said in _split(agent) if text.first(said, params.thanks_phrases) is None]


def thanks_sentences(view: Any, params: Any) -> list[Sentence]:
    """The agent's sentences, each with whether the check's thanks-for-waiting phrases match it."""
    from qa_toolkit.scoring import text

    return [(said, text.first(said, params.thanks_phrases) is not None) for _, said in _split(view.by("agent"))]


@dataclass(frozen=True)
class Target:
    """A classifier block to mine: where it is in the rubric, the label, the sentences the check reads, and which
    label values say "yes" and "no" (a value in neither is left out)."""

    criterion: str
    block: str
    label: str
    read: Callable[[Any, Any], list[Sentence]]
    rules: tuple[str, ...]  # the check's phrase and pattern parameters that find what the block finds
    yes: tuple[Any, ...] = (True,)
    no: tuple[Any, ...] = (False,)
    unread: Callable[[Any, Any], list[str]] | None = None  # the sentences that are "no" whatever the label


TARGETS: dict[str, Target] = {
    "prohibited": Target("professional_language", "exemplars", "prohibited_language_by_agent", agent_sentences,
                         ("phrases", "regexes", "extra_phrases")),
    "escalation": Target("no_escalation", "exemplars", "escalated", handover_sentences, ("phrases", "regexes")),
    "empathy": Target("acknowledged_feelings", "empathy_exemplars", "empathy_when_needed", acknowledgement_sentences,
                      ("empathy_phrases", "empathy_regexes"), unread=unread_sentences),
    # hold etiquette false means a part is missing, not which one: only "both parts" and "no hold" teach
    "hold-announcement": Target("hold_etiquette", "announcement_exemplars", "hold_etiquette", announcement_sentences,
                                ("announcement_phrases", "announcement_regexes"), no=(None,)),
    "hold-thanks": Target("hold_etiquette", "thanks_exemplars", "hold_etiquette", thanks_sentences,
                          ("thanks_phrases",), no=(None,)),
}
# dev's writers (tests/data/labelled/README.md): ids up to and including each bound
DEV_WRITERS: tuple[tuple[str, str], ...] = (("first", "ld-0192"), ("second", "ld-0240"), ("third", "ld-0300"),
                                           ("fourth", "ld-0330"), ("fifth", "ld-0370"),
                                           ("sixth", "ld-0440"), ("seventh", "ld-0480"),
                                           ("eighth", "ld-0560"), ("ninth", "ld-0620"),
                                           ("eleventh", "ld-0680"), ("twelfth", "ld-0740"), ("tenth", "ld-0800"),
                                           ("thirteenth", "ld-0840"), ("fourteenth", "ld-0890"),
                                           ("fifteenth", "ld-0940"), ("sixteenth", "ld-1000"),
                                           ("seventeenth", "ld-1050"), ("eighteenth", "ld-1100"),
                                           ("nineteenth", "ld-1160"), ("twentieth", "ld-1210"),
                                           ("twenty-first", "ld-1260"), ("twenty-second", "ld-1320"),
                                           ("twenty-third", "ld-1370"), ("twenty-fourth", "ld-1420"),
                                           ("twenty-fifth", "ld-1480"))
GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def writer_of(conversation_id: str) -> str:
    """Which dev writer wrote a conversation (by its id)."""
    return next((name for name, last in DEV_WRITERS if conversation_id <= last), DEV_WRITERS[-1][0])


def labelled_bags(items: list[tuple[Any, dict[str, Any]]], target: Target,
                  params: Any) -> list[tuple[list[Sentence], bool]]:
    """The sentences the check reads in each conversation whose label says "yes" or "no", with that answer."""
    out = []
    for view, labels in items:
        if target.label not in labels:
            continue
        value = labels[target.label]
        if value in target.yes or value in target.no:
            out.append((target.read(view, params), value in target.yes))
    return out


def unread_negatives(items: list[tuple[Any, dict[str, Any]]], target: Target, params: Any) -> tuple[str, ...]:
    """The sentences the check does not read in each conversation labelled "yes" or "no" (none if the target has
    no such reader): negatives whatever the label (``--unread-negatives``)."""
    if target.unread is None:
        return ()
    found = [target.unread(view, params) for view, labels in items
             if labels.get(target.label, ...) in (*target.yes, *target.no)]
    return tuple(dict.fromkeys(s for sentences in found for s in sentences))


def leave_writer_out(items: list[tuple[Any, dict[str, Any]]], targets: list[Target], check: str,
                     params: dict[str, Any], grid: tuple[float, ...], rounds: int,
                     hard: float, unread: bool = False) -> dict[str, Any]:
    """Per threshold (one per target, every combination of ``grid``): the check's counts on each dev writer with
    the blocks mined from the other writers, pooled; and the same with the targets' phrases and patterns off
    (``rules_off``: the blocks alone, as on a writer whose wordings no rule holds; the rules were written on all
    of dev, so with them on a held-out writer is not unseen)."""
    from itertools import product

    from qa_toolkit.scoring.checks import get_check
    from qa_toolkit.scoring.evaluate import binary_metrics, confusion, evaluate

    model = get_check(check).params
    label = targets[0].label
    combinations = list(product(grid, repeat=len(targets)))
    pooled: dict[tuple[float, ...], list[tuple[Any, Any]]] = {c: [] for c in combinations}
    alone: dict[tuple[float, ...], list[tuple[Any, Any]]] = {c: [] for c in combinations}
    off = {rule: () for t in targets for rule in t.rules}
    writers: dict[str, Any] = {}
    for name, _ in DEV_WRITERS:
        teach = [item for item in items if writer_of(item[0].external_id) != name]
        held = [(v, {label: l[label]}) for v, l in items if writer_of(v.external_id) == name and label in l]
        mined = dict(params)
        writers[name] = {"conversations": len(held), "added": {}}
        for target in targets:
            block = dict(params[target.block])
            checked = model.model_validate(params)
            outside = unread_negatives(teach, target, checked) if unread else ()
            positive, negative = mine(block, labelled_bags(teach, target, checked), rounds, hard, outside)
            mined[target.block] = {**block, "positive": [*block["positive"], *positive],
                                   "negative": [*block["negative"], *negative]}
            writers[name]["added"][target.block] = [len(positive), len(negative)]
        for combination in combinations:
            trial = {**mined, **{t.block: {**mined[t.block], "threshold": v} for t, v in zip(targets, combination)}}
            (report,) = evaluate(held, {check: trial})
            pooled[combination] += _pairs(report.metrics)
            writers[name][" ".join(map(str, combination))] = report.metrics.get("f1")
            (report,) = evaluate(held, {check: {**trial, **off}})
            alone[combination] += _pairs(report.metrics)
    return {"blocks": [t.block for t in targets], "writers": writers,
            **{key: {" ".join(map(str, c)): {**binary_metrics(pairs), **confusion(pairs)} for c, pairs in found.items()}
               for key, found in (("pooled", pooled), ("rules_off", alone))}}


def _pairs(metrics: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(expected, predicted) pairs with the same confusion counts (to pool counts over writers)."""
    return ([(True, True)] * metrics["tp"] + [(False, True)] * metrics["fp"] + [(True, False)] * metrics["fn"]
            + [(False, False)] * metrics["tn"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", help="labelled canonical chat JSONL (the split you tune on)")
    parser.add_argument("--rubric", default="support-chat", help="shipped rubric name or file")
    parser.add_argument("--target", choices=sorted(TARGETS), action="append",
                        help="the block(s) to mine (default: prohibited); several: blocks of one criterion")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--hard", type=float, default=0.2, help="probability from which a 'no' sentence is kept")
    parser.add_argument("--unread-negatives", action="store_true",
                        help="also mine negatives from the agent's sentences the check does not read (empathy: "
                             "greetings, procedure and closings outside the replies to the upset turn)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of YAML list items")
    parser.add_argument("--leave-writer-out", action="store_true",
                        help="F1 per threshold on each dev writer with the block mined from the others (JSON)")
    parser.add_argument("--grid", type=float, nargs="+", default=GRID, help="thresholds for --leave-writer-out")
    args = parser.parse_args(argv)

    from qa_toolkit.rubrics import Rubric, load_rubric
    from qa_toolkit.rubrics.loader import body_of
    from qa_toolkit.scoring.checks import get_check
    from qa_toolkit.scoring.evaluate import read_labelled
    from qa_toolkit.services.rubrics import resolve_file

    targets = [TARGETS[name] for name in args.target or ["prohibited"]]
    if len({t.criterion for t in targets}) > 1:
        parser.error("--target: several targets must be blocks of the same criterion")
    rubric = Rubric.model_validate(body_of(load_rubric(resolve_file(args.rubric)).rubric))
    _, criterion = rubric.criterion(targets[0].criterion)
    check = criterion.check or ""
    params = dict(criterion.params)
    for target in targets:  # a nearest-neighbour block becomes a classifier: mined sentences teach a classifier
        params[target.block] = {**dict(params[target.block]), "model": "linear"}
    items = read_labelled(args.labels)
    if args.leave_writer_out:
        found = leave_writer_out(items, targets, check, params, tuple(args.grid), args.rounds, args.hard,
                                 args.unread_negatives)
        print(json.dumps(found, indent=1))
        return 0
    model = get_check(check).params.model_validate(params)
    out = {}
    for target in targets:
        outside = unread_negatives(items, target, model) if args.unread_negatives else ()
        positive, negative = mine(dict(params[target.block]), labelled_bags(items, target, model), args.rounds,
                                  args.hard, outside)
        out[target.block] = {"positive": positive, "negative": negative}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        for block, found in out.items():
            for name, sentences in found.items():
                print(f"# {block} {name}: {len(sentences)} to add")
                for sentence in sentences:
                    print(f"- {json.dumps(sentence, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
