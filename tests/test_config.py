"""Settings come from QA_* environment variables or a .env file, and reach every part that uses them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from qa_toolkit.config import get_settings


def test_a_dotenv_file_sets_what_the_commands_default_to(tmp_path: Path) -> None:
    from qa_toolkit.cli.transcribe import _settings
    from qa_toolkit.transcribe.models import model_cache_dir

    vocabulary = tmp_path / "terms.txt"
    vocabulary.write_text("Zentrix\nQuadrant Bank\n")
    # The tests run in tmp_path, where a .env file is read from.
    (tmp_path / ".env").write_text(f"QA_MODEL_CACHE={tmp_path / 'models'}\nQA_WHISPER_MODEL=base\n"
                                   f"QA_VOCABULARY_FILE={vocabulary}\nQA_QUEUE_STALLED_AFTER=5\n")
    get_settings.cache_clear()
    assert model_cache_dir() == tmp_path / "models"
    assert get_settings().queue_stalled_after == 5.0
    settings = _settings(None, "faster-whisper", "en", None, "left", "cpu")
    assert (settings.model, settings.vocabulary) == ("base", ["Zentrix", "Quadrant Bank"])
    explicit = _settings("tiny.en", "faster-whisper", "en", None, "left", "cpu")
    assert explicit.model == "tiny.en"


def test_a_bad_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_QUEUE_STALLED_AFTER", "-3")
    with pytest.raises(ValidationError, match="queue_stalled_after"):
        get_settings()


@pytest.mark.parametrize(("value", "message"), [
    ("UK", "UK: not a region code (ISO 3166-1 alpha-2, e.g. US, GB, DE) (the United Kingdom is GB)"),
    ("US,XX", "XX: not a region code"),
    (" , ", "name at least one region"),
])
def test_phone_regions_must_be_region_codes(monkeypatch: pytest.MonkeyPatch, value: str, message: str) -> None:
    monkeypatch.setenv("QA_PHONE_REGIONS", value)
    with pytest.raises(ValidationError, match=re.escape(message)):
        get_settings()


def test_a_bad_phone_region_stops_an_import_with_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from qa_toolkit.cli import app

    chats = tmp_path / "chats.jsonl"
    chats.write_text('{"id": "c-1", "agent": {"id": "a-1"}, "turns": [{"speaker": "customer", "text": "hi"}]}\n')
    assert CliRunner().invoke(app, ["init"]).exit_code == 0
    monkeypatch.setenv("QA_PHONE_REGIONS", "UK")
    get_settings.cache_clear()  # a new process reads the settings anew
    result = CliRunner().invoke(app, ["import", "chats", str(chats)])
    assert result.exit_code == 1
    assert "phone_regions: Value error, UK: not a region code" in result.output and "GB" in result.output


def test_phone_regions_given_in_code_are_normalised_too() -> None:
    from qa_toolkit.config import Settings

    assert Settings(phone_regions=("gb", " us ")).phone_regions == ("GB", "US")
