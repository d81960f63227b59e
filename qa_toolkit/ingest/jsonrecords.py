"""Stream JSON records, with the line each starts on, from JSON Lines or from one big JSON document.

- JSON Lines: one record per line, decoded line by line (a broken line is one bad record) with orjson,
  several times faster than the standard library, which still decides (and words the error) when orjson
  refuses a line.
- A JSON document: a top-level array of records, an object holding the records in a list under a
  well-known key (``train`` for ABCD, ``tickets`` for Zendesk, ``conversations`` for Intercom, ...),
  or a single record. Parsed incrementally with ijson, so memory does not grow with the file; a
  syntax error ends the file there (records before it are kept).

Both are bounded by :class:`~qa_toolkit.ingest.limits.Limits`: a line or record over ``max_record_bytes``
or nested deeper than ``max_depth`` is one rejected record (never held in memory whole; in a JSON
document the rest of the file is then skipped, as after a syntax error); one holding more than ``max_values``
values is counted, never built, and rejected alone.
"""

from __future__ import annotations

import codecs
import io
import json
import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import ijson
import orjson
from ijson.common import ObjectBuilder

from qa_toolkit.ingest.limits import DEFAULT, Limits, depth_over, size

LIST_KEYS = ("train", "dev", "test", "tickets", "conversations", "items", "data", "records")
_LINE_LIMIT = 1 << 16


@dataclass(slots=True)
class RawRecord:
    """A parsed JSON value, or why the bytes at ``line`` could not be parsed."""

    line: int
    value: Any = None
    raw: str = ""
    error: tuple[str, str] | None = None  # (field, reason)
    header: str = ""  # written once before the first reject of a file (the CSV header line)


def _is_wrapper(value: Any) -> bool:
    return isinstance(value, dict) and any(isinstance(value.get(k), list) for k in LIST_KEYS)


def is_json_lines(head: bytes) -> bool:
    """True when the content is JSON Lines rather than one JSON document, whatever the length of its lines.

    ``head`` is the content's first bytes (all of it when shorter than :data:`~qa_toolkit.ingest.sources.HEAD_BYTES`):
    JSON Lines when the first line is an object that is not a wrapper of records (see :data:`LIST_KEYS`). A first
    line longer than the head (a conversation of hundreds of turns) is JSON Lines unless its first keys show a
    wrapper; either way a single object on one line is read the same.
    """
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"{"):
        return False
    first, newline, _ = text.partition(b"\n")
    if not newline and len(head) >= _LINE_LIMIT:
        return not _starts_wrapper(first)
    try:
        return not _is_wrapper(json.loads(first))
    except ValueError:
        return False
    except RecursionError:  # one object on one line, nested too deep to load here: its first keys tell
        return not _starts_wrapper(first)


def _starts_wrapper(start: bytes) -> bool:
    """True when the start of a JSON object (cut anywhere) holds a list under one of :data:`LIST_KEYS` at its top level."""
    key = None
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(start)):
            if prefix == "" and event == "map_key":
                key = value
            elif prefix == key and key in LIST_KEYS and event == "start_array":
                return True
    except (ijson.JSONError, ijson.IncompleteJSONError):
        pass
    return False


def json_records(stream: BinaryIO, head: bytes, side_loads: tuple[str, ...] = (),
                 limits: Limits = DEFAULT, lines: bool | None = None) -> Iterator[RawRecord]:
    """Records from JSON Lines or a JSON document, decided from the first bytes (see :func:`is_json_lines`).

    Args:
        lines: JSON Lines (True) or a document (False) whatever the first bytes look like (``--format``).
        side_loads: top-level lists of a wrapper document that each record needs (Zendesk's list API
            side-loads ``users`` and ``groups`` beside ``tickets``, usually after them): the records are
            then held in a temporary file until the document ends and get each such list under its key.
        limits: record size and nesting depth.
    """
    if lines if lines is not None else is_json_lines(head):
        yield from _json_lines(stream, limits)
    elif side_loads:
        yield from _with_side_loads(stream, side_loads, limits)
    else:
        yield from _json_document(stream, limits=limits)


def bounded_lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """The lines of ``stream`` (split at ``\\n``), numbered from 1; ``None`` for a line longer than ``max_bytes``,
    which is read past in pieces, never held whole."""
    number = 0
    while True:
        data = stream.readline(max_bytes + 1)
        if not data:
            return
        number += 1
        if len(data) <= max_bytes or data.endswith(b"\n"):
            yield number, data
            continue
        while data and not data.endswith(b"\n"):
            data = stream.readline(1 << 20)
        yield number, None


def too_long(number: int, limits: Limits) -> RawRecord:
    """The rejected record of a line over ``limits.max_record_bytes``."""
    return RawRecord(number, error=("record", f"line longer than {size(limits.max_record_bytes)} (--max-record-bytes); "
                                              "not written to the rejects file"))


def _json_lines(stream: BinaryIO, limits: Limits) -> Iterator[RawRecord]:
    for number, data in bounded_lines(stream, limits.max_record_bytes):
        record = too_long(number, limits) if data is None else json_line(number, data, limits)
        if record is not None:
            yield record


def _too_deep(max_depth: int) -> tuple[str, str]:
    return "record", f"nested deeper than {max_depth} levels (--max-depth)"


def _too_many(max_values: int) -> tuple[str, str]:
    return "record", (f"more than {max_values:,} JSON values (objects, lists, strings, numbers; --max-values); "
                      "not written to the rejects file")


_NOT_VALUES = frozenset(("map_key", "end_map", "end_array"))


def values_over(data: bytes, limit: int) -> bool:
    """True when the JSON text ``data`` holds more than ``limit`` values (objects, lists, strings, numbers,
    booleans, nulls; keys are not counted), counted from ijson's events without building any; False for
    malformed JSON, which the parser that builds values words."""
    count = 0
    try:
        for event, _ in ijson.basic_parse(io.BytesIO(data), use_float=True):
            if event not in _NOT_VALUES:
                count += 1
                if count > limit:
                    return True
    except (ijson.JSONError, ijson.IncompleteJSONError):
        return False
    return False


def json_line(number: int, data: bytes, limits: Limits = DEFAULT) -> RawRecord | None:
    """Line ``number`` (1-based, as read, newline included) of a JSON Lines file; None when it is blank."""
    if number == 1 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        return None
    # A value takes a comma or opens a bracket (but the first): only lines with that many are counted.
    if data.count(b",") + data.count(b"{") + data.count(b"[") >= limits.max_values and values_over(data, limits.max_values):
        return RawRecord(number, error=_too_many(limits.max_values))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return RawRecord(number, raw=data.decode("utf-8", "replace").rstrip("\r\n"),
                         error=("encoding", f"invalid UTF-8 at byte {exc.start + 1}"))
    text = text.rstrip("\r\n")
    # Nesting can only pass the limit with as many brackets: most lines are never walked.
    nested = data.count(b"{") + data.count(b"[") > limits.max_depth
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        if "recursion" in str(exc):
            return RawRecord(number, raw=text, error=_too_deep(limits.max_depth))
        try:  # what orjson refuses but Python's json takes (NaN, integers past 64 bits), or the error as json words it
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            return RawRecord(number, raw=text, error=("json", f"malformed JSON: {exc.msg} at column {exc.colno}"))
        except RecursionError:
            return RawRecord(number, raw=text, error=_too_deep(limits.max_depth))
    if nested and depth_over(value, limits.max_depth):
        return RawRecord(number, raw=text, error=_too_deep(limits.max_depth))
    return RawRecord(number, value, raw=text)


class _TooDeep(Exception):
    """The document nests deeper than the limit outside a record: the rest of it cannot be read."""


class _Collector:
    """Receives ijson's basic events; builds records at the record positions (items of a top-level list, or
    of a list under one of :data:`LIST_KEYS` in a top-level object) and the top-level object apart.

    Basic events carry no prefix (ijson's prefixes cost memory that grows with depth squared): positions
    are tracked here. A record nested deeper than ``max_depth``, or holding more than ``max_values`` values, is
    not built (it is still read through); it becomes an error record.
    """

    def __init__(self, max_depth: int, max_values: int = DEFAULT.max_values) -> None:
        self.line = 1
        self.records: list[tuple[int, Any, tuple[str, str] | None]] = []  # (line, value, why it was not built)
        self.top: ObjectBuilder | None = None
        self.top_kind: str | None = None
        self.found_list = False
        self.in_record = False
        self.completed = 0  # records completed so far
        self._max_depth = max_depth
        self._max_values = max_values
        self._values = 0  # values in the record being read
        self._open: list[bool] = []  # containers open outside a record: is it a list of records?
        self._key: str | None = None  # the last key of the top-level object
        self._builder: ObjectBuilder | None = None
        self._depth = 0  # containers open inside the record being read
        self.start = 0  # the line the record being read starts on
        self._skipped: tuple[str, str] | None = None  # why the record being read is not built

    def send(self, event: tuple[str, Any]) -> None:
        kind, value = event
        opens, closes = kind in ("start_map", "start_array"), kind in ("end_map", "end_array")
        if self.in_record:
            self._depth += opens - closes
            self._values += not closes and kind != "map_key"
            if self._skipped is None and self._depth > self._max_depth:
                self._skipped, self._builder = _too_deep(self._max_depth), None
            elif self._skipped is None and self._values > self._max_values:
                self._skipped, self._builder = _too_many(self._max_values), None
            if self._builder is not None:
                self._builder.event(kind, value)
            if self._depth == 0:
                self._finish(self._builder.value if self._builder is not None else None)
            return
        level = len(self._open)
        if level == 0 and self.top_kind is None:
            self.top_kind = kind
        at_record = not closes and kind != "map_key" and (
            (level == 1 and self.top_kind == "start_array") or (level == 2 and self._open[1]))
        if at_record:
            self.found_list = True
            if opens:
                self.in_record, self._depth, self._values, self.start, self._skipped = True, 1, 1, self.line, None
                self._builder = ObjectBuilder()
                self._builder.event(kind, value)
            else:
                self.start = self.line
                self._finish(value)
            return
        if opens:
            is_list = level == 1 and self.top_kind == "start_map" and kind == "start_array" and self._key in LIST_KEYS
            self._open.append(is_list)
            if len(self._open) > self._max_depth:
                raise _TooDeep
        elif closes:
            self._open.pop()
        elif kind == "map_key" and level == 1:
            self._key = value
        if self.top_kind == "start_map":
            if self.top is None:
                self.top = ObjectBuilder()
            self.top.event(kind, value)

    def _finish(self, value: Any) -> None:
        self.records.append((self.start, value, self._skipped))
        self.in_record, self._builder, self._skipped = False, None, None
        self.completed += 1

    def close(self) -> None:
        pass


def _with_side_loads(stream: BinaryIO, keys: tuple[str, ...], limits: Limits = DEFAULT) -> Iterator[RawRecord]:
    top: dict[str, Any] = {}
    with tempfile.TemporaryFile(prefix="qa-records-") as spool:
        count = 0
        for record in _json_document(stream, top, limits):
            pickle.dump(record, spool, protocol=pickle.HIGHEST_PROTOCOL)
            count += 1
        loads = {key: top[key] for key in keys if isinstance(top.get(key), list)}
        spool.seek(0)
        for _ in range(count):
            record = pickle.load(spool)
            if loads and isinstance(record.value, dict):
                for key, value in loads.items():
                    record.value.setdefault(key, value)
            yield record


def _json_document(stream: BinaryIO, top: dict[str, Any] | None = None, limits: Limits = DEFAULT) -> Iterator[RawRecord]:
    """Records of a JSON document; ``top`` (when given) receives the other keys of a wrapper object at the end.

    Bytes read since the last record ended (or the list of records began) are bounded by
    ``limits.max_record_bytes``: past it, the record in progress is rejected and the rest of the file skipped
    (the parser holds an unfinished record or string in memory, so it cannot skip just that record).
    """
    collector = _Collector(limits.max_depth, limits.max_values)
    parser = ijson.basic_parse_coro(collector, use_float=True)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    bad_lines: dict[int, int] = {}  # line -> byte offset of the first invalid byte
    line = 0
    ended_line = True
    read = boundary = 0  # bytes read; where the last record ended
    completed = -1
    try:
        while True:
            chunk = stream.readline(_LINE_LIMIT)
            if not chunk:
                break
            if ended_line:
                line += 1
            ended_line = chunk.endswith(b"\n")
            collector.line = line
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                bad_lines.setdefault(line, exc.start)
                decoder.reset()
                chunk = chunk.decode("utf-8", "replace").encode("utf-8")
            parser.send(chunk)
            read += len(chunk)
            if collector.completed != completed or (collector.found_list and not collector.in_record and boundary == 0):
                completed, boundary = collector.completed, read
            yield from _drain(collector, bad_lines, line, limits)
            if read - boundary > limits.max_record_bytes:
                start = collector.start if collector.in_record else line if collector.found_list else 1
                yield RawRecord(start, error=("record", f"record larger than {size(limits.max_record_bytes)} "
                                                        "(--max-record-bytes); the rest of this file is skipped"))
                return
        parser.close()
        yield from _drain(collector, bad_lines, line, limits)
    except (ijson.JSONError, ijson.IncompleteJSONError) as exc:
        yield from _drain(collector, {}, line, limits)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "unexpected end of input"
        yield RawRecord(line, error=("json", f"malformed JSON: {reason}; the rest of this file is skipped"))
        return
    except _TooDeep:
        yield from _drain(collector, {}, line, limits)
        yield RawRecord(line, error=("record", f"nested deeper than {limits.max_depth} levels (--max-depth); "
                                               "the rest of this file is skipped"))
        return
    if top is not None and collector.found_list and collector.top is not None and isinstance(collector.top.value, dict):
        top.update(collector.top.value)
    if collector.top_kind == "start_map" and not collector.found_list and collector.top is not None:
        value = collector.top.value
        first_bad = next(iter(bad_lines), None)
        if first_bad is not None:
            yield RawRecord(first_bad, raw=_dump(value),
                            error=("encoding", f"invalid UTF-8 on line {first_bad} at byte {bad_lines[first_bad] + 1}"))
        else:
            yield RawRecord(1, value, raw=_dump(value))


def _drain(collector: _Collector, bad_lines: dict[int, int], line: int, limits: Limits) -> Iterator[RawRecord]:
    records, collector.records = collector.records, []
    for start, value, skipped in records:
        bad = [n for n in bad_lines if start <= n <= line]
        if skipped is not None:
            yield RawRecord(start, error=skipped)
        elif bad:
            yield RawRecord(start, raw=_dump(value), error=("encoding", f"invalid UTF-8 on line {bad[0]} at byte {bad_lines[bad[0]] + 1}"))
        else:
            yield RawRecord(start, value, raw=_dump(value))


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
