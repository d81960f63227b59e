"""The canonical conversation: what every chat format is parsed into before it is stored.

On disk it is JSON Lines, one conversation per line (or a JSON array of the same objects)::

    {"id": "c-001", "channel": "chat", "agent": {"id": "a-17", "name": "Dana Park", "team": "billing"},
     "customer": {"id": "cust-9"}, "started_at": "2026-03-02T14:05:00Z", "queue": "billing",
     "csat": 4, "nps": 9, "ces": 2, "resolved": true, "escalated": false, "tags": ["refund"],
     "turns": [{"speaker": "customer", "at": "2026-03-02T14:05:00Z", "text": "Hi, I was charged twice"}],
     "labels": {"greeting": true}}

Required: ``id``, ``agent.id`` and at least one turn with ``speaker`` (agent, customer or system) and
``text``. Timestamps are ISO-8601 *with* a timezone (``Z`` or ``+02:00``); a timestamp without one is
rejected rather than guessed (CSV and text imports can name an assumed zone). Fields the model does
not know are kept in ``metadata``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
    with_config,
)
from typing_extensions import NotRequired, TypedDict

from qa_toolkit.errors import located

MAX_TURN_CHARS = 100_000
SPEAKERS = ("agent", "customer", "system")


def _id_text(value: Any) -> Any:
    """Ids may come as numbers (Zendesk, Intercom, ABCD): store them as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


ExternalId = Annotated[str, BeforeValidator(_id_text), StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class AgentRef(BaseModel):
    """The agent who handled the conversation; unknown agents are created on import."""

    model_config = ConfigDict(extra="ignore")

    id: ExternalId
    name: Name | None = None
    team: Name | None = None


class CustomerRef(BaseModel):
    """The customer, by their id in the source system."""

    model_config = ConfigDict(extra="ignore")

    id: Annotated[ExternalId | None, Field()] = None
    name: Name | None = None


@with_config(ConfigDict(extra="ignore"))
class ChatTurn(TypedDict):
    """One message. ``internal`` marks private notes that the customer never saw (always ``system``).

    A validated dict rather than a model: a chat export holds millions of turns, and pydantic
    validates a dict several times faster than it builds model instances. Absent optional keys stay
    absent (``turn.get("at")``)."""

    speaker: Literal["agent", "customer", "system"]
    text: Annotated[str, StringConstraints(max_length=MAX_TURN_CHARS)]
    at: NotRequired[AwareDatetime | None]
    start_s: NotRequired[Annotated[float, Field(ge=0)] | None]
    end_s: NotRequired[Annotated[float, Field(ge=0)] | None]
    internal: NotRequired[bool]


class Conversation(BaseModel):
    """One chat conversation in the canonical form."""

    model_config = ConfigDict(extra="forbid")

    id: ExternalId
    channel: Literal["chat", "email", "call"] = "chat"
    agent: AgentRef
    customer: CustomerRef | None = None
    started_at: AwareDatetime | None = None
    ended_at: AwareDatetime | None = None
    queue: Annotated[str, StringConstraints(max_length=200)] | None = None
    topic: Annotated[str, StringConstraints(max_length=200)] | None = None
    language: Annotated[str, StringConstraints(max_length=20)] | None = None
    csat: int | None = Field(default=None, ge=1, le=5)
    nps: int | None = Field(default=None, ge=0, le=10)
    ces: int | None = Field(default=None, ge=1, le=7)
    resolved: bool | None = None
    escalated: bool | None = None
    tags: list[str] = Field(default_factory=list)
    turns: list[ChatTurn] = Field(min_length=1)
    labels: dict[str, Any] | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _unknown_fields_to_metadata(cls, data: Any) -> Any:
        if isinstance(data, dict) and not _CONVERSATION_FIELDS.issuperset(data):
            extra = {k: v for k, v in data.items() if k not in _CONVERSATION_FIELDS}
            data = {k: v for k, v in data.items() if k in _CONVERSATION_FIELDS}
            data["metadata"] = {**(data.get("metadata") or {}), **extra}
        return data


_CONVERSATION_FIELDS = frozenset(Conversation.model_fields)


@dataclass(frozen=True, slots=True)
class RecordError:
    """Why one input record was rejected, printed as ``file:line: field: reason``."""

    file: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return located(self.file, self.line, self.field, self.reason)


@dataclass(slots=True)
class Parsed:
    """One input record: its line, its raw text (for the rejects file) and a conversation or an error."""

    line: int
    raw: str
    conversation: Conversation | None = None
    error: RecordError | None = None
    header: str = ""  # for the rejects file: written once before a file's first reject (CSV)


class FieldError(Exception):
    """Raised by format mappers: ``field`` is the input field at fault."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def _error_field(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc) or "record"


def validate(data: Any, *, file: str, line: int, raw: str) -> Parsed:
    """Validate one canonical record into a :class:`Parsed` (a conversation, or the first error)."""
    if not isinstance(data, dict):
        return Parsed(line, raw, error=RecordError(file, line, "record", f"expected a JSON object, got {type(data).__name__}"))
    try:
        conversation = Conversation.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        reason = first["msg"]
        if first["type"] == "string_too_long" and first["loc"][-1:] == ("text",):
            reason = f"turn text is longer than {MAX_TURN_CHARS:,} characters"
        elif first["type"] == "timezone_aware":
            reason = "timestamp has no timezone (add Z or +hh:mm)"
        elif first["type"] == "too_short" and first["loc"] == ("turns",):
            reason = "empty conversation: at least one turn is required"
        elif first["type"] in ("datetime_from_date_parsing", "datetime_parsing", "datetime_type"):
            reason = "not an ISO-8601 timestamp"
        elif first["type"] == "missing":
            reason = "missing required field"
        elif first["type"] == "string_too_short":
            reason = "must not be empty"
        elif first["type"] == "literal_error":
            reason = f"not one of {first['ctx']['expected']}"
        if len(errors) > 1:
            reason += f" (and {len(errors) - 1} more)"
        return Parsed(line, raw, error=RecordError(file, line, _error_field(first["loc"]), reason))
    where = _out_of_range(conversation)
    if where is not None:
        return Parsed(line, raw, error=RecordError(file, line, where, "timestamp out of range once converted to UTC "
                                                                      "(years 1 to 9999)"))
    return Parsed(line, raw, conversation=conversation)


def _out_of_range(conversation: Conversation) -> str | None:
    """The field of the first timestamp that has no UTC equivalent (``0001-01-01T00:00:00+01:00``), if any."""
    stamps: list[tuple[str, datetime | None]] = [("started_at", conversation.started_at), ("ended_at", conversation.ended_at)]
    stamps += [(f"turns.{i}.at", turn.get("at")) for i, turn in enumerate(conversation.turns)]
    for field, stamp in stamps:
        if stamp is not None and stamp.year in (1, 9999):
            try:
                stamp.astimezone(timezone.utc)
            except OverflowError:
                return field
    return None
