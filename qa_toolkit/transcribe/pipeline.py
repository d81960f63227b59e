"""One recording, end to end: decode, transcribe each channel, merge into speaker turns, time the call.

Stereo files: each channel is transcribed on its own (VAD on, word timestamps on) and labelled
agent or customer (``agent_channel`` says which side the agent is on, ``left`` by default).
Mono files get the single speaker ``unknown`` (or the one a sidecar names), unless ``diarize`` is
on: then the words are attributed to diarized speakers and roles (:mod:`qa_toolkit.transcribe.speakers`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from qa_toolkit.transcribe.audio import DecodedAudio, decode
from qa_toolkit.transcribe.backend import Backend, Segment, TranscriptionOptions, Word
from qa_toolkit.transcribe.guard import guard
from qa_toolkit.transcribe.speakers import SpeakerHints
from qa_toolkit.transcribe.turns import CallTiming, TurnText, call_timing, channel_words, merge_turns

if TYPE_CHECKING:
    from qa_toolkit.transcribe.redaction import CallSpan

AgentChannel = Literal["left", "right"]


@dataclass
class Transcript:
    """A transcribed recording.

    Attributes:
        turns: speaker turns in time order.
        segments: the raw segments per speaker.
        timing: talk time, silences, holds, overtalk.
        duration_s: decoded audio length; ``channels``: the file's channel count.
        decode_s, transcribe_s, redact_s: wall-clock seconds spent on each step.
        pii_spans, pii_redacted: after :meth:`redacted`, the personal data found and that it is redacted.
    """

    turns: list[TurnText]
    segments: dict[str, list[Segment]]
    timing: CallTiming
    duration_s: float
    channels: int
    codec: str
    language: str | None
    decode_s: float = 0.0
    transcribe_s: float = 0.0
    warnings: list[str] = field(default_factory=list)
    pii_spans: list[CallSpan] = field(default_factory=list)
    pii_redacted: bool = False
    redact_s: float = 0.0
    speakers: dict[str, object] | None = None  # mono calls: diarization and role attribution, see speakers.py
    diarize_s: float = 0.0
    flags: list[dict[str, object]] = field(default_factory=list)  # segments the hallucination guard touched
    provenance: dict[str, object] = field(default_factory=dict)  # options, model, hash, versions (provenance.py)

    @property
    def text(self) -> str:
        """All turns' text, one line each."""
        return "\n".join(f"{t.speaker}: {t.text}" for t in self.turns)

    @property
    def rtf(self) -> float:
        """Realtime factor: processing seconds per audio second (lower is faster)."""
        return (self.decode_s + self.transcribe_s + self.diarize_s) / self.duration_s if self.duration_s else 0.0

    def redacted(self, *, keep_last: int | None = None) -> Transcript:
        """A copy with personal data in the turns replaced by typed placeholders, as stored: each span's words
        become one placeholder word with their timing (see :mod:`qa_toolkit.transcribe.redaction`); the raw
        segments are left out. ``pii_spans`` holds the spans found (kinds, offsets, times; never values)."""
        if self.pii_redacted:
            return self
        from qa_toolkit.transcribe.redaction import find_call_pii, redact_turns

        started = time.perf_counter()
        spans = find_call_pii(self.turns)
        turns = redact_turns(self.turns, spans, keep_last=keep_last)
        return replace(self, turns=turns, segments={}, pii_spans=spans, pii_redacted=True,
                       redact_s=time.perf_counter() - started)


def speakers_for(channels: int, agent_channel: AgentChannel = "left", mono_speaker: str = "unknown") -> list[str]:
    """The speaker label of each channel: agent/customer for two channels, ``mono_speaker`` for one."""
    if channels == 1:
        return [mono_speaker]
    pair = ["agent", "customer"] if agent_channel == "left" else ["customer", "agent"]
    return pair + [f"channel{i + 1}" for i in range(2, channels)]


def transcribe_audio(audio: DecodedAudio, backend: Backend, options: TranscriptionOptions | None = None, *,
                     agent_channel: AgentChannel = "left", mono_speaker: str = "unknown",
                     diarize: bool = False, hints: SpeakerHints | None = None) -> Transcript:
    """Transcribe already decoded audio (see :func:`transcribe_file`)."""
    options = options or TranscriptionOptions()
    started = time.perf_counter()
    speakers = speakers_for(audio.channel_count, agent_channel, mono_speaker)
    segments: dict[str, list[Segment]] = {}
    flags: list[dict[str, object]] = []
    for speaker, samples in zip(speakers, audio.channels, strict=True):
        if speaker.startswith("channel"):
            continue  # a third or later channel is not part of an agent/customer call
        removed: list[Segment] = []
        if options.guard:
            segments[speaker] = guard(backend.transcribe(samples, options), samples, backend.transcribe, options,
                                      removed)
        else:
            segments[speaker] = list(backend.transcribe(samples, options))
        flags += [{"speaker": speaker, "start_s": round(seg.start, 2), "end_s": round(seg.end, 2), "flags": seg.flags}
                  for seg in sorted([*segments[speaker], *removed], key=lambda s: s.start) if seg.flags]
    words = {speaker: channel_words(segs) for speaker, segs in segments.items()}
    transcribe_s = time.perf_counter() - started
    attribution, diarize_s = None, 0.0
    if diarize and audio.channel_count == 1 and mono_speaker == "unknown":
        started = time.perf_counter()
        words, attribution = _diarized_words(audio, words[mono_speaker], hints)
        diarize_s = time.perf_counter() - started
    turns = merge_turns(words)
    for turn in turns:
        turn.speaker = turn.speaker.split("#")[0]  # undecided speakers: unknown#1, unknown#2 → unknown
    timing_words: dict[str, list[Word]] = {}
    for key, role_words in words.items():
        timing_words.setdefault(key.split("#")[0], []).extend(role_words)
    return Transcript(
        turns=turns, segments=segments,
        timing=call_timing(timing_words, audio.duration_s),
        duration_s=audio.duration_s, channels=audio.channel_count, codec=audio.codec,
        language=options.language, transcribe_s=transcribe_s, diarize_s=diarize_s, speakers=attribution,
        flags=flags, provenance=provenance(backend, options),
    )


def provenance(backend: Backend, options: TranscriptionOptions) -> dict[str, object]:
    """What the transcript was made with: the backend's model, hash, device, threads and versions, and the options."""
    describe = getattr(backend, "provenance", None)
    return {**(describe() if describe else {"backend": getattr(backend, "name", None)}), "options": options.as_dict()}


def _diarized_words(audio: DecodedAudio, words: list[Word],
                    hints: SpeakerHints | None) -> tuple[dict[str, list[Word]], dict[str, object]]:
    """A mono call's words by role, and the attribution summary (engine, speakers, roles, confidence, review)."""
    from qa_toolkit.transcribe.diarize import ENGINE, diarize
    from qa_toolkit.transcribe.speakers import MIN_CALL_S, attribute

    if not words:
        return {"unknown": []}, {"engine": ENGINE, "speakers": 0, "needs_review": False, "reason": "no speech"}
    if audio.duration_s < MIN_CALL_S:
        return {"unknown": words}, {"engine": ENGINE, "speakers": None, "needs_review": True,
                                    "reason": f"too short to tell speakers apart ({audio.duration_s:.1f} s "
                                              f"< {MIN_CALL_S:.0f} s)"}
    diarization = diarize(audio.channels[0])
    grouped, attribution = attribute(words, diarization, hints)
    return grouped, {"engine": ENGINE, **attribution.as_dict()}


def transcribe_file(path: str | Path, backend: Backend, options: TranscriptionOptions | None = None, *,
                    agent_channel: AgentChannel = "left", mono_speaker: str = "unknown",
                    diarize: bool = False, hints: SpeakerHints | None = None) -> Transcript:
    """Decode ``path`` and transcribe it into speaker turns.

    Raises:
        AudioError: the file is empty, unsupported, corrupt, truncated or silent.
    """
    started = time.perf_counter()
    audio = decode(path)
    decode_s = time.perf_counter() - started
    transcript = transcribe_audio(audio, backend, options, agent_channel=agent_channel, mono_speaker=mono_speaker,
                                  diarize=diarize, hints=hints)
    transcript.decode_s = decode_s
    return transcript
