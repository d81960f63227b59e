"""The `qa` command: help, exit codes, one-line errors, --json, and a real subprocess run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.storage import migrate
from qa_toolkit.storage.database import create_db_engine

runner = CliRunner()


def qa(*args: str) -> "object":
    return runner.invoke(app, list(args))


def _all_commands() -> list[tuple[str, Any]]:
    root = get_command(app)
    found: list[tuple[str, Any]] = []

    def walk(prefix: str, command: Any) -> None:
        found.append((prefix, command))
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk(f"{prefix} {name}".strip(), sub)

    walk("", root)
    return found


def test_top_level_help_lists_every_group() -> None:
    result = qa("--help")
    assert result.exit_code == 0
    for group in ["init", "db", "import", "transcribe", "rubric", "score", "review", "report", "agents", "users"]:
        assert f" {group} " in result.output


@pytest.mark.parametrize("path,command", _all_commands(), ids=lambda v: (v or "qa") if isinstance(v, str) else "")
def test_every_command_and_option_is_explained(path: str, command: Any) -> None:
    assert command.help and command.help.strip(), f"`qa {path}` has no help text"
    for param in command.params:
        if param.param_type_name == "option" and param.name not in {"help", "install_completion", "show_completion"}:
            assert param.help, f"`qa {path}` option {param.opts} has no help text"


def test_init_agents_and_users_round_trip(empty_db_url: str) -> None:
    assert qa("init", "--db", empty_db_url).exit_code == 0
    assert qa("agents", "add", "a-17", "Dana Park", "--team", "billing", "--hired-at", "2025-03-01",
              "--db", empty_db_url).exit_code == 0
    assert qa("users", "add", "ada", "--role", "admin", "--db", empty_db_url).exit_code == 0
    result = qa("users", "add", "rita", "--role", "reviewer", "--agent", "a-17", "--as", "ada", "--db", empty_db_url)
    assert result.exit_code == 0, result.output
    agents = json.loads(qa("agents", "list", "--json", "--db", empty_db_url).stdout)
    assert agents == [{"external_id": "a-17", "name": "Dana Park", "team": "billing", "hired_at": "2025-03-01"}]
    users = json.loads(qa("users", "list", "--json", "--db", empty_db_url).stdout)
    assert users == [{"name": "ada", "role": "admin", "agent": None, "team": None, "can_log_in": False},
                     {"name": "rita", "role": "reviewer", "agent": "a-17", "team": None, "can_log_in": False}]
    table = qa("agents", "list", "--db", empty_db_url).stdout
    assert "Dana Park" in table and "billing" in table


def test_db_option_defaults_to_the_environment(tmp_path: Path) -> None:
    assert qa("init").exit_code == 0
    assert (tmp_path / "default.db").exists()
    assert qa("agents", "add", "a-1", "One").exit_code == 0
    assert json.loads(qa("agents", "list", "--json").stdout)[0]["external_id"] == "a-1"


def _error_line(result) -> str:  # type: ignore[no-untyped-def]
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one error line, got {result.stderr!r}"
    assert "Traceback" not in result.output
    return lines[0]


def test_duplicate_agent_is_a_one_line_user_error(db_url: str) -> None:
    qa("agents", "add", "a-1", "One", "--db", db_url)
    result = qa("agents", "add", "a-1", "Again", "--db", db_url)
    assert result.exit_code == 1
    assert _error_line(result) == "Error: agent 'a-1' already exists"


def test_unknown_agent_is_a_one_line_user_error(db_url: str) -> None:
    result = qa("users", "add", "rita", "--role", "admin", "--agent", "ghost", "--db", db_url)
    assert result.exit_code == 1
    assert _error_line(result) == "Error: unknown agent 'ghost': add it with `qa agents add ghost NAME`"


def test_database_behind_head_says_what_to_run(empty_db_url: str) -> None:
    engine = create_db_engine(empty_db_url, create=True)
    migrate.upgrade(engine, migrate.revisions()[0])
    engine.dispose()
    result = qa("agents", "list", "--db", empty_db_url)
    assert result.exit_code == 1
    line = _error_line(result)
    assert "not at the latest" in line and "qa db upgrade" in line
    assert qa("db", "current", "--check", "--db", empty_db_url).exit_code == 1
    upgraded = qa("db", "upgrade", "--db", empty_db_url, "--json")
    assert upgraded.exit_code == 0, upgraded.output
    assert json.loads(upgraded.stdout)["at_head"] is True
    assert qa("agents", "list", "--db", empty_db_url).exit_code == 0


def test_uninitialised_and_missing_databases_say_run_init(tmp_path: Path) -> None:
    result = qa("agents", "list", "--db", f"sqlite:///{tmp_path / 'nothing.db'}")
    assert result.exit_code == 1
    assert "run `qa init" in _error_line(result)
    assert not (tmp_path / "nothing.db").exists(), "a missing database must not be created silently"


def test_unreachable_database_is_a_one_line_error() -> None:
    result = qa("agents", "list", "--db", "postgresql+psycopg://postgres@127.0.0.1:1/none")
    assert result.exit_code == 1
    assert _error_line(result).startswith("Error: cannot connect to postgresql+psycopg://postgres@127.0.0.1:1/none")


def test_init_refuses_an_initialised_database(db_url: str) -> None:
    result = qa("init", "--db", db_url)
    assert result.exit_code == 1
    assert "already initialised" in _error_line(result)


def test_downgrade_and_upgrade_from_the_cli(db_url: str) -> None:
    result = qa("db", "downgrade", "base", "--yes", "--db", db_url, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["current"] is None
    assert json.loads(qa("db", "upgrade", "--db", db_url, "--json").stdout)["current"] == migrate.head_revision()


def test_sqlite_upgrade_backs_up_the_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'qa.db'}"
    engine = create_db_engine(url, create=True)
    migrate.upgrade(engine, migrate.revisions()[0])
    engine.dispose()
    result = qa("db", "upgrade", "--db", url, "--json")
    backups = list(tmp_path.glob("qa.db.*.bak"))
    if migrate.revisions()[0] == migrate.head_revision():
        assert backups == []
    else:
        assert len(backups) == 1 and json.loads(result.stdout)["backup"] == str(backups[0])


def test_usage_errors_exit_2(db_url: str) -> None:
    assert qa("agents", "add", "--db", db_url).exit_code == 2
    assert qa("agents", "add", "a-1", "One", "--hired-at", "yesterday", "--db", db_url).exit_code == 2
    assert qa("no-such-command").exit_code == 2


def test_verbose_shows_the_traceback(db_url: str) -> None:
    qa("agents", "add", "a-1", "One", "--db", db_url)
    result = qa("--verbose", "agents", "add", "a-1", "Again", "--db", db_url)
    assert result.exit_code == 1
    assert "Traceback" in result.stderr and "AlreadyExistsError" in result.stderr


def test_real_qa_executable_in_a_subprocess(tmp_path: Path) -> None:
    qa_bin = Path(sys.executable).with_name("qa")
    env = {**os.environ, "QA_DATABASE_URL": f"sqlite:///{tmp_path / 'sub.db'}"}
    init = subprocess.run([str(qa_bin), "init"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    dup = [str(qa_bin), "agents", "add", "a-9", "Nine"]
    assert subprocess.run(dup, capture_output=True, text=True, env=env, cwd=tmp_path).returncode == 0
    again = subprocess.run(dup, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert again.returncode == 1
    assert again.stderr == "Error: agent 'a-9' already exists\n"
    listed = subprocess.run([str(qa_bin), "agents", "list", "--json"], capture_output=True, text=True, env=env,
                            cwd=tmp_path)
    assert json.loads(listed.stdout) == [{"external_id": "a-9", "name": "Nine", "team": None, "hired_at": None}]


def test_importing_the_cli_loads_no_heavy_library() -> None:
    heavy = ["faster_whisper", "ctranslate2", "av", "torch", "whisper", "reportlab", "textual",
             "vaderSentiment", "krippendorff", "procrastinate", "matplotlib"]
    code = ("import sys, qa_toolkit.cli; "
            f"print([m for m in {heavy!r} if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
