"""Audio decoding with PyAV: real channel count, 16 kHz, and every kind of bad file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa_toolkit.transcribe.audio import SAMPLE_RATE, AudioError, decode, declared_seconds, wav_declared_seconds
from transcribe_support import SAMPLE_CALLS, SAMPLES, make_bad_files


@pytest.mark.parametrize("path", SAMPLE_CALLS, ids=lambda p: p.name)
def test_sample_calls_decode_to_two_16k_channels(path: Path) -> None:
    audio = decode(path)
    assert audio.channel_count == 2 and audio.source_rate == 8000
    assert audio.declared_s is not None and abs(audio.duration_s - audio.declared_s) < 0.1
    assert all(ch.dtype == np.float32 and len(ch) == len(audio.channels[0]) for ch in audio.channels)
    assert 5 < audio.duration_s < 27                 # scripted calls: 16.7 s (overtalk) to 26.2 s (hold)


def test_codecs_of_the_samples() -> None:
    assert decode(SAMPLES / "call_03_overtalk.wav").codec == "pcm_mulaw"
    assert decode(SAMPLES / "call_02_hold.mp3").container == "mp3"


def test_mono_file_has_one_channel(shared_dir: Path) -> None:
    audio = decode(shared_dir / "data" / "speech" / "librispeech_2412-153948-0000.flac")
    assert audio.channel_count == 1 and audio.file_channels == 1
    assert audio.duration_s == pytest.approx(11.66, abs=0.01)
    assert len(audio.channels[0]) == pytest.approx(11.66 * SAMPLE_RATE, abs=2)


def test_dual_mono_stereo_counts_as_one_channel(shared_dir: Path) -> None:
    audio = decode(shared_dir / "data" / "speech" / "jfk.flac")  # the same voice on both channels
    assert (audio.channel_count, audio.file_channels) == (1, 2)


def test_real_two_speaker_stereo_keeps_both_channels(shared_dir: Path) -> None:
    audio = decode(shared_dir / "data" / "speech" / "stereo_diarization.wav")
    assert audio.channel_count == 2


def test_wav_header_duration() -> None:
    assert wav_declared_seconds(SAMPLES / "call_01_billing.wav") == pytest.approx(25.25, abs=0.001)
    assert wav_declared_seconds(SAMPLES / "call_02_hold.mp3") is None


def test_declared_seconds_read_from_the_header_only(bad_files: tuple[Path, dict[str, str]]) -> None:
    """What a batch's ETA counts on: each sample call's declared length is its decoded one; a file that is no audio
    or empty declares none; a cut WAV declares what it was meant to hold (decoding finds it truncated)."""
    for path in SAMPLE_CALLS:
        assert declared_seconds(path) == pytest.approx(decode(path).duration_s, abs=0.1)
    folder, _ = bad_files
    assert declared_seconds(folder / "notes.mp3") is None and declared_seconds(folder / "empty.wav") is None
    assert declared_seconds(folder / "cut.wav") == pytest.approx(25.25, abs=0.01)


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("bad")
    return folder, make_bad_files(folder)


@pytest.mark.parametrize("name", ["empty.wav", "notes.mp3", "cut.wav", "cut.mp3", "cut.ogg", "garbled.mp3", "silence.wav"])
def test_bad_file_kinds(bad_files: tuple[Path, dict[str, str]], name: str) -> None:
    folder, expected = bad_files
    with pytest.raises(AudioError) as info:
        decode(folder / name)
    assert info.value.kind == expected[name]
    assert name in str(info.value)


def test_truncated_wav_message_gives_both_durations(bad_files: tuple[Path, dict[str, str]]) -> None:
    with pytest.raises(AudioError, match=r"decodes to 12\.6 s but declares 25\.2 s"):
        decode(bad_files[0] / "cut.wav")


@pytest.mark.parametrize(("codec", "container", "suffix"), [("libopus", "ogg", ".opus"), ("aac", "mp4", ".m4a")])
def test_opus_and_m4a_decode_with_both_channels(tmp_path: Path, codec: str, container: str, suffix: str) -> None:
    from transcribe_support import encode

    target = encode(SAMPLES / "call_03_overtalk.wav", tmp_path / f"call{suffix}", codec, container)
    audio = decode(target)
    assert audio.channel_count == 2 and audio.duration_s == pytest.approx(16.68, abs=0.05)


def test_truncated_opus_is_detected(tmp_path: Path) -> None:
    from transcribe_support import encode

    data = encode(SAMPLES / "call_03_overtalk.wav", tmp_path / "call.opus", "libopus", "ogg").read_bytes()
    (tmp_path / "cut.opus").write_bytes(data[: len(data) // 2])
    with pytest.raises(AudioError, match="no complete end-of-stream page") as info:
        decode(tmp_path / "cut.opus")
    assert info.value.kind == "truncated"


def test_truncated_m4a_is_detected(tmp_path: Path) -> None:
    # Recorders write an M4A's index (the moov box) last: a file cut anywhere has none, so it cannot be
    # opened at all; that is a truncated recording, not an unsupported format.
    from transcribe_support import encode

    data = encode(SAMPLES / "call_03_overtalk.wav", tmp_path / "call.m4a", "aac", "mp4").read_bytes()
    (tmp_path / "cut.m4a").write_bytes(data[: len(data) // 2])
    with pytest.raises(AudioError, match=r"cut\.m4a is an MP4/M4A file whose 'mdat' box needs [\d,]+ bytes, but the file has") as info:
        decode(tmp_path / "cut.m4a")
    assert info.value.kind == "truncated"
    (tmp_path / "unfinished.m4a").write_bytes(data[: data.index(b"moov") - 4])
    with pytest.raises(AudioError, match="without its index") as info:
        decode(tmp_path / "unfinished.m4a")
    assert info.value.kind == "truncated"
    (tmp_path / "notes.m4a").write_bytes(b"not audio at all, just text\n" * 20)
    with pytest.raises(AudioError) as info:
        decode(tmp_path / "notes.m4a")
    assert info.value.kind == "unsupported"
