"""The one small interface every Whisper backend implements."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np


@dataclass
class Word:
    """A word with its timing in seconds from the start of the audio."""

    start: float
    end: float
    word: str
    probability: float


@dataclass
class Segment:
    """A stretch of recognised speech."""

    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)
    avg_logprob: float = 0.0
    no_speech_prob: float = 0.0


@dataclass
class TranscriptionOptions:
    """Options every backend understands."""

    language: str | None = "en"
    word_timestamps: bool = True
    vad_filter: bool = True
    beam_size: int = 5
    initial_prompt: str | None = None
    hotwords: str | None = None


class Backend(Protocol):
    """A loaded Whisper model that turns 16 kHz mono float32 audio into segments."""

    name: str

    def transcribe(self, audio: np.ndarray, options: TranscriptionOptions) -> Iterable[Segment]:
        """Transcribe one channel of 16 kHz mono float32 samples; segments in time order."""
        ...
