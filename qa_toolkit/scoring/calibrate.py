"""Fitting the thresholds of a rubric's exemplars to labelled conversations (``qa rubric calibrate``).

For each automated criterion whose check predicts a label present in the data and whose parameters
carry exemplars, every exemplar block's ``threshold`` and ``margin`` are searched on a grid, one at a
time (two rounds), for the mean of the label's F1 (macro F1 for end sentiment) and accuracy (which
counts "does not apply" too). Ties keep the middle of the best
plateau, the value least sensitive to small changes. Only these numbers change: the sentences are the
team's to write. Fit on a development split and measure on another.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from qa_toolkit.rubrics.model import Rubric
from qa_toolkit.scoring.checks import get_check
from qa_toolkit.scoring.evaluate import LABELS, evaluate
from qa_toolkit.scoring.semantic import Exemplars, prefetch
from qa_toolkit.scoring.view import InteractionView

GRID = tuple(round(0.4 + 0.025 * i, 3) for i in range(19))  # thresholds 0.400 .. 0.850 (below: unrelated text)
MARGINS = tuple(round(0.025 * i, 3) for i in range(9))  # margins 0 .. 0.2


@dataclass
class Fitted:
    """One criterion's calibration: its label, F1 before and after, and the thresholds chosen."""

    criterion: str
    check: str
    label: str
    n: int
    f1_before: float | None
    f1_after: float | None
    thresholds: dict[str, tuple[float, float]] = field(default_factory=dict)  # "field.threshold" -> (before, after)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {"criterion": self.criterion, "check": self.check, "label": self.label, "n": self.n,
                "f1_before": self.f1_before, "f1_after": self.f1_after,
                "thresholds": {k: {"before": b, "after": a} for k, (b, a) in self.thresholds.items()}}


def exemplar_fields(check: str, params: Mapping[str, Any]) -> list[str]:
    """The parameters of ``check`` that hold exemplars in ``params``."""
    model = get_check(check).params.model_validate(dict(params))
    return [name for name in type(model).model_fields if isinstance(getattr(model, name), Exemplars)]


def _objective(items: list[tuple[InteractionView, dict[str, Any]]], check: str, params: Mapping[str, Any]) -> float:
    """The mean of F1 and accuracy: F1 alone ignores "does not apply" (null), accuracy alone the rare class."""
    (report,) = evaluate(items, {check: dict(params)})
    return (float(report.metrics.get("f1") or 0.0) + float(report.metrics.get("accuracy") or 0.0)) / 2


def _f1(items: list[tuple[InteractionView, dict[str, Any]]], check: str, params: Mapping[str, Any]) -> float:
    (report,) = evaluate(items, {check: dict(params)})
    return float(report.metrics.get("f1") or 0.0)


def _with(params: Mapping[str, Any], name: str, key: str, value: float) -> dict[str, Any]:
    block = params[name]
    block = {"positive": block} if isinstance(block, (list, tuple)) else dict(block)
    return {**params, name: {**block, key: value}}


def _value(params: Mapping[str, Any], name: str, key: str = "threshold") -> float:
    block = params[name]
    if isinstance(block, dict) and key in block:
        return float(block[key])
    return float(Exemplars.model_fields[key].default)


def _value_of(params: Mapping[str, Any], name: str, key: str) -> Any:
    block = params[name]
    return block.get(key) if isinstance(block, dict) else None


def _plateau_middle(scores: list[tuple[float, float]]) -> float:
    """The threshold in the middle of the longest run of best scores (the grid in order)."""
    best = max(score for _, score in scores)
    runs: list[list[float]] = [[]]
    for value, score in scores:
        if score >= best - 1e-9:
            runs[-1].append(value)
        elif runs[-1]:
            runs.append([])
    run = max(runs, key=len)
    return run[(len(run) - 1) // 2]


def calibrate(rubric: Rubric, items: Iterable[tuple[InteractionView, Mapping[str, Any]]],
              grid: tuple[float, ...] = GRID, margins: tuple[float, ...] = MARGINS, rounds: int = 2) -> tuple[dict[str, dict[str, Any]], list[Fitted]]:
    """Thresholds and margins fitted to the labels: (criterion key → new params, what was fitted per criterion)."""
    items = list(items)
    prefetch(t.text for view, _ in items for t in view.turns if t.speaker in ("agent", "customer"))
    by_check = {spec.check: name for name, spec in LABELS.items()}
    seen: set[str] = set()
    new_params: dict[str, dict[str, Any]] = {}
    fitted = []
    for _, crit in rubric.criteria():
        if not crit.automated or crit.check is None or crit.check in seen or crit.check not in by_check:
            continue
        seen.add(crit.check)  # the first criterion of a check is the one `qa score eval` reads, too
        label = by_check[crit.check]
        subset = [(view, {label: labels[label]}) for view, labels in items if label in labels]
        fields = exemplar_fields(crit.check, crit.params)
        if not subset or not fields:
            continue
        params = dict(crit.params)
        knobs = [(name, key) for name in fields for key in ("threshold", "margin")
                 if key == "threshold" or _value_of(params, name, "model") != "linear"]  # a classifier has no margin
        before = {f"{name}.{key}": _value(params, name, key) for name, key in knobs}
        f1_before = _f1(subset, crit.check, params)
        for _ in range(rounds):
            for name, key in knobs:
                scores = [(value, _objective(subset, crit.check, _with(params, name, key, value)))
                          for value in (grid if key == "threshold" else margins)]
                params = _with(params, name, key, _plateau_middle(scores))
        f1_after = _f1(subset, crit.check, params)
        if _objective(subset, crit.check, params) < _objective(subset, crit.check, crit.params):  # never worse
            params, f1_after = dict(crit.params), f1_before
        new_params[crit.key] = params
        fitted.append(Fitted(crit.key, crit.check, label, len(subset), round(f1_before, 4), round(f1_after, 4),
                             {k: (before[k], _value(params, *k.split("."))) for k in before}))
    return new_params, fitted


def write_thresholds(source: str, rubric: Rubric, new_params: Mapping[str, Mapping[str, Any]]) -> tuple[str, int]:
    """The rubric text with each changed ``threshold:`` and ``margin:`` value replaced in place (comments and
    layout kept), and how many were changed.

    Raises:
        ValueError: a changed exemplar block has no such line to rewrite.
    """
    import re

    import yaml

    from qa_toolkit.rubrics.loader import _lines

    lines: dict[tuple[Any, ...], tuple[int, int]] = {}
    _lines(yaml.compose(source), (), lines)
    text = source.splitlines(keepends=True)
    changed = 0
    for i, category in enumerate(rubric.categories):
        for j, crit in enumerate(category.criteria):
            if crit.key not in new_params:
                continue
            for name, block in new_params[crit.key].items():
                old = crit.params.get(name)
                for key in ("threshold", "margin"):
                    if not isinstance(block, dict) or key not in block or not isinstance(old, dict) \
                            or old.get(key) == block[key]:
                        continue
                    where = lines.get(("categories", i, "criteria", j, "params", name, key))
                    if where is None:
                        raise ValueError(f"{crit.key}: params.{name} has no `{key}:` line to rewrite")
                    row = where[1] - 1
                    text[row] = re.sub(rf"({key}:\s*)[-+0-9.eE]+", rf"\g<1>{block[key]:g}", text[row], count=1)
                    changed += 1
    return "".join(text), changed
