"""Roles that hold through the CLI (issue 20 items 17-20), on SQLite and PostgreSQL: every change needs a
known user with the right role once users exist, blind review holds on every read path, `db downgrade`
asks first, and `qa score auto` is audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from review_helpers import DATA, RUBRIC, add_auto_evaluation, seed_team
from sqlalchemy import func, select
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.storage import migrate
from qa_toolkit.storage.database import Database, create_db_engine
from qa_toolkit.storage.models import Agent, AuditEvent, Evaluation, RubricVersion

runner = CliRunner()


def qa(db_url: str, *args: str, user: str | None = None, input: str | None = None):  # type: ignore[no-untyped-def]
    extra = ["--as", user] if user else []
    return runner.invoke(app, [*args, "--db", db_url, *extra], input=input)


def one_line_error(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line[line.index("Error:"):] for line in result.stderr.splitlines() if "Error:" in line]
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_first_user_is_an_admin_then_every_change_needs_a_known_user(db: Database, db_url: str) -> None:
    # an empty database is a single-user set-up: no --as needed
    assert qa(db_url, "agents", "add", "a-1", "Dana").exit_code == 0
    assert "the first user must be an admin" in one_line_error(qa(db_url, "users", "add", "lee", "--role", "lead"))
    assert qa(db_url, "users", "add", "ada", "--role", "admin").exit_code == 0
    assert "pass --as USER" in one_line_error(qa(db_url, "users", "add", "lee", "--role", "lead"))
    assert "unknown user 'ghost'" in one_line_error(qa(db_url, "users", "add", "lee", "--role", "lead", user="ghost"))
    assert qa(db_url, "users", "add", "lee", "--role", "lead", user="ada").exit_code == 0
    assert qa(db_url, "users", "add", "dana", "--role", "agent", "--agent", "a-1", user="ada").exit_code == 0
    assert one_line_error(qa(db_url, "users", "add", "eve", "--role", "admin", user="dana")) == \
        "Error: dana (agent) may not add users: only admin may"
    assert "lee (lead) may not set teams" in one_line_error(qa(db_url, "users", "set-team", "lee", "x", user="lee"))
    assert "pass --as USER" in one_line_error(qa(db_url, "agents", "add", "a-2", "Eli"))
    assert "dana (agent) may not add agents" in one_line_error(qa(db_url, "agents", "add", "a-2", "Eli", user="dana"))
    assert qa(db_url, "agents", "add", "a-2", "Eli", user="lee").exit_code == 0
    assert "dana (agent) may not publish rubrics" in one_line_error(
        qa(db_url, "rubric", "publish", str(RUBRIC), user="dana"))
    assert "pass --as USER" in one_line_error(qa(db_url, "rubric", "publish", str(RUBRIC)))
    assert qa(db_url, "rubric", "publish", str(RUBRIC), user="lee").exit_code == 0
    assert "dana (agent) may not score interactions" in one_line_error(qa(db_url, "score", "auto", user="dana"))
    assert "dana (agent) may not import chats" in one_line_error(
        qa(db_url, "import", "chats", str(Path(__file__).resolve().parents[1] / "samples" / "chats"), user="dana"))
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Agent)) == 2
        assert session.scalar(select(func.count()).select_from(RubricVersion)) == 1
        assert session.scalar(select(func.count()).select_from(Evaluation)) == 0
        actors = {e.action: e.actor for e in session.scalars(select(AuditEvent))}
    assert actors["user.add"] == "ada" and actors["rubric.publish"] == "lee"


def test_db_downgrade_is_an_admins_and_asks_first(db: Database, db_url: str) -> None:
    assert qa(db_url, "users", "add", "ada", "--role", "admin").exit_code == 0
    assert qa(db_url, "users", "add", "lee", "--role", "lead", user="ada").exit_code == 0
    assert "lee (lead) may not downgrade the database: only admin may" in one_line_error(
        qa(db_url, "db", "downgrade", "--yes", user="lee"))
    assert "pass --as USER" in one_line_error(qa(db_url, "db", "downgrade", "--yes"))
    answered_no = qa(db_url, "db", "downgrade", user="ada", input="n\n")
    assert "downgrade cancelled: nothing changed" in one_line_error(answered_no)
    if db_url.startswith("postgresql"):
        assert "pg_dump --format=custom" in answered_no.stderr
    engine = create_db_engine(db_url)
    try:
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()
    done = qa(db_url, "db", "downgrade", "--yes", "--no-backup", user="ada")
    assert done.exit_code == 0, done.output
    engine = create_db_engine(db_url)
    try:
        assert migrate.current_revision(engine) == migrate.revisions()[-2]
    finally:
        engine.dispose()


@pytest.fixture
def team_url(db: Database, db_url: str) -> str:
    seed_team(db)
    return db_url


def test_blind_review_holds_on_every_read_path(db: Database, team_url: str) -> None:
    auto_id = add_auto_evaluation(db, "c-1", score=90.0)
    assert qa(team_url, "review", "sample", "--rubric", "review-test", "--percent", "100", "--seed", "1",
              user="lee").exit_code == 0
    assert qa(team_url, "review", "assign", "--reviewers", "maria", "--blind", user="lee").exit_code == 0
    assert "pass --as USER" in one_line_error(qa(team_url, "score", "show", "c-1"))
    blind = qa(team_url, "score", "show", "c-1", "--json", user="maria")
    assert "maria has an open blind review of c-1" in one_line_error(blind) and "90" not in blind.output
    listed = qa(team_url, "review", "evaluations", "--interaction", "c-1", "--json", user="maria")
    assert listed.exit_code == 0 and json.loads(listed.output) == []
    listed_all = json.loads(qa(team_url, "review", "evaluations", "--json", user="maria").output)
    assert auto_id not in [e["id"] for e in listed_all]
    # the lead still sees it; an agent sees their own, not another agent's
    assert [e["id"] for e in json.loads(qa(team_url, "review", "evaluations", "--interaction", "c-1", "--json",
                                           user="lee").output)] == [auto_id]
    assert [e["score"] for e in json.loads(qa(team_url, "score", "show", "c-1", "--json", user="dana").output)] == [90.0]
    assert "may not see c-5" in one_line_error(qa(team_url, "score", "show", "c-5", user="dana"))
    queue = json.loads(qa(team_url, "review", "queue", "--json", user="maria").output)
    item = next(i for i in queue if i["interaction"] == "c-1")
    assert qa(team_url, "review", "submit", str(item["id"]), "--scores", str(DATA / "good.yaml"),
              user="maria").exit_code == 0
    after = json.loads(qa(team_url, "score", "show", "c-1", "--json", user="maria").output)
    assert sorted(e["kind"] for e in after) == ["auto", "review"]


def test_score_auto_audits_each_run_and_each_changed_score(db: Database, team_url: str, tmp_path: Path) -> None:
    assert qa(team_url, "score", "auto", "--rubric", "review-test", user="lee").exit_code == 0
    with db.session() as session:
        [run] = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "score.auto")))
        assert run.actor == "lee"
        assert [(r["rubric"], r["version"], r["scored"], r["skipped"], r["changed"]) for r in run.after["runs"]] == [
            ("review-test", 1, 12, 0, 0)]
        first = {e.interaction_id: e.score for e in session.scalars(select(Evaluation))}
    assert set(first.values()) == {100.0}  # every seeded chat greets
    # version 2 changes only the title: same scores, no change events
    same = tmp_path / "same.yaml"
    same.write_text(RUBRIC.read_text().replace("title: Review test", "title: Review test (v2)"))
    # version 3 looks for a greeting nobody says: every score changes
    strict = tmp_path / "strict.yaml"
    strict.write_text(RUBRIC.read_text().replace("check: greeting", "check: greeting\n        params: {phrases: "
                                                                    "[good morning sunshine]}"))
    for path, changed in ((same, 0), (strict, 12)):
        assert qa(team_url, "rubric", "publish", str(path), user="lee").exit_code == 0
        result = qa(team_url, "score", "auto", "--rubric", "review-test", "--json", user="lee")
        assert result.exit_code == 0, result.output
        assert [(r["scored"], r["changed"]) for r in json.loads(result.output)] == [(12, changed)]
    with db.session() as session:
        runs = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "score.auto")
                                    .order_by(AuditEvent.id)))
        changes = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "evaluation.score_change")))
    assert [r.after["runs"][0]["changed"] for r in runs] == [0, 0, 12]
    assert len(changes) == 12
    assert {(c.before["score"], c.after["score"], c.actor) for c in changes} == {(100.0, 0.0, "lee")}
