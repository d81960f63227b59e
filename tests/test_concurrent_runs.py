"""Two runs of one command at the same time, as two real `qa` processes, on SQLite and PostgreSQL
(issue 20 items 4 and 7): they end as sequential runs would — nothing lost, nothing duplicated, the
audit log agrees with the tables, and no run ends in a traceback. A run stopped midway (kill -9, or its
PostgreSQL backend ended) leaves what it stored audited, and a rerun completes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from qa_toolkit.services import chat_import, people, rubrics
from qa_toolkit.storage.database import Database, open_database
from qa_toolkit.storage.models import AuditEvent, Evaluation, Interaction, ReviewAssignment, Turn, User

RUBRIC = Path(__file__).parent / "data" / "review" / "review-test.yaml"
QA = Path(sys.executable).with_name("qa")
CHATS = 600


def write_chats(path: Path, count: int = CHATS) -> Path:
    """``count`` short chats of three agents as canonical JSON Lines."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            greeting = "Hello, thanks for waiting." if n % 3 else "Right, let me look."
            out.write(json.dumps({
                "id": f"c-{n:05d}", "channel": "chat", "agent": {"id": f"a-{n % 3}", "team": "billing"},
                "started_at": f"2026-10-{1 + n % 28:02d}T09:{n % 60:02d}:00Z",
                "turns": [{"speaker": "customer", "text": "I was charged twice"},
                          {"speaker": "agent", "text": greeting}, {"speaker": "customer", "text": "Thanks"}]}) + "\n")
    return path


@pytest.fixture
def team(db_url: str, tmp_path: Path) -> str:
    """CHATS chats imported, the test rubric published, an admin, a lead and three reviewers."""
    database = open_database(db_url)
    try:
        chat_import.import_chats(database, [str(write_chats(tmp_path / "chats.jsonl"))], source="t")
        with database.session() as session:
            people.add_user(session, "ada", "admin")
            people.add_user(session, "lee", "lead", actor="ada")
            for name in ("r1", "r2", "r3"):
                people.add_user(session, name, "reviewer", actor="ada")
            rubrics.publish_file(session, RUBRIC, actor="lee")
    finally:
        database.close()
    return db_url


def both(*args: str) -> list[subprocess.CompletedProcess[str]]:
    """Run the same `qa` command twice at the same time; both results."""
    procs = [subprocess.Popen([str(QA), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    for result in results:
        assert "Traceback" not in result.stderr, result.stderr
        assert len([line for line in result.stderr.splitlines() if line.strip()]) <= 1, result.stderr
    return results


def count(database: Database, query) -> int:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return session.scalar(query) or 0


def stored_rows(db_url: str) -> tuple[int, int]:
    """How many interactions and turns the database holds."""
    database = open_database(db_url)
    try:
        return (count(database, select(func.count()).select_from(Interaction)),
                count(database, select(func.count()).select_from(Turn)))
    finally:
        database.close()


def test_two_review_assign_runs_assign_each_item_once(team: str) -> None:
    database = open_database(team)
    try:
        with database.session() as session:
            from qa_toolkit.services import review

            review.sample(session, rubric="review-test", percent=100, seed=1, actor="lee")
        runs = both("review", "assign", "--reviewers", "r1,r2,r3", "--seed", "3", "--json", "--as", "lee",
                    "--db", team)
        reported = [json.loads(r.stdout) for r in runs if r.returncode == 0]
        failed = [r for r in runs if r.returncode != 0]
        assert all(r.returncode == 1 and "nothing to assign" in r.stderr for r in failed), failed
        told = Counter(item["reviewer"] for rows in reported for item in rows)
        with database.session() as session:
            rows = session.execute(select(ReviewAssignment.interaction_id, ReviewAssignment.reviewer_id)
                                   .where(ReviewAssignment.status == "assigned")).all()
            stored = Counter(session.scalars(select(User.name).join(
                ReviewAssignment, ReviewAssignment.reviewer_id == User.id).where(ReviewAssignment.status == "assigned")))
            audited = session.scalar(select(func.count()).select_from(AuditEvent)
                                     .where(AuditEvent.action == "assignment.assign"))
        assert len(rows) == CHATS == sum(told.values())  # every item once, as reported
        assert len({iid for iid, _ in rows}) == CHATS
        assert stored == told and sorted(told.values()) == [CHATS // 3] * 3  # balanced as told
        assert audited == CHATS
    finally:
        database.close()


def test_two_score_auto_runs_store_one_current_evaluation_each(team: str) -> None:
    database = open_database(team)
    try:
        runs = both("score", "auto", "--rubric", "review-test", "--workers", "1", "--batch-size", "50", "--json",
                    "--as", "lee", "--db", team)
        assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
        scored = [run["scored"] for r in runs for run in json.loads(r.stdout)]
        current = count(database, select(func.count()).select_from(Evaluation).where(
            Evaluation.kind == "auto", Evaluation.is_current.is_(True)))
        with database.session() as session:
            per_interaction = set(session.scalars(select(func.count()).where(Evaluation.kind == "auto").group_by(
                Evaluation.interaction_id, Evaluation.rubric_version_id)))
        assert current == CHATS and sum(scored) == CHATS and per_interaction == {1}
        with database.session() as session:
            events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "score.auto")))
        assert len(events) == 2  # one per run, with its counts: together they tell what the table holds
        assert sum(run["scored"] for e in events for run in e.after["runs"]) == CHATS
    finally:
        database.close()


def test_two_imports_of_one_file_store_each_conversation_once(db_url: str, tmp_path: Path) -> None:
    path = write_chats(tmp_path / "more.jsonl", 3000)
    runs = both("import", "chats", str(path), "--source", "twice", "--json", "--db", db_url)
    assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
    files = [json.loads(r.stdout)["files"][0] for r in runs]
    assert sum(f["imported"] for f in files) == 3000
    assert all(f["imported"] + f["unchanged"] + f["updated"] == 3000 for f in files)
    assert stored_rows(db_url) == (3000, 3 * 3000)


STOPPED_APP = "qa-stopped-midway"


INTERACTIONS = select(func.count()).select_from(Interaction)
AUTO_EVALUATIONS = select(func.count()).select_from(Evaluation).where(Evaluation.kind == "auto",
                                                                      Evaluation.is_current.is_(True))


def stopped_midway(db_url: str, how: str, stored: Any, *args: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """`qa ARGS --db URL` stopped as soon as it has stored its first rows (the ``stored`` count): SIGKILL to its
    process group (``kill``), or its PostgreSQL backends ended (``backend``; found by their application name);
    its result and the rows stored then."""
    url = f"{db_url}&application_name={STOPPED_APP}" if how == "backend" else db_url
    proc = subprocess.Popen([str(QA), *args, "--db", url], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    database = open_database(db_url)
    try:
        while proc.poll() is None:
            if count(database, stored):
                if how == "kill":
                    os.killpg(proc.pid, signal.SIGKILL)
                else:
                    with database.engine.connect() as connection:
                        ended = connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                                        "WHERE application_name = :name"), {"name": STOPPED_APP}).all()
                    if not ended:
                        continue  # not connected at this moment
                break
            time.sleep(0.05)
        out, err = proc.communicate(timeout=300)
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), count(database, stored)
    finally:
        database.close()


def audited_sum(db_url: str, action: str, key: str) -> int:
    """What the audit log says a run stored: the sum of ``key`` over its batch events named ``action``
    (``chats.import.batch``: conversations imported; ``score.auto.batch``: evaluations scored)."""
    database = open_database(db_url)
    try:
        with database.session() as session:
            return sum(e.after[key] for e in session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
    finally:
        database.close()


@pytest.mark.parametrize("how", ["kill", "backend"])
def test_an_import_stopped_midway_is_audited_as_stored_and_a_rerun_completes_it(
        db_url: str, tmp_path: Path, how: str) -> None:
    if how == "backend" and not db_url.startswith("postgresql"):
        pytest.skip("a server backend to end: PostgreSQL only")
    path = write_chats(tmp_path / "many.jsonl", 3000)
    command = ("import", "chats", str(path), "--source", "stop", "--json")
    stopped, stored = stopped_midway(db_url, how, INTERACTIONS, *command)
    assert "Traceback" not in stopped.stderr, stopped.stderr
    if how == "backend" and stopped.returncode:
        assert stopped.returncode == 1 and stopped.stderr.strip().count("\n") == 0, stopped.stderr
    assert audited_sum(db_url, "chats.import.batch", "imported") == stored  # before: 0 audited for the 1,000 or more stored
    rerun = subprocess.run([str(QA), *command, "--db", db_url], capture_output=True, text=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert json.loads(rerun.stdout)["files"][0]["imported"] == 3000 - stored
    assert stored_rows(db_url) == (3000, 3 * 3000)
    assert audited_sum(db_url, "chats.import.batch", "imported") == 3000


@pytest.mark.parametrize("how", ["kill", "backend"])
def test_a_score_auto_run_stopped_midway_is_audited_as_stored_and_a_rerun_completes_it(team: str, how: str) -> None:
    if how == "backend" and not team.startswith("postgresql"):
        pytest.skip("a server backend to end: PostgreSQL only")
    command = ("score", "auto", "--rubric", "review-test", "--workers", "1", "--batch-size", "50", "--json",
               "--as", "lee")
    stopped, stored = stopped_midway(team, how, AUTO_EVALUATIONS, *command)
    assert "Traceback" not in stopped.stderr, stopped.stderr
    assert audited_sum(team, "score.auto.batch", "scored") == stored  # before: no audit event for what a killed run stored
    rerun = subprocess.run([str(QA), *command, "--db", team], capture_output=True, text=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr
    assert [run["scored"] for run in json.loads(rerun.stdout)] == [CHATS - stored]
    database = open_database(team)
    try:
        assert count(database, AUTO_EVALUATIONS) == CHATS
    finally:
        database.close()
    assert audited_sum(team, "score.auto.batch", "scored") == CHATS
