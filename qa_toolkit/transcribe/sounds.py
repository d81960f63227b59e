"""What a call's silences hold: music or tones, noise, speech nobody transcribed, or quiet (issue 15: hold music in
the timing block).

A stretch where nobody's words are heard can be hold music, a hiss on a held line, dead air, or words the speech
recognition lost; the words alone cannot tell them apart. While the call is transcribed, each channel is cut into
frames of ``FRAME_S`` and each frame keeps two numbers: its level (dB) and its spectral flatness in the telephone
band (near 0 for tones and music, near 1 for noise). A silence's sound, on the channel where it is loudest: the
median level of its frames over the channel's noise floor (the ``FLOOR_PERCENTILE`` of all its frames' levels, so
a line's hiss is the floor), how much the level moves from frame to frame (median, dB) and the median flatness:
``quiet`` below ``SOUND_DB`` over the floor; ``speech`` when the level jumps by ``STEADY_MAX_DB`` or more a frame
(syllables and pauses; a held line's music or hiss is steady); else ``music`` when tonal, ``noise`` when flat.
Cheap (one FFT a frame, two floats a frame kept) and deterministic: the same samples give the same sounds; the
words are untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

RATE = 16000  # decoded samples per second (qa_toolkit.transcribe.audio)
FRAME_S = 0.032
BAND_HZ = (300.0, 3400.0)  # the telephone band: hold music and line noise both live here
FLOOR_PERCENTILE = 10.0
SOUND_DB = 2.5  # a silence this far over the channel's floor holds a sound (dev: dead air <= 0.9, holds >= 3.9)
STEADY_MAX_DB = 1.1  # median frame-to-frame change: held music or hiss below (dev: <= 0.7), speech above (>= 1.6)
TONAL_MAX = 0.1  # median flatness below this: music or tones (dev: <= 0.03), above: noise (>= 0.24)
_QUIET_DB = -100.0  # level of a digitally silent frame
_EDGE_S = 0.3  # word timestamps are ±0.3 s: a silence's edges may hold the end of a word


@dataclass
class SoundFrames:
    """Per channel, each frame's level (dB) and spectral flatness, for the whole call (appended window by window)."""

    levels: list[list[np.ndarray]] = field(default_factory=list)
    flatness: list[list[np.ndarray]] = field(default_factory=list)
    rest: list[np.ndarray] = field(default_factory=list)  # each channel's samples short of a whole frame, so far

    def add(self, channels: Sequence[np.ndarray]) -> None:
        """Append one decoded window's channels (16 kHz float samples; windows follow each other without a gap)."""
        size = round(FRAME_S * RATE)
        for i, samples in enumerate(channels):
            if i >= len(self.levels):
                self.levels.append([])
                self.flatness.append([])
                self.rest.append(np.zeros(0, np.float32))
            joined = np.concatenate([self.rest[i], samples]) if self.rest[i].size else samples
            whole = len(joined) - len(joined) % size
            level, flat = frame_features(joined[:whole])
            self.levels[i].append(level)
            self.flatness[i].append(flat)
            self.rest[i] = np.asarray(joined[whole:], np.float32)

    def channel(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Channel ``i``'s levels and flatness over the whole call."""
        return np.concatenate(self.levels[i]), np.concatenate(self.flatness[i])


def frame_features(samples: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each whole frame's level in dB (RMS) and spectral flatness in the telephone band."""
    size = round(FRAME_S * RATE)
    count = len(samples) // size
    if count == 0:
        return np.zeros(0, np.float32), np.zeros(0, np.float32)
    frames = np.asarray(samples[: count * size], dtype=np.float64).reshape(count, size)
    rms = np.sqrt(np.mean(frames ** 2, axis=1))
    level = np.where(rms > 0, 20 * np.log10(np.maximum(rms, 1e-12)), _QUIET_DB)
    power = np.abs(np.fft.rfft(frames * np.hanning(size), axis=1)) ** 2
    bins = np.fft.rfftfreq(size, 1 / RATE)
    band = power[:, (bins >= BAND_HZ[0]) & (bins <= BAND_HZ[1])] + 1e-20
    flat = np.exp(np.mean(np.log(band), axis=1)) / np.mean(band, axis=1)
    return np.maximum(level, _QUIET_DB).astype(np.float32), flat.astype(np.float32)


def silence_sounds(frames: SoundFrames, silences: Sequence[Sequence[float]],
                   speakers: Sequence[str]) -> list[dict[str, object]]:
    """Each silence's sound (``music``, ``noise``, ``speech`` or ``quiet``), the channel it is loudest on (by
    ``speakers``), how far over that channel's floor it is and how much it moves a frame (dB), in the silences'
    order."""
    channels = [frames.channel(i) for i in range(len(frames.levels))]
    floors = [float(np.percentile(level, FLOOR_PERCENTILE)) if level.size else _QUIET_DB for level, _ in channels]
    out: list[dict[str, object]] = []
    for start, end in silences:
        first = int((start + _EDGE_S) / FRAME_S)
        last = max(first + 1, int((end - _EDGE_S) / FRAME_S))
        best: tuple[float, int] | None = None  # over the floor, channel
        for i, ((level, _), floor) in enumerate(zip(channels, floors, strict=True)):
            if first < level.size and (best is None or float(np.median(level[first:last])) - floor > best[0]):
                best = (float(np.median(level[first:last])) - floor, i)
        if best is None:
            continue
        over, i = best
        level, flatness = channels[i][0][first:last], channels[i][1][first:last]
        change = float(np.median(np.abs(np.diff(level)))) if level.size > 1 else 0.0
        flat = float(np.median(flatness))
        sound = ("quiet" if over < SOUND_DB else "speech" if change >= STEADY_MAX_DB
                 else "music" if flat < TONAL_MAX else "noise")
        out.append({"start_s": round(float(start), 2), "end_s": round(float(end), 2), "sound": sound,
                    "channel": speakers[i] if i < len(speakers) else f"channel{i + 1}",
                    "over_floor_db": round(over, 1), "change_db": round(change, 1), "flatness": round(flat, 2)})
    return out
