"""A call's structure as the checks read it (issue 15): the line's recorded prompts before the agent and inside a
hold, a colleague or team lead on the agent's side (``agent_2`` on a mono call), and a mono call whose speakers
diarization could not decide (``unknown``). Sentences of our own, not the labelled calls."""

from __future__ import annotations

import pytest

from qa_toolkit.scoring.callturns import own_words, prompt_end, recorded_line
from qa_toolkit.scoring.checks import get_check
from qa_toolkit.scoring.view import InteractionView, TurnView


def call(*turns: tuple[str, str, float, float]) -> InteractionView:
    return InteractionView("c-1", "call", tuple(TurnView(i, s, t, a, b) for i, (s, t, a, b) in enumerate(turns)))


def run(name: str, view: InteractionView):  # type: ignore[no-untyped-def]
    return get_check(name)(view, {})


@pytest.mark.parametrize(("said", "own"), [
    ("Welcome to Brightfield Gas. We record every call to train our staff. Billing.", " Billing."),
    ("Thanks for calling Pellow Rail. Please stay on the line. Hi, Zara speaking.", "Hi, Zara speaking."),
    ("You're through to Quaymark. Connecting you to the next free advisor. Yeah?", "Yeah?"),
    # an agent's own opening keeps everything, a notice said after it too
    ("Morning, Quaymark, Dev speaking. Just so you know, we record calls.", "Morning, Quaymark, Dev speaking. "
     "Just so you know, we record calls."),
    ("Welcome to Quaymark, Dev speaking, how can I help?", "Welcome to Quaymark, Dev speaking, how can I help?"),
    # a person saying it is no recording: "I'm recording this" with a greeting word or "I"
    ("Hello, I'm recording this call for training. What's up?", "Hello, I'm recording this call for training. "
     "What's up?"),
])
def test_where_the_agents_own_words_start(said: str, own: str) -> None:
    assert said[prompt_end(said):] == own


def test_a_turn_of_prompts_only_is_dropped_and_the_next_one_is_the_agents() -> None:
    turns = [TurnView(0, "agent", "Thanks for calling Pellow Rail. Calls are recorded. All our advisors are busy.",
                      0.0, 6.0),
             TurnView(1, "agent", "Thanks for waiting, you've got Zara.", 16.0, 18.0),
             TurnView(3, "agent", "Thanks for calling back later.", 30.0, 32.0)]
    assert [(t.index, t.text) for t in own_words(turns)] == [(1, "Thanks for waiting, you've got Zara."),
                                                             (3, "Thanks for calling back later.")]
    assert recorded_line(TurnView(5, "agent", "Thank you for waiting. Your call is important to us.", 0.0, 1.0))
    assert not recorded_line(TurnView(5, "agent", "Please hold, I'm checking.", 0.0, 1.0))


def test_the_lines_welcome_and_notice_greet_nobody_when_the_agent_only_names_the_team() -> None:
    said = "Welcome to Brightfield Gas. We record every call to train our staff. Billing."
    result = run("greeting", call(("agent", said, 0.0, 7.0), ("customer", "Hi, my meter's stuck.", 7.5, 9.0),
                                  ("agent", "Account number?", 9.5, 10.5)))
    assert result.status == "fail", result.message
    greeted = run("greeting", call(("agent", "Thanks for calling Pellow Rail. Please stay on the line. Hi, Zara "
                                             "speaking.", 0.0, 7.0), ("customer", "Hi.", 7.5, 8.0)))
    assert greeted.status == "pass" and greeted.evidence[0].quote == "Hi", greeted.message


def test_a_name_alone_after_the_lines_prompt_introduces_the_agent() -> None:
    result = run("greeting", call(("agent", "Welcome to Pellow Rail. Please say your ticket number.", 0.0, 4.0),
                                  ("customer", "P R four one two.", 4.5, 6.0),
                                  ("agent", "Thank you. Connecting you now. Thanks, I'm Tomasz. I can see the ticket.",
                                   7.0, 12.0)))
    assert result.status == "pass", result.message
    assert result.evidence[0].turn == 2


def test_on_an_undecided_mono_call_the_first_voice_after_the_prompt_is_judged() -> None:
    greeted = run("greeting", call(
        ("unknown", "You're through to Quaymark. Connecting you to the next free advisor.", 0.0, 5.0),
        ("unknown", "Hiya, Dev here, what's up?", 7.0, 9.0),
        ("unknown", "My parcel's gone missing.", 9.5, 11.0)))
    assert greeted.status == "pass", greeted.message
    # the caller's "Hi" after an agent who only said "go ahead" is not the agent's greeting
    bare = run("greeting", call(
        ("unknown", "Welcome to Quaymark. We record our calls.", 0.0, 5.0),
        ("unknown", "Yep, go ahead.", 7.0, 8.0),
        ("unknown", "Hi, my parcel's gone missing.", 8.5, 10.0)))
    assert bare.status == "fail", bare.message
    assert [e.turn for e in bare.evidence] == [1]


def test_a_colleague_who_greets_after_a_transfer_is_not_the_first_agent() -> None:
    result = run("greeting", call(
        ("agent", "Reception. I'll put you through to billing now.", 0.0, 3.0),
        ("agent", "Hello, you're speaking with Ines in billing, thanks for holding.", 12.0, 15.0),
        ("customer", "Hi Ines.", 15.5, 16.0)))
    assert result.status == "fail" and [e.turn for e in result.evidence] == [0], result.message
    greeted = run("greeting", call(
        ("agent", "Reception.", 0.0, 1.0), ("customer", "Hi, it's about my bill.", 1.5, 3.0),
        ("agent", "Hello, sorry, yes, this is Ines, I'll put you through to billing now.", 3.5, 7.0)))
    assert greeted.status == "pass", greeted.message


@pytest.mark.parametrize(("speaker", "given"), [("unknown", True), ("other", True), ("agent_2", True),
                                                ("customer", False)])
def test_a_recording_notice_is_the_lines_whoever_diarization_could_not_place(speaker: str, given: bool) -> None:
    result = run("disclosure", call((speaker, "This call may be recorded for training.", 0.0, 3.0),
                                    ("agent", "Morning, Dev speaking.", 4.0, 5.0)))
    assert (result.status == "pass") is given, result.message


def test_a_recorded_line_inside_a_hold_neither_breaks_nor_thanks_for_it() -> None:
    turns = (("agent", "I need to ask the warehouse, can I pop you on hold?", 0.0, 3.0),
             ("customer", "Sure.", 3.5, 4.0),
             ("agent", "Thank you for waiting. Your call is important to us.", 11.0, 14.0),
             ("agent", "Sorry that took a while, it ships tomorrow.", 21.0, 24.0))
    result = run("hold_etiquette", call(*turns))
    assert result.status == "pass", result.message
    unthanked = run("hold_etiquette", call(*turns[:3], ("agent", "Right, it ships tomorrow.", 21.0, 24.0)))
    assert unthanked.status == "fail" and "no thanks" in unthanked.message, unthanked.message


def test_the_lines_please_hold_announces_a_queue_and_the_agent_who_picks_up_thanks() -> None:
    result = run("hold_etiquette", call(
        ("agent", "Thanks for calling Pellow Rail. All our advisors are busy. Please hold.", 0.0, 5.0),
        ("agent", "Thanks for waiting, Zara speaking.", 15.0, 17.0),
        ("customer", "Hi, my train was cancelled.", 17.5, 19.0)))
    assert result.status == "pass", result.message


@pytest.mark.parametrize("speaker", ["agent", "agent_2"])
def test_a_transfer_is_a_wait_thanked_by_whoever_picks_up(speaker: str) -> None:
    result = run("hold_etiquette", call(
        ("agent", "That's the refunds team, I'll put you through to them now.", 0.0, 3.0),
        (speaker, "Refunds, Priti here, thanks for hanging on.", 12.0, 15.0),
        ("customer", "Hi Priti.", 15.5, 16.0)))
    assert result.status == "pass", result.message
    fetched = run("hold_etiquette", call(
        ("agent", "I'll need to get my team lead for that.", 0.0, 3.0),
        (speaker, "Hello, Marcus here, I've approved it.", 12.0, 15.0)))
    assert fetched.status == "fail" and "no thanks" in fetched.message, fetched.message


def test_on_a_mono_call_a_team_lead_who_took_over_acknowledges_and_verifies() -> None:
    view = call(("agent", "Stackwise support, Omar.", 0.0, 2.0),
                ("customer", "I'm locked out and my whole team is stuck, this is driving me mad.", 2.5, 6.0),
                ("agent", "I'll get my team lead.", 6.5, 8.0),
                ("agent_2", "Hi, Nina here. I'm so sorry, that sounds really stressful. Can you confirm your date "
                            "of birth?", 18.0, 23.0),
                ("customer", "Ninth of May, eighty one.", 24.0, 26.0),
                ("agent_2", "Thanks, that's right. Your balance is forty two pounds.", 26.5, 29.0))
    empathy = run("empathy", view)
    assert empathy.status == "pass" and empathy.evidence[-1].turn == 3, empathy.message
    identity = run("identity_before_account", view)
    assert identity.status == "pass" and [e.turn for e in identity.evidence] == [3, 5], identity.message
