"""Audio decoding with PyAV: every channel kept apart, resampled to 16 kHz, checked for damage.

Whisper wants 16 kHz mono float32. A two-channel call (agent on one side, customer on the other)
is decoded into one array per channel, using the file's real channel count (faster-whisper's
``decode_audio(split_stereo=True)`` silently duplicates a mono file). Two channels that carry the
same signal (correlation above 0.98: a mono recording saved as stereo) count as one. A file that decodes shorter
than its container declares (PyAV ``container.duration``, the WAV header's data size) is reported
``truncated`` rather than transcribed in part as if it were whole.
"""

from __future__ import annotations

import ctypes
import functools
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16_000
TRUNCATION_TOLERANCE_S = 1.0
DUAL_MONO_CORRELATION = 0.98
SILENCE_PEAK = 10 ** (-55 / 20)  # -55 dBFS: below this everywhere, a file holds no speech
AUDIO_EXTENSIONS = (".wav", ".mp3", ".ogg", ".opus", ".m4a", ".flac", ".aac", ".wma", ".webm", ".au")


MMAP_THRESHOLD_BYTES = 8 << 20  # a 5-minute window is ~19 MB per channel; most temporaries are smaller


@functools.cache
def windows_return_to_os() -> bool:
    """Have glibc serve each allocation of ``MMAP_THRESHOLD_BYTES`` or more by its own mmap, so that a decoded
    window, once freed, goes back to the system. Left to itself glibc raises that threshold after the first
    large free, later windows come from the heap, and the heap fragments: ~55 MB more per hour of audio
    (bench/audio_memory.py). True where the setting took (Linux with glibc); elsewhere nothing changes."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (musl): its allocator has no such threshold
        return False
    m_mmap_threshold = -3  # <malloc.h>
    return bool(libc.mallopt(m_mmap_threshold, MMAP_THRESHOLD_BYTES))


class AudioError(Exception):
    """A file that cannot be transcribed; ``kind`` is one of empty, unsupported, corrupt, truncated, silent."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind


@dataclass
class DecodedAudio:
    """A decoded recording.

    Attributes:
        channels: one float32 array of 16 kHz samples per channel of the file.
        source_rate: the file's sample rate.
        codec: the audio codec name (``pcm_s16le``, ``pcm_mulaw``, ``mp3``, ...).
        container: the container format name (``wav``, ``mp3``, ``ogg``, ...).
        declared_s: the duration the container declares, or None when it declares none.
        file_channels: the channel count of the file (2 for a dual-mono file kept as 1 channel).
    """

    channels: list[np.ndarray]
    source_rate: int
    codec: str
    container: str
    declared_s: float | None
    file_channels: int = 0
    offset_s: float = 0.0  # where this window starts in the recording (see decode_windows)

    @property
    def duration_s(self) -> float:
        """The decoded duration in seconds."""
        return len(self.channels[0]) / SAMPLE_RATE if self.channels else 0.0

    @property
    def channel_count(self) -> int:
        return len(self.channels)


def wav_declared_seconds(path: Path) -> float | None:
    """The duration a RIFF/WAVE header declares (data chunk size / byte rate), or None."""
    try:
        with path.open("rb") as fh:
            head = fh.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                return None
            byte_rate = None
            while chunk := fh.read(8):
                if len(chunk) < 8:
                    return None
                name, size = chunk[:4], struct.unpack("<I", chunk[4:])[0]
                if name == b"fmt ":
                    fmt = fh.read(size + (size & 1))
                    byte_rate = struct.unpack("<I", fmt[8:12])[0]
                elif name == b"data":
                    if not byte_rate or size in (0, 0xFFFFFFFF):  # streaming writers leave 0 / -1
                        return None
                    return size / byte_rate
                else:
                    fh.seek(size + (size & 1), 1)
    except (OSError, struct.error):
        return None
    return None


WINDOW_S = 300.0     # long recordings are decoded and transcribed this many seconds at a time
CUT_SEARCH_S = 10.0  # ... cut at the quietest 100 ms within this many seconds after the window's end
_FRAME = SAMPLE_RATE // 10


def decode(path: str | Path) -> DecodedAudio:
    """Decode every channel of ``path`` to 16 kHz float32, all at once (see :func:`decode_windows`).

    Raises:
        AudioError: empty, unsupported (no audio stream, unknown format), corrupt (decoding
            error), truncated (decoded over 1 s shorter than declared) or silent.
    """
    windows = list(decode_windows(path, window_s=None))
    first = windows[0]
    if len(windows) > 1:
        first.channels = [np.concatenate([w.channels[i] for w in windows]) for i in range(first.channel_count)]
    return first


def decode_windows(path: str | Path, window_s: float | None = WINDOW_S) -> Iterator[DecodedAudio]:
    """Decode ``path`` window by window: memory stays flat however long the recording is.

    Each window is a :class:`DecodedAudio` of about ``window_s`` seconds (None: the whole file in one),
    cut at the quietest 100 ms of the ``CUT_SEARCH_S`` seconds after the nominal end, so that a word is
    rarely split; ``offset_s`` says where it starts. The samples are exactly those of a whole-file decode.
    A two-channel file whose first window's channels carry the same signal is treated as mono throughout.
    The checks run as the audio streams by: a damaged or silent file raises after its last window
    (a truncated or silent recording is found only at its end), so nothing decoded from it should be kept.

    Raises:
        AudioError: as :func:`decode`.
    """
    import av

    windows_return_to_os()
    path = Path(path)
    if not path.is_file():
        raise AudioError("missing", f"{path} does not exist")
    if path.stat().st_size == 0:
        raise AudioError("empty", f"{path} is an empty file (0 bytes)")
    try:
        container = av.open(str(path))
    except (av.error.InvalidDataError, UnicodeDecodeError) as exc:
        if cut := mp4_shortfall(path):
            raise AudioError("truncated", f"{path} is an MP4/M4A file {cut}: it was cut short or never "
                                          "finished writing") from None
        raise AudioError("unsupported", f"{path} is not a recognised audio file ({exc.__class__.__name__})") from None
    except av.error.FFmpegError as exc:
        raise AudioError("corrupt", f"{path} cannot be opened: {exc}") from None
    with container:
        if not container.streams.audio:
            raise AudioError("unsupported", f"{path} has no audio stream")
        stream = container.streams.audio[0]
        n_channels = stream.codec_context.channels or 1
        layout = stream.codec_context.layout.name if stream.codec_context.layout else None
        resampler = av.AudioResampler(format="fltp", layout=layout or n_channels, rate=SAMPLE_RATE)
        codec, fmt, rate = stream.codec_context.name, container.format.name, stream.codec_context.sample_rate
        declared = wav_declared_seconds(path) if fmt == "wav" else _declared_seconds(container, stream)
        window = None if window_s is None else int(window_s * SAMPLE_RATE)
        pending: list[np.ndarray] = []
        pending_n = 0
        offset = 0
        peak = 0.0
        keep: int | None = None  # channels kept: 1 for a dual-mono file, decided on the first window
        decoded_until = 0.0
        last_packet = b""

        def emit(samples: np.ndarray) -> DecodedAudio:
            nonlocal keep, offset, peak
            file_channels = samples.shape[0]
            if keep is None:
                keep = 1 if file_channels == 2 and is_dual_mono(samples[0], samples[1]) else file_channels
            samples = samples[:keep]
            if samples.size:
                peak = max(peak, float(np.abs(samples).max()))
            audio = DecodedAudio(channels=[np.ascontiguousarray(samples[i]) for i in range(samples.shape[0])],
                                 file_channels=file_channels,
                                 source_rate=rate, codec=codec, container=fmt, declared_s=declared,
                                 offset_s=offset / SAMPLE_RATE)
            offset += samples.shape[1]
            return audio

        def frames() -> Iterator[np.ndarray]:
            nonlocal decoded_until, last_packet
            try:
                for packet in container.demux(stream):
                    if packet.size:
                        last_packet = bytes(packet)
                    for frame in packet.decode():
                        if frame.pts is not None and frame.time_base is not None:
                            decoded_until = float(frame.pts * frame.time_base)
                        for out in resampler.resample(frame):
                            yield out.to_ndarray()
                for out in resampler.resample(None):
                    yield out.to_ndarray()
            except av.error.FFmpegError as exc:
                raise AudioError("corrupt", f"{path} fails to decode near {decoded_until:.1f} s: {exc}") from None

        for chunk in frames():
            pending.append(chunk.astype(np.float32, copy=False))
            pending_n += chunk.shape[1]
            if window is not None and pending_n >= window + int(CUT_SEARCH_S * SAMPLE_RATE):
                joined = np.concatenate(pending, axis=1)
                pending.clear()
                cut = quiet_cut(joined, window)
                head, rest = joined[:, :cut].copy(), joined[:, cut:].copy()
                del joined  # copies, so that no window keeps the whole joined block alive
                pending, pending_n = [rest], rest.shape[1]
                yield emit(head)
                del head
        if stream.codec_context.name.startswith("mp3") and (cut_mp3 := mp3_frame_shortfall(last_packet)):
            raise AudioError("truncated", f"{path} ends in the middle of an MP3 frame ({cut_mp3[0]} of {cut_mp3[1]} "
                                          f"bytes): the file was cut short after {decoded_until:.1f} s")
        if container.format.name == "ogg" and not ogg_ends_cleanly(path):
            raise AudioError("truncated", f"{path} has no complete end-of-stream page: "
                                          f"the file was cut short after {decoded_until:.1f} s")
    if offset == 0 and pending_n == 0:
        raise AudioError("empty", f"{path} holds no audio samples")
    total_s = (offset + pending_n) / SAMPLE_RATE
    if declared is not None and declared - total_s > TRUNCATION_TOLERANCE_S:
        raise AudioError("truncated", f"{path} decodes to {total_s:.1f} s but declares "
                                      f"{declared:.1f} s: the file was cut short")
    if total_s < 0.1:
        raise AudioError("empty", f"{path} holds only {total_s * 1000:.0f} ms of audio")
    last = emit(np.concatenate(pending, axis=1) if pending else np.zeros((n_channels, 0), np.float32))
    if peak < SILENCE_PEAK:
        raise AudioError("silent", f"{path} is silent ({total_s:.1f} s below -55 dBFS)")
    yield last


def quiet_cut(samples: np.ndarray, at: int) -> int:
    """Where to end a window: the start of the quietest 100 ms (all channels) from ``at`` on."""
    tail = samples[:, at:]
    n = tail.shape[1] // _FRAME
    if n == 0:
        return at
    energy = np.square(tail[:, : n * _FRAME]).sum(axis=0).reshape(n, _FRAME).sum(axis=1)
    return at + int(np.argmin(energy)) * _FRAME


_MP3_BITRATES = {
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),   # MPEG-1 layer III
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),      # MPEG-2 / 2.5 layer III
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def mp3_frame_shortfall(packet: bytes) -> tuple[int, int] | None:
    """(bytes present, bytes its header declares) when an MP3 layer III frame is cut short, else None."""
    if len(packet) < 4 or packet[0] != 0xFF or packet[1] & 0xE0 != 0xE0:
        return None
    version, layer = (packet[1] >> 3) & 3, (packet[1] >> 1) & 3
    bitrate_index, rate_index, padding = packet[2] >> 4, (packet[2] >> 2) & 3, (packet[2] >> 1) & 1
    if layer != 1 or version == 1 or rate_index == 3 or bitrate_index in (0, 15):
        return None
    bitrate = _MP3_BITRATES[1 if version == 3 else 2][bitrate_index] * 1000
    size = (144 if version == 3 else 72) * bitrate // _MP3_RATES[version][rate_index] + padding
    return (len(packet), size) if len(packet) < size else None


def ogg_ends_cleanly(path: Path) -> bool:
    """Whether an Ogg file's last page is complete and flagged end-of-stream."""
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - 70_000))
        tail = fh.read()
    start = tail.rfind(b"OggS")
    if start < 0 or len(tail) < start + 27:
        return False
    page = tail[start:]
    segments = page[26]
    if len(page) < 27 + segments:
        return False
    complete = len(page) >= 27 + segments + sum(page[27:27 + segments])
    return complete and bool(page[5] & 0x04)


def mp4_shortfall(path: Path) -> str | None:
    """Why an MP4/M4A file (``ftyp`` first) is incomplete: a top-level box that runs past the end of the
    file, or no ``moov`` box (the index, which most recorders write last); None when it is complete or not MP4."""
    size = path.stat().st_size
    boxes: list[bytes] = []
    with path.open("rb") as fh:
        offset = 0
        while offset + 8 <= size:
            fh.seek(offset)
            box_size, kind = struct.unpack(">I4s", fh.read(8))
            if box_size == 1:  # 64-bit size after the type
                extended = fh.read(8)
                box_size = struct.unpack(">Q", extended)[0] if len(extended) == 8 else 0
            elif box_size == 0:  # up to the end of the file
                box_size = size - offset
            if not boxes and kind != b"ftyp":
                return None
            boxes.append(kind)
            if box_size < 8:
                return None  # not a box structure: leave it to the decoder's verdict
            if offset + box_size > size:
                return f"whose {kind.decode('latin-1')!r} box needs {offset + box_size:,} bytes, but the file has {size:,}"
            offset += box_size
    if boxes and b"moov" not in boxes:
        return "without its index (no 'moov' box)"
    return None


def declared_seconds(path: str | Path) -> float | None:
    """The duration ``path``'s header declares (nothing decoded), or None when it declares none or cannot be
    opened (:func:`decode_windows` says why when the file's turn comes)."""
    import av

    path = Path(path)
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                return None
            if container.format.name == "wav":
                return wav_declared_seconds(path)
            return _declared_seconds(container, container.streams.audio[0])
    except (av.error.FFmpegError, UnicodeDecodeError, OSError):
        return None


def is_dual_mono(left: np.ndarray, right: np.ndarray) -> bool:
    """Whether two channels carry the same signal (a mono recording stored as stereo)."""
    if not left.any() or not right.any():
        return False
    return float(np.corrcoef(left, right)[0, 1]) > DUAL_MONO_CORRELATION


def _declared_seconds(container, stream) -> float | None:  # type: ignore[no-untyped-def]
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / 1_000_000
    return None
