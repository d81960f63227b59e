"""Input files as byte streams: plain files, ``.gz`` files, directories (walked) and ``-`` for stdin.

Each :class:`Source` keeps the first 64 KiB (``head``) for format detection and offers the whole
content again through ``stream``, so nothing is read twice and stdin works too.
"""

from __future__ import annotations

import gzip
import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from qa_toolkit.errors import QAError
from qa_toolkit.ingest.limits import DEFAULT, GZIP_FLOOR, GZIP_RATIO, Limits, size

HEAD_BYTES = 64 * 1024
EXTENSIONS = (".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".txt")
REJECTS_MARK = ".rejects"
"""In the name of every rejects file an import writes by default (``qa.rejects-STAMP.jsonl``): a directory
walk skips such files, so a database kept in the imported folder does not make the next import read its
own rejects; named as a PATH, a rejects file is imported."""
_REJECTS_NAME = re.compile(re.escape(REJECTS_MARK) + r"[.-]")


class _Chained(io.RawIOBase):
    """A raw stream that returns ``head`` first, then the rest of ``rest``."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class InputLimitError(OSError):
    """Input past a limit that ends the file there (read errors end a file as one rejected record)."""


class _Bounded(io.RawIOBase):
    """The decompressed stream of a ``.gz`` input, ended with :class:`InputLimitError` once it expands past
    ``limit`` bytes, or (``limit`` None) past :data:`GZIP_RATIO` times the compressed bytes read so far and
    :data:`GZIP_FLOOR`: a gzip bomb stops within seconds, whatever its size."""

    def __init__(self, stream: BinaryIO, compressed: _Counting, limit: int | None) -> None:
        self._stream = stream
        self._compressed = compressed
        self._limit = limit
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        data = self._stream.read(len(buffer))
        self.read_bytes += len(data)
        if self._limit is not None:
            if self.read_bytes > self._limit:
                raise InputLimitError(f"decompressed size over {size(self._limit)} (--max-decompressed-bytes); "
                                      "the rest of this file is skipped")
        elif self.read_bytes > GZIP_FLOOR and self.read_bytes > GZIP_RATIO * self._compressed.count:
            raise InputLimitError(f"expands more than {GZIP_RATIO} times ({size(GZIP_FLOOR)} or more from "
                                  f"{self._compressed.count:,} compressed bytes), like a gzip bomb; the rest of this "
                                  "file is skipped (allow it with --max-decompressed-bytes)")
        buffer[: len(data)] = data
        return len(data)


class _Counting(io.RawIOBase):
    """A raw stream that counts the bytes read through it."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        data = self._stream.read(len(buffer))
        self.count += len(data)
        buffer[: len(data)] = data
        return len(data)


@dataclass
class Source:
    """One input: its display name, the first bytes, the full byte stream, and progress in bytes."""

    name: str
    head: bytes
    stream: BinaryIO
    size: int | None = None
    _position: BinaryIO | None = field(default=None, repr=False)

    def position(self) -> int:
        """Bytes of the (compressed) input consumed so far, for progress bars."""
        try:
            return self._position.tell() if self._position is not None else 0
        except (OSError, ValueError):
            return 0


def expand(paths: list[str]) -> list[str]:
    """Files to import, in order: directories are walked (sorted) for known chat-file extensions, rejects files
    (see :data:`REJECTS_MARK`) and hidden files left out."""
    result: list[str] = []
    for raw in paths:
        if raw == "-":
            result.append(raw)
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and not p.name.startswith(".") and not _REJECTS_NAME.search(p.name)
                and p.name.removesuffix(".gz").lower().endswith(EXTENSIONS)
            )
            if not found:
                raise QAError(f"{path}: no chat files in this directory (looked for {', '.join(EXTENSIONS)}, also .gz)")
            result.extend(str(p) for p in found)
        elif path.is_file():
            result.append(str(path))
        else:
            raise QAError(f"{path}: no such file or directory")
    return result


def _read_head(stream: BinaryIO) -> bytes:
    chunks: list[bytes] = []
    remaining = HEAD_BYTES
    while remaining > 0:
        chunk = stream.read(remaining)
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


@contextmanager
def open_source(path: str, limits: Limits = DEFAULT) -> Iterator[Source]:
    """Open a file, a ``.gz`` file (detected by its magic bytes) or ``-`` (stdin) as a :class:`Source`;
    a ``.gz`` file's decompressed size is bounded by ``limits``."""
    if path == "-":
        raw: BinaryIO = sys.stdin.buffer
        name, size, outer = "<stdin>", None, None
    else:
        try:
            raw = open(path, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise QAError(f"{path}: cannot open: {exc.strerror}") from None
        name, size, outer = path, Path(path).stat().st_size, raw
    try:
        magic = raw.peek(2)[:2] if hasattr(raw, "peek") else b""
        stream: BinaryIO = raw
        if magic == b"\x1f\x8b":
            compressed = _Counting(raw)
            stream = io.BufferedReader(_Bounded(gzip.GzipFile(fileobj=compressed, mode="rb"), compressed,  # type: ignore[arg-type]
                                                limits.max_decompressed_bytes), buffer_size=HEAD_BYTES)
        try:
            head = _read_head(stream)
        except (OSError, EOFError) as exc:
            raise QAError(f"{name}: cannot read: {exc}") from None
        chained = io.BufferedReader(_Chained(head, stream), buffer_size=HEAD_BYTES)
        yield Source(name=name, head=head, stream=chained, size=size, _position=outer)  # type: ignore[arg-type]
    finally:
        if outer is not None:
            outer.close()
