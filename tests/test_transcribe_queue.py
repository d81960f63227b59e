"""Many machines: procrastinate workers on the real PostgreSQL; one killed mid-file → every file stored once."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from conftest import PG_SERVER_URL
from qa_toolkit.errors import QAError
from qa_toolkit.services import schema, transcription
from qa_toolkit.storage.database import open_database
from qa_toolkit.storage.models import Interaction, Recording
from qa_toolkit.transcribe.queue import conninfo
from test_transcribe_batch import copy_samples

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

QA = [sys.executable, "-c", "from qa_toolkit.cli import app; app()"]


@pytest.fixture
def queue_db_url() -> Iterator[str]:
    """A fresh PostgreSQL database of its own (procrastinate's tables go next to ours)."""
    if os.environ.get("QA_TEST_POSTGRES") == "skip":
        pytest.skip("QA_TEST_POSTGRES=skip: PostgreSQL tests skipped on purpose")
    name = f"qa_queue_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_SERVER_URL).set(database=name).render_as_string(hide_password=False)
    schema.init_database(url)
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_queue_needs_postgresql() -> None:
    with pytest.raises(QAError, match="the job queue needs PostgreSQL"):
        conninfo("sqlite:///qa.db")
    assert conninfo("postgresql+psycopg://u@h:5432/d") == "postgresql://u@h:5432/d"


def test_two_workers_one_killed_mid_file_every_file_once(queue_db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "calls"
    copy_samples(folder)
    call = (folder / "call_03_overtalk.wav").read_bytes()
    (folder / "copy.wav").write_bytes(call[:-1] + bytes([call[-1] ^ 1]))
    n_files = len(transcription.discover(folder))
    env = {**os.environ, "QA_DATABASE_URL": queue_db_url, "QA_QUEUE_STALLED_AFTER": "3"}
    enqueued = subprocess.run([*QA, "transcribe", "enqueue", str(folder)], env=env, capture_output=True, text=True)
    assert enqueued.returncode == 0, enqueued.stderr
    assert f"Queued {n_files} recording(s)" in enqueued.stdout
    again = subprocess.run([*QA, "transcribe", "enqueue", str(folder)], env=env, capture_output=True, text=True)
    assert "Queued 0 recording(s)" in again.stdout

    log_a, log_b = (tmp_path / "a.log").open("w"), (tmp_path / "b.log").open("w")
    worker = [*QA, "transcribe", "worker"]
    a = subprocess.Popen(worker, env=env, stdout=log_a, stderr=subprocess.STDOUT)
    b = subprocess.Popen(worker, env=env, stdout=log_b, stderr=subprocess.STDOUT)
    db = open_database(queue_db_url)
    try:
        victim = f"{socket.gethostname()}:{a.pid}"
        deadline = time.monotonic() + 90
        killed_recording = None
        while time.monotonic() < deadline and killed_recording is None:
            with db.session() as session:
                killed_recording = session.scalar(select(Recording.id).where(
                    Recording.status == "running", Recording.worker == victim))
            time.sleep(0.05)
        assert killed_recording is not None, "worker A never started a file"
        os.kill(a.pid, signal.SIGKILL)  # mid-file: its recording is 'running', its job 'doing'
        a.wait()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and transcription.status_counts(db)["done"] < n_files:
            time.sleep(0.5)
        b.send_signal(signal.SIGTERM)
        b.wait(timeout=30)
        counts = transcription.status_counts(db)
        assert counts == {"pending": 0, "running": 0, "done": n_files, "failed": 0}, (tmp_path / "b.log").read_text()
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Recording)) == n_files
            assert session.scalar(select(func.count()).select_from(Interaction)) == n_files
            assert len(set(session.scalars(select(Recording.interaction_id)).all())) == n_files
            killed = session.get(Recording, killed_recording)
            assert killed is not None and killed.attempts == 2 and killed.worker is None
            jobs = session.execute(text(
                "SELECT status, count(*) FROM procrastinate_jobs WHERE task_name = 'qa.transcribe_recording' "
                "GROUP BY status")).all()
        assert dict(jobs) == {"succeeded": n_files}
        assert "re-queueing job" in (tmp_path / "b.log").read_text()
    finally:
        for proc in (a, b):
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        db.close()


def test_nightly_task_queues_the_folders_recent_recordings_once(queue_db_url: str, tmp_path: Path) -> None:
    from qa_toolkit.transcribe.queue import NIGHTLY_CRON, ensure_schema, make_app

    folder = tmp_path / "calls"
    recent = copy_samples(folder, ["call_01_billing.wav", "call_03_overtalk.wav"])
    old = folder / "last_month.wav"
    call = recent[1].read_bytes()
    old.write_bytes(call[:-1] + bytes([call[-1] ^ 1]))  # other content: a recording of its own
    month_ago = time.time() - 30 * 86400
    os.utime(old, (month_ago, month_ago))

    app = make_app(queue_db_url, folder)
    ensure_schema(app)
    [nightly] = [p for (name, _), p in app.periodic_registry.periodic_tasks.items() if name == "qa.nightly_enqueue"]
    assert nightly.cron == NIGHTLY_CRON == "0 1 * * *"
    with app.open():
        assert nightly.task(timestamp=int(time.time())) == 2  # the files of the last two days
        assert nightly.task(timestamp=int(time.time())) == 0  # queued already: once per file
    engine = create_engine(queue_db_url)
    try:
        with engine.connect() as connection:
            queued = connection.execute(text(
                "SELECT r.path FROM procrastinate_jobs j JOIN recordings r ON r.id = (j.args->>'recording_id')::int "
                "WHERE j.task_name = 'qa.transcribe_recording' AND j.status = 'todo'")).scalars().all()
    finally:
        engine.dispose()
    assert sorted(Path(p).name for p in queued) == ["call_01_billing.wav", "call_03_overtalk.wav"]


def test_nightly_task_without_a_folder_queues_nothing(queue_db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from qa_toolkit.transcribe.queue import make_app

    monkeypatch.delenv("QA_NIGHTLY_FOLDER", raising=False)
    app = make_app(queue_db_url)
    [nightly] = [p for (name, _), p in app.periodic_registry.periodic_tasks.items() if name == "qa.nightly_enqueue"]
    assert nightly.task(timestamp=int(time.time())) == 0


def test_two_first_enqueues_on_a_fresh_database_take_turns(tmp_path: Path) -> None:
    """Issue 20 item 7: two first `qa transcribe enqueue` runs on a fresh database both create the queue's
    tables if missing; they take turns (an advisory lock), so neither crashes and each file is queued once."""
    if os.environ.get("QA_TEST_POSTGRES") == "skip":
        pytest.skip("QA_TEST_POSTGRES=skip: PostgreSQL tests skipped on purpose")
    folder = tmp_path / "calls"
    files = copy_samples(folder, ["call_01_billing.wav", "call_03_overtalk.wav"])
    admin = create_engine(PG_SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        for _ in range(3):  # the race needs both runs to find the tables missing: try a few fresh databases
            name = f"qa_queue_{uuid.uuid4().hex[:10]}"
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            url = make_url(PG_SERVER_URL).set(database=name).render_as_string(hide_password=False)
            try:
                schema.init_database(url)
                procs = [subprocess.Popen([*QA, "transcribe", "enqueue", str(folder), "--db", url],
                                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                         for _ in range(2)]
                outputs = [proc.communicate(timeout=120) for proc in procs]
                for proc, (out, err) in zip(procs, outputs):
                    assert proc.returncode == 0 and "Traceback" not in err, err
                queued = sum(int(out.split()[1]) for out, _ in outputs)  # "Queued N recording(s); ..."
                engine = create_engine(url)
                with engine.connect() as connection:
                    jobs = connection.execute(text("SELECT count(*) FROM procrastinate_jobs "
                                                   "WHERE task_name = 'qa.transcribe_recording'")).scalar()
                engine.dispose()
                assert queued == jobs == len(files)
            finally:
                with admin.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
