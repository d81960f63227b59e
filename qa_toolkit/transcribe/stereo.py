"""Both sides of a stereo call through Whisper in one pass.

Each channel's speech is found with Silero VAD (faster-whisper's, its default parameters, as
``vad_filter`` uses them; with ``vad_skip_leaks``, the default, not run over a channel's stretches of a second or
more that only hold the other side's leak: :func:`listened`); the stretches of a channel that only hold the other side's voice leaking
in (crosstalk: that channel at least ``CROSSTALK_DB`` below the other one) are left out; what is left
of both channels is packed into windows of at most ``FILL_S`` (25 s of Whisper's 30 s window: first fit,
longest stretch first, each window's stretches in time order; up to ``MAX_FILL_S`` where that makes fewer
windows: :func:`fewest_windows`), each window decoded exactly once (one encoder
pass; with faster-whisper all windows of a call go through one ``BatchedInferencePipeline`` call, see
``FasterWhisperBackend.transcribe_clips``); each word goes back to the channel and the time it came from.
A stretch that came back with ``GAP_S`` or more of it holding no word (the one-pass decoding skipped it) is
decoded again on its own, as the per-channel path would decode it (with seeking).

Why 25 s and the second look: decoded once, without seeking, tiny.en drops words where a window ends (on six
dev calls, full 30 s windows lost 9.8 % of the words of their last 5 s to deletions, against 4.0 % for the
same words decoded per channel) and now and then a whole stretch (a customer's 7.5 s sentence), which the
per-channel decoder's seeking recovers from.

Decoding the channels one by one pays a full 30-second encoder pass for every window however little
speech it holds (each channel's last few seconds; and Whisper moves on by less than 30 s when a window
ends mid-sentence), and the leaked voice is decoded too (and then written on the wrong side). Packed,
the stretches of both sides fill the windows, and no words are lost to overtalk: overlapping stretches
follow each other in a window.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from qa_toolkit.transcribe.backend import Segment, TranscriptionOptions, Word
from qa_toolkit.transcribe.turns import union

SAMPLE_RATE = 16_000
CROSSTALK_DB = 15.0    # a channel this far below the other one only hears the other side (leaks are -20 to -40 dB)
FRAME_S = 0.1          # energy is compared in frames of this length ...
SMOOTH_FRAMES = 5      # ... averaged over this many (0.5 s: syllables and short pauses even out)
MIN_KEPT_S = 0.3       # a stretch of own speech shorter than this between leaks is not kept on its own
KEEP_PAD_S = 0.2       # kept stretches are widened by this much (inside their VAD chunk)
FILL_S = 25.0          # each packed window holds this much audio at most (the rest of Whisper's 30 s is silence) ...
MAX_FILL_S = 27.5      # ... unless filling them up to this much makes fewer windows (fewest_windows)
FILL_STEP_S = 0.5
GAP_S = 1.5            # a stretch with this long a part without words is decoded again on its own
QUIET_GAP_S = 5.0      # a channel's pause this long is searched again for speech the VAD missed: its last
LOOKBACK_S = 12.0      # LOOKBACK_S, by a VAD with fresh state on blocks of BLOCK_S, one starting every STEP_S
BLOCK_S, STEP_S = 6.0, 3.0
LEAK_SKIP_S = 1.0      # vad_skip_leaks: a channel's stretch this long holding only the other side's leak is not run
LEAK_MARGIN_S = 0.0    # through the VAD, except for this much at each of its ends

Decoder = Callable[[np.ndarray, TranscriptionOptions], Iterable[Segment]]


@dataclass(frozen=True)
class Piece:
    """A stretch of one channel, ``start``..``end`` (samples), placed at ``packed`` in the packed stream."""

    channel: int
    start: int
    end: int
    packed: int


def speech_chunks(samples: np.ndarray) -> list[tuple[int, int]]:
    """Where Silero VAD hears speech in 16 kHz samples: (start, end) sample pairs, as ``vad_filter`` finds them
    (its default parameters), except that speech longer than ``FILL_S`` is cut at a pause into parts that fit."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    vad = VadOptions(max_speech_duration_s=FILL_S - 2 * VadOptions().speech_pad_ms / 1000 - 0.5)
    limit = int(FILL_S * SAMPLE_RATE)
    chunks: list[tuple[int, int]] = []
    for c in get_speech_timestamps(np.asarray(samples, dtype=np.float32), vad):
        chunks += [(start, min(start + limit, c["end"])) for start in range(c["start"], c["end"], limit)]
    return chunks


def listened(channels: Sequence[np.ndarray]) -> list[list[tuple[int, int]]]:
    """Each channel's speech chunks as :func:`speech_chunks` finds them, with the VAD run only where the channel may
    hold its own voice: its stretches of ``LEAK_SKIP_S`` or more that are ``CROSSTALK_DB`` below another channel all
    through (the other side's leak, cut by :func:`without_crosstalk` anyway) are skipped but for ``LEAK_MARGIN_S`` at
    their ends, and the VAD starts afresh on each stretch in between (samples, as (start, end) pairs)."""
    if len(channels) < 2:
        return [speech_chunks(c) for c in channels]
    hop = int(FRAME_S * SAMPLE_RATE)
    frames = max(len(c) for c in channels) // hop + 1
    levels = [_smoothed_db(c, frames) for c in channels]
    skip, margin = round(LEAK_SKIP_S / FRAME_S), round(LEAK_MARGIN_S / FRAME_S)
    out: list[list[tuple[int, int]]] = []
    for k, channel in enumerate(channels):
        leak = levels[k] < np.max([lv for j, lv in enumerate(levels) if j != k], axis=0) - CROSSTALK_DB
        edges = np.flatnonzero(np.diff(np.concatenate(([0], leak.astype(np.int8), [0]))))
        skipped = [(int(a) + margin, int(b) - margin) for a, b in zip(edges[::2], edges[1::2], strict=True)
                   if b - a >= skip]
        bounds = [0] + [x for a, b in skipped for x in (a * hop, b * hop)] + [len(channel)]
        chunks: list[tuple[int, int]] = []
        for start, end in zip(bounds[::2], bounds[1::2], strict=True):
            end = min(end, len(channel))
            if end - start >= hop:
                chunks += [(start + a, start + b) for a, b in speech_chunks(channel[start:end])]
        out.append(chunks)
    return out


def _overlap(start: int, end: int, chunks: Sequence[tuple[int, int]]) -> int:
    """Samples of ``start``..``end`` that ``chunks`` (not overlapping each other) cover."""
    return sum(max(0, min(b, end) - max(a, start)) for a, b in chunks)


def recovered(chunks: Sequence[Sequence[tuple[int, int]]], channels: Sequence[np.ndarray],
              find: Callable[[np.ndarray], list[tuple[int, int]]] = speech_chunks) -> list[list[tuple[int, int]]]:
    """Each channel's chunks, with the speech the one pass missed at the end of its pauses of ``QUIET_GAP_S`` or
    more added where every other channel is quiet (no chunk of its own there: a leak of the other side is no
    speech).

    Silero VAD carries its state through a channel, and after hold music it stays deaf to the voice that
    follows for up to 10 s (4 of 8 dev tone holds): the speech it missed lies just before the speech it heard
    again. A VAD that starts afresh on ``BLOCK_S`` blocks every ``STEP_S`` over the last ``LOOKBACK_S`` of each
    pause before a chunk hears it within ``STEP_S`` of its start (a block where the other side talks all through
    is left out)."""
    out = [sorted(c) for c in chunks]
    if len(channels) < 2:
        return out
    block, step = int(BLOCK_S * SAMPLE_RATE), int(STEP_S * SAMPLE_RATE)
    for k, own in enumerate(chunks):
        if not own:
            continue  # a channel with no speech at all has no pause before a chunk
        others = [c for j, c in enumerate(chunks) if j != k]
        ordered = sorted(own)
        found: list[tuple[int, int]] = []
        for gap_start, gap_end in zip([0] + [b for _, b in ordered[:-1]], [a for a, _ in ordered], strict=True):
            if gap_end - gap_start < QUIET_GAP_S * SAMPLE_RATE:
                continue
            for at in range(max(gap_start, gap_end - int(LOOKBACK_S * SAMPLE_RATE)), gap_end, step):
                end = min(at + block, gap_end)
                if sum(_overlap(at, end, other) for other in others) >= 0.8 * (end - at):
                    continue  # the other side talks all through it: whatever is heard here is its leak
                for a, b in find(np.asarray(channels[k][at:end], dtype=np.float32)):
                    a, b = at + a, at + b
                    if not any(_overlap(a, b, other) for other in others):
                        found.append((a, b))
        if not found:
            continue  # the channel's chunks as they were
        merged = union(out[k] + found)
        limit = int(FILL_S * SAMPLE_RATE)  # a stretch still fits a window
        out[k] = [(start, min(start + limit, b)) for a, b in merged for start in range(a, b, limit)]
    return out


def _smoothed_db(samples: np.ndarray, frames: int) -> np.ndarray:
    """Power in dB per ``FRAME_S`` frame, averaged over ``SMOOTH_FRAMES`` frames, ``frames`` long."""
    hop = int(FRAME_S * SAMPLE_RATE)
    padded = np.zeros(frames * hop, dtype=np.float64)
    n = min(len(samples), len(padded))
    padded[:n] = samples[:n]
    power = (padded.reshape(frames, hop) ** 2).mean(axis=1)
    smooth = np.convolve(power, np.ones(SMOOTH_FRAMES) / SMOOTH_FRAMES, mode="same")
    return 10 * np.log10(smooth + 1e-12)


def without_crosstalk(chunks: Sequence[Sequence[tuple[int, int]]],
                      channels: Sequence[np.ndarray]) -> list[list[tuple[int, int]]]:
    """Each channel's chunks with the stretches where it is ``CROSSTALK_DB`` or more below another channel cut out
    (what is left: stretches of at least ``MIN_KEPT_S``, widened by ``KEEP_PAD_S`` within their chunk)."""
    if len(channels) < 2:
        return [list(c) for c in chunks]
    hop = int(FRAME_S * SAMPLE_RATE)
    frames = max(len(c) for c in channels) // hop + 1
    levels = [_smoothed_db(c, frames) for c in channels]
    kept: list[list[tuple[int, int]]] = []
    for k, channel_chunks in enumerate(chunks):
        loudest_other = np.max([lv for j, lv in enumerate(levels) if j != k], axis=0)
        own = levels[k] >= loudest_other - CROSSTALK_DB  # frames where this side is not just a leak
        out: list[tuple[int, int]] = []
        for start, end in channel_chunks:
            first, last = start // hop, min(frames, -(-end // hop))
            mask = own[first:last]
            if mask.all():
                out.append((start, end))
                continue
            edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
            pad = int(KEEP_PAD_S * SAMPLE_RATE)
            for run_start, run_end in zip(edges[::2], edges[1::2], strict=True):
                if (run_end - run_start) * FRAME_S < MIN_KEPT_S:
                    continue
                a = max(start, (first + int(run_start)) * hop - pad)
                b = min(end, (first + int(run_end)) * hop + pad)
                if out and a <= out[-1][1]:
                    out[-1] = (out[-1][0], b)
                else:
                    out.append((a, b))
        kept.append(out)
    return kept


def windows(chunks: Sequence[Sequence[tuple[int, int]]], fill_s: float = FILL_S) -> list[list[tuple[int, int, int]]]:
    """The chunks of all channels, as (channel, start, end), in windows of at most ``fill_s`` (first fit,
    longest first; a longer chunk is a window of its own), each window in time order, windows by first start."""
    limit = int(fill_s * SAMPLE_RATE)
    found = sorted(((k, start, end) for k, channel_chunks in enumerate(chunks) for start, end in channel_chunks),
                   key=lambda c: (-(c[2] - c[1]), c[1], c[0]))
    bins: list[list[tuple[int, int, int]]] = []
    room: list[int] = []
    for chunk in found:
        size = chunk[2] - chunk[1]
        slot = next((i for i, left in enumerate(room) if size <= left), None)
        if slot is None:
            bins.append([chunk])
            room.append(limit - size)
        else:
            bins[slot].append(chunk)
            room[slot] -= size
    ordered = [sorted(b, key=lambda c: (c[1], c[0])) for b in bins]
    return sorted(ordered, key=lambda b: (b[0][1], b[0][0]))


def fewest_windows(chunks: Sequence[Sequence[tuple[int, int]]],
                   max_fill_s: float = MAX_FILL_S) -> list[list[tuple[int, int, int]]]:
    """:func:`windows` at ``FILL_S``, unless fuller windows, up to ``max_fill_s``, are fewer: then at the least fill
    (in ``FILL_STEP_S`` steps) that gives that fewest number. Every window costs a full encoder pass, an alignment
    and a beam search however little it holds: a call with 51 s of speech fits 2 windows of 25.5 s, not 25 + 25 + 1."""
    fewest = len(windows(chunks, max(FILL_S, max_fill_s)))
    fill, found = FILL_S, windows(chunks, FILL_S)
    while len(found) > fewest:  # ends at max_fill_s at the latest, where there are that few
        fill = min(fill + FILL_STEP_S, max_fill_s)
        found = windows(chunks, fill)
    return found


def pack(channels: Sequence[np.ndarray], window: Sequence[tuple[int, int, int]]) -> tuple[np.ndarray, list[Piece]]:
    """One window's chunks (channel, start, end) as one stream, and where each piece went."""
    pieces: list[Piece] = []
    at = 0
    for k, start, end in window:
        pieces.append(Piece(k, start, end, at))
        at += end - start
    stream = np.concatenate([channels[p.channel][p.start:p.end] for p in pieces]).astype(np.float32) \
        if pieces else np.zeros(0, dtype=np.float32)
    return stream, pieces


class Unpacker:
    """Packed-stream seconds → (channel, seconds in that channel)."""

    def __init__(self, pieces: list[Piece]) -> None:
        self.pieces = pieces
        self.starts = [p.packed / SAMPLE_RATE for p in pieces]

    def piece_at(self, t: float) -> Piece:
        return self.pieces[max(0, bisect_right(self.starts, t) - 1)]

    @staticmethod
    def time_in(piece: Piece, t: float) -> float:
        seconds = piece.start / SAMPLE_RATE + (t - piece.packed / SAMPLE_RATE)
        return min(max(seconds, piece.start / SAMPLE_RATE), piece.end / SAMPLE_RATE)

    def segments(self, segment: Segment) -> list[tuple[Piece, Segment]]:
        """The segment cut where its words change piece, each part in its channel's time (a part never spans
        two stretches of a channel, so the guard re-decodes only the audio the part came from)."""
        if not segment.words:
            piece = self.piece_at((segment.start + segment.end) / 2)
            return [(piece, replace(segment, start=self.time_in(piece, segment.start),
                                    end=self.time_in(piece, segment.end)))]
        parts: list[tuple[Piece, list[Word]]] = []
        for w in segment.words:
            piece = self.piece_at((w.start + w.end) / 2)
            word = Word(self.time_in(piece, w.start), self.time_in(piece, w.end), w.word, w.probability)
            if parts and parts[-1][0] == piece:
                parts[-1][1].append(word)
            else:
                parts.append((piece, [word]))
        return [(piece, replace(segment, start=words[0].start, end=words[-1].end,
                                text=" ".join(w.word for w in words if w.word), words=words))
                for piece, words in parts]


Clips = Callable[[np.ndarray, list[tuple[int, int]], TranscriptionOptions], Iterable[Segment]]


def transcribe_packed(channels: Sequence[np.ndarray], decode: Decoder, options: TranscriptionOptions,
                      clips: Clips | None = None) -> list[list[Segment]]:
    """Each channel's segments (in time order, times in that channel) from decoding the packed windows of all
    channels' speech once each (``options`` with VAD off: the chunks are found here). ``clips`` decodes all
    windows at once (stream, window bounds in samples); without it each window goes through ``decode``."""
    heard = listened(channels) if options.vad_skip_leaks else [speech_chunks(c) for c in channels]
    chunks = without_crosstalk(recovered(heard, channels) if options.recover_speech else heard, channels)
    streams: list[np.ndarray] = []
    pieces: list[Piece] = []
    bounds: list[tuple[int, int]] = []
    at = 0
    for window in fewest_windows(chunks, options.max_fill_s):
        stream, window_pieces = pack(channels, window)
        streams.append(stream)
        pieces += [replace(p, packed=p.packed + at) for p in window_pieces]
        bounds.append((at, at + len(stream)))
        at += len(stream)
    per_channel: list[list[Segment]] = [[] for _ in channels]
    if not pieces:
        return per_channel
    unpacker = Unpacker(pieces)
    plain = replace(options, vad_filter=False)
    if clips is not None:
        found: Iterable[Segment] = clips(np.concatenate(streams), bounds, plain)
    else:
        found = [_moved(seg, start / SAMPLE_RATE) for stream, (start, _) in zip(streams, bounds, strict=True)
                 for seg in decode(stream, plain)]
    parts: dict[Piece, list[Segment]] = {piece: [] for piece in pieces}
    for segment in found:
        for piece, part in unpacker.segments(segment):
            parts[piece].append(part)
    for piece, piece_parts in parts.items():
        if longest_gap(piece, piece_parts) >= GAP_S:  # skipped in the one pass: decoded again on its own
            audio = np.asarray(channels[piece.channel][piece.start:piece.end], dtype=np.float32)
            piece_parts = [_moved(seg, piece.start / SAMPLE_RATE) for seg in decode(audio, plain)]
        per_channel[piece.channel] += piece_parts
    return [sorted(segs, key=lambda s: s.start) for segs in per_channel]


def longest_gap(piece: Piece, parts: Iterable[Segment]) -> float:
    """The longest stretch of ``piece`` (seconds, its channel's time) that no word of ``parts`` covers."""
    spans = sorted((w.start, w.end) for seg in parts for w in seg.words or [Word(seg.start, seg.end, seg.text, 0.0)]
                   if w.word)
    at, longest = piece.start / SAMPLE_RATE, 0.0
    for start, end in spans:
        longest = max(longest, start - at)
        at = max(at, end)
    return max(longest, piece.end / SAMPLE_RATE - at)


def _moved(segment: Segment, offset_s: float) -> Segment:
    return replace(segment, start=segment.start + offset_s, end=segment.end + offset_s,
                   words=[Word(w.start + offset_s, w.end + offset_s, w.word, w.probability) for w in segment.words])
