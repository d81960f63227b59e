"""What checks read: a plain, immutable view of one interaction (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


OPENING_TURNS = 2  # a call's turns on the agent's line before the customer speaks that can be its opening


@dataclass(frozen=True, slots=True)
class TurnView:
    """One turn: its position, who spoke, when (seconds from the start and/or a timestamp) and what."""

    index: int
    speaker: str
    text: str
    start_s: float | None = None
    end_s: float | None = None
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """A piece of personal data found in a turn (offsets into that turn's original text)."""

    type: str
    turn: int
    start: int
    end: int
    speaker: str
    text: str | None = None


@dataclass(frozen=True, slots=True)
class ContactRef:
    """Another interaction of the same customer (for first-contact resolution)."""

    external_id: str
    started_at: datetime | None
    queue: str | None = None
    topic: str | None = None


@dataclass(frozen=True, slots=True)
class InteractionView:
    """An interaction as the checks see it."""

    external_id: str
    channel: str
    turns: tuple[TurnView, ...]
    started_at: datetime | None = None
    queue: str | None = None
    topic: str | None = None
    customer_id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    pii_spans: tuple[PiiSpan, ...] | None = None
    other_contacts: tuple[ContactRef, ...] = ()

    def by(self, speaker: str) -> list[TurnView]:
        """The turns of one speaker, in order."""
        return [t for t in self.turns if t.speaker == speaker]

    def after_opening(self) -> list[TurnView]:
        """The turns after a call's opening. What the agent's line says before the customer speaks (at most its
        first ``OPENING_TURNS`` turns: speech recognition may lose the customer's first words) is an IVR prompt
        ("press one for cards", "connecting you to an advisor") and the greeting; other channels keep every turn."""
        if self.channel != "call":
            return list(self.turns)
        opening: set[int] = set()
        for turn in self.turns:
            if turn.speaker == "customer" or len(opening) == OPENING_TURNS:
                break
            opening.add(turn.index)
        return [t for t in self.turns if t.index not in opening]

    def seconds(self, turn: TurnView) -> float | None:
        """When a turn started, in seconds from the start of the interaction (timestamps or offsets)."""
        if turn.start_s is not None:
            return turn.start_s
        if turn.at is not None:
            origin = self.started_at or next((t.at for t in self.turns if t.at is not None), None)
            if origin is not None:
                return (turn.at - origin).total_seconds()
        return None
