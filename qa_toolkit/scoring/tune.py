"""Tuning a rubric version from the team's labels (``qa rubric tune``).

The labels, in time order, are split: the first part fits, the rest measures. On the fitting part
the exemplar thresholds are re-calibrated (:func:`qa_toolkit.scoring.calibrate.calibrate`) and
exemplars are added from the disagreements: a sentence the check matched where people said no
becomes a negative of the block it matched; the sentence closest to a block where the check missed
what people saw becomes a positive (or the turn a reviewer pointed at). An addition is kept only
when it raises the fitting part's score by about two labels' worth, and re-calibrated thresholds only
when they raise it by :data:`MIN_GAIN` (smaller gains on a few labels are noise). For speed the search sees at most the newest
:data:`SEARCH_CAP` labels of the fitting part, on a 0.05 grid, one round. Each criterion's F1 and accuracy before and after are then
measured on the held-out part, which tuning never saw. A check with too few labels in the fitting
part is refused, not tuned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from qa_toolkit.rubrics.model import Rubric
from qa_toolkit.scoring import semantic
from qa_toolkit.scoring.calibrate import GRID, MARGINS, _objective, _value, calibrate, exemplar_fields
from qa_toolkit.scoring.checks import get_check
from qa_toolkit.scoring.evaluate import LABELS, evaluate
from qa_toolkit.scoring.view import InteractionView

MIN_LABELS = 20
MAX_CANDIDATES = 4  # per check and direction: each is one more evaluation of the fitting part
SEARCH_CAP = 200  # the search fits on at most this many of the newest labels of the fitting part (speed)
MIN_GAIN = 0.02  # re-calibrated thresholds must raise the fitting part's score by this much, or are not kept

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

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {"criterion": self.criterion, "check": self.check, "label": self.label, "fitted_on": self.fitted_on,
                "held_out": self.held_out, "f1_before": self.before.get("f1"), "f1_after": self.after.get("f1"),
                "accuracy_before": self.before.get("accuracy"), "accuracy_after": self.after.get("accuracy"),
                "thresholds": {k: {"before": b, "after": a} for k, (b, a) in self.thresholds.items() if a != b},
                "exemplars_added": self.added, "refused": self.refused}


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


def _sentence_at(view: InteractionView, turn: int, quote: str | None) -> str | None:
    """The whole sentence of ``turn`` that the (possibly shortened) quote starts, else the turn's first."""
    found = next((t for t in view.turns if t.index == turn), None)
    if found is None:
        return None
    spans = semantic.sentences(found.text)
    head = (quote or "").rstrip("…")
    for s, e in spans:
        if head and found.text[s:e].startswith(head[:40]):
            return found.text[s:e]
    return found.text[spans[0][0]:spans[0][1]] if spans else None


def _candidates(subset: list[Item], check: str, label: str, params: Mapping[str, Any], fields: list[str],
                pointers: Sequence[Pointer], criterion: str) -> list[tuple[str, str, str]]:
    """(field, positive|negative, sentence) additions suggested by the fitting part's disagreements."""
    spec = LABELS[label]
    runner = get_check(check)
    model = runner.params.model_validate(dict(params))
    out: list[tuple[str, str, str]] = []
    wrong_yes: list[tuple[float, tuple[str, str, str]]] = []
    missed: list[tuple[float, tuple[str, str, str]]] = []
    views = {view.external_id: view for view, _ in subset}
    for pointer in pointers:  # what reviewers pointed at comes first
        view = views.get(pointer.interaction)
        if pointer.criterion != criterion or view is None:
            continue
        sentence = _sentence_at(view, pointer.turn, None)
        if sentence:
            out += [(name, "positive" if pointer.positive else "negative", sentence) for name in fields]
    for view, labels in subset:
        expected = labels[label]
        result = runner(view, model)
        predicted = spec.read(result)
        if predicted == expected:
            continue
        if predicted is True and expected is not True:  # matched what people say is not there
            for e in result.evidence:
                note, quote = e.note or "", e.quote
                if e.turn is None or e.similarity is None:
                    continue
                name = next((n for n in fields if any(note == f"like “{x}”" for x in _block(params, n)["positive"])),
                            None)
                sentence = _sentence_at(view, e.turn, quote)
                if name and sentence:
                    wrong_yes.append((e.similarity, (name, "negative", sentence)))
        elif expected is True:  # missed: the sentence closest to any block, as a positive of that block
            best: tuple[float, tuple[str, str, str]] | None = None
            for name in fields:
                hit = semantic.best([t for t in view.turns if t.speaker in ("agent", "customer")],
                                    getattr(model, name))
                if hit is not None and not hit.matched and (best is None or hit.similarity > best[0]):
                    best = (hit.similarity, (name, "positive", hit.sentence))
            if best:
                missed.append(best)
    for group in (wrong_yes, missed):
        group.sort(key=lambda x: -x[0])
        out += [c for _, c in group[:MAX_CANDIDATES]]
    return list(dict.fromkeys(out))


def tune(rubric: Rubric, items: Sequence[Item], *, fit_share: float = 0.6, min_labels: int = MIN_LABELS,
         pointers: Sequence[Pointer] = ()) -> tuple[dict[str, dict[str, Any]], list[Tuned]]:
    """New parameters per criterion key and the report of every automated criterion with a label.

    ``items`` must be in time order (the order the labels were given).
    """
    fit, held = split(items, fit_share)
    semantic.prefetch(t.text for view, _ in items for t in view.turns if t.speaker in ("agent", "customer"))
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
    search = fit[-SEARCH_CAP:]
    fit_allowed = [(v, {k: val for k, val in labels.items() if k in allowed.values()}) for v, labels in search]
    # every other grid point (steps of 0.05), one round: a review-sized label set does not resolve finer steps
    calibrated, _ = calibrate(rubric, [(v, labels) for v, labels in fit_allowed if labels], grid=GRID[::2],
                              margins=MARGINS[::2], rounds=1)
    new_params: dict[str, dict[str, Any]] = {}
    for report in reports:
        if report.criterion not in allowed:
            continue
        _, crit = rubric.criterion(report.criterion)
        label = allowed[report.criterion]
        fields = exemplar_fields(crit.check or "", crit.params)
        subset = [(v, {label: labels[label]}) for v, labels in search if label in labels]
        params = calibrated.get(report.criterion, dict(crit.params))
        score = _objective(subset, report.check, params)
        base = _objective(subset, report.check, crit.params)
        if score < base + MIN_GAIN:  # a gain this small on a few labels is noise: keep what the team has
            params, score = dict(crit.params), base
        for name, polarity, sentence in _candidates(subset, report.check, label, params, fields, pointers,
                                                   report.criterion):
            if sentence in _block(params, name).get(polarity, []):
                continue
            trial = _add(params, name, polarity, sentence)
            trial_score = _objective(subset, report.check, trial)
            if trial_score >= score + 1.0 / len(subset):  # at least about two more labels right
                params, score = trial, trial_score
                report.added.append({"block": name, "as": polarity, "sentence": sentence})
        report.thresholds = {f"{name}.{key}": (_value(crit.params, name, key), _value(params, name, key))
                             for name in fields for key in ("threshold", "margin")}
        held_subset = [(v, {label: labels[label]}) for v, labels in held if label in labels]
        report.after = _measure(held_subset, report.check, params)
        new_params[report.criterion] = params
    return new_params, reports
