"""`qa import chats` through typer's CliRunner and one real subprocess, on SQLite and PostgreSQL."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select
from typer.testing import CliRunner

from import_support import stored

from qa_toolkit.cli import app
from qa_toolkit.storage.database import open_database, sqlite_path
from qa_toolkit.storage.models import AuditEvent, Interaction, Turn

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "chats"
DATA = Path(__file__).parent / "data" / "ingest"
GOOD = json.dumps({"id": "c-1", "agent": {"id": "a-1"}, "turns": [{"speaker": "customer", "text": "hi"}]})
BAD = json.dumps({"id": "c-2", "agent": {"id": "a-1"}, "turns": [{"speaker": "robot", "text": "beep"}]})


def qa(*args: str, input: bytes | str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input)


def test_import_samples_prints_a_summary_and_reimport_is_unchanged(db_url: str) -> None:
    result = qa("import", "chats", str(SAMPLES), "--source", "demo", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert "Chat import (source: demo)" in result.stdout
    assert "chats.jsonl" in result.stdout and "jsonl" in result.stdout
    assert "Created 6 agent(s): a-17, a-22, a-31, a-45, a-52, a-60" in result.stdout
    again = qa("import", "chats", str(SAMPLES), "--source", "demo", "--db", db_url, "--json")
    assert again.exit_code == 0, again.output
    data = json.loads(again.stdout)
    assert data["totals"] == {"read": 20, "imported": 0, "updated": 0, "unchanged": 20, "rejected": 0}
    assert data["source"] == "demo" and data["rejects"] == []
    assert len(stored(db_url)) == 20


def test_rejected_records_exit_3_with_file_line_field_reason(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(f"{GOOD}\n{BAD}\n", encoding="utf-8")
    rejects = tmp_path / "fix-me.jsonl"
    result = qa("import", "chats", str(path), "--rejects", str(rejects), "--db", db_url)
    assert result.exit_code == 3
    assert f"{path}:2: turns.0.speaker: not one of 'agent', 'customer' or 'system'" in result.stderr
    assert f"1 record(s) rejected; written (personal data redacted) to {rejects}" in result.stderr
    assert rejects.read_text(encoding="utf-8") == BAD + "\n"
    assert stored(db_url) == ["c-1"]
    # fix the rejected record and import the rejects file: now everything is in
    rejects.write_text(BAD.replace("robot", "system") + "\n", encoding="utf-8")
    fixed = qa("import", "chats", str(rejects), "--db", db_url)
    assert fixed.exit_code == 0, fixed.output
    assert stored(db_url) == ["c-1", "c-2"]


def test_default_rejects_file_is_next_to_the_sqlite_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'qa.db'}"
    assert qa("init", "--db", url).exit_code == 0
    path = tmp_path / "mixed.jsonl"
    path.write_text(f"{GOOD}\n{BAD}\n", encoding="utf-8")
    result = qa("import", "chats", str(path), "--db", url)
    assert result.exit_code == 3
    [rejects] = tmp_path.glob("qa.rejects-*.jsonl")
    assert rejects.read_text(encoding="utf-8") == BAD + "\n"


def test_csv_rejects_keep_the_header(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'qa.db'}"
    qa("init", "--db", url)
    path = tmp_path / "chats.csv"
    path.write_text("chat_id,speaker,message,agent_id\nc-1,customer,hi,a-1\nc-2,robot,beep,a-1\nc-2,agent,hello,a-1\n",
                    encoding="utf-8")
    result = qa("import", "chats", str(path), "--db", url)
    assert result.exit_code == 3
    assert f"{path}:3: speaker: unknown speaker (expected agent" in result.stderr
    [rejects] = tmp_path.glob("qa.rejects-*.csv")
    assert rejects.read_text(encoding="utf-8") == (
        "chat_id,speaker,message,agent_id\nc-2,robot,beep,a-1\nc-2,agent,hello,a-1\n")
    assert stored(url) == ["c-1"]


def test_strict_imports_nothing_from_a_bad_file(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(f"{GOOD}\n{BAD}\n", encoding="utf-8")
    result = qa("import", "chats", str(path), "--strict", "--rejects", str(tmp_path / "r.jsonl"), "--db", db_url)
    assert result.exit_code == 3
    assert "1 (strict: nothing imported)" in result.stdout
    assert stored(db_url) == []


def test_stdin_and_gzip(db_url: str, tmp_path: Path) -> None:
    result = qa("import", "chats", "-", "--db", db_url, input=(DATA / "same.jsonl").read_bytes())
    assert result.exit_code == 0, result.output
    assert "<stdin>" in result.stdout
    packed = tmp_path / "zendesk.json.gz"
    packed.write_bytes(gzip.compress((DATA / "zendesk_tickets.json").read_bytes()))
    result = qa("import", "chats", str(packed), "--db", db_url, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["files"][0] == {
        "file": str(packed), "format": "zendesk", "source": "zendesk", "read": 1, "imported": 1, "updated": 0, "unchanged": 0,
        "rejected": 0, "strict_skipped": False}
    assert stored(db_url) == ["4242", "4242", "4243"]  # sources "chat" and "zendesk"


def test_strict_reads_stdin_once(db_url: str) -> None:
    result = qa("import", "chats", "-", "--strict", "--db", db_url, input=(DATA / "same.jsonl").read_bytes())
    assert result.exit_code == 0, result.output
    assert stored(db_url) == ["4242", "4243"]


def test_csv_mapping_and_forced_format(db_url: str) -> None:
    result = qa("import", "chats", str(DATA / "mapped.csv"), "--mapping", str(DATA / "mapping.toml"),
                "--format", "csv", "--source", "crm", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert stored(db_url) == ["4242"]
    wrong = qa("import", "chats", str(DATA / "same.jsonl"), "--format", "zendesk", "--db", db_url)
    assert wrong.exit_code == 3
    assert f"{DATA / 'same.jsonl'}:1: comments: missing: export tickets with their comments" in wrong.stderr


def test_no_redact_is_announced(db_url: str) -> None:
    result = qa("import", "chats", str(DATA / "same.jsonl"), "--no-redact", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert "PII redaction was off (--no-redact)" in result.stdout
    database = open_database(db_url)
    with database.session() as session:
        assert "jo@example.com" in " ".join(session.scalars(select(Turn.text)))
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "chats.import"))
        assert event is not None and event.after is not None and event.after["redaction"].startswith("off")
    database.close()


def test_user_errors_are_one_line(db_url: str, tmp_path: Path) -> None:
    missing = qa("import", "chats", str(tmp_path / "nope.jsonl"), "--db", db_url)
    assert missing.exit_code == 1
    assert f"Error: {tmp_path / 'nope.jsonl'}: no such file or directory" in missing.stderr
    notes = tmp_path / "notes.md"
    notes.write_text("hello\nworld\n")
    unknown = qa("import", "chats", str(notes), "--db", db_url)
    assert unknown.exit_code == 1
    assert "cannot tell the format from the content" in unknown.stderr
    bad_format = qa("import", "chats", str(notes), "--format", "xml", "--db", db_url)
    assert bad_format.exit_code == 2


def test_real_qa_subprocess_reads_gzipped_stdin(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'qa.db'}"
    qa_bin = shutil.which("qa", path=str(Path(sys.executable).parent)) or "qa"
    subprocess.run([qa_bin, "init", "--db", url], check=True, capture_output=True)
    payload = gzip.compress((SAMPLES / "chats.jsonl").read_bytes())
    done = subprocess.run([qa_bin, "import", "chats", "-", "--source", "demo", "--db", url, "--json"],
                          input=payload, capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["totals"]["imported"] == 20
    path = sqlite_path(url)
    assert path is not None and path.exists()
    database = open_database(url)
    with database.session() as session:
        assert session.scalar(select(func.count()).select_from(Interaction)) == 20
    database.close()


def test_the_summary_names_files_within_the_folder_they_share(db_url: str, tmp_path: Path) -> None:
    from qa_toolkit.cli.imports import _common_folder

    assert _common_folder(["d/a/x.jsonl", "d/b/y.csv"]) == ("d", ["a/x.jsonl", "b/y.csv"])
    assert _common_folder(["d/x.jsonl"]) == ("", ["d/x.jsonl"])
    assert _common_folder(["x.jsonl", "y.jsonl"]) == ("", ["x.jsonl", "y.jsonl"])
    assert _common_folder(["/d/x.jsonl", "d/y.jsonl"]) == ("", ["/d/x.jsonl", "d/y.jsonl"])
    assert _common_folder(["d/x.jsonl", "<stdin>"]) == ("", ["d/x.jsonl", "<stdin>"])
    for name in ("one", "two"):
        (tmp_path / "exports" / name).mkdir(parents=True)
        (tmp_path / "exports" / name / "chats.jsonl").write_text(GOOD.replace("c-1", f"c-{name}") + "\n")
    result = qa("import", "chats", str(tmp_path / "exports"), "--db", db_url)
    assert result.exit_code == 0, result.output
    assert f"files in {tmp_path / 'exports'}" in result.output
    assert "one/chats.jsonl" in result.output and str(tmp_path / "exports" / "one") not in result.output
