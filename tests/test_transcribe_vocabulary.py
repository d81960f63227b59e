"""Domain vocabulary files → Whisper prompt."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_toolkit.errors import QAError
from qa_toolkit.services.transcription import TranscribeSettings
from qa_toolkit.transcribe.vocabulary import read_vocabulary
from transcribe_support import SAMPLES


def test_sample_vocabulary() -> None:
    terms = read_vocabulary(SAMPLES / "vocabulary.txt")
    assert terms == ["Northwind Bank", "Northwind support", "Daniel", "express delivery"]
    options = TranscribeSettings(vocabulary=terms).options()
    assert options.initial_prompt == "Glossary: Northwind Bank, Northwind support, Daniel, express delivery."
    assert TranscribeSettings().options().initial_prompt is None


def test_comments_blanks_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "v.txt"
    path.write_text("# names\nAcme  # the company\n\nAcme\nZoë Café\n", encoding="utf-8")
    assert read_vocabulary(path) == ["Acme", "Zoë Café"]


def test_missing_and_oversized_files(tmp_path: Path) -> None:
    with pytest.raises(QAError, match="does not exist"):
        read_vocabulary(tmp_path / "nope.txt")
    path = tmp_path / "big.txt"
    path.write_text("\n".join(f"term{i}" for i in range(101)))
    with pytest.raises(QAError, match="line 101: more than 100 terms"):
        read_vocabulary(path)


def test_call_prompt_is_opt_in_and_comes_before_the_terms() -> None:
    from qa_toolkit.transcribe.vocabulary import CALL_PROMPT

    assert TranscribeSettings().options().initial_prompt is None
    assert TranscribeSettings(call_prompt=True).options().initial_prompt == CALL_PROMPT
    both = TranscribeSettings(vocabulary=["Acme"], call_prompt=True).options().initial_prompt
    assert both == f"{CALL_PROMPT} Glossary: Acme."
