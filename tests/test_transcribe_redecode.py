"""Answers to questions for a number decoded again (issue 14): which windows of the customer's audio, and the
re-decode through real Whisper (tiny.en) on the shipped sample where a customer reads a card, its expiry date and
code: the card's words are the new decode's, timed inside their window, redacted, and the same twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_toolkit.transcribe.backend import TranscriptionOptions, Word
from qa_toolkit.transcribe.redecode import LEAD_S, PROMPTS, TAIL_S, answer_windows, redecode_options
from tests.transcribe_support import turn

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "pii_call" / "call_06_card.mp3"


def test_a_question_for_a_number_opens_a_window_until_the_agent_asks_again() -> None:
    turns = [turn("agent", 0.0, "Hi, how can I help?"),
             turn("customer", 2.0, "I want to pay my bill."),
             turn("agent", 4.0, "Okay, read me the long number on the card."),  # 9 words: ends 7.6
             turn("customer", 8.0, "four five three nine"),
             turn("agent", 9.8, "Mhm."),  # a hum between groups: the window goes on
             turn("customer", 10.4, "one four eight eight"),  # ends 12.0
             turn("agent", 13.0, "And when does it run out?"),  # ends 15.4
             turn("customer", 15.8, "oh four twenty eight"),  # ends 17.4
             turn("agent", 20.0, "Lovely, that's all paid, thank you."),
             turn("customer", 23.0, "Thanks, bye.")]
    assert (LEAD_S, TAIL_S) == (0.3, 0.6)
    assert [(w.kind, w.start_s, w.end_s) for w in answer_windows(turns)] == [("card", 7.3, 12.6),
                                                                           ("expiry", 15.1, 18.0)]


def test_no_window_where_nothing_is_asked_for_or_the_customer_asks() -> None:
    turns = [turn("agent", 0.0, "How much would you like to pay today?"),
             turn("customer", 3.0, "Two hundred and fifty dollars."),
             turn("customer", 6.0, "What's your phone number, by the way?"),
             turn("agent", 9.0, "It's on the letter.")]
    assert answer_windows(turns) == []


def test_the_redecode_options_are_fixed_and_deterministic() -> None:
    options = redecode_options(TranscriptionOptions(beam_size=2, temperature=(0.0, 0.2), initial_prompt="Hi",
                                                    condition_on_previous_text=True, vad_filter=False), "card")
    assert (options.beam_size, options.temperature, options.condition_on_previous_text, options.vad_filter,
            options.initial_prompt) == (5, (0.0,), False, True, PROMPTS["card"])


def test_transcripts_stored_before_the_redecode_reproduce_without_it() -> None:
    stored = TranscriptionOptions(redecode_answers=True).as_dict()
    assert stored["redecode_answers"] is True
    del stored["redecode_answers"]
    assert TranscriptionOptions.from_dict(stored).redecode_answers is False
    assert TranscriptionOptions().redecode_answers is False  # off by default: README, round 13
    stored = TranscriptionOptions(reread_answers=True).as_dict()
    del stored["reread_answers"]
    assert TranscriptionOptions.from_dict(stored).reread_answers is False
    assert TranscriptionOptions().reread_answers is False  # off by default: README, round 16 (+40 % of the time)


@pytest.mark.slow
def test_the_sample_call_s_answers_are_decoded_again_and_redacted() -> None:
    from qa_toolkit.transcribe.faster_backend import load_backend
    from qa_toolkit.transcribe.pipeline import transcribe_file

    backend = load_backend("faster-whisper", "tiny.en", "cpu", 1)
    plain = transcribe_file(SAMPLE, backend, TranscriptionOptions())
    options = TranscriptionOptions(redecode_answers=True)
    first = transcribe_file(SAMPLE, backend, options)
    again = transcribe_file(SAMPLE, backend, options)
    assert first.text == again.text  # same audio, same transcript
    windows = answer_windows(plain.turns)
    assert [w.kind for w in windows] == ["card", "expiry"]  # tiny.en cut the card question after its "card?"
    card = windows[0]

    def window_words(transcript: object) -> list[Word]:
        return [w for t in transcript.turns if t.speaker == "customer" for w in t.words  # type: ignore[attr-defined]
                if card.start_s <= (w.start + w.end) / 2 < card.end_s]

    inside = window_words(first)
    assert [w.word for w in inside] != [w.word for w in window_words(plain)]  # decoded again
    assert "".join(c for w in inside for c in w.word if c.isdigit()) == "45391488"  # the first two groups
    assert all(card.start_s - 0.05 <= w.start <= w.end <= card.end_s + 0.05 for w in inside)  # timed in the call
    redacted = first.redacted()
    spans = [s for s in redacted.pii_spans if s.kind == "card" and s.start_s < card.end_s and card.start_s < s.end_s]
    assert spans
    answer = [t.text for t in redacted.turns if t.speaker == "customer" and t.start_s < card.end_s < t.end_s + 1]
    assert answer and "[CARD]" in answer[0] and not any(c.isdigit() for c in answer[0])


def test_spans_heard_only_the_second_time_are_laid_on_the_first_transcript_s_words() -> None:
    from qa_toolkit.transcribe.redaction import find_call_pii, union_spans
    from qa_toolkit.transcribe.redecode import reheard_turns
    from qa_toolkit.transcribe.backend import Segment

    first = [turn("agent", 0.0, "Can I take the long number on the card?"),  # ends 3.6
             turn("customer", 4.0, "for five tree nine one"),  # garbled: no card in it (words 4.0 to 6.0)
             turn("agent", 9.0, "And your e-mail for the receipt?"),
             turn("customer", 11.5, "jo dot baxter at gmail dot com")]
    assert [s.kind for s in find_call_pii(first)] == ["email"]
    heard_words = [Word(round(4.0 + i * 0.45, 2), round(4.45 + i * 0.45, 2), w, 0.9)
                   for i, w in enumerate("4539 1488 0343 6467".split())]  # 4.0 to 5.8
    again = reheard_turns(first, [Segment(4.0, 5.8, "4539 1488 0343 6467", heard_words)])
    assert [t.text for t in again if t.speaker == "customer"] == ["4539 1488 0343 6467",
                                                                  "jo dot baxter at gmail dot com"]
    spans = union_spans(first, find_call_pii(first), again)
    card = [s for s in spans if s.kind == "card"]
    assert len(card) == 1 and card[0].turn == 1 and (card[0].start_s, card[0].end_s) == (4.0, 6.0)
    assert first[1].text[card[0].start:card[0].end] == "for five tree nine one"  # the words said while the card was
    assert [s.kind for s in spans] == ["card", "email"]  # the address found once, not twice


def test_a_span_both_transcripts_hold_is_kept_as_the_first_found_it() -> None:
    from qa_toolkit.transcribe.redaction import find_call_pii, union_spans

    first = [turn("agent", 0.0, "What's the card number?"),
             turn("customer", 2.0, "4539 1488 0343 6467")]
    spans = find_call_pii(first)
    assert union_spans(first, spans, first) == spans


def test_the_redacted_transcript_reads_both_and_keeps_neither_in_clear() -> None:
    from qa_toolkit.transcribe.backend import Segment
    from qa_toolkit.transcribe.pipeline import Transcript
    from qa_toolkit.transcribe.redecode import reheard_turns
    from qa_toolkit.transcribe.turns import call_timing

    first = [turn("agent", 0.0, "Can I take the long number on the card?"),
             turn("customer", 4.0, "for five tree nine one")]
    heard_words = [Word(round(4.0 + i * 0.45, 2), round(4.45 + i * 0.45, 2), w, 0.9)
                   for i, w in enumerate("4539 1488 0343 6467".split())]
    transcript = Transcript(turns=first, segments={}, timing=call_timing({}, 6.0), duration_s=6.0, channels=2,
                            codec="flac", language="en",
                            reheard=reheard_turns(first, [Segment(4.0, 5.8, "", heard_words)]))
    redacted = transcript.redacted()
    assert redacted.reheard is None and [s.kind for s in redacted.pii_spans] == ["card"]
    assert redacted.turns[1].text == "[CARD]" and [w.word for w in redacted.turns[1].words] == ["[CARD]"]
    assert [s.kind for s in Transcript(turns=first, segments={}, timing=call_timing({}, 6.0), duration_s=6.0,
                                       channels=2, codec="flac", language="en").redacted().pii_spans] == []


@pytest.mark.slow
def test_the_sample_call_s_answers_are_read_twice_packed_and_stored_redacted() -> None:
    from qa_toolkit.transcribe.faster_backend import load_backend
    from qa_toolkit.transcribe.pipeline import transcribe_file

    backend = load_backend("faster-whisper", "tiny.en", "cpu", 1)
    plain = transcribe_file(SAMPLE, backend, TranscriptionOptions())
    options = TranscriptionOptions(reread_answers=True)
    first = transcribe_file(SAMPLE, backend, options)
    again = transcribe_file(SAMPLE, backend, options)
    assert plain.reheard is None and first.reheard is not None
    assert first.text == plain.text  # the first decode's words are kept as they were
    assert [t.text for t in first.reheard] == [t.text for t in again.reheard]  # same audio, same second reading
    heard = [t for t in first.reheard if t.speaker == "customer" and any(c.isdigit() for c in t.text)]
    assert heard  # the answers decoded again, with the prompt of digits
    redacted = first.redacted()
    assert redacted.reheard is None
    assert {s.kind for s in plain.redacted().pii_spans} <= {s.kind for s in redacted.pii_spans}
    assert not any(c.isdigit() for t in redacted.turns if t.speaker == "customer" for c in t.text
                   if "[CARD]" in t.text)
