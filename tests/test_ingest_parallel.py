"""Chat import with worker processes (large JSON Lines files): the same records, errors, rejects, redaction
and content hashes as one process, in order, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from qa_toolkit.ingest.model import RecordError
from qa_toolkit.ingest.parse import parse
from qa_toolkit.ingest.prepare import prepare
from qa_toolkit.ingest.sources import open_source
from qa_toolkit.services import chat_import
from qa_toolkit.services.chat_import import import_chats
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Interaction, PIISpan, Turn

PII = ["my card is 4539 1488 0343 6467", "mail me at (zoe.muller@example.com).", "call (212) 555-0187 please",
       "my SSN is 078-05-1120", "order 4539 1488 0343 6468 is not a card"]


def record(n: int) -> dict[str, Any]:
    return {"id": f"c-{n}", "agent": {"id": f"a-{n % 3}", "name": f"Agent {n % 3}"}, "queue": "billing", "csat": 1 + n % 5,
            "started_at": "2026-10-02T16:05:00+02:00", "note": f"free field {n}",
            "turns": [{"speaker": "customer", "at": f"2026-10-02T14:{n % 60:02d}:00Z", "text": f"hi, {PII[n % len(PII)]}"},
                      {"speaker": "agent", "at": "2026-10-02T14:59:30.250000+00:00", "text": "Hello, how can I help?"},
                      {"speaker": "system", "text": "note", "internal": True}]}


def write(path: Path) -> Path:
    lines = [b"\xef\xbb\xbf" + json.dumps(record(0)).encode(), b""]
    for n in range(1, 40):
        if n == 7:
            lines.append(b'{"id": "c-broken", "turns": [')
        elif n == 13:
            lines.append(json.dumps({"id": "c-13", "turns": [{"speaker": "agent", "text": "no agent"}]}).encode())
        elif n == 21:
            lines.append(b'{"id": "c-21", "agent": {"id": "a-1"}, "turns": [{"speaker": "agent", "text": "caf\xe9"}]}')
        else:
            lines.append(json.dumps(record(n), ensure_ascii=False).encode())
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    return path


def stored(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.session() as session:
        ids = {iid: eid for iid, eid in session.execute(select(Interaction.id, Interaction.external_id))}
        turns = [(ids[t.interaction_id], t.index, t.speaker, t.at and t.at.replace(tzinfo=None), t.text, t.internal)
                 for t in session.scalars(select(Turn))]
        spans = [(ids[s.interaction_id], s.turn_index, s.speaker, s.kind, s.start, s.end) for s in session.scalars(select(PIISpan))]
        rows = [(r.external_id, r.csat, r.started_at.replace(tzinfo=None), r.meta, r.content_hash)
                for r in session.scalars(select(Interaction))]
    return {"turns": sorted(turns), "spans": sorted(spans), "interactions": sorted(rows)}


@pytest.mark.parametrize("chunk_lines", [1, 4, 250])
def test_worker_processes_store_what_one_process_would(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       chunk_lines: int) -> None:
    monkeypatch.setattr(chat_import, "_CHUNK_LINES", chunk_lines)
    path = write(tmp_path / "chats.jsonl")
    with open_source(str(path)) as source:
        fmt, records = parse(source)
        parsed = list(records)
    expected_errors = [str(p.error) for p in parsed if p.error is not None]
    expected = [prepare(p.conversation) for p in parsed if p.conversation is not None]
    assert fmt == "jsonl" and len(expected) == 37 and len(expected_errors) == 3

    errors: list[RecordError] = []
    summary = import_chats(db, [str(path)], workers=2, rejects=tmp_path / "parallel.jsonl", on_reject=errors.append)
    [file] = summary.files
    assert (file.format, file.source, file.read, file.imported, file.rejected) == ("jsonl", "chat", 40, 37, 3)
    assert [str(e) for e in errors] == expected_errors
    assert [e.line for e in errors] == [9, 15, 23]
    with db.session() as session:
        hashes = {eid: digest for eid, digest in session.execute(select(Interaction.external_id, Interaction.content_hash))}
    assert hashes == {p.external_id: p.content_hash for p in expected}
    first = stored(db)
    spans = sorted((p.external_id, *span) for p in expected for span in p.span_rows())
    assert first["spans"] == spans
    assert {s[3] for s in spans} == {"card", "email", "phone", "ssn"}
    texts = sorted((p.external_id, turn[0], turn[5]) for p in expected for turn in p.turn_rows())
    assert [(eid, index, text) for eid, index, _, _, text, _ in first["turns"]] == texts

    again = import_chats(db, [str(path)], workers=1, rejects=tmp_path / "serial.jsonl")
    assert (again.totals()["unchanged"], again.totals()["rejected"]) == (37, 3)
    assert (tmp_path / "parallel.jsonl").read_bytes() == (tmp_path / "serial.jsonl").read_bytes()
    assert stored(db) == first


def test_worker_processes_leave_csv_and_documents_to_one_process(db: Database, tmp_path: Path) -> None:
    data = Path(__file__).parent / "data" / "ingest"
    summary = import_chats(db, [str(data / "zendesk_tickets.json")], workers=2)
    assert [(f.format, f.imported, f.rejected) for f in summary.files] == [("zendesk", 1, 0)]
