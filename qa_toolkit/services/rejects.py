"""The rejects files of an import run: rejected raw records, ready to fix and import again.

A run writes one new file per format of the records it rejects (``.jsonl``, ``.csv``, ``.txt``),
created on the first reject, readable by the owner only (mode 0600), never over an existing file:
so never over a file that the run reads, nor over the rejects of an earlier run. Unless redaction is
off (``--no-redact``), personal data in the records is replaced by placeholders as in stored text.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import IO

import orjson

from qa_toolkit.config import get_settings
from qa_toolkit.errors import QAError
from qa_toolkit.ingest import pii
from qa_toolkit.ingest.formats import csv as csv_format
from qa_toolkit.ingest.model import Parsed
from qa_toolkit.ingest.sources import REJECTS_MARK
from qa_toolkit.storage.database import sqlite_path

SUFFIXES = {"csv": ".csv", "text": ".txt"}  # any other format: JSON Lines


def suffix_for(file_format: str) -> str:
    """The rejects file suffix for records of ``file_format``: ``.csv``, ``.txt`` or ``.jsonl``."""
    return SUFFIXES.get(file_format, ".jsonl")


def default_rejects_path(db_url: str, suffix: str, stamp: str) -> Path:
    """Next to a SQLite database file (``qa.rejects-STAMP.jsonl`` for ``qa.db``), else in the data directory;
    ``stamp`` is the run's start (UTC)."""
    path = sqlite_path(db_url)
    if path is not None:
        return path.with_name(f"{path.stem}{REJECTS_MARK}-{stamp}{suffix}")
    return get_settings().data_dir / f"qa{REJECTS_MARK}-{stamp}{suffix}"


def _create(path: Path) -> tuple[Path, IO[str]]:
    """A new file at ``path`` (or, when that exists, ``NAME-2.EXT``, ``NAME-3.EXT``, ...), mode 0600.

    Raises:
        QAError: the folder cannot be written to.
    """
    candidate, n = path, 1
    while True:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            n += 1
            candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
            continue
        except OSError as exc:
            raise QAError(f"{candidate}: cannot write the rejects file: {exc.strerror}") from None
        os.fchmod(fd, 0o600)
        return candidate, open(fd, "w", encoding="utf-8", errors="surrogateescape", newline="")  # noqa: SIM115


def redact_raw(raw: str, file_format: str, delimiter: str | None = None) -> str:
    """A raw rejected record with PII replaced by placeholders, still in its format: JSON values one by
    one (a line that is no valid JSON as text), CSV cells one by one, text line by line."""
    if file_format == "csv":
        return csv_format.map_cells(raw, delimiter or ",", lambda cell: pii.redact(cell).text)
    if file_format == "text":
        return "\n".join(pii.redact(line).text for line in raw.split("\n"))
    try:
        try:
            value = orjson.loads(raw)
        except orjson.JSONDecodeError:  # what orjson refuses but Python's json takes (NaN, integers past 64 bits)
            value = json.loads(raw)
        redacted = pii.redact_values(value)
        if redacted == value:
            return raw
        return json.dumps(redacted, ensure_ascii=False, separators=(",", ":"))
    except (ValueError, RecursionError):  # no valid JSON, or nested too deep to walk: its text, line by line
        return "\n".join(pii.redact(line).text for line in raw.split("\n"))


class RejectsWriter:
    """Writes the rejected raw records of one run, one file per format, each opened on its first record.

    Args:
        path: the file named with ``--rejects`` (its suffix is changed for the records of another
            format), a folder to write them in, or None for :func:`default_rejects_path`.
        redact: replace PII in the records (see :func:`redact_raw`).
        delimiter: the CSV delimiter (None: sniffed from the header line).
    """

    def __init__(self, path: Path | None, db_url: str, *, redact: bool = True, delimiter: str | None = None) -> None:
        self.path = path
        if path is not None and not path.is_dir() and not _writable_folder(path.parent):
            raise QAError(f"{path}: cannot write the rejects file there (the folder is not writable)")
        self.db_url = db_url
        self.redact = redact
        self.delimiter = delimiter
        self.stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        self._files: dict[tuple[str, str], tuple[Path, IO[str]]] = {}  # (suffix, CSV header) -> (path, file)

    @property
    def paths(self) -> list[Path]:
        """The files written so far, in the order they were created."""
        return [path for path, _ in self._files.values()]

    def _target(self, suffix: str) -> Path:
        if self.path is None:
            return default_rejects_path(self.db_url, suffix, self.stamp)
        if self.path.is_dir():  # --rejects FOLDER: the default name in it
            return self.path / f"qa{REJECTS_MARK}-{self.stamp}{suffix}"
        return self.path if self.path.suffix.lower() == suffix else self.path.with_name(self.path.stem + suffix)

    def write(self, parsed: Parsed, file_format: str) -> None:
        """Append one rejected record; CSV records go to one file per header line, which comes first."""
        if not parsed.raw:
            return
        suffix = suffix_for(file_format)
        delimiter = self.delimiter
        if file_format == "csv" and delimiter is None:
            delimiter = csv_format.sniffed_delimiter(parsed.header)
        raw, header = parsed.raw, parsed.header
        if self.redact:
            raw = redact_raw(raw, file_format, delimiter)
            header = redact_raw(header, file_format, delimiter) if header else header
        key = (suffix, header)
        if key not in self._files:
            self._files[key] = _create(self._target(suffix))
            if header:
                _, out = self._files[key]
                out.write(header + "\n")
        _, out = self._files[key]
        out.write(raw.rstrip("\n") + "\n")
        if file_format == "text":
            out.write("\n")

    def close(self) -> None:
        for _, out in self._files.values():
            out.close()


def _writable_folder(folder: Path) -> bool:
    """True when ``folder``, or the nearest folder above it that exists (where it would be made), can be written to."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)
