"""Shared helpers for the transcription tests: sample calls and damaged copies of them."""

from __future__ import annotations

import wave
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from qa_toolkit.transcribe.backend import Word
from qa_toolkit.transcribe.redaction import CallSpan, find_call_pii
from qa_toolkit.transcribe.turns import TurnText

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "calls"
SAMPLE_CALLS = sorted(p for p in SAMPLES.iterdir() if p.suffix in {".wav", ".mp3", ".flac", ".ogg"})


def make_bad_files(folder: Path) -> dict[str, str]:
    """Write one file of each bad kind into ``folder``; returns file name → expected failure kind."""
    folder.mkdir(parents=True, exist_ok=True)
    wav = (SAMPLES / "call_01_billing.wav").read_bytes()
    mp3 = (SAMPLES / "call_02_hold.mp3").read_bytes()
    ogg = (SAMPLES / "call_05_password.ogg").read_bytes()
    (folder / "empty.wav").write_bytes(b"")
    (folder / "notes.mp3").write_text("this is a text file, not audio\n" * 20)
    (folder / "cut.wav").write_bytes(wav[: len(wav) // 2])
    (folder / "cut.mp3").write_bytes(mp3[: len(mp3) // 2 + 100])  # mid-frame (the sample has 288-byte frames)
    (folder / "cut.ogg").write_bytes(ogg[: len(ogg) // 2])
    damaged = bytearray(mp3)
    third = len(damaged) // 3
    damaged[third: 2 * third] = bytes((i * 73 + 41) % 256 for i in range(third))  # garbage in the middle
    (folder / "garbled.mp3").write_bytes(bytes(damaged))
    with wave.open(str(folder / "silence.wav"), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0" * 8000 * 4 * 3)
    return {"empty.wav": "empty", "notes.mp3": "unsupported", "cut.wav": "truncated", "cut.mp3": "truncated",
            "cut.ogg": "truncated", "garbled.mp3": "corrupt", "silence.wav": "silent"}


def encode(source: Path, target: Path, codec: str, container: str, rate: int = 48000) -> Path:
    """Re-encode a sample call with PyAV (Opus in Ogg, AAC in M4A: formats sox cannot write)."""
    import av
    import numpy as np

    from qa_toolkit.transcribe.audio import SAMPLE_RATE, decode

    audio = decode(source)
    frame = av.AudioFrame.from_ndarray(np.stack(audio.channels).astype(np.float32), format="fltp", layout="stereo")
    frame.sample_rate = SAMPLE_RATE
    frame.pts, frame.time_base = 0, Fraction(1, SAMPLE_RATE)  # unset, the encoder makes timestamps up, and on some
    # lengths (call_03 at 16.68 s) gives AAC's last packet the dts of the one before: the MP4 muxer refuses it
    with av.open(str(target), "w", format=container) as out:
        stream = out.add_stream(codec, rate=rate, layout="stereo")
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="stereo", rate=rate)
        for chunk in [*resampler.resample(frame), *resampler.resample(None), None]:
            for packet in stream.encode(chunk):
                out.mux(packet)
    return target


def turn(speaker: str, start: float, text: str, step: float = 0.4) -> TurnText:
    """A transcribed turn of ``text``, one word every ``step`` seconds from ``start``."""
    words = [Word(round(start + i * step, 2), round(start + (i + 1) * step, 2), w, 0.9)
             for i, w in enumerate(text.split())]
    return TurnText(speaker, start, words[-1].end, text, words)


def said(turns: Sequence[TurnText], spans: Sequence[CallSpan]) -> list[tuple[str, int, str]]:
    """Each span as (kind, turn, the words it covers)."""
    return [(s.kind, s.turn, turns[s.turn].text[s.start:s.end]) for s in spans]


def found(turns: Sequence[TurnText]) -> list[tuple[str, int, str]]:
    """The personal data :func:`find_call_pii` finds in ``turns``, as (kind, turn, the words it covers)."""
    return said(turns, find_call_pii(turns))
