"""Stereo calls decoded in one pass: crosstalk left out, both channels packed, words mapped back (stereo.py)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pytest

from qa_toolkit.transcribe.backend import Segment, TranscriptionOptions, Word
from qa_toolkit.transcribe.stereo import (FILL_S, MAX_FILL_S, SAMPLE_RATE, Piece, fewest_windows, listened, longest_gap,
                                          pack, recovered, transcribe_packed, windows, without_crosstalk)

SR = SAMPLE_RATE


def _tone(seconds: float, level_db: float, freq: float = 220.0) -> np.ndarray:
    t = np.arange(int(seconds * SR)) / SR
    return (10 ** (level_db / 20) * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def test_leaked_voice_is_cut_out_own_speech_and_overtalk_kept() -> None:
    # 0-2 s: left talks, right hears it 30 dB down; 2-4 s: right talks at -4 dB gain, left hears it 30 dB down;
    # 4-5 s: both talk at once (overtalk).
    left = np.concatenate([_tone(2, -10), _tone(2, -44, 330), _tone(1, -10)])
    right = np.concatenate([_tone(2, -40), _tone(2, -14, 330), _tone(1, -14, 330)])
    chunks = [[(0, 5 * SR)], [(0, 5 * SR)]]  # as if VAD heard speech all through both channels
    kept = without_crosstalk(chunks, [left, right])
    left_s = [(a / SR, b / SR) for a, b in kept[0]]
    right_s = [(a / SR, b / SR) for a, b in kept[1]]
    assert len(left_s) == 2 and left_s[0][0] == 0.0 and 1.9 <= left_s[0][1] <= 2.5 and left_s[1][1] == 5.0
    assert 1.5 <= left_s[1][0] <= 4.1  # the leak of 2-4 s is out (smoothing blurs its edges by up to 0.5 s)
    assert len(right_s) == 1 and 1.5 <= right_s[0][0] <= 2.2 and right_s[0][1] == 5.0  # 0-2 s leak out


def test_a_click_within_a_leak_is_no_speech_and_one_channel_is_left_alone() -> None:
    left = np.concatenate([_tone(3, -10), _tone(0.05, -10), _tone(3, -10)])
    right = np.concatenate([_tone(3, -42), _tone(0.05, -20), _tone(3, -42)])
    assert without_crosstalk([[(0, len(left))], [(0, len(right))]], [left, right])[1] == []
    assert without_crosstalk([[(0, 10)]], [left]) == [[(0, 10)]]


def test_speech_the_vad_missed_in_a_long_pause_is_recovered_where_the_other_side_is_quiet() -> None:
    """Silero VAD stays deaf after hold music (dev calls): a fresh VAD on 6 s blocks every 3 s over a pause of
    5 s or more finds the voice; what it finds while the other channel talks (a leak) is left out."""
    left, right = np.zeros(40 * SR, np.float32), np.zeros(40 * SR, np.float32)
    left[22 * SR] = 1.0  # "speech" the fake VAD hears in any block holding second 22 (the thanks after a hold)
    left[33 * SR] = 1.0  # and at 33 s, where the customer talks (the leak of their voice)
    calls: list[int] = []

    def find(block: np.ndarray) -> list[tuple[int, int]]:
        calls.append(len(block))
        return [(int(i), int(i) + SR) for i in np.flatnonzero(block)]

    chunks = [[(0, 4 * SR), (25 * SR, 28 * SR), (39 * SR, 40 * SR)], [(4 * SR, 6 * SR), (32 * SR, 36 * SR)]]
    out = recovered(chunks, [left, right], find)
    assert out[0] == [(0, 4 * SR), (22 * SR, 23 * SR), (25 * SR, 28 * SR), (39 * SR, 40 * SR)]  # 33 s: the leak
    assert out[1] == chunks[1]  # nothing heard in the right channel's pauses
    # the last 12 s of each pause before a chunk: left 13-25 s, 28-39 s (27-39); right 20-32 s (4 s: too short)
    assert max(calls) == 6 * SR and len(calls) == 4 + 4 + 4
    assert recovered([[(0, SR)]], [left], find) == [[(0, SR)]]  # mono: nothing to compare with
    # a channel where the VAD heard nothing (twenty minutes of faint line noise) stays empty, the other as it was
    assert recovered([[], chunks[1]], [left, right], find) == [[], chunks[1]]
    assert recovered([[], []], [left, right], find) == [[], []]


def test_windows_hold_at_most_25_s_first_fit_longest_first_in_time_order_and_pack_maps_pieces() -> None:
    s = SR
    assert FILL_S == 25.0
    chunks = [[(0, 10 * s), (30 * s, 38 * s), (60 * s, 100 * s)], [(12 * s, 22 * s), (40 * s, 52 * s)]]
    found = windows(chunks)
    as_s = [[(k, a // s, b // s) for k, a, b in w] for w in found]
    # 40 s alone; 12 s opens a window, 10 s joins it (3 s left), the next 10 s opens one, 8 s joins that
    assert as_s == [[(0, 0, 10), (1, 40, 52)], [(1, 12, 22), (0, 30, 38)], [(0, 60, 100)]]
    assert sorted(c for w in found for c in w) == sorted((k, a, b) for k, ch in enumerate(chunks) for a, b in ch)
    left, right = np.full(100 * s, 1.0, np.float32), np.full(100 * s, 2.0, np.float32)
    stream, pieces = pack([left, right], found[0])
    assert [(p.channel, p.start // s, p.end // s, p.packed // s) for p in pieces] == [(0, 0, 10, 0), (1, 40, 52, 10)]
    assert len(stream) == 22 * s and stream[0] == 1.0 and stream[10 * s] == 2.0


def test_windows_are_filled_past_25_s_only_where_that_makes_fewer() -> None:
    """A call whose speech just overflows two windows (51 s: three at 25 s) gets one window fewer, filled no more
    than needed (two of 25.5 s); one that fuller windows do not help is packed as before."""
    s = SR // 10  # tenths of a second
    assert (FILL_S, MAX_FILL_S) == (25.0, 27.5)
    chunks = [[(0, 130 * s), (200 * s, 325 * s)], [(140 * s, 195 * s), (330 * s, 530 * s)]]  # 13, 12.5, 5.5, 20 s
    assert [sum(b - a for _, a, b in w) / SR for w in windows(chunks)] == [18.5, 12.5, 20.0]
    found = fewest_windows(chunks)
    assert len(found) == 2 and max(sum(b - a for _, a, b in w) for w in found) / SR == 25.5
    assert sorted(c for w in found for c in w) == sorted((k, a, b) for k, ch in enumerate(chunks) for a, b in ch)
    assert found == windows(chunks, 25.5)  # the least fill (0.5 s steps) that makes two
    assert fewest_windows(chunks, FILL_S) == windows(chunks)  # as stored before: never past 25 s
    roomy = [[(0, 100 * s)], [(150 * s, 250 * s)]]  # 20 s: one window either way
    assert fewest_windows(roomy) == windows(roomy) and len(windows(roomy)) == 1
    three = [[(0, 240 * s), (300 * s, 540 * s)], [(600 * s, 840 * s)]]  # 3 x 24 s: three windows however full
    assert fewest_windows(three) == windows(three) and len(fewest_windows(three)) == 3
    assert fewest_windows([[], []]) == []


def test_transcripts_stored_before_fuller_windows_reproduce_without_them() -> None:
    old = TranscriptionOptions().for_call(2).as_dict()
    assert old["max_fill_s"] == MAX_FILL_S
    del old["max_fill_s"]
    assert TranscriptionOptions.from_dict(old).max_fill_s == FILL_S


def _fake_decoder(expected_len: int, seen: list[TranscriptionOptions]):  # type: ignore[no-untyped-def]
    """A decoder over the packed stream of the test below: one segment whose words cross channels."""

    def decode(audio: np.ndarray, options: TranscriptionOptions) -> Iterable[Segment]:
        assert len(audio) == expected_len
        seen.append(options)
        words = [Word(0.1, 0.5, "hello", 0.9), Word(0.6, 0.9, "there", 0.9),   # piece 1: left 0-1 s
                 Word(1.2, 1.6, "hi", 0.9), Word(2.5, 2.9, "yes", 0.9),        # piece 2: right 2-4 s
                 Word(3.2, 3.6, "bye", 0.9)]                                    # piece 3: left 5-6 s
        yield Segment(0.1, 3.6, "hello there hi yes bye", words, avg_logprob=-0.2)

    return decode


def test_words_go_back_to_their_channel_and_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import qa_toolkit.transcribe.stereo as stereo

    monkeypatch.setattr(stereo, "speech_chunks",
                        lambda samples: [(0, SR), (5 * SR, 6 * SR)] if samples[0] == 1.0 else [(2 * SR, 4 * SR)])
    left, right = np.full(10 * SR, 1.0, np.float32), np.full(10 * SR, 1.0, np.float32)
    right[0] = 0.5
    seen: list[TranscriptionOptions] = []
    out = transcribe_packed([left, right], _fake_decoder(4 * SR, seen), TranscriptionOptions())
    assert seen[0].vad_filter is False  # the chunks were found already
    assert [(s.text, round(s.start, 2), round(s.end, 2)) for s in out[0]] == [("hello there", 0.1, 0.9),
                                                                             ("bye", 5.2, 5.6)]
    assert [(s.text, round(s.start, 2), round(s.end, 2)) for s in out[1]] == [("hi yes", 2.2, 3.9)]
    assert [round(w.start, 2) for w in out[1][0].words] == [2.2, 3.5]
    assert all(s.avg_logprob == -0.2 for s in [*out[0], *out[1]])


def test_a_stretch_the_one_pass_skipped_is_decoded_again_on_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    import qa_toolkit.transcribe.stereo as stereo

    monkeypatch.setattr(stereo, "speech_chunks",
                        lambda samples: [(0, SR), (5 * SR, 6 * SR)] if samples[0] == 1.0 else [(2 * SR, 4 * SR)])
    left, right = np.full(10 * SR, 1.0, np.float32), np.full(10 * SR, 1.0, np.float32)
    right[0] = 0.5
    lengths: list[int] = []

    def decode(audio: np.ndarray, options: TranscriptionOptions) -> Iterable[Segment]:
        lengths.append(len(audio))
        if len(audio) == 4 * SR:  # the packed window: left 0-1 s, right 2-4 s (skipped), left 5-6 s
            yield Segment(0.1, 3.6, "hello there bye", [Word(0.1, 0.5, "hello", 0.9), Word(0.6, 0.9, "there", 0.9),
                                                        Word(3.2, 3.6, "bye", 0.9)])
        else:  # right 2-4 s alone
            yield Segment(0.2, 1.9, "hi yes", [Word(0.2, 0.6, "hi", 0.9), Word(1.5, 1.9, "yes", 0.9)])

    out = transcribe_packed([left, right], decode, TranscriptionOptions())
    assert lengths == [4 * SR, 2 * SR]  # the window once, then only the skipped stretch
    assert [(s.text, s.start, s.end) for s in out[0]] == [("hello there", 0.1, 0.9), ("bye", 5.2, 5.6)]
    assert [(s.text, round(s.start, 2), round(s.end, 2)) for s in out[1]] == [("hi yes", 2.2, 3.9)]
    assert [round(w.start, 2) for w in out[1][0].words] == [2.2, 3.5]


def test_longest_gap_is_the_longest_stretch_of_a_piece_without_words() -> None:
    piece = Piece(1, 2 * SR, 6 * SR, 0)
    words = [Word(2.3, 2.6, "a", 0.9), Word(2.5, 3.0, "b", 0.9), Word(4.1, 4.4, "c", 0.9)]
    assert round(longest_gap(piece, [Segment(2.3, 4.4, "a b c", words)]), 2) == 1.6  # 4.4 s to the end at 6 s
    assert round(longest_gap(piece, [Segment(2.3, 5.9, "no words")]), 2) == 0.3  # the segment's span
    assert longest_gap(piece, []) == 4.0


def test_the_vad_skips_a_channels_long_leak_only_stretches(monkeypatch: pytest.MonkeyPatch) -> None:
    """vad_skip_leaks: left talks 0-3 s and 6-9 s, right 3-6 s; each channel hears the other 30 dB down. The VAD
    runs on each channel's own stretches only (a fresh start on each), its chunks put back in the channel's time."""
    import qa_toolkit.transcribe.stereo as stereo

    left = np.concatenate([_tone(3, -10), _tone(3, -44, 330), _tone(3, -10)])
    right = np.concatenate([_tone(3, -40), _tone(3, -14, 330), _tone(3, -40)])
    heard: list[tuple[int, int]] = []

    def vad(samples: np.ndarray) -> list[tuple[int, int]]:
        heard.append((len(samples), int(np.argmax(np.abs(samples) > 0.2))))
        return [(0, len(samples))]

    monkeypatch.setattr(stereo, "speech_chunks", vad)
    left_chunks, right_chunks = listened([left, right])
    assert len(heard) == 3 and sum(n for n, _ in heard) < 0.7 * (len(left) + len(right))
    assert [(round(a / SR), round(b / SR)) for a, b in left_chunks] == [(0, 3), (6, 9)]  # the leak 3-6 s: no VAD
    assert [(round(a / SR), round(b / SR)) for a, b in right_chunks] == [(3, 6)]
    assert listened([left]) == [[(0, len(left))]]  # mono: the whole channel, as speech_chunks hears it


def test_skipping_leaks_hears_a_real_calls_speech_with_less_vad(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a sample call (real Silero VAD) the channels' speech left after the crosstalk cut is about the same with
    the VAD skipping leak-only stretches (call_01: 25.6 s against 27.5 s, the edges next to a leak lose the padding
    the crosstalk cut keeps), for a fifth less audio through the VAD."""
    import qa_toolkit.transcribe.stereo as stereo
    from qa_toolkit.transcribe.audio import decode
    from transcribe_support import SAMPLES

    channels = [np.asarray(c, dtype=np.float32) for c in decode(SAMPLES / "call_01_billing.wav").channels]
    through: list[int] = []
    real = stereo.speech_chunks
    monkeypatch.setattr(stereo, "speech_chunks", lambda samples: through.append(len(samples)) or real(samples))
    full = without_crosstalk([real(c) for c in channels], channels)
    skipped = without_crosstalk(listened(channels), channels)
    assert sum(through) < 0.8 * sum(len(c) for c in channels)
    seconds = [sum(b - a for chunks in kept for a, b in chunks) / SR for kept in (full, skipped)]
    assert seconds[0] > 10 and abs(seconds[1] - seconds[0]) < 0.1 * seconds[0]


def test_options_stored_before_packing_reproduce_without_it() -> None:
    old = TranscriptionOptions(beam_size=5).as_dict()
    del old["pack_channels"]
    assert TranscriptionOptions.from_dict(old).for_call(2) == TranscriptionOptions(beam_size=5, pack_channels=False)
    stored = TranscriptionOptions().for_call(2).as_dict()
    assert (stored["pack_channels"], stored["beam_size"]) == (True, 2)
    assert TranscriptionOptions.from_dict(stored).for_call(2) == TranscriptionOptions.from_dict(stored)


def test_transcripts_stored_before_the_recovery_reproduce_without_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import qa_toolkit.transcribe.stereo as stereo

    old = TranscriptionOptions().for_call(2).as_dict()
    del old["recover_speech"], old["vad_skip_leaks"]  # stored before either
    assert TranscriptionOptions.from_dict(old).recover_speech is False and TranscriptionOptions().recover_speech
    assert TranscriptionOptions.from_dict(old).vad_skip_leaks is False and TranscriptionOptions().vad_skip_leaks
    calls: list[int] = []
    monkeypatch.setattr(stereo, "recovered", lambda chunks, channels: calls.append(len(chunks)) or chunks)
    monkeypatch.setattr(stereo, "speech_chunks", lambda samples: [])
    quiet = np.zeros(SR, np.float32)
    for recover in (False, True):
        assert transcribe_packed([quiet, quiet], lambda a, o: [], TranscriptionOptions(recover_speech=recover)) == [[], []]
    assert calls == [2]  # searched again only when the options say so


def test_options_are_decided_per_call_as_they_run() -> None:
    """Stereo calls are packed at beam 2 by default; mono calls, VAD off and --no-pack-channels are decoded per
    channel at beam 5; a beam size given is kept."""
    decided = [(o.pack_channels, o.beam_size) for o in (
        TranscriptionOptions().for_call(2), TranscriptionOptions().for_call(1),
        TranscriptionOptions(vad_filter=False).for_call(2), TranscriptionOptions(pack_channels=False).for_call(2),
        TranscriptionOptions(beam_size=5).for_call(2), TranscriptionOptions(beam_size=1).for_call(1))]
    assert decided == [(True, 2), (False, 5), (False, 5), (False, 5), (True, 5), (False, 1)]
    assert TranscriptionOptions().beam == 5 and TranscriptionOptions(beam_size=3).beam == 3  # decoded directly


@pytest.fixture(scope="module")
def tiny():  # type: ignore[no-untyped-def]
    from qa_toolkit.transcribe.faster_backend import load_backend

    return load_backend("faster-whisper", "tiny.en", "cpu", 1)


def test_leaking_line_keeps_the_turns_of_the_clean_call(tiny) -> None:  # type: ignore[no-untyped-def]
    """The overtalk sample with each side leaking into the other 30 dB down (a telephone hybrid's echo): the leak
    is not transcribed as the other side's speech, and packing gives the same turns as each channel alone."""
    from dataclasses import replace

    from qa_toolkit.transcribe.audio import decode
    from qa_toolkit.transcribe.evaluate import normalize
    from qa_toolkit.transcribe.pipeline import transcribe_audio
    from transcribe_support import SAMPLES

    clean = decode(SAMPLES / "call_03_overtalk.wav")
    left, right = clean.channels
    leak = 10 ** (-30 / 20)
    leaking = replace(clean, channels=[left + leak * right, right + leak * left])
    packed = transcribe_audio(leaking, tiny)  # the default: packed, beam 2
    alone = transcribe_audio(clean, tiny, TranscriptionOptions(pack_channels=False))
    assert [t.speaker for t in packed.turns] == [t.speaker for t in alone.turns] == ["agent", "customer"] * 3 + ["agent"]
    assert "card" in normalize(packed.turns[2].text) and "booked" in normalize(packed.turns[4].text)
    said = [normalize(t.text).split() for t in alone.turns if t.speaker == "customer"]
    heard = [normalize(t.text).split() for t in packed.turns if t.speaker == "customer"]
    assert sum(map(len, heard)) <= sum(map(len, said)) + 2  # none of the agent's leaked lines on the customer side
    assert packed.provenance["options"]["pack_channels"] is True  # type: ignore[index]
