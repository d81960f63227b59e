"""Rejected records are never lost and never in clear (issue 20, items 1 and 14): a new rejects file per
run and format, never over an input or earlier rejects, owner-only, redacted unless --no-redact; errors
name file, line, field and reason but never the field's value. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from typer.testing import CliRunner

from import_support import stored

from qa_toolkit.cli import app

runner = CliRunner()
CARD, SSN, EMAIL, PHONE = "4111 1111 1111 1111", "123-45-6789", "jo.smith@example.com", "(415) 555-2671"
PII = (CARD, SSN, EMAIL, PHONE, CARD.replace(" ", ""), "4111111111111111", "123456789", "4155552671")


def qa(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def record(cid: str, speaker: str = "customer", text: str = "hi", **extra: object) -> str:
    return json.dumps({"id": cid, "agent": {"id": "a-1"}, "turns": [{"speaker": speaker, "text": text}], **extra})


def test_reimporting_the_rejects_file_loses_nothing(db_url: str, tmp_path: Path) -> None:
    # 3,000 rejected records fixed but one, then imported again with that same file named as --rejects:
    # today's main truncated the file while reading it (472 of 2,999 imported, the rest gone)
    rejects = tmp_path / "fix-me.jsonl"
    lines = [record(f"c-{i:04d}", "robot" if i == 472 else "customer") for i in range(3000)]
    rejects.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = rejects.read_bytes()
    result = qa("import", "chats", str(rejects), "--rejects", str(rejects), "--db", db_url)
    assert result.exit_code == 3, result.output
    assert rejects.read_bytes() == before  # the input is never written to
    again = tmp_path / "fix-me-2.jsonl"
    assert f"1 record(s) rejected; written (personal data redacted) to {again}" in result.stderr
    assert again.read_text(encoding="utf-8") == lines[472] + "\n"
    assert len(stored(db_url)) == 2999


def test_one_rejects_file_per_format_each_reimportable(db_url: str, tmp_path: Path) -> None:
    # CSV and JSON Lines rejects used to share one .csv file (the JSON record mangled on re-import)
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "a.jsonl").write_text(record("j-1") + "\n" + record("j-2", "robot") + "\n", encoding="utf-8")
    (folder / "b.csv").write_text("chat_id,speaker,message,agent_id\nk-1,customer,hi,a-1\nk-2,robot,beep,a-1\n",
                                  encoding="utf-8")
    result = qa("import", "chats", str(folder), "--rejects", str(tmp_path / "fix.csv"), "--db", db_url, "--json")
    assert result.exit_code == 3, result.output
    files = json.loads(result.stdout)["rejects"]
    assert files == [str(tmp_path / "fix.jsonl"), str(tmp_path / "fix.csv")]
    assert (tmp_path / "fix.jsonl").read_text(encoding="utf-8") == record("j-2", "robot") + "\n"
    assert (tmp_path / "fix.csv").read_text(encoding="utf-8") == "chat_id,speaker,message,agent_id\nk-2,robot,beep,a-1\n"
    for name in files:
        path = Path(name)
        path.write_text(path.read_text(encoding="utf-8").replace("robot", "agent"), encoding="utf-8")
    fixed = qa("import", "chats", *files, "--db", db_url)
    assert fixed.exit_code == 0, fixed.output
    assert stored(db_url) == ["j-1", "j-2", "k-1", "k-2"]


def test_earlier_rejects_are_never_overwritten_nor_read_back_from_the_folder(tmp_path: Path) -> None:
    # the database kept inside the imported folder: the next import read its own rejects
    folder = tmp_path / "data"
    folder.mkdir()
    url = f"sqlite:///{folder / 'qa.db'}"
    assert qa("init", "--db", url).exit_code == 0
    (folder / "chats.jsonl").write_text(record("c-1") + "\n" + record("c-2", "robot") + "\n", encoding="utf-8")
    runs = []
    for _ in range(3):
        result = qa("import", "chats", str(folder), "--db", url, "--json")
        assert result.exit_code == 3, result.output
        runs.append(json.loads(result.stdout))
    assert [run["totals"]["read"] for run in runs] == [2, 2, 2]  # never its own rejects
    assert [run["totals"]["rejected"] for run in runs] == [1, 1, 1]
    paths = [Path(run["rejects"][0]) for run in runs]
    assert len(set(paths)) == 3  # one file per run
    for path in paths:
        assert path.parent == folder and path.name.startswith("qa.rejects-") and path.suffix == ".jsonl"
        assert path.read_text(encoding="utf-8") == record("c-2", "robot") + "\n"
    # named as a PATH, a rejects file is imported
    paths[0].write_text(record("c-2", "agent") + "\n", encoding="utf-8")
    assert qa("import", "chats", str(paths[0]), "--db", url).exit_code == 0
    assert stored(url) == ["c-1", "c-2"]


def test_rejects_are_redacted_owner_only_and_errors_never_echo_values(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "pii.jsonl"
    bad = [
        record("c-1", CARD),  # a card number given as the speaker
        record("c-2", text=f"card {CARD}, ssn {SSN}", started_at=SSN),  # an SSN as the start time
        record("c-3", "robot", text=f"mail {EMAIL} or call {PHONE}", customer={"id": EMAIL}),
        '{"id": "c-4", "agent": {"id": "a-1"}, "turns": [{"speaker": "customer", "text": "' + CARD + '"}',  # no JSON
    ]
    path.write_text("\n".join([record("ok"), *bad]) + "\n", encoding="utf-8")
    csv_path = tmp_path / "pii.csv"
    csv_path.write_text(f'chat_id,speaker,message,agent_id\nk-1,{SSN},"mail {EMAIL}",a-1\n', encoding="utf-8")
    rejects = tmp_path / "out" / "rejects.jsonl"
    result = qa("import", "chats", str(path), str(csv_path), "--rejects", str(rejects), "--db", db_url)
    assert result.exit_code == 3, result.output
    assert f"{path}:2: turns.0.speaker: not one of 'agent', 'customer' or 'system'" in result.stderr
    assert f"{path}:3: started_at: not an ISO-8601 timestamp" in result.stderr
    assert f"{csv_path}:2: speaker: unknown speaker" in result.stderr
    written = [rejects, rejects.with_suffix(".csv")]
    text = "".join(p.read_text(encoding="utf-8") for p in written)
    for value in PII:
        assert value not in result.output, value
        assert value not in text, value
    for placeholder in ("[CARD]", "[SSN]", "[EMAIL]", "[PHONE]"):
        assert placeholder in text
    for p in written:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
    lines = rejects.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and json.loads(lines[0])["turns"][0]["speaker"] == "[CARD]"
    assert stored(db_url) == ["ok"]
    # --no-redact: the records as they came, still owner-only
    raw = tmp_path / "raw.jsonl"
    result = qa("import", "chats", str(path), "--rejects", str(raw), "--no-redact", "--db", db_url)
    assert result.exit_code == 3
    assert raw.read_text(encoding="utf-8").splitlines() == bad
    assert stat.S_IMODE(raw.stat().st_mode) == 0o600
    for value in PII:
        assert value not in result.output, value


def test_rejects_into_a_folder_and_a_folder_that_cannot_be_written(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(record("c-1") + "\n" + record("c-2", "robot") + "\n", encoding="utf-8")
    folder = tmp_path / "rejects"
    folder.mkdir()
    result = qa("import", "chats", str(path), "--rejects", str(folder), "--db", db_url, "--json")
    assert result.exit_code == 3
    [written] = folder.glob("qa.rejects-*.jsonl")
    assert json.loads(result.stdout)["rejects"] == [str(written)]
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file, not a folder")
    other = tmp_path / "other.jsonl"
    other.write_text(record("c-3") + "\n", encoding="utf-8")
    refused = qa("import", "chats", str(other), "--rejects", str(not_a_folder / "r.jsonl"), "--db", db_url)
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert refused.output.strip().endswith("cannot write the rejects file there (the folder is not writable)")
    assert stored(db_url) == ["c-1"]  # refused before anything was read
