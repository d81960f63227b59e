"""Every output path after PII goes in (issue 20, item 15): what `qa import chats` and `qa transcribe batch` print
(tables, --json, errors), store (every table), audit and export holds no card number, SSN, phone number or
e-mail address in clear, wherever in the input it was: turn text, tags, topic, queue, customer id, unknown
fields, labels, a recording's sidecar metadata, a field whose bad value gets the record rejected."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from qa_toolkit.cli import app
from transcribe_support import SAMPLES

CARD, SSN, EMAIL, PHONE = "4111 1111 1111 1111", "123-45-6789", "jo.smith@example.com", "(415) 555-2671"
CLEAR = (CARD, SSN, EMAIL, PHONE, "4111111111111111", "123456789", "4155552671", "555-2671")
TABLES = ("interactions", "turns", "pii_spans", "agents", "audit_events", "recordings")


def qa(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def everything_stored(db_url: str) -> str:
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return "\n".join(str(value) for table in TABLES
                             for row in connection.execute(text(f"SELECT * FROM {table}")) for value in row)  # noqa: S608
    finally:
        engine.dispose()


def assert_no_pii(where: str, content: str) -> None:
    for value in CLEAR:
        assert value not in content, f"{value!r} in clear in {where}"


def test_chat_import_outputs_hold_no_pii(db_url: str, tmp_path: Path) -> None:
    record = {"id": "c-1", "agent": {"id": "a-1", "name": "Dana Park"}, "customer": {"id": EMAIL},
              "topic": f"card {CARD}", "queue": f"callback {PHONE}", "tags": [f"ssn {SSN}"], "crm_note": f"mail {EMAIL}",
              "labels": {"note": f"card {CARD}"},
              "turns": [{"speaker": "customer", "text": f"my card is {CARD}, ssn {SSN}"},
                        {"speaker": "agent", "text": f"I will mail {EMAIL} or call {PHONE}"}]}
    rejected = {**record, "id": "c-2", "started_at": SSN, "turns": [{"speaker": CARD, "text": EMAIL}]}
    path = tmp_path / "chats.jsonl"
    path.write_text(json.dumps(record) + "\n" + json.dumps(rejected) + "\n", encoding="utf-8")
    table = qa("import", "chats", str(path), "--db", db_url, "--rejects", str(tmp_path / "r.jsonl"))
    assert table.exit_code == 3
    changed = {**record, "topic": f"new card {CARD}", "tags": [f"ssn {SSN}", f"call {PHONE}"],
               "turns": [*record["turns"], {"speaker": "customer", "text": f"also {EMAIL}"}]}
    path.write_text(json.dumps(changed) + "\n", encoding="utf-8")  # an update: audited with before and after
    as_json = qa("import", "chats", str(path), "--db", db_url, "--json")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["totals"]["updated"] == 1
    audit = qa("audit", "log", "--db", db_url, "--json")
    exported = qa("export", "interactions", "--db", db_url)
    assert exported.exit_code == 0 and "[CARD]" in exported.stdout
    for where, content in (("the summary table and errors", table.output), ("--json", as_json.output),
                           ("qa audit log", audit.output), ("qa export interactions", exported.output),
                           ("the rejects file", (tmp_path / "r.jsonl").read_text(encoding="utf-8")),
                           ("the database", everything_stored(db_url))):
        assert_no_pii(where, content)


@pytest.mark.slow
def test_transcribe_batch_outputs_hold_no_pii(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'qa.db'}"
    assert qa("init", "--db", url).exit_code == 0
    folder = tmp_path / "calls"
    folder.mkdir()
    shutil.copy(SAMPLES / "call_05_password.ogg", folder / "call_a.ogg")
    (folder / "call_a.json").write_text(json.dumps({"call_id": "PII-1", "customer_id": EMAIL, "queue": f"callback {PHONE}",
                                                    "crm_note": f"card {CARD}"}), encoding="utf-8")
    shutil.copy(SAMPLES / "call_02_hold.mp3", folder / "call_b.mp3")
    # a bad value: the failure reason names the file and field, never the value (today's main printed and stored it)
    (folder / "call_b.json").write_text(json.dumps({"call_id": "PII-2", "started_at": SSN}), encoding="utf-8")
    batch = qa("transcribe", "batch", str(folder), "--model", "tiny.en", "--no-diarize", "--db", url, "--json")
    assert batch.exit_code == 3, batch.output
    files = {Path(f["path"]).name: f for f in json.loads(batch.stdout)["files"]}
    assert files["call_a.ogg"]["status"] == "done"
    assert files["call_b.mp3"]["status"] == "failed" and "'started_at'" in files["call_b.mp3"]["reason"]
    table = qa("transcribe", "batch", str(folder), "--model", "tiny.en", "--no-diarize", "--db", url)
    status = qa("transcribe", "status", "--db", url, "--json")
    exported = qa("export", "interactions", "--db", url)
    assert '"customer":{"id":"[EMAIL]"}' in exported.stdout and '"crm_note":"card [CARD]"' in exported.stdout
    for where, content in (("transcribe batch --json", batch.output), ("transcribe batch", table.output),
                           ("transcribe status --json", status.output), ("qa export interactions", exported.output),
                           ("the database", everything_stored(url))):
        assert_no_pii(where, content)
