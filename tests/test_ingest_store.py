"""Chat import into the database (SQLite and PostgreSQL): per-record errors, idempotency, updates and
their audit trail, PII spans, agents, strict mode, whole-conversation batches."""

from __future__ import annotations

import json
from datetime import timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from qa_toolkit.ingest.model import RecordError, validate
from qa_toolkit.ingest.prepare import prepare
from qa_toolkit.services import audit
from qa_toolkit.services import chat_import
from qa_toolkit.services.chat_import import import_chats
from qa_toolkit.storage.bulk import estimated_rows
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Agent, AuditEvent, Interaction, PIISpan, Turn

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "chats"


def chat(cid: str, *turns: tuple[str, str], agent: str = "a-1", **extra: Any) -> dict[str, Any]:
    return {"id": cid, "agent": {"id": agent, "name": f"Agent {agent}", "team": "billing"},
            "turns": [{"speaker": s, "text": t, "at": f"2026-10-02T14:0{i}:00Z"} for i, (s, t) in enumerate(turns)], **extra}


def write_jsonl(path: Path, *records: dict[str, Any] | bytes | str) -> Path:
    lines = [r if isinstance(r, bytes) else (r if isinstance(r, str) else json.dumps(r)).encode() for r in records]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def counts(db: Database) -> tuple[int, int, int]:
    with db.session() as session:
        return (session.scalar(select(func.count()).select_from(Interaction)) or 0,
                session.scalar(select(func.count()).select_from(Turn)) or 0,
                session.scalar(select(func.count()).select_from(PIISpan)) or 0)


def test_each_kind_of_bad_record_is_rejected_with_its_line_and_the_rest_stored(db: Database, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "bad.jsonl",
        chat("c-1", ("customer", "hi"), ("agent", "hello")),
        '{"id": "c-2", "agent": {"id": "a-1"}, "turns": [',
        {"id": "c-3", "turns": [{"speaker": "agent", "text": "no agent"}]},
        {"id": "c-4", "agent": {"id": "a-1"}, "turns": [{"speaker": "bot", "text": "beep"}]},
        {"id": "c-5", "agent": {"id": "a-1"}, "turns": [{"speaker": "agent", "text": "x", "at": "02/10/2026 14:05"}]},
        {"id": "c-6", "agent": {"id": "a-1"}, "turns": [{"speaker": "agent", "text": "x", "at": "2026-10-02T14:05:00"}]},
        {"id": "c-7", "agent": {"id": "a-1"}, "turns": []},
        chat("c-8", ("customer", "hi"), ("agent", "x" * 100_001)),
        b'{"id": "c-9", "agent": {"id": "a-1"}, "turns": [{"speaker": "agent", "text": "caf\xe9"}]}',
        "",
        chat("c-10", ("customer", "bye")),
    )
    errors: list[RecordError] = []
    summary = import_chats(db, [str(path)], rejects=tmp_path / "rejects.jsonl", on_reject=errors.append)
    name = str(path)
    assert [str(e) for e in errors][1:] == [
        f"{name}:3: agent: missing required field",
        f"{name}:4: turns.0.speaker: not one of 'agent', 'customer' or 'system'",
        f"{name}:5: turns.0.at: not an ISO-8601 timestamp",
        f"{name}:6: turns.0.at: timestamp has no timezone (add Z or +hh:mm)",
        f"{name}:7: turns: empty conversation: at least one turn is required",
        f"{name}:8: turns.1.text: turn text is longer than 100,000 characters",
        f"{name}:9: encoding: invalid UTF-8 at byte 82",
    ]
    assert str(errors[0]).startswith(f"{name}:2: json: malformed JSON: ")
    [file] = summary.files
    assert (file.format, file.read, file.imported, file.rejected) == ("jsonl", 10, 2, 8)
    with db.session() as session:
        assert sorted(session.scalars(select(Interaction.external_id))) == ["c-1", "c-10"]
    # the rejects file holds the raw records, one per line, ready to fix and re-import
    rejected = (tmp_path / "rejects.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rejected) == 8
    assert rejected[0] == '{"id": "c-2", "agent": {"id": "a-1"}, "turns": ['
    assert json.loads(rejected[5]) == {"id": "c-7", "agent": {"id": "a-1"}, "turns": []}
    assert summary.rejects == [tmp_path / "rejects.jsonl"]


def test_samples_import_then_reimport_is_a_no_op(db: Database) -> None:
    first = import_chats(db, [str(SAMPLES)], source="demo")
    assert first.totals() == {"read": 20, "imported": 20, "updated": 0, "unchanged": 0, "rejected": 0}
    assert sorted(first.agents_created) == ["a-17", "a-22", "a-31", "a-45", "a-52", "a-60"]
    before = counts(db)
    with db.session() as session:
        events = session.scalar(select(func.count()).select_from(AuditEvent))
    second = import_chats(db, [str(SAMPLES)], source="demo")
    assert second.totals() == {"read": 20, "imported": 0, "updated": 0, "unchanged": 20, "rejected": 0}
    assert second.agents_created == []
    assert counts(db) == before
    with db.session() as session:
        # only the per-file import event was added
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == (events or 0) + 1
        agent = session.scalar(select(Agent).where(Agent.external_id == "a-31"))
        assert agent is not None and (agent.name, agent.team) == ("Li Lei 李雷", "tech")


def test_stored_fields_timestamps_and_labels(db: Database) -> None:
    import_chats(db, [str(SAMPLES)], source="demo")
    with db.session() as session:
        row = session.scalar(select(Interaction).where(Interaction.external_id == "c-1001"))
        assert row is not None
        assert (row.source, row.channel, row.queue, row.topic, row.csat, row.nps, row.ces, row.resolved, row.escalated) == (
            "demo", "chat", "billing", "double charge", 5, 9, 2, True, False)
        assert row.customer_external_id == "cust-301" and row.tags == ["refund", "double-charge"]
        assert row.labels == {"greeting": True, "closing": True, "empathy_when_needed": None,
                              "identity_verified_before_account_details": True, "prohibited_language_by_agent": False,
                              "resolved": True, "escalated": False, "customer_sentiment_end": "neutral",
                              "max_agent_response_gap_seconds": 40,
                              "unredacted_pii": [{"type": "email", "turn": 2, "text": "[EMAIL]"}],
                              "verification": True, "empathy": True, "resolution_confirmed": True}
        # Hand labels quote the PII they mark: stored redacted like the turns, never raw.
        stored = json.dumps([r.labels for r in session.scalars(select(Interaction))])
        assert "example.com" not in stored and "4539 1488" not in stored and "5500-0000" not in stored
        assert "[CARD]" in stored
        started = row.started_at if row.started_at.tzinfo else row.started_at.replace(tzinfo=timezone.utc)
        assert started.astimezone(timezone.utc).isoformat() == "2026-10-01T09:12:00+00:00"
        assert row.duration_s == 415.0
        assert row.agent is not None and row.agent.external_id == "a-17"
        assert [t.speaker for t in row.turns][:3] == ["customer", "agent", "customer"]
        assert len(row.content_hash or "") == 64 and row.pii_redacted is True


def test_pii_is_redacted_and_spans_kept_without_values(db: Database) -> None:
    import_chats(db, [str(SAMPLES)], source="demo")
    with db.session() as session:
        texts = " ".join(session.scalars(select(Turn.text)))
        for raw in ("4539 1488 0343 6467", "5500-0000-0000-0004", "078-05-1120", "marta.kowalska@example.com",
                    "FR14 2004", "(212) 555-0187"):
            assert raw not in texts
        card = session.execute(
            select(PIISpan.turn_index, PIISpan.speaker, PIISpan.kind, PIISpan.start, PIISpan.end)
            .join(Interaction, Interaction.id == PIISpan.interaction_id).where(Interaction.external_id == "c-1003")).all()
        original = next(json.loads(line) for line in (SAMPLES / "chats.jsonl").open(encoding="utf-8")
                        if '"c-1003"' in line)["turns"][2]["text"]
        [(_, _, _, start, end)] = card
        assert card == [(2, "customer", "card", start, end)]
        assert original[start:end] == "4539 1488 0343 6467"  # offsets in the original text
        turn = session.scalar(select(Turn.text).join(Interaction).where(Interaction.external_id == "c-1003", Turn.index == 2))
        assert turn == "12 March 1988, SW1A 1AA. Here is the card so you can check it: [CARD]"
        kinds = sorted(session.execute(select(PIISpan.kind, PIISpan.speaker, func.count()).group_by(PIISpan.kind, PIISpan.speaker)).all())
        assert kinds == [("card", "customer", 2), ("cvv", "customer", 1), ("email", "agent", 2), ("email", "customer", 4),
                         ("iban", "customer", 1), ("phone", "agent", 1), ("phone", "customer", 2), ("ssn", "customer", 1)]


@pytest.mark.parametrize("workers", [1, 2])
def test_phone_numbers_of_the_regions_set_are_redacted(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       workers: int) -> None:
    from qa_toolkit.config import get_settings

    monkeypatch.setenv("QA_PHONE_REGIONS", "US,GB")
    get_settings.cache_clear()
    path = write_jsonl(tmp_path / "uk.jsonl", chat("c-1", ("customer", "call me on 07911 123456"), ("agent", "will do")))
    import_chats(db, [str(path)], workers=workers)
    with db.session() as session:
        assert session.scalars(select(Turn.text).order_by(Turn.index)).all() == ["call me on [PHONE]", "will do"]
        assert [(s.kind, s.speaker, s.start, s.end) for s in session.scalars(select(PIISpan))] == [
            ("phone", "customer", 11, 23)]


def test_no_redact_stores_raw_text_and_says_so_in_the_audit_log(db: Database, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "raw.jsonl", chat("c-1", ("customer", "card 4111 1111 1111 1111")))
    import_chats(db, [str(path)], redact=False, actor="rita")
    with db.session() as session:
        assert session.scalar(select(Turn.text)) == "card 4111 1111 1111 1111"
        assert counts(db)[2] == 0
        batch, event = audit.events(session, entity_type="import")[::-1]  # the newest first
        assert event.actor == "rita" and event.action == "chats.import"
        assert event.after is not None and event.after["redaction"] == "off (--no-redact: raw text stored)"
        # the batch's own event says so too, should the import not reach its end
        assert batch.action == "chats.import.batch" and batch.after is not None
        assert batch.after["imported"] == 1 and batch.after["redaction"] == "off (--no-redact: raw text stored)"


def test_changed_conversation_is_updated_and_audited(db: Database, tmp_path: Path) -> None:
    original = chat("c-1", ("customer", "hi"), ("agent", "hello"), ("customer", "mail me: jo@example.com"), csat=3)
    path = write_jsonl(tmp_path / "v1.jsonl", original, chat("c-2", ("customer", "other")))
    import_chats(db, [str(path)])
    changed = chat("c-1", ("customer", "hi"), ("agent", "Hello! How can I help?"), csat=5, agent="a-2")
    path = write_jsonl(tmp_path / "v2.jsonl", changed, chat("c-2", ("customer", "other")))
    summary = import_chats(db, [str(path)], actor="lee")
    assert summary.totals() == {"read": 2, "imported": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    assert counts(db) == (2, 3, 0)
    with db.session() as session:
        row = session.scalar(select(Interaction).where(Interaction.external_id == "c-1"))
        assert row is not None and row.csat == 5
        assert [t.text for t in row.turns] == ["hi", "Hello! How can I help?"]
        [event] = audit.events(session, entity_type="interaction")
        assert (event.actor, event.action, event.entity_id) == ("lee", "interaction.update", "chat:c-1")
        assert event.before is not None and event.after is not None
        assert (event.before["csat"], event.after["csat"]) == (3, 5)
        assert (event.before["agent"], event.after["agent"]) == ("a-1", "a-2")
        assert (event.before["turns"], event.after["turns"], event.after["turns_changed"]) == (3, 2, [1, 2])
        assert event.before["content_hash"] != event.after["content_hash"]


@pytest.mark.parametrize("workers", [1, 2])
def test_hashes_stored_by_the_first_release_count_as_unchanged_and_are_renewed(db: Database, tmp_path: Path,
                                                                              workers: int) -> None:
    kept = chat("c-1", ("customer", "hi, mail me: jo@example.com"), ("agent", "hello"), csat=4, tags=["refund"],
                labels={"greeting": True}, metadata={"zendesk": {"via": "web"}})
    edited = chat("c-2", ("customer", "other"))
    import_chats(db, [str(write_jsonl(tmp_path / "v1.jsonl", kept, edited))])
    prepared = {r["id"]: prepare(validate(r, file="v1.jsonl", line=1, raw="").conversation, legacy_hash=True)
                for r in (kept, edited)}
    with db.session() as session:  # as the first release stored them
        for row in session.scalars(select(Interaction)):
            row.content_hash = prepared[row.external_id].legacy_hash

    path = write_jsonl(tmp_path / "v2.jsonl", kept, chat("c-2", ("customer", "changed")))
    summary = import_chats(db, [str(path)], workers=workers)
    assert summary.totals() == {"read": 2, "imported": 0, "updated": 1, "unchanged": 1, "rejected": 0}
    with db.session() as session:
        hashes = {r.external_id: r.content_hash for r in session.execute(select(Interaction.external_id, Interaction.content_hash))}
        assert hashes["c-1"] == prepared["c-1"].content_hash and hashes["c-2"].startswith("2:")
        assert [e.entity_id for e in audit.events(session, entity_type="interaction")] == ["chat:c-2"]
    assert import_chats(db, [str(path)], workers=workers).totals()["unchanged"] == 2


def test_same_id_in_another_source_is_another_conversation(db: Database, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", chat("c-1", ("customer", "hi")))
    import_chats(db, [str(path)], source="zendesk-eu")
    import_chats(db, [str(path)], source="zendesk-us")
    with db.session() as session:
        assert sorted(session.scalars(select(Interaction.source))) == ["zendesk-eu", "zendesk-us"]


def test_existing_agents_are_used_not_changed(db: Database, tmp_path: Path) -> None:
    from qa_toolkit.services import people

    with db.session() as session:
        people.add_agent(session, "a-1", "Dana Park", team="billing")
    path = write_jsonl(tmp_path / "a.jsonl", chat("c-1", ("agent", "hi"), agent="a-1"), chat("c-2", ("agent", "hi"), agent="a-9"))
    summary = import_chats(db, [str(path)])
    assert summary.agents_created == ["a-9"]
    with db.session() as session:
        assert [(a.external_id, a.name) for a in people.list_agents(session)] == [("a-1", "Dana Park"), ("a-9", "Agent a-9")]
        [event] = [e for e in audit.events(session, entity_type="agent") if e.entity_id == "a-9"]
        assert event.after is not None and event.after["created_by"] == "chat import"


def test_strict_imports_nothing_from_a_file_with_a_bad_record(db: Database, tmp_path: Path) -> None:
    bad = write_jsonl(tmp_path / "bad.jsonl", chat("c-1", ("agent", "hi")), {"id": "c-2", "agent": {"id": "a-1"}, "turns": []})
    good = write_jsonl(tmp_path / "good.jsonl", chat("c-3", ("agent", "hi")))
    summary = import_chats(db, [str(bad), str(good)], strict=True, rejects=tmp_path / "r.jsonl")
    assert [(f.read, f.imported, f.rejected, f.strict_skipped) for f in summary.files] == [(2, 0, 1, True), (1, 1, 0, False)]
    with db.session() as session:
        assert list(session.scalars(select(Interaction.external_id))) == ["c-3"]


def test_a_crash_mid_import_leaves_only_whole_conversations(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_jsonl(tmp_path / "many.jsonl", *[chat(f"c-{i}", ("customer", "hi"), ("agent", "hello"), agent=f"a-{i}")
                                                   for i in range(5)])
    real_insert_columns = chat_import.insert_columns
    calls = {"turns": 0}

    def failing_insert_columns(connection, table, columns, values):  # type: ignore[no-untyped-def]
        if table is chat_import.TURNS:
            calls["turns"] += 1
            if calls["turns"] == 2:
                raise RuntimeError("killed")
        return real_insert_columns(connection, table, columns, values)

    monkeypatch.setattr(chat_import, "insert_columns", failing_insert_columns)
    with pytest.raises(RuntimeError, match="killed"):
        import_chats(db, [str(path)], batch_size=2)
    assert counts(db) == (2, 4, 0)
    with db.session() as session:
        assert sorted(session.scalars(select(Agent.external_id))) == ["a-0", "a-1"]
    monkeypatch.setattr(chat_import, "insert_columns", real_insert_columns)
    summary = import_chats(db, [str(path)], batch_size=2)
    assert summary.totals()["imported"] == 3 and summary.totals()["unchanged"] == 2
    assert counts(db) == (5, 10, 0)


def test_all_formats_and_real_abcd_import(db: Database, shared_dir: Path) -> None:
    data = Path(__file__).parent / "data" / "ingest"
    summary = import_chats(db, [str(data / "zendesk_tickets.json"), str(data / "intercom_conversations.json"),
                                str(shared_dir / "data" / "abcd" / "abcd_train_first50.json")])
    assert [(f.format, f.imported, f.rejected) for f in summary.files] == [("zendesk", 1, 0), ("intercom", 1, 0), ("abcd", 50, 0)]
    with db.session() as session:
        rows = session.execute(select(Interaction.source, Turn.speaker, func.count()).join(Turn)
                               .where(Interaction.source == "abcd").group_by(Interaction.source, Turn.speaker)).all()
        assert sorted(rows) == [("abcd", "agent", 456), ("abcd", "customer", 440), ("abcd", "system", 174)]
        internal = session.execute(select(Interaction.source, Turn.text).join(Turn).where(Turn.internal.is_(True))).all()
        assert sorted(internal) == [("intercom", "Refund approved by team lead"), ("zendesk", "Refund approved by team lead")]


def test_postgresql_planner_statistics_follow_a_bulk_import(db: Database, tmp_path: Path) -> None:
    """A table the planner believes empty gets whole-table scans for every batch's lookups (imports slowed
    quadratically): the import analyses the tables whenever they have doubled."""
    path = write_jsonl(tmp_path / "many.jsonl", *[chat(f"c-{i}", ("customer", "hi"), ("agent", "hello")) for i in range(12)])
    summary = import_chats(db, [str(path)], batch_size=3)
    assert summary.totals()["imported"] == 12
    with db.engine.connect() as connection:
        if connection.dialect.name != "postgresql":
            assert estimated_rows(connection, chat_import.INTERACTIONS) == 0
            return
        # Refreshed after 3, 6 (doubled) and 12 conversations; turns alike.
        assert estimated_rows(connection, chat_import.INTERACTIONS) == 12
        assert estimated_rows(connection, chat_import.TURNS) == 24
