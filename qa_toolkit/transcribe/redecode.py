"""Answers to a question for a number, decoded again the digit-friendly way (issue 14).

Whisper mishears the digits a caller reads out far more often than the words around them, so where the agent's side
asks for a card, its expiry date or code, an SSN, a phone or an account number (the questions
:func:`~qa_toolkit.transcribe.answers.asked_kinds` recognises), the customer's audio from the question's end until the
agent asks something else (at most :data:`WINDOW_MAX_S`) is decoded once more with the same loaded model and fixed
options: beam search (:data:`BEAM_SIZE`) at temperature 0, no conditioning on earlier text, VAD on, and an initial
prompt written the way numbers should come out (:data:`PROMPTS`: "4012 8888 8888 1881"). The customer's words in that
window are replaced by the new ones, their times moved by the window's start, so redaction reads them and times spans
by them. Deterministic: the same audio and options give the same words. A window where the new decode hears nothing
keeps the words it had.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import numpy as np

from qa_toolkit.transcribe.answers import ANSWER_S, asked_kinds
from qa_toolkit.transcribe.audio import SAMPLE_RATE
from qa_toolkit.transcribe.backend import Segment, TranscriptionOptions, Word
from qa_toolkit.transcribe.pipeline import shifted
from qa_toolkit.transcribe.redaction import is_backchannel
from qa_toolkit.transcribe.turns import TurnText, channel_words, merge_turns

ASKER, ANSWERER = "agent", "customer"
WINDOW_MAX_S = 28.0  # one Whisper window (30 s) with room to spare
LEAD_S = 0.3  # the window starts this long before the question ends (an answer given over its last word)
TAIL_S = 0.6  # and ends this long after the last answer word when the agent says nothing more
BEAM_SIZE = 5
# The initial prompt per kind asked for first: numbers only, written the way the detectors read best (a sentence
# before them, "My card number is ...", makes Whisper skip the answer's first words as if they had been said).
PROMPTS = {"card": "4012 8888 8888 1881", "expiry": "05/29", "cvv": "737", "ssn": "123-45-6789",
           "phone": "415-555-0132", "account": "40128834"}

# One prompt for every kind: answers of several kinds share a clip (round 13: the best of the prompts tried for reading
# both transcripts, bench/results/spoken_pii_redecode_d10_d13_tiny.json).
PACKED_PROMPT = "4012 8888 8888 1881, 05/29, 737."

Transcribe = Callable[[np.ndarray, TranscriptionOptions], Iterable[Segment]]


@dataclass(frozen=True, slots=True)
class AnswerWindow:
    """Where the answer to a question for a number may be: ``[start_s, end_s)`` from the start of the recording."""

    start_s: float
    end_s: float
    kind: str


def answer_windows(turns: list[TurnText]) -> list[AnswerWindow]:
    """The windows of the answerer's audio that answer a question for a number, in time order, none overlapping."""
    windows: list[AnswerWindow] = []
    for index, question in enumerate(turns):
        if question.speaker != ASKER or is_backchannel(question.text):
            continue
        kinds = [k for k in asked_kinds(question.text) if k in PROMPTS]
        if not kinds:
            continue
        start = max(question.start_s, question.end_s - LEAD_S)
        end = start + WINDOW_MAX_S
        last_answer = None
        for later in turns[index + 1:]:
            if later.speaker == ASKER and not is_backchannel(later.text):
                end = min(end, later.start_s)
                break
            if later.speaker == ANSWERER:
                if later.start_s - (last_answer or question.end_s) > ANSWER_S:
                    break
                last_answer = later.end_s
        if last_answer is not None:
            end = min(end, last_answer + TAIL_S)
        if windows and start < windows[-1].end_s:
            start = windows[-1].end_s
        if end - start > LEAD_S:
            windows.append(AnswerWindow(round(start, 3), round(end, 3), kinds[0]))
    return windows


def redecode_options(options: TranscriptionOptions, kind: str) -> TranscriptionOptions:
    """The fixed options an answer window is decoded with."""
    return replace(options, beam_size=BEAM_SIZE, temperature=(0.0,), condition_on_previous_text=False,
                   initial_prompt=PROMPTS[kind], hotwords=None, vad_filter=True, word_timestamps=True)


def redecoded(segments: dict[str, list[Segment]], samples: np.ndarray, transcribe: Transcribe,
              options: TranscriptionOptions, offset_s: float = 0.0) -> dict[str, list[Segment]]:
    """``segments`` (per speaker, times from the start of the recording) with the answerer's words in each answer
    window replaced by those of the window decoded again; ``samples``: the answerer's channel from ``offset_s``."""
    if set(segments) != {ASKER, ANSWERER}:
        return segments
    turns = merge_turns({speaker: channel_words(segs) for speaker, segs in segments.items()})
    out = list(segments[ANSWERER])
    for window in answer_windows(turns):
        a = max(0, int((window.start_s - offset_s) * SAMPLE_RATE))
        b = min(len(samples), int((window.end_s - offset_s) * SAMPLE_RATE))
        if b - a < SAMPLE_RATE // 4:
            continue
        new = [moved for seg in transcribe(samples[a:b], redecode_options(options, window.kind))
               if (moved := shifted(seg, a / SAMPLE_RATE + offset_s)).words]
        if not new:
            continue
        out = [kept for seg in out if (kept := _without(seg, window.start_s, window.end_s)) is not None] + new
        out.sort(key=lambda s: s.start)
    return {**segments, ANSWERER: out}


def _without(segment: Segment, start_s: float, end_s: float) -> Segment | None:
    """The segment without its words whose middle is in ``[start_s, end_s)``; None when none is left."""
    inside = [start_s <= (w.start + w.end) / 2 < end_s for w in segment.words]
    if not any(inside):
        return segment if segment.words or not start_s <= segment.start < end_s else None
    words = [w for w, drop in zip(segment.words, inside, strict=True) if not drop]
    if not words:
        return None
    return replace(segment, start=words[0].start, end=words[-1].end, words=words,
                   text=" ".join(w.word for w in words))


def reheard(segments: dict[str, list[Segment]], samples: np.ndarray, transcribe: Transcribe,
            options: TranscriptionOptions, offset_s: float = 0.0) -> list[Segment]:
    """The answerer's words in every answer window decoded again, the windows packed into as few shared clips as
    fit (each clip one Whisper pass, VAD on, :data:`PACKED_PROMPT`); times from the start of the recording.
    ``samples``: the answerer's channel from ``offset_s``. Deterministic: the same audio gives the same words."""
    from qa_toolkit.transcribe.stereo import Unpacker, fewest_windows, pack

    if set(segments) != {ASKER, ANSWERER}:
        return []
    turns = merge_turns({speaker: channel_words(segs) for speaker, segs in segments.items()})
    chunks = []
    for window in answer_windows(turns):
        a = max(0, int((window.start_s - offset_s) * SAMPLE_RATE))
        b = min(len(samples), int((window.end_s - offset_s) * SAMPLE_RATE))
        if b - a >= SAMPLE_RATE // 4:
            chunks.append((a, b))
    clip_options = replace(redecode_options(options, "card"), initial_prompt=PACKED_PROMPT)
    out: list[Segment] = []
    for clip in fewest_windows([chunks]) if chunks else []:
        stream, pieces = pack([samples], clip)
        unpacker = Unpacker(pieces)
        out += [shifted(part, offset_s) for segment in transcribe(stream, clip_options)
                for _, part in unpacker.segments(segment) if part.words]
    return sorted(out, key=lambda s: s.start)


def reheard_turns(turns: list[TurnText], heard: list[Segment]) -> list[TurnText]:
    """The call's turns with the answerer's words where ``heard`` has words (each stretch of them, as decoded
    again) replaced by those: the second transcript redaction reads beside the first."""
    if not heard:
        return turns
    stretches = [(s.words[0].start, s.words[-1].end) for s in heard if s.words]

    def elsewhere(word: Word) -> bool:
        middle = (word.start + word.end) / 2
        return not any(a - LEAD_S <= middle < b + LEAD_S for a, b in stretches)

    words = {speaker: [w for t in turns if t.speaker == speaker for w in t.words
                       if speaker != ANSWERER or elsewhere(w)] for speaker in dict.fromkeys(t.speaker for t in turns)}
    words.setdefault(ANSWERER, [])
    words[ANSWERER] = sorted([*words[ANSWERER], *(w for s in heard for w in s.words)], key=lambda w: w.start)
    return merge_turns(words)
