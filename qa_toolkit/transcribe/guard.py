"""Hallucination guard: repetition loops, compression-ratio outliers and non-speech text, per segment.

Whisper sometimes loops ("-10 -10 -10 …") or writes text over music and noise. Each segment of a
channel is checked; a suspect one is re-decoded on its own window of audio, deterministically, with
safer options (no prompt, no vocabulary, no conditioning, a repetition penalty and no repeated
trigrams). When the re-decoded text passes, it replaces the segment. When it still fails, the loop
is collapsed to one occurrence and the segment is kept and **flagged** (``Segment.flags``): it is
stored and shown for review, never dropped and never looping, unless its window holds no speech at
all (Silero VAD): then the text was made up over music or noise and is removed, the removal recorded. Segments that hold only non-speech
annotations (``[Music]``, ``(upbeat music)``, ``♪``) or that Whisper itself finds likely silent are
removed: silence, hold music and line noise give no text.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import numpy as np

from qa_toolkit.transcribe.backend import Segment, TranscriptionOptions, Word, bare

SAMPLE_RATE = 16_000
MAX_UNIT_WORDS = 10          # loops of phrases up to this many words
MIN_REPEATS = 4              # a phrase said 4 times in a row is a loop ...
MIN_REPEATS_ONE_WORD = 6     # ... a single word 6 times ("no, no, no" is speech)
COMPRESSION_RATIO_MAX = 2.4  # Whisper's own threshold for text too repetitive to be speech
MIN_CHARS_FOR_RATIO = 40     # short texts compress badly whatever they say
NO_SPEECH_PROB = 0.6         # with avg_logprob below -1: Whisper's own "this is silence"
WINDOW_MARGIN_S = 0.2
MAX_LOOP_GAP_S = 1.0         # a loop over several segments has MIN_REPEATS of them back to back
_ANNOTATION = re.compile(r"^[\s\W]*([\[(][^\])]*[\])][\s\W]*)+$|^[\s♪♫\W_]*$")


@dataclass(frozen=True)
class Loop:
    """A phrase repeated in a row: words ``start`` .. ``start + unit * repeats`` of a segment."""

    start: int
    unit: int
    repeats: int


def find_loop(tokens: list[str]) -> Loop | None:
    """The longest run of a phrase (1 to 10 words) repeated back to back often enough to be a loop."""
    norm = [bare(t) for t in tokens]
    best: Loop | None = None
    for unit in range(1, MAX_UNIT_WORDS + 1):
        needed = MIN_REPEATS_ONE_WORD if unit == 1 else MIN_REPEATS
        i = 0
        while i + unit * needed <= len(norm):
            phrase = norm[i:i + unit]
            if not any(phrase):
                i += 1
                continue
            repeats = 1
            while norm[i + repeats * unit: i + (repeats + 1) * unit] == phrase:
                repeats += 1
            if repeats >= needed and (best is None or unit * repeats > best.unit * best.repeats):
                best = Loop(i, unit, repeats)
            i += max(1, unit * repeats - unit + 1) if repeats >= needed else 1
    return best


def compression_ratio(text: str) -> float:
    """Bytes of text per byte of its zlib compression (Whisper's measure of repetitiveness)."""
    data = text.encode("utf-8")
    return len(data) / len(zlib.compress(data)) if data else 0.0


def is_annotation(text: str) -> bool:
    """Text that only annotates sound: ``[Music]``, ``(upbeat music)``, ``♪``, punctuation."""
    return bool(_ANNOTATION.match(text.strip()))


def problems(segment: Segment) -> list[str]:
    """Why a segment looks hallucinated: ``repetition`` and/or ``compression_ratio``; [] when it looks fine."""
    found = []
    tokens = [w.word for w in segment.words] if segment.words else segment.text.split()
    if find_loop(tokens) is not None:
        found.append("repetition")
    if len(segment.text) >= MIN_CHARS_FOR_RATIO and compression_ratio(segment.text) > COMPRESSION_RATIO_MAX:
        found.append("compression_ratio")
    return found


def is_non_speech(segment: Segment) -> bool:
    """A segment to drop: only annotations, or likely silence by Whisper's own test."""
    if is_annotation(segment.text):
        return True
    return segment.no_speech_prob > NO_SPEECH_PROB and segment.avg_logprob < -1.0


def collapse(segment: Segment) -> Segment:
    """The segment with every loop cut back to one occurrence of its phrase (words and text)."""
    words = list(segment.words)
    tokens = [w.word for w in words] if words else segment.text.split()
    while (loop := find_loop(tokens)) is not None:
        cut = slice(loop.start + loop.unit, loop.start + loop.unit * loop.repeats)
        del tokens[cut]
        if words:
            del words[cut]
    text = " ".join(w.word for w in words) if words else " ".join(tokens)
    return replace(segment, words=words, text=text)


def safer(options: TranscriptionOptions) -> TranscriptionOptions:
    """Options for re-decoding a suspect window: still deterministic, no prompt, discouraged repeats."""
    return replace(options, initial_prompt=None, hotwords=None, condition_on_previous_text=False,
                   temperature=(0.0,), repetition_penalty=1.2, no_repeat_ngram_size=3, vad_filter=False,
                   guard=False)


def _shifted(segment: Segment, offset: float) -> Segment:
    return replace(segment, start=segment.start + offset, end=segment.end + offset,
                   words=[Word(w.start + offset, w.end + offset, w.word, w.probability) for w in segment.words])


Decoder = Callable[[np.ndarray, TranscriptionOptions], Iterable[Segment]]


def guard(segments: Iterable[Segment], audio: np.ndarray, decode: Decoder, options: TranscriptionOptions,
          removed: list[Segment] | None = None) -> list[Segment]:
    """Segments with non-speech dropped and suspect ones re-decoded, collapsed and flagged (see module doc).

    A suspect segment whose window holds no speech at all (Silero VAD), and whose re-decoding does not
    pass either, is text made up over music or noise: it is left out of the transcript and appended to
    ``removed`` (without its text, with its flags), so the removal is recorded, not silent.
    """
    kept: list[Segment] = []
    removed = removed if removed is not None else []
    for segment in segments:
        if is_non_speech(segment):
            continue
        found = problems(segment)
        if not found:
            kept.append(segment)
            continue
        start = max(0.0, segment.start - WINDOW_MARGIN_S)
        end = min(len(audio) / SAMPLE_RATE, segment.end + WINDOW_MARGIN_S)
        window = audio[int(start * SAMPLE_RATE): int(end * SAMPLE_RATE)]
        redone = [_shifted(s, start) for s in decode(window, safer(options)) if not is_non_speech(s)] \
            if len(window) else []
        if redone and not any(problems(s) for s in redone):
            kept.extend(replace(s, flags=["redecoded"]) for s in redone)
            continue
        persisting = sorted({problem for s in redone for problem in problems(s)} or set(found))
        if not has_speech(window):
            removed.append(replace(segment, words=[], text="", flags=[*persisting, "no_speech", "removed"]))
            continue
        fixed = collapse(segment)
        kept.append(replace(fixed, flags=[*persisting, "unresolved"]))
    return _across_segments(kept, audio, decode, options, removed)


def _tokens(segment: Segment) -> list[str]:
    return [w.word for w in segment.words] if segment.words else segment.text.split()


def _back_to_back(run: list[Segment]) -> int:
    """The most segments of ``run`` in a row with at most ``MAX_LOOP_GAP_S`` between them."""
    best = count = 1 if run else 0
    for a, b in zip(run, run[1:]):
        count = count + 1 if b.start - a.end <= MAX_LOOP_GAP_S else 1
        best = max(best, count)
    return best


def _across_segments(kept: list[Segment], audio: np.ndarray, decode: Decoder, options: TranscriptionOptions,
                     removed: list[Segment]) -> list[Segment]:
    """Loops that run over several segments ("We'll call the phone." as segment after segment, each one too
    short to loop on its own; at least ``MIN_REPEATS`` of them back to back): their stretch of audio is re-decoded
    with safer options; when that loops too, the repeats are cut (segments left empty go to ``removed``) and the
    segments that held them are flagged."""
    while True:
        owner = [k for k, seg in enumerate(kept) for _ in _tokens(seg)]
        loop = find_loop([t for seg in kept for t in _tokens(seg)])
        if loop is None or owner[loop.start] == owner[loop.start + loop.unit * loop.repeats - 1]:
            return kept  # none, or one inside a single segment (already dealt with)
        first, last = owner[loop.start], owner[loop.start + loop.unit * loop.repeats - 1]
        if loop.unit < 2 or _back_to_back(kept[first:last + 1]) < MIN_REPEATS:
            return kept  # "Okay, thank you." now and then while the other side talks is speech, not a loop
        start = max(0.0, kept[first].start - WINDOW_MARGIN_S)
        end = min(len(audio) / SAMPLE_RATE, kept[last].end + WINDOW_MARGIN_S)
        window = audio[int(start * SAMPLE_RATE): int(end * SAMPLE_RATE)]
        redone = [_shifted(s, start) for s in decode(window, safer(options)) if not is_non_speech(s)] \
            if len(window) else []
        if redone and not any(problems(s) for s in redone) and find_loop(
                [t for s in redone for t in _tokens(s)]) is None:
            kept = [*kept[:first], *(replace(s, flags=["redecoded"]) for s in redone), *kept[last + 1:]]
            continue
        cut = set(range(loop.start + loop.unit, loop.start + loop.unit * loop.repeats))
        fixed: list[Segment] = []
        position = 0
        for k, seg in enumerate(kept):
            tokens = _tokens(seg)
            keep = [i for i in range(len(tokens)) if position + i not in cut]
            position += len(tokens)
            if not first <= k <= last:
                fixed.append(seg)
                continue
            flags = sorted({*seg.flags, "repetition", "unresolved"})
            if not keep:
                removed.append(replace(seg, words=[], text="", flags=[*flags, "removed"]))
                continue
            words = [seg.words[i] for i in keep] if seg.words else []
            text = " ".join(w.word for w in words) if words else " ".join(tokens[i] for i in keep)
            fixed.append(replace(seg, words=words, text=text, flags=flags))
        kept = fixed


def has_speech(window: np.ndarray) -> bool:
    """Whether Silero VAD (faster-whisper's) finds any speech in 16 kHz samples."""
    from faster_whisper.vad import get_speech_timestamps

    return bool(len(window)) and bool(get_speech_timestamps(np.asarray(window, dtype=np.float32)))
