"""WER normalisation, counts and speaker attribution (jiwer)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa_toolkit.errors import QAError
from qa_toolkit.transcribe.evaluate import Evaluation, Reference, normalize, read_references, score


@pytest.mark.parametrize(("text", "expected"), [
    ("IN EIGHTEEN THIRTEEN", "in eighteen thirteen"),
    ("in 1813.", "in eighteen thirteen"),
    ("8. The Press Yard.", "eight the press yard"),
    ("It's four, five, six, seven.", "it is four five six seven"),
    ("I can't log-in", "i can not log in"),
    ("order 4567 & 50%", "order four thousand five hundred sixty seven and fifty percent"),
    ("  Don’t  stop ", "do not stop"),
])
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_score_counts() -> None:
    result = score("a.wav", Reference("the cat sat on the mat"), "The cat sat on a mat, today.")
    assert (result.substitutions, result.deletions, result.insertions) == (1, 0, 1)
    assert result.wer == pytest.approx(2 / 6)
    assert result.reference_words == 6


def test_speaker_accuracy_counts_aligned_words() -> None:
    ref = Reference("hello how can i help my card is lost",
                    [("agent", "hello how can I help"), ("customer", "my card is lost")])
    hyp_turns = [("agent", "hello how can I help my"), ("customer", "card is lost")]
    result = score("c.wav", ref, " ".join(t for _, t in hyp_turns), hyp_turns)
    assert result.wer == 0
    assert result.speaker_accuracy == pytest.approx(8 / 9)  # "my" went to the agent


def test_overall_wer_weights_by_words() -> None:
    a = score("a", Reference("one two three four"), "one two three four")
    b = score("b", Reference("five six"), "five")
    assert Evaluation([a, b]).wer == pytest.approx(1 / 6)


def test_read_references_formats(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text(json.dumps({"references": {
        "a.wav": "plain text", "b.wav": {"turns": [{"speaker": "agent", "text": "hi"}, {"speaker": "customer", "text": "yo"}]}}}))
    refs = read_references(path)
    assert refs["a.wav"].text == "plain text" and refs["a.wav"].turns is None
    assert refs["b.wav"].text == "hi yo" and refs["b.wav"].turns == [("agent", "hi"), ("customer", "yo")]


def test_read_references_rejects_bad_entry(tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text(json.dumps({"a.wav": 3}))
    with pytest.raises(QAError, match=r"references\['a.wav'\] must be a string"):
        read_references(path)
