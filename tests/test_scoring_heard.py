"""Phrases as speech recognition writes them (qa_toolkit.scoring.heard): sound keys, loose matches of two or more
words, and the greeting and closing checks reading them on calls only."""

from __future__ import annotations

import pytest

from qa_toolkit.scoring import heard
from qa_toolkit.scoring.checks.phrases import (CLOSINGS, GREETINGS, ClosingParams, GreetingParams, HeardParams, closing,
                                               greeting)
from qa_toolkit.scoring.view import InteractionView, TurnView

LOOSE = {"word_ratio": 70.0, "joined_ratio": 85.0}


@pytest.mark.parametrize(("a", "b"), [("through", "threw"), ("record", "rekord"), ("morning", "mourning"),
                                      ("calls", "cauls"), ("speaking", "speeking")])
def test_sound_alike_words_share_a_key(a: str, b: str) -> None:
    assert heard.key(a) == heard.key(b)


@pytest.mark.parametrize(("said", "phrases", "found"), [
    ("Thanks for coming, Lumen view, Oscar speaking.", GREETINGS, "Thanks for coming"),  # "thanks for calling"
    ("You were threw to Brightsee", GREETINGS, "You were threw to"),  # "you're through to": a word split
    ("Hi you have reach Hub loft", GREETINGS, "you have reach"),
    ("Good mourning, Hollins and Price.", GREETINGS, "Good mourning"),
    ("Any thing elves I can do?", CLOSINGS, "Any thing elves"),  # "anything else": two words heard as three
])
def test_a_phrase_garbled_by_speech_recognition_is_found(said: str, phrases: tuple[str, ...], found: str) -> None:
    match = heard.near(said, phrases, **LOOSE)
    assert match is not None and match.text.endswith(found.split()[-1]) and found in said[match.start:match.end]


@pytest.mark.parametrize(("said", "phrases"), [
    ("Thanks for waiting, I've found it.", GREETINGS),  # "waiting" is not "calling": two sounds off
    ("Thanks for holding on.", CLOSINGS),
    ("Can I take your name and postcode?", GREETINGS),
    ("Hi.", GREETINGS),  # a short phrase matches only as written
    ("I'm not going to say goodbye yet, we're not done.", CLOSINGS),
])
def test_other_words_are_not_a_phrase(said: str, phrases: tuple[str, ...]) -> None:
    assert heard.near(said, phrases, **LOOSE) is None


def test_a_negated_phrase_is_skipped_unless_asked_for() -> None:
    said = "I never said thanks for coming."
    assert heard.near(said, GREETINGS, **LOOSE) is None
    assert heard.near(said, GREETINGS, **LOOSE, allow_negated=True) is not None


def _view(channel: str, *agent: str) -> InteractionView:
    turns = []
    for said in agent:
        turns += [TurnView(len(turns), "agent", said, float(len(turns)), len(turns) + 0.9),
                  TurnView(len(turns) + 1, "customer", "Okay.", len(turns) + 1.0, len(turns) + 1.5)]
    return InteractionView("c-1", channel, tuple(turns))


def test_the_greeting_check_reads_a_garbled_greeting_on_a_call_only() -> None:
    p = GreetingParams(named_opening=False)
    said = "thanks for coming quorvan bank so what's happened"
    call = greeting(_view("call", said), p)
    assert call.status == "pass" and "as heard" in call.message and call.evidence[0].quote == "thanks for coming"
    assert greeting(_view("chat", said), p).status == "fail"
    assert greeting(_view("call", said), GreetingParams(named_opening=False, heard=None)).status == "fail"


def test_the_closing_check_reads_a_garbled_offer_of_more_help_on_a_call() -> None:
    p = ClosingParams(handover=False, heard=HeardParams())  # off by default: asked for here
    call = closing(_view("call", "Your card is frozen.", "Any thing elves I can do for you today"), p)
    assert call.status == "pass" and "as heard" in call.message
    assert closing(_view("call", "Your card is frozen.", "Thanks for holding on."), p).status == "fail"
