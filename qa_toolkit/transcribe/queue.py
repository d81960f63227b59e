"""Many machines, one PostgreSQL database: transcription jobs on procrastinate.

``qa transcribe enqueue DIR`` registers the folder's recordings (by content hash) and defers one
job per new file; ``qa transcribe worker`` runs a procrastinate worker on any machine that shares
the database (and sees the audio at the same path, e.g. on a network share). A job claims its
recording, transcribes it and stores it in one transaction, exactly like ``qa transcribe batch``.

Safety: each job carries the file's content hash as its procrastinate ``queueing_lock`` (a file is
queued at most once at a time) and ``lock`` (never run twice at once). Workers send heartbeats;
a periodic task re-queues the jobs of workers whose heartbeat stopped (killed, machine lost):
stalled-job recovery. Storing is idempotent by content hash, so a file is never stored twice.
A second periodic task enqueues ``$QA_NIGHTLY_FOLDER`` every night at 01:00 (files modified in
the last two days; older ones are skipped cheaply anyway, by content hash), with ``$QA_WHISPER_MODEL``
and ``$QA_VOCABULARY_FILE`` if set.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from qa_toolkit.config import get_settings
from qa_toolkit.errors import QAError
from qa_toolkit.services import transcription
from qa_toolkit.services.transcription import TranscribeSettings
from qa_toolkit.storage.database import Database, open_database

QUEUE = "transcribe"
NIGHTLY_CRON = "0 1 * * *"
RECOVERY_CRON = "* * * * * */15"  # croniter's sixth field is seconds: every 15 s

logger = logging.getLogger(__name__)


def conninfo(url: str) -> str:
    """The libpq connection string of a SQLAlchemy PostgreSQL URL.

    Raises:
        QAError: the URL is not PostgreSQL (the queue needs it; SQLite has ``qa transcribe batch``).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        raise QAError(f"the job queue needs PostgreSQL (got {parsed.get_backend_name()}): pass "
                      "--db postgresql+psycopg://user@host/dbname, or use `qa transcribe batch` on one machine")
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


@lru_cache(maxsize=4)
def make_app(url: str, nightly_folder: Path | None = None) -> Any:
    """The procrastinate app for a database URL, with the transcription tasks registered; its nightly task
    enqueues ``nightly_folder`` (default: the ``QA_NIGHTLY_FOLDER`` setting)."""
    try:
        import procrastinate
    except ImportError as exc:
        raise QAError("the job queue needs its extra: pip install 'qa-toolkit[queue]'") from exc

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(url)))

    @app.task(name="qa.transcribe_recording", queue=QUEUE, pass_context=True,
              retry=procrastinate.RetryStrategy(max_attempts=3, wait=30))
    def transcribe_recording(context: Any, recording_id: int, settings: dict[str, Any]) -> str:
        outcome = transcription.process(_database(url), recording_id, TranscribeSettings(**settings),
                                        take_running=True)
        logger.info("recording %s: %s %s", recording_id, outcome.status, outcome.reason or "")
        return outcome.status

    @app.periodic(cron=RECOVERY_CRON, periodic_id="recover-stalled")
    @app.task(name="qa.recover_stalled", queue="maintenance", queueing_lock="recover-stalled")
    async def recover_stalled(timestamp: int) -> int:
        stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=get_settings().queue_stalled_after)
        for job in stalled:
            logger.warning("re-queueing job %s of a stalled worker", job.id)
            await app.job_manager.retry_job(job)
        return len(list(stalled))

    @app.periodic(cron=NIGHTLY_CRON, periodic_id="nightly-enqueue")
    @app.task(name="qa.nightly_enqueue", queue="maintenance", queueing_lock="nightly-enqueue")
    def nightly_enqueue(timestamp: int) -> int:
        config = get_settings()
        folder = nightly_folder or config.nightly_folder
        if not folder:
            logger.info("QA_NIGHTLY_FOLDER is not set: nothing to enqueue tonight")
            return 0
        settings = TranscribeSettings(model=config.whisper_model)
        if vocabulary := config.vocabulary_file:
            from qa_toolkit.transcribe.vocabulary import read_vocabulary

            settings.vocabulary = read_vocabulary(vocabulary)
        since = datetime.fromtimestamp(timestamp) - timedelta(days=2)  # yesterday's files, with a margin
        queued, _known = enqueue_folder(_database(url), folder, settings, since=since, app=app)
        return queued

    app.transcribe_recording = transcribe_recording  # type: ignore[attr-defined]
    app.qa_conninfo = conninfo(url)  # type: ignore[attr-defined]
    return app


@lru_cache(maxsize=4)
def _database(url: str) -> Database:
    return open_database(url)


def ensure_schema(app: Any) -> None:
    """Create procrastinate's tables in the database if they are not there yet.

    Under an advisory lock, so that two first ``qa transcribe enqueue`` (or worker) runs on a fresh
    database take turns: the second waits, then finds the schema there.
    """
    import psycopg

    from qa_toolkit.storage.locks import lock_key

    key = lock_key("qa transcribe queue schema")
    with psycopg.connect(app.qa_conninfo, autocommit=True) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            row = connection.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL").fetchone()
            if not (row and row[0]):
                with connection.transaction():
                    connection.execute(app.schema_manager.get_schema())
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (key,))


def enqueue_folder(database: Database, folder: str | Path, settings: TranscribeSettings, *,
                   since: datetime | None = None, app: Any = None) -> tuple[int, int]:
    """Register the folder's recordings and defer one job per file not yet done, failed or queued.

    Returns (jobs queued, files skipped).
    """
    from procrastinate.exceptions import AlreadyEnqueued

    rows = transcription.register(database, transcription.discover(folder, since))
    own_app = app is None
    app = app or make_app(database.url)
    if own_app:
        ensure_schema(app)
    payload = dataclasses.asdict(settings)
    queued = skipped = 0

    def defer_all() -> None:
        nonlocal queued, skipped
        for row in rows:
            if row.status in ("done", "failed"):
                skipped += 1
                continue
            try:
                app.transcribe_recording.configure(queueing_lock=row.content_hash, lock=row.content_hash).defer(
                    recording_id=row.id, settings=payload)
                queued += 1
            except AlreadyEnqueued:
                skipped += 1

    if own_app:
        with app.open():
            defer_all()
    else:
        defer_all()
    return queued, skipped


def run_worker(url: str, *, concurrency: int = 1, nightly_folder: Path | None = None, wait: bool = True) -> None:
    """Run a procrastinate worker for the transcription and maintenance queues until stopped."""
    _database(url)  # fail early, with the usual message, if the database is missing or not at head
    app = make_app(url, nightly_folder)
    ensure_schema(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    stalled_after = get_settings().queue_stalled_after
    heartbeat = max(1.0, stalled_after / 4)

    async def main() -> None:
        async with app.open_async():
            await app.run_worker_async(queues=[QUEUE, "maintenance"], concurrency=concurrency, wait=wait,
                                       name=transcription.worker_id(), update_heartbeat_interval=heartbeat,
                                       stalled_worker_timeout=stalled_after)

    asyncio.run(main())
