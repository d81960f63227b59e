"""Audio redaction robust to word-timing drift: a muted span's edges move out to the pauses in the speaker's own
channel (transcribe/pauses.py), on frame levels made up and on the shipped PII sample's customer channel."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from qa_toolkit.transcribe.pauses import EDGE_PAD_S, PAUSE_S, SNAP_MAX_S, pauses, widened_to_pauses
from qa_toolkit.transcribe.sounds import FRAME_S

PII_SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "pii_call"


def levels(*stretches: tuple[float, float]) -> np.ndarray:
    """Frame levels (dB): a line's hiss at -60 dB with speech at -20 dB over each (start_s, end_s)."""
    out = np.full(round(20 / FRAME_S), -60.0, np.float32)
    for start, end in stretches:
        out[round(start / FRAME_S):round(end / FRAME_S)] = -20.0
    return out


def flat(intervals: list[tuple[float, float]]) -> list[float]:
    return [t for interval in intervals for t in interval]


def test_a_pause_is_quiet_long_enough_and_a_closure_inside_a_word_is_none() -> None:
    # speech 2-4 s with a 64 ms closure at 3 s, speech 4.5-6 s
    found = pauses(levels((2.0, 3.0), (3.064, 4.0), (4.5, 6.0)))
    assert flat(found) == pytest.approx([0.0, 2.0, 4.0, 4.5, 6.0, 20.0], abs=FRAME_S)  # to the frame
    assert all(b - a >= PAUSE_S for a, b in found)


def test_quiet_speech_on_a_noisy_line_is_no_pause() -> None:
    noisy = levels((2.0, 6.0))
    noisy[round(2 / FRAME_S):round(6 / FRAME_S)] = -52.0  # speech 8 dB over the hiss: under PAUSE_DB, still speech
    assert flat(pauses(noisy)) == pytest.approx([0.0, 2.0, 6.0, 20.0], abs=FRAME_S)


def test_edges_move_out_to_the_pauses_and_no_further_than_the_cap() -> None:
    quiet = [(0.0, 2.0), (4.0, 4.5), (6.0, 20.0)]
    assert widened_to_pauses(4.6, 5.0, quiet) == (4.5 - EDGE_PAD_S, 6.0 + EDGE_PAD_S)  # the whole stretch 4.5-6
    assert widened_to_pauses(4.2, 6.5, quiet) == (4.2, 6.5)  # edges already in pauses stay
    assert widened_to_pauses(3.5, 3.8, [(0.0, 1.0)]) == (3.5 - SNAP_MAX_S, 3.8 + SNAP_MAX_S)  # no pause near
    assert widened_to_pauses(0.5, 19.0, []) == (0.0, 19.0 + SNAP_MAX_S)


@pytest.mark.parametrize("drift_s", [-0.7, 0.0, 0.7])
def test_every_spoken_span_of_the_pii_sample_is_muted_whole_with_its_times_drifted(drift_s: float) -> None:
    """The labelled spans' times moved 0.7 s late (tiny.en with AVX2 kernels timed the security code so on an AMD
    EPYC) or early, widened by the 0.25 s margin and out to the customer channel's pauses: each covers the time the
    words were said, and moves no further than the cap."""
    from qa_toolkit.transcribe.audio import decode
    from qa_toolkit.transcribe.sounds import SoundFrames

    audio, frames = decode(PII_SAMPLE / "call_06_card.mp3"), SoundFrames()
    frames.add(audio.channels)
    quiet = pauses(frames.channel(1)[0])  # the customer's channel (right)
    truth = json.loads((PII_SAMPLE / "call_06_card.truth.json").read_text())["spans"]
    for span in truth:
        start, end = widened_to_pauses(span["start_s"] + drift_s - 0.25, span["end_s"] + drift_s + 0.25, quiet)
        assert start <= span["start_s"] and end >= span["end_s"], (span["kind"], start, end)
        assert start >= span["start_s"] + drift_s - 0.25 - SNAP_MAX_S
        assert end <= span["end_s"] + drift_s + 0.25 + SNAP_MAX_S
