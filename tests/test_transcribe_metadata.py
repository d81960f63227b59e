"""Recording metadata from sidecar JSON, manifest.csv and --filename-pattern."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from qa_toolkit.transcribe.metadata import MetadataError, recording_metadata


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "C77_a-9_20261120T091500.wav").write_bytes(b"RIFF")
    (tmp_path / "side.wav").write_bytes(b"RIFF")
    (tmp_path / "side.json").write_text(json.dumps(
        {"call_id": "S-1", "agent_id": "a-1", "started_at": "2026-11-20T09:00:00+00:00", "queue": "billing",
         "crm_case": "K-5"}))
    (tmp_path / "listed.mp3").write_bytes(b"ID3")
    (tmp_path / "manifest.csv").write_text(
        "file,call_id,agent_id,started_at,queue,customer_id\n"
        "listed.mp3,M-2,a-2,2026-11-21T10:00:00+00:00,refunds,c-9\n"
        "side.wav,M-3,a-3,,cards,c-3\n")
    return tmp_path


def test_sidecar_fields_and_extra_keys(folder: Path) -> None:
    meta = recording_metadata(folder / "side.wav")
    assert (meta.call_id, meta.agent_id, meta.queue) == ("S-1", "a-1", "billing")  # sidecar wins over manifest
    assert meta.customer_id == "c-3"                                                  # manifest fills the gap
    assert meta.started_at == datetime(2026, 11, 20, 9, tzinfo=timezone.utc)
    assert meta.extra == {"crm_case": "K-5"}
    assert meta.sources == ["side.json", "manifest.csv:3"]


def test_manifest_row(folder: Path) -> None:
    meta = recording_metadata(folder / "listed.mp3")
    assert (meta.call_id, meta.agent_id, meta.queue, meta.customer_id) == ("M-2", "a-2", "refunds", "c-9")
    assert meta.sources == ["manifest.csv:2"]


def test_filename_pattern(folder: Path) -> None:
    meta = recording_metadata(folder / "C77_a-9_20261120T091500.wav", "{call_id}_{agent_id}_{started_at}.wav")
    assert (meta.call_id, meta.agent_id) == ("C77", "a-9")
    assert meta.started_at == datetime(2026, 11, 20, 9, 15)
    assert meta.sources == ["filename"]


def test_no_source_leaves_agent_missing(folder: Path) -> None:
    meta = recording_metadata(folder / "C77_a-9_20261120T091500.wav")
    assert meta.agent_id is None and meta.sources == []


def test_bad_sidecar_json_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "x.wav").write_bytes(b"")
    (tmp_path / "x.json").write_text('{\n "call_id": "1",\n "agent_id": }\n')
    with pytest.raises(MetadataError, match=r"x\.json line 3: invalid JSON"):
        recording_metadata(tmp_path / "x.wav")


def test_bad_manifest_date_names_line_and_field(tmp_path: Path) -> None:
    (tmp_path / "x.wav").write_bytes(b"")
    (tmp_path / "manifest.csv").write_text("file,started_at\nx.wav,yesterday\n")
    with pytest.raises(MetadataError, match=r"manifest\.csv line 2: field 'started_at'"):
        recording_metadata(tmp_path / "x.wav")


def test_bad_agent_channel_in_sidecar(tmp_path: Path) -> None:
    (tmp_path / "x.wav").write_bytes(b"")
    (tmp_path / "x.json").write_text('{"agent_channel": "middle"}')
    with pytest.raises(MetadataError, match="agent_channel"):
        recording_metadata(tmp_path / "x.wav")
