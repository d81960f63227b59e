"""Transcribing recordings into the database: find, claim, transcribe, store, one transaction per file.

A recording is identified by the SHA-256 of its content, so a renamed or re-copied file is not
transcribed twice. Its row goes ``pending`` → ``running`` (claimed by ``host:pid``) → ``done`` or
``failed`` (with the reason). Storing the interaction, its turns and the ``done`` status happens in
one transaction that first re-reads the row: a file is stored at most once, however many batches
or queue workers race for it. A batch killed at any point (even ``kill -9``) leaves its files
``pending`` or ``running`` under a dead process id; the next run claims those again.
"""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from qa_toolkit.errors import QAError
from qa_toolkit.ingest.pii import redact_values
from qa_toolkit.services import audit, embed_ahead
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Agent, Interaction, PIISpan, Recording, Turn, utcnow
from qa_toolkit.transcribe.audio import AUDIO_EXTENSIONS, AudioError, declared_seconds
from qa_toolkit.transcribe.backend import Backend, Segment, TranscriptionOptions
from qa_toolkit.transcribe.metadata import MetadataError, RecordingMetadata, recording_metadata
from qa_toolkit.transcribe.pipeline import Transcribe, Transcript, transcribe_file
from qa_toolkit.transcribe.speakers import REVIEW_TAG, SpeakerHints

SOURCE = "call"
ASR_REVIEW_TAG = "review-asr"  # a segment the hallucination guard could not clean (see transcribe/guard.py)
STALE_AFTER = timedelta(hours=2)


@dataclass
class TranscribeSettings:
    """How to transcribe: model, backend, options and where speakers sit.

    Attributes:
        model: ``--model`` (directory, packaged model or name); None = the default (tiny.en).
        backend: ``faster-whisper`` or ``openai-whisper``.
        language: spoken language (None = detect).
        vocabulary: domain terms, passed to Whisper as an initial prompt.
        call_prompt: also a few lines of a support call before the terms (``vocabulary.CALL_PROMPT``; opt-in).
        agent_channel: which side of a stereo call is the agent (``left`` or ``right``).
        filename_pattern: ``{call_id}_{agent_id}_{started_at}.wav``-style metadata from file names.
        workers: files transcribed at once in a batch.
        device: ``auto``, ``cpu`` or ``cuda``.
        redact_audio: a folder for redacted copies of the recordings (spoken personal data silenced on
            every channel); None writes none.
        redact_audio_margin_s: seconds muted before and after each span (then out to the speaker's pauses).
        redact_audio_tone: a 1 kHz tone over the spans instead of silence.
        diarize: tell the speakers of mono calls apart (needs the diarization extra; see transcribe/speakers.py).
        beam_size: beam search width; None: 2 for stereo calls decoded packed, 5 otherwise (1 greedy; all
            deterministic).
        pack_channels: stereo calls decoded in packed windows (the default; see transcribe/stereo.py), else each
            channel on its own.
        rehear: a diarized mono call whose words did not decide the roles has each voice's opening decoded again
            with Whisper base (transcribe/rehear.py; needs the packaged base model, else nothing is heard again).
            Off by default: on the dev calls it costs 18-36 % of tiny.en's CPU on top of diarization's 16-19 %.
    """

    model: str | None = None
    backend: str = "faster-whisper"
    language: str | None = "en"
    vocabulary: list[str] = field(default_factory=list)
    call_prompt: bool = False
    agent_channel: str = "left"
    filename_pattern: str | None = None
    workers: int = 1
    device: str = "auto"
    vad_filter: bool = True
    beam_size: int | None = None
    redact_audio: str | None = None
    redact_audio_margin_s: float = 0.25
    redact_audio_tone: bool = False
    diarize: bool = True
    pack_channels: bool = True
    rehear: bool = False

    def options(self) -> TranscriptionOptions:
        from qa_toolkit.transcribe.vocabulary import initial_prompt

        return TranscriptionOptions(language=self.language, vad_filter=self.vad_filter, beam_size=self.beam_size,
                                    initial_prompt=initial_prompt(self.vocabulary, self.call_prompt),
                                    pack_channels=self.pack_channels)

    def load_backend(self) -> Backend:
        from qa_toolkit.transcribe.faster_backend import load_backend

        return load_backend(self.backend, self.model, self.device, self.workers)

    def rehearer(self) -> Transcribe | None:
        """The larger model's transcribe function for mono calls the words did not decide (loaded on first use), or
        None when ``rehear`` is off or the packaged model is not installed."""
        from qa_toolkit.transcribe.faster_backend import load_backend
        from qa_toolkit.transcribe.models import packaged_base
        from qa_toolkit.transcribe.rehear import MODEL

        if not (self.rehear and self.diarize) or packaged_base() is None:
            return None

        def transcribe(audio: np.ndarray, options: TranscriptionOptions) -> Iterable[Segment]:
            return load_backend(self.backend, MODEL, self.device, self.workers).transcribe(audio, options)

        return transcribe

    @property
    def model_label(self) -> str:
        from qa_toolkit.transcribe.models import DEFAULT_MODEL

        return self.model or DEFAULT_MODEL


@dataclass
class FileOutcome:
    """What happened to one file in a batch."""

    path: str
    status: str  # done, failed, skipped (already done/failed), busy (another worker has it)
    recording_id: int | None = None
    interaction_id: int | None = None
    reason: str | None = None
    duration_s: float = 0.0
    seconds: float = 0.0
    transcript: Transcript | None = field(default=None, repr=False, compare=False)  # in memory only: as said
    redacted_audio: str | None = None
    failure_kind: str | None = None  # empty, unsupported, corrupt, truncated, silent, metadata, redaction, ...

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json`` (never the transcript)."""
        return {"path": self.path, "status": self.status, "recording_id": self.recording_id,
                "interaction_id": self.interaction_id, "reason": self.reason, "failure_kind": self.failure_kind,
                "duration_s": self.duration_s, "seconds": self.seconds, "redacted_audio": self.redacted_audio}


@dataclass
class BatchReport:
    """The outcome of a batch, file by file."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def audio_s(self) -> float:
        return sum(o.duration_s for o in self.outcomes if o.status == "done")

    @property
    def rtf(self) -> float:
        """Wall-clock seconds per second of audio transcribed."""
        return self.seconds / self.audio_s if self.audio_s else 0.0

    def failures(self) -> dict[str, int]:
        """Failed files per failure kind, most first."""
        kinds: dict[str, int] = {}
        for outcome in self.outcomes:
            if outcome.status == "failed":
                kinds[outcome.failure_kind or "error"] = kinds.get(outcome.failure_kind or "error", 0) + 1
        return dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))


def worker_id() -> str:
    """This process as ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def content_hash(path: Path) -> str:
    """SHA-256 of the file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def discover(folder: str | Path, since: datetime | None = None) -> list[Path]:
    """The audio files under ``folder`` (recursively, by extension), modified at or after ``since``.

    Raises:
        QAError: ``folder`` is not a directory.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise QAError(f"{folder} is not a directory")
    files = [p for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix.lower() in AUDIO_EXTENSIONS]
    if since is not None:
        cutoff = since.timestamp()
        files = [p for p in files if p.stat().st_mtime >= cutoff]
    return files


def register(database: Database, paths: Iterable[Path]) -> list[Recording]:
    """The recording row of each file, inserting ``pending`` rows for new content (race-safe)."""
    rows: list[Recording] = []
    for path in paths:
        digest = content_hash(path)
        with database.session() as session:
            row = session.scalar(select(Recording).where(Recording.content_hash == digest))
            if row is None:
                try:
                    with session.begin_nested():
                        row = Recording(content_hash=digest, path=str(path.resolve()),
                                        size_bytes=path.stat().st_size, status="pending", timings={}, meta={})
                        session.add(row)
                except IntegrityError:  # another process registered the same content just now
                    row = session.scalar(select(Recording).where(Recording.content_hash == digest))
            elif row.status != "done" and row.path != str(path.resolve()) and not Path(row.path).exists():
                row.path = str(path.resolve())  # moved since it was registered
            assert row is not None
            rows.append(row)
    return rows


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _claim_is_stale(row: Recording, now: datetime, stale_after: timedelta) -> bool:
    """A ``running`` claim whose process on this host is gone, or that is older than ``stale_after``."""
    if row.worker:
        host, _, pid = row.worker.rpartition(":")
        if host == socket.gethostname() and pid.isdigit() and not _pid_alive(int(pid)):
            return True
    claimed = row.claimed_at
    if claimed is not None and claimed.tzinfo is None:
        claimed = claimed.replace(tzinfo=timezone.utc)
    return claimed is None or now - claimed > stale_after


def claim(database: Database, recording_id: int, *, worker: str | None = None,
          take_running: bool = False, stale_after: timedelta = STALE_AFTER) -> bool:
    """Mark a pending (or stale running) recording ``running`` for this worker; False if someone else has it.

    Args:
        take_running: also take a ``running`` row whatever its age (a queue job that the queue
            itself re-runs after its worker died).
    """
    worker = worker or worker_id()
    now = utcnow()
    with database.session() as session:
        row = session.get(Recording, recording_id, with_for_update=True)
        if row is None or row.status in ("done", "failed"):
            return False
        if row.status == "running" and not take_running and not _claim_is_stale(row, now, stale_after):
            return False
        expected = row.status
        result = session.execute(
            update(Recording)
            .where(Recording.id == recording_id, Recording.status == expected,
                   Recording.worker.is_(None) if row.worker is None else Recording.worker == row.worker)
            .values(status="running", worker=worker, claimed_at=now, attempts=Recording.attempts + 1,
                    updated_at=now)
        )
        return result.rowcount == 1


def diarization_available() -> bool:
    """Whether mono calls can be diarized here (the diarization extra is installed)."""
    from qa_toolkit.transcribe.diarize import available

    return available()


def speaker_hints(database: Database, meta: RecordingMetadata) -> SpeakerHints:
    """What helps tell a mono call's agent apart: the agent's enrolled voice, other agents' voices, who speaks first."""
    from qa_toolkit.services.voices import enrolled_voices

    with database.session() as session:
        voices = enrolled_voices(session)
    agent_voice = voices.pop(meta.agent_id, None) if meta.agent_id else None
    return SpeakerHints(agent_voice=agent_voice, other_agent_voices=voices, first_speaker=meta.first_speaker)


def fail(database: Database, recording_id: int, kind: str, reason: str) -> None:
    """Record a failure with its kind (empty, unsupported, corrupt, truncated, silent, metadata, error)."""
    with database.session() as session:
        row = session.get(Recording, recording_id, with_for_update=True)
        if row is None or row.status == "done":
            return
        row.status, row.failure_kind, row.reason = "failed", kind, reason
        row.worker, row.finished_at = None, utcnow()


class RedactionError(QAError):
    """Personal data could not be taken out of a call: it is not stored. The message names the file only."""


def redact_call(path: str | Path, transcript: Transcript, settings: TranscribeSettings) -> tuple[Transcript, str | None]:
    """The transcript with personal data replaced by placeholders and, with ``settings.redact_audio``, a
    redacted copy of the recording written there; returns (redacted transcript, redacted audio path or None).

    Raises:
        RedactionError: anything went wrong; its message names the file, never what was said.
    """
    from qa_toolkit.transcribe.audio_redact import AudioRedactionError, redact_audio

    try:
        redacted = transcript.redacted()
    except Exception as exc:  # noqa: BLE001 - whatever it was, the clear text must not be stored
        raise RedactionError(f"{path}: personal data could not be redacted ({exc.__class__.__name__}); "
                             "not stored") from None
    if not settings.redact_audio:
        return redacted, None
    target = Path(settings.redact_audio) / Path(path).name
    try:
        written = redact_audio(path, target, muted_spans(redacted, settings.redact_audio_margin_s),
                               margin_s=0.0, tone=settings.redact_audio_tone)
    except AudioRedactionError as exc:
        raise RedactionError(f"audio redaction: {exc}; not stored") from None
    return redacted, str(written.path.resolve())


def muted_spans(transcript: Transcript, margin_s: float) -> list[tuple[float, float]]:
    """Each personal-data span of a redacted transcript widened by ``margin_s`` and then out to the pauses in its
    speaker's channel, so that word times drifting off the voice leave none of it audible (transcribe/pauses.py)."""
    from qa_toolkit.transcribe.pauses import widened_to_pauses

    spans = []
    for span in transcript.pii_spans:
        start, end = max(0.0, span.start_s - margin_s), span.end_s + margin_s
        quiet = transcript.pauses_of(span.speaker)
        spans.append((start, end) if quiet is None else widened_to_pauses(start, end, quiet))
    return spans


def store(database: Database, recording_id: int, transcript: Transcript, meta: RecordingMetadata,
          settings: TranscribeSettings, *, actor: str | None = None, redacted_audio: str | None = None) -> int | None:
    """Store recording + interaction + turns (PII redacted) in one transaction.

    The transcript is redacted here unless it is already (:meth:`Transcript.redacted`): turns keep their
    timing, spans are stored with kind, offsets and time, never their text. ``redacted_audio``: where the
    redacted copy of the recording is (recorded in the interaction's metadata).

    Returns the interaction id, or None when the recording was stored already (by another worker).

    Raises:
        QAError: the call id is already used by an interaction from different audio.
    """
    with database.session() as session:
        row = session.get(Recording, recording_id, with_for_update=True)
        if row is None or row.status == "done":
            return None
        agent = session.scalar(select(Agent).where(Agent.external_id == meta.agent_id)) if meta.agent_id else None
        unassigned = agent is None
        external_id = meta.call_id or f"rec-{row.content_hash[:16]}"
        clash = session.scalar(select(Interaction.id).where(Interaction.source == SOURCE,
                                                            Interaction.external_id == external_id))
        if clash is not None:
            raise QAError(f"call id {external_id!r} is already stored (interaction {clash}) from different audio")
        transcript = transcript.redacted()
        # The customer id, queue and unknown fields of the metadata can hold PII too (an e-mail address).
        private = {key: redact_values(value) for key, value in meta.model_dump(mode="json", exclude_none=True).items()
                   if key in ("customer_id", "queue") or key in meta.extra}
        pii: dict[str, int] = {}
        spans = []
        for span in transcript.pii_spans:
            pii[span.kind] = pii.get(span.kind, 0) + 1
            spans.append(PIISpan(turn_index=span.turn, speaker=span.speaker, kind=span.kind, start=span.start,
                                 end=span.end, start_s=round(span.start_s, 2), end_s=round(span.end_s, 2)))
        turns = [Turn(index=index, speaker=turn.speaker, start_s=round(turn.start_s, 2), end_s=round(turn.end_s, 2),
                      text=turn.text) for index, turn in enumerate(transcript.turns)]
        ended = meta.started_at + timedelta(seconds=transcript.duration_s) if meta.started_at else None
        interaction = Interaction(
            source=SOURCE, external_id=external_id, channel="call", agent=agent,
            customer_external_id=private.get("customer_id"), started_at=meta.started_at, ended_at=ended,
            duration_s=round(transcript.duration_s, 2), queue=private.get("queue"), language=transcript.language,
            tags=(["unassigned"] if unassigned else []) + (
                [REVIEW_TAG] if transcript.speakers and transcript.speakers.get("needs_review") else []) + (
                [ASR_REVIEW_TAG] if any("unresolved" in f["flags"] for f in transcript.flags) else []),
            content_hash=row.content_hash, pii_redacted=True,
            meta={
                "recording_id": row.id, "file": Path(row.path).name, "content_hash": row.content_hash,
                "timing": transcript.timing.as_dict(), "channels": transcript.channels,
                "unassigned": unassigned, "agent_external_id": meta.agent_id,
                "model": settings.model_label, "backend": settings.backend, "pii_redacted": pii,
                "metadata_sources": meta.sources,
                **({"extra": {key: private.get(key) for key in meta.extra}} if meta.extra else {}),
                **({"redacted_audio": redacted_audio} if redacted_audio else {}),
                **({"speakers": transcript.speakers} if transcript.speakers else {}),
                **({"asr_flags": transcript.flags} if transcript.flags else {}),
            },
            turns=turns,
        )
        session.add(interaction)
        session.flush()
        for span in spans:
            span.interaction_id = interaction.id
        session.add_all(spans)
        row.status, row.failure_kind, row.reason = "done", None, None
        row.duration_s, row.channels, row.codec = transcript.duration_s, transcript.channels, transcript.codec
        row.model, row.backend, row.language = settings.model_label, settings.backend, transcript.language
        row.timings = {"decode_s": round(transcript.decode_s, 3), "transcribe_s": round(transcript.transcribe_s, 3),
                       "redact_s": round(transcript.redact_s, 4), "rtf": round(transcript.rtf, 4)}
        row.meta = {**meta.model_dump(mode="json", exclude_none=True), **private}
        row.provenance = transcript.provenance or None
        row.unassigned, row.interaction_id, row.worker, row.finished_at = unassigned, interaction.id, None, utcnow()
        audit.record(session, actor=actor, action="transcribe", entity_type="interaction",
                     entity_id=str(interaction.id), after={"recording": row.id, "file": row.path,
                                                           "turns": len(turns), "unassigned": unassigned})
        return interaction.id


def process(database: Database, recording_id: int, settings: TranscribeSettings, backend: Backend | None = None,
            *, take_running: bool = False) -> FileOutcome:
    """Claim, transcribe and store one registered recording; failures are recorded, never raised."""
    started = time.perf_counter()
    with database.session() as session:
        row = session.get(Recording, recording_id)
        if row is None:
            raise QAError(f"no recording with id {recording_id}")
        path = row.path
        if row.status in ("done", "failed"):
            return FileOutcome(path, "skipped", row.id, row.interaction_id, row.reason, row.duration_s or 0.0)
    if not claim(database, recording_id, take_running=take_running):
        return FileOutcome(path, "busy", recording_id)
    kind = "error"
    try:
        kind = "metadata"
        meta = recording_metadata(Path(path), settings.filename_pattern)
        kind = "error"
        backend = backend or settings.load_backend()
        mono = meta.speaker or "unknown"
        transcript = transcribe_file(path, backend, settings.options(),
                                     agent_channel=meta.agent_channel or settings.agent_channel,  # type: ignore[arg-type]
                                     mono_speaker=mono, diarize=settings.diarize and diarization_available(),
                                     hints=speaker_hints(database, meta) if settings.diarize else None,
                                     rehear=settings.rehearer())
        transcript.provenance["pipeline"] = {
            "agent_channel": meta.agent_channel or settings.agent_channel, "mono_speaker": mono,
            "diarize": settings.diarize and diarization_available(), "filename_pattern": settings.filename_pattern,
            "rehear": settings.rehearer() is not None}
        if not transcript.turns:
            raise AudioError("silent", f"{path}: no speech found ({transcript.duration_s:.1f} s of audio)")
        kind = "redaction"
        redacted, redacted_audio = redact_call(path, transcript, settings)
        kind = "storage"
        interaction_id = store(database, recording_id, redacted, meta, settings, redacted_audio=redacted_audio)
    except AudioError as exc:
        fail(database, recording_id, exc.kind, str(exc))
        return FileOutcome(path, "failed", recording_id, reason=str(exc), seconds=time.perf_counter() - started,
                           failure_kind=exc.kind)
    except RedactionError as exc:
        fail(database, recording_id, "redaction", str(exc))
        return FileOutcome(path, "failed", recording_id, reason=str(exc), seconds=time.perf_counter() - started,
                           failure_kind="redaction")
    except (MetadataError, QAError) as exc:
        fail(database, recording_id, kind, f"{kind}: {exc}")
        return FileOutcome(path, "failed", recording_id, reason=f"{kind}: {exc}",
                           seconds=time.perf_counter() - started, failure_kind=kind)
    except SQLAlchemyError:
        raise  # the database is gone: stop; the claim is taken over by the next run
    except Exception as exc:  # noqa: BLE001 - one odd file must not stop the night's batch
        reason = f"error: {path}: {exc.__class__.__name__}: {exc}"
        fail(database, recording_id, "error", reason)
        return FileOutcome(path, "failed", recording_id, reason=reason, seconds=time.perf_counter() - started,
                           failure_kind="error")
    if interaction_id is not None and embed_ahead.wanted():  # QA_EMBED_ON_INGEST: the first scoring reads them
        embed_ahead.embed_interactions(database, [interaction_id])
    return FileOutcome(path, "done" if interaction_id else "skipped", recording_id, interaction_id,
                       duration_s=transcript.duration_s, seconds=time.perf_counter() - started, transcript=transcript,
                       redacted_audio=redacted_audio)


def run_batch(database: Database, folder: str | Path, settings: TranscribeSettings, *,
              since: datetime | None = None,
              on_registered: Callable[[int, float], None] | None = None,
              on_file: Callable[[FileOutcome], None] | None = None) -> BatchReport:
    """Transcribe every new recording under ``folder`` with ``settings.workers`` threads.

    Files already done or failed are reported ``skipped`` (``qa transcribe retry`` re-queues
    failed ones). ``on_registered(n_files, audio_s)`` is called once the files are known (``audio_s``: the seconds
    their headers declare, a file that declares none counted 0), ``on_file`` after each file.
    """
    started = time.perf_counter()
    if embed_ahead.wanted():
        embed_ahead.check_ready()
        embed_ahead.embed_exemplars(database)
    rows = register(database, discover(folder, since))
    todo = [r for r in rows if r.status not in ("done", "failed")]
    report = BatchReport([FileOutcome(r.path, "skipped", r.id, r.interaction_id, r.reason, r.duration_s or 0.0)
                          for r in rows if r.status in ("done", "failed")])
    if on_registered:
        on_registered(len(todo), sum(declared_seconds(r.path) or 0.0 for r in todo))
    if not todo:
        report.seconds = time.perf_counter() - started
        return report
    backend = settings.load_backend()
    lock = threading.Lock()

    def one(row: Recording) -> None:
        outcome = process(database, row.id, settings, backend)
        with lock:
            report.outcomes.append(outcome)
            if on_file:
                on_file(outcome)

    workers = max(1, settings.workers)
    if workers == 1:
        for row in todo:
            one(row)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(one, todo))
    report.seconds = time.perf_counter() - started
    return report


def status_counts(database: Database) -> dict[str, int]:
    """Number of recordings per status."""
    with database.session() as session:
        rows = session.execute(select(Recording.status, func.count()).group_by(Recording.status)).all()
    counts = {s: 0 for s in ("pending", "running", "done", "failed")}
    counts.update({status: n for status, n in rows})
    return counts


def summary(database: Database) -> dict[str, Any]:
    """What the recordings add up to: files per status, hours of audio done, the real-time factor of the
    transcription (processing seconds per audio second, over done files), failures per kind, flagged calls."""
    with database.session() as session:
        done = session.execute(select(Recording.duration_s, Recording.timings)
                               .where(Recording.status == "done")).all()
        kinds = session.execute(select(Recording.failure_kind, func.count()).where(Recording.status == "failed")
                                .group_by(Recording.failure_kind)).all()
    audio_s = sum(d or 0.0 for d, _ in done)
    busy_s = sum((t or {}).get("rtf", 0.0) * (d or 0.0) for d, t in done)
    failures = {kind or "error": n for kind, n in sorted(kinds, key=lambda kv: (-kv[1], kv[0] or ""))}
    counts = status_counts(database)
    return {"files": sum(counts.values()), "counts": counts, "audio_s": round(audio_s, 1),
            "audio_h": round(audio_s / 3600, 3),
            "rtf": round(busy_s / audio_s, 4) if audio_s else None, "failures": failures}


def list_recordings(database: Database, *, status: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Recordings as plain data, newest first, optionally of one status."""
    with database.session() as session:
        query = select(Recording).order_by(Recording.id.desc()).limit(limit)
        if status:
            query = query.where(Recording.status == status)
        return [recording_as_dict(r) for r in session.scalars(query)]


def recording_as_dict(row: Recording) -> dict[str, Any]:
    """A recording as plain data."""
    return {
        "id": row.id, "file": row.path, "status": row.status, "failure_kind": row.failure_kind,
        "reason": row.reason, "attempts": row.attempts, "duration_s": row.duration_s, "channels": row.channels,
        "model": row.model, "backend": row.backend, "unassigned": row.unassigned,
        "interaction_id": row.interaction_id, "rtf": (row.timings or {}).get("rtf"), "worker": row.worker,
    }


def retry_failed(database: Database, *, ids: list[int] | None = None, kind: str | None = None,
                 actor: str | None = None) -> int:
    """Put failed recordings (all, or the given ids / failure kind) back to ``pending``; returns how many."""
    with database.session() as session:
        query = update(Recording).where(Recording.status == "failed")
        if ids:
            query = query.where(Recording.id.in_(ids))
        if kind:
            query = query.where(Recording.failure_kind == kind)
        count = session.execute(query.values(status="pending", worker=None, updated_at=utcnow())).rowcount
        audit.record(session, actor=actor, action="retry", entity_type="recording", entity_id=None,
                     after={"count": count, "ids": ids, "kind": kind})
        return count


def pending_ids(database: Database, *, stale_after: timedelta = STALE_AFTER) -> list[int]:
    """Recordings waiting to be transcribed: pending, or running under a stale claim."""
    now = utcnow()
    with database.session() as session:
        rows = session.scalars(select(Recording).where(or_(Recording.status == "pending",
                                                           Recording.status == "running"))).all()
        return [r.id for r in rows if r.status == "pending" or _claim_is_stale(r, now, stale_after)]
