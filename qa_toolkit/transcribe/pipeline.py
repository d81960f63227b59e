"""One recording, end to end: decode, transcribe each channel, merge into speaker turns, time the call.

Stereo files: both channels' speech is packed into Whisper windows decoded once, crosstalk left out
(``pack_channels``, the default, beam 2: :mod:`qa_toolkit.transcribe.stereo`; without it each channel is transcribed
on its own, beam 5), VAD on, word timestamps on, and each channel's words are labelled agent or customer
(``agent_channel`` says which side the agent is on, ``left`` by default).
Mono files get the single speaker ``unknown`` (or the one a sidecar names), unless ``diarize`` is
on: then the words are attributed to diarized speakers and roles (:mod:`qa_toolkit.transcribe.speakers`).
With ``redecode_answers`` on, a stereo call's customer answers to questions for a number are decoded once more the
digit-friendly way before crosstalk is cut (:mod:`qa_toolkit.transcribe.redecode`). With ``reread_answers`` on,
they are decoded once more packed into shared clips and kept beside the first decode (``Transcript.reheard``), for
redaction to read both (:func:`qa_toolkit.transcribe.redecode.reheard`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from qa_toolkit.transcribe import crosstalk
from qa_toolkit.transcribe.audio import SILENCE_PEAK, DecodedAudio, decode_windows
from qa_toolkit.transcribe.backend import Backend, Segment, TranscriptionOptions, Word
from qa_toolkit.transcribe.guard import guard
from qa_toolkit.transcribe.pauses import pauses
from qa_toolkit.transcribe.sounds import SoundFrames, silence_sounds
from qa_toolkit.transcribe.speakers import SpeakerHints
from qa_toolkit.transcribe.turns import CallTiming, TurnText, call_timing, channel_words, merge_turns

if TYPE_CHECKING:
    from qa_toolkit.transcribe.redaction import CallSpan

AgentChannel = Literal["left", "right"]
Transcribe = Callable[[np.ndarray, TranscriptionOptions], Iterable[Segment]]
DIARIZE_MAX_S = 3600.0  # a longer mono call is not diarized (its samples would be kept whole): needs review


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
        reheard: with ``reread_answers``, the turns with the customer's answers as decoded again (clear text:
            :meth:`redacted` reads them and leaves them out).
        pauses: each channel's pauses (start_s, end_s) by the channel's speaker label, in memory only: audio
            redaction widens a muted span to them (:mod:`qa_toolkit.transcribe.pauses`).
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
    reheard: list[TurnText] | None = None
    pauses: dict[str, list[tuple[float, float]]] | None = field(default=None, repr=False, compare=False)

    def pauses_of(self, speaker: str) -> list[tuple[float, float]] | None:
        """The pauses in ``speaker``'s channel (a mono call's one channel, whoever speaks); None where unknown."""
        if not self.pauses:
            return None
        return next(iter(self.pauses.values())) if len(self.pauses) == 1 else self.pauses.get(speaker)

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
        from qa_toolkit.transcribe.redaction import find_call_pii, redact_turns, union_spans

        started = time.perf_counter()
        spans = find_call_pii(self.turns)
        if self.reheard:
            spans = union_spans(self.turns, spans, self.reheard)
        turns = redact_turns(self.turns, spans, keep_last=keep_last)
        return replace(self, turns=turns, segments={}, pii_spans=spans, pii_redacted=True, reheard=None,
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
    return transcribe_windows([audio], backend, options, agent_channel=agent_channel, mono_speaker=mono_speaker,
                               diarize=diarize, hints=hints)


def _channel_segments(window: DecodedAudio, speakers: list[str], backend: Backend, options: TranscriptionOptions,
                      ) -> tuple[dict[str, list[Segment]], list[dict[str, object]], list[Segment]]:
    """One window's segments per speaker (times from the start of the recording), the guard's flags, and with
    ``reread_answers`` the customer's answers decoded again (:func:`qa_toolkit.transcribe.redecode.reheard`).

    With VAD on and both sides of a call holding sound, the two channels' speech is packed into windows decoded
    once each when ``options.pack_channels`` is on (:func:`qa_toolkit.transcribe.stereo.transcribe_packed`);
    otherwise each channel on its own. The guard then checks each channel's segments on that channel's audio.
    """
    segments: dict[str, list[Segment]] = {}
    flags: list[dict[str, object]] = []
    heard = {speaker: samples for speaker, samples in zip(speakers, window.channels, strict=True)
             if not speaker.startswith("channel")  # a third or later channel is not part of an agent/customer call
             and samples.size and float(np.abs(samples).max()) >= SILENCE_PEAK}  # else nothing to ask Whisper
    decoded: dict[str, Iterable[Segment]] = {}
    if len(heard) == 2 and options.vad_filter and options.pack_channels:
        from qa_toolkit.transcribe.stereo import transcribe_packed

        packed = transcribe_packed(list(heard.values()), backend.transcribe, options,
                                   getattr(backend, "transcribe_clips", None))
        decoded = dict(zip(heard, packed, strict=True))
    for speaker in speakers:
        if speaker.startswith("channel"):
            continue
        removed: list[Segment] = []
        samples = heard.get(speaker)
        if samples is None:
            found: list[Segment] = []
        else:
            raw = decoded[speaker] if speaker in decoded else backend.transcribe(samples, options)
            found = guard(raw, samples, backend.transcribe, options, removed) if options.guard else list(raw)
        segments[speaker] = [shifted(seg, window.offset_s) for seg in found]
        flags += [{"speaker": speaker, "start_s": round(seg.start + window.offset_s, 2),
                   "end_s": round(seg.end + window.offset_s, 2), "flags": seg.flags}
                  for seg in sorted([*found, *removed], key=lambda s: s.start) if seg.flags]
    if options.redecode_answers and "customer" in heard:
        from qa_toolkit.transcribe.redecode import redecoded

        segments = redecoded(segments, heard["customer"], backend.transcribe, options, window.offset_s)
    again: list[Segment] = []
    if options.reread_answers and "customer" in heard:
        from qa_toolkit.transcribe.redecode import reheard

        again = reheard(segments, heard["customer"], backend.transcribe, options, window.offset_s)
    if options.crosstalk and len(segments) == 2:
        samples = {speaker: channel for speaker, channel in zip(speakers, window.channels, strict=True)
                   if speaker in segments}
        segments, leaks = crosstalk.suppress(segments, samples, window.offset_s)
        flags += leaks
    return segments, flags, again


def shifted(segment: Segment, offset_s: float) -> Segment:
    """The segment with its times (and its words') moved ``offset_s`` later."""
    if not offset_s:
        return segment
    return replace(segment, start=segment.start + offset_s, end=segment.end + offset_s,
                   words=[Word(w.start + offset_s, w.end + offset_s, w.word, w.probability) for w in segment.words])


def transcribe_windows(windows: Iterable[DecodedAudio], backend: Backend, options: TranscriptionOptions | None,
                        *, agent_channel: AgentChannel, mono_speaker: str, diarize: bool,
                        hints: SpeakerHints | None, rehear: Transcribe | None = None) -> Transcript:
    """Transcribe a recording window by window (one window: all of it) into one transcript. ``rehear``: a larger
    model's transcribe function, for a diarized mono call whose words did not decide the roles
    (:mod:`qa_toolkit.transcribe.rehear`); None hears nothing again."""
    options = options or TranscriptionOptions()
    segments: dict[str, list[Segment]] = {}
    flags: list[dict[str, object]] = []
    heard_again: list[Segment] = []
    decode_s = transcribe_s = 0.0
    first: DecodedAudio | None = None
    mono: list[np.ndarray] = []  # a mono call's samples, kept for diarization up to DIARIZE_MAX_S
    sounds = SoundFrames()  # each channel's frame levels and flatness: what plays in the silences
    duration_s = 0.0
    iterator = iter(windows)
    while True:
        started = time.perf_counter()
        window = next(iterator, None)
        decode_s += time.perf_counter() - started
        if window is None:
            break
        if first is None:
            first, options = window, options.for_call(window.channel_count)  # stored as decided
        duration_s = window.offset_s + window.duration_s
        sounds.add(window.channels)
        if diarize and window.channel_count == 1 and duration_s <= DIARIZE_MAX_S:
            mono.append(window.channels[0])
        started = time.perf_counter()
        speakers = speakers_for(first.channel_count, agent_channel, mono_speaker)
        found, window_flags, again = _channel_segments(window, speakers, backend, options)
        heard_again += again
        for speaker, segs in found.items():
            segments.setdefault(speaker, []).extend(segs)
        flags += window_flags
        transcribe_s += time.perf_counter() - started
    assert first is not None, "decode_windows yields at least one window or raises"
    words = {speaker: channel_words(segs) for speaker, segs in segments.items()}
    attribution, diarize_s = None, 0.0
    if diarize and first.channel_count == 1 and mono_speaker == "unknown":
        started = time.perf_counter()
        if duration_s <= DIARIZE_MAX_S:
            whole = replace(first, channels=[mono[0] if len(mono) == 1 else np.concatenate(mono)], offset_s=0.0)
            words, attribution = _diarized_words(whole, words[mono_speaker], hints, rehear)
        else:
            from qa_toolkit.transcribe.diarize import ENGINE

            attribution = {"engine": ENGINE, "speakers": None, "needs_review": True,
                           "reason": f"too long to tell speakers apart ({duration_s / 60:.0f} min > "
                                     f"{DIARIZE_MAX_S / 60:.0f} min)"}
        diarize_s = time.perf_counter() - started
    turns = merge_turns(words)
    for turn in turns:
        turn.speaker = turn.speaker.split("#")[0]  # undecided speakers: unknown#1, unknown#2 → unknown
    timing_words: dict[str, list[Word]] = {}
    for key, role_words in words.items():
        timing_words.setdefault(key.split("#")[0], []).extend(role_words)
    timing = call_timing(timing_words, duration_s)
    labels = speakers_for(first.channel_count, agent_channel, mono_speaker)
    timing.sounds = silence_sounds(sounds, timing.silences, labels)
    return Transcript(
        turns=turns, segments=segments,
        timing=timing,
        duration_s=duration_s, channels=first.channel_count, codec=first.codec,
        language=options.language, decode_s=decode_s, transcribe_s=transcribe_s, diarize_s=diarize_s,
        speakers=attribution, flags=flags, provenance=provenance(backend, options),
        reheard=_reheard_turns(turns, heard_again) if heard_again else None,
        pauses={label: pauses(sounds.channel(i)[0]) for i, label in enumerate(labels)},
    )


def _reheard_turns(turns: list[TurnText], heard: list[Segment]) -> list[TurnText]:
    from qa_toolkit.transcribe.redecode import reheard_turns

    return reheard_turns(turns, heard)


def provenance(backend: Backend, options: TranscriptionOptions) -> dict[str, object]:
    """What the transcript was made with: the backend's model, hash, device, threads and versions, and the options."""
    describe = getattr(backend, "provenance", None)
    return {**(describe() if describe else {"backend": getattr(backend, "name", None)}), "options": options.as_dict()}


def _diarized_words(audio: DecodedAudio, words: list[Word], hints: SpeakerHints | None,
                    rehear: Transcribe | None = None) -> tuple[dict[str, list[Word]], dict[str, object]]:
    """A mono call's words by role, and the attribution summary (engine, speakers, roles, confidence, review); a
    call flagged for want of word evidence has each voice's opening heard again by ``rehear`` (:mod:`.rehear`)."""
    from qa_toolkit.transcribe.diarize import ENGINE, diarize
    from qa_toolkit.transcribe.rehear import decide_again, wanted
    from qa_toolkit.transcribe.speakers import MIN_CALL_S, attribute

    if not words:
        return {"unknown": []}, {"engine": ENGINE, "speakers": 0, "needs_review": False, "reason": "no speech"}
    if audio.duration_s < MIN_CALL_S:
        return {"unknown": words}, {"engine": ENGINE, "speakers": None, "needs_review": True,
                                    "reason": f"too short to tell speakers apart ({audio.duration_s:.1f} s "
                                              f"< {MIN_CALL_S:.0f} s)"}
    diarization = diarize(audio.channels[0])
    grouped, attribution = attribute(words, diarization, hints)
    if rehear is not None and attribution.needs_review and wanted(attribution.reason, attribution.speakers):
        again = decide_again(audio.channels[0], words, diarization, hints, rehear, attribution)
        if again is not None:
            grouped, attribution = again
    return grouped, {"engine": ENGINE, **attribution.as_dict()}


def transcribe_file(path: str | Path, backend: Backend, options: TranscriptionOptions | None = None, *,
                    agent_channel: AgentChannel = "left", mono_speaker: str = "unknown",
                    diarize: bool = False, hints: SpeakerHints | None = None,
                    rehear: Transcribe | None = None) -> Transcript:
    """Decode ``path`` and transcribe it into speaker turns (``rehear``: see :func:`transcribe_windows`).

    The file is decoded and transcribed in windows of about 5 minutes (cut where it is quiet), so the whole
    recording is never held in memory (10 hours of faint noise peak at ~0.5 GB with tiny.en: see
    bench/audio_memory.py); mono calls are diarized up to ``DIARIZE_MAX_S``.

    Raises:
        AudioError: the file is empty, unsupported, corrupt, truncated or silent.
    """
    return transcribe_windows(decode_windows(path), backend, options, agent_channel=agent_channel,
                               mono_speaker=mono_speaker, diarize=diarize, hints=hints, rehear=rehear)
