"""Shared fixtures: every database test runs on SQLite and on the real PostgreSQL server.

PostgreSQL: a fresh, uniquely named database per test session on $QA_TEST_POSTGRES_URL
(default postgresql+psycopg://postgres@127.0.0.1:5432/postgres), dropped afterwards; each test gets
its own schema in it. If the server cannot be reached the PostgreSQL tests fail with a clear
message; set QA_TEST_POSTGRES=skip to skip them on purpose.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from qa_toolkit.config import get_settings
from qa_toolkit.services import schema
from qa_toolkit.storage.database import Database, open_database

PG_SERVER_URL = os.environ.get("QA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
ENGINES = ["sqlite", "postgresql"]
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# Property-based tests: the same examples every run (derandomized, no example database), no deadline
# (CI machines are slow and shared); each test keeps its own example count small, so they run in seconds.
settings.register_profile("qa", derandomize=True, database=None, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "qa"))


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Never touch the user's real database or settings: point everything at tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QA_DATABASE_URL", f"sqlite:///{tmp_path / 'default.db'}")
    monkeypatch.setenv("QA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("QA_USER", raising=False)
    for var in ("FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def pg_database_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    if os.environ.get("QA_TEST_POSTGRES") == "skip":
        pytest.skip("QA_TEST_POSTGRES=skip: PostgreSQL tests skipped on purpose")
    name = f"qa_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - any failure here means "no server"
        admin.dispose()
        pytest.fail(
            f"PostgreSQL is not reachable at {PG_SERVER_URL} ({exc.__class__.__name__}: "
            f"{str(exc).splitlines()[0]}). Start it, set QA_TEST_POSTGRES_URL, or set "
            "QA_TEST_POSTGRES=skip to skip the PostgreSQL tests on purpose.",
            pytrace=False,
        )
    yield make_url(PG_SERVER_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=ENGINES)
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database: a new SQLite file, or a new schema in the session's PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'qa.db'}"
        return
    base = request.getfixturevalue("pg_database_url")
    schema_name = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema_name}"'))
    yield f"{base}?options=-csearch_path%3D{schema_name}"
    with engine.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema_name}" CASCADE'))
    engine.dispose()


@pytest.fixture
def db_url(empty_db_url: str) -> str:
    """The URL of a fresh database at the latest revision (SQLite and PostgreSQL)."""
    schema.init_database(empty_db_url)
    return empty_db_url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """An open fresh database at the latest revision (SQLite and PostgreSQL)."""
    database = open_database(db_url)
    yield database
    database.close()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout: real public data for tests (never copied into the project).

    A clone of this repository alone has no ../shared: the tests that read it skip and say why."""
    if not (SHARED / "data").is_dir():
        pytest.skip(f"{SHARED} is absent: this test reads real public data from ../shared beside the checkout "
                    "(see README.md, Tests); the rest of the suite runs without it")
    return SHARED
