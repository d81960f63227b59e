"""Tuning a rubric version from the team's labels (``qa rubric tune``).

The labels, in time order, are split: the first part teaches, the rest measures (tuning never sees it).
On the teaching part, per check:

1. Thresholds and margins are re-calibrated (:func:`qa_toolkit.scoring.calibrate.calibrate`) on its older
   labels (the newest :data:`CALIBRATION_CAP` of them) and kept only when they also get at least :data:`MIN_NET` more of its newest labels right (the newest
   :data:`VALIDATION_SHARE`, an internal validation split): a re-fit that only fits its own labels is noise.
2. Exemplars are learnt from the disagreements: the turns reviewers pointed at; in the interactions the
   check got wrong, each sentence a block matched (as a negative of that block) or read without a match (as
   a positive), the most promising first (close to other wrong verdicts labelled alike, far from right ones
   labelled otherwise). A sentence is kept only when, with the interaction it came from left out (it always
   fixes that one, which proves nothing), it raises the score and gets at least :data:`MIN_NET` more teaching
   labels right than it loses, or one more and loses none; a turn a reviewer pointed at only must not cost
   more labels than it fixes.

Each check's F1 and accuracy before and after are then measured on the held-out part (newer interactions than
any it learnt from), and a check's tuning is kept only when it does not lower that F1 (nor, at the same F1, the
accuracy): otherwise the check stays as it was and the report says what the rejected tuning would have given.
The held-out figure of a kept tuning has thus been looked at once (keep or not); measure a published version on
still newer labels for a figure nothing chose. A check with too few labels in the teaching part is refused, not
tuned. For speed every sentence is embedded once (in one batch)
and a candidate sentence re-runs the check only on the interactions where some sentence is close enough to
it to change a match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qa_toolkit.rubrics.model import Rubric
from qa_toolkit.scoring import semantic
from qa_toolkit.scoring.calibrate import GRID, MARGINS, _value, calibrate, exemplar_fields
from qa_toolkit.scoring.checks import get_check
from qa_toolkit.scoring.evaluate import LABELS, binary_metrics, category_metrics, evaluate
from qa_toolkit.scoring.view import InteractionView

MIN_LABELS = 20
VALIDATION_SHARE = 1 / 3  # the newest third of the teaching labels validates re-calibrated thresholds
MIN_NET = 2  # a change must get this many more labels right that it did not come from (one may be chance)
PER_BLOCK = 24  # candidates tried per block and polarity, the most promising first
LINEAR_NEAR = 0.5  # for a classifier block, what counts as close to a candidate when guessing its promise
CALIBRATION_CAP = 150  # thresholds are re-fitted on at most the newest this many older labels (two numbers a block)

Item = tuple[InteractionView, dict[str, Any]]


@dataclass(frozen=True)
class Pointer:
    """A turn a reviewer pointed at: it holds the missing evidence (``positive``) or is wrong evidence."""

    interaction: str
    criterion: str
    turn: int
    positive: bool


@dataclass
class Tuned:
    """One criterion's tuning: labels used, held-out F1 and accuracy before and after, what changed."""

    criterion: str
    check: str
    label: str
    fitted_on: int = 0
    held_out: int = 0
    before: dict[str, float | None] = field(default_factory=dict)
    after: dict[str, float | None] = field(default_factory=dict)
    thresholds: dict[str, tuple[float, float]] = field(default_factory=dict)
    added: list[dict[str, str]] = field(default_factory=list)
    refused: str | None = None
    rejected: dict[str, Any] | None = None  # a tuning the held-out labels refused: what it would have been

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {"criterion": self.criterion, "check": self.check, "label": self.label, "fitted_on": self.fitted_on,
                "held_out": self.held_out, "f1_before": self.before.get("f1"), "f1_after": self.after.get("f1"),
                "accuracy_before": self.before.get("accuracy"), "accuracy_after": self.after.get("accuracy"),
                "thresholds": {k: {"before": b, "after": a} for k, (b, a) in self.thresholds.items() if a != b},
                "exemplars_added": self.added, "refused": self.refused, "rejected": self.rejected}


def worse(after: Mapping[str, float | None], before: Mapping[str, float | None]) -> bool:
    """Whether held-out figures ``after`` a tuning are worse than ``before``: a lower F1, or the same F1 and a
    lower accuracy (a missing F1, no true label found or labelled, counts as 0)."""
    f1_after, f1_before = after.get("f1") or 0.0, before.get("f1") or 0.0
    if f1_after != f1_before:
        return f1_after < f1_before
    return (after.get("accuracy") or 0.0) < (before.get("accuracy") or 0.0)


@dataclass(frozen=True)
class _Candidate:
    block: str
    polarity: str  # positive | negative
    sentence: str
    source: int  # the interaction (index in the teaching labels) it came from
    similarity: float
    pointed: bool = False  # a turn a reviewer pointed at


def split(items: Sequence[Item], fit_share: float = 0.6) -> tuple[list[Item], list[Item]]:
    """The first ``fit_share`` of time-ordered items and the rest."""
    cut = int(round(len(items) * fit_share))
    return list(items[:cut]), list(items[cut:])


def _measure(items: list[Item], check: str, params: Mapping[str, Any]) -> dict[str, float | None]:
    if not items:
        return {"f1": None, "accuracy": None}
    (report,) = evaluate(items, {check: dict(params)})
    return {"f1": report.metrics.get("f1"), "accuracy": report.metrics.get("accuracy")}


def _block(params: Mapping[str, Any], name: str) -> dict[str, Any]:
    block = params[name]
    return {"positive": list(block)} if isinstance(block, (list, tuple)) else dict(block)


def _add(params: Mapping[str, Any], name: str, polarity: str, sentence: str) -> dict[str, Any]:
    block = _block(params, name)
    return {**params, name: {**block, polarity: [*block.get(polarity, []), sentence]}}


def _sentence_at(view: InteractionView, turn: int) -> str | None:
    """The first sentence of ``turn`` (None when the interaction has no such turn)."""
    found = next((t for t in view.turns if t.index == turn), None)
    spans = semantic.sentences(found.text) if found is not None else []
    return found.text[spans[0][0]:spans[0][1]] if found is not None and spans else None


class _Labels:
    """One check on labelled interactions: its verdicts under given parameters, scored against the labels, and
    re-run only where a new exemplar can change a match (every sentence embedded once)."""

    def __init__(self, items: Sequence[tuple[InteractionView, Any]], check: str, label: str) -> None:
        self.views = [view for view, _ in items]
        self.expected = [expected for _, expected in items]
        self.spec = LABELS[label]
        self.runner = get_check(check)
        owner, texts = [], []
        for i, view in enumerate(self.views):
            for turn in view.turns:
                for s, e in semantic.sentences(turn.text):
                    owner.append(i)
                    texts.append(turn.text[s:e])
        self.owner = np.array(owner, dtype=np.int64)
        self.matrix = semantic.encoder().embed(texts) if texts else np.zeros((0, 384), dtype=np.float32)

    def run(self, params: Mapping[str, Any], indices: Sequence[int] | None = None,
            verdicts: list[Any] | None = None) -> list[Any]:
        """The check's reading of each interaction (only ``indices`` re-run, the rest taken from ``verdicts``)."""
        model = self.runner.params.model_validate(dict(params))
        out = list(verdicts) if verdicts is not None else [None] * len(self.views)
        for i in range(len(self.views)) if indices is None else indices:
            out[i] = self.spec.read(self.runner(self.views[i], model))
        return out

    def score(self, verdicts: Sequence[Any], leave_out: int | None = None) -> tuple[float, int]:
        """The mean of F1 and accuracy (as :func:`calibrate` fits) and how many are right."""
        pairs = [(e, verdicts[i]) for i, e in enumerate(self.expected) if i != leave_out]
        metrics = binary_metrics(pairs) if self.spec.kind == "binary" else category_metrics(pairs)
        objective = (float(metrics.get("f1") or 0.0) + float(metrics.get("accuracy") or 0.0)) / 2
        return objective, sum(1 for e, p in pairs if e == p)

    def changed(self, before: Sequence[Any], after: Sequence[Any], leave_out: int) -> tuple[int, int]:
        """How many verdicts became right and how many became wrong (``leave_out`` not counted)."""
        fixed = broken = 0
        for i, e in enumerate(self.expected):
            if i != leave_out and before[i] != after[i]:
                fixed += after[i] == e
                broken += before[i] == e
        return fixed, broken

    def touched(self, vector: np.ndarray, bound: float) -> list[int]:
        """The interactions with a sentence at least ``bound`` similar to ``vector``."""
        if not len(self.owner):
            return []
        return sorted(set(self.owner[self.matrix @ vector >= bound - 1e-6].tolist()))

    def flipped(self, before: semantic.Exemplars, after: semantic.Exemplars) -> list[int]:
        """For a classifier block (``model: linear``), the interactions with a sentence whose match changes
        between the two classifiers: the only ones whose verdict a re-fit can change (all sentences at once)."""
        if not len(self.owner):
            return []
        (w0, b0), (w1, b1) = semantic.classifier(before), semantic.classifier(after)
        # p >= t  <=>  logit >= log(t / (1 - t)): no exponentials needed
        t = min(max(after.threshold, 1e-6), 1 - 1e-6)
        cut = float(np.log(t / (1 - t)))
        old, new = self.matrix @ w0 + b0, self.matrix @ w1 + b1
        changed = ((old >= cut) != (new >= cut)) | (np.abs(new - cut) < 1e-4)  # a hair from the cut: re-run it
        return sorted(set(self.owner[changed].tolist()))

    def promise(self, vectors: np.ndarray, bounds: Sequence[float], sources: Sequence[int],
                verdicts: Sequence[Any]) -> list[int]:
        """For each candidate sentence, a cheap guess of what it would fix, before the check is re-run: the other
        interactions it comes close to (``bounds``) that are wrong and labelled like its source, less the ones
        that are right and labelled otherwise."""
        if not len(self.owner):
            return [0] * len(sources)
        starts = np.flatnonzero(np.r_[True, self.owner[1:] != self.owner[:-1]])
        items = self.owner[starts]
        close = np.maximum.reduceat(self.matrix @ vectors.T >= np.asarray(bounds) - 1e-6, starts, axis=0)
        expected = np.array([repr(e) for e in self.expected], dtype=object)[items]
        right = np.array([e == p for e, p in zip(self.expected, verdicts)])[items]
        out = []
        for k, source in enumerate(sources):
            alike = expected == repr(self.expected[source])
            near = close[:, k] & (items != source)
            out.append(int((near & alike & ~right).sum() - (near & ~alike & right).sum()))
        return out

    def read(self, params: Mapping[str, Any], fields: list[str], indices: Sequence[int]) -> list[
            tuple[int, str, semantic.Hit]]:
        """(interaction, block, hit) for every sentence a block read in the interactions ``indices``."""
        model = self.runner.params.model_validate(dict(params))
        blocks = {id(getattr(model, name)): name for name in fields if getattr(model, name) is not None}
        out = []
        for i in indices:
            with semantic.reading() as log:
                self.runner(self.views[i], model)
            out += [(i, blocks[id(exemplars)], hit) for exemplars, hit in log if id(exemplars) in blocks]
        return out


def _candidates(labels: _Labels, params: Mapping[str, Any], fields: list[str], verdicts: list[Any],
                pointers: Sequence[Pointer], criterion: str) -> list[_Candidate]:
    """Sentences the teaching labels suggest: the turns reviewers pointed at first; then, from the interactions
    the check got wrong, each sentence a block matched (as a negative) or read without a match (as a positive),
    the most promising first: the ones close to other wrong verdicts of the same label and far from right ones."""
    out: list[_Candidate] = []
    index = {view.external_id: i for i, view in enumerate(labels.views)}
    for pointer in pointers:
        i = index.get(pointer.interaction)
        sentence = _sentence_at(labels.views[i], pointer.turn) if pointer.criterion == criterion and i is not None \
            else None
        if sentence:
            out += [_Candidate(name, "positive" if pointer.positive else "negative", sentence, i, 1.0, True)
                    for name in fields]
    wrong = [i for i, (e, p) in enumerate(zip(labels.expected, verdicts)) if e != p]
    pool = list({(block, not hit.matched, hit.sentence): (i, block, hit)
                 for i, block, hit in labels.read(params, fields, wrong)}.values())
    if pool:
        vectors = semantic.encoder().embed([hit.sentence for _, _, hit in pool])
        promise = labels.promise(vectors, [max(LINEAR_NEAR, _bound(params, block, hit.matched))
                                           for _, block, hit in pool],
                                 [i for i, _, _ in pool], verdicts)
        found: dict[tuple[str, str], list[tuple[float, _Candidate]]] = defaultdict(list)
        for (i, block, hit), score in zip(pool, promise):
            polarity = "negative" if hit.matched else "positive"
            found[(block, polarity)].append((score, _Candidate(block, polarity, hit.sentence, i, hit.similarity)))
        ranked = [(score, c) for group in found.values()
                  for score, c in sorted(group, key=lambda x: (-x[0], -x[1].similarity))[:PER_BLOCK] if score > 0]
        out += [c for _, c in sorted(ranked, key=lambda x: (-x[0], -x[1].similarity))]
    seen: set[tuple[str, str, str]] = set()
    return [c for c in out if (c.block, c.polarity, c.sentence) not in seen
            and not seen.add((c.block, c.polarity, c.sentence))]  # type: ignore[func-returns-value]


def _bound(params: Mapping[str, Any], block: str, negative: bool) -> float:
    """The similarity to a new exemplar from which a sentence's match can change (a positive: the threshold;
    a negative: the threshold less the margin). A ``model: linear`` block is re-fitted on every new sentence,
    which can change any match: -1 (every interaction is re-run)."""
    if _block(params, block).get("model") == "linear":
        return -1.0
    bound = _value(params, block, "threshold")
    return bound - _value(params, block, "margin") if negative else bound


def _learn(labels: _Labels, params: dict[str, Any], fields: list[str], pointers: Sequence[Pointer],
           criterion: str) -> tuple[dict[str, Any], list[dict[str, str]]]:
    """Exemplars added one at a time, each kept only when it clears the noise guard (see the module doc)."""
    verdicts = labels.run(params)
    candidates = _candidates(labels, params, fields, verdicts, pointers, criterion)
    vectors = semantic.encoder().embed([c.sentence for c in candidates]) if candidates else []
    added: list[dict[str, str]] = []
    for candidate, vector in zip(candidates, vectors):
        if candidate.sentence in _block(params, candidate.block).get(candidate.polarity, []):
            continue
        trial = _add(params, candidate.block, candidate.polarity, candidate.sentence)
        if _block(params, candidate.block).get("model") == "linear":  # a re-fitted classifier: exact, at once
            touched = labels.flipped(semantic.Exemplars.model_validate(_block(params, candidate.block)),
                                     semantic.Exemplars.model_validate(_block(trial, candidate.block)))
        else:
            touched = labels.touched(vector, _bound(params, candidate.block, candidate.polarity == "negative"))
        if not touched:
            continue
        after = labels.run(trial, touched, verdicts)
        old, new = labels.score(verdicts, candidate.source)[0], labels.score(after, candidate.source)[0]
        fixed, broken = labels.changed(verdicts, after, candidate.source)
        if candidate.pointed:
            keep = broken <= fixed and new >= old and labels.score(after)[0] > labels.score(verdicts)[0]
        else:  # two more right, or one more and none lost
            keep = new > old and (fixed - broken >= MIN_NET or fixed >= 1 and broken == 0)
        if keep:
            params, verdicts = trial, after
            added.append({"block": candidate.block, "as": candidate.polarity, "sentence": candidate.sentence})
    return params, added


def tune(rubric: Rubric, items: Sequence[Item], *, fit_share: float = 0.6, min_labels: int = MIN_LABELS,
         pointers: Sequence[Pointer] = (), guard: bool = True) -> tuple[dict[str, dict[str, Any]], list[Tuned]]:
    """New parameters per criterion key and the report of every automated criterion with a label.

    ``items`` must be in time order (the order the labels were given). With ``guard`` (the default) a check's
    tuning is kept only when it does not make the check worse on the held-out labels (see :func:`worse`);
    otherwise the check stays as it was and ``rejected`` says what the tuning would have given.
    """
    fit, held = split(items, fit_share)
    semantic.prefetch(t.text for view, _ in items for t in view.turns)  # every sentence, in one batch
    by_check = {spec.check: name for name, spec in LABELS.items()}
    reports: list[Tuned] = []
    allowed: dict[str, str] = {}
    seen: set[str] = set()
    for _, crit in rubric.criteria():
        if not crit.automated or crit.check is None or crit.check in seen or crit.check not in by_check:
            continue
        seen.add(crit.check)
        label = by_check[crit.check]
        report = Tuned(crit.key, crit.check, label)
        report.fitted_on = sum(1 for _, labels in fit if label in labels)
        report.held_out = sum(1 for _, labels in held if label in labels)
        if not report.fitted_on and not report.held_out:
            continue
        reports.append(report)
        if LABELS[label].kind not in ("binary", "category"):
            report.refused = "nothing to tune (no exemplars in a measured check)"
        elif not exemplar_fields(crit.check, crit.params):
            report.refused = "no exemplars to tune (phrases only)"
        elif report.fitted_on < min_labels:
            report.refused = f"too few labels to tune: {report.fitted_on} in the fitting part, {min_labels} needed"
        elif report.held_out == 0:
            report.refused = "no held-out labels to measure on"
        else:
            allowed[crit.key] = label
        held_subset = [(v, {label: labels[label]}) for v, labels in held if label in labels]
        report.before = _measure(held_subset, crit.check, crit.params)
        report.after = dict(report.before)
    cut = len(fit) - int(round(len(fit) * VALIDATION_SHARE))
    older = [(v, {k: val for k, val in labels.items() if k in allowed.values()}) for v, labels in fit[:cut]]
    # every other grid point (steps of 0.05), one round: a review-sized label set does not resolve finer steps
    calibrated, _ = calibrate(rubric, [(v, labels) for v, labels in older if labels][-CALIBRATION_CAP:], grid=GRID[::2],
                              margins=MARGINS[::2], rounds=1)
    new_params: dict[str, dict[str, Any]] = {}
    for report in reports:
        if report.criterion not in allowed:
            continue
        _, crit = rubric.criterion(report.criterion)
        label = allowed[report.criterion]
        fields = exemplar_fields(crit.check or "", crit.params)
        params = dict(crit.params)
        newest = _Labels([(v, labels[label]) for v, labels in fit[cut:] if label in labels], report.check, label)
        refit = calibrated.get(report.criterion)
        if refit is not None and newest.views:
            (base, base_right), (score, right) = newest.score(newest.run(params)), newest.score(newest.run(refit))
            if right - base_right >= MIN_NET and score > base:  # the newest labels agree: not noise
                params = dict(refit)
        teaching = _Labels([(v, labels[label]) for v, labels in fit if label in labels], report.check, label)
        learnable = [name for name in fields if _block(params, name).get("model") != "trained"]  # a file's weights
        params, report.added = _learn(teaching, params, learnable, pointers, report.criterion)
        report.thresholds = {f"{name}.{key}": (_value(crit.params, name, key), _value(params, name, key))
                             for name in fields for key in ("threshold", "margin")}
        held_subset = [(v, {label: labels[label]}) for v, labels in held if label in labels]
        after = _measure(held_subset, report.check, params)
        if guard and worse(after, report.before):  # newer labels than it learnt from say no: keep the check
            report.rejected = {"f1": after.get("f1"), "accuracy": after.get("accuracy"), "exemplars": report.added,
                               "thresholds": {k: {"before": b, "after": a} for k, (b, a) in report.thresholds.items()
                                              if a != b}}
            report.added, report.thresholds = [], {}
            continue
        report.after = after
        new_params[report.criterion] = params
    return new_params, reports
