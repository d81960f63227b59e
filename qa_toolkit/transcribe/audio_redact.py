"""A copy of a recording with stretches of time muted (or covered by a tone) on every channel, with PyAV.

Used to take spoken personal data out of call recordings: each span's time, widened by a margin on
both sides, is replaced on **all** channels (a customer's card number leaks into the agent's channel
as crosstalk). The copy keeps the container, codec, sample rate, channel layout and duration of the
original. It is written to a temporary file beside the target and renamed when complete, so a
failure (a codec that can be read but not written, a damaged file) leaves no partial output.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from qa_toolkit.errors import QAError
from qa_toolkit.transcribe.turns import union

MARGIN_S = 0.25
TONE_HZ = 1000.0
TONE_LEVEL = 0.1  # -20 dBFS
# Decoders whose encoder has another name in FFmpeg.
_ENCODERS = {"mp3": ("libmp3lame", "mp3"), "mp3float": ("libmp3lame", "mp3"), "opus": ("libopus", "opus"),
             "vorbis": ("libvorbis", "vorbis"), "aac": ("aac",), "wmav2": ("wmav2",)}


_LOSSY = {"libmp3lame", "libopus", "libvorbis", "vorbis", "aac", "wmav2", "mp2"}


class AudioRedactionError(QAError):
    """A recording whose spans cannot be muted (unreadable, or a codec FFmpeg here cannot write)."""


@dataclass(frozen=True)
class RedactedAudio:
    """What was written: the file, the muted intervals (seconds) and the audio duration."""

    path: Path
    intervals: tuple[tuple[float, float], ...]
    duration_s: float


def merge_intervals(spans: Sequence[tuple[float, float]], margin_s: float = MARGIN_S) -> list[tuple[float, float]]:
    """Spans widened by ``margin_s`` on both sides (never before 0), overlapping ones merged."""
    return [(s, e) for s, e in union((max(0.0, s - margin_s), e + margin_s) for s, e in spans)]


def _encoder(decoder: str, source: Path) -> tuple[str, dict[str, str]]:
    import av

    for name in (*_ENCODERS.get(decoder, ()), decoder):
        try:
            av.codec.Codec(name, "w")
        except (av.codec.codec.UnknownCodecError, ValueError):
            continue
        return name, ({"strict": "experimental"} if name in ("vorbis", "opus") else {})
    raise AudioRedactionError(f"{source}: codec {decoder} can be read but not written here")


def redact_audio(source: str | Path, target: str | Path, spans: Sequence[tuple[float, float]], *,
                 margin_s: float = MARGIN_S, tone: bool = False) -> RedactedAudio:
    """Write ``target``: ``source`` with every span (start_s, end_s), widened by ``margin_s``, silenced
    (or replaced by a 1 kHz tone) on all channels; same container, codec, rate, channels, duration.

    Raises:
        AudioRedactionError: the source cannot be decoded or its codec cannot be written; no file is left.
    """
    import av

    source, target = Path(source), Path(target)
    intervals = merge_intervals(spans, margin_s)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.partial")
    written = 0
    try:
        with av.open(str(source)) as inp:
            if not inp.streams.audio:
                raise AudioRedactionError(f"{source}: no audio stream")
            in_stream = inp.streams.audio[0]
            decoder = in_stream.codec_context.name
            rate, layout = in_stream.codec_context.sample_rate, in_stream.codec_context.layout.name
            if layout.endswith("channels"):  # an unspecified order ("2 channels"): the default one ("stereo")
                layout = {1: "mono", 2: "stereo"}.get(in_stream.codec_context.channels, layout)
            encoder, options = _encoder(decoder, source)
            with av.open(str(tmp), "w", format=inp.format.name.split(",")[0]) as out:
                out_stream = out.add_stream(encoder, rate=rate, layout=layout)
                if options:
                    out_stream.codec_context.options = options
                if in_stream.codec_context.bit_rate and encoder in _LOSSY:
                    out_stream.bit_rate = in_stream.codec_context.bit_rate
                out_stream.codec_context.open()  # now its frame size is known (ADPCM blocks, MP3 frames)
                planar = av.AudioResampler(format="fltp", layout=layout, rate=rate)
                to_encoder = av.AudioResampler(format=out_stream.codec_context.format.name, layout=layout, rate=rate,
                                               frame_size=out_stream.codec_context.frame_size or None)
                bounds = [(round(s * rate), round(e * rate)) for s, e in intervals]

                def encode(frame: av.AudioFrame | None) -> None:
                    for chunk in [*to_encoder.resample(frame)] if frame is not None else [*to_encoder.resample(None), None]:
                        for packet in out_stream.encode(chunk):
                            out.mux(packet)

                for packet in inp.demux(in_stream):
                    for decoded in packet.decode():
                        for frame in planar.resample(decoded):
                            written = _mute(frame, written, bounds, rate, tone, encode, layout)
                for frame in planar.resample(None):
                    written = _mute(frame, written, bounds, rate, tone, encode, layout)
                encode(None)
        if written == 0:
            raise AudioRedactionError(f"{source}: no audio decoded")
        os.replace(tmp, target)
    except AudioRedactionError:
        raise
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        raise AudioRedactionError(f"{source}: cannot write a redacted copy as {target.suffix or 'this format'} "
                                  f"({exc.__class__.__name__}: {exc})") from None
    finally:
        tmp.unlink(missing_ok=True)
    return RedactedAudio(target, tuple(intervals), written / rate)


def _mute(frame, offset: int, bounds: list[tuple[int, int]], rate: int, tone: bool,  # type: ignore[no-untyped-def]
          encode, layout: str) -> int:
    """Silence (or tone) the part of one planar float frame inside ``bounds``; hand it on; the next offset."""
    import av

    samples = frame.to_ndarray()
    n = samples.shape[1]
    changed = False
    for start, end in bounds:
        s, e = max(start, offset), min(end, offset + n)
        if s < e:
            if not changed:
                samples = samples.copy()
                changed = True
            if tone:
                t = np.arange(s, e) / rate
                samples[:, s - offset:e - offset] = TONE_LEVEL * np.sin(2 * np.pi * TONE_HZ * t)
            else:
                samples[:, s - offset:e - offset] = 0.0
    if changed:
        new = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples, dtype=np.float32), format="fltp", layout=layout)
        new.sample_rate = rate
        new.pts = None
        frame = new
    else:
        frame.pts = None
    encode(frame)
    return offset + n
