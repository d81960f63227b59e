"""Automated checks, registered by name: each is a pure function of an interaction view and params.

A check family is a module with ``register_checks(register)``; it calls
``register(name, function, params_model, description)`` once per check, exactly as plugins do
(entry point group ``qa_toolkit.checks``). A check returns a :class:`CheckResult`: pass / fail /
not applicable, evidence (turns, quotes, timings), a confidence, and any measured numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from qa_toolkit.scoring.view import InteractionView, TurnView

Status = Literal["pass", "fail", "na"]
FAMILIES = ("phrases", "ordering", "empathy", "resolution", "accuracy", "timing", "compliance", "llm")


class Params(BaseModel):
    """Base of every check's parameters: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a check decided: a turn, the words quoted from it, timings, a note, and for a semantic match
    the cosine similarity to the closest exemplar."""

    turn: int | None = None
    speaker: str | None = None
    quote: str | None = None
    at_s: float | None = None
    note: str | None = None
    similarity: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain data without empty fields."""
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}


@dataclass(frozen=True, slots=True)
class CheckResult:
    """A check's verdict with its evidence, confidence (0–1) and measured values."""

    status: Status
    message: str
    evidence: tuple[Evidence, ...] = ()
    confidence: float = 1.0
    measures: dict[str, Any] = field(default_factory=dict)


def quote(turn: TurnView, start: int = 0, end: int | None = None, *, width: int = 80) -> Evidence:
    """Evidence quoting ``turn.text[start:end]`` (shortened to ``width`` characters)."""
    text = turn.text[start:end] if end is not None else turn.text
    text = text if len(text) <= width else text[: width - 1] + "…"
    return Evidence(turn=turn.index, speaker=turn.speaker, quote=text, at_s=turn.start_s)


@lru_cache(maxsize=256)
def _joined(regexes: tuple[str, ...], spoken: tuple[str, ...]) -> tuple[str, ...]:
    return regexes + spoken  # the same tuple each time, so the compiled pattern is found by identity


def on_channel(view: InteractionView, regexes: tuple[str, ...], spoken: tuple[str, ...]) -> tuple[str, ...]:
    """``regexes``, and on a call also ``spoken``: the same cues as speech recognition writes them (a small word
    misheard, "they'll" heard as "may", "phone" as "bone"), which a typed chat never needs."""
    return _joined(regexes, spoken) if spoken and view.channel == "call" else regexes


CheckFunction = Callable[[InteractionView, Any], CheckResult]


@dataclass(frozen=True, slots=True)
class Check:
    """A registered check: its name, function, parameter model and one-line description."""

    name: str
    function: CheckFunction
    params: type[Params]
    description: str

    def __call__(self, view: InteractionView, params: Params | dict[str, Any] | None = None) -> CheckResult:
        if not isinstance(params, Params):
            params = self.params.model_validate(params or {})
        return self.function(view, params)


_REGISTRY: dict[str, Check] = {}


def register(name: str, function: CheckFunction, params: type[Params], description: str) -> None:
    """Register a check under ``name`` (the name rubrics use in ``check:``)."""
    _REGISTRY[name] = Check(name, function, params, description)


def _load() -> dict[str, Check]:
    if not _REGISTRY:
        for family in FAMILIES:
            import_module(f"{__name__}.{family}").register_checks(register)
        for entry in entry_points(group="qa_toolkit.checks"):
            entry.load()(register)
    return _REGISTRY


def get_check(name: str) -> Check:
    """The check registered as ``name``.

    Raises:
        KeyError: no such check (use :func:`check_names` to suggest one).
    """
    return _load()[name]


def check_names() -> list[str]:
    """Every registered check name, sorted."""
    return sorted(_load())
