"""Plain-text transcripts: one conversation per file, one message per ``Speaker: text`` line.

::

    # id: c-1001
    # agent: a-17
    # agent_name: Dana Park
    # team: billing
    # customer: cust-9
    # started_at: 2026-10-02T14:05:00Z
    [14:05:00] Customer: Hi, I was charged twice
    [14:05:40] Agent: Hello! I'm sorry about that.
    Let me check.                     <- a line without a speaker continues the previous message
    Note: refund approved by lead     <- an internal note (system turn, flagged internal)

Speakers: ``Agent``, ``Customer``, ``System`` (also ``Bot``), ``Note`` (internal), and the names given
by ``agent_name`` / ``customer_name``. ``# key: value`` header lines set conversation fields (``id``
defaults to the file name; ``agent`` is required). Timestamps ``[HH:MM:SS]`` are on the day (and in
the zone) of ``started_at``; without ``started_at`` they become seconds from the first message
(``start_s``). Full ISO timestamps (``[2026-10-02T14:05:00Z]``) are used as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from qa_toolkit.ingest.jsonrecords import RawRecord
from qa_toolkit.ingest.limits import DEFAULT, Limits, size
from qa_toolkit.ingest.sources import Source

LABELS: dict[str, tuple[str, bool]] = {
    "agent": ("agent", False), "customer": ("customer", False), "system": ("system", False),
    "bot": ("system", False), "note": ("system", True), "internal note": ("system", True),
}
_LINE = re.compile(r"^\s*(?:\[(?P<ts>[^\]]{4,40})\]\s*)?(?P<label>[^:\[\]]{1,60}?)\s*:\s?(?P<text>.*)$")
_HEADER = re.compile(r"^#\s*(?P<key>[a-z_]+)\s*:\s*(?P<value>.*?)\s*$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
FIELDS = {"id", "agent", "agent_name", "team", "customer", "customer_name", "started_at", "channel", "queue",
          "topic", "language", "csat", "nps", "ces", "resolved", "escalated", "tags"}


def looks_like_text(text: str) -> bool:
    """True when the first content line is a ``# key:`` header or a known ``Speaker:`` line."""
    for line in text.splitlines()[:20]:
        if not line.strip():
            continue
        if (m := _HEADER.match(line)) and m["key"] in FIELDS:
            return True
        m = _LINE.match(line)
        return bool(m and m["label"].strip().lower() in LABELS)
    return False


def records(source: Source, limits: Limits = DEFAULT) -> Iterator[RawRecord]:
    """The file's one conversation as a canonical conversation dict (up to ``limits.max_record_bytes``)."""
    data = source.stream.read(limits.max_record_bytes + 1)
    if len(data) > limits.max_record_bytes:
        yield RawRecord(1, error=("record", f"transcript larger than {size(limits.max_record_bytes)} (--max-record-bytes)"))
        return
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        yield RawRecord(line, raw=data.decode("utf-8", "replace"), error=("encoding", f"invalid UTF-8 at byte {exc.start + 1}"))
        return
    headers: dict[str, str] = {}
    turns: list[dict[str, Any]] = []
    clocks: list[tuple[int, str]] = []  # (turn index, raw timestamp), resolved once headers are known
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        if not turns and (m := _HEADER.match(line)):
            if m["key"] not in FIELDS:
                yield RawRecord(number, raw=content, error=(m["key"], f"unknown header (known: {', '.join(sorted(FIELDS))})"))
                return
            headers[m["key"]] = m["value"]
            continue
        labels = dict(LABELS)
        for key, speaker in (("agent_name", "agent"), ("customer_name", "customer")):
            if headers.get(key):
                labels[headers[key].lower()] = (speaker, False)
        m = _LINE.match(line)
        if m and m["label"].strip().lower() in labels:
            speaker, internal = labels[m["label"].strip().lower()]
            turns.append({"speaker": speaker, "text": m["text"], "internal": internal, "_line": number})
            if m["ts"]:
                clocks.append((len(turns) - 1, m["ts"].strip()))
        elif turns:
            turns[-1]["text"] += "\n" + line
        else:
            yield RawRecord(number, raw=content, error=("speaker", "line does not start with Agent:, Customer:, System: or Note:"))
            return
    error = _resolve_times(turns, clocks, headers.get("started_at"))
    if error:
        yield RawRecord(error[0], raw=content, error=("at", error[1]))
        return
    for turn in turns:
        del turn["_line"]
    name = Path(source.name).name
    while Path(name).suffix in (".gz", ".txt"):
        name = Path(name).stem
    data_out: dict[str, Any] = {"id": headers.get("id") or (None if source.name == "<stdin>" else name), "turns": turns}
    agent = {"id": headers.get("agent"), "name": headers.get("agent_name"), "team": headers.get("team")}
    data_out["agent"] = {k: v for k, v in agent.items() if v}
    if headers.get("customer") or headers.get("customer_name"):
        data_out["customer"] = {"id": headers.get("customer"), "name": headers.get("customer_name")}
    for key in ("started_at", "channel", "queue", "topic", "language", "csat", "nps", "ces", "resolved", "escalated"):
        if headers.get(key):
            data_out[key] = headers[key]
    if headers.get("tags"):
        data_out["tags"] = [t.strip() for t in re.split(r"[,;|]", headers["tags"]) if t.strip()]
    if data_out["id"] is None:
        del data_out["id"]
    yield RawRecord(1, data_out, raw=content)


def _resolve_times(turns: list[dict[str, Any]], clocks: list[tuple[int, str]], started: str | None) -> tuple[int, str] | None:
    start: datetime | None = None
    if started:
        try:
            start = datetime.fromisoformat(started)
        except ValueError:
            return 1, "started_at: not an ISO-8601 timestamp"
    first: float | None = None
    previous: datetime | None = None
    for index, stamp in clocks:
        turn = turns[index]
        clock = _CLOCK.match(stamp)
        if clock is None:
            try:
                turn["at"] = datetime.fromisoformat(stamp).isoformat()
            except ValueError:
                return turn["_line"], f"not a timestamp: [{stamp}] (use [HH:MM:SS] or an ISO-8601 time)"
            continue
        h, m, s = int(clock[1]), int(clock[2]), int(clock[3] or 0)
        if h > 23 or m > 59 or s > 59:
            return turn["_line"], f"not a time of day: [{stamp}]"
        if start is not None:
            at = datetime.combine(start.date(), time(h, m, s), tzinfo=start.tzinfo)
            try:
                while previous is not None and at < previous:
                    at += timedelta(days=1)  # the chat went past midnight
            except OverflowError:
                return turn["_line"], f"time [{stamp}] past the year 9999"
            previous = at
            turn["at"] = at.isoformat()
        else:
            seconds = float(h * 3600 + m * 60 + s)
            first = seconds if first is None else first
            turn["start_s"] = (seconds - first) % 86400
    return None
