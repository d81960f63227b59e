"""Alembic migrations on both engines: empty → head → base, models agree, populated upgrades keep rows.

Populated-upgrade pattern: ``SEEDS`` maps a revision to a function that inserts rows valid at that
revision and ``CHECKS`` to one that asserts they are intact at head. Every new revision adds its own
pair, so each later revision is tested against data written by the earlier schema.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import IntegrityError

from qa_toolkit.errors import DatabaseError
from qa_toolkit.storage import migrate
from qa_toolkit.storage.database import create_db_engine, open_database
from qa_toolkit.storage.models import Base


def test_upgrade_to_head_then_downgrade_to_base(empty_db_url: str) -> None:
    engine = create_db_engine(empty_db_url, create=True)
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert {"agents", "users", "interactions", "turns", "audit_events"} <= set(inspect(engine).get_table_names())
    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_every_revision_downgrades_one_step_and_back(empty_db_url: str) -> None:
    engine = create_db_engine(empty_db_url, create=True)
    for revision in migrate.revisions():
        migrate.upgrade(engine, revision)
        migrate.downgrade(engine, "-1")
        migrate.upgrade(engine, revision)
        assert migrate.current_revision(engine) == revision
    engine.dispose()


def test_models_match_migrations(db_url: str) -> None:
    engine = create_db_engine(db_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations disagree: add a revision for {diff}"


def test_check_constraints_of_models_match_migrations(tmp_path: Path) -> None:
    """Autogenerate does not compare CHECK constraints: compare them on SQLite, migrated vs created from the models."""
    migrated = create_db_engine(f"sqlite:///{tmp_path / 'migrated.db'}", create=True)
    migrate.upgrade(migrated)
    modelled = create_db_engine(f"sqlite:///{tmp_path / 'modelled.db'}", create=True)
    Base.metadata.create_all(modelled)

    def checks(engine: Engine) -> dict[tuple[str, str], str]:
        inspector = inspect(engine)
        return {(table, check["name"]): " ".join(check["sqltext"].split())
                for table in inspector.get_table_names() for check in inspector.get_check_constraints(table)}

    assert checks(migrated) == checks(modelled)
    migrated.dispose()
    modelled.dispose()


def test_single_head() -> None:
    from alembic.script import ScriptDirectory

    assert len(ScriptDirectory.from_config(migrate.alembic_config()).get_heads()) == 1


def test_turn_speaker_check_holds_at_head(db_url: str) -> None:
    """Revision 0006 rewrote the speaker check (CASE instead of IN): the same speakers pass, others fail."""
    engine = create_db_engine(db_url)
    with engine.begin() as connection:
        _seed_0001(connection)
        connection.execute(text("INSERT INTO turns (id, interaction_id, \"index\", speaker, text) VALUES (10, 1, 2, 'unknown', 'x')"))
    with pytest.raises(IntegrityError, match="ck_turns_speaker|CHECK constraint failed"), engine.begin() as connection:
        connection.execute(text("INSERT INTO turns (id, interaction_id, \"index\", speaker, text) VALUES (11, 1, 3, 'bot', 'x')"))
    engine.dispose()


def _seed_0001(connection: Connection) -> None:
    connection.execute(text("INSERT INTO agents (id, external_id, name, team, created_at) "
                            "VALUES (1, 'a-1', 'José Zoë', 'billing', '2026-01-01 10:00:00')"))
    connection.execute(text("INSERT INTO users (id, name, role, agent_id, created_at) "
                            "VALUES (1, 'rita', 'reviewer', 1, '2026-01-01 10:00:00')"))
    connection.execute(text(
        "INSERT INTO interactions (id, source, external_id, channel, agent_id, tags, metadata, created_at, updated_at, csat) "
        "VALUES (1, 'demo', 'c-1', 'chat', 1, '[\"refund\"]', '{}', '2026-01-01 10:00:00', '2026-01-01 10:00:00', 4)"))
    connection.execute(text("INSERT INTO turns (id, interaction_id, \"index\", speaker, text) "
                            "VALUES (1, 1, 0, 'customer', 'Hi, I was charged twice'), "
                            "(2, 1, 1, 'agent', 'Sorry about that & <more>')"))


def _check_0001(connection: Connection) -> None:
    assert connection.execute(text("SELECT external_id, name, team FROM agents")).all() == [("a-1", "José Zoë", "billing")]
    assert connection.execute(text("SELECT name, role, agent_id FROM users WHERE id = 1")).all() == [
        ("rita", "reviewer", 1)]
    assert connection.execute(text("SELECT source, external_id, channel, csat FROM interactions")).all() == [
        ("demo", "c-1", "chat", 4)]
    assert connection.execute(text("SELECT \"index\", speaker, text FROM turns ORDER BY \"index\"")).all() == [
        (0, "customer", "Hi, I was charged twice"), (1, "agent", "Sorry about that & <more>")]


def _seed_0005(connection: Connection) -> None:
    _seed_0001(connection)
    connection.execute(text(
        "INSERT INTO rubric_versions (id, name, version, content_hash, channels, body, source, published_at) "
        "VALUES (1, 'r', 1, 'abc', '[\"chat\"]', '{}', 'name: r', '2026-01-01 10:00:00')"))
    connection.execute(text("INSERT INTO review_samples (id, rubric_version_id, strategy, params, created_at) "
                            "VALUES (1, 1, 'random', '{\"seed\": 7}', '2026-01-02 10:00:00')"))
    connection.execute(text(
        "INSERT INTO review_assignments (id, sample_id, interaction_id, rubric_version_id, reviewer_id, status, "
        "blind, \"double\", draft, created_at, updated_at) VALUES (1, 1, 1, 1, 1, 'draft', TRUE, FALSE, "
        "'{\"values\": {\"tone\": 4}}', '2026-01-02 10:00:00', '2026-01-02 10:00:00')"))
    connection.execute(text("INSERT INTO reviewer_capacities (user_id, capacity, updated_at) "
                            "VALUES (1, 20, '2026-01-02 10:00:00')"))


def _check_0005(connection: Connection) -> None:
    _check_0001(connection)
    assert connection.execute(text("SELECT strategy FROM review_samples")).all() == [("random",)]
    assert connection.execute(text("SELECT status, reviewer_id FROM review_assignments")).all() == [("draft", 1)]
    assert connection.execute(text("SELECT capacity FROM reviewer_capacities")).all() == [(20,)]


def _seed_0002(connection: Connection) -> None:
    connection.execute(text(
        "INSERT INTO interactions (id, source, external_id, channel, tags, metadata, created_at, updated_at, "
        "content_hash, labels, pii_redacted) VALUES (2, 'demo', 'c-2', 'chat', '[]', '{}', '2026-01-01 10:00:00', "
        "'2026-01-01 10:00:00', 'abc123', '{\"greeting\": true}', true)"))
    connection.execute(text("INSERT INTO turns (id, interaction_id, \"index\", speaker, text, internal) "
                            "VALUES (3, 2, 0, 'customer', 'card [CARD]', false), (4, 2, 1, 'system', 'note', true)"))
    connection.execute(text("INSERT INTO pii_spans (interaction_id, turn_index, speaker, kind, start, \"end\") "
                            "VALUES (2, 0, 'customer', 'card', 5, 24)"))


def _check_0002(connection: Connection) -> None:
    assert connection.execute(text("SELECT content_hash, pii_redacted FROM interactions WHERE id = 2")).all() == [("abc123", True)]
    assert connection.execute(text("SELECT id, internal FROM turns ORDER BY id")).all() == [(3, False), (4, True)]
    assert connection.execute(text("SELECT turn_index, speaker, kind, start, \"end\" FROM pii_spans")).all() == [
        (0, "customer", "card", 5, 24)]


def _seed_0004(connection: Connection) -> None:
    _seed_0001(connection)
    connection.execute(text(
        "INSERT INTO recordings (id, content_hash, path, size_bytes, status, attempts, duration_s, channels, "
        "timings, metadata, unassigned, interaction_id, created_at, updated_at) VALUES (1, 'ab12', '/calls/c1.wav', "
        "1000, 'done', 1, 12.5, 2, '{\"rtf\": 0.1}', '{\"call_id\": \"c-1\"}', FALSE, 1, "
        "'2026-01-01 10:00:00', '2026-01-01 10:00:00')"))


def _check_0004(connection: Connection) -> None:
    _check_0001(connection)
    assert connection.execute(text("SELECT content_hash, status, duration_s, interaction_id FROM recordings")).all() == [
        ("ab12", "done", 12.5, 1)]


def _seed_0003(connection: Connection) -> None:
    _seed_0001(connection)
    connection.execute(text(
        "INSERT INTO rubric_versions (id, name, version, content_hash, channels, body, source, published_at, "
        "published_by) VALUES (1, 'support-chat', 1, 'h1', '[\"chat\"]', '{\"name\": \"support-chat\"}', "
        "'name: support-chat', '2026-01-01 10:00:00', 'lee')"))
    connection.execute(text(
        "INSERT INTO evaluations (id, interaction_id, rubric_version_id, kind, score, critical_failed, "
        "category_scores, created_at, version, is_current) VALUES (1, 1, 1, 'auto', 87.5, FALSE, "
        "'{\"empathy\": 75.0}', '2026-01-01 11:00:00', 1, TRUE)"))
    connection.execute(text(
        "INSERT INTO criterion_results (evaluation_id, criterion_key, category, value, normalized, status, message, "
        "evidence, confidence, decided_by) VALUES (1, 'greeting', 'communication', 1, 100, 'pass', 'greeting in "
        "turn 1', '[{\"turn\": 1, \"quote\": \"Hello\"}]', 0.95, 'auto')"))


def _check_0003(connection: Connection) -> None:
    _check_0001(connection)
    assert connection.execute(text("SELECT name, version, content_hash FROM rubric_versions")).all() == [
        ("support-chat", 1, "h1")]
    assert connection.execute(text("SELECT kind, score, critical_failed, is_current FROM evaluations")).all() == [
        ("auto", 87.5, False, True)]
    assert connection.execute(text("SELECT criterion_key, status, normalized FROM criterion_results")).all() == [
        ("greeting", "pass", 100.0)]


def _seed_0007(connection: Connection) -> None:
    _seed_0002(connection)
    connection.execute(text("INSERT INTO pii_spans (interaction_id, turn_index, speaker, kind, start, \"end\", "
                            "start_s, end_s) VALUES (2, 0, 'customer', 'cvv', 30, 43, 12.25, 13.5)"))


def _check_0007(connection: Connection) -> None:
    assert connection.execute(text("SELECT kind, start, start_s, end_s FROM pii_spans ORDER BY id")).all() == [
        ("card", 5, None, None), ("cvv", 30, 12.25, 13.5)]


def _seed_0008(connection: Connection) -> None:
    _seed_0001(connection)
    connection.execute(text("INSERT INTO users (id, name, role, created_at, password_hash, team) "
                            "VALUES (2, 'lee', 'lead', '2026-01-01 10:00:00', '$argon2id$v=19$x', 'billing')"))


def _check_0008(connection: Connection) -> None:
    _check_0001(connection)
    assert connection.execute(text("SELECT name, password_hash, team FROM users WHERE id = 2")).all() == [
        ("lee", "$argon2id$v=19$x", "billing")]


def _seed_0011(connection: Connection) -> None:
    _seed_0004(connection)
    connection.execute(text("UPDATE recordings SET provenance = '{\"model\": \"tiny.en\", "
                            "\"options\": {\"temperature\": [0.0]}}' WHERE id = 1"))


def _check_0011(connection: Connection) -> None:
    _check_0004(connection)
    raw = connection.execute(text("SELECT provenance FROM recordings WHERE id = 1")).scalar_one()
    value = raw if isinstance(raw, dict) else json.loads(raw)
    assert value == {"model": "tiny.en", "options": {"temperature": [0.0]}}


_SUMS_0015 = ("contacts", "csat_n", "csat_hits", "nps_n", "promoters", "detractors", "escalation_n", "escalated",
              "resolved_n", "resolved", "scored", "score_sum", "passed", "reviewed", "review_sum")


def _seed_0015(connection: Connection) -> None:
    """Daily rollups of two days of one week (Wednesday, Sunday) and of the next Monday, one team and queue."""
    for day, n in (("2026-07-01", 1), ("2026-07-05", 2), ("2026-07-06", 4)):
        values = ", ".join(str(n * 1.5 if name.endswith("_sum") else n) for name in _SUMS_0015)
        connection.execute(text(f"INSERT INTO overview_rollups (day, team, queue, {', '.join(_SUMS_0015)}) "
                                f"VALUES ('{day}', 'north', 'billing', {values})"))


def _check_0015(connection: Connection) -> None:
    assert connection.execute(text("SELECT week, team, queue, contacts, score_sum FROM overview_weeks "
                                   "ORDER BY week")).all() == [("2026-06-29", "north", "billing", 3, 4.5),
                                                               ("2026-07-06", "north", "billing", 4, 6.0)]


def _seed_0017(connection: Connection) -> None:
    """An interaction with an automated evaluation and a review (the verdict), written before revision 0018
    (the triggers note it; nothing folds it in until the upgrade)."""
    connection.execute(text("INSERT INTO agents (id, external_id, name, team, created_at) "
                            "VALUES (1, 'a-1', 'Ann', 'billing', '2026-01-01 10:00:00')"))
    connection.execute(text(
        "INSERT INTO interactions (id, source, external_id, channel, agent_id, tags, metadata, created_at, updated_at, "
        "started_at) VALUES (1, 'demo', 'c-1', 'chat', 1, '[]', '{}', '2026-07-01 12:00:00', '2026-07-01 12:00:00', "
        "'2026-07-01 12:00:00')"))
    connection.execute(text(
        "INSERT INTO rubric_versions (id, name, version, content_hash, channels, body, source, published_at) "
        "VALUES (1, 'support-chat', 1, 'h1', '[\"chat\"]', '{}', 'name: support-chat', '2026-01-01 10:00:00')"))
    connection.execute(text(
        "INSERT INTO evaluations (id, interaction_id, rubric_version_id, kind, score, critical_failed, category_scores, "
        "created_at, version, is_current) VALUES (1, 1, 1, 'auto', 80.0, FALSE, '{\"empathy\": 75.0}', "
        "'2026-07-01 13:00:00', 1, TRUE), (2, 1, 1, 'review', 60.0, FALSE, '{\"empathy\": 50.0, \"tone\": null}', "
        "'2026-07-02 13:00:00', 1, TRUE)"))
    connection.execute(text(
        "INSERT INTO criterion_results (evaluation_id, criterion_key, category, status, evidence, decided_by) "
        "VALUES (1, 'greeting', 'communication', 'pass', '[]', 'auto'), (2, 'greeting', 'communication', 'fail', "
        "'[]', 'user'), (2, 'hold', 'communication', 'pass', '[]', 'user'), "
        "(2, 'closing', 'communication', 'na', '[]', 'user')"))


def _check_0017(connection: Connection) -> None:
    """Revision 0018 backfilled the agent's daily verdict sums: the review is the verdict, N/A and null left out."""
    assert connection.execute(text("SELECT agent_id, rubric, kind, day, key, n, total FROM verdict_rollups "
                                   "ORDER BY kind, key")).all() == [
        (1, "support-chat", "category", "2026-07-01", "empathy", 1, 50.0),
        (1, "support-chat", "criterion", "2026-07-01", "greeting", 1, 1.0),
        (1, "support-chat", "criterion", "2026-07-01", "hold", 1, 0.0),
        (1, "support-chat", "score", "2026-07-01", "", 1, 60.0)]
    assert connection.execute(text("SELECT count(*) FROM rollup_changes")).scalar_one() == 0


def _seed_0018(connection: Connection) -> None:
    """An interaction written before revision 0019 (the verdict cache)."""
    connection.execute(text(
        "INSERT INTO interactions (id, source, external_id, channel, tags, metadata, created_at, updated_at) "
        "VALUES (7, 'demo', 'c-7', 'chat', '[]', '{}', '2026-07-01 12:00:00', '2026-07-01 12:00:00')"))


def _check_0018(connection: Connection) -> None:
    """Revision 0019: a check's result is kept per (interaction, step) and goes when the interaction is deleted."""
    step, content = b"s" * 16, b"c" * 16
    connection.execute(text("INSERT INTO verdict_cache (interaction_id, step, content, result) "
                            "VALUES (7, :step, :content, '[\"pass\",\"ok\",[],1.0]')"),
                       {"step": step, "content": content})
    with pytest.raises(IntegrityError):  # one row per interaction and step
        with connection.begin_nested():
            connection.execute(text("INSERT INTO verdict_cache (interaction_id, step, content, result) "
                                    "VALUES (7, :step, :content, '[]')"), {"step": step, "content": content})
    assert connection.execute(text("SELECT interaction_id, content, result FROM verdict_cache")).all() == [
        (7, content, '["pass","ok",[],1.0]')]
    connection.execute(text("DELETE FROM interactions WHERE id = 7"))
    assert connection.execute(text("SELECT count(*) FROM verdict_cache")).scalar_one() == 0


SEEDS: dict[str, Callable[[Connection], None]] = {"0001": _seed_0001, "0002": _seed_0002, "0003": _seed_0003,
                                                  "0004": _seed_0004, "0005": _seed_0005, "0007": _seed_0007,
                                                  "0008": _seed_0008, "0011": _seed_0011, "0015": _seed_0015,
                                                  "0017": _seed_0017, "0018": _seed_0018}
CHECKS: dict[str, Callable[[Connection], None]] = {"0001": _check_0001, "0002": _check_0002, "0003": _check_0003,
                                                   "0004": _check_0004, "0005": _check_0005, "0007": _check_0007,
                                                   "0008": _check_0008, "0011": _check_0011, "0015": _check_0015,
                                                   "0017": _check_0017, "0018": _check_0018}


@pytest.mark.parametrize("revision", sorted(SEEDS))
def test_upgrade_keeps_rows_written_at_earlier_revision(empty_db_url: str, revision: str) -> None:
    engine = create_db_engine(empty_db_url, create=True)
    migrate.upgrade(engine, revision)
    with engine.begin() as connection:
        SEEDS[revision](connection)
    migrate.upgrade(engine, "head")
    with engine.connect() as connection:
        CHECKS[revision](connection)
    engine.dispose()


def test_commands_refuse_a_database_behind_head(empty_db_url: str) -> None:
    engine = create_db_engine(empty_db_url, create=True)
    migrate.upgrade(engine, migrate.revisions()[0])
    engine.dispose()
    if migrate.revisions()[0] == migrate.head_revision():
        pytest.skip("only one revision")
    with pytest.raises(DatabaseError, match="run `qa db upgrade"):
        open_database(empty_db_url)


def test_commands_refuse_an_uninitialised_database(empty_db_url: str) -> None:
    create_db_engine(empty_db_url, create=True).dispose()
    with pytest.raises(DatabaseError, match="is not initialised: run `qa init"):
        open_database(empty_db_url)


def test_pii_kind_check_holds_at_head(db_url: str) -> None:
    """Revision 0007 added the kinds cvv, expiry and account: they pass, an unknown kind fails."""
    engine = create_db_engine(db_url, create=True)
    migrate.upgrade(engine, "head")
    with engine.begin() as connection:
        _seed_0002(connection)
        for kind in ("cvv", "expiry", "account"):
            connection.execute(text("INSERT INTO pii_spans (interaction_id, turn_index, speaker, kind, start, \"end\") "
                                    f"VALUES (2, 0, 'customer', '{kind}', 0, 3)"))
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("INSERT INTO pii_spans (interaction_id, turn_index, speaker, kind, start, \"end\") "
                                "VALUES (2, 0, 'customer', 'name', 0, 3)"))
