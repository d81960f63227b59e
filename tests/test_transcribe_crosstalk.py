"""Crosstalk suppression: the agent's voice leaking into the customer's channel is not the customer speaking."""

from __future__ import annotations

import numpy as np

from qa_toolkit.transcribe.audio import SAMPLE_RATE
from qa_toolkit.transcribe.backend import Segment, Word
from qa_toolkit.transcribe.crosstalk import suppress
from qa_toolkit.transcribe.turns import channel_words, merge_turns


def _voice(seconds: float, spans: list[tuple[float, float]], level_db: float, seed: int) -> np.ndarray:
    """Noise bursts at ``level_db`` dBFS where someone speaks, a faint line hiss elsewhere."""
    rng = np.random.default_rng(seed)
    out = rng.normal(0, 10 ** (-70 / 20), int(seconds * SAMPLE_RATE)).astype(np.float32)
    for start, end in spans:
        a, b = int(start * SAMPLE_RATE), int(end * SAMPLE_RATE)
        out[a:b] += rng.normal(0, 10 ** (level_db / 20), b - a).astype(np.float32)
    return out


def _segment(words: list[tuple[float, float, str]]) -> Segment:
    ws = [Word(s, e, w, 0.9) for s, e, w in words]
    return Segment(ws[0].start, ws[-1].end, " ".join(w.strip() for _, _, w in words), ws)


AGENT_WORDS = [(0.0, 0.4, " Your"), (0.4, 0.9, " balance"), (0.9, 1.2, " is"), (1.2, 2.0, " forty")]


def test_a_quiet_copy_of_the_agent_on_the_customer_channel_is_dropped() -> None:
    agent = _voice(6, [(0.0, 2.0)], -20, 1)
    customer = _voice(6, [(0.0, 2.0)], -50, 2) + _voice(6, [(3.0, 4.0)], -22, 3)  # leak at -30 dB, then speech
    leaked = [(0.1, 0.5, " your"), (0.5, 1.0, " balances"), (1.3, 2.0, " forty.")]
    said = [(3.0, 3.5, " Thanks"), (3.5, 4.0, " a lot")]
    segments = {"agent": [_segment(AGENT_WORDS)], "customer": [_segment(leaked), _segment(said)]}
    cleaned, flags = suppress(segments, {"agent": agent, "customer": customer})
    assert cleaned["agent"] == segments["agent"]
    assert [seg.text for seg in cleaned["customer"]] == ["Thanks a lot"]
    assert flags == [{"speaker": "customer", "start_s": 0.1, "end_s": 2.0,
                      "flags": ["crosstalk: 3 of 3 words from the other channel"]}]
    turns = merge_turns({s: channel_words(v) for s, v in cleaned.items()})
    assert [(t.speaker, t.text) for t in turns] == [("agent", "Your balance is forty"), ("customer", "Thanks a lot")]


def test_both_saying_the_same_word_at_once_is_kept() -> None:
    agent = _voice(3, [(0.0, 1.0)], -20, 4)
    customer = _voice(3, [(0.0, 1.0)], -24, 5)  # the customer's own voice, a little quieter
    segments = {"agent": [_segment([(0.0, 0.6, " Okay.")])], "customer": [_segment([(0.1, 0.7, " okay")])]}
    cleaned, flags = suppress(segments, {"agent": agent, "customer": customer})
    assert cleaned == segments and flags == []


def test_a_quiet_customer_saying_other_words_over_the_agent_is_kept() -> None:
    agent = _voice(3, [(0.0, 2.0)], -18, 6)
    customer = _voice(3, [(0.2, 1.5)], -40, 7)  # a faint line, 22 dB under the agent, but other words
    segments = {"agent": [_segment(AGENT_WORDS)], "customer": [_segment([(0.2, 0.8, " sorry"), (0.8, 1.5, " what")])]}
    cleaned, flags = suppress(segments, {"agent": agent, "customer": customer})
    assert cleaned == segments and flags == []


def test_a_mono_call_passes_through() -> None:
    segments = {"unknown": [_segment(AGENT_WORDS)]}
    assert suppress(segments, {"unknown": _voice(3, [], -20, 8)}) == (segments, [])
