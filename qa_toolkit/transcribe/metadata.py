"""Recording metadata (agent, call id, start time, queue) from a sidecar, a manifest or the file name.

Sources, strongest first, merged field by field:

1. a sidecar ``NAME.json`` next to ``NAME.wav``;
2. a row of ``manifest.csv`` in the same folder whose ``file`` column is the audio file's name;
3. ``--filename-pattern`` such as ``{call_id}_{agent_id}_{started_at}.wav``.

A recording without an agent is still transcribed, and stored as *unassigned*: never guessed.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from qa_toolkit.errors import QAError

MANIFEST = "manifest.csv"
FIELDS = ("call_id", "agent_id", "started_at", "queue", "customer_id", "language", "agent_channel", "speaker",
          "first_speaker")


class MetadataError(QAError):
    """A sidecar, manifest row or file name that cannot be read; the message names file, line and field."""


class RecordingMetadata(BaseModel):
    """What is known about a recording besides its audio. Unknown keys are kept in ``extra``."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    call_id: str | None = None
    agent_id: str | None = None
    started_at: datetime | None = None
    queue: str | None = None
    customer_id: str | None = None
    language: str | None = None
    agent_channel: Literal["left", "right"] | None = None
    speaker: Literal["agent", "customer", "unknown"] | None = None  # who speaks on a mono recording
    first_speaker: Literal["agent", "customer"] | None = None  # who speaks first on a mono call (diarization hint)
    sources: list[str] = []

    @field_validator("*", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("started_at", mode="before")
    @classmethod
    def _iso_datetime(cls, value: object) -> object:
        """Also accept compact ISO 8601 (``20261120T091500``), common in file names."""
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value)
            except ValueError:
                return value
        return value

    @property
    def extra(self) -> dict[str, object]:
        return dict(self.model_extra or {})


def _validate(data: dict[str, object], where: str) -> RecordingMetadata:
    try:
        return RecordingMetadata.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "?"
        raise MetadataError(f"{where}: field {field!r}: {err['msg']}") from None  # never the value: it may be PII


def read_sidecar(audio: Path) -> dict[str, object] | None:
    """The sidecar ``NAME.json`` of ``audio`` as a dict, or None when there is none."""
    sidecar = audio.with_suffix(".json")
    if not sidecar.is_file():
        return None
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise MetadataError(f"{sidecar} line {exc.lineno}: invalid JSON: {exc.msg}") from None
    except UnicodeDecodeError:
        raise MetadataError(f"{sidecar}: not UTF-8 text") from None
    if not isinstance(data, dict):
        raise MetadataError(f"{sidecar} line 1: expected a JSON object, got {type(data).__name__}")
    _validate(data, str(sidecar))
    return data


def read_manifest(folder: Path) -> dict[str, tuple[int, dict[str, object]]]:
    """``manifest.csv`` of ``folder``: file name → (line number, row); empty when there is none."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return {}
    rows: dict[str, tuple[int, dict[str, object]]] = {}
    with manifest.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "file" not in reader.fieldnames:
            raise MetadataError(f"{manifest} line 1: needs a 'file' column (has {reader.fieldnames})")
        for row in reader:
            name = (row.pop("file") or "").strip()
            line = reader.line_num
            _validate(row, f"{manifest} line {line}")
            rows[name] = (line, {k: v for k, v in row.items() if k is not None})
    return rows


def pattern_regex(pattern: str) -> re.Pattern[str]:
    """A regex for a ``{field}`` pattern; every field matches a run of characters without ``_``."""
    parts = re.split(r"(\{[a-z_]+\})", pattern)
    out = []
    for part in parts:
        if part.startswith("{") and part.endswith("}"):
            name = part[1:-1]
            if name not in FIELDS and not name.isidentifier():
                raise MetadataError(f"--filename-pattern {pattern!r}: bad field {part}")
            out.append(f"(?P<{name}>[^_/]+?)")
        else:
            out.append(re.escape(part))
    return re.compile("".join(out) + r"(?:\.[A-Za-z0-9]+)?")


def from_filename(audio: Path, pattern: str) -> dict[str, object] | None:
    """Fields parsed from the file name by ``pattern``, or None when the name does not match."""
    match = pattern_regex(pattern).fullmatch(audio.name) or pattern_regex(pattern).fullmatch(audio.stem)
    return dict(match.groupdict()) if match else None


def recording_metadata(audio: Path, filename_pattern: str | None = None) -> RecordingMetadata:
    """Merge the sidecar, manifest row and file-name fields of ``audio`` (sidecar wins).

    Raises:
        MetadataError: a source exists but is malformed (the message names file, line, field).
    """
    merged: dict[str, object] = {}
    sources: list[str] = []
    if filename_pattern and (fields := from_filename(audio, filename_pattern)):
        _validate(fields, f"{audio.name} (--filename-pattern {filename_pattern})")
        merged.update(fields)
        sources.append("filename")
    if (row := read_manifest(audio.parent).get(audio.name)) is not None:
        merged.update({k: v for k, v in row[1].items() if v not in (None, "")})
        sources.append(f"{MANIFEST}:{row[0]}")
    if (sidecar := read_sidecar(audio)) is not None:
        merged.update({k: v for k, v in sidecar.items() if v is not None})
        sources.append(audio.with_suffix(".json").name)
    merged["sources"] = list(reversed(sources))
    return _validate(merged, str(audio))
