"""Pauses in a channel's own audio, to which a muted span's edges are moved out (audio redaction of spoken PII).

Whisper's word times drift: the same audio decoded with other CPU kernels (or another model) can time a spoken
security code 0.7 s late, past any fixed margin. Speech itself does not move: a span's words lie inside a stretch of
the speaker's voice, bounded by pauses. So each muted interval (the span widened by the margin) has its start moved
back, and its end forward, to the nearest pause in the speaker's channel (``EDGE_PAD_S`` into it), at most
``SNAP_MAX_S`` (no pause that near: the whole ``SNAP_MAX_S``); an edge already in a pause stays. A pause is a run of
at least ``PAUSE_S`` of frames within ``PAUSE_DB`` of the channel's noise floor (the ``FLOOR_PERCENTILE`` of its
frame levels, as in :mod:`qa_toolkit.transcribe.sounds`), but never higher than half-way between the floor and the
channel's speech level (its 90th percentile), so a noisy line's quiet speech is no pause. Frame levels are those the
pipeline keeps anyway (:class:`qa_toolkit.transcribe.sounds.SoundFrames`); deterministic: the same samples give the
same pauses.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from qa_toolkit.transcribe.sounds import FLOOR_PERCENTILE, FRAME_S

PAUSE_S = 0.15  # shorter quiet is a stop consonant's closure or a breath inside a phrase
PAUSE_DB = 12.0
SPEECH_PERCENTILE = 90.0
SNAP_MAX_S = 1.5
EDGE_PAD_S = 0.05  # an edge moved to a pause goes this far into it: a word's soft onset or tail is under the bar


def pauses(levels: np.ndarray, frame_s: float = FRAME_S) -> list[tuple[float, float]]:
    """The channel's pauses (start_s, end_s) from its frame levels (dB), in time order."""
    if levels.size == 0:
        return []
    floor, speech = np.percentile(levels, [FLOOR_PERCENTILE, SPEECH_PERCENTILE])
    quiet = levels <= floor + min(PAUSE_DB, (speech - floor) / 2)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], quiet.astype(np.int8), [0]])))
    need = round(PAUSE_S / frame_s)
    return [(float(s * frame_s), float(e * frame_s)) for s, e in zip(edges[::2], edges[1::2], strict=True)
            if e - s >= need]


def widened_to_pauses(start_s: float, end_s: float, quiet: Sequence[tuple[float, float]],
                      max_s: float = SNAP_MAX_S) -> tuple[float, float]:
    """``(start_s, end_s)`` with the start moved back to the end of the last pause before it and the end forward to
    the start of the next pause after it (and ``EDGE_PAD_S`` into the pause), each at most ``max_s``; an edge inside
    a pause stays where it is."""
    start = max(0.0, start_s - max_s)
    end = end_s + max_s
    for a, b in quiet:
        if a <= start_s <= b:
            start = start_s
        elif b < start_s:
            start = max(start, b - EDGE_PAD_S)
        if a <= end_s <= b:
            end = end_s
        elif a > end_s:
            end = min(end, a + EDGE_PAD_S)
    return min(start, start_s), max(end, end_s)
