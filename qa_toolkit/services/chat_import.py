"""Import chat logs: parse each file as a stream, store conversations in batches, idempotently.

A conversation is keyed by (source, id). Each batch is one transaction and holds whole
conversations only, so a crash leaves no half-imported conversation. Re-importing an unchanged
conversation does nothing; a changed one replaces its turns and PII spans and is audited. A batch that
stores or updates anything is audited in its own transaction (``chats.import.batch``, with its counts), so
an import stopped midway leaves an audit log that agrees with what it stored; each file's totals follow at
its end (``chats.import``). Agents the conversations name that do not exist yet are created (and audited).
Rejected records are written to new rejects files (see :mod:`qa_toolkit.services.rejects`) for fixing and
re-import.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import sys
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path
from typing import Any

from sqlalchemy import ARRAY, Dialect, Select, String, any_, bindparam, delete, exists, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qa_toolkit.config import get_settings
from qa_toolkit.errors import QAError
from qa_toolkit.ingest.formats.csv import CsvMapping
from qa_toolkit.ingest.jsonrecords import bounded_lines, too_long
from qa_toolkit.ingest.limits import DEFAULT, Limits
from qa_toolkit.ingest.model import AgentRef, Parsed, RecordError
from qa_toolkit.ingest.parse import line_format, parse, parse_line
from qa_toolkit.ingest.prepare import (
    HASH_PREFIX,
    INTERACTION_FIELDS,
    SPAN_FIELDS,
    TURN_FIELDS,
    PreparedConversation,
    prepare,
)
from qa_toolkit.ingest.sources import Source, expand, open_source
from qa_toolkit.services import audit, embed_ahead
from qa_toolkit.services.embed_ahead import EmbedRun
from qa_toolkit.services.rejects import RejectsWriter
from qa_toolkit.storage.bulk import analyze, binder, dialect_named, estimated_rows, insert_columns, update_rows
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Agent, Interaction, PIISpan, Turn, utcnow

BATCH_SIZE = 1000
STORE_ATTEMPTS = 3  # a batch that met another import's rows is stored again against them
PARALLEL_MIN_BYTES = 4 << 20  # JSON Lines files from this size on are parsed by worker processes (``workers=None``)
_CHUNK_LINES = 250  # lines per task sent to a worker process
_IN_FLIGHT_PER_WORKER = 8  # chunks sent ahead, so workers keep busy while a batch is stored; memory stays flat
INTERACTIONS = Interaction.__table__
TURNS = Turn.__table__
SPANS = PIISpan.__table__
AGENTS = Agent.__table__
_STAMP_COLUMNS = ("source", "created_at", "updated_at")  # set when a conversation is first stored
_TURN_COLUMNS = ("interaction_id", *TURN_FIELDS)
_SPAN_COLUMNS = ("interaction_id", *SPAN_FIELDS)
_COMPARED = ("channel", "customer_external_id", "started_at", "ended_at", "queue", "topic", "language", "csat", "nps",
             "ces", "resolved", "escalated", "tags", "metadata", "labels", "pii_redacted")


@dataclass
class FileSummary:
    """What happened to one input file."""

    file: str
    format: str = ""
    source: str = ""
    read: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    strict_skipped: bool = False


@dataclass
class ImportSummary:
    """What happened to all input files; ``rejects`` are the files rejected records were written to."""

    source: str | None
    files: list[FileSummary] = field(default_factory=list)
    rejects: list[Path] = field(default_factory=list)
    agents_created: list[str] = field(default_factory=list)
    embedded: EmbedRun | None = None  # sentences embedded as stored (``embed``), None when not asked

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    def totals(self) -> dict[str, int]:
        """Sums over all files."""
        return {k: sum(getattr(f, k) for f in self.files) for k in ("read", "imported", "updated", "unchanged", "rejected")}

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "files": [asdict(f) for f in self.files], "totals": self.totals(),
                "rejects": [str(path) for path in self.rejects], "agents_created": self.agents_created,
                **({"embedded": self.embedded.as_dict()} if self.embedded is not None else {})}


Progress = Callable[[FileSummary, int, int | None], None]  # (file summary, bytes read, total bytes)


def default_source(fmt: str) -> str:
    """The source name when ``--source`` is not given: the platform's name, or ``chat``."""
    return fmt if fmt in ("abcd", "zendesk", "intercom") else "chat"


@contextmanager
def _spooled_stdin() -> Iterator[str]:
    with tempfile.NamedTemporaryFile(prefix="qa-stdin-", delete=False) as tmp:
        shutil.copyfileobj(sys.stdin.buffer, tmp)
    try:
        yield tmp.name
    finally:
        Path(tmp.name).unlink(missing_ok=True)


def import_chats(
    database: Database,
    paths: list[str],
    *,
    fmt: str = "auto",
    source: str | None = None,
    mapping: CsvMapping | None = None,
    strict: bool = False,
    rejects: Path | None = None,
    redact: bool = True,
    actor: str | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    on_reject: Callable[[RecordError], None] | None = None,
    workers: int | None = None,
    limits: Limits = DEFAULT,
    embed: bool | None = None,
) -> ImportSummary:
    """Import chat files (or ``-`` for stdin) into ``database``.

    Args:
        fmt: a format from :data:`qa_toolkit.ingest.FORMATS`; ``auto`` detects it per file.
        source: the source name conversations are keyed by (default: :func:`default_source`).
        strict: import nothing from a file that has any bad record.
        rejects: where to write rejected records (see :class:`~qa_toolkit.services.rejects.RejectsWriter`).
        redact: replace PII by placeholders, in stored text and rejected records (``False`` stores raw
            text; noted in the audit log).
        progress: called after every batch; on_reject: called for every rejected record.
        workers: processes that parse, validate and redact JSON Lines input while this one stores the
            batches (``None``: one per CPU for files of :data:`PARALLEL_MIN_BYTES` or more; ``1``: none).
            The result is the same either way.
        limits: record size, nesting depth, turns per conversation, decompressed size (see
            :class:`~qa_toolkit.ingest.limits.Limits`); a record past one is rejected.
        embed: embed each stored batch's sentences into the embedding cache, so the first scoring reads them
            (see :mod:`~qa_toolkit.services.embed_ahead`; ``None``: the ``QA_EMBED_ON_INGEST`` setting).

    Returns:
        Per-file counts of read, imported, updated, unchanged and rejected conversations.
    """
    files = expand(paths)
    if files.count("-") > 1:
        raise QAError("stdin (-) can be read only once")
    if embed if embed is not None else embed_ahead.wanted():
        embed_ahead.check_ready()
        embedded: EmbedRun | None = embed_ahead.embed_exemplars(database)
    else:
        embedded = None
    run = _Import(database, fmt, source, mapping, redact, actor, batch_size, progress, on_reject,
                  RejectsWriter(rejects, database.url, redact=redact, delimiter=mapping.delimiter if mapping else None),
                  ImportSummary(source=source, embedded=embedded), workers, limits)
    try:
        with ExitStack() as stack:
            stack.enter_context(_fewer_gc_passes())
            for path in files:
                name = "<stdin>" if path == "-" else path
                if path == "-" and strict:
                    path = stack.enter_context(_spooled_stdin())
                file = FileSummary(file=name)
                run.summary.files.append(file)
                if strict:
                    run.check(path, file)
                    if file.rejected:
                        file.strict_skipped = True
                        continue
                    file.read = 0
                run.load(path, file)
    finally:
        run.close()
    summary = run.summary
    summary.rejects = run.rejects.paths
    if summary.source is None:
        summary.source = ", ".join(dict.fromkeys(f.source for f in summary.files if f.source)) or None
    return summary


@contextmanager
def _fewer_gc_passes() -> Iterator[None]:
    """Run Python's cycle collector less often (worker processes inherit this): by default it runs every
    700 new objects, which for an import's millions of short-lived, acyclic rows costs up to a quarter of its time."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 50_000), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


@contextmanager
def _opened(path: str, name: str, limits: Limits = DEFAULT) -> Iterator[Source]:
    with open_source(path, limits) as src:
        src.name = name
        yield src


def _guarded(records: Iterator[Parsed], src: Source) -> Iterator[Parsed]:
    """The records, with a read error (truncated gzip, I/O error) turned into a final rejected record."""
    line = 0
    try:
        for parsed in records:
            line = parsed.line
            yield parsed
    except (OSError, EOFError) as exc:
        yield Parsed(line + 1, "", error=RecordError(src.name, line + 1, "file", f"cannot read further: {exc}"))


@dataclass
class _Import:
    """One import run: its options, the agents seen so far, the rejects file and the summary."""

    database: Database
    fmt: str
    source: str | None
    mapping: CsvMapping | None
    redact: bool
    actor: str | None
    batch_size: int
    progress: Progress | None
    on_reject: Callable[[RecordError], None] | None
    rejects: RejectsWriter
    summary: ImportSummary
    workers: int | None = None
    limits: Limits = DEFAULT
    phone_regions: tuple[str, ...] = field(default_factory=lambda: get_settings().phone_regions)
    agents: dict[str, int] = field(default_factory=dict)  # external id -> row id
    _pool: ProcessPoolExecutor | None = None
    _legacy: dict[str, bool] = field(default_factory=dict)  # source -> may hold first-format content hashes
    _analysed_rows: int | None = None  # conversations the planner statistics knew of when last refreshed
    _added_rows: int = 0  # conversations stored since

    def close(self) -> None:
        """Close the rejects file and stop the worker processes."""
        self.rejects.close()
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def _reject(self, parsed: Parsed, file: FileSummary) -> None:
        """Count a rejected record, write it to the rejects file and report it."""
        assert parsed.error is not None
        file.rejected += 1
        self.rejects.write(parsed, file.format)
        if self.on_reject:
            self.on_reject(parsed.error)

    def _records(self, src: Source, file: FileSummary) -> Iterator[Parsed]:
        """Valid records; rejected ones (an id met before in the file too) are counted, written to the rejects
        file and reported."""
        file.format, records = parse(src, self.fmt, self.mapping, self.limits)
        seen: dict[str, int] = {}
        for parsed in _guarded(records, src):
            file.read += 1
            if parsed.conversation is not None:
                _check_unique(parsed, parsed.conversation.id, src.name, seen)
            if parsed.error is None:
                yield parsed
            else:
                self._reject(parsed, file)

    def _prepared(self, src: Source, file: FileSummary) -> Iterator[PreparedConversation]:
        """The valid records, prepared and bound for storing: here, or by worker processes for large JSON Lines."""
        workers = self.workers
        if workers is None:
            workers = _cpu_count() if src.size is not None and src.size >= PARALLEL_MIN_BYTES else 1
        fmt = line_format(src, self.fmt) if workers > 1 else None
        if fmt is None:
            dialect = self.database.engine.dialect
            chunk: list[PreparedConversation] = []
            legacy_hash: bool | None = None
            for parsed in self._records(src, file):
                assert parsed.conversation is not None
                if legacy_hash is None:  # the format, so the source, is known from the first record on
                    legacy_hash = self._legacy_hashes(self._source_for(file.format))
                chunk.append(prepare(parsed.conversation, redact=self.redact, legacy_hash=legacy_hash,
                                     phone_regions=self.phone_regions))
                if len(chunk) == _CHUNK_LINES:
                    yield from bind_rows(chunk, dialect)
                    chunk = []
            yield from bind_rows(chunk, dialect)
            return
        file.format = fmt
        options = _Preparing(self.redact, self._legacy_hashes(self._source_for(fmt)), self.phone_regions,
                             self.database.engine.url.drivername, self.limits)
        seen: dict[str, int] = {}
        for number, data, item in self._in_workers(src, fmt, options, workers):
            file.read += 1
            if isinstance(item, PreparedConversation):
                duplicate = Parsed(number, "")
                _check_unique(duplicate, item.external_id, src.name, seen)
                if duplicate.error is None:
                    yield item
                    continue
                item = duplicate
                item.raw = data.decode("utf-8", "replace").removeprefix("\ufeff").rstrip("\r\n")
            self._reject(item, file)

    def _source_for(self, fmt: str) -> str:
        """The source conversations of a file in format ``fmt`` are keyed by."""
        return self.source or default_source(fmt)

    def _legacy_hashes(self, source: str) -> bool:
        """Whether conversations of ``source`` stored with a first-format content hash may be met, so that
        hash is needed too; asked once per source and import."""
        if source not in self._legacy:
            with self.database.session() as session:
                self._legacy[source] = bool(session.scalar(select(exists().where(
                    INTERACTIONS.c.source == source, INTERACTIONS.c.content_hash.not_like(f"{HASH_PREFIX}%")))))
        return self._legacy[source]

    def _in_workers(self, src: Source, fmt: str, options: _Preparing,
                    workers: int) -> Iterator[tuple[int, bytes, Parsed | PreparedConversation]]:
        """Lines sent in chunks to worker processes, results back in order with each line's number and bytes; a
        few chunks in flight at most, so memory stays flat. A read error ends the file as in :func:`_guarded`."""
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self._pool = ProcessPoolExecutor(workers, mp_context=context)
        pool = self._pool
        pending: deque[tuple[Future[list[tuple[int, Parsed | PreparedConversation]]], list[tuple[int, bytes]]]] = deque()
        line = 0

        def finished(in_flight: int) -> Iterator[tuple[int, bytes, Parsed | PreparedConversation]]:
            nonlocal line
            while len(pending) > in_flight:
                future, lines = pending.popleft()
                data = dict(lines)
                for number, item in future.result():
                    line = number
                    yield number, data.get(number, b""), item  # a line over the size limit: not held

        chunk: list[tuple[int, bytes]] = []
        try:
            for number, data in bounded_lines(src.stream, self.limits.max_record_bytes):
                # a line over the size limit (read past, not held) goes as its negated number: rejected in order
                chunk.append((number, data) if data is not None else (-number, b""))
                if len(chunk) == _CHUNK_LINES:
                    pending.append((pool.submit(_prepare_lines, src.name, fmt, options, chunk), chunk))
                    chunk = []
                    yield from finished(_IN_FLIGHT_PER_WORKER * workers)
        except (OSError, EOFError) as exc:
            if chunk:
                pending.append((pool.submit(_prepare_lines, src.name, fmt, options, chunk), chunk))
            yield from finished(0)
            yield line + 1, b"", Parsed(line + 1, "", error=RecordError(src.name, line + 1, "file",
                                                                         f"cannot read further: {exc}"))
            return
        if chunk:
            pending.append((pool.submit(_prepare_lines, src.name, fmt, options, chunk), chunk))
        yield from finished(0)

    def check(self, path: str, file: FileSummary) -> None:
        """Parse and validate a whole file without storing anything (``--strict``'s first pass)."""
        with _opened(path, file.file, self.limits) as src:
            for _ in self._records(src, file):
                pass

    def load(self, path: str, file: FileSummary) -> None:
        """Import one file in batches of whole conversations, then audit the import."""
        with _opened(path, file.file, self.limits) as src:
            batch: dict[str, PreparedConversation] = {}
            for prepared in self._prepared(src, file):
                file.source = file.source or self._source_for(file.format)
                if prepared.external_id in batch or len(batch) >= self.batch_size:
                    self._store(file, list(batch.values()))
                    batch = {}
                    if self.progress:
                        self.progress(file, src.position(), src.size)
                batch[prepared.external_id] = prepared
            if batch:
                self._store(file, list(batch.values()))
            if self.progress:
                self.progress(file, src.size or src.position(), src.size)
        file.source = file.source or self._source_for(file.format)
        with self.database.session() as session:
            audit.record(session, actor=self.actor, action="chats.import", entity_type="import",
                         entity_id=f"{file.source}:{file.file}",
                         after={"format": file.format, "read": file.read, "imported": file.imported,
                                "updated": file.updated, "unchanged": file.unchanged, "rejected": file.rejected,
                                "redaction": self._redaction})

    @property
    def _redaction(self) -> str:
        """How text was stored, for the audit log."""
        return "on" if self.redact else "off (--no-redact: raw text stored)"

    def _store(self, file: FileSummary, batch: list[PreparedConversation]) -> None:
        """Store one batch; when another import stored some of the same conversations or agents at the same
        time (a unique constraint stops the second copy), the batch is rolled back and stored again against
        what is now there (those conversations count as unchanged or updated)."""
        for attempt in range(1, STORE_ATTEMPTS + 1):
            try:
                stored = self._store_once(file, batch)
            except _conflicts() as exc:
                if attempt == STORE_ATTEMPTS:
                    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
                    raise QAError(f"{file.file}: another import kept storing the same conversations at the same "
                                  f"time ({reason}); what was stored stays: run the import again") from None
                continue
            if self.summary.embedded is not None and stored:  # after the commit: the batch is kept either way
                self.summary.embedded.add(embed_ahead.embed_interactions(self.database, stored))
            return

    def _store_once(self, file: FileSummary, batch: list[PreparedConversation]) -> list[int]:
        """Store one batch of whole, bound conversations in one transaction; the ids of those new or changed."""
        created = len(self.summary.agents_created)
        try:
            with self.database.session() as session:
                connection = session.connection()
                self._ensure_agents(session, [p.agent for p in batch])
                by_external_id = _by_external_id(connection.dialect.name)
                existing = {external_id: (iid, content_hash) for external_id, iid, content_hash in session.execute(
                    by_external_id, {"source": file.source, "ids": [p.external_id for p in batch]})}
                new, changed, rehashed = _sorted_out(batch, existing)
                update_rows(connection, INTERACTIONS, ("content_hash",), rehashed)
                ids: list[tuple[int, PreparedConversation]] = []
                now = utcnow()
                if new:
                    stamp = binder(connection.dialect, INTERACTIONS, _STAMP_COLUMNS).bind_one((file.source, now, now))
                    insert_columns(connection, INTERACTIONS, (*INTERACTION_FIELDS, "agent_id", *_STAMP_COLUMNS),
                                   list(zip(*[(*p.interaction, self.agents[p.agent.id], *stamp) for p in new])))
                    new_ids = {external_id: iid for external_id, iid, _ in session.execute(
                        by_external_id, {"source": file.source, "ids": [p.external_id for p in new]})}
                    ids.extend((new_ids[p.external_id], p) for p in new)
                before = _stored(session, [iid for iid, _ in changed]) if changed else {}
                if changed:
                    [updated_at] = binder(connection.dialect, INTERACTIONS, ("updated_at",)).bind_one((now,))
                    session.execute(delete(SPANS).where(SPANS.c.interaction_id.in_(before)))
                    session.execute(delete(TURNS).where(TURNS.c.interaction_id.in_(before)))
                    update_rows(connection, INTERACTIONS, (*INTERACTION_FIELDS, "agent_id", "updated_at"),
                                [(*p.interaction, self.agents[p.agent.id], updated_at, iid) for iid, p in changed])
                    ids.extend(changed)
                insert_columns(connection, TURNS, _TURN_COLUMNS, _by_column([(iid, p.turns) for iid, p in ids]))
                insert_columns(connection, SPANS, _SPAN_COLUMNS, _by_column([(iid, p.spans) for iid, p in ids if p.spans]))
                if changed:
                    self._audit_updates(session, file.source, changed, before)
                if new or changed:
                    audit.record(session, actor=self.actor, action="chats.import.batch", entity_type="import",
                                 entity_id=f"{file.source}:{file.file}",
                                 after={"imported": len(new), "updated": len(changed),
                                        "unchanged": len(batch) - len(new) - len(changed), "redaction": self._redaction})
        except BaseException:
            # The transaction was rolled back: forget the agents it created.
            for external_id in self.summary.agents_created[created:]:
                self.agents.pop(external_id, None)
            del self.summary.agents_created[created:]
            raise
        file.imported += len(new)
        file.updated += len(changed)
        file.unchanged += len(batch) - len(new) - len(changed)
        self._keep_statistics_fresh(len(new))
        return [iid for iid, _ in ids]

    def _keep_statistics_fresh(self, added: int) -> None:
        """PostgreSQL: refresh the planner statistics whenever the conversations stored since the last
        refresh outnumber those it knew of (so a few times per import; see :func:`~qa_toolkit.storage.bulk.analyze`)."""
        if self.database.engine.dialect.name != "postgresql":
            return
        self._added_rows += added
        if self._analysed_rows is None:
            with self.database.engine.connect() as connection:
                self._analysed_rows = estimated_rows(connection, INTERACTIONS)
        if self._added_rows >= max(self.batch_size, self._analysed_rows):
            with self.database.engine.begin() as connection:
                analyze(connection, [INTERACTIONS, TURNS, SPANS])
            self._analysed_rows += self._added_rows
            self._added_rows = 0

    def _ensure_agents(self, session: Session, refs: list[AgentRef]) -> None:
        """Look up the agents of a batch; create (and audit) those that do not exist yet."""
        wanted = {ref.id: ref for ref in refs if ref.id not in self.agents}
        if not wanted:
            return
        query = select(AGENTS.c.external_id, AGENTS.c.id)
        self.agents.update({row.external_id: row.id for row in session.execute(
            query.where(AGENTS.c.external_id.in_(list(wanted))))})
        missing: list[dict[str, Any]] = [{"external_id": ref.id, "name": ref.name or ref.id, "team": ref.team}
                                         for external_id, ref in wanted.items() if external_id not in self.agents]
        if not missing:
            return
        session.execute(insert(AGENTS), missing)
        self.agents.update({row.external_id: row.id for row in session.execute(
            query.where(AGENTS.c.external_id.in_([agent["external_id"] for agent in missing])))})
        for row in missing:
            audit.record(session, actor=self.actor, action="agent.add", entity_type="agent", entity_id=row["external_id"],
                         after={**row, "hired_at": None, "created_by": "chat import"})
            self.summary.agents_created.append(row["external_id"])

    def _audit_updates(self, session: Session, source: str, changed: list[tuple[int, PreparedConversation]],
                       before: dict[int, _StoredConversation]) -> None:
        """Audit each replaced conversation: the fields and turns that changed, as stored before and after."""
        after = _stored(session, list(before))
        for iid, prepared in changed:
            old, new = _changes(before[iid], after[iid])
            audit.record(session, actor=self.actor, action="interaction.update", entity_type="interaction",
                         entity_id=f"{source}:{prepared.external_id}", before=old, after=new)


@lru_cache(maxsize=1)
def _conflicts() -> tuple[type[Exception], ...]:
    """A unique constraint stopped a row: SQLAlchemy's error, or the driver's own from the bulk inserts that
    bypass SQLAlchemy (sqlite3's ``executemany``, psycopg's ``COPY``)."""
    import sqlite3

    try:
        import psycopg
    except ImportError:
        return (IntegrityError, sqlite3.IntegrityError)
    return (IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError)


@lru_cache(maxsize=4)
def _by_external_id(dialect_name: str) -> Select[str, int, str | None]:
    """Stored conversations of one source (row id, content hash) by external id: the id list expanded per
    batch, or on PostgreSQL one array parameter (``= ANY``), so the statement stays the same and psycopg
    parses it once."""
    external_id = INTERACTIONS.c.external_id
    wanted = (external_id == any_(bindparam("ids", type_=ARRAY(String))) if dialect_name == "postgresql"
              else external_id.in_(bindparam("ids", expanding=True)))
    return select(external_id, INTERACTIONS.c.id, INTERACTIONS.c.content_hash).where(
        INTERACTIONS.c.source == bindparam("source"), wanted)


def _sorted_out(batch: list[PreparedConversation], stored: dict[str, tuple[int, str | None]]) -> tuple[
        list[PreparedConversation], list[tuple[int, PreparedConversation]], list[tuple[str, int]]]:
    """A batch against the stored (row id, content hash) by external id: the new conversations, the changed
    ones (with their row ids), and the unchanged ones stored with a first-format hash, as (new hash, row
    id) for renewing it. The rest are unchanged."""
    new: list[PreparedConversation] = []
    changed: list[tuple[int, PreparedConversation]] = []
    rehashed: list[tuple[str, int]] = []
    for p in batch:
        if p.external_id not in stored:
            new.append(p)
            continue
        iid, stored_hash = stored[p.external_id]
        if stored_hash == p.content_hash:
            continue
        if stored_hash is not None and stored_hash == p.legacy_hash:
            rehashed.append((p.content_hash, iid))
        else:
            changed.append((iid, p))
    return new, changed, rehashed


def _check_unique(parsed: Parsed, external_id: str, name: str, seen: dict[str, int]) -> None:
    """Reject ``parsed`` when a record of the same file had its id (``seen``: id -> line); else note its line."""
    first = seen.get(external_id)
    if first is None:
        seen[external_id] = parsed.line
    else:
        parsed.conversation = None
        parsed.error = RecordError(name, parsed.line, "id", f"duplicate id: the conversation on line {first} has it "
                                                            "(one record per conversation and file)")


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class _Preparing:
    """How worker processes prepare conversations: redacted or not, with the first-format content hash too or not,
    phone numbers of which regions, bound for which driver."""

    redact: bool
    legacy_hash: bool
    phone_regions: tuple[str, ...]
    drivername: str
    limits: Limits = DEFAULT


def _prepare_lines(name: str, fmt: str, options: _Preparing,
                   lines: list[tuple[int, bytes]]) -> list[tuple[int, Parsed | PreparedConversation]]:
    """In a worker process: parse, validate, prepare and bind JSON Lines; a rejected line stays a :class:`Parsed`."""
    results: list[tuple[int, Parsed | PreparedConversation]] = []
    for number, data in lines:
        if number < 0:  # a line over the size limit, read past by the main process
            record = too_long(-number, options.limits)
            assert record.error is not None
            results.append((-number, Parsed(-number, "", error=RecordError(name, -number, *record.error))))
            continue
        parsed = parse_line(name, fmt, number, data, options.limits)
        if parsed is not None:
            results.append((number, parsed if parsed.conversation is None else
                            prepare(parsed.conversation, redact=options.redact, legacy_hash=options.legacy_hash,
                                    phone_regions=options.phone_regions)))
    bind_rows([item for _, item in results if isinstance(item, PreparedConversation)], dialect_named(options.drivername))
    return results


def bind_rows(conversations: list[PreparedConversation], dialect: Dialect) -> list[PreparedConversation]:
    """Bind the conversations' values for ``dialect`` (see :mod:`qa_toolkit.storage.bulk`), in place, each
    column of all of them at once; returns them."""
    if not conversations:
        return conversations
    interactions = binder(dialect, INTERACTIONS, INTERACTION_FIELDS)
    if interactions.needed:
        for conversation, row in zip(conversations, interactions.bind([c.interaction for c in conversations])):
            conversation.interaction = row
    for table, fields, attribute in ((TURNS, TURN_FIELDS, "turns"), (SPANS, SPAN_FIELDS, "spans")):
        having = [c for c in conversations if getattr(c, attribute)]
        if not having:
            continue
        columns = binder(dialect, table, fields).bind_columns([getattr(c, attribute) for c in having])
        for conversation, bound in zip(having, columns):
            setattr(conversation, attribute, bound)
    return conversations


def _by_column(conversations: list[tuple[int, tuple[tuple[Any, ...], ...]]]) -> list[list[Any]]:
    """Rows of many conversations held by column (their turns or spans), each row led by its conversation's
    row id, as one list per column."""
    if not conversations:
        return []
    ids = list(chain.from_iterable(repeat(iid, len(columns[0])) for iid, columns in conversations))
    return [ids, *(list(chain.from_iterable(columns[i] for _, columns in conversations))
                   for i in range(len(conversations[0][1])))]


@dataclass
class _StoredConversation:
    """An interaction as stored (values as read back, with its agent's external id as ``agent``) and its
    turns' (speaker, text, internal)."""

    row: dict[str, Any]
    turns: list[tuple[Any, ...]]


def _stored(session: Session, ids: list[int]) -> dict[int, _StoredConversation]:
    """The stored interactions ``ids``, with their turns."""
    query = (select(INTERACTIONS, AGENTS.c.external_id.label("agent"))
             .outerjoin(AGENTS, AGENTS.c.id == INTERACTIONS.c.agent_id).where(INTERACTIONS.c.id.in_(ids)))
    found = {row.id: _StoredConversation(dict(row._mapping), []) for row in session.execute(query)}
    for row in session.execute(select(TURNS.c.interaction_id, TURNS.c.speaker, TURNS.c.text, TURNS.c.internal)
                               .where(TURNS.c.interaction_id.in_(ids)).order_by(TURNS.c.interaction_id, TURNS.c.index)):
        found[row.interaction_id].turns.append((row.speaker, row.text, row.internal))
    return found


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat()
    return value


def _changes(old: _StoredConversation, new: _StoredConversation) -> tuple[dict[str, Any], dict[str, Any]]:
    """The audit record of an update: the fields that changed, before and after, and which turns."""
    before: dict[str, Any] = {"content_hash": old.row["content_hash"]}
    after: dict[str, Any] = {"content_hash": new.row["content_hash"]}
    for column in (*_COMPARED, "agent"):
        old_value, new_value = _jsonable(old.row[column]), _jsonable(new.row[column])
        if old_value != new_value:
            before[column], after[column] = old_value, new_value
    if new.turns != old.turns:
        before["turns"], after["turns"] = len(old.turns), len(new.turns)
        after["turns_changed"] = [i for i in range(max(len(new.turns), len(old.turns)))
                                  if i >= len(new.turns) or i >= len(old.turns) or new.turns[i] != old.turns[i]][:50]
    return before, after
