"""What a reviewer scores: a rubric's criteria with their scales, and a reviewer's scoresheet.

:class:`ReviewCriterion` is the reviewer's view of one criterion (question, guidance, scale points,
N/A allowed, mode). :func:`validate` checks a scoresheet against the criteria — unknown criterion
(with the closest valid key), a value off the scale, N/A where it is not allowed, a manual criterion
left unscored — the same rules for the terminal session and ``qa review submit``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Literal

from qa_toolkit.errors import QAError

NA = "na"
Value = float | Literal["na"]


@dataclass(frozen=True)
class ScalePoint:
    """One point of a scale: its numeric value and the label shown to reviewers."""

    value: float
    label: str


@dataclass(frozen=True)
class ReviewCriterion:
    """One criterion as a reviewer sees it."""

    key: str
    category: str
    question: str
    points: tuple[ScalePoint, ...]
    guidance: str = ""
    allow_na: bool = False
    mode: str = "manual"
    critical: bool = False
    weight: float = 1.0

    @property
    def minimum(self) -> float:
        return min(p.value for p in self.points)

    @property
    def maximum(self) -> float:
        return max(p.value for p in self.points)

    @property
    def level(self) -> Literal["nominal", "ordinal", "interval"]:
        """Level of measurement for agreement statistics: binary → nominal, 0–10 style → interval."""
        if len(self.points) <= 2:
            return "nominal"
        return "interval" if len(self.points) >= 7 else "ordinal"

    def label_of(self, value: float | None) -> str:
        """The label of a value (``N/A`` for None)."""
        if value is None:
            return "N/A"
        return next((p.label for p in self.points if p.value == value), f"{value:g}")

    def parse(self, raw: Any) -> Value:
        """A raw value (number, label, ``na``) as a scale value or ``"na"``.

        Raises:
            QAError: off the scale, or N/A where not allowed (the message names the allowed values).
        """
        if raw is None or (isinstance(raw, str) and raw.strip().lower() in ("na", "n/a")):
            if not self.allow_na:
                raise QAError(f"criterion {self.key!r} does not allow N/A")
            return NA
        if isinstance(raw, bool):  # YAML reads yes/no as booleans
            raw = "yes" if raw else "no"
            if raw not in {p.label.lower() for p in self.points}:
                raw = 1.0 if raw == "yes" else 0.0
        if isinstance(raw, str):
            by_label = {p.label.lower(): p.value for p in self.points}
            if raw.strip().lower() in by_label:
                return by_label[raw.strip().lower()]
            try:
                raw = float(raw)
            except ValueError:
                raise QAError(f"criterion {self.key!r}: {raw!r} is not on its scale ({self.scale_text()})") from None
        if not isinstance(raw, int | float) or float(raw) not in {p.value for p in self.points}:
            raise QAError(f"criterion {self.key!r}: {raw!r} is not on its scale ({self.scale_text()})")
        return float(raw)

    def scale_text(self) -> str:
        """The scale as reviewers read it, e.g. ``1=poor, 2=fair, 3=good``."""
        return ", ".join(f"{p.value:g}={p.label}" if p.label != f"{p.value:g}" else f"{p.value:g}" for p in self.points)


FEEDBACK = ("wrong_verdict", "wrong_evidence", "missing_evidence")


@dataclass
class Scoresheet:
    """A reviewer's scores (``"na"`` for N/A), a comment per criterion, an overall comment, and feedback on
    the automated verdicts: criterion key → {``wrong_verdict``: True, ``wrong_evidence``: True,
    ``missing_evidence``: turn index}."""

    values: dict[str, Value] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    comment: str | None = None
    feedback: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain data (what drafts store)."""
        return {"values": dict(self.values), "comments": dict(self.comments), "comment": self.comment,
                "feedback": {k: dict(v) for k, v in self.feedback.items()}}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Scoresheet:
        """Back from :meth:`as_dict` (an empty sheet for None)."""
        data = data or {}
        feedback = {str(k): dict(v) for k, v in (data.get("feedback") or {}).items() if isinstance(v, dict)}
        return cls(dict(data.get("values") or {}), dict(data.get("comments") or {}), data.get("comment"), feedback)

    def toggle(self, key: str, kind: str, value: Any = True) -> bool:
        """Set (or, when already so, clear) one kind of feedback on criterion ``key``; whether it is now set."""
        marks = self.feedback.setdefault(key, {})
        if marks.get(kind) == value:
            del marks[kind]
        else:
            marks[kind] = value
        if not marks:
            del self.feedback[key]
        return kind in self.feedback.get(key, {})


def closest(key: str, keys: list[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest key, or nothing."""
    match = difflib.get_close_matches(key, keys, n=1)
    return f" (did you mean {match[0]!r}?)" if match else ""


def validate(raw: dict[str, Any], criteria: list[ReviewCriterion], *, comments: dict[str, Any] | None = None,
             comment: str | None = None, required: set[str] | None = None) -> Scoresheet:
    """Check raw scores against the criteria and return a clean scoresheet.

    Args:
        raw: criterion key → number, label, or ``na``.
        criteria: the rubric's criteria.
        comments: criterion key → comment.
        comment: the overall comment.
        required: keys that must be scored (by default the ``manual`` criteria).

    Raises:
        QAError: the first problem found: unknown criterion, off-scale value, N/A not allowed, missing score.
    """
    by_key = {c.key: c for c in criteria}
    keys = list(by_key)
    sheet = Scoresheet(comment=comment)
    for key, value in raw.items():
        if key not in by_key:
            raise QAError(f"unknown criterion {key!r}{closest(str(key), keys)}")
        sheet.values[key] = by_key[key].parse(value)
    for key, text in (comments or {}).items():
        if key not in by_key:
            raise QAError(f"comment for unknown criterion {key!r}{closest(str(key), keys)}")
        if text:
            sheet.comments[key] = str(text)
    needed = required if required is not None else {c.key for c in criteria if c.mode == "manual"}
    missing = [c.key for c in criteria if c.key in needed and c.key not in sheet.values]
    if missing:
        raise QAError(f"criterion {missing[0]!r} is not scored: give it a value on its scale "
                      f"({by_key[missing[0]].scale_text()}){' or na' if by_key[missing[0]].allow_na else ''}")
    return sheet
