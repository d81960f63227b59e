"""Speaker turns from per-channel words, and the call timing the scoring checks use.

Turns are built **by word timestamps**, not by segment start: a Whisper segment can span a long
silence, and ordering whole segments puts turns in the wrong order. Each channel's words are cut
into utterances wherever the speaker pauses for more than ``UTTERANCE_GAP_S``; all utterances are
ordered by their first word's start, and consecutive utterances of one speaker form a turn
(a pause over ``max_gap_s`` starts a new one). When both talk at once, the interrupting words
become their own turn after the utterance they interrupt, instead of shredding both into
one-word turns.

Timing: per-speaker talk time (union of word intervals), silences where nobody speaks, holds
(silences of at least ``hold_min_s``) and overtalk (both speakers at once).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TypeVar

from qa_toolkit.transcribe.backend import Segment, Word

Number = TypeVar("Number", int, float)  # seconds, or samples

MAX_GAP_S = 3.0
SILENCE_MIN_S = 2.0
HOLD_MIN_S = 5.0
OVERTALK_MIN_S = 1.0  # word timestamps are ±0.5 s: shorter overlaps are mostly turn-taking
UTTERANCE_GAP_S = 0.4
_JOIN_S = 0.5  # words closer than this belong to one stretch of speech


@dataclass
class TurnText:
    """One speaker's consecutive words."""

    speaker: str
    start_s: float
    end_s: float
    text: str
    words: list[Word] = field(default_factory=list)


@dataclass
class CallTiming:
    """Talk time per speaker, silences, holds and overtalk of one call (all in seconds), and with audio the sound in
    each silence: music, noise or quiet (:mod:`qa_toolkit.transcribe.sounds`)."""

    duration_s: float
    talk_s: dict[str, float]
    silence_s: float
    silences: list[list[float]]
    holds: list[list[float]]
    overtalk_s: float
    overtalk: list[list[float]]
    sounds: list[dict[str, object]] = field(default_factory=list)  # what plays in each silence (sounds.py)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready, rounded to centiseconds."""
        data = asdict(self)
        return _rounded(data)


def _rounded(value: object) -> object:
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def channel_words(segments: list[Segment]) -> list[Word]:
    """The words of a channel's segments (segments without word timings count as one word each)."""
    words: list[Word] = []
    for seg in segments:
        if seg.words:
            words.extend(w for w in seg.words if w.word)
        elif seg.text:
            words.append(Word(seg.start, seg.end, seg.text, 1.0))
    return words


def merge_turns(words_by_speaker: dict[str, list[Word]], max_gap_s: float = MAX_GAP_S) -> list[TurnText]:
    """Cut each speaker's words into utterances, order them by start time, group them into turns."""
    utterances: list[TurnText] = []
    for speaker, words in words_by_speaker.items():
        current: TurnText | None = None
        for word in sorted(words, key=lambda w: (w.start, w.end)):
            if current is not None and word.start - current.end_s <= UTTERANCE_GAP_S:
                current.words.append(word)
                current.end_s = max(current.end_s, word.end)
            else:
                current = TurnText(speaker, word.start, word.end, "", [word])
                utterances.append(current)
    turns: list[TurnText] = []
    for utt in sorted(utterances, key=lambda u: (u.start_s, u.end_s)):
        last = turns[-1] if turns else None
        if last is not None and last.speaker == utt.speaker and utt.start_s - last.end_s <= max_gap_s:
            last.words.extend(utt.words)
            last.end_s = max(last.end_s, utt.end_s)
        else:
            turns.append(utt)
    for turn in turns:
        turn.text = _join_words(turn.words)
    return turns


def _join_words(words: list[Word]) -> str:
    return " ".join(w.word.strip() for w in words if w.word.strip())


def _intervals(words: list[Word], join_s: float = _JOIN_S) -> list[list[float]]:
    spans: list[list[float]] = []
    for w in sorted(words, key=lambda w: w.start):
        if spans and w.start - spans[-1][1] <= join_s:
            spans[-1][1] = max(spans[-1][1], w.end)
        else:
            spans.append([w.start, w.end])
    return spans


def union(spans: Iterable[Sequence[Number]]) -> list[list[Number]]:
    """Time spans (start, end) sorted, those that overlap or touch merged into one."""
    merged: list[list[Number]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _intersection(a: list[list[float]], b: list[list[float]]) -> list[list[float]]:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if end > start:
            out.append([start, end])
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def call_timing(words_by_speaker: dict[str, list[Word]], duration_s: float, *,
                silence_min_s: float = SILENCE_MIN_S, hold_min_s: float = HOLD_MIN_S,
                overtalk_min_s: float = OVERTALK_MIN_S) -> CallTiming:
    """Talk time, silences (≥ ``silence_min_s``), holds (≥ ``hold_min_s``) and overtalk (≥ ``overtalk_min_s``)."""
    speech = {speaker: _intervals(words) for speaker, words in words_by_speaker.items()}
    talk = {speaker: sum(e - s for s, e in spans) for speaker, spans in speech.items()}
    anyone = union([span for spans in speech.values() for span in spans])
    edges = [0.0] + [x for span in anyone for x in span] + [duration_s]
    gaps = [[edges[i], edges[i + 1]] for i in range(0, len(edges) - 1, 2)]
    silences = [g for g in gaps if g[1] - g[0] >= silence_min_s]
    # leading/trailing quiet (ringing, hang-up) is not a silence inside the conversation
    inner = [g for g in silences if g[0] > 0.0 and g[1] < duration_s] if anyone else []
    overtalk: list[list[float]] = []
    if "agent" in speech and "customer" in speech:
        overtalk = [o for o in _intersection(union(speech["agent"]), union(speech["customer"]))
                    if o[1] - o[0] >= overtalk_min_s]
    return CallTiming(
        duration_s=duration_s, talk_s=talk,
        silence_s=sum(e - s for s, e in inner), silences=inner,
        holds=[g for g in inner if g[1] - g[0] >= hold_min_s],
        overtalk_s=sum(e - s for s, e in overtalk), overtalk=overtalk,
    )
