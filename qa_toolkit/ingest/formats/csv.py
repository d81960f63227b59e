"""CSV chat exports: one row per message, rows of a conversation next to each other.

Columns are found by common header names (``conversation_id``/``chat_id``/``ticket_id``,
``timestamp``/``created_at``, ``speaker``/``role``/``sender``, ``text``/``message``/``body``,
``agent_id``, ``agent_name``, ``team``, ``customer_id``, ``queue``, ``csat``, ...) or named in a
``--mapping`` file (YAML or TOML)::

    columns:            # canonical field: CSV header
      conversation_id: ChatID
      at: Sent
      speaker: From
      text: Message
    speakers:           # CSV value: agent | customer | system | note (internal system turn)
      Bot: system
    timezone: Europe/Berlin   # zone for timestamps written without one (default: reject them)
    delimiter: ";"            # default: sniffed from the header line

Conversation-level values (agent, customer, queue, csat, ...) are taken from the first row of the
conversation that has them; ``tags`` are split on ``;`` or ``|``.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qa_toolkit import safe_yaml
from qa_toolkit.errors import QAError
from qa_toolkit.ingest.jsonrecords import RawRecord
from qa_toolkit.ingest.limits import DEFAULT, Limits, size
from qa_toolkit.ingest.sources import Source

DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "conversation_id": ("conversation_id", "conversation", "conversationid", "chat_id", "chatid", "ticket_id",
                        "session_id", "thread_id", "transcript_id"),
    "at": ("at", "timestamp", "time", "created_at", "sent_at", "datetime", "date"),
    "speaker": ("speaker", "role", "sender", "sender_type", "author_type", "from", "party"),
    "text": ("text", "message", "body", "content", "utterance", "msg"),
    "agent_id": ("agent_id", "agentid", "agent", "assignee_id"),
    "agent_name": ("agent_name", "assignee_name"),
    "team": ("team", "agent_team", "group"),
    "customer_id": ("customer_id", "customer", "user_id", "contact_id", "requester_id"),
    "customer_name": ("customer_name", "user_name", "contact_name"),
    "channel": ("channel",),
    "started_at": ("started_at", "conversation_started_at", "start_time"),
    "queue": ("queue",),
    "topic": ("topic", "subject"),
    "language": ("language", "lang"),
    "csat": ("csat",),
    "nps": ("nps",),
    "ces": ("ces",),
    "resolved": ("resolved",),
    "escalated": ("escalated",),
    "tags": ("tags",),
    "internal": ("internal", "private", "is_private"),
}
REQUIRED = ("conversation_id", "speaker", "text")
SPEAKER_WORDS: dict[str, tuple[str, bool]] = {
    **{w: ("agent", False) for w in ("agent", "rep", "representative", "advisor", "operator", "support", "staff", "admin")},
    **{w: ("customer", False) for w in ("customer", "client", "user", "visitor", "end-user", "end_user", "contact", "guest")},
    **{w: ("system", False) for w in ("system", "bot", "action", "automated")},
    **{w: ("system", True) for w in ("note", "internal", "internal note", "private note")},
}
TRUE = {"true", "yes", "y", "1", "t"}
FALSE = {"false", "no", "n", "0", "f"}
_SURROGATE = re.compile("[\udc80-\udcff]")


class CsvMapping(BaseModel):
    """How to read a CSV file: column names, speaker values, assumed timezone, delimiter."""

    model_config = ConfigDict(extra="forbid")

    columns: dict[str, str] = Field(default_factory=dict)
    speakers: dict[str, str] = Field(default_factory=dict)
    timezone: str | None = None
    delimiter: str | None = Field(default=None, min_length=1, max_length=1)


def load_mapping(path: str | Path) -> CsvMapping:
    """Read a ``--mapping`` file (YAML, or TOML when it ends in ``.toml``).

    Raises:
        QAError: unreadable file, bad syntax, unknown keys, unknown field names or timezone.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else safe_yaml.load(text)[1]
    except OSError as exc:
        raise QAError(f"{path}: cannot read mapping: {exc.strerror}") from None
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as exc:
        raise QAError(f"{path}: invalid mapping file: {str(exc).splitlines()[0]}") from None
    except safe_yaml.YamlProblem as exc:
        raise QAError(f"{path}:{exc.line}: {exc.field or 'mapping'}: {exc.reason}") from None
    try:
        mapping = CsvMapping.model_validate(data or {})
    except ValidationError as exc:
        first = exc.errors()[0]
        raise QAError(f"{path}: {'.'.join(map(str, first['loc']))}: {first['msg']}") from None
    unknown = sorted(set(mapping.columns) - set(DEFAULT_COLUMNS))
    if unknown:
        raise QAError(f"{path}: columns: unknown field {unknown[0]!r} (known: {', '.join(DEFAULT_COLUMNS)})")
    bad = {k: v for k, v in mapping.speakers.items() if v not in ("agent", "customer", "system", "note")}
    if bad:
        key = next(iter(bad))
        raise QAError(f"{path}: speakers.{key}: {bad[key]!r} is not agent, customer, system or note")
    if mapping.timezone:
        try:
            ZoneInfo(mapping.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise QAError(f"{path}: timezone: unknown zone {mapping.timezone!r}") from None
    return mapping


def _norm(header: str) -> str:
    return re.sub(r"[\s\-]+", "_", header.strip().lstrip("\ufeff").lower())


def looks_like_csv(text: str) -> bool:
    """True when the first line is a CSV header naming a text and a speaker or conversation column."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t|")
    except csv.Error:
        return False
    headers = {_norm(h) for h in next(csv.reader([first], dialect))}
    return bool(headers & set(DEFAULT_COLUMNS["text"])) and bool(
        headers & (set(DEFAULT_COLUMNS["speaker"]) | set(DEFAULT_COLUMNS["conversation_id"])))


class _Conversation:
    def __init__(self, cid: str, line: int) -> None:
        self.id = cid
        self.line = line
        self.rows: list[list[str]] = []
        self.values: dict[str, str] = {}
        self.turns: list[dict[str, Any]] = []
        self.error: tuple[int, str, str] | None = None
        self.partial = False  # rows are missing (past a limit): the rejects file does not get it


class _Lines:
    """The lines of a text stream for :func:`csv.reader`, each at most ``limit`` characters: a longer line is
    read past in pieces (never held whole), given to the reader as an empty line and noted in ``overlong``.
    ``first`` is the start of the first line read since :meth:`mark` (where the next row starts)."""

    def __init__(self, text: io.TextIOBase, limit: int) -> None:
        self._text = text
        self._limit = limit
        self.overlong = False
        self.first: str | None = None

    def __iter__(self) -> _Lines:
        return self

    def mark(self) -> None:
        """A row was read: the next line read starts the next one."""
        self.first = None
        self.overlong = False

    def __next__(self) -> str:
        line = self._text.readline(self._limit + 1)
        if not line:
            raise StopIteration
        if self.first is None:
            self.first = line[: 1 << 16]
        if len(line) <= self._limit or line.endswith(("\n", "\r")):
            return line
        while line and not line.endswith(("\n", "\r")):
            line = self._text.readline(1 << 20)
        self.overlong = True
        return "\n"


def records(source: Source, mapping: CsvMapping | None = None, limits: Limits = DEFAULT) -> Iterator[RawRecord]:
    """One :class:`RawRecord` per conversation, its value a canonical conversation dict.

    A line or field longer than ``limits.max_record_bytes`` (characters) rejects the conversation before it and
    the one after it (the row may belong to either), neither written to the rejects file; so does a conversation
    of more than ``limits.max_turns`` rows."""
    mapping = mapping or CsvMapping()
    csv.field_size_limit(limits.max_record_bytes)
    text = io.TextIOWrapper(source.stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    lines = _Lines(text, limits.max_record_bytes)
    first_line = source.head.decode("utf-8", "replace").lstrip("\ufeff").split("\n", 1)[0]
    delimiter = mapping.delimiter
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        yield RawRecord(1, error=("header", f"not readable as CSV: {exc}"))
        return
    if lines.overlong:
        yield RawRecord(1, error=("header", f"line longer than {size(limits.max_record_bytes)} (--max-record-bytes)"))
        return
    lines.mark()
    index = {_norm(h): i for i, h in enumerate(header)}
    columns: dict[str, int] = {}
    for field, names in DEFAULT_COLUMNS.items():
        wanted = mapping.columns.get(field)
        if wanted is not None:
            if _norm(wanted) not in index:
                yield RawRecord(1, error=("header", f"no column {wanted!r} for {field} (from the mapping file)"))
                return
            columns[field] = index[_norm(wanted)]
        else:
            found = next((index[n] for n in names if n in index), None)
            if found is not None:
                columns[field] = found
    for field in REQUIRED:
        if field not in columns:
            yield RawRecord(1, error=("header", f"no column for {field} (expected one of "
                                                f"{', '.join(DEFAULT_COLUMNS[field][:4])}, ...; or name it in --mapping)"))
            return
    zone = ZoneInfo(mapping.timezone) if mapping.timezone else None
    speakers = {**SPEAKER_WORDS, **{k.lower(): (("system", True) if v == "note" else (v, False))
                                    for k, v in mapping.speakers.items()}}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")

    def raw(rows: list[list[str]]) -> str:
        out.seek(0)
        out.truncate()
        writer.writerows(rows)
        return out.getvalue().rstrip("\n")

    header_line = raw([header])
    seen: dict[str, int] = {}  # conversation id -> the line its rows start on
    current: _Conversation | None = None

    def finish(conv: _Conversation) -> RawRecord:
        if conv.error is not None:
            line, field, reason = conv.error
            return RawRecord(line, raw="" if conv.partial else raw(conv.rows), error=(field, reason), header=header_line)
        return RawRecord(conv.line, _canonical(conv), raw=raw(conv.rows), header=header_line)

    def unreadable(conv: _Conversation, line: int, reason: str, known: bool) -> None:
        conv.partial = True
        if conv.error is None:
            conv.error = (line, "row", reason + ("" if known else "; the conversation is rejected as that row may "
                                                 "belong to it") + " (not written to the rejects file)")

    def row_id(start: str | None) -> str | None:
        """The conversation id of an unreadable row, from the start of its first line, when complete there."""
        fields = next(csv.reader([start or ""], delimiter=delimiter), [])
        at = columns["conversation_id"]
        return fields[at].strip() if at < len(fields) - 1 else None

    previous_end = 1
    bad_row: tuple[int, str] | None = None  # an unreadable row, of no known conversation: the next one may start with it
    while True:
        line = previous_end + 1
        try:
            row = next(reader)
            problem = None
        except StopIteration:
            break
        except csv.Error as exc:
            row, problem = [], f"{exc}"
        previous_end = reader.line_num
        if lines.overlong:
            problem = f"line longer than {size(limits.max_record_bytes)} (--max-record-bytes)"
        start = lines.first
        lines.mark()
        if problem is not None:
            cid = row_id(start)
            if cid is None:
                bad_row = (line, problem)
                if current is not None:
                    unreadable(current, line, problem, known=False)
                else:
                    yield RawRecord(line, error=("row", f"{problem} (not written to the rejects file)"), header=header_line)
                continue
            if current is None or cid != current.id:
                if current is not None:
                    yield finish(current)
                current = _Conversation(cid, line)
                seen.setdefault(cid, line)
            unreadable(current, line, problem, known=True)
            bad_row = None
            continue
        if not any(cell.strip() for cell in row):
            continue
        cell = lambda field: row[columns[field]].strip() if field in columns and columns[field] < len(row) else ""  # noqa: E731
        cid = cell("conversation_id")
        if current is None or cid != current.id:
            if current is not None:
                yield finish(current)
            current = _Conversation(cid, line)
            if cid in seen:
                current.error = (line, "conversation_id", "rows of this conversation are not next to each other "
                                                          f"(also from line {seen[cid]} on; sort the file by conversation)")
            seen.setdefault(cid, line)
            if bad_row is not None:
                unreadable(current, *bad_row, known=False)
        bad_row = None
        if len(current.rows) >= limits.max_turns:
            if not current.partial:
                current.partial = True
                current.rows = []
                current.turns = []
                current.error = (current.line, "turns", f"more than {limits.max_turns:,} rows (--max-turns); "
                                                        "not written to the rejects file")
            continue
        current.rows.append(row)
        if current.error is not None:
            continue
        if any(_SURROGATE.search(c) for c in row):
            current.error = (line, "encoding", "invalid UTF-8")
        elif not cid:
            current.error = (line, "conversation_id", "missing required field")
        elif len(row) != len(header):
            current.error = (line, "row", f"{len(row)} columns, the header has {len(header)}")
        if current.error is not None:
            continue
        for field in columns:
            if field not in ("conversation_id", "at", "speaker", "text", "internal") and field not in current.values:
                if value := cell(field):
                    current.values[field] = value
        word = cell("speaker")
        if word.lower() not in speakers:
            current.error = (line, "speaker", f"{'unknown' if word else 'missing'} speaker (expected agent, customer or "
                                              "system; map other values under speakers: in --mapping)")
            continue
        speaker, internal = speakers[word.lower()]
        if "internal" in columns and cell("internal").lower() in TRUE:
            speaker, internal = "system", True
        turn: dict[str, Any] = {"speaker": speaker, "text": row[columns["text"]], "internal": internal}
        if at := cell("at"):
            turn["at"] = _timestamp(at, zone)
        current.turns.append(turn)
    if current is not None:
        yield finish(current)


def sniffed_delimiter(header: str) -> str:
    """The delimiter of a CSV header line, as :func:`records` sniffs it (``,`` when it cannot tell)."""
    try:
        return csv.Sniffer().sniff(header, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def map_cells(raw: str, delimiter: str, change: Callable[[str], str]) -> str:
    """CSV rows as :func:`records` keeps them for the rejects file, with ``change`` applied to every cell
    (``raw`` itself when no cell changes)."""
    rows = list(csv.reader(io.StringIO(raw), delimiter=delimiter))
    changed = [[change(cell) for cell in row] for row in rows]
    if changed == rows:
        return raw
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(changed)
    return out.getvalue().rstrip("\n")


def _timestamp(value: str, zone: ZoneInfo | None) -> str:
    if zone is None:
        return value
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value  # validation reports it
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)).isoformat()


def _flag(value: str | None) -> bool | str | None:
    if value is None:
        return None
    low = value.lower()
    return True if low in TRUE else False if low in FALSE else value


def _canonical(conv: _Conversation) -> dict[str, Any]:
    v = conv.values
    data: dict[str, Any] = {
        "id": conv.id,
        "agent": {"id": v.get("agent_id"), "name": v.get("agent_name"), "team": v.get("team")},
        "turns": conv.turns,
    }
    if "agent_id" not in v:
        del data["agent"]["id"]
    if "customer_id" in v or "customer_name" in v:
        data["customer"] = {"id": v.get("customer_id"), "name": v.get("customer_name")}
    for field in ("channel", "queue", "topic", "language", "csat", "nps", "ces"):
        if field in v:
            data[field] = v[field]
    if "started_at" in v:
        data["started_at"] = v["started_at"]
    for field in ("resolved", "escalated"):
        if field in v:
            data[field] = _flag(v[field])
    if "tags" in v:
        data["tags"] = [t.strip() for t in re.split(r"[;|]", v["tags"]) if t.strip()]
    return data
