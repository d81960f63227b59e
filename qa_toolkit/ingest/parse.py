"""Turn a source into validated canonical conversations, whatever its format.

:func:`detect` names the format from the content (not the file name); :func:`parse` yields one
:class:`~qa_toolkit.ingest.model.Parsed` per input record: a conversation, or a
``file:line: field: reason`` error and the raw record for the rejects file.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterator
from typing import Any

from qa_toolkit.errors import QAError
from qa_toolkit.ingest import FORMATS, pii
from qa_toolkit.ingest.formats import abcd, intercom, text, zendesk
from qa_toolkit.ingest.formats import csv as csv_format
from qa_toolkit.ingest.jsonrecords import RawRecord, is_json_lines, json_line, json_records
from qa_toolkit.ingest.limits import DEFAULT, Limits
from qa_toolkit.ingest.model import FieldError, Parsed, RecordError, validate
from qa_toolkit.ingest.sources import HEAD_BYTES, Source

_JSON_KINDS: dict[str, Callable[[dict[str, Any]], dict[str, Any]] | None] = {
    "jsonl": None, "json": None, "abcd": abcd.to_canonical, "zendesk": zendesk.to_canonical,
    "intercom": intercom.to_canonical,
}


def _json_kind(record: Any, head: bytes) -> str:
    if isinstance(record, dict):
        for name, module in (("abcd", abcd), ("intercom", intercom), ("zendesk", zendesk)):
            if module.matches(record):
                return name
    return "jsonl" if is_json_lines(head) else "json"


def detect_container(source: Source) -> str:
    """``json`` (JSON Lines or a JSON document), ``text`` or ``csv``, from the first bytes.

    Raises:
        QAError: none of them.
    """
    head = source.head.decode("utf-8", "replace").lstrip("\ufeff")
    stripped = head.lstrip()
    if not stripped:
        return "json"  # an empty file: no records
    if text.looks_like_text(head):
        return "text"
    if stripped[0] in "{[":
        return "json"
    if csv_format.looks_like_csv(head):
        return "csv"
    raise QAError(f"{source.name}: cannot tell the format from the content (not JSON, CSV with a header, "
                  "or Agent:/Customer: lines): name it with --format")


def parse(source: Source, fmt: str = "auto", mapping: csv_format.CsvMapping | None = None,
          limits: Limits = DEFAULT) -> tuple[str, Iterator[Parsed]]:
    """The format used and the parsed records of ``source``.

    Args:
        fmt: one of :data:`FORMATS`; ``auto`` detects it from the content.
        mapping: column mapping for CSV.
        limits: record size, nesting depth and turns per conversation.
    """
    if fmt not in FORMATS:
        raise QAError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    container = detect_container(source) if fmt == "auto" else {"csv": "csv", "text": "text"}.get(fmt, "json")
    if container == "csv":
        return "csv", _validated(source.name, csv_format.records(source, mapping, limits), None, limits)
    if container == "text":
        return "text", _validated(source.name, text.records(source, limits), None, limits)
    side_loads = zendesk.SIDE_LOADS if fmt in ("auto", "zendesk") and zendesk.is_list_response(source.head) else ()
    raw = json_records(source.stream, source.head, side_loads, limits, lines=_forced_lines(fmt))
    if fmt == "auto":
        buffered: list[RawRecord] = []
        for record in raw:
            buffered.append(record)
            if record.error is None:
                break
        first = next((r.value for r in buffered if r.error is None), None)
        fmt = _json_kind(first, source.head) if first is not None else ("jsonl" if is_json_lines(source.head) else "json")
        raw = itertools.chain(buffered, raw)
    return fmt, _validated(source.name, raw, _JSON_KINDS[fmt], limits)


def _forced_lines(fmt: str) -> bool | None:
    """``--format jsonl`` reads JSON Lines whatever the first bytes look like; other formats: None (detected)."""
    return True if fmt == "jsonl" else None


def line_format(source: Source, fmt: str = "auto") -> str | None:
    """The format of ``source`` when it is JSON Lines whose lines :func:`parse_line` can take one by one
    (in worker processes, say), as :func:`parse` would name it; None for anything else, or when no valid
    line in the first bytes tells the format."""
    if fmt not in FORMATS:
        raise QAError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt in ("csv", "text") or (fmt == "auto" and detect_container(source) != "json"):
        return None
    if fmt != "jsonl" and not is_json_lines(source.head):
        return None
    if fmt != "auto":
        return fmt
    lines = list(io.BytesIO(source.head))  # split as the stream is: at b"\n" only
    if len(source.head) >= HEAD_BYTES and not lines[-1].endswith(b"\n"):
        lines.pop()  # cut off by the end of the head
    for number, data in enumerate(lines, start=1):
        record = json_line(number, data)
        if record is not None and record.error is None:
            return _json_kind(record.value, source.head)
    return None


def parse_line(name: str, fmt: str, number: int, data: bytes, limits: Limits = DEFAULT) -> Parsed | None:
    """Line ``number`` of a JSON Lines source in format ``fmt`` (see :func:`line_format`), parsed as
    :func:`parse` would; None for a blank line."""
    record = json_line(number, data, limits)
    return None if record is None else _validate(name, record, _JSON_KINDS[fmt], limits)


def _validated(name: str, records: Iterator[RawRecord],
               mapper: Callable[[dict[str, Any]], dict[str, Any]] | None, limits: Limits = DEFAULT) -> Iterator[Parsed]:
    for record in records:
        yield _validate(name, record, mapper, limits)


def _validate(name: str, record: RawRecord, mapper: Callable[[dict[str, Any]], dict[str, Any]] | None,
              limits: Limits = DEFAULT) -> Parsed:
    if record.error is not None:
        field, reason = record.error
        return Parsed(record.line, record.raw, error=RecordError(name, record.line, field, reason), header=record.header)
    value = record.value
    if mapper is not None:
        if not isinstance(value, dict):
            return Parsed(record.line, record.raw, error=RecordError(name, record.line, "record", "expected a JSON object"))
        try:
            value = mapper(value)
        except FieldError as exc:
            return Parsed(record.line, record.raw, error=RecordError(name, record.line, exc.field, exc.reason))
        except (AttributeError, TypeError, KeyError) as exc:
            reason = pii.redact(f"unexpected structure: {exc}").text  # the message may quote a value
            return Parsed(record.line, record.raw, error=RecordError(name, record.line, "record", reason))
    if "\x00" in record.raw or "\\u0000" in record.raw:
        where = _nul_field(record.value)
        if where is not None:
            return Parsed(record.line, record.raw, header=record.header, error=RecordError(
                name, record.line, where, "contains a NUL character (U+0000), which cannot be stored: remove it"))
    turns = value.get("turns") if isinstance(value, dict) else None
    if isinstance(turns, list) and len(turns) > limits.max_turns:
        return Parsed(record.line, "", error=RecordError(  # not held twice (redacted) for the rejects file
            name, record.line, "turns", f"{len(turns):,} turns, more than {limits.max_turns:,} (--max-turns); "
                                        "not written to the rejects file"), header=record.header)
    parsed = validate(value, file=name, line=record.line, raw=record.raw)
    parsed.header = record.header
    return parsed


def _nul_field(value: Any) -> str | None:
    """The path (``turns.2.text``) of the first string or key in ``value`` holding a NUL character, if any:
    PostgreSQL stores no NUL in text or JSON, so such records are rejected on every database alike."""
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return path or "record"
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                where = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and "\x00" in key:
                    return where.replace("\x00", "\\u0000")
                stack.append((where, child))
        elif isinstance(item, list):
            stack.extend((f"{path}.{i}" if path else str(i), child) for i, child in reversed(list(enumerate(item))))
    return None
