"""The one small interface every Whisper backend implements."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Protocol

import numpy as np

from qa_toolkit.transcribe import DEFAULT_BEAM_SIZE, PACKED_BEAM_SIZE


_NOT_WORD = re.compile(r"[^\w]+")
_NOT_WORD_KEEP_APOSTROPHES = re.compile(r"[^\w']+")


@dataclass
class Word:
    """A word with its timing in seconds from the start of the audio."""

    start: float
    end: float
    word: str
    probability: float


def bare(word: str, *, apostrophes: bool = False) -> str:
    """A token lower-cased without spaces or punctuation (apostrophes kept with ``apostrophes``): what loops and
    leaked words are compared by."""
    return (_NOT_WORD_KEEP_APOSTROPHES if apostrophes else _NOT_WORD).sub("", word.lower())


@dataclass
class Segment:
    """A stretch of recognised speech."""

    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0
    compression_ratio: float = 0.0
    flags: list[str] = field(default_factory=list)  # set by the hallucination guard (see guard.py)


@dataclass
class TranscriptionOptions:
    """Options every backend understands, all explicit so that a stored transcript can be re-run.

    Decoding is deterministic by default: beam search at temperature 0 only, no temperature
    fallback (which samples at random when a window fails the compression-ratio or log-prob test),
    no conditioning on the previous window's text. Windows that fail those tests are handled by the
    hallucination guard (:mod:`qa_toolkit.transcribe.guard`), which re-decodes them deterministically.

    ``beam_size`` None and ``pack_channels`` are decided per call by :meth:`for_call` (stored as decided).
    """

    language: str | None = "en"
    word_timestamps: bool = True
    vad_filter: bool = True
    beam_size: int | None = None  # None: PACKED_BEAM_SIZE on a packed stereo call, else DEFAULT_BEAM_SIZE
    initial_prompt: str | None = None
    hotwords: str | None = None
    temperature: tuple[float, ...] = (0.0,)
    best_of: int = 5
    patience: float = 1.0
    length_penalty: float = 1.0
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    compression_ratio_threshold: float = 2.4
    log_prob_threshold: float = -1.0
    no_speech_threshold: float = 0.6
    condition_on_previous_text: bool = False
    guard: bool = True
    crosstalk: bool = True  # drop words of one side leaking into the other channel (see crosstalk.py)
    pack_channels: bool = True  # stereo: both channels' speech packed into windows decoded once (stereo.py)
    recover_speech: bool = True  # packed: speech the VAD missed after hold music searched again (stereo.recovered)
    vad_skip_leaks: bool = True  # packed: no VAD on a channel's long stretches of leak only (stereo.listened)
    max_fill_s: float = 27.5  # packed: windows filled up to this many seconds where that makes fewer (stereo.fewest_windows)
    redecode_answers: bool = False  # stereo: the customer's answers to a question for a number decoded again (redecode)
    reread_answers: bool = False  # stereo: those answers decoded again packed, read beside the first (redecode.reheard)

    @property
    def beam(self) -> int:
        """The beam width to decode with (``beam_size``, or ``DEFAULT_BEAM_SIZE`` when not decided)."""
        return DEFAULT_BEAM_SIZE if self.beam_size is None else self.beam_size

    def for_call(self, channels: int) -> TranscriptionOptions:
        """The options as they run on a call of ``channels`` channels: packing only for two or more channels with
        VAD on, and ``beam_size`` None decided (``PACKED_BEAM_SIZE`` when packed, else ``DEFAULT_BEAM_SIZE``)."""
        packed = self.pack_channels and channels >= 2 and self.vad_filter
        beam = self.beam_size if self.beam_size is not None else PACKED_BEAM_SIZE if packed else DEFAULT_BEAM_SIZE
        return replace(self, pack_channels=packed, beam_size=beam)

    def as_dict(self) -> dict[str, Any]:
        """Plain data, as stored with each transcript (``temperature`` as a list)."""
        data = asdict(self)
        data["temperature"] = list(self.temperature)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TranscriptionOptions:
        """Options from :meth:`as_dict` (unknown keys ignored: written by a newer version)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values.setdefault("crosstalk", False)  # stored before crosstalk suppression existed: reproduce without it
        values.setdefault("pack_channels", False)  # stored before packing existed: each channel on its own
        values.setdefault("recover_speech", False)  # stored before the packed path searched pauses again
        values.setdefault("vad_skip_leaks", False)  # stored before the VAD skipped leak-only stretches
        values.setdefault("max_fill_s", 25.0)  # stored when every packed window held at most 25 s
        values.setdefault("redecode_answers", False)  # stored before answers were decoded again
        values.setdefault("reread_answers", False)  # stored before answers were read twice
        if "temperature" in values:
            values["temperature"] = tuple(float(t) for t in values["temperature"])
        return cls(**values)


class Backend(Protocol):
    """A loaded Whisper model that turns 16 kHz mono float32 audio into segments."""

    name: str

    def transcribe(self, audio: np.ndarray, options: TranscriptionOptions) -> Iterable[Segment]:
        """Transcribe one channel of 16 kHz mono float32 samples; segments in time order."""
        ...

    def provenance(self) -> dict[str, object]:
        """Backend, model, model hash, device, threads and package versions (see provenance.py)."""
        ...
