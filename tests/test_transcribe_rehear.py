"""Mono calls the words did not decide: each voice's opening heard again with Whisper base (transcribe/rehear.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qa_toolkit.transcribe.audio import decode
from qa_toolkit.transcribe.backend import Word
from qa_toolkit.transcribe.diarize import Diarization, SpeakerSegment
from qa_toolkit.transcribe.rehear import (CLIP_MAX_S, JOIN_S, Stretch, clip_audio, opening_stretches, reheard_words,
                                          to_call_time, wanted)

DATA = Path(__file__).parent / "data" / "diarization"


def _diarization(*segments: tuple[float, float, int]) -> Diarization:
    speakers = sorted({k for _, _, k in segments})
    return Diarization([SpeakerSegment(s, e, k) for s, e, k in segments], {k: np.eye(4)[k] for k in speakers})


def test_each_voice_gives_its_first_seconds_in_time_order() -> None:
    found = _diarization((0.5, 3.0, 1), (3.5, 9.0, 2), (9.5, 20.0, 1), (21.0, 40.0, 2), (41.0, 50.0, 3))
    stretches = opening_stretches(found, voice_s=7.0)
    # speaker 1: 2.5 s then 4.5 of its next turn; speaker 2: 5.5 s then 1.5 s; speaker 3: 7 s
    assert [(s.start_s, s.end_s) for s in stretches] == [(0.5, 3.0), (3.5, 9.0), (9.5, 14.0), (21.0, 22.5),
                                                          (41.0, 48.0)]
    assert stretches[1].clip_s == pytest.approx(2.5 + JOIN_S)
    joined = _diarization((0.5, 3.0, 1), (3.2, 9.0, 2))  # a pause under JOIN_S: one stretch
    assert [(s.start_s, s.end_s) for s in opening_stretches(joined, voice_s=7.0)] == [(0.5, 9.0)]
    assert sum(s.end_s - s.start_s for s in stretches) + JOIN_S * (len(stretches) - 1) <= CLIP_MAX_S + 1e-6


def test_the_clip_is_one_window_at_most() -> None:
    found = _diarization((0.0, 30.0, 1), (31.0, 60.0, 2), (61.0, 90.0, 3))
    stretches = opening_stretches(found, voice_s=15.0)
    end = stretches[-1].clip_s + stretches[-1].end_s - stretches[-1].start_s
    assert end <= CLIP_MAX_S and stretches[0].start_s == 0.0


def test_clip_times_map_back_to_the_call() -> None:
    stretches = [Stretch(2.0, 5.0, 0.0), Stretch(10.0, 12.0, 3.0 + JOIN_S)]
    assert to_call_time(1.0, stretches) == pytest.approx(3.0)
    assert to_call_time(3.0 + JOIN_S + 0.5, stretches) == pytest.approx(10.5)
    assert to_call_time(3.1, stretches) == pytest.approx(5.0)  # in the join: the end of the stretch before
    samples = np.ones(16000 * 13, dtype=np.float32)
    assert len(clip_audio(samples, stretches)) == round((3.0 + 2.0 + JOIN_S) * 16000)


def test_only_flags_without_word_evidence_are_heard_again() -> None:
    assert wanted("no evidence of which speaker is the agent", 2)
    assert wanted("the agent could not be told apart with confidence (0.41 < 0.6)", 3)
    assert not wanted("no evidence of which speaker is the agent: one voice found (a voicemail, ...)", 1)
    assert not wanted("the evidence disagrees: speaker 1 (0.60) against speaker 2 (0.55)", 2)
    assert not wanted(None, 2)


@pytest.mark.slow
def test_base_rehears_the_openings_and_keeps_the_rest() -> None:
    from qa_toolkit.transcribe.faster_backend import load_backend

    samples = decode(DATA / "two_voices.flac").channels[0]
    truth = json.loads((DATA / "two_voices.truth.json").read_text())["turns"]
    first, second = truth[0], truth[1]
    found = _diarization((first["start_s"], first["end_s"], 1), (second["start_s"], second["end_s"], 2))
    late = Word(second["end_s"] + 5.0, second["end_s"] + 5.4, " later", 0.9)
    early = Word(first["start_s"] + 0.1, first["start_s"] + 0.3, " garbled", 0.2)
    stretches = opening_stretches(found)
    base = load_backend("faster-whisper", "base", "cpu")
    words = reheard_words(samples, [early, late], stretches, base.transcribe)
    assert "garbled" not in [w.word.strip() for w in words] and words[-1] == late
    heard = " ".join(w.word.strip().lower() for w in words[:-1])
    assert len(heard.split()) >= 5 and all(stretches[0].start_s <= w.start <= stretches[-1].end_s for w in words[:-1])
    agent_first = set(first["text"].lower().replace(",", "").replace(".", "").split()[:6])
    assert len(agent_first & set(heard.replace(",", "").replace(".", "").split())) >= 3


def _heard(*items: tuple[float, str]) -> object:
    """A stand-in for the larger model on a known clip: the words it would hear from each clip time (the decision
    rule is under test here; the model itself in the slow test)."""
    from qa_toolkit.transcribe.backend import Segment

    def transcribe(audio: np.ndarray, options: object) -> list[Segment]:
        out = []
        for start, text in items:
            words = [Word(start + 0.3 * i, start + 0.3 * i + 0.25, f" {w}", 0.9) for i, w in enumerate(text.split())]
            out.append(Segment(words[0].start, words[-1].end, text, words))
        return out

    return transcribe


def _said(text: str, start: float) -> list[Word]:
    return [Word(start + 0.3 * i, start + 0.3 * i + 0.25, f" {w}", 0.9) for i, w in enumerate(text.split())]


def test_an_undecided_call_is_decided_by_the_openings_heard_again() -> None:
    from qa_toolkit.transcribe.rehear import decide_again
    from qa_toolkit.transcribe.speakers import attribute

    found = _diarization((0.0, 19.0, 1), (20.0, 40.0, 2))
    words = _said("good morning", 0.0) + _said("good morning to you too", 20.0)
    samples = np.zeros(16000 * 41, dtype=np.float32)
    _, first = attribute(words, found)
    assert first.needs_review and wanted(first.reason, first.speakers)
    heard = _heard((0.0, "I was charged twice on my account and I want to know why"),
                   (7.0 + JOIN_S, "thanks for calling Northwind how can I help can you confirm your postcode"))
    again = decide_again(samples, words, found, None, heard, first)  # type: ignore[arg-type]
    assert again is not None
    grouped, attribution = again
    assert attribution.roles == {1: "customer", 2: "agent"} and not attribution.needs_review
    assert attribution.evidence[-1].startswith("re-heard: the first 7 s of each voice")
    assert "thanks" in " ".join(w.word for w in grouped["agent"]) and "morning" not in " ".join(
        w.word for w in grouped["agent"] if w.start < 27.0)


def test_openings_that_still_decide_nothing_leave_the_first_attribution_flagged() -> None:
    from qa_toolkit.transcribe.rehear import decide_again
    from qa_toolkit.transcribe.speakers import attribute

    found = _diarization((0.0, 19.0, 1), (20.0, 40.0, 2))
    words = _said("good morning", 0.0) + _said("good morning to you too", 20.0)
    _, first = attribute(words, found)
    heard = _heard((0.0, "hello hello"), (7.0 + JOIN_S, "yes hello"))
    assert decide_again(np.zeros(16000 * 41, dtype=np.float32), words, found, None, heard, first) is None  # type: ignore[arg-type]
    assert first.needs_review and "still undecided" in first.evidence[-1]
