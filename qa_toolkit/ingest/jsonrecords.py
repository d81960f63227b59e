"""Stream JSON records, with the line each starts on, from JSON Lines or from one big JSON document.

- JSON Lines: one record per line, decoded line by line (a broken line is one bad record) with orjson,
  several times faster than the standard library, which still decides (and words the error) when orjson
  refuses a line.
- A JSON document: a top-level array of records, an object holding the records in a list under a
  well-known key (``train`` for ABCD, ``tickets`` for Zendesk, ``conversations`` for Intercom, ...),
  or a single record. Parsed incrementally with ijson, so memory does not grow with the file; a
  syntax error ends the file there (records before it are kept).
"""

from __future__ import annotations

import codecs
import json
import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import ijson
import orjson
from ijson.common import ObjectBuilder

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
    """True when the content is JSON Lines rather than one JSON document."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text.startswith(b"{"):
        return False
    first, newline, _ = text.partition(b"\n")
    if not newline and len(head) >= _LINE_LIMIT:
        return False
    try:
        return not _is_wrapper(json.loads(first))
    except ValueError:
        return False


def json_records(stream: BinaryIO, head: bytes, side_loads: tuple[str, ...] = ()) -> Iterator[RawRecord]:
    """Records from JSON Lines or a JSON document, decided from the first bytes.

    Args:
        side_loads: top-level lists of a wrapper document that each record needs (Zendesk's list API
            side-loads ``users`` and ``groups`` beside ``tickets``, usually after them): the records are
            then held in a temporary file until the document ends and get each such list under its key.
    """
    if is_json_lines(head):
        yield from _json_lines(stream)
    elif side_loads:
        yield from _with_side_loads(stream, side_loads)
    else:
        yield from _json_document(stream)


def _json_lines(stream: BinaryIO) -> Iterator[RawRecord]:
    for number, data in enumerate(stream, start=1):
        record = json_line(number, data)
        if record is not None:
            yield record


def json_line(number: int, data: bytes) -> RawRecord | None:
    """Line ``number`` (1-based, as read, newline included) of a JSON Lines file; None when it is blank."""
    if number == 1 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return RawRecord(number, raw=data.decode("utf-8", "replace").rstrip("\r\n"),
                         error=("encoding", f"invalid UTF-8 at byte {exc.start + 1}"))
    text = text.rstrip("\r\n")
    try:
        return RawRecord(number, orjson.loads(text), raw=text)
    except orjson.JSONDecodeError:
        pass
    try:  # what orjson refuses but Python's json takes (NaN, integers past 64 bits), or the error as json words it
        return RawRecord(number, json.loads(text), raw=text)
    except json.JSONDecodeError as exc:
        return RawRecord(number, raw=text, error=("json", f"malformed JSON: {exc.msg} at column {exc.colno}"))


class _Collector:
    """Receives ijson events; builds records at the record prefixes and the top-level object apart."""

    def __init__(self) -> None:
        self.line = 1
        self.records: list[tuple[int, Any]] = []
        self.top: ObjectBuilder | None = None
        self.top_kind: str | None = None
        self.found_list = False
        self._builder: ObjectBuilder | None = None
        self._depth = 0
        self._start = 0
        self._record_prefixes = {"item"} | {f"{key}.item" for key in LIST_KEYS}

    def send(self, event: tuple[str, str, Any]) -> None:
        prefix, kind, value = event
        if self._builder is not None:
            self._builder.event(kind, value)
            if kind in ("start_map", "start_array"):
                self._depth += 1
            elif kind in ("end_map", "end_array"):
                self._depth -= 1
                if self._depth == 0:
                    self.records.append((self._start, self._builder.value))
                    self._builder = None
            return
        if prefix == "":
            if self.top_kind is None:
                self.top_kind = kind
        if prefix in self._record_prefixes and (prefix == "item") == (self.top_kind == "start_array"):
            self.found_list = True
            if kind in ("start_map", "start_array"):
                self._builder, self._depth, self._start = ObjectBuilder(), 1, self.line
                self._builder.event(kind, value)
            else:
                self.records.append((self.line, value))
            return
        if self.top_kind == "start_map":
            if self.top is None:
                self.top = ObjectBuilder()
            self.top.event(kind, value)

    def close(self) -> None:
        pass


def _with_side_loads(stream: BinaryIO, keys: tuple[str, ...]) -> Iterator[RawRecord]:
    top: dict[str, Any] = {}
    with tempfile.TemporaryFile(prefix="qa-records-") as spool:
        count = 0
        for record in _json_document(stream, top):
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


def _json_document(stream: BinaryIO, top: dict[str, Any] | None = None) -> Iterator[RawRecord]:
    """Records of a JSON document; ``top`` (when given) receives the other keys of a wrapper object at the end."""
    collector = _Collector()
    parser = ijson.parse_coro(collector, use_float=True)
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    bad_lines: dict[int, int] = {}  # line -> byte offset of the first invalid byte
    line = 0
    ended_line = True
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
            yield from _drain(collector, bad_lines, line)
        parser.close()
        yield from _drain(collector, bad_lines, line)
    except (ijson.JSONError, ijson.IncompleteJSONError) as exc:
        yield from _drain(collector, {}, line)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "unexpected end of input"
        yield RawRecord(line, error=("json", f"malformed JSON: {reason}; the rest of this file is skipped"))
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


def _drain(collector: _Collector, bad_lines: dict[int, int], line: int) -> Iterator[RawRecord]:
    records, collector.records = collector.records, []
    for start, value in records:
        bad = [n for n in bad_lines if start <= n <= line]
        if bad:
            yield RawRecord(start, raw=_dump(value), error=("encoding", f"invalid UTF-8 on line {bad[0]} at byte {bad_lines[bad[0]] + 1}"))
        else:
            yield RawRecord(start, value, raw=_dump(value))


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
