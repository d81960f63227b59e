"""Every chat format parses into the same canonical conversation; detection is by content."""

from __future__ import annotations

import gzip
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from qa_toolkit.errors import QAError
from qa_toolkit.ingest.formats.csv import CsvMapping, load_mapping
from qa_toolkit.ingest.formats.intercom import html_to_text
from qa_toolkit.ingest.model import Parsed
from qa_toolkit.ingest.parse import parse
from qa_toolkit.ingest.prepare import TURN_FIELDS, prepare
from qa_toolkit.ingest.sources import open_source

DATA = Path(__file__).parent / "data" / "ingest"


def parse_file(path: Path | str, fmt: str = "auto", mapping: CsvMapping | None = None) -> tuple[str, list[Parsed]]:
    with open_source(str(path)) as source:
        found, records = parse(source, fmt, mapping)
        return found, list(records)


def essentials(parsed: Parsed) -> dict[str, Any]:
    """What every format must agree on, as stored (after redaction, timestamps in UTC)."""
    assert parsed.error is None, str(parsed.error)
    assert parsed.conversation is not None
    rows = prepare(parsed.conversation)
    fields = rows.fields()
    turns = [dict(zip(TURN_FIELDS, t)) for t in rows.turn_rows()]
    return {
        "id": rows.external_id, "agent": rows.agent.id, "customer": fields["customer_external_id"],
        "started_at": fields["started_at"].isoformat(), "ended_at": fields["ended_at"].isoformat(),
        "turns": [(t["speaker"], t["text"], t["at"].isoformat(), t["internal"]) for t in turns],
        "pii": rows.span_rows(),
    }


EXPECTED = {
    "id": "4242", "agent": "17", "customer": "9",
    "started_at": "2026-10-02T14:05:00+00:00", "ended_at": "2026-10-02T14:07:00+00:00",
    "turns": [
        ("customer", "Hi, I was charged twice", "2026-10-02T14:05:00+00:00", False),
        ("agent", "Hello! I'm sorry about that.\nLet me check.", "2026-10-02T14:05:40+00:00", False),
        ("system", "Refund approved by team lead", "2026-10-02T14:06:10+00:00", True),
        ("customer", "Thanks! Send the receipt to [EMAIL] please.", "2026-10-02T14:07:00+00:00", False),
    ],
    "pii": [(3, "customer", "email", 28, 42)],
}


@pytest.mark.parametrize(("name", "fmt"), [
    ("same.jsonl", "jsonl"), ("same.json", "json"), ("same.csv", "csv"), ("4242.txt", "text"),
    ("zendesk_tickets.json", "zendesk"), ("intercom_conversations.json", "intercom"),
])
def test_every_format_gives_the_same_canonical_conversation(name: str, fmt: str) -> None:
    found, records = parse_file(DATA / name)
    assert found == fmt
    assert essentials(records[0]) == EXPECTED


@pytest.mark.parametrize("mapping", ["mapping.yaml", "mapping.toml"])
def test_csv_with_a_mapping_file(mapping: str) -> None:
    found, [record] = parse_file(DATA / "mapped.csv", mapping=load_mapping(DATA / mapping))
    assert found == "csv"
    assert essentials(record) == {**EXPECTED, "customer": None}


def test_format_is_detected_from_content_not_extension(tmp_path: Path) -> None:
    for name, fmt in [("same.jsonl", "jsonl"), ("same.csv", "csv"), ("4242.txt", "text"),
                      ("zendesk_tickets.json", "zendesk"), ("intercom_conversations.json", "intercom")]:
        renamed = tmp_path / f"{name}.dat"
        shutil.copy(DATA / name, renamed)
        assert parse_file(renamed)[0] == fmt


def test_gzip_is_read_transparently(tmp_path: Path) -> None:
    packed = tmp_path / "same.jsonl.gz"
    packed.write_bytes(gzip.compress((DATA / "same.jsonl").read_bytes()))
    found, records = parse_file(packed)
    assert found == "jsonl"
    assert [r.conversation.id for r in records if r.conversation] == ["4242", "4243"]
    assert essentials(records[0]) == EXPECTED


def test_content_hash_is_stable_across_versions() -> None:
    # Stored hashes decide "unchanged" on re-import: a new version must compute the same ones, or every
    # conversation would be re-imported as updated. Format 2's hashes (pinned since it came) and, on demand,
    # the first format's (pinned since the first release), which the databases it filled still hold.
    _, records = parse_file(DATA / "same.jsonl")
    prepared = [prepare(r.conversation, legacy_hash=True) for r in records if r.conversation]
    assert [p.content_hash for p in prepared] == [
        "2:a97d6138b5056b35b33783ed118aa8552de35c1d96b3bc66daa945044549d4",
        "2:a7de3d6624269d3eedfe9b21938402fddaf682020d247e9154bc3957ed00f9"]
    assert [p.legacy_hash for p in prepared] == [
        "8dd6df0c69c3adfddadb066d981d91acbbca54055ad23761a99b8b1669b9897a",
        "d9b2f76878f21ab8a6949b74f24d14a0566e051fbc390da548543f23027fd155"]
    assert prepare(records[0].conversation).legacy_hash is None  # only when asked for


def test_content_hash_covers_what_orjson_cannot_write() -> None:
    # Integers beyond 64 bits and lone surrogates take Python's json instead: still a stable hash, and a change counts.
    _, records = parse_file(DATA / "same.jsonl")
    conversation = records[0].conversation
    assert conversation is not None
    huge = conversation.model_copy(update={"metadata": {"order": 2**70}})
    surrogate = conversation.model_copy(update={"metadata": {"note": "\ud800"}})
    hashes = [prepare(c).content_hash for c in (conversation, huge, surrogate)]
    assert len(set(hashes)) == 3 and all(h.startswith("2:") and len(h) == 64 for h in hashes)
    assert prepare(huge).content_hash == hashes[1]
    assert prepare(huge.model_copy(update={"metadata": {"order": 2**70 + 1}})).content_hash != hashes[1]


def test_canonical_extras_are_kept_and_labels_passed_through() -> None:
    _, records = parse_file(DATA / "same.jsonl")
    conversation = records[0].conversation
    assert conversation is not None
    assert conversation.labels == {"greeting": True}
    assert (conversation.csat, conversation.resolved, conversation.tags, conversation.queue) == (4, True, ["refund"], "billing")


def test_zendesk_and_intercom_fields(shared_dir: Path) -> None:
    _, [ticket] = parse_file(DATA / "zendesk_tickets.json")
    assert ticket.conversation is not None
    assert ticket.conversation.agent.name == "Dana Park" and ticket.conversation.agent.team == "billing"
    assert ticket.conversation.metadata == {"zendesk": {"status": "solved", "via": "chat", "satisfaction": "good", "group_id": 5}}
    assert ticket.conversation.resolved is True and ticket.conversation.topic == "Charged twice"
    _, [conversation] = parse_file(DATA / "intercom_conversations.json")
    assert conversation.conversation is not None
    assert conversation.conversation.csat == 4 and conversation.conversation.tags == ["refund"]
    assert conversation.conversation.metadata == {"intercom": {"state": "closed"}}


def test_zendesk_list_response_with_side_loads_after_the_tickets(tmp_path: Path) -> None:
    """`GET /api/v2/tickets?include=users,groups` puts users and groups at the top level, after the tickets."""
    tickets = [{"id": 7, "requester_id": 9, "assignee_id": 17, "group_id": 5, "status": "open",
                "comments": [{"author_id": 9, "body": "Hi", "created_at": "2026-10-02T14:05:00Z"},
                             {"author_id": 31, "body": "I'm cc'd, same problem", "created_at": "2026-10-02T14:06:00Z"},
                             {"author_id": 17, "body": "Hello both", "created_at": "2026-10-02T14:07:00Z"}]},
               {"id": 8, "requester_id": 9, "assignee_id": 18, "users": [{"id": 18, "name": "Own Side-load", "role": "agent"}],
                "comments": [{"author_id": 18, "body": "Hi again", "created_at": "2026-10-03T09:00:00Z"}]}]
    document = {"tickets": tickets, "next_page": None, "count": 2,
                "users": [{"id": 17, "name": "Dana Park", "role": "agent"}, {"id": 9, "name": "Jo Doe", "role": "end-user"},
                          {"id": 31, "name": "Cc Person", "role": "end-user"}, {"id": 18, "name": "Top", "role": "agent"}],
                "groups": [{"id": 5, "name": "billing"}]}
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps(document, indent=1))
    found, [first, second] = parse_file(path)
    assert found == "zendesk" and first.error is None and second.error is None
    assert first.conversation is not None and second.conversation is not None
    assert (first.conversation.agent.name, first.conversation.agent.team) == ("Dana Park", "billing")
    assert [t["speaker"] for t in first.conversation.turns] == ["customer", "customer", "agent"]
    assert (first.line, second.line) == (3, 27)  # where each ticket starts in the file
    assert second.conversation.agent.name == "Own Side-load"  # a ticket's own side-loads win


def test_abcd_real_data_speakers(shared_dir: Path) -> None:
    found, records = parse_file(shared_dir / "data" / "abcd" / "abcd_train_first50.json")
    assert found == "abcd"
    assert [r.error for r in records if r.error] == []
    assert len(records) == 50
    speakers = Counter(t["speaker"] for r in records if r.conversation for t in r.conversation.turns)
    assert speakers == {"agent": 456, "customer": 440, "system": 174}
    first = records[0].conversation
    assert first is not None
    assert (first.id, first.queue, first.topic, first.agent.id) == ("3592", "product_defect", "return_size", "abcd-agent")
    assert first.turns[6]["text"] == "Account has been pulled up for Crystal Minh."
    assert first.turns[6]["speaker"] == "system"


def test_abcd_plain_list_sample(shared_dir: Path) -> None:
    found, records = parse_file(shared_dir / "data" / "abcd" / "abcd_sample.json")
    assert found == "abcd"
    assert [r.conversation.id for r in records if r.conversation] == ["3592", "9489", "3695"]
    assert records[0].line == 1


def test_text_without_a_date_gives_seconds_from_the_start(tmp_path: Path) -> None:
    path = tmp_path / "t-7.txt"
    path.write_text("# agent: a-1\n[23:59:50] Customer: hello\n[00:00:20] Agent: hi, how can I help?\nSystem: closed\n")
    _, [record] = parse_file(path)
    assert record.conversation is not None
    assert record.conversation.id == "t-7"
    assert [(t["speaker"], t.get("start_s"), t.get("at")) for t in record.conversation.turns] == [
        ("customer", 0.0, None), ("agent", 30.0, None), ("system", None, None)]


def test_text_past_midnight_rolls_to_the_next_day(tmp_path: Path) -> None:
    path = tmp_path / "late.txt"
    path.write_text("# agent: a-1\n# started_at: 2026-10-31T23:59:00+01:00\n[23:59:30] Customer: hi\n[00:01:00] Agent: hello\n")
    _, [record] = parse_file(path)
    assert record.conversation is not None
    assert [t["at"].isoformat() for t in record.conversation.turns if t.get("at")] == [
        "2026-10-31T23:59:30+01:00", "2026-11-01T00:01:00+01:00"]


def test_unknown_format_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("Just some notes\nwithout any structure\n")
    with pytest.raises(QAError, match="cannot tell the format from the content"):
        parse_file(path)


def test_bad_mapping_files_are_explained(tmp_path: Path) -> None:
    bad = tmp_path / "m.yaml"
    bad.write_text("columns:\n  convo: ChatID\n")
    with pytest.raises(QAError, match="columns: unknown field 'convo'"):
        load_mapping(bad)
    bad.write_text("speakers:\n  Bot: robot\n")
    with pytest.raises(QAError, match="speakers.Bot: 'robot' is not agent, customer, system or note"):
        load_mapping(bad)
    bad.write_text("timezone: Mars/Olympus\n")
    with pytest.raises(QAError, match="timezone: unknown zone 'Mars/Olympus'"):
        load_mapping(bad)
    bad.write_text("columns: [\n")
    with pytest.raises(QAError, match="invalid mapping file"):
        load_mapping(bad)


def test_html_bodies_become_text() -> None:
    assert html_to_text("<p>Hi&nbsp;there,</p><p>line <b>two</b><br>three</p>") == "Hi there,\nline two\nthree"


def errors_of(path: Path, mapping: CsvMapping | None = None) -> list[str]:
    return [str(r.error) for r in parse_file(path, mapping=mapping)[1] if r.error]


def test_json_array_errors_name_the_record_line(tmp_path: Path) -> None:
    path = tmp_path / "chats.json"
    good = '{"id": "c-1", "agent": {"id": "a"}, "turns": [{"speaker": "agent", "text": "hi"}]}'
    path.write_bytes(b"[\n" + good.encode() + b",\n" + b'{"id": "c-2", "agent": {"id": "a"},\n "turns": [{"speaker": "agent", '
                     b'"text": "caf\xe9"}]},\n{"id": "c-3", "agent": {"id": "a"}, "turns": []},\n' + good.encode() + b"\n]\n")
    assert errors_of(path) == [f"{path}:3: encoding: invalid UTF-8 on line 4 at byte 45",
                               f"{path}:5: turns: empty conversation: at least one turn is required"]
    path.write_text("[\n" + good + ",\n" + good[:30] + "\n")
    found, records = parse_file(path)
    assert [r.conversation.id for r in records if r.conversation] == ["c-1"]
    assert str(records[-1].error).startswith(f"{path}:3: json: malformed JSON: ")


def test_csv_errors(tmp_path: Path) -> None:
    path = tmp_path / "chats.csv"
    path.write_bytes(b"chat_id,speaker,message,agent_id\nc-1,customer,hi,a-1\nc-2,customer,caf\xe9,a-1\n"
                     b"c-3,agent,\"two\nlines\",a-1\nc-1,agent,late,a-1\n,agent,no id,a-1\nc-4,agent,hello\n")
    assert errors_of(path) == [
        f"{path}:3: encoding: invalid UTF-8",
        f"{path}:6: conversation_id: rows of this conversation are not next to each other (also from line 2 on; "
        "sort the file by conversation)",
        f"{path}:7: conversation_id: missing required field",
        f"{path}:8: row: 3 columns, the header has 4",
    ]
    path.write_text("chat_id,message\nc-1,hi\n")
    assert errors_of(path) == [f"{path}:1: header: no column for speaker (expected one of speaker, role, sender, "
                               "sender_type, ...; or name it in --mapping)"]
    path.write_text("chat_id,speaker,message\nc-1,customer,hi\n")
    assert errors_of(path) == [f"{path}:2: agent.id: missing required field"]


def test_text_errors(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("# agent: a-1\nhello there\nAgent: hi\n")
    assert errors_of(path) == [f"{path}:2: speaker: line does not start with Agent:, Customer:, System: or Note:"]
    path.write_text("# agent: a-1\n# started_at: 2026-10-02T14:05:00Z\n[14:05] Customer: hi\n[25:61] Agent: hi\n")
    assert errors_of(path) == [f"{path}:4: at: not a time of day: [25:61]"]
    path.write_text("Customer: hi\nAgent: hello\n")
    assert errors_of(path) == [f"{path}:1: agent.id: missing required field"]


def test_truncated_gzip_is_reported_not_crashed(tmp_path: Path, db: Any) -> None:
    from qa_toolkit.services.chat_import import import_chats

    lines = [json.dumps({"id": f"c-{i}", "agent": {"id": "a-1"}, "turns": [{"speaker": "customer", "text": f"hi {i}"}]})
             for i in range(2000)]  # distinct ids: the same id twice in one file is rejected
    data = gzip.compress("\n".join(lines).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    summary = import_chats(db, [str(path)], rejects=tmp_path / "r.jsonl")
    [file] = summary.files
    assert file.rejected == 1 and file.imported >= 1
