"""What plays in a call's silences (qa_toolkit.transcribe.sounds): music, noise or quiet, per channel."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from qa_toolkit.transcribe.sounds import RATE, SoundFrames, frame_features, silence_sounds

CALLS = Path(__file__).parent / "data" / "labelled" / "calls" / "dev" / "audio"


def _line(seconds: float, seed: int = 0) -> np.ndarray:
    """A quiet phone line: white noise at about -50 dBFS."""
    return (np.random.default_rng(seed).standard_normal(int(seconds * RATE)) * 0.003).astype(np.float32)


def _tones(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (0.2 * np.sin(2 * np.pi * 440 * t) + 0.06 * np.sin(2 * np.pi * 880 * t)).astype(np.float32)


def test_tones_noise_and_quiet_are_told_apart_on_the_loudest_channel() -> None:
    agent, customer = _line(20.0, 1), _line(20.0, 2)
    agent[5 * RATE: 12 * RATE] += _tones(7.0)  # hold music on the agent's side
    customer[14 * RATE: 18 * RATE] += (np.random.default_rng(3).standard_normal(4 * RATE) * 0.05).astype(np.float32)
    frames = SoundFrames()
    frames.add([agent, customer])
    sounds = silence_sounds(frames, [[5.0, 12.0], [14.0, 18.0], [1.0, 4.0]], ["agent", "customer"])
    assert [(s["sound"], s["channel"]) for s in sounds[:2]] == [("music", "agent"), ("noise", "customer")]
    assert sounds[2]["sound"] == "quiet"
    assert float(sounds[0]["over_floor_db"]) > 30 and float(sounds[0]["flatness"]) < 0.01  # type: ignore[arg-type]
    assert abs(float(sounds[2]["over_floor_db"])) < 1.5  # type: ignore[arg-type]


def test_windows_added_one_after_another_give_the_frames_of_the_whole_call() -> None:
    """decode_windows cuts a long call anywhere: frames carry the samples short of a whole frame to the next."""
    samples = _line(10.0)
    samples[3 * RATE: 6 * RATE] += _tones(3.0)
    whole, split = SoundFrames(), SoundFrames()
    whole.add([samples])
    for part in np.split(samples, [12345, 77777, 120001]):
        split.add([part])
    for a, b in zip(whole.channel(0), split.channel(0), strict=True):
        assert np.array_equal(a, b)
    level, flat = frame_features(np.zeros(RATE, np.float32))
    assert level.min() == -100.0 and len(level) == len(flat) == 31


def test_hold_music_silence_hiss_and_lost_words_of_labelled_calls_as_decoded() -> None:
    """LC-D-136 (tones on a 10 dB line), LC-D-133 (a silent hold, mono), LC-D-171 (a hiss on a 9 dB line): their
    scripted holds, heard from the MP3s as qa transcribe decodes them; and each call's first turn, as words the
    recognition lost would sound (a stretch with no words in it that is speech, not music: LC-D-174 on tiny.en)."""
    from qa_toolkit.transcribe.audio import decode_windows

    for call, expected in (("LC-D-136", "music"), ("LC-D-133", "quiet"), ("LC-D-171", "noise")):
        frames = SoundFrames()
        for window in decode_windows(CALLS / f"{call}.mp3"):
            frames.add(window.channels)
        truth = json.loads((CALLS / f"{call}.truth.json").read_text(encoding="utf-8"))
        holds = [[h["start_s"], h["end_s"]] for h in truth["holds"]]
        first = [[truth["turns"][0]["start_s"], truth["turns"][0]["end_s"]]]
        heard = silence_sounds(frames, holds + first, ["agent", "customer"])
        assert [s["sound"] for s in heard] == [expected] * len(holds) + ["speech"]
