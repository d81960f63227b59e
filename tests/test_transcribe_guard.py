"""Hallucination guard: loops and compression-ratio outliers found, re-decoded, collapsed and flagged; silence,
hold music (tones) and line noise give no text (synthesized here with numpy, seconds long, real tiny.en)."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from qa_toolkit.transcribe.backend import Segment, TranscriptionOptions, Word
from qa_toolkit.transcribe.guard import collapse, compression_ratio, find_loop, guard, is_annotation, problems
from transcribe_support import SAMPLES

RATE = 16_000


def _words(text: str, start: float = 0.0, step: float = 0.3) -> list[Word]:
    return [Word(start + i * step, start + (i + 1) * step, w, 0.9) for i, w in enumerate(text.split())]


def _segment(text: str, start: float = 0.0) -> Segment:
    words = _words(text, start)
    return Segment(start, words[-1].end if words else start, text, words)


def test_loops_are_found_and_speech_repeats_are_not() -> None:
    loop = find_loop("the balance is -10 -10 -10 -10 -10 -10 -10 -10 dollars".split())
    assert loop is not None and (loop.start, loop.unit, loop.repeats) == (3, 1, 8)
    phrase = find_loop("I don't know what to do, I don't know what to do, I don't know what to do, "
                       "I don't know what to do, ok".split())
    assert phrase is not None and (phrase.unit, phrase.repeats) == (6, 4)
    assert find_loop("no, no, no, that is not what I said".split()) is None
    assert find_loop("thank you thank you thank you so much".split()) is None  # three times is speech
    assert problems(_segment("yes I can help you with that today")) == []
    assert problems(_segment(" ".join(["-10"] * 30))) == ["repetition", "compression_ratio"]
    assert compression_ratio("beep " * 40) > 2.4 > compression_ratio("Thanks for calling, how can I help?")


def test_collapse_keeps_one_occurrence_with_its_timing() -> None:
    fixed = collapse(_segment("your total is " + "ten dollars " * 7 + "today"))
    assert fixed.text == "your total is ten dollars today"
    assert [w.word for w in fixed.words] == ["your", "total", "is", "ten", "dollars", "today"]
    assert fixed.words[-1].start == pytest.approx(0.3 * 17)  # the last word keeps its own time


def test_annotations_are_not_speech() -> None:
    for text in ("[Music]", "(upbeat music)", "♪ ♪", "[BLANK_AUDIO]", "...", " (phone ringing) [music] "):
        assert is_annotation(text), text
    for text in ("Hello [inaudible] there", "Thank you.", "OK"):
        assert not is_annotation(text), text


def test_a_loop_that_persists_is_kept_collapsed_and_flagged() -> None:
    speech = _call_channel()
    looping = _segment("please hold " * 9, start=1.0)
    calls: list[TranscriptionOptions] = []

    def decoder(window: np.ndarray, options: TranscriptionOptions) -> list[Segment]:  # the model loops again
        calls.append(options)
        return [_segment("please hold " * 9)]

    kept = guard([_segment("hello there", 0.0), looping], speech, decoder, TranscriptionOptions(initial_prompt="Acme"))
    assert [s.text for s in kept] == ["hello there", "please hold"]
    assert kept[1].flags == ["compression_ratio", "repetition", "unresolved"]
    assert len(calls) == 1  # re-decoded once, never in a loop
    safer = calls[0]
    assert safer.initial_prompt is None and not safer.condition_on_previous_text and safer.temperature == (0.0,)
    assert safer.repetition_penalty > 1.0 and safer.no_repeat_ngram_size == 3 and not safer.guard


@pytest.mark.slow
def test_a_loop_over_real_speech_is_redecoded(tiny) -> None:  # type: ignore[no-untyped-def]
    speech = _call_channel()
    looping = Segment(0.0, 4.0, "thank you " * 10, _words("thank you " * 10, 0.0, 0.2))
    kept = guard([looping], speech[: 4 * RATE], tiny.transcribe, TranscriptionOptions())
    assert kept and all(s.flags == ["redecoded"] for s in kept)
    assert find_loop(" ".join(s.text for s in kept).split()) is None
    assert "thank" in " ".join(s.text for s in kept).lower()  # the agent says "Thank you for calling ..."


def _wav(path: Path, samples: np.ndarray) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def _call_channel() -> np.ndarray:
    from qa_toolkit.transcribe.audio import decode

    return decode(SAMPLES / "call_01_billing.wav").channels[0]


def _non_speech(kind: str, seconds: float = 15.0) -> np.ndarray:
    rng = np.random.default_rng(7)
    n = int(seconds * RATE)
    t = np.arange(n) / RATE
    if kind == "tones":  # hold music: a six-note melody, half a second a note, over and over
        notes = [261.6, 329.6, 392.0, 523.3, 392.0, 329.6]
        note = int(0.5 * RATE)
        melody = [0.3 * np.sin(2 * np.pi * f * np.arange(note) / RATE) * np.hanning(note) for f in notes]
        return np.resize(np.concatenate(melody), n)
    if kind == "chord":  # a pulsing A major chord
        return 0.2 * sum(np.sin(2 * np.pi * f * t) for f in (440, 554, 659)) * (0.5 + 0.5 * np.sin(np.pi * t))
    if kind == "noise":  # line hiss
        return 0.1 * rng.standard_normal(n)
    return 0.003 * rng.standard_normal(n)  # "silence": a faint noise floor (true zeros are refused as silent)


@pytest.fixture(scope="module")
def tiny():  # type: ignore[no-untyped-def]
    from qa_toolkit.transcribe.faster_backend import load_backend

    return load_backend("faster-whisper", "tiny.en")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["silence", "tones", "chord", "noise"])
def test_silence_hold_music_and_noise_give_no_text(tiny, tmp_path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    from qa_toolkit.transcribe.pipeline import transcribe_file

    path = _wav(tmp_path / f"{kind}.wav", _non_speech(kind))
    transcript = transcribe_file(path, tiny, TranscriptionOptions(), diarize=False)
    assert transcript.turns == [] and transcript.text == ""
    # Without VAD Whisper writes text over the tones ("beep beep beep ...", a looping sentence); the guard
    # finds no speech in that window and removes it, recording the removal.
    raw = transcribe_file(path, tiny, TranscriptionOptions(vad_filter=False), diarize=False)
    assert raw.turns == [], raw.text
    assert all("removed" in f["flags"] for f in raw.flags)


def test_a_loop_over_several_segments_is_cut_and_flagged() -> None:
    speech = _call_channel()
    segments = [_segment("Finally, we'll call the phone.", 0.0), *(_segment("We'll call the phone.", 2.0 + 2 * i)
                                                                  for i in range(5)), _segment("Goodbye now.", 13.0)]
    assert all(problems(s) == [] for s in segments)  # each one alone looks like speech
    calls: list[TranscriptionOptions] = []

    def decoder(window: np.ndarray, options: TranscriptionOptions) -> list[Segment]:  # the model loops again
        calls.append(options)
        return [_segment("We'll call the phone.", float(i)) for i in range(4)]

    removed: list[Segment] = []
    kept = guard(segments, speech, decoder, TranscriptionOptions(), removed)
    assert [s.text for s in kept] == ["Finally, we'll call the phone.", "Goodbye now."]
    assert kept[0].flags == ["repetition", "unresolved"] and kept[1].flags == []
    assert len(removed) == 5 and all(r.text == "" and "removed" in r.flags for r in removed)
    assert len(calls) == 1 and not calls[0].guard


def test_a_loop_over_several_segments_that_decodes_cleanly_is_replaced() -> None:
    speech = _call_channel()
    segments = [_segment("Hello.", 0.0), *(_segment("please hold", 2.0 + i) for i in range(5))]

    def decoder(window: np.ndarray, options: TranscriptionOptions) -> list[Segment]:
        return [_segment("please hold while I check your account")]

    kept = guard(segments, speech, decoder, TranscriptionOptions())
    assert [s.text for s in kept] == ["Hello.", "please hold while I check your account"]
    assert kept[1].flags == ["redecoded"] and kept[1].start == pytest.approx(2.0 - 0.2)


def test_the_same_short_reply_now_and_then_is_speech() -> None:
    segments = [_segment("Okay, thank you.", 5.0 * i) for i in range(6)]  # while the other side talks
    kept = guard(segments, _call_channel(), lambda window, options: [], TranscriptionOptions())
    assert [s.text for s in kept] == ["Okay, thank you."] * 6 and all(not s.flags for s in kept)


def test_a_loop_that_starts_back_to_back_is_cut_wherever_it_goes_on() -> None:
    back_to_back = [_segment("We'll call the phone.", 1.3 * i) for i in range(4)]
    later = [_segment("We'll call the phone.", 20.0 + 6 * i) for i in range(3)]  # between the other side's turns
    removed: list[Segment] = []
    kept = guard([*back_to_back, *later], _call_channel(), lambda window, options: [], TranscriptionOptions(),
                 removed)
    assert [s.text for s in kept] == ["We'll call the phone."] and len(removed) == 6
