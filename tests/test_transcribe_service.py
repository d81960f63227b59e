"""Recording bookkeeping without a model: discovery, content-hash registration, claims, stale claims, retry."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from qa_toolkit.errors import QAError
from qa_toolkit.services import transcription
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Recording
from transcribe_support import SAMPLES


def test_discover_filters_by_extension_and_mtime(tmp_path: Path) -> None:
    old, new = tmp_path / "old.wav", tmp_path / "sub" / "new.mp3"
    new.parent.mkdir()
    for path in (old, new, tmp_path / "notes.txt"):
        path.write_bytes(b"x")
    past = (datetime.now() - timedelta(days=3)).timestamp()
    os.utime(old, (past, past))
    assert transcription.discover(tmp_path) == [old, new]
    assert transcription.discover(tmp_path, since=datetime.now() - timedelta(days=1)) == [new]
    with pytest.raises(QAError, match="is not a directory"):
        transcription.discover(tmp_path / "missing")


def test_renamed_copy_is_the_same_recording(db: Database, tmp_path: Path) -> None:
    first = tmp_path / "a.wav"
    shutil.copy(SAMPLES / "call_01_billing.wav", first)
    second = tmp_path / "renamed.wav"
    shutil.copy(first, second)
    (a,) = transcription.register(db, [first])
    (b,) = transcription.register(db, [second])
    assert a.id == b.id and a.status == "pending" and len(a.content_hash) == 64
    assert transcription.status_counts(db) == {"pending": 1, "running": 0, "done": 0, "failed": 0}


def test_claim_is_exclusive_and_dead_claims_are_taken_over(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    path.write_bytes(b"audio")
    (row,) = transcription.register(db, [path])
    assert transcription.claim(db, row.id, worker="host-a:1")
    assert not transcription.claim(db, row.id, worker="host-b:2")  # running elsewhere, fresh claim
    assert transcription.pending_ids(db) == []
    # a process on this host that died (kill -9) leaves a claim nobody owns any more
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with db.session() as session:
        session.get(Recording, row.id).worker = f"{socket.gethostname()}:{dead.pid}"  # type: ignore[union-attr]
    assert transcription.pending_ids(db) == [row.id]
    assert transcription.claim(db, row.id, worker="host-c:3")
    with db.session() as session:
        claimed = session.get(Recording, row.id)
        assert claimed is not None and (claimed.worker, claimed.attempts) == ("host-c:3", 2)
        claimed.claimed_at = datetime.now(timezone.utc) - timedelta(hours=3)  # an old claim from another host
    assert transcription.claim(db, row.id, worker="host-d:4")


def test_failures_are_recorded_and_retried(db: Database, tmp_path: Path) -> None:
    paths = [tmp_path / "a.wav", tmp_path / "b.wav"]
    for i, path in enumerate(paths):
        path.write_bytes(bytes([i]))
    rows = transcription.register(db, paths)
    transcription.fail(db, rows[0].id, "truncated", "truncated: a.wav decodes to 1.0 s but declares 9.0 s")
    transcription.fail(db, rows[1].id, "empty", "empty: b.wav is an empty file (0 bytes)")
    listed = transcription.list_recordings(db, status="failed")
    assert {(r["failure_kind"], Path(r["file"]).name) for r in listed} == {("truncated", "a.wav"), ("empty", "b.wav")}
    assert not transcription.claim(db, rows[0].id)  # failed files wait for `retry`
    assert transcription.retry_failed(db, kind="empty") == 1
    assert transcription.status_counts(db)["pending"] == 1
    assert transcription.retry_failed(db) == 1
