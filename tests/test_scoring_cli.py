"""`qa rubric` and `qa score` through the CLI (CliRunner), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from scoring_support import add_conversation, chat
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.rubrics import library
from qa_toolkit.storage.database import open_database

runner = CliRunner()


def qa(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_rubric_validate_ok_and_errors(tmp_path: Path) -> None:
    ok = qa("rubric", "validate", "support-chat", "support-call")
    assert ok.exit_code == 0 and "rubric 'support-call'" in ok.output and "18 criteria" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(library()["support-chat"].read_text().replace("check: empathy", "check: emphaty"))
    result = qa("rubric", "validate", str(bad))
    assert result.exit_code == 1
    line = bad.read_text().splitlines().index("        check: emphaty") + 1
    assert f"Error: {bad}:{line}: categories[1].criteria[0].check: unknown check 'emphaty' (did you mean 'empathy'?)" \
        in result.output
    assert "Traceback" not in result.output
    assert qa("rubric", "validate", str(tmp_path / "none.yaml")).exit_code == 1


def test_rubric_publish_list_show(db_url: str) -> None:
    published = qa("rubric", "publish", "support-chat", "collections-compliance", "--db", db_url, "--as", "lee")
    assert published.exit_code == 0, published.output
    assert "support-chat: published version 1" in published.output
    again = qa("rubric", "publish", "support-chat", "--db", db_url)
    assert "support-chat: unchanged, already published as version 1" in again.output
    listed = json.loads(qa("rubric", "list", "--db", db_url, "--json").output)
    assert [(r["name"], r["version"], r["published_by"]) for r in listed] == [
        ("collections-compliance", 1, "lee"), ("support-chat", 1, "lee")]
    shown = qa("rubric", "show", "support-chat", "--db", db_url)
    assert shown.exit_code == 0
    assert "support-chat version 1" in shown.output and "identity_verified" in shown.output
    assert "critical: fail_all" in shown.output and "training: Identity verification" in shown.output
    as_json = json.loads(qa("rubric", "show", "collections-compliance", "--db", db_url, "--json").output)
    assert as_json["queues"] == ["collections"]
    missing = qa("rubric", "show", "nope", "--db", db_url)
    assert missing.exit_code == 1 and "rubric 'nope' is not published" in missing.output


def test_score_auto_and_show(db_url: str) -> None:
    database = open_database(db_url)
    with database.session() as session:
        add_conversation(session, chat("c-1", ("customer", "I'm so angry, charged twice!"),
                                       ("agent", "Hello, calm down."), ("customer", "Unbelievable.")))
    database.close()
    assert qa("rubric", "publish", "support-chat", "--db", db_url).exit_code == 0
    scored = qa("score", "auto", "--db", db_url, "--workers", "1")
    assert scored.exit_code == 0, scored.output
    assert "support-chat" in scored.output and "Most failed:" in scored.output
    again = json.loads(qa("score", "auto", "--db", db_url, "--json").output)
    assert again[0]["scored"] == 0
    shown = qa("score", "show", "c-1", "--db", db_url)
    assert shown.exit_code == 0
    assert "CRITICAL FAIL" not in shown.output and "FAIL professional_language" in shown.output
    assert "turn 1 agent: “Hello, calm down.”" in shown.output
    data = json.loads(qa("score", "show", "c-1", "--db", db_url, "--json").output)
    assert data[0]["kind"] == "auto" and data[0]["categories"]["communication"] == 0.0
    assert qa("score", "show", "nope", "--db", db_url).exit_code == 1
    bad_filter = qa("score", "auto", "--db", db_url, "--interactions", "colour=red")
    assert bad_filter.exit_code == 1 and "unknown field 'colour'" in bad_filter.output
    bad_date = qa("score", "auto", "--db", db_url, "--since", "yesterday")
    assert bad_date.exit_code == 2


def test_every_command_documents_an_example() -> None:
    for group in ("rubric", "score"):
        result = qa(group, "--help")
        assert result.exit_code == 0
    for command in (("rubric", "validate"), ("rubric", "publish"), ("rubric", "list"), ("rubric", "show"),
                    ("score", "auto"), ("score", "show"), ("score", "eval")):
        result = qa(*command, "--help")
        assert result.exit_code == 0 and "Example:" in result.output, command
