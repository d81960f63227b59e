"""The generic behaviour of the phrase-based checks: account actions, identifier questions, echoes, frustration
signals, acknowledgements, endings and hand-overs, on sentences of their own (not the sample chats)."""

from __future__ import annotations

import pytest

from qa_toolkit.scoring.checks import get_check
from qa_toolkit.scoring.view import InteractionView, TurnView


def view(*turns: tuple[str, str]) -> InteractionView:
    return InteractionView("g-1", "chat", tuple(TurnView(i, s, t) for i, (s, t) in enumerate(turns)))


def run(name: str, v: InteractionView, **params):  # type: ignore[no-untyped-def]
    return get_check(name)(v, params)


ASK = ("agent", "Could you tell me the postcode and date of birth on the account?")


@pytest.mark.parametrize(("turns", "status", "detail"), [
    # account actions (verb + account object) count as account details ...
    ([("customer", "My kid ordered a game."), ("agent", "I've reversed the charge from the console store.")],
     "fail", "reversed the charge"),
    ([("customer", "Lost it."), ("agent", "We have now suspended the card and ordered a new one.")],
     "fail", "suspended the card"),
    ([("customer", "Too expensive."), ASK, ("customer", "E2 8AA, 3/3/93"),
      ("agent", "Thanks. I've downgraded you to the basic plan from next month.")], "pass",
     "downgraded you to the basic plan"),
    ([("customer", "Gym membership."), ("agent", "Your contract has been paused for two months.")],
     "fail", "contract has been paused"),
    ([("customer", "Roaming?"), ("agent", "I've added a 5 GB roaming bundle for you.")], "fail",
     "added a 5 GB roaming bundle"),
    ([("customer", "Money back?"), ("agent", "I've credited £20 back to the card you used.")],
     "fail", "credited £20 back to the card"),
    ([("customer", "Why so high?"), ("agent", "Your latest bill includes a one-off connection fee.")],
     "fail", "Your latest bill"),
    ([("customer", "Did it go through?"), ("agent", "I can see three transfers and a pending transaction.")],
     "fail", "I can see three transfers and a pending transaction"),
    ([("customer", "Lock it please"), ("agent", "Done, frozen.")], "fail", "Done, frozen."),
    # ... asking for an identifier is verification, not an account detail
    ([("customer", "Change my tariff."), ("agent", "What's your customer number?"), ("customer", "77812"),
      ("agent", "Thanks. I've switched your tariff to the evening one.")], "pass", "switched your tariff"),
    ([("customer", "Help"), ("agent", "may i have the account holder's date of birth"), ("customer", "1 Jan 70"),
      ("agent", "ok, your balance is 40 euros")], "pass", "your balance"),
    ([("customer", "Address?"), ("agent", "I need the first line of your address and the zip, please."),
      ("customer", "1 Main St, 10001"), ("agent", "Your direct debit was cancelled last week.")], "pass",
     "direct debit"),
    # an apology echoing the customer's own words is not an account detail
    ([("customer", "My subscription renewed without asking!"),
      ("agent", "I'm sorry your subscription renewed unexpectedly. Can you confirm your email on the account?"),
      ("customer", "a@b.example"), ("agent", "Thanks, verified. I've cancelled the subscription.")], "pass",
     "cancelled the subscription"),
    # documents, general policy and advice are not account details
    ([("customer", "Receipt please"), ("agent", "I've e-mailed the receipt to you.")], "na", None),
    ([("customer", "How long?"), ("agent", "Refunds are usually issued within a week.")], "na", None),
    ([("customer", "Money stuck"), ("agent", "I'm not transferring anything, the bank app does that.")], "na", None),
])
def test_identity_generic(turns, status, detail) -> None:  # type: ignore[no-untyped-def]
    result = run("identity_before_account", view(*turns))
    assert result.status == status, result.message
    if detail:
        assert detail in result.evidence[-1].quote


@pytest.mark.parametrize(("customer", "upset"), [
    ("The app crashed for the FIFTH time today.", True),  # shouting, not an acronym
    ("I paid and got NOTHING.", True),
    ("You cancelled my booking?! Without telling me?", True),
    ("Where is my parcel, it was due on Monday??", True),
    ("I need this fixed. Today.", True),  # a one-word imperative sentence
    ("This mistake is costing me a fortune.", True),
    ("It's the second time the same fault comes back.", True),
    ("Please let me talk to your manager.", True),
    ("My PIN and my IBAN are not shown in the app.", False),  # acronyms are no shouting
    ("Thank you. 02/07/1958, ZIP 43215.", False),  # nor are short codes ("ZIP", "PAC", "ADJ")
    ("My parcel says delivered and it is NOT here.", True),  # a short word shouted is
    ("My customer number is CN-448812, can you check it?", False),  # nor are identifiers
    ("The order ref is 5521-XK, and the parcel is FINALLY here.", True),
    ("I'M WRITING FROM MY PHONE SO SORRY FOR CAPS", False),  # all capitals: a habit, not emphasis
    ("Sure. It's [CARD].", False),  # a redaction placeholder is no shouting (a customer reading a card number)
    ("It expires [EXPIRY] and the code on the back is [CVV ending 12].", False),
    ("Hi??", False),  # a bare nudge is no frustration
    ("Could you switch it on now?", False),
    # understated, nervous or hounded (sixth dev writer's styles): upset without a louder word
    ("No water since Tuesday, which is not ideal with a toddler.", True),
    ("I'll be honest, I'm not impressed with how long this has taken.", True),
    ("I'm getting really anxious about the deadline.", True),
    ("You keep hounding me with letters for a debt I settled.", True),
    ("Could you tell me when my next payment is due?", False),
])
def test_frustration_signals(customer: str, upset: bool) -> None:
    result = run("empathy", view(("customer", customer), ("agent", "Let me check.")))
    assert (result.status != "na") is upset, result.message


@pytest.mark.parametrize("reply", [
    "Right, an unknown withdrawal is alarming.",
    "Having the heating fail in winter is so distressing.",
    "That is a real inconvenience and I apologise.",
    "A bill jumping like that must be concerning.",
    # naming the situation in other words (sixth dev writer's styles)
    "No car for a week with a school run to do, that's a tough spot.",
    "Years of progress wiped by someone else, that stings.",
    "You were told one thing and got another, so you've every reason to be cross.",
    "I am sad to hear about your father.",
    "Nobody should have to chase us three times for a refund.",
    "Missing the start of term is a big deal, let's sort it.",
])
def test_unusual_acknowledgements(reply: str) -> None:
    assert run("empathy", view(("customer", "This is RIDICULOUS."), ("agent", reply))).status == "pass"


@pytest.mark.parametrize("reply", [
    "I've refunded the 25 fee and switched on low-balance alerts.",  # action alone (false by the definition)
    "It is a big order, so it ships in two parts.",  # "big" without "deal"
    "Your situation has been noted on the account.",
])
def test_action_and_procedure_are_no_acknowledgement(reply: str) -> None:
    assert run("empathy", view(("customer", "This is RIDICULOUS."), ("agent", reply))).status == "fail"


@pytest.mark.parametrize(("last", "label"), [
    ("Nope, cheers, bye!", "positive"),  # a leading "no" answers "anything else?"
    ("no thank you, all good", "positive"),
    ("Nope.", "neutral"),
    ("nah", "neutral"),
    ("Let me talk to a supervisor please.", "negative"),
])
def test_sentiment_endings(last: str, label: str) -> None:
    result = run("customer_sentiment", view(("agent", "Anything else?"), ("customer", last)))
    assert result.measures["sentiment_end"] == label


@pytest.mark.parametrize(("turns", "resolved"), [
    ([("customer", "Block it"), ("agent", "I've just blocked the card and ordered a replacement."),
      ("customer", "okay"), ("agent", "Anything else?"), ("customer", "nope")], True),
    ([("customer", "Statement?"), ("agent", "We have already sent it to your inbox."), ("customer", "no thanks")],
     True),
    ([("customer", "Block it"), ("agent", "I've blocked the card."), ("customer", "ok"),
      ("customer", "It still doesn't work, the payment went through.")], False),
])
def test_resolution_generic(turns, resolved) -> None:  # type: ignore[no-untyped-def]
    assert run("resolution", view(*turns)).measures["resolved"] is resolved


@pytest.mark.parametrize(("reply", "escalated"), [
    ("Transferring you now.", True),
    ("ok, transferring", True),
    ("One moment, I'm putting you through to billing.", True),
    ("Let me get my supervisor for you.", True),
    ("I'll connect you with our loans team leader.", True),
    ("Let me put you on hold for a minute.", False),
    ("I'm transferring the money back to your card.", False),
    ("I won't transfer you, I can sort it myself.", False),
])
def test_escalation_generic(reply: str, escalated: bool) -> None:
    result = run("escalation", view(("customer", "Can someone senior help?"), ("agent", reply)))
    assert result.measures["escalated"] is escalated


@pytest.mark.parametrize(("last", "label"), [
    ("ok I'll wait for the call", "neutral"),  # VADER scores "ok" +0.30: only above 0.5 is it positive
    ("nope all good", "neutral"),
    ("wow, charming", "negative"),  # sarcasm: a bare "wow"
    ("so i wait AGAIN. brilliant.", "negative"),
    ("ok then I'll go with your competitor", "negative"),
    ("you are a STAR thank you so much", "positive"),
    ("ta", "positive"),
    ("whatever", "negative"),
])
def test_sentiment_ends_as_the_labelled_set_reads_them(last: str, label: str) -> None:
    result = run("customer_sentiment", view(("agent", "Anything else?"), ("customer", last)))
    assert result.measures["sentiment_end"] == label


@pytest.mark.parametrize(("said", "greeted"), [
    ("Morning, Harbor billing, what can I do for you?", True),
    ("Riverside Energy, you speak with Dmitri.", True),
    ("Account number?", False),
])
def test_spoken_greetings(said: str, greeted: bool) -> None:
    assert (run("greeting", view(("agent", said), ("customer", "hi"))).status == "pass") is greeted


@pytest.mark.parametrize(("said", "escalated"), [
    # the team named first, then "to them": the branch team takes the case (as ld-0097 is labelled)
    ("Closing a saver early goes through our branch team, so I'm passing it to them.", True),
    ("That's handled by our airport desk, so I'm sending your booking over to them.", True),
    ("I'll flag it to our security team, they'll email you the log today.", True),
    ("Sven (Support Engineering) joined the chat", True),
    ("Let me ask my supervisor, one moment please.", False),  # approval asked, the agent keeps the case
    ("Asked my team leader, we can do six months at 51.70.", False),
    ("I've sent your details to our specialist underwriters and they'll phone you.", True),
    ("I've raised a chargeback with our Disputes Team, who will contact you.", True),
    ("I've sent the invoice to your billing inbox.", False),
])
def test_a_hand_over_to_another_team_is_an_escalation(said: str, escalated: bool) -> None:
    speaker = "system" if said.endswith("joined the chat") else "agent"
    result = run("escalation", view(("customer", "Help"), ("agent", "Hi, let me look."), (speaker, said)))
    assert result.measures["escalated"] is escalated


def test_a_bot_routing_the_chat_to_the_agent_is_no_escalation() -> None:
    routed = view(("system", "Virtual assistant: I'm connecting you with a member of our team."),
                  ("customer", "my bill went up"), ("agent", "Hi, I can help with that."))
    assert run("escalation", routed).measures["escalated"] is False


def test_confirmed_verification_then_help_passes_identity_without_listed_account_words() -> None:
    turns = (("customer", "Where is my bag?"), ("agent", "Can you confirm your date of birth and postcode?"),
             ("customer", "2/2/1979, S11 8YR"), ("agent", "Thank you, that matches."),
             ("agent", "It was traced to Frankfurt and reached the hotel on Tuesday."))
    result = run("identity_before_account", view(*turns))
    assert result.status == "pass" and result.evidence[0].quote == "that matches"
    unconfirmed = run("identity_before_account", view(*turns[:3], ("agent", "Thanks."), turns[4]))
    assert unconfirmed.status == "na"


def test_excitement_and_thanks_are_not_upset() -> None:
    assert run("empathy", view(("customer", "so excited, off to New York for my 30th next week!! will my phone work there?"),
                               ("agent", "Yes, it will."))).status == "na"
    assert run("empathy", view(("customer", "Hi"), ("agent", "Anything else?"),
                               ("customer", "nope, that's perfect, thank you!"), ("agent", "Bye!"))).status == "na"
    assert run("empathy", view(("customer", "My flight got cancelled and I'm panicking"),
                               ("agent", "Oh no, right before the wedding, let's find you a seat."))).status == "pass"


@pytest.mark.parametrize(("asked", "answer"), [
    ("Please read me the last three digits of the serial number on your meter.", "it ends 204"),
    ("Could you give me the 1st and 3rd characters of your memorable answer?", "P and L"),
    ("I'm texting you a six-digit code now, what does it say?", "730114"),
])
def test_verification_in_other_forms_comes_before_the_account(asked: str, answer: str) -> None:
    turns = (("customer", "Why is my bill so high?"), ("agent", asked), ("customer", answer),
             ("agent", "Thanks. Your last bill included a 30 pound late fee, I've waived the fee."))
    result = run("identity_before_account", view(*turns))
    assert result.status == "pass", result.message
    assert result.evidence[-1].turn == 3


def test_a_failed_or_refused_check_with_only_general_words_after_discloses_nothing() -> None:
    failed = view(("customer", "Unblock my card"), ("agent", "What's your date of birth?"), ("customer", "1/1/80"),
                  ("agent", "That's not what we hold, so I can't go any further with your card here."))
    assert run("identity_before_account", failed).status == "na"
    refused = view(("customer", "Why did my bill go up?"), ("agent", "Can you confirm the postcode?"),
                   ("customer", "no, not in a chat"),
                   ("agent", "Then I can only speak generally: 42 pence a day is the standing charge now."))
    assert run("identity_before_account", refused).status == "na"
    cannot = view(("customer", "My meter's broken"), ("agent", "Can you confirm the postcode?"),
                  ("customer", "B1 1AA"), ("agent", "Sorry, I can't access the meter records from here."))
    assert run("identity_before_account", cannot).status == "na"


# round 17 (empathy stream, dev ld-1211..1260): an answer the agent says does not match is no verification, so a
# detail given after it is given unverified (a mismatch later in the chat, about something else, changes nothing);
# a bot's line that the customer passed security, before the agent joins, is the verification
def test_a_rejected_answer_leaves_the_details_after_it_unverified() -> None:
    asked = (("customer", "How much is left on my loan?"), ("agent", "Can you confirm your date of birth and postcode?"),
             ("customer", "2/2/82, LS2 9JT"))
    rejected = view(*asked, ("agent", "The postcode doesn't match our records. Anyway, your balance is 1,240 pounds."))
    result = run("identity_before_account", rejected)
    assert result.status == "fail", result.message
    assert result.evidence[0].quote == "your balance"
    later = view(*asked, ("agent", "Thanks. Your balance is 1,240 pounds."), ("customer", "my statement says 1,100"),
                 ("agent", "That figure doesn't match because the statement is from March."))
    assert run("identity_before_account", later).status == "pass"


def test_a_bot_line_that_the_customer_passed_security_verifies() -> None:
    turns = [("system", "Assistant: Thank you, you've passed security. An adviser will join shortly."),
             ("customer", "what's my overdraft limit?"), ("agent", "Hi, it's Jo. Your overdraft limit is 500 pounds.")]
    assert run("identity_before_account", view(*turns)).status == "pass"
    turns[0] = ("system", "Assistant: Thank you, an adviser will join shortly.")
    assert run("identity_before_account", view(*turns)).status == "fail"


# round 18 (empathy stream, dev ld-1371..1420): a check the customer refused or could not answer ("why do you need
# that?", "I can't get the code") verifies nothing; an answer said in non-native words not to match ("not same as we
# have") is a mismatch; a bot's or IVR's line that says a check was passed verifies, a bot's question does not; the
# identifier named in the sentence that checks it is no detail
@pytest.mark.parametrize(("answer", "status"), [
    ("why do you need that? I only want the total", "fail"),
    ("my husband has that phone so I can't get the code", "fail"),
    ("14/03/1981, LS2 9JT", "pass"),
    ("I don't have the letter, but it's 14/03/1981", "pass"),
])
def test_a_check_refused_or_out_of_reach_verifies_nothing(answer: str, status: str) -> None:
    chat = view(("customer", "How much do I owe?"), ("agent", "Could you confirm your date of birth first?"),
                ("customer", answer), ("agent", "No problem. Your balance is 212 pounds."))
    assert run("identity_before_account", chat).status == status


def test_a_non_native_mismatch_leaves_the_details_unverified() -> None:
    chat = view(("customer", "renewal price?"), ("agent", "Please tell me policy number and postcode."),
                ("customer", "HX-1102, M1 4BT"),
                ("agent", "Postcode is not same as we have, but ok. Your premium is 312 from May."))
    assert run("identity_before_account", chat).status == "fail"


@pytest.mark.parametrize(("line", "status"), [
    ("IVR: caller verified by date of birth and member number. Transferred.", "pass"),
    ("Bot: Thanks, you've confirmed your postcode and date of birth.", "pass"),
    ("Bot: What's your date of birth? ... Thanks, connecting you now.", "fail"),
])
def test_a_system_line_that_reports_a_passed_check_verifies(line: str, status: str) -> None:
    chat = view(("system", line), ("customer", "is my plan still active?"),
                ("agent", "Hello! Your plan is active, the last debit of 14.50 was collected on the 8th."))
    assert run("identity_before_account", chat).status == status


def test_the_identifier_checked_is_no_account_detail() -> None:
    chat = view(("customer", "Can I overpay? My account number is 5521-09 and my date of birth 3/3/75."),
                ("agent", "I have checked your account number and date of birth against our records. Your "
                          "balance is 98,210.40."))
    assert run("identity_before_account", chat).status == "pass"
