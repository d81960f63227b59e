"""Settings come from QA_* environment variables or a .env file, and reach every part that uses them."""

from __future__ import annotations

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
