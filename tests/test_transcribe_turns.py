"""Turns from per-channel words (merged by word timestamps) and call timing."""

from __future__ import annotations

from qa_toolkit.transcribe.backend import Segment, Word
from qa_toolkit.transcribe.pipeline import speakers_for
from qa_toolkit.transcribe.turns import call_timing, channel_words, merge_turns


def words(*items: tuple[float, float, str]) -> list[Word]:
    return [Word(s, e, w, 0.9) for s, e, w in items]


def test_turns_follow_word_timestamps_not_segment_starts() -> None:
    # The agent's single segment spans a silence during which the customer speaks: ordering whole
    # segments by start would put both agent sentences before the customer's reply.
    agent_segment = Segment(0.0, 9.0, "Please hold. Thanks for waiting.",
                            words=words((0.0, 0.5, "Please"), (0.5, 1.0, "hold."),
                                        (7.0, 7.5, "Thanks"), (7.5, 7.8, "for"), (7.8, 8.4, "waiting.")))
    customer_segment = Segment(2.0, 3.0, "Okay.", words=words((2.0, 2.6, "Okay.")))
    turns = merge_turns({"agent": channel_words([agent_segment]), "customer": channel_words([customer_segment])})
    assert [(t.speaker, t.text) for t in turns] == [
        ("agent", "Please hold."), ("customer", "Okay."), ("agent", "Thanks for waiting.")]
    assert [(t.start_s, t.end_s) for t in turns] == [(0.0, 1.0), (2.0, 2.6), (7.0, 8.4)]


def test_interruption_becomes_its_own_turn_without_shredding_the_other() -> None:
    agent = words((0.0, 0.5, "Your"), (0.5, 1.0, "card"), (1.0, 1.5, "will"), (1.5, 2.0, "arrive"), (2.0, 2.5, "soon."))
    customer = words((1.2, 1.6, "Wait,"), (1.6, 2.2, "when?"))
    turns = merge_turns({"agent": agent, "customer": customer})
    assert [(t.speaker, t.text) for t in turns] == [("agent", "Your card will arrive soon."),
                                                    ("customer", "Wait, when?")]


def test_same_speaker_pause_longer_than_max_gap_starts_new_turn() -> None:
    turns = merge_turns({"unknown": words((0.0, 1.0, "Hello."), (5.0, 6.0, "Still"), (6.0, 6.5, "there?"))})
    assert [t.text for t in turns] == ["Hello.", "Still there?"]


def test_call_timing_talk_silence_hold_overtalk() -> None:
    agent = words((0.5, 1.0, "a"), (1.0, 3.0, "b"), (12.0, 14.0, "c"))
    customer = words((2.0, 4.5, "x"), (14.5, 15.0, "y"))
    timing = call_timing({"agent": agent, "customer": customer}, duration_s=16.0)
    assert timing.talk_s == {"agent": 4.5, "customer": 3.0}
    assert timing.silences == [[4.5, 12.0]]          # leading 0.5 s and trailing 1 s are not silences
    assert timing.holds == [[4.5, 12.0]]             # 7.5 s ≥ 5 s
    assert timing.overtalk == [[2.0, 3.0]]           # 1 s of both talking
    assert timing.as_dict()["silence_s"] == 7.5


def test_short_overlap_at_turn_change_is_not_overtalk() -> None:
    timing = call_timing({"agent": words((0.0, 2.0, "a")), "customer": words((1.6, 3.0, "b"))}, duration_s=3.0)
    assert timing.overtalk == [] and timing.overtalk_s == 0


def test_channel_labels() -> None:
    assert speakers_for(2) == ["agent", "customer"]
    assert speakers_for(2, "right") == ["customer", "agent"]
    assert speakers_for(1) == ["unknown"]
    assert speakers_for(1, mono_speaker="agent") == ["agent"]
