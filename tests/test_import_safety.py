"""Hostile and unlucky chat files (issue 20, items 2, 3, 13): JSON Lines with very long lines, duplicate ids
in one file, PII in tags, topic, queue and customer id. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from qa_toolkit.ingest.model import RecordError
from qa_toolkit.services.chat_import import import_chats
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import AuditEvent, Interaction


def chat(cid: str, turns: int = 2, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "agent": {"id": "a-1"},
            "turns": [{"speaker": "customer" if i % 2 else "agent", "text": f"message {i} of {cid}, about the refund and the late fee"}
                      for i in range(turns)], **extra}


def write(path: Path, *records: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def stored(db: Database) -> list[str]:
    with db.session() as session:
        return sorted(session.scalars(select(Interaction.external_id)))


@pytest.mark.parametrize(("fmt", "workers"), [("auto", 1), ("jsonl", 1), ("jsonl", 2), ("auto", 2)])
def test_json_lines_whose_first_line_is_longer_than_64_kib(db: Database, tmp_path: Path, fmt: str, workers: int) -> None:
    # a 700-turn chat first: today's main read the file as one JSON document (0 of 101 imported, no rejects)
    path = write(tmp_path / "long.jsonl", chat("c-000", turns=800), *[chat(f"c-{i:03d}") for i in range(1, 101)])
    assert len(path.read_bytes().split(b"\n", 1)[0]) > 64 * 1024
    errors: list[RecordError] = []
    summary = import_chats(db, [str(path)], fmt=fmt, workers=workers, on_reject=errors.append)
    assert errors == []
    [file] = summary.files
    assert (file.format, file.read, file.imported, file.rejected) == ("jsonl", 101, 101, 0)
    assert len(stored(db)) == 101


def test_a_one_line_wrapper_document_longer_than_64_kib_is_still_a_document(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"exported": "2026-10-02", "records": [chat(f"c-{i:03d}", turns=40) for i in range(60)]}),
                    encoding="utf-8")
    assert path.stat().st_size > 64 * 1024
    summary = import_chats(db, [str(path)])
    assert (summary.files[0].format, summary.files[0].imported, summary.rejected) == ("json", 60, 0)


@pytest.mark.parametrize("workers", [1, 2])
def test_the_same_id_twice_in_one_file_is_rejected_with_its_line(db: Database, tmp_path: Path, workers: int) -> None:
    # today's main: the second silently replaced the first ("updated", exit 0)
    first, second = chat("c-1", turns=2), chat("c-1", turns=4)
    path = write(tmp_path / "dup.jsonl", first, chat("c-2"), second, chat("c-3"))
    rejects = tmp_path / "rejects.jsonl"
    errors: list[RecordError] = []
    summary = import_chats(db, [str(path)], workers=workers, rejects=rejects, on_reject=errors.append)
    assert [str(e) for e in errors] == [f"{path}:3: id: duplicate id: the conversation on line 1 has it "
                                        "(one record per conversation and file)"]
    [file] = summary.files
    assert (file.read, file.imported, file.updated, file.rejected) == (4, 3, 0, 1)
    assert stored(db) == ["c-1", "c-2", "c-3"]
    assert [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()] == [second]
    with db.session() as session:  # the first one is stored, untouched
        assert session.scalar(select(AuditEvent).where(AuditEvent.action == "interaction.update")) is None
    # in a JSON array, even on one line, the same
    array = tmp_path / "dup.json"
    array.write_text(json.dumps([chat("d-1"), chat("d-1", turns=3)]), encoding="utf-8")
    errors.clear()
    summary = import_chats(db, [str(array)], workers=workers, rejects=tmp_path / "more.jsonl", on_reject=errors.append)
    assert [e.field for e in errors] == ["id"] and summary.files[0].imported == 1


def test_duplicate_ids_under_strict_import_nothing(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "dup.jsonl", chat("c-1"), chat("c-1", turns=3))
    summary = import_chats(db, [str(path)], strict=True, rejects=tmp_path / "r.jsonl")
    assert summary.files[0].strict_skipped and stored(db) == []


def test_tags_topic_queue_and_customer_id_are_redacted_like_turns(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "pii.jsonl", chat("c-1", customer={"id": "jo.smith@example.com"}, topic="4111 1111 1111 1111",
                                              queue="call (415) 555-2671", tags=["ssn 123-45-6789", "refund"]))
    import_chats(db, [str(path)])
    with db.session() as session:
        row = session.scalar(select(Interaction))
        assert row is not None
        assert (row.customer_external_id, row.topic, row.queue, row.tags) == (
            "[EMAIL]", "[CARD]", "call [PHONE]", ["ssn [SSN]", "refund"])
    # --no-redact keeps them (an update of the same conversation)
    import_chats(db, [str(path)], redact=False)
    with db.session() as session:
        row = session.scalar(select(Interaction))
        assert row is not None and row.customer_external_id == "jo.smith@example.com"


def test_metadata_keyed_by_personal_data_is_redacted_and_nothing_lost(db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "keys.jsonl", chat("c-1", contacts={"jo@example.com": "primary", "al@example.org": "backup",
                                                                "count": 2}))
    import_chats(db, [str(path)])
    with db.session() as session:
        row = session.scalar(select(Interaction))
        assert row is not None
        assert row.meta["contacts"] == {"[EMAIL]": "primary", "[EMAIL] (2)": "backup", "count": 2}


def test_a_first_line_nested_too_deep_to_load_is_still_detected_as_json_lines(db: Database, tmp_path: Path) -> None:
    # 9,000 levels in 54 KB, inside the 64 KiB head: detection itself must not die of a RecursionError
    deep = '{"a":' * 9000 + "1" + "}" * 9000
    path = tmp_path / "deep.jsonl"
    path.write_text(deep + "\n" + json.dumps(chat("c-1")) + "\n", encoding="utf-8")
    errors: list[RecordError] = []
    summary = import_chats(db, [str(path)], rejects=tmp_path / "r.jsonl", on_reject=errors.append)
    assert [(e.line, e.field) for e in errors] == [(1, "record")]
    assert (summary.files[0].format, summary.files[0].imported) == ("jsonl", 1) and stored(db) == ["c-1"]
