"""Crosstalk: one side's voice leaking into the other channel of a stereo call, transcribed there too.

On a telephone line the agent's voice can bleed into the customer's channel (echo, a cheap headset, a
codec folding channels towards mono), far quieter than on its own channel; Whisper transcribes it all the
same, so the customer seems to say the agent's words and "overtalk" appears that never happened.

A word is a leak when the other channel has a word with similar text at the same time (within
``NEAR_S``) and, over the word's time, its own channel is at least ``MIN_DROP_DB`` quieter than the other
channel. Both conditions are needed: two people saying "okay" at once are both loud on their own
channel, and a customer who is simply quieter than the agent says other words. Leaked words are dropped
from the quieter channel; nothing else changes (see bench/calls_checks.py for the effect on WER).
"""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher

import numpy as np

from qa_toolkit.transcribe.audio import SAMPLE_RATE
from qa_toolkit.transcribe.backend import Segment, Word, bare

NEAR_S = 0.6  # word timestamps are about ±0.5 s apart between channels
MIN_DROP_DB = 10.0  # a leak is this much quieter than the voice it comes from (speech on both: about 0 dB)
MIN_SIMILARITY = 0.75  # characters in common (difflib ratio) for two words to be "the same word" mis-heard
def _rms_db(samples: np.ndarray, start_s: float, end_s: float, offset_s: float) -> float:
    """The level (dBFS) of ``samples`` between two times from the start of the recording."""
    a = max(0, int((start_s - offset_s) * SAMPLE_RATE))
    b = min(len(samples), max(a + 1, int((end_s - offset_s) * SAMPLE_RATE)))
    if b <= a:
        return -120.0
    chunk = samples[a:b].astype(np.float64)
    return float(10 * np.log10(float(np.mean(chunk * chunk)) + 1e-12))


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return a == b or SequenceMatcher(None, a, b).ratio() >= MIN_SIMILARITY


def leaked_words(words: list[Word], own: np.ndarray, other_words: list[Word], other: np.ndarray,
                 offset_s: float = 0.0) -> set[int]:
    """Indexes into ``words`` of the words that are the other channel's voice leaking into this one."""
    leaks: set[int] = set()
    if not words or not other_words:
        return leaks
    others = sorted(other_words, key=lambda w: w.start)
    starts = np.array([w.start for w in others])
    for i, word in enumerate(words):
        said = bare(word.word, apostrophes=True)
        if not said:
            continue
        lo = int(np.searchsorted(starts, word.start - NEAR_S - 5.0))  # words are < 5 s long
        for o in others[lo:]:
            if o.start > word.end + NEAR_S:
                break
            if o.end < word.start - NEAR_S or not _similar(said, bare(o.word, apostrophes=True)):
                continue
            start, end = min(word.start, o.start), max(word.end, o.end)
            if _rms_db(other, start, end, offset_s) - _rms_db(own, start, end, offset_s) >= MIN_DROP_DB:
                leaks.add(i)
                break
    return leaks


def suppress(segments: dict[str, list[Segment]], channels: dict[str, np.ndarray], offset_s: float = 0.0,
             ) -> tuple[dict[str, list[Segment]], list[dict[str, object]]]:
    """The segments without the words that leaked from the other channel, and a flag per changed segment.

    ``segments`` and ``channels`` are keyed by speaker (exactly two: a stereo call); times are from the
    start of the recording, the samples from ``offset_s`` (a window of it). Other calls pass through.
    """
    if len(segments) != 2 or set(segments) != set(channels):
        return segments, []
    first, second = sorted(segments)
    words = {s: [w for seg in segments[s] for w in seg.words] for s in (first, second)}
    drop = {first: leaked_words(words[first], channels[first], words[second], channels[second], offset_s),
            second: leaked_words(words[second], channels[second], words[first], channels[first], offset_s)}
    result: dict[str, list[Segment]] = {}
    flags: list[dict[str, object]] = []
    for speaker in (first, second):
        if not drop[speaker]:
            result[speaker] = segments[speaker]
            continue
        kept_segments: list[Segment] = []
        index = 0
        for seg in segments[speaker]:
            kept = [w for n, w in enumerate(seg.words, index) if n not in drop[speaker]]
            removed = len(seg.words) - len(kept)
            index += len(seg.words)
            if not removed:
                kept_segments.append(seg)
                continue
            flags.append({"speaker": speaker, "start_s": round(seg.start, 2), "end_s": round(seg.end, 2),
                          "flags": [f"crosstalk: {removed} of {len(seg.words)} words from the other channel"]})
            if kept:
                kept_segments.append(replace(seg, start=kept[0].start, end=kept[-1].end, words=kept,
                                             text=" ".join(w.word.strip() for w in kept)))
        result[speaker] = kept_segments
    return result, flags
