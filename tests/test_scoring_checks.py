"""Each automated check on positive, negative and not-applicable examples, including the hard cases."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_toolkit.scoring.checks import check_names, get_check
from qa_toolkit.scoring.view import ContactRef, InteractionView, PiiSpan, TurnView

T0 = datetime(2026, 10, 5, 9, 0, tzinfo=timezone.utc)


def view(*turns: tuple[str, str], channel: str = "chat", **fields) -> InteractionView:  # type: ignore[no-untyped-def]
    return InteractionView("x-1", channel, tuple(TurnView(i, s, t) for i, (s, t) in enumerate(turns)), **fields)


def timed(*turns: tuple[str, float, str]) -> InteractionView:
    return InteractionView("x-1", "chat", tuple(TurnView(i, s, t, at=T0 + timedelta(seconds=o))
                                                for i, (s, o, t) in enumerate(turns)), started_at=T0)


def call(*turns: tuple[str, float, float, str], **fields) -> InteractionView:  # type: ignore[no-untyped-def]
    return InteractionView("x-1", "call", tuple(TurnView(i, s, t, a, b) for i, (s, a, b, t) in enumerate(turns)),
                           **fields)


def run(name: str, v: InteractionView, **params):  # type: ignore[no-untyped-def]
    return get_check(name)(v, params)


def test_every_family_registers_its_checks() -> None:
    assert {"greeting", "closing", "disclosure", "prohibited_language", "identity_before_account", "empathy",
            "customer_sentiment", "resolution", "escalation", "fcr", "accuracy", "response_time", "talk_ratio",
            "silence", "hold", "overtalk", "aht", "pii_exposure", "phrase"} <= set(check_names())


@pytest.mark.parametrize(("turns", "status"), [
    ([("agent", "Hello, how can I help?")], "pass"),
    ([("customer", "hi"), ("agent", "¡Hola José! Un momento.")], "pass"),
    ([("agent", "您好! Hello Li Lei")], "pass"),
    ([("agent", "This bill can be split."), ("agent", "Done.")], "fail"),  # "hi" inside "this" is no greeting
    ([("agent", "Reason?"), ("agent", "Cancelled."), ("agent", "Hello")], "fail"),  # too late
    ([("customer", "hello?")], "na"),
])
def test_greeting(turns, status) -> None:  # type: ignore[no-untyped-def]
    result = run("greeting", view(*turns))
    assert result.status == status
    if status == "pass":
        assert result.evidence[0].speaker == "agent" and result.evidence[0].quote


@pytest.mark.parametrize(("turns", "status"), [
    ([("agent", "Hi"), ("agent", "Is there anything else I can help with?")], "pass"),
    ([("agent", "Hi"), ("customer", "bye"), ("agent", "Ok.")], "fail"),
    ([("agent", "Done. Have a great weekend!")], "pass"),
    ([("agent", "All sorted, have a lovely rest of your day.")], "pass"),
    ([("agent", "Have a good one")], "pass"),
    ([("agent", "You have a great deal on that plan.")], "fail"),
])
def test_closing(turns, status) -> None:  # type: ignore[no-untyped-def]
    assert run("closing", view(*turns)).status == status


@pytest.mark.parametrize(("turns", "status", "quote"), [
    ([("agent", "Please calm down.")], "fail", "calm down"),
    ([("agent", "Don't worry, calm down and tell me.")], "fail", "calm down"),  # the clause break ends the negation
    ([("customer", "Calm down? Damn, you people!"), ("agent", "Hello, I'm sorry.")], "pass", None),
    ([("agent", "I'm not going to tell you to calm down, you're right to be upset.")], "pass", None),
    ([("agent", "Hello and welcome, here's the shell script.")], "pass", None),  # "hell" needs word boundaries
    ([("agent", "Damn, these routers are crap.")], "fail", "Damn"),
    ([("customer", "what the hell")], "na", None),
])
def test_prohibited_language_by_the_agent_only(turns, status, quote) -> None:  # type: ignore[no-untyped-def]
    result = run("prohibited_language", view(*turns))
    assert result.status == status
    if quote:
        assert quote in result.evidence[0].quote and result.evidence[0].speaker == "agent"


def test_prohibited_language_extra_phrases_from_the_rubric() -> None:
    v = view(("agent", "If you don't pay we will garnish your wages."))
    assert run("prohibited_language", v).status == "pass"
    assert run("prohibited_language", v, extra_phrases=["garnish"]).status == "fail"


@pytest.mark.parametrize(("said", "status"), [
    ("You ticked the box that says 12 months, so that one's on you.", "fail"),  # blame in a stock idiom
    ("Honestly, a child could send a meter reading.", "fail"),
    ("A child could be added to the policy at no cost.", "pass"),  # a child on a policy, not talking down
    ("Cry me a river, half our members get injured in January.", "fail"),
    ("Pay by Friday or you will be taken to court.", "fail"),  # legal action as a certainty
    ("If it stays unpaid our client may start county court proceedings.", "pass"),  # what may lawfully happen
    ("I'm sorry, and none of this is your fault.", "pass"),  # "none" negates the blame
    ("That's the policy, you'll just have to deal with it.", "fail"),
    ("It is our problem and I'll deal with it today.", "pass"),  # the agent's own promise
])
def test_prohibited_language_idioms_certain_threats_and_none(said: str, status: str) -> None:
    assert run("prohibited_language", view(("agent", said))).status == status


def test_disclosure_within_seconds_or_turns() -> None:
    on_time = call(("system", 0, 5, "This call may be recorded for quality purposes."), ("agent", 5, 8, "Hi"))
    late = call(("agent", 0, 5, "Hi"), ("customer", 5, 40, "..."), ("agent", 41, 45, "This call is being recorded."))
    missing = call(("agent", 0, 5, "Hi there"))
    assert run("disclosure", on_time).status == "pass"
    result = run("disclosure", late)
    assert result.status == "fail" and "late (41 s)" in result.message
    assert run("disclosure", missing).status == "fail"
    untimed = view(("agent", "Hi"), ("customer", "x"), ("customer", "y"), ("customer", "z"),
                   ("agent", "Calls are recorded for training purposes."))
    assert run("disclosure", untimed, within_turns=4).status == "fail"
    assert run("disclosure", missing, channels=["chat"]).status == "na"


@pytest.mark.parametrize(("turns", "status"), [
    ([("agent", "Can you confirm your date of birth?"), ("customer", "1 May 1980"),
      ("agent", "Thanks. Your balance is $20.")], "pass"),
    ([("agent", "Your account shows an outstanding amount of $120."), ("agent", "Please confirm your date of birth.")],
     "fail"),
    ([("agent", "The address on file is 12 High St. Can you confirm your date of birth?")], "fail"),
    ([("agent", "Our opening hours are 9 to 5.")], "na"),
])
def test_identity_verified_before_account_details(turns, status) -> None:  # type: ignore[no-untyped-def]
    result = run("identity_before_account", view(*turns))
    assert result.status == status
    if status != "na":
        assert result.evidence[-1].quote


@pytest.mark.parametrize(("turns", "status"), [
    ([("customer", "This is ridiculous, I was charged twice!"), ("agent", "I'm so sorry about that.")], "pass"),
    ([("customer", "I've waited two weeks and I'm losing my patience."),
      ("agent", "Two weeks is way too long, I'd be annoyed too.")], "pass"),  # unusual wording
    ([("customer", "Your app is useless. Annoying!"), ("agent", "I don't understand what you mean.")], "fail"),
    ([("customer", "This is unacceptable!!"), ("agent", "Reference?"), ("agent", "Checking."),
      ("agent", "Sorry about the confusion.")], "fail"),  # acknowledged too late
    ([("customer", "I'm not angry, just curious about the fee."), ("agent", "The fee is $5.")], "na"),
    ([("customer", "What are your opening hours?"), ("agent", "9 to 5.")], "na"),
])
def test_empathy_when_the_customer_is_upset(turns, status) -> None:  # type: ignore[no-untyped-def]
    result = run("empathy", view(*turns))
    assert result.status == status
    if status != "na":
        assert result.evidence[0].speaker == "customer"


# round 13 (empathy stream): the same failure counted, a long wait counted, a terse demand; fairness and what anyone
# would feel named back; and a happy "!!" with thanks, which is no upset (sentences in no dev conversation)
@pytest.mark.parametrize(("customer", "agent", "status"), [
    ("I've been waiting six weeks for the cheque.", "Order number?", "fail"),
    ("Fifth time asking now.", "Noted.", "fail"),
    ("The meter's been read wrong for the third quarter running.", "Meter serial?", "fail"),
    ("bill's 140. it's normally 40. explain.", "Account number?", "fail"),
    ("Third bill in a row with the same error.", "That isn't fair to you at all.", "pass"),
    ("Third bill in a row with the same error.",
     "Three wrong bills would feel like a stitch-up to anyone, let's fix it.", "pass"),
    ("I've been waiting six weeks for the cheque.", "You shouldn't be out of pocket for our mistake.", "pass"),
    ("A letter saying bailiffs are coming, and we're a one-income house.", "That would make anyone anxious.", "pass"),
    ("the new card came this morning!! ty", "Great!", "na"),
    ("This is my second order this month, can you combine the delivery?", "Sure.", "na"),
    ("The plan runs for 12 months, right?", "Yes.", "na"),
])
def test_empathy_upset_counted_and_acknowledged_in_other_words(customer: str, agent: str, status: str) -> None:
    result = run("empathy", view(("customer", customer), ("agent", agent), ("customer", "ok")))
    assert result.status == status, result.message
    if status != "na":
        assert result.message.startswith("customer upset in turn 0 (frustration words")


@pytest.mark.parametrize(("last", "label"), [
    ("Thank you so much, great help!", "positive"), ("This is useless, worst service ever.", "negative"),
    ("ok.", "neutral"), ("Merci !", "positive"), ("Wow. Rude.", "negative"),
])
def test_customer_sentiment_at_the_end(last: str, label: str) -> None:
    result = run("customer_sentiment", view(("agent", "Hi"), ("customer", last)))
    assert result.measures["sentiment_end"] == label
    assert result.status == ("fail" if label == "negative" else "pass")


@pytest.mark.parametrize(("turns", "resolved"), [
    ([("customer", "Charged twice."), ("agent", "I've refunded the duplicate."), ("customer", "Great, thanks!")], True),
    ([("customer", "Box reboots."), ("agent", "I've reset it, should work now."),
      ("customer", "It still doesn't work.")], False),
    ([("customer", "Opening hours?"), ("agent", "9 to 5."), ("customer", "ok thanks")], True),
    ([("customer", "Tax issue."), ("agent", "I'll transfer you to our specialist team."), ("customer", "OK.")], False),
    ([("customer", "Refund?"), ("agent", "I've issued the refund.")], False),  # the customer never agreed
])
def test_resolution(turns, resolved) -> None:  # type: ignore[no-untyped-def]
    result = run("resolution", view(*turns))
    assert result.measures["resolved"] is resolved
    assert result.status == ("pass" if resolved else "fail")


@pytest.mark.parametrize(("text", "escalated"), [
    ("I'm escalating this to my supervisor.", True), ("I'll transfer you to the fraud team.", True),
    ("I can't transfer you, but I can help.", False), ("Let me check that for you.", False),
])
def test_escalation_by_the_agent(text: str, escalated: bool) -> None:
    result = run("escalation", view(("customer", "Get me a manager!"), ("agent", text)))
    assert result.measures["escalated"] is escalated


@pytest.mark.parametrize(("check", "turns", "measure", "on_call", "on_chat"), [
    # what tiny.en wrote for the dev calls' cues (tests/data/labelled/calls/dev, LC-D-014, LC-D-006, LC-D-027, LC-D-023)
    ("escalation", [("agent", "And I'm referring to plan already support team, may look after people who have lost "
                              "one.")], "escalated", True, False),
    ("escalation", [("agent", "I'm going to send it over to how I'm going to be going to be.")], "escalated", True,
     False),
    ("escalation", [("agent", "I'll send it over to your inbox now.")], "escalated", False, False),
    ("prohibited_language", [("agent", "But with respect, declaring the conservatory was out to you, and that's "
                                       "what we how it is.")], "count", 2, 0),
    ("prohibited_language", [("agent", "The card was out to you by Friday, and that's not how it is done.")],
     "count", 0, 0),
    ("customer_sentiment", [("agent", "Hi"), ("customer", "Right. I'm putting the bone down now.")], "sentiment_end",
     "negative", "neutral"),
    ("customer_sentiment", [("agent", "Anything else?"), ("customer", "No, nothing. You've been reading and I wasn't "
                                                               "in a light state.")], "sentiment_end", "positive", "neutral"),
    ("customer_sentiment", [("agent", "Anything else?"), ("customer", "You've been no help.")], "sentiment_end",
     "negative", "negative"),
])
def test_spoken_cues_count_on_calls_only(check, turns, measure, on_call, on_chat) -> None:  # type: ignore[no-untyped-def]
    turns = [("customer", "Hello?"), *turns]  # on a call the agent's words before the customer's are the opening
    spoken = call(*((s, i * 5.0, i * 5.0 + 4, t) for i, (s, t) in enumerate(turns)))
    assert run(check, spoken).measures[measure] == on_call
    assert run(check, view(*turns)).measures[measure] == on_chat


@pytest.mark.parametrize(("check", "turns", "on_call", "on_chat"), [
    # what tiny.en wrote on the dev calls (tests/data/labelled/calls/dev LC-D-009, 096, 021, 023, 093, 094, 102, 018, 027)
    # (asking in plain words is verification on a chat too: "I'll just make sure it's you first", chatrest)
    ("identity_before_account", [("agent", "Okay. I just need to make sure it's you first."),
                                 ("customer", "Huh? Behind the open, there's only one."),
                                 ("agent", "Thanks. I can see the order went out this morning.")], "pass", "pass"),
    ("identity_before_account", [("agent", "Can I take the policy number in your post -good so I can pull it up?"),
                                 ("customer", "Policy came pieces."),
                                 ("agent", "Thank you. That's matched. I can see the claim came in last week.")],
     "pass", "fail"),
    ("identity_before_account", [("agent", "I need the package first what's your day to third"),
                                 ("customer", "Twelve."), ("agent", "Thanks. I can see two charges on the card.")],
     "pass", "fail"),
    ("identity_before_account", [("agent", "Count number and post goods."), ("customer", "One time, zero two."),
                                 ("agent", "I can see the order went out on Monday.")], "pass", "fail"),
    ("identity_before_account", [("agent", "I should say to give you your thing to birth,"), ("customer", "1991."),
                                 ("agent", "I can see the balance of 640 pounds.")], "pass", "fail"),
    ("identity_before_account", [("agent", "I'm texting the specific code to the moment we have."),
                                 ("customer", "Got it."), ("agent", "Perfect, that's you. I can see two charges.")],
     "pass", "fail"),
    ("identity_before_account", [("agent", "I can see two charges on the account. Is that you?")], "fail", "fail"),
    ("disclosure", [("agent", "Hello. We keep body oil of these calls. How can I help?")], "pass", "fail"),
    ("disclosure", [("agent", "We keep a copy of the receipt for you.")], "fail", "fail"),
    ("disclosure", [("agent", "First one is totally strong and recorded line. Tip about the energy account.")], "pass",
     "fail"),
    ("escalation", [("agent", "Every friend is her complaint team and there were two that they please.")], "fail",
     "pass"),  # escalation fails when escalated
    ("empathy", [("customer", "I'm going to have a visit for this day!"),
                 ("agent", "That's a horrible writer to open this thing. I need your postcode."),
                 ("customer", "We'll I'm freezing, I'm have to even be holding one three million dollars."),
                 ("agent", "Thanks. Right, the 60 pounds went out every month.")], "pass", "na"),
    ("empathy", [("customer", "My parcel has not come."), ("agent", "Sorry about that, let me look."),
                 ("customer", "Thanks.")], "na", "na"),  # a bare sorry is politeness
    ("empathy", [("customer", "Can you check my order?"), ("agent", "That's not horrible at all, it's on its way."),
                 ("customer", "Good.")], "na", "na"),
])
def test_spoken_verification_disclosure_and_feelings_on_calls_only(check, turns, on_call, on_chat) -> None:  # type: ignore[no-untyped-def]
    turns = [("customer", "Hello?"), *turns]  # on a call the agent's words before the customer's are the opening
    spoken = call(*((s, i * 5.0, i * 5.0 + 4, t) for i, (s, t) in enumerate(turns)))
    assert run(check, spoken).status == on_call
    assert run(check, view(*turns)).status == on_chat


def test_a_word_of_recording_in_a_calls_opening_is_the_notice() -> None:
    # what tiny.en wrote for "You're on a recorded line" and "our calls are kept on record" (dev LC-D-018, LC-D-019)
    for opening in ("First one is totally strong and recorded line. Tip about the energy account.",
                    "Press or bank cards. I'll let you know what President Colder comes to unrecord."):
        turns = (("agent", opening), ("customer", "Hi."), ("agent", "What can I do for you?"))
        assert run("disclosure", call(*((s, i * 5.0, i * 5.0 + 4, t) for i, (s, t) in enumerate(turns)))).status == "pass"
        assert run("disclosure", view(*turns)).status == "fail"
    later = (("agent", "Morning, Harbor billing."), ("customer", "Hi."), ("agent", "I can see it on your record."))
    assert run("disclosure", call(*((s, i * 5.0, i * 5.0 + 4, t) for i, (s, t) in enumerate(later)))).status == "fail"


def test_a_fix_said_without_its_ive_counts_on_calls_only() -> None:
    turns = [("customer", "Three payments I never made."),
             ("agent", "I put the 84 pounds back into your account while we look into them."),
             ("customer", "Oh, thank goodness.")]
    spoken = call(*((s, i * 5.0, i * 5.0 + 4, t) for i, (s, t) in enumerate(turns)))
    assert run("resolution", spoken, confirm_fix=False).measures["resolved"] is True  # as support-call reads a fix
    assert run("resolution", view(*turns), confirm_fix=False).measures["resolved"] is False
    assert run("resolution", call(*((s, i * 5.0, i * 5.0 + 4, t.replace("I put", "I'll put")) for i, (s, t)
                                    in enumerate(turns))), confirm_fix=False).measures["resolved"] is False


def test_first_contact_resolution_sees_repeat_contacts_within_days() -> None:
    base = dict(started_at=T0, customer_id="c-9", queue="billing", topic="refund")
    again = ContactRef("x-2", T0 + timedelta(days=3), "billing", "other")
    other_queue = ContactRef("x-3", T0 + timedelta(days=2), "tech", "wifi")
    too_late = ContactRef("x-4", T0 + timedelta(days=9), "billing", "refund")
    before = ContactRef("x-0", T0 - timedelta(days=1), "billing", "refund")
    turns = (("agent", "Hi"),)
    fail = run("fcr", view(*turns, other_contacts=(other_queue, again), **base))
    assert fail.status == "fail" and fail.measures["repeat"] == "x-2" and "3.0 days (same queue)" in fail.message
    assert run("fcr", view(*turns, other_contacts=(other_queue, too_late, before), **base)).status == "pass"
    assert run("fcr", view(*turns, other_contacts=(too_late,), **base), days=10).status == "fail"
    assert run("fcr", view(*turns)).status == "na"


FACTS = [{"name": "refund window", "about": ["refund"], "claim": r"(\d+)\s*days", "expected": [30]}]


@pytest.mark.parametrize(("text", "status"), [
    ("You can get a refund within 30 days.", "pass"),
    ("Refunds are possible for 14 days after delivery.", "fail"),
    ("Delivery takes 14 days.", "na"),  # a number, but not about refunds
])
def test_accuracy_against_facts(text: str, status: str) -> None:
    result = run("accuracy", view(("agent", text)), facts=FACTS)
    assert result.status == status
    if status == "fail":
        assert result.evidence[0].quote == "14 days" and "expected 30" in result.evidence[0].note


def test_chat_response_times() -> None:
    v = timed(("customer", 0, "Hi?"), ("customer", 120, "Hello??"), ("agent", 420, "Sorry for the wait!"),
              ("customer", 450, "Invoice please"), ("agent", 480, "Sent."))
    result = run("response_time", v)
    assert result.measures == {"first_response_s": 420.0, "longest_wait_s": 420.0}
    assert result.status == "fail" and result.evidence[0].turn == 2
    assert run("response_time", v, max_first_response_s=600, max_wait_s=600).status == "pass"
    assert run("response_time", view(("customer", "hi"), ("agent", "hi"))).status == "na"


CALL = call(("system", 0, 6, "This call may be recorded."), ("agent", 7, 12, "Thanks for calling, I'm Sam."),
            ("customer", 11, 20, "I was double charged."), ("agent", 20.5, 28, "Let me put you on hold while I check."),
            ("agent", 88, 96, "Thanks for holding, I've refunded it."), ("customer", 96.5, 100, "Great."),
            ("customer", 115, 117, "Hello?"), ("agent", 117, 120, "Yes, anything else?"),
            meta={"after_call_work_s": 30})


def test_call_timings() -> None:
    measures = run("talk_ratio", CALL).measures
    assert measures == {"talk_ratio_agent": round(23.5 / 38, 3), "longest_silence_s": 15.0, "overtalk_s": 1.0,
                        "hold_s": 60.0, "aht_s": 150.0}
    assert run("talk_ratio", CALL).status == "pass"
    silence = run("silence", CALL)
    assert silence.status == "fail" and silence.evidence[0].turn == 5
    hold = run("hold", CALL)
    assert hold.status == "pass" and hold.evidence[0].note == "hold 60 s"
    assert run("hold", CALL, max_hold_s=30).status == "fail"
    assert run("overtalk", CALL).status == "pass" and run("overtalk", CALL, max_overtalk_s=0.5).status == "fail"
    assert run("aht", CALL, max_aht_s=120).status == "fail"
    assert run("talk_ratio", view(("agent", "hi"))).status == "na"


def test_unannounced_hold_fails() -> None:
    v = call(("agent", 0, 5, "Hi"), ("system", 6, 60, "[hold music]"), ("agent", 61, 65, "Back."))
    result = run("hold", v)
    assert result.status == "fail" and "not announced" in result.message


def test_pii_agent_repeats_card_number_fails() -> None:
    v = view(("agent", "Please type your full card number."), ("customer", "4111 1111 1111 1111"),
             ("agent", "Charged 4111 1111 1111 1111."))
    result = run("pii_exposure", v)
    assert result.status == "fail"
    notes = [e.note for e in result.evidence if e.note]
    assert "agent wrote a card number" in notes and any("after the agent asked in turn 0" in n for n in notes)
    assert [(s["type"], s["turn"]) for s in result.measures["spans"]] == [("card", 1), ("card", 2)]


def test_pii_non_card_16_digits_and_customer_only_data() -> None:
    order = view(("customer", "Where is order 1234567812345678?"), ("agent", "It ships today."))
    assert run("pii_exposure", order).status == "na"
    volunteered = view(("customer", "mail me at zoe.li@example.org"), ("agent", "Done."))
    result = run("pii_exposure", volunteered)
    assert result.status == "pass" and result.measures["spans"][0]["type"] == "email"


def test_pii_uses_stored_spans_and_placeholders() -> None:
    redacted = view(("customer", "my card is [CARD]"), ("agent", "Thanks, I've noted [CARD]."))
    assert run("pii_exposure", redacted).status == "fail"
    stored = view(("customer", "my card is [CARD]"), ("agent", "Thanks."),
                  pii_spans=(PiiSpan("card", 0, 11, 30, "customer"),))
    result = run("pii_exposure", stored)
    assert result.status == "pass" and result.evidence[0].quote == "my card is [CARD]"


def test_generic_phrase_check() -> None:
    v = view(("agent", "Hi"), ("agent", "Your ticket number is 123."))
    assert run("phrase", v, phrases=["ticket number"]).status == "pass"
    assert run("phrase", v, phrases=["ticket number"], required=False).status == "fail"
    assert run("phrase", v, regexes=[r"\bcase\s+\d+"], where="last", turns=1).status == "fail"


WORDS = ["hello", "sorry", "calm down", "not", "refund", "30 days", "14 days", "your balance", "date of birth",
         "transfer you", "thanks", "[CARD]", "4111 1111 1111 1111", "on hold", "¡hola!", "李雷", "😊", "", "!!", "?"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["agent", "customer", "system", "unknown"]),
                          st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join),
                          st.one_of(st.none(), st.floats(min_value=0, max_value=600)),
                          st.floats(min_value=0, max_value=30)), max_size=8),
       st.sampled_from(["chat", "call", "email"]))
def test_every_check_handles_any_conversation(turns, channel) -> None:  # type: ignore[no-untyped-def]
    v = InteractionView("fuzz", channel, tuple(
        TurnView(i, s, t, start, None if start is None else start + length,
                 None if start is None else T0 + timedelta(seconds=start))
        for i, (s, t, start, length) in enumerate(turns)), started_at=T0, customer_id="c", queue="q")
    for name in check_names():
        params = {"accuracy": {"facts": FACTS}, "semantic": {"exemplars": ["I have reset your password."]}}
        result = get_check(name)(v, params.get(name))
        assert result.status in ("pass", "fail", "na")
        assert 0.0 <= result.confidence <= 1.0
        for evidence in result.evidence:
            assert evidence.turn is None or 0 <= evidence.turn < len(turns)


def test_a_stated_fix_stands_without_the_customers_word_when_confirm_fix_is_off() -> None:
    turns = [("customer", "Refund?"), ("agent", "I've issued the refund.")]
    assert run("resolution", view(*turns), confirm_fix=False).measures["resolved"] is True
    objected = [*turns, ("customer", "It still doesn't work.")]
    assert run("resolution", view(*objected), confirm_fix=False).measures["resolved"] is False


@pytest.mark.parametrize(("turns", "status"), [
    # a hand-over in the agent's last turns is a next step (the closing definition), a system line after it or not
    ([("customer", "My bill is wrong"), ("agent", "Billing disputes sit with our accounts team, so I'm transferring "
      "you to them now."), ("system", "Chat transferred to queue: accounts"), ("customer", "ok")], "pass"),
    ([("agent", "Hi"), ("agent", "I'm looping in my supervisor now, she'll pick this up with you.")], "pass"),
    # an offered hand-over is none
    ([("agent", "Hi"), ("agent", "If you want, I can pass you to our accounts team.")], "fail"),
    # what the customer will get next, and a short well-wish
    ([("agent", "Hi"), ("agent", "Done. You'll get a text confirming the new date.")], "pass"),
    ([("agent", "Hi"), ("agent", "We'll post you a statement.")], "pass"),
    ([("agent", "Hi"), ("agent", "The spare charger is on its way.")], "pass"),
    ([("agent", "Hi"), ("agent", "Enjoy Lisbon!")], "pass"),
    ([("agent", "Hi"), ("agent", "Enjoy doing it all by hand then, I suppose.")], "fail"),
])
def test_closing_reads_hand_overs_and_next_steps(turns, status) -> None:  # type: ignore[no-untyped-def]
    assert run("closing", view(*turns)).status == status


@pytest.mark.parametrize(("turns", "resolved"), [
    # "anything else?" turned down: the thanks before it and the "no" agree
    ([("customer", "What time do you open?"), ("agent", "From 8."), ("customer", "perfect, thanks"),
      ("agent", "Anything else I can do?"), ("customer", "no")], True),
    ([("customer", "Can I pay by card?"), ("agent", "Yes, any card."), ("customer", "good"),
      ("agent", "Anything else?"), ("customer", "nope, that's everything ty")], True),
    # a question waved away is not answered, whatever the customer says
    ([("customer", "Why was I charged a fee?"), ("agent", "No idea, google it."), ("customer", "ok")], False),
    ([("customer", "Can you waive it?"), ("agent", "Whatever. Email customer relations."),
      ("customer", "fine")], False),
    # the customer rejects the fix
    ([("customer", "Refund?"), ("agent", "I've issued the refund."), ("customer", "It's not there, I looked.")], False),
    # a hand-over said by a system line is no resolution here
    ([("customer", "Fee?"), ("agent", "Let me get someone."), ("system", "Chat transferred to queue: billing"),
      ("customer", "ok thanks")], False),
])
def test_resolution_declines_waves_and_system_hand_overs(turns, resolved) -> None:  # type: ignore[no-untyped-def]
    result = run("resolution", view(*turns))
    assert result.measures["resolved"] is resolved


@pytest.mark.parametrize(("text", "status"), [
    # sign-offs, well-wishes, more help and next steps said in other words (chatrest, dev ld-0741..0790)
    ("Kind regards, Rosa Delgado", "pass"), ("Was there something else?", "pass"),
    ("Is that everything for today?", "pass"), ("I'll call you on the 2nd to go through it.", "pass"),
    ("You'll get 260 back by the 15th.", "pass"), ("Heal quickly, see you back soon.", "pass"),
    ("No apology needed! Enjoy the sofa.", "pass"), ("Courier delivers to N7 9LL tomorrow by 1pm.", "pass"),
    ("Hope your cat feels better soon!", "pass"), ("You're welcome, good flight!", "pass"),
    # facts, questions and refusals: no closing
    ("Cancelled as of today.", "fail"), ("I need something more specific. What's the error code?", "fail"),
    ("We won't call you about it again.", "fail"), ("Is that all of the charge or part of it", "fail"),
])
def test_closing_in_other_words(text: str, status: str) -> None:
    chat = view(("customer", "hi"), ("agent", "Hello."), ("customer", "ok"), ("agent", text))
    assert run("closing", chat).status == status


@pytest.mark.parametrize(("text", "escalated"), [
    ("Please hold a moment while I ask a colleague in our cards policy team.", False),  # advice, kept by the agent
    ("I'll check with a colleague in billing and come back to you.", False),
    ("A colleague in billing will call you this afternoon.", True),
    ("I can get one of our specialists on it, or we can try a quick reconnect first, your choice?", False),
    ("One of our specialists will call you, I've sent them your case.", True),
])
def test_escalation_offers_and_advice_are_no_hand_over(text: str, escalated: bool) -> None:
    result = run("escalation", view(("customer", "The sync stopped."), ("agent", text)))
    assert result.measures["escalated"] is escalated


@pytest.mark.parametrize(("last", "label"), [
    # resigned, doubtful, leaving, sarcastic (chatrest, dev ld-0741..0790)
    ("aiming. right. we'll see", "negative"), ("50 then. suppose I don't have a choice", "negative"),
    ("typical. the one year I actually need it.", "negative"), ("ok so you do nothing. I will look for other company",
                                                                "negative"),
    ("so no solution?", "negative"), ("so nobody above you will even look at it. brilliant", "negative"),
    ("oh super. ten more days of no smoothies. thanks a bunch", "negative"),
    # thanks in emoji and other languages; thanks after "nothing else" or a sigh of relief stay thanks
    ("it worked!!! 🙏🙏", "positive"), ("shukriya beta", "positive"), ("No, nothing else, thanks a lot!", "positive"),
    ("finally. thank you Nadia", "positive"),
])
def test_customer_sentiment_in_other_words(last: str, label: str) -> None:
    result = run("customer_sentiment", view(("agent", "Anything else?"), ("customer", last)))
    assert result.measures["sentiment_end"] == label


@pytest.mark.parametrize(("last", "label"), [
    ("ok I did not see it. so no solution?", "negative"), ("I've asked twice. I'll do it in the app.", "negative"),
    ("No, that's all, so nothing else from me. Thanks!", "positive"),
])
def test_customer_sentiment_reads_frustration_cues_at_the_end(last: str, label: str) -> None:
    result = run("customer_sentiment", view(("agent", "Anything else?"), ("customer", last)))
    assert result.measures["sentiment_end"] == label


@pytest.mark.parametrize(("text", "escalated"), [
    ("I've passed your feedback on. I'll take this on myself.", False),
    ("I've passed your claim on, the assessors will call you.", True),
])
def test_feedback_passed_on_is_no_hand_over(text: str, escalated: bool) -> None:
    result = run("escalation", view(("customer", "Your agent was rude."), ("agent", text)))
    assert result.measures["escalated"] is escalated


@pytest.mark.parametrize(("text", "escalated"), [
    # hand-overs in other words (chatrest, dev ld-0941..1000) beside a booked crew visit and a supervisor only mentioned
    ("Getting it back needs our Account Recovery team, who'll email you within 24 hours.", True),
    ("I've handed this to the Site Operations crew; expect a ring within the hour.", True),
    ("Missing drops go to Rider Payments. I've raised it to them.", True),
    ("Your deposit is now with our Dispute Resolution service, who decide within 28 days.", True),
    ("I've booked our repair crew for Thursday morning.", False),
    ("I can ask my supervisor, but she works to the same terms.", False),
])
def test_escalation_in_new_wordings(text: str, escalated: bool) -> None:
    result = run("escalation", view(("customer", "It's still broken."), ("agent", text)))
    assert result.measures["escalated"] is escalated


@pytest.mark.parametrize(("ask", "status"), [
    ("Name and DOB please.", "pass"),  # a terse request, no question mark
    ("For your security, which of these was your last purchase: a bookshop or a petrol station?", "pass"),
    ("I'll just make sure it's you first: roughly how much was your last top-up?", "pass"),
    ("Please read me the six digit code from your authenticator app.", "pass"),
    ("Name on the parcel?", "fail"),  # a look-up, no check
    ("The code in your text had a typo, sorry.", "fail"),  # a code talked about, not asked for (dev ld-0871)
    ("For your security, we never ask for your full password.", "fail"),  # a statement, no request
])
def test_identity_checks_in_unusual_wordings(ask: str, status: str) -> None:
    chat = view(("customer", "what's my balance"), ("agent", ask), ("customer", "ok, done"),
                ("agent", "Your balance is 312.40."))
    assert run("identity_before_account", chat).status == status


@pytest.mark.parametrize(("last", "label"), [
    ("fine. not holding my breath", "negative"), ("no you've done quite enough thanks", "negative"),
    ("yes fine. wonderful service as always", "negative"), ("so her watch history is just gone. great job", "negative"),
    ("Wonderful service as always, thank you!", "positive"),
])
def test_customer_sentiment_doubt_and_sarcasm(last: str, label: str) -> None:
    result = run("customer_sentiment", view(("agent", "Anything else?"), ("customer", last)))
    assert result.measures["sentiment_end"] == label


@pytest.mark.parametrize(("last", "resolved"), [
    ("restarted. still 3 meg.", False), ("ok, so no refund yet then", False), ("ok great, thanks", True),
])
def test_resolution_reads_a_fix_still_not_working(last: str, resolved: bool) -> None:
    chat = view(("customer", "my internet is slow"), ("agent", "I've reset your line, it should be fine now."),
                ("customer", last))
    assert run("resolution", chat).measures["resolved"] is resolved


@pytest.mark.parametrize(("text", "status"), [
    # next steps by someone else or in other words, more help as a question (chatrest, dev ld-1101..1160)
    ("I've sent it on; they'll lock the account now and email you within 2 hours.", "pass"),
    ("A reviewer replies by email within 72 hours.", "pass"), ("Ok. I'll drop you a text in July.", "pass"),
    ("Booked you in Tuesday 1-5.", "pass"), ("Have fun with the winter pack.", "pass"),
    ("If it starts to weep, ring us and we'll see her the same day.", "pass"),
    ("I hear you! Want me to add the winter sports part?", "pass"),
    # facts and a past booking: no closing
    ("It's valid for three years by the way.", "fail"), ("They said it was booked last year.", "fail"),
])
def test_closing_next_steps_by_others_and_offers(text: str, status: str) -> None:
    chat = view(("customer", "hi"), ("agent", "Hello."), ("customer", "ok"), ("agent", text))
    assert run("closing", chat).status == status


@pytest.mark.parametrize(("text", "escalated"), [
    # brought into the chat, taking it over, sent to a unit that then acts (chatrest, dev ld-1101..1160)
    ("I bring my supervisor Ewan into this chat now, he can arrange a second van.", True),
    ("I'm not clinical, so I've asked our surgical nurse, Ruth, to take this chat over.", True),
    ("I've sent this to Account Recovery with everything you told me; they'll lock the account now.", True),
    # one way among others, and a note added to the chat: no hand-over
    ("I can transfer you to the refunds team to claim it back, or your payroll can fix the plan.", False),
    ("I've added a note to this chat for next time.", False),
    ("I've sent the label to your inbox, they'll scan it at the depot.", False),
])
def test_escalation_brought_in_taken_over_or_offered(text: str, escalated: bool) -> None:
    result = run("escalation", view(("customer", "It's still broken."), ("agent", text)))
    assert result.measures["escalated"] is escalated


@pytest.mark.parametrize(("ask", "status"), [
    # a rider's ID and a request after "for your security" verify (chatrest round 16)
    ("Rider ID and the phone the app is on?", "pass"),
    ("For your security, what's the postcode on the account?", "pass"),
])
def test_identity_rider_id_and_a_security_request(ask: str, status: str) -> None:
    chat = view(("customer", "what's my balance"), ("agent", ask), ("customer", "ok, done"),
                ("agent", "Your balance is 312.40."))
    assert run("identity_before_account", chat).status == status


@pytest.mark.parametrize(("last", "label"), [
    # praise after bad news then thanks, thanks taken back, a mild complaint (chatrest, dev ld-1101..1160)
    ("72 hours. fantastic. thanks loads", "negative"),
    ("so I'm without it till at least wednesday. marvellous. thanks ever so much", "negative"),
    ("cheers for that. really.", "negative"), ("wonderful. more paperwork for a debt that isn't mine", "negative"),
    ("no but honestly the text made it sound like I was being taken to court, bit much", "negative"),
    ("Arrived in 2 days. Perfect. Thanks so much!", "positive"),
    ("Perfect. Another question: do you ship to Spain?", "not negative"),
])
def test_customer_sentiment_sarcastic_thanks_at_the_end(last: str, label: str) -> None:
    result = run("customer_sentiment", view(("agent", "Anything else?"), ("customer", last)))
    if label == "not negative":
        assert result.measures["sentiment_end"] != "negative"
    else:
        assert result.measures["sentiment_end"] == label


@pytest.mark.parametrize(("turns", "resolved"), [
    # it broke again after the fix (chatrest, dev ld-1101..1160)
    ([("customer", "wifi drops"), ("agent", "I've pushed the update, it should be fine now."),
      ("customer", "ok it's back, thanks"), ("customer", "no wait it's just dropped again")], False),
    ([("customer", "login fails"), ("agent", "I've unlocked it."), ("customer", "that worked, thanks")], True),
])
def test_resolution_reopened_after_the_fix(turns, resolved) -> None:  # type: ignore[no-untyped-def]
    assert run("resolution", view(*turns)).measures["resolved"] is resolved


@pytest.mark.parametrize(("said", "resolved"), [
    # the rubric's not-fixed-yet pattern: an answer promised after a check (chatrest); a booked repair visit is no
    # such thing for most dev writers
    ("I'll check which offer was running and come back to you by email tomorrow.", False),
    ("An engineer is booked for tomorrow 8 to 12.", True),
    ("I've moved your appointment to Saturday 10:20.", True),
])
def test_resolution_rubric_reads_visits_and_later_answers_as_not_fixed(said: str, resolved: bool) -> None:
    from qa_toolkit.services.scoring import rubric_check_params

    params = rubric_check_params("support-chat", None)["resolution"]
    chat = view(("customer", "it's broken"), ("agent", said), ("customer", "ok thanks"))
    assert get_check("resolution")(chat, params).measures["resolved"] is resolved


@pytest.mark.parametrize(("text", "escalated"), [
    # by any pronoun, added to the chat, a callback by a role (chatrest, dev ld-1261..1320)
    ("Damage claims go to our Claims Assessor, I've sent her your job; she'll phone you on Monday.", True),
    ("This needs our Network Faults engineers. I've opened case NF-30917 with them.", True),
    ("Our pharmacist Kemi can give you an emergency supply, so I'm adding her to the chat.", True),
    ("I've asked them to take your case and a specialist will call you tomorrow before noon.", True),
    ("A mortgage adviser has to set it up: I've asked one to call you on Wednesday afternoon.", True),
    # refused or imagined: negation's scope is the sentence
    ("Managers don't take chat contacts, I'm afraid, but I can look at it.", False),
    ("A supervisor would tell you the same, so I won't transfer you.", False),
    ("That's fair feedback, I'll pass it on. Have a good Thursday!", False),
    ("An engineer will call you to arrange the visit.", False),
])
def test_escalation_by_pronoun_role_or_refused(text: str, escalated: bool) -> None:
    result = run("escalation", view(("customer", "I want this sorted."), ("agent", text)))
    assert result.measures["escalated"] is escalated


@pytest.mark.parametrize(("text", "status"), [
    # next steps with when, goodbyes in other languages' habits (chatrest, dev ld-1261..1320)
    ("Second payment refunded, 3-5 days.", "pass"), ("See you at 2!", "pass"),
    ("It'll be in your tenant portal by tomorrow midday.", "pass"),
    ("Thank you for your understanding. Auf Wiedersehen.", "pass"), ("Doei! 👋", "pass"),
    # when a change takes effect, a fix with no next step
    ("Done. From next month it's the 15th.", "fail"), ("I'll check that now.", "fail"),
])
def test_closing_next_steps_with_when_and_other_languages(text: str, status: str) -> None:
    chat = view(("customer", "hi"), ("agent", "Hello."), ("customer", "ok"), ("agent", text))
    assert run("closing", chat).status == status


@pytest.mark.parametrize(("last", "resolved"), [
    # a fix denied in the customer's words, negation at a clause's end (chatrest, dev ld-1261..1320)
    ("refunding isn't fixing it, why does it keep happening", False), ("so I lose 20 quid. not ok", False),
    ("right. the plan bit's sorted at least, the roaming isn't", False), ("still refused in pharmacy", False),
    ("wait, the app still says a box is coming thursday", False),
    ("no there isn't, thanks", True), ("it worked, thanks!", True),
])
def test_resolution_reads_a_fix_denied_by_the_customer(last: str, resolved: bool) -> None:
    chat = view(("customer", "charged twice"), ("agent", "I've refunded the second payment."), ("customer", last))
    assert run("resolution", chat).measures["resolved"] is resolved


@pytest.mark.parametrize(("last", "label"), [
    # sarcasm after a figure said back, leaving, a fix denied, relief (chatrest, dev ld-1261..1320)
    ("10 working days. brilliant. cheers for that", "negative"), ("4 quid back out of 48. wow. thanks SO much", "negative"),
    ("Two working days while someone spends my money. I'll be moving banks.", "negative"),
    ("refunding isn't fixing it, why does it keep happening", "negative"),
    ("oh thank god. thank you both, I was panicking", "positive"), ("phew. ok thank you", "positive"),
    ("thanks, but I was panicking and nobody called, ridiculous", "negative"),
])
def test_customer_sentiment_sarcasm_leaving_and_relief(last: str, label: str) -> None:
    result = run("customer_sentiment", view(("agent", "Anything else?"), ("customer", last)))
    assert result.measures["sentiment_end"] == label


@pytest.mark.parametrize(("text", "escalated"), [
    # a hand-over asked as a question is an offer; nobody there to hand it to is a refusal; a third party named by a
    # pronoun who will contact the customer, or a call booked with someone else, is a hand-over (chatrest round 18)
    ("I can pop you over to our Delay Repay team, or give you the link, whichever's easier?", False),
    ("Can I put you through to our billing team?", False),
    ("There isn't a team I can transfer chats to for this.", False),
    ("I've added your workspace to the engineering ticket and they'll email you when the fix ships.", True),
    ("Pausing it is done by Repayment Support; I've asked them to call you tomorrow morning.", True),
    ("I've booked you a call with an adviser on Thursday at 11.", True),
    ("I'll call you back myself tomorrow.", False),
])
def test_escalation_questions_refusals_and_third_party_contact(text: str, escalated: bool) -> None:
    result = run("escalation", view(("customer", "I want this sorted."), ("agent", text)))
    assert result.measures["escalated"] is escalated


@pytest.mark.parametrize(("before", "last", "label"), [
    # a figure of the agent's said back on its own, then praise: sarcasm; a sentence with more in it is not (chatrest
    # round 18)
    ("They'll write to you within 10 working days.", "10 working days. rent's due friday. great, thanks.", "negative"),
    ("They answer within 8 weeks.", "8 weeks for 75 pounds. Marvellous.", "negative"),
    ("The new tariff would be 39 a month.", "ok do that, 39 is better. thanks for explaining", "positive"),
    ("It takes 2 days.", "Arrived in 2 days. Perfect. Thanks so much!", "positive"),
    ("It takes 2 days.", "Great, thanks!", "positive"),
])
def test_customer_sentiment_figure_said_back_then_praise(before: str, last: str, label: str) -> None:
    result = run("customer_sentiment", view(("customer", "when?"), ("agent", before), ("customer", last)))
    assert result.measures["sentiment_end"] == label


def test_resolution_the_customers_last_word_wins() -> None:
    chat = view(("customer", "still billed for 12 seats"), ("agent", "I've removed them; next invoice is 9 seats."),
                ("customer", "hmm the billing page still says 12"), ("agent", "The page caches, have another look?"),
                ("customer", "9 now. sorted, thank you!"))
    assert run("resolution", chat).measures["resolved"] is True
