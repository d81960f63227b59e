"""What checks read: a plain, immutable view of one interaction (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


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

    def seconds(self, turn: TurnView) -> float | None:
        """When a turn started, in seconds from the start of the interaction (timestamps or offsets)."""
        if turn.start_s is not None:
            return turn.start_s
        if turn.at is not None:
            origin = self.started_at or next((t.at for t in self.turns if t.at is not None), None)
            if origin is not None:
                return (turn.at - origin).total_seconds()
        return None
