"""Checks on call transcripts (issue 15): a channel's turn holds whatever that line said (an IVR prompt, then the
agent), holds show as silence, and a colleague who takes over speaks on the agent's line. Sentences of our own,
not the labelled calls. Also a call's structure as the checks read it (``qa_toolkit.scoring.callturns``): the line's
recorded prompts before the agent and inside a hold, a colleague or team lead on the agent's side (``agent_2`` on a mono
call), and a mono call whose speakers diarization could not decide (``unknown``)."""

from __future__ import annotations

import pytest

from qa_toolkit.scoring.callturns import own_words, prompt_end, recorded_line
from qa_toolkit.scoring.checks import get_check
from qa_toolkit.scoring.view import InteractionView, TurnView


def call(*turns: tuple[str, str, float, float]) -> InteractionView:
    return InteractionView("c-1", "call", tuple(TurnView(i, s, t, a, b) for i, (s, t, a, b) in enumerate(turns)))


def run(name: str, view: InteractionView):  # type: ignore[no-untyped-def]
    return get_check(name)(view, {})


def test_a_hold_asked_for_and_thanked_passes_and_a_closing_question_is_no_hold() -> None:
    result = run("hold_etiquette", call(
        ("agent", "Okay. Are you alright to stay on the line while I look at the ledger?", 0.0, 4.0),
        ("customer", "Sure, go ahead.", 4.5, 5.5),
        ("agent", "Thanks for staying on the line. It was a duplicate, it's refunded.", 21.0, 25.0),
        ("agent", "Anything more I can look at while you're on the line?", 25.5, 28.0),
        ("customer", "No, that's it.", 28.5, 29.5),
        ("agent", "Take care.", 30.0, 31.0)))
    assert result.status == "pass", result.message
    assert [e.quote for e in result.evidence] == ["alright to stay on", "Thanks for staying on"]


def test_thanks_for_the_wait_does_not_announce_another_one() -> None:
    result = run("hold_etiquette", call(
        ("agent", "Can you hold on for me a moment?", 0.0, 2.0),
        ("agent", "Thanks for holding on. Your order is packed.", 12.0, 15.0),
        ("customer", "Great.", 15.5, 16.0),
        ("agent", "Bye now.", 16.5, 17.0)))
    assert result.status == "pass", result.message


@pytest.mark.parametrize(("said", "escalated"), [
    ("I can't book partner airlines myself, so I'm going to bring in Dana, who runs the desk tonight.", True),
    ("That's one for our tier two engineers. I'm sending you over to them now.", True),
    ("Tier two, Sam speaking. I hear your exports are failing?", True),
    ("Hello, it's Morgan Reid, I lead the complaints team here.", True),
    ("I'll put you up in a hotel near the airport tonight.", False),
    ("I'm sending you the form by email now.", False),
    # said on the phone (issue 15, spoken wording)
    ("Meter faults sit with the field team, so I'll pop you across to them now.", True),
    ("Someone from our fraud team will give you a ring this afternoon.", True),
    ("I'll pop the form over to you by email.", False),
])
def test_a_hand_over_on_the_agents_line_is_an_escalation(said: str, escalated: bool) -> None:
    result = run("escalation", call(("agent", "Billing, Alex speaking.", 0.0, 2.0),
                                    ("customer", "My bill is wrong.", 2.5, 4.0),
                                    ("agent", said, 4.5, 9.0)))
    assert result.measures["escalated"] is escalated, result.message


def test_the_ivr_connecting_the_caller_is_no_escalation_but_is_followed_by_a_greeting() -> None:
    view = call(("agent", "Calls are recorded for training. Connecting you to an advisor now. Afternoon, home "
                          "support, how can I help?", 0.0, 8.0),
                ("customer", "My lamp arrived broken.", 8.5, 10.0),
                ("agent", "Oh no, I'll send a new one today.", 10.5, 13.0))
    assert run("escalation", view).measures["escalated"] is False
    resolution = run("resolution", view)
    assert "escalated" not in resolution.message
    assert run("greeting", call(("agent", "You're through to an advisor. Afternoon, billing.", 0.0, 3.0),
                                ("customer", "Hi.", 3.5, 4.0))).status == "pass"


@pytest.mark.parametrize(("said", "prohibited"), [
    ("Yeah, folks like you always say they've paid.", True),
    ("If you'd actually read it you wouldn't need to call.", True),
    ("You need to take it down a notch, sir.", True),
    ("It's in the contract. That's on you, mate.", True),
    ("Nobody here will tell you it's your fault.", False),
    ("Customers like you get the loyalty discount automatically.", False),
    ("If you'd like to read it, I'll email the contract.", False),
    # said on the phone (issue 15, spoken wording)
    ("Look, there's no need to shout at me.", True),
    ("Keep your voice down and we'll get through this quicker.", True),
    ("Missing the renewal date was down to you, I'm afraid.", True),
    ("Everybody's got a story. The balance is still due.", True),
    ("Don't make me ring you again about this.", True),
    ("I'd never ask you to lower your voice, you've every right to be cross.", False),
    ("Whether you renew or not is down to you.", False),
])
def test_insults_blame_and_calm_down_in_other_words(said: str, prohibited: bool) -> None:
    result = run("prohibited_language", call(("customer", "I never agreed to this.", 0.0, 2.0),
                                             ("agent", said, 2.5, 6.0)))
    assert (result.status == "fail") is prohibited, result.message


def test_on_a_call_an_agents_mm_hm_is_no_reply_and_a_reply_split_by_the_customer_is_one() -> None:
    view = call(("agent", "Hi, Westbrook Water, Jess speaking.", 0.0, 2.0),
                ("customer", "I've had brown water for a week and nobody tells me anything.", 2.5, 6.0),
                ("agent", "Mm-hm.", 6.2, 6.6),
                ("customer", "And the kids can't even have a bath.", 6.8, 9.0),
                ("agent", "Right, okay, let me pull up the works on your street", 9.5, 12.0),
                ("customer", "Mm.", 12.1, 12.4),
                ("agent", "and first, I'm really sorry, a week of that with children at home.", 12.5, 16.0),
                ("customer", "So what's happening?", 16.5, 17.5),
                ("agent", "The main is being flushed tonight.", 18.0, 20.0))
    result = run("empathy", view)
    assert result.status == "pass", result.message
    assert "turn 6" in result.message


@pytest.mark.parametrize(("upset", "reply", "status"), [
    ("Sorry, my wife died in March and I'm all over the place with the paperwork.",
     "Oh, bless you. Take all the time you need, we'll do it together.", "pass"),
    ("Hang on, I have to pay to send back something you got wrong? You're having a laugh.",
     "You're right, that isn't fair on you. I'll email a free label.", "pass"),
    ("Hang on, I have to pay to send back something you got wrong? You're having a laugh.",
     "The label costs four ninety-five.", "fail"),
])
def test_spoken_upset_and_spoken_acknowledgement(upset: str, reply: str, status: str) -> None:
    result = run("empathy", call(("agent", "Good morning, Jess speaking.", 0.0, 2.0), ("customer", upset, 2.5, 8.0),
                                 ("agent", reply, 8.5, 12.0)))
    assert result.status == status, result.message


@pytest.mark.parametrize(("last", "label"), [
    ("Fine. If it goes up again in March, I'm off.", "negative"),
    ("I'm not listening to this. I'll take it to Citizens Advice.", "negative"),
    ("Right, I'm putting the phone down now.", "negative"),
    ("You've been lovely, thank you, I was in a right state earlier.", "positive"),
])
def test_how_a_caller_ends(last: str, label: str) -> None:
    result = run("customer_sentiment", call(("agent", "Anything else?", 0.0, 1.0), ("customer", last, 1.5, 4.0)))
    assert result.measures["sentiment_end"] == label, result.message


@pytest.mark.parametrize(("first", "greeted"), [
    ("Mr Shah? Dan, from Harbour Lettings. Have you got a minute?", True),
    ("Hiya, Brookfield Vets.", True),
    ("Right, from the notes I can see the payment bounced.", False),
])
def test_spoken_openings(first: str, greeted: bool) -> None:
    result = run("greeting", call(("agent", first, 0.0, 3.0), ("customer", "Yes?", 3.5, 4.0),
                                  ("agent", "What's the postcode?", 4.5, 6.0)))
    assert (result.status == "pass") is greeted, result.message


@pytest.mark.parametrize(("last", "closed"), [
    ("The replacement will go out to you by Friday.", True),
    ("Okay. You look after yourself.", True),
    ("Yes, that's the one we have on file.", False),
    ("Right, ta-ra then.", True),
    ("Tara on the day shift set that up for you.", False),  # a name, not "ta-ra"
])
def test_spoken_closings(last: str, closed: bool) -> None:
    result = run("closing", call(("agent", "Hello, Jess here.", 0.0, 1.0), ("customer", "Is it sorted?", 1.5, 3.0),
                                 ("agent", last, 3.5, 6.0)))
    assert (result.status == "pass") is closed, result.message


def test_sorry_about_that_after_a_hold_is_an_apology_for_the_wait() -> None:
    result = run("hold_etiquette", call(
        ("agent", "Could you hang on while I check the stock room?", 0.0, 3.0),
        ("customer", "Sure.", 3.5, 4.0),
        ("agent", "Sorry about that. We've got one left in blue.", 16.0, 19.0),
        ("customer", "Great.", 19.5, 20.0)))
    assert result.status == "pass", result.message


# new spoken wordings (stream callwords): sentences of our own, not the labelled calls

@pytest.mark.parametrize(("first", "greeted"), [
    ("Thank you for waiting. Your call is being put through to the next available advisor. Yeah, go on.", False),
    ("Connecting you now. Please hold. Billing.", False),
    ("You're now through to Northway Gas. One moment please. Morning, Aled speaking.", True),
    ("Kowalczyk, Ridgeway Recoveries.", True),
    ("Brightfield Dental, Sunita.", True),
    ("Billing, Accounts.", False),
    ("Yes, Retentions.", False),
    ("Right, Tuesday then.", False),
])
def test_an_ivr_prompt_greets_nobody_and_a_company_and_a_name_do(first: str, greeted: bool) -> None:
    result = run("greeting", call(("agent", first, 0.0, 6.0), ("customer", "Hi, my boiler's broken.", 6.5, 8.0),
                                  ("agent", "What's the postcode?", 8.5, 10.0)))
    assert (result.status == "pass") is greeted, result.message


@pytest.mark.parametrize(("said", "prohibited"), [
    ("Calm yourself down, madam, it's a parking fine, not the end of the world.", True),
    ("Honestly, that's a silly question, it's printed on the front of the card.", True),
    ("It's not our fault if you don't bother to read the letters we post.", True),
    ("There's no such thing as a silly question here, ask away.", False),
    ("That's a fair question, I'll query the fine with the council for you.", False),
])
def test_spoken_brush_offs(said: str, prohibited: bool) -> None:
    result = run("prohibited_language", call(("customer", "Why was I fined?", 0.0, 2.0), ("agent", said, 2.5, 6.0)))
    assert (result.status == "fail") is prohibited, result.message


@pytest.mark.parametrize(("said", "escalated"), [
    ("Returns go through the warehouse desk, so I'll pass you through. Two secs.", True),
    ("Mrs Odum, Priti here, the shift supervisor. I've picked your case up.", True),
    ("Okay, I've got you through security, thanks.", False),
])
def test_spoken_hand_overs(said: str, escalated: bool) -> None:
    result = run("escalation", call(("agent", "Harbour Homes, Jo speaking.", 0.0, 2.0),
                                    ("customer", "My rent payment bounced.", 2.5, 4.0), ("agent", said, 4.5, 9.0)))
    assert result.measures["escalated"] is escalated, result.message


def test_id_be_at_the_end_of_my_tether_too_acknowledges() -> None:
    result = run("empathy", call(("agent", "Morning, Jo speaking.", 0.0, 2.0),
                                 ("customer", "Third engineer no-show this week, I'm losing my mind here.", 2.5, 6.0),
                                 ("agent", "Three no-shows? I'd be at the end of my tether too. Let me look.", 6.5, 9.0)))
    assert result.status == "pass", result.message
    happy = run("empathy", call(("agent", "Morning, Jo speaking.", 0.0, 2.0),
                                ("customer", "Third engineer no-show this week, I'm losing my mind here.", 2.5, 6.0),
                                ("agent", "I'd be happy to book that for you too.", 6.5, 9.0)))
    assert happy.status == "fail", happy.message


@pytest.mark.parametrize(("notice", "given"), [
    ("Just so you know, this line is monitored and kept on file.", True),
    ("Heads up, the recorder's running on this one.", True),
    ("Our calls are logged on tape for both our protection.", True),
    ("I'll keep a note on file of what we agree.", False),
])
def test_spoken_recording_notices_by_the_support_call_rubric(notice: str, given: bool) -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    check = get_check("disclosure")
    params = check.params.model_validate(rubric_check_params("support-call")["disclosure"])
    result = check(call(("agent", f"Good morning, Harbour Homes, Jo speaking. {notice}", 0.0, 5.0),
                        ("customer", "Hi, it's about my rent.", 5.5, 7.0)), params)
    assert (result.status == "pass") is given, result.message


def test_a_bare_spoken_ask_for_the_number_and_pin_is_verification() -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    check = get_check("identity_before_account")
    params = check.params.model_validate(rubric_check_params("support-call")["identity_before_account"])
    result = check(call(("agent", "Skyline Mobile, Sam speaking.", 0.0, 2.0),
                        ("customer", "I was charged for data abroad.", 2.5, 4.0),
                        ("agent", "Mobile number and the security PIN.", 4.5, 6.0),
                        ("customer", "Oh seven seven one two, and the PIN is four four one nine.", 6.5, 10.0),
                        ("agent", "Thanks. I can see the roaming charges on your account from the fourteenth.", 10.5, 14.0)),
                   params)
    assert result.status == "pass", result.message
    assert "turn 2" in result.message


# round 2 of the call cues (issue 15): our own sentences for the wording misses left on dev

def _by_rubric(name: str, view: InteractionView):  # type: ignore[no-untyped-def]
    from qa_toolkit.services.scoring import rubric_check_params

    check = get_check(name)
    return check(view, check.params.model_validate(rubric_check_params("support-call").get(name) or {}))


@pytest.mark.parametrize(("first", "greeted"), [
    ("Brightwater Gas support, Tomasz here.", True),
    ("Pellham Insurance claims, Ada here, what's happened?", True),
    ("Ruth here, Orla Broadband.", True),
    ("Ferncroft Rail bookings, Imani speaking.", True),
    ("Accounts, Payments here.", False),  # two departments: nobody introduced
])
def test_a_company_and_a_name_with_here_introduce_the_agent(first: str, greeted: bool) -> None:
    result = _by_rubric("greeting", call(("agent", first, 0.0, 3.0), ("customer", "Hi, it's about my bill.", 3.5, 5.0),
                                         ("agent", "Okay, which bill is that?", 5.5, 7.0)))
    assert (result.status == "pass") is greeted, result.message


@pytest.mark.parametrize(("first", "upset"), [
    ("Hello. My water bill's arrived at twice what it normally is and I'd like to know the reason.", False),
    ("Hiya, my broadband bill has jumped to double, I'd just like to know why.", False),
    ("Hello. I've had a bill that's double the normal amount and I'd like someone to explain it.", False),
    ("Good morning. This quarter's bill is twice the last one. Why would that be?", False),
    ("My bill has doubled again and nobody can tell me why. I'm sick of this.", True),
    ("Twice the usual? Are you having a laugh? There's no way I can pay that.", True),
    ("Wonderful, another bill that's doubled for no reason. Just what I needed.", True),  # sarcasm, by the classifier
    ("I'd like to know why I pay double for a service that never works. Brilliant.", True),  # a strong likeness
    ("Afternoon. My statement's come in a lot higher than usual, and I'd like to understand why.", False),
])
def test_a_calm_question_about_a_bigger_bill_is_not_upset(first: str, upset: bool) -> None:
    result = _by_rubric("empathy", call(("agent", "Good afternoon, Hollin Energy, Sam speaking.", 0.0, 3.0),
                                        ("customer", first, 3.5, 9.0),
                                        ("agent", "Let me have a look. First line of the address and the postcode?",
                                         9.5, 13.0),
                                        ("customer", "Nine Elm Row, L S six, two D Q.", 13.5, 16.0),
                                        ("agent", "Thanks. Your last reading was estimated, this one is actual.",
                                         16.5, 20.0)))
    assert (result.status != "na") is upset, result.message


@pytest.mark.parametrize(("ask", "answer", "detail", "status"), [
    # an application's status is the caller's own record; a reference alone is a look-up, not verification
    ("Okay, what's the application reference?", "A P, three three one eight.",
     "Yes, we got it on Monday, and it's with the assessors now.", "fail"),
    ("Sure, your reference and your date of birth?", "R F four four two, and the sixth of June, ninety one.",
     "Thanks. We received it on the fourth and it has gone to the panel.", "pass"),
    # the contents of an order read out after its number alone
    ("What's the order number?", "K L, five five two, zero one.",
     "Right, that's two pairs of running shoes and a water bottle, delivered yesterday.", "fail"),
    ("Can I get the order number?", "It's M B seven seven one.",
     "Okay, I can see it went out from our Derby warehouse on Thursday.", "fail"),
    ("Could I take the patient's full name and date of birth?", "Peter Lomax, second of May, fifty two.",
     "Thank you. I can see the prescription, it's ready at the counter.", "pass"),
])
def test_an_application_status_and_an_orders_contents_are_account_details(ask: str, answer: str, detail: str,
                                                                           status: str) -> None:
    result = _by_rubric("identity_before_account", call(
        ("agent", "Hello, Marlow Services, Kit speaking.", 0.0, 2.0),
        ("customer", "Hi, I'm calling to check on something of mine.", 2.5, 5.0),
        ("agent", ask, 5.5, 8.0), ("customer", answer, 8.5, 12.0), ("agent", detail, 12.5, 17.0),
        ("customer", "Okay, thanks.", 17.5, 18.5)))
    assert result.status == status, result.message


@pytest.mark.parametrize("said", [
    "Orders usually arrive in three to five working days.",
    "Applications are reviewed in the order they come in, so it can take a few weeks.",
    "Parcels sent on a Friday are delivered on Monday.",
])
def test_general_answers_about_orders_and_applications_are_no_account_detail(said: str) -> None:
    result = _by_rubric("identity_before_account", call(
        ("agent", "Hello, Marlow Services, Kit speaking.", 0.0, 2.0),
        ("customer", "Hi, how long does it usually take?", 2.5, 5.0), ("agent", said, 5.5, 9.0),
        ("customer", "Okay, thanks.", 9.5, 10.5)))
    assert result.status == "na", result.message


@pytest.mark.parametrize(("ask", "status"), [
    ("Surname and house number.", "pass"),  # a bare spoken ask for an address verifies
    ("Order number.", "fail"),  # an identifier alone does not
])
def test_a_house_number_asked_for_verifies_and_the_card_ending_is_a_detail(ask: str, status: str) -> None:
    result = _by_rubric("identity_before_account", call(
        ("agent", "Returns.", 0.0, 1.0), ("customer", "Hi, I'm chasing a refund for a kettle.", 1.5, 4.0),
        ("agent", ask, 4.5, 6.0), ("customer", "Okonkwo, number nine.", 6.5, 8.0),
        ("agent", "Okay. It went back on the fourth, to the card ending four four one two.", 8.5, 12.0),
        ("customer", "Right, thanks.", 12.5, 13.5)))
    assert result.status == status, result.message



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


# round 10 (callwords): wording the dev writers never used; sentences of our own, not the labelled calls'
@pytest.mark.parametrize(("first", "greeted"), [
    ("Dev. What can we fix for you?", True),
    ("Nadia here, what's gone wrong?", True),
    ("Support desk, you've got Sunil, what's up?", True),
    ("Hey, this is Ruth on the early shift.", True),
    ("Admissions, what is it?", False),
    ("Right, what's the account number?", False),
    ("Billing. What's the reference?", False),
    ("Yeah? Go on.", False),
])
def test_a_first_name_and_a_question_introduce_the_agent(first: str, greeted: bool) -> None:
    result = run("greeting", call(("agent", first, 0.0, 3.0), ("customer", "Hi, it's my bill.", 3.5, 5.0),
                                  ("agent", "Postcode and date of birth?", 5.5, 7.0)))
    assert (result.status == "pass") is greeted, result.message


@pytest.mark.parametrize(("notice", "given"), [
    ("Heads up, our calls get reviewed to coach the team.", True),
    ("We listen back to calls to train new starters.", True),
    ("Every call here is saved for training purposes.", True),
    ("I'll call you back once the form is saved.", False),
    ("I've reviewed your account already.", False),
])
def test_recording_notices_in_other_words_by_the_support_call_rubric(notice: str, given: bool) -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    check = get_check("disclosure")
    params = check.params.model_validate(rubric_check_params("support-call")["disclosure"])
    result = check(call(("agent", f"Dev here. {notice}", 0.0, 5.0),
                        ("customer", "Hi, it's about my rent.", 5.5, 7.0)), params)
    assert (result.status == "pass") is given, result.message


@pytest.mark.parametrize(("said", "prohibited"), [
    ("No point getting angry at me, the price is the price.", True),
    ("They all say that.", True),
    ("I'm not going through it again, it's in the letter.", True),
    ("Telling us you'd moved would have saved us all the hassle.", True),
    ("Pay by Friday or we'll send someone round to collect.", True),
    ("I'll send someone round to fix the boiler on Monday.", False),
    ("I'm sorry you had to go through it again.", False),
    ("Everyone says the new app is easier.", False),
])
def test_brush_offs_and_threats_in_other_words(said: str, prohibited: bool) -> None:
    result = run("prohibited_language", call(("agent", "Hello, Ann speaking.", 0.0, 2.0),
                                             ("customer", "This is the second time I've called.", 2.5, 5.0),
                                             ("agent", said, 5.5, 9.0)))
    assert (result.status == "fail") is prohibited, result.message


@pytest.mark.parametrize(("said", "escalated"), [
    ("That's above me, let me find someone more senior.", True),
    ("I'll log a case with tier two and they'll call you tomorrow.", True),
    ("My supervisor, Jen. She'll ring you after lunch.", True),
    ("I'll ring you back myself after lunch.", False),
    ("The tier two plan is ten pounds a month.", False),
])
def test_hand_overs_in_other_words(said: str, escalated: bool) -> None:
    result = run("escalation", call(("agent", "Billing, Alex speaking.", 0.0, 2.0),
                                    ("customer", "My bill is wrong.", 2.5, 4.0),
                                    ("agent", said, 4.5, 9.0)))
    assert bool(result.measures.get("escalated")) is escalated, result.message


@pytest.mark.parametrize(("before", "after", "status"), [
    ("Stay with me while I find someone who knows.", "Thanks for hanging on, I've got the answer.", "pass"),
    ("Let me ring the depot, I'll be back with you shortly.", "Right, the depot has it.", "fail"),
    ("Let me ask the warehouse, won't be long.", "Sorry about the wait, it's there.", "pass"),
])
def test_a_wait_announced_without_the_word_hold(before: str, after: str, status: str) -> None:
    result = run("hold_etiquette", call(("agent", "Hi, Jo here.", 0.0, 1.5),
                                        ("customer", "Where's my parcel?", 2.0, 3.5),
                                        ("agent", before, 4.0, 7.0),
                                        ("agent", after, 19.0, 22.0),
                                        ("customer", "Okay.", 22.5, 23.0)))
    assert result.status == status, result.message
    assert status == "pass" or "no thanks" in result.message


# round 16 (calls stream): hand-overs, brush-offs and sarcastic endings the new dev calls LC-D-125..144 said in
# other words, some as tiny.en writes them

@pytest.mark.parametrize(("said", "escalated"), [
    ("I'm getting you over to the disputes folks now, there'll be a bit of music.", True),
    ("Okay, I'm kicking it up to second line, they'll ring you.", True),
    ("I'm referring this up to our plane successors. Can they all phone you on Monday?", True),  # tiny.en
    ("Hi, Ines here, senior on shift. I've rebooked you.", True),
    ("My team leader Sara is on the line with us, she can approve it.", True),
    ("I've bumped your speed up to the next tier for free.", False),
    ("I'll get you over the line with a new router today.", False),
])
def test_hand_overs_sent_up_the_line(said: str, escalated: bool) -> None:
    result = run("escalation", call(("agent", "Harbour Homes, Jo speaking.", 0.0, 2.0),
                                    ("customer", "My rent payment bounced.", 2.5, 4.0), ("agent", said, 4.5, 9.0)))
    assert result.measures["escalated"] is escalated, result.message


@pytest.mark.parametrize(("said", "prohibited"), [
    ("Calm yourself, madam, I can't change it.", True),
    ("If it isn't paid by Monday we'll be sending people round to take the car.", True),
    ("I'm sending someone round to take a meter reading on Tuesday.", False),
    ("We're sending an engineer out to take the old boiler away.", False),
])
def test_calm_yourself_and_people_sent_to_take_the_goods(said: str, prohibited: bool) -> None:
    result = run("prohibited_language", call(("customer", "I can't pay it all.", 0.0, 2.0), ("agent", said, 2.5, 6.0)))
    assert (result.status == "fail") is prohibited, result.message


@pytest.mark.parametrize(("last", "label"), [
    ("Oh, marvellous. Two more days. Thanks a bunch.", "negative"),
    ("A credit note. Wow. Thanks so much for that.", "negative"),
    ("so, more waiting. Oh, brilliant. Can't wait.", "negative"),
    ("An aisle seat on the night bus. Living the dream.", "negative"),
    ("Oh, brilliant, thank you so much, that's sorted it.", "positive"),
])
def test_sarcastic_endings_said_aloud(last: str, label: str) -> None:
    result = run("customer_sentiment", call(("agent", "That's all I can do.", 0.0, 1.0), ("customer", last, 1.5, 4.0)))
    assert result.measures["sentiment_end"] == label, result.message


@pytest.mark.parametrize(("said", "escalated"), [
    # a second person greeting with their name on the agent's line, their team misheard (dev LC-D-170 through tiny.en)
    ("So myself, we have been listening in so take it from here. Hi, it's Helen. Hi, love the ship.", True),
    ("Hello, this is Grace, I run the lettings team, sorry to keep you.", True),
    ("Hi, it's Jo again. I've sorted the refund.", False),  # the agent coming back
    ("Hello, I'm sorry, the line dropped for a second.", False),
    ("Hi, I'm just checking the account now.", False),
])
def test_a_second_introduction_on_the_agents_line_is_a_hand_over(said: str, escalated: bool) -> None:
    result = run("escalation", call(("agent", "Hi, it's Jo at Harbour Homes.", 0.0, 2.0),
                                    ("customer", "My rent payment bounced.", 2.5, 4.0), ("agent", said, 4.5, 9.0)))
    assert result.measures["escalated"] is escalated, result.message
    first = run("escalation", call(("agent", "Hi, it's Helen. How can I help?", 0.0, 2.0),
                                   ("customer", "My rent payment bounced.", 2.5, 4.0)))
    assert first.measures["escalated"] is False  # the agent's own greeting
