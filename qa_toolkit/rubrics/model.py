"""Rubric files as pydantic v2 models: categories with weights, criteria with scales, N/A, critical items,
the automated check each criterion uses, and the training modules to recommend when it fails."""

from __future__ import annotations

import difflib
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_serializer, model_validator

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*$", max_length=200)]
Channel = Literal["call", "chat", "email"]
PRESET_SCALES: dict[str, tuple[float, float, dict[float, str]]] = {
    "binary": (0, 1, {0: "no", 1: "yes"}),
    "1-3": (1, 3, {}),
    "1-5": (1, 5, {}),
    "0-10": (0, 10, {}),
}


def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Strict):
    """A scale: its minimum and maximum, and optional labels for its points (custom labelled scales)."""

    min: float
    max: float
    labels: dict[float, str] = Field(default_factory=dict)
    preset: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_spec(cls, data: Any) -> Any:
        if isinstance(data, str):
            if data not in PRESET_SCALES:
                raise ValueError(f"unknown scale {data!r}{suggest(data, list(PRESET_SCALES))}; use one of "
                                 f"{', '.join(PRESET_SCALES)} or {{points: {{0: label, 1: label, ...}}}}")
            lo, hi, labels = PRESET_SCALES[data]
            return {"min": lo, "max": hi, "labels": labels, "preset": data}
        if isinstance(data, dict) and "points" in data:
            points = data["points"]
            if not isinstance(points, dict) or len(points) < 2:
                raise ValueError("points needs at least two `value: label` entries")
            try:
                labels = {float(k): str(v) for k, v in points.items()}
            except (TypeError, ValueError):
                raise ValueError("points keys must be numbers, e.g. {0: missed, 1: partly, 2: done}") from None
            rest = {k: v for k, v in data.items() if k != "points"}
            return {"min": min(labels), "max": max(labels), "labels": labels, **rest}
        return data

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.max <= self.min:
            raise ValueError(f"scale max ({self.max:g}) must be greater than min ({self.min:g})")
        return self

    def allows(self, value: float) -> bool:
        """Whether ``value`` is a point of this scale (a label, or within min–max when unlabelled)."""
        if self.labels:
            return float(value) in self.labels
        return self.min <= value <= self.max

    def describe(self) -> str:
        """``binary``, ``1-5`` or the labelled points, for people."""
        if self.preset:
            return self.preset
        if self.labels:
            return ", ".join(f"{k:g}={v}" for k, v in sorted(self.labels.items()))
        return f"{self.min:g}-{self.max:g}"


class Criterion(_Strict):
    """One question on the scorecard."""

    key: Key
    question: str
    guidance: str = ""
    scale: Scale = Field(default_factory=lambda: Scale.model_validate("binary"))
    weight: float = Field(default=1.0, ge=0)
    allow_na: bool = False
    critical: Literal["none", "fail_all", "fail_section"] = "none"
    critical_threshold: float = Field(default=50.0, ge=0, le=100)
    bonus: float = Field(default=0.0, ge=0, le=100)
    mode: Literal["auto", "manual", "auto_then_review"] | None = None
    check: str | None = None
    params: dict[str, Any] = Field(default_factory=dict)
    training: list[str] = Field(default_factory=list)

    @field_validator("critical", mode="before")
    @classmethod
    def _critical_bool(cls, value: Any) -> Any:
        if value is True:
            return "fail_all"
        if value is False or value is None:
            return "none"
        return value

    @field_validator("check")
    @classmethod
    def _known_check(cls, value: str | None) -> str | None:
        if value is None:
            return value
        from qa_toolkit.scoring.checks import check_names

        names = check_names()
        if value not in names:
            raise ValueError(f"unknown check {value!r}{suggest(value, names)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Criterion:
        if self.mode is None:
            object.__setattr__(self, "mode", "auto" if self.check else "manual")
        if self.mode in ("auto", "auto_then_review") and not self.check:
            raise ValueError(f"mode {self.mode} needs a `check` (one of the automated checks)")
        if self.bonus and self.critical != "none":
            raise ValueError("a bonus criterion cannot also be critical")
        return self

    @property
    def automated(self) -> bool:
        """Whether the automated scoring fills this criterion in."""
        return self.mode in ("auto", "auto_then_review")


class Category(_Strict):
    """A group of criteria (empathy, accuracy, resolution, compliance, ...) with its weight."""

    key: Key
    name: str | None = None
    description: str = ""
    weight: float = Field(default=1.0, ge=0)
    criteria: list[Criterion] = Field(min_length=1)


class Measured(_Strict):
    """How a tuned version's checks were measured (``qa rubric tune``): the labels, the window of time they
    were given in, how many fitted and how many measured, and each criterion's held-out F1 and accuracy."""

    labels: str
    window: tuple[str, str] | None = None
    fitted_on: int = Field(default=0, ge=0)
    held_out: int = Field(default=0, ge=0)
    criteria: dict[str, dict[str, float | int | None]] = Field(default_factory=dict)


class Rubric(_Strict):
    """A scorecard: which channels (and optionally queues) it applies to and its weighted categories."""

    name: Key
    title: str | None = None
    description: str = ""
    channels: list[Channel] = Field(min_length=1)
    queues: list[str] = Field(default_factory=list)
    pass_mark: float = Field(default=80.0, ge=0, le=100)
    categories: list[Category] = Field(min_length=1)
    measured: Measured | None = None

    @model_serializer(mode="wrap")
    def _without_unmeasured(self, handler: Any) -> Any:
        """No ``measured: null`` in the stored body, so rubrics without it keep their content hash."""
        data = handler(self)
        if isinstance(data, dict) and data.get("measured") is None:
            data.pop("measured", None)
        return data

    @model_validator(mode="after")
    def _unique_keys(self) -> Rubric:
        seen: set[str] = set()
        for category in self.categories:
            if category.key in seen:
                raise ValueError(f"category key {category.key!r} is used twice")
            seen.add(category.key)
        keys: set[str] = set()
        for category in self.categories:
            for criterion in category.criteria:
                if criterion.key in keys:
                    raise ValueError(f"criterion key {criterion.key!r} is used twice")
                keys.add(criterion.key)
        return self

    def criteria(self) -> list[tuple[Category, Criterion]]:
        """Every criterion with its category, in file order."""
        return [(cat, crit) for cat in self.categories for crit in cat.criteria]

    def criterion(self, key: str) -> tuple[Category, Criterion]:
        """The criterion ``key`` with its category.

        Raises:
            KeyError: no such criterion.
        """
        for cat, crit in self.criteria():
            if crit.key == key:
                return cat, crit
        raise KeyError(key)

    def applies_to(self, channel: str, queue: str | None = None) -> bool:
        """Whether interactions of this channel (and queue) are scored with this rubric."""
        return channel in self.channels and (not self.queues or queue in self.queues)

    def training_for(self, key: str) -> list[str]:
        """The training modules recommended when criterion ``key`` fails."""
        return list(self.criterion(key)[1].training)
