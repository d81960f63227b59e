"""Personal data read in answer to a question that asks for it, where speech recognition garbled it."""

from __future__ import annotations

import pytest

from qa_toolkit.transcribe.answers import answer_spans, asked_kinds
from qa_toolkit.transcribe.redaction import find_call_pii
from transcribe_support import found, said, turn


@pytest.mark.parametrize(("question", "kinds"), [
    ("Could you read me the digits on the card?", ["card"]),
    ("Could I get the sixteen digits on the front of your Visa?", ["card"]),
    ("Where can we reach you?", ["phone"]),
    ("And what's your count number?", ["account"]),  # "account number" misheard
    ("When does it expire, and the CVV?", ["expiry", "cvv"]),
    ("Last thing, the social security number.", ["ssn"]),
    ("What's a good number to reach you?", ["phone"]),
    ("What e-mail address should we use?", ["email"]),
    ("Got it. And the ticket number?", []),
    ("Which card did you pay with?", []),
    ("Two hundred and fifty dollars, refunded in five days.", []),
    # d6 dev wordings: a code asked for by where it is printed, an expiry that names none, a company's name
    ("Flip it over, what's in the little white box?", ["cvv"]),
    ("And when does it lapse?", ["expiry"]),
    ("Read me the number embossed on it, please.", ["card"]),
    ("Can you confirm your tax ID, the SSN?", ["ssn"]),
    ("Which mobile should the texts go to?", ["phone"]),
    ("Kestrel Mobile claims, Joe speaking.", []),
    ("And the meter, I mean the claim, is number 219 -504.", []),  # "is number" is no "visa number"
])
def test_what_a_question_asks_for(question: str, kinds: list[str]) -> None:
    assert asked_kinds(question) == kinds


@pytest.mark.parametrize("text", ["", "   ", "?", "..."])
def test_a_turn_without_words_asks_for_nothing(text: str) -> None:
    # an empty or punctuation-only agent turn on a call (found by the any-conversation property test)
    assert asked_kinds(text) == []


def test_answers_read_loosely_for_the_kind_asked_for() -> None:
    def found(text: str, kinds: list[str]) -> list[tuple[str, str]]:
        return [(h.kind, text[h.start:h.end]) for h in answer_spans(text, kinds)]

    # a card with digits lost (11 left, fails Luhn and length)
    assert found("Yeah it's 4983 444 7476 614.", ["card"]) == [("card", "4983 444 7476 614")]
    assert found("It's oh five twenty nine and two eight four.", ["expiry", "cvv"]) == [
        ("expiry", "oh five twenty nine"), ("cvv", "two eight four")]
    assert found("Sure, one six nine oh two one one four", ["ssn"]) == [("ssn", "one six nine oh two one one four")]
    # Whisper's hyphens before digits said one by one (dev id-05 through tiny.en), and a letter for "oh"
    assert found("-719 -71390 -0.", ["ssn"]) == [("ssn", "719 -71390 -0")]
    assert found("L -3 -8, 3 -1 -6 -double -5 -1.", ["ssn"]) == [("ssn", "3 -8, 3 -1 -6 -double -5 -1")]
    assert found("Do it, Omar dot new in at mailbox .org, please.", ["email"]) == [
        ("email", "Omar dot new in at mailbox .org")]
    # what is no answer of the kind stays: an amount, a short number, an address without "at" or "dot"
    assert found("I'd rather pay two hundred dollars first.", ["card"]) == []
    assert found("The one ending 4412.", ["card"]) == []
    assert found("Yes please, to the address on file.", ["email"]) == []


def test_a_garbled_answer_to_the_agents_question_is_redacted_as_what_was_asked() -> None:
    turns = [turn("agent", 0.0, "And what's your count number?"),  # "account number" misheard: no rule of find_pii
             turn("customer", 3.0, "It's 2883, 10 86."),
             turn("agent", 6.0, "Thanks. Now the card, go ahead with the long number."),
             turn("customer", 9.0, "5106 4239 5281 88"),  # 14 digits left: fails Luhn
             turn("agent", 12.0, "Through a date in the CDC."),  # "Valid thru date and the CVC?": no cue heard
             turn("customer", 15.0, "Oh nine thirty, and 412."),
             turn("agent", 18.0, "Paid, one hundred and twelve dollars. Your order number is 4481 9277 31.")]
    spans = find_call_pii(turns)
    assert said(turns, spans) == [
        ("account", 1, "2883, 10 86"), ("card", 3, "5106 4239 5281 88"), ("expiry", 5, "Oh nine thirty"),
        ("cvv", 5, "412")]


def test_the_agents_own_numbers_and_unasked_answers_stay() -> None:
    turns = [turn("customer", 0.0, "My card number ends in 4412, I was charged twice."),
             turn("agent", 3.0, "I see two charges of 129 dollars. Your case number is 5521 8830."),
             turn("customer", 6.0, "Okay, and when will I get it back?"),
             turn("agent", 9.0, "Within five to ten days, by the fourteenth of May.")]
    assert find_call_pii(turns) == []


def test_an_answer_after_a_hold_and_the_agents_take_your_time() -> None:
    turns = [turn("agent", 0.0, "And the expiry date on the card?"),
             turn("customer", 3.0, "Hang on, let me find it."),
             turn("agent", 5.0, "Sure, take your time."),
             turn("customer", 27.0, "Okay, it's oh seven, twenty eight."),  # after 20 s of hold music
             turn("agent", 31.0, "Thanks. That's all done, the refund is 42 dollars.")]
    spans = find_call_pii(turns)
    assert said(turns, spans) == [
        ("expiry", 3, "oh seven, twenty eight")]


def test_the_agents_mhm_misheard_as_one_word_keeps_the_answer_open() -> None:
    """Dev id-11 through tiny.en: the agent's "Mhm" heard as "MHS." between the two groups of an account number."""
    turns = [turn("agent", 0.0, "First, what's your account number?"),
             turn("customer", 3.0, "It's 24760."),
             turn("agent", 5.0, "MHS."),
             turn("customer", 6.0, "15784,"),
             turn("agent", 8.0, "Thanks. And your social security number to verify.")]
    assert [(s.kind, s.turn) for s in find_call_pii(turns)] == [("account", 1), ("account", 3)]


def test_numbers_volunteered_or_read_with_a_slip_and_an_imei_that_passes_luhn() -> None:
    """d5 dev calls: an account number given before any question, a card read with a slip put right, an expiry asked
    for as "when does it run out"; an IMEI (15 digits that pass Luhn, as real ones do) asked for is no card."""
    turns = [turn("agent", 0.0, "Fernhill Bank, Alan speaking."),
             turn("customer", 2.0, "Hi, it's about account five three five, eight two five, seventy seven one."),
             turn("customer", 8.0, "And I'd like to pay with my debit card, five three six one five four, nine one, "
                                   "no, let me start again, nine eight nine nine three eight three seven five four."),
             turn("agent", 30.0, "When does it run out?"),
             turn("customer", 32.0, "Oh five twenty six."),
             turn("agent", 35.0, "Thanks. What's the handset's IMEI?"),
             turn("customer", 37.0, "Three five four four two five four six nine eight two five six seven four.")]
    got = [(s.kind, turns[s.turn].text[s.start:s.end]) for s in find_call_pii(turns)]
    assert got == [("account", "five three five, eight two five, seventy seven one"),
                     ("card", "five three six one five four, nine one, no, let me start again, nine eight nine nine "
                              "three eight three seven five four"),
                     ("expiry", "Oh five twenty six")]


def test_answers_as_tiny_en_wrote_them_on_the_d5_dev_calls() -> None:
    """What tiny.en made of d5 dev answers: digits said slowly as "5, 4, 9", a year after a comma, an address whose
    "at" and name were lost, digits broken up by words that sound like digits, "account" heard as "count"."""
    def found(text: str, kinds: list[str]) -> list[tuple[str, str]]:
        return [(h.kind, text[h.start:h.end]) for h in answer_spans(text, kinds)]

    assert found("It expires, 0, 5, 28, 5, 4, 9.", ["expiry", "cvv"]) == [("expiry", "0, 5, 28"), ("cvv", "5, 4, 9")]
    assert found("I'm the first of October, 2029.", ["expiry"]) == [("expiry", "October, 2029")]
    assert found("dot right in that fernil dot org.", ["email"]) == [("email", "dot right in that fernil dot org")]
    assert found("renined for 149 871", ["ssn"]) == [("ssn", "for 149 871")]
    assert found("I want to pay for 2 things", ["card"]) == []
    assert asked_kinds("Where do you want the confirmation emailed?") == ["email"]
    assert asked_kinds("What date is on the front?")[0] == "expiry"
    turns = [turn("customer", 0.0, "Hi, it's about my bill count 1 9 9 6 2 4. Let me just check 3 9 1 8 6 1")]
    assert [(s.kind, turns[0].text[s.start:s.end]) for s in find_call_pii(turns)] == [
        ("account", "1 9 9 6 2 4. Let me just check 3 9 1 8 6 1")]


def test_a_bare_account_number_counts_on_calls_only() -> None:
    """Chat labels count no account numbers ("Account 55190021" in an e-mail stays); a caller's is redacted."""
    from qa_toolkit.ingest.pii import find_pii

    assert [s.kind for s in find_pii("Account 55190021, date of birth 14/09/1972.")] == []
    turns = [turn("customer", 0.0, "Hi, I'm phoning about account five five one nine oh oh two one.")]
    assert [(s.kind, turns[0].text[s.start:s.end]) for s in find_call_pii(turns)] == [
        ("account", "five five one nine oh oh two one")]


def test_d6_dev_calls_card_details_asked_for_in_no_known_words_and_references_read_in_groups() -> None:
    """d6 dev calls: a card read with two slips put right, then two questions that name nothing known: the first
    answer is the expiry date, the second the code (not a second date, though "826" could be August 2026); the
    next question for a number ends the card ("oh two thirty two" is no part of it). A booking reference that passes
    Luhn, read in groups, and an IMEI stay, and so does the firm's name "Kestrel Mobile"; an SSN said with "dash"."""
    turns = [turn("agent", 0.0, "What's printed along the front of it?"),
             turn("customer", 2.0, "three seven, four oh nine, my mistake, four oh four two nine nine,"),
             turn("agent", 7.0, "Mm, carry on."),
             turn("customer", 8.0, "three seven one, no no, three seven six one three eight six."),
             turn("agent", 12.0, "What else is printed under it?"),
             turn("customer", 15.0, "Erm, oh two thirty two."),
             turn("agent", 18.0, "And the bit by your autograph?"),
             turn("customer", 21.0, "Eight two six."),
             turn("agent", 23.0, "All done, the card ending one three eight six."),
             turn("customer", 27.0, "Cheers. And my social is two twenty dash eighty nine dash fifty eight fifty six.")]
    assert found(turns) == [
        ("card", 1, "three seven, four oh nine, my mistake, four oh four two nine nine"),
        ("card", 3, "three seven one, no no, three seven six one three eight six"),
        ("expiry", 5, "oh two thirty two"), ("cvv", 7, "Eight two six"),
        ("ssn", 9, "two twenty dash eighty nine dash fifty eight fifty six")]
    turns = [turn("agent", 0.0, "Kestrel Mobile claims, Joe speaking."),
             turn("customer", 2.0, "Hello, I'm ringing about my booking reference, it's six four double oh, eleven "
                                   "eighty, two six three two, four seven four two."),  # passes Luhn
             turn("agent", 12.0, "Thanks. And the handset's IMEI, from the box?"),
             turn("customer", 15.0, "Um, eighty six, ninety nine, oh three, oh two, thirty four, eighty five, sixty "
                                    "eight, eight."),
             turn("agent", 22.0, "Got it. Is that the card ending three two six nine we refund to?"),
             turn("customer", 27.0, "Yes. It cost me three twenty on the second of february.")]
    assert find_call_pii(turns) == []


def test_digits_of_both_sides_run_together_are_no_phone_number() -> None:
    """d5-card-03 through base: the customer's voice leaking into the agent's channel ("5 -2 -3") between the groups of
    a card read with a slip; joined over both sides the digits make a valid US phone number. They are the card (named
    before it), and what the customer says after "When does it run out?" is the expiry."""
    turns = [turn("customer", 2.6, "Hello. I'd like to pay the statement with my debit card 53615491. No."),
             turn("agent", 6.2, "speak speakers of 5 -2 -3"),
             turn("customer", 10.2, "Let me start again. 989383754."),
             turn("agent", 14.7, "-1. Thanks, I've got that down. When does it run out?"),
             turn("customer", 19.1, "0526 or 663.")]
    assert [(s.kind, s.turn) for s in find_call_pii(turns)] == [("card", 0), ("card", 2), ("expiry", 4)]


@pytest.mark.parametrize(("question", "kinds"), [
    # d9 dev wordings: the year asked for apart, the code by its bare name; no date of birth, no refund, no phone
    # payment asks for a card's details or a phone number
    ("And the year?", ["expiry"]),
    ("and the code,", ["cvv"]),
    ("Before we start, can you confirm your date on birth?", []),  # tiny.en's "date on birth"
    ("What year were you born?", []),
    ("Your next bill is at the end of the month.", []),
    ("I see it. The refund goes back to the card ending in oh nine two eight.", []),
    ("For a phone payment, we need it. We don't store it.", []),
])
def test_what_a_question_asks_for_on_the_d9_dev_calls(question: str, kinds: list[str]) -> None:
    assert asked_kinds(question) == kinds


CARD_ASKED = [turn("agent", 0.0, "Can I have the card number, please?"),
              turn("customer", 3.0, "5124 3972 2154 5908.")]


def test_an_expiry_asked_for_as_month_and_year_apart_and_a_code_given_after_a_refusal() -> None:
    turns = CARD_ASKED + [turn("agent", 6.0, "And the expiry month?"), turn("customer", 8.0, "November."),
                          turn("agent", 10.0, "And the year?"), turn("customer", 12.0, "2029."),
                          turn("agent", 14.0, "Last thing, the CVV."),
                          turn("customer", 16.0, "Do I have to give that? My bank says never give it out."),
                          turn("agent", 20.0, "For a phone payment, we need it. We don't store it."),
                          turn("customer", 24.0, "Find 671")]
    assert found(turns) == [("card", 1, "5124 3972 2154 5908"), ("expiry", 3, "November"), ("expiry", 5, "2029"),
                            ("cvv", 9, "671")]


def test_a_date_and_a_code_read_back_and_a_code_with_a_digit_lost() -> None:
    """tiny.en on d9-card-05: the customer's "eight six eight" heard as "8 6", the agent's read-backs in full."""
    turns = CARD_ASKED + [turn("agent", 6.0, "and the ballot to date"), turn("customer", 8.0, "Expiring, 04 of 28."),
                          turn("agent", 10.0, "0 -4 -28, lovely and the code on the back"),
                          turn("customer", 13.0, "It's 8 6"),
                          turn("agent", 15.0, "So 8 -6 -8, thank you. Your next bill is on the 9th of October.")]
    assert found(turns) == [("card", 1, "5124 3972 2154 5908"), ("expiry", 3, "04 of 28"), ("expiry", 4, "0 -4 -28"),
                            ("cvv", 5, "8 6"), ("cvv", 6, "8 -6 -8")]


@pytest.mark.parametrize(("answer", "wanted"), [
    ("Okay, 0626, security code 9614.", [("expiry", "0626"), ("cvv", "9614")]),
    ("-208. Back is 215.", [("expiry", "208"), ("cvv", "215")]),  # no date's shape heard: in the order asked
    ("Expires set number 28 security code 1 4 5", [("expiry", "28"), ("cvv", "1 4 5")]),  # "145" is no January 2045
])
def test_a_date_and_a_code_asked_for_together(answer: str, wanted: list[tuple[str, str]]) -> None:
    turns = CARD_ASKED + [turn("agent", 6.0, "Then the expiry date and the security code, please."),
                          turn("customer", 9.0, answer)]
    assert found(turns)[1:] == [(kind, 3, text) for kind, text in wanted]


@pytest.mark.parametrize(("card_turn", "wanted"), [
    ("three seven one three, eight oh two eight seven one, oh four six six two, expiry august twenty twenty eight, "
     "and the three digits are two oh eight oh.", ["august twenty twenty eight", "two oh eight oh"]),
    ("treble 2 -1 -1 -3 -4 -7, 6 -1 -4 -3 -9 -6 -1, expiry, January 20 -29, and the is 527.",  # "the back is"
     ["January 20 -29", "527"]),
    ("6011 -3344 -9802 -0222 -8Expiring -0927 -842.", ["0927", "842"]),  # base: cue glued, date and code one run
])
def test_a_card_its_date_and_its_code_in_one_breath(card_turn: str, wanted: list[str]) -> None:
    turns = [CARD_ASKED[0], turn("customer", 3.0, card_turn), turn("agent", 12.0, "Perfect, thank you.")]
    assert [(kind, text) for kind, _turn, text in found(turns)][1:] == list(zip(["expiry", "cvv"], wanted))


def test_an_expiry_tiny_en_wrote_as_single_digits() -> None:
    turns = CARD_ASKED + [turn("agent", 6.0, "What's the date on the front under the"),
                          turn("customer", 8.0, "-6 -3 -7 -6 -3 -1.")]
    assert found(turns)[1:] == [("expiry", 3, "6 -3 -7 -6 -3 -1")]


def test_no_card_detail_in_a_birth_date_a_texted_code_or_words_said_before_the_question() -> None:
    turns = [turn("agent", 0.0, "Before we start, can you confirm your date on birth?"),
             turn("customer", 3.0, "the 9th of September 1988"),
             turn("agent", 6.0, "I see it. The refund goes back to the card ending in oh nine two eight."),
             turn("customer", 10.0, "And the code they texted me, four one seven?"),
             turn("customer", 14.0, "Hi, I need to pay my bill, it's 217 pounds,"),  # 14.0-18.0
             turn("agent", 17.4, "go ahead with the card number"),  # speech recognition's turns overlap
             turn("customer", 20.0, "4735 5904 0939 8413.")]
    assert found(turns) == [("card", 6, "4735 5904 0939 8413")]


def test_a_card_in_groups_misheard_with_asides_then_its_details_asked_for_without_naming_them() -> None:
    """Round 10 (d10's habits through tiny.en): the agent's "mm-hm" heard as "MMA champ, okay", a group said twice and a
    digit lost (15 digits, no checksum); the card read back, a date of birth and the amount asked for in between (no
    detail in them), then "When's it up to?" and "the three on the back" name no expiry."""
    turns = [turn("agent", 0.0, "Go for it, the 16 digits."), turn("customer", 2.0, "Yeah, 53,"),
             turn("agent", 3.0, "MMA champ, okay", step=0.3), turn("customer", 4.0, "27. 66, 21."),
             turn("agent", 6.0, "Yep.", step=0.3), turn("customer", 6.5, "68,"),
             turn("agent", 7.0, "Got mad.", step=0.3), turn("customer", 7.8, "4, 4, 3, 9. Yeah, 4, 4, 3, 9."),
             turn("agent", 12.0, "And for security, your date of birth?"),
             turn("customer", 15.0, "Oh four, eleven, eighty two."),
             turn("agent", 18.0, "And how much are we paying today?"),
             turn("customer", 20.0, "Just a hundred and twenty for now."),
             turn("agent", 23.0, "And when's it up to?"), turn("customer", 25.0, "Yeah, 08, 26."),
             turn("agent", 27.0, "And the three on the back?"), turn("customer", 29.0, "Okay, 519. 519."),
             turn("agent", 31.0, "Great. If anything goes wrong, call us back on extension 519.")]
    assert found(turns) == [("card", 1, "53"), ("card", 3, "27. 66, 21"), ("card", 5, "68"),
                            ("card", 7, "4, 4, 3, 9. Yeah, 4, 4, 3, 9"), ("expiry", 13, "08, 26"),
                            ("cvv", 15, "519. 519")]


def test_the_kind_asked_for_decides_and_a_short_answer_keeps_the_question_open() -> None:
    """An SSN whose digits pass as a phone number is the SSN asked for; the asker's few words that ask nothing ("please?
    And then make sure.", speech recognition's "okay, go on") while the answer holds too few digits wait for the rest."""
    ssn = [turn("agent", 0.0, "No problem. Your social security when you're ready"),
           turn("customer", 3.0, "Okay, eight, three, two, nine, one, six, eight, four, four. Thanks,")]
    assert found(ssn) == [("ssn", 1, "eight, three, two, nine, one, six, eight, four, four")]
    split = [turn("agent", 0.0, "Sure. First, can I grab your social,"), turn("customer", 3.0, "three one three"),
             turn("agent", 4.5, "please? And then make sure.", step=0.3), turn("customer", 6.5, "four five Five seventy five."),
             turn("agent", 9.0, "Thanks, that's you. What's the new address?"), turn("customer", 12.0, "It's 206 Mill Lane.")]
    assert found(split) == [("ssn", 1, "three one three"), ("ssn", 3, "four five Five seventy five")]


@pytest.mark.parametrize(("question", "kinds"), [
    ("Okay, let's have the card then, the long one.", ["card"]),
    ("Is that the card ending four one seven two?", []),
    ("Then the last three, by the strip.", ["cvv"]),
    ("And the little three-digit one?", ["cvv"]),
    ("What's a good one for texts?", ["phone"]),
    ("Where should the confirmation go?", ["email"]),
])
def test_round_ten_wordings(question: str, kinds: list[str]) -> None:
    assert asked_kinds(question) == kinds


def test_an_address_in_an_answer_marked_by_period_underscore_or_a_written_domain() -> None:
    """Speech recognition loses the "at" of an address; "period", "underscore" or its ".uk" still mark it, and a
    domain of two parts ("co .uk", "co dot uk") is redacted to its end."""
    def found(text: str, kinds: list[str]) -> list[tuple[str, str]]:
        return [(h.kind, text[h.start:h.end]) for h in answer_spans(text, kinds)]

    assert found("Okay, it's rosalind underscore 54, hmm, signed hotmail period. Co .uk.", ["email"]) == [
        ("email", "rosalind underscore 54, hmm, signed hotmail period. Co .uk")]
    assert found("Sure, Hamish Period, Tarrant, and Gmail, co .uk.", ["email"]) == [
        ("email", "Hamish Period, Tarrant, and Gmail, co .uk")]
    assert found("Yeah, elodie at btinternet dot co dot uk, thanks.", ["email"]) == [
        ("email", "elodie at btinternet dot co dot uk")]
    # no sign of an address: nothing, whatever the answer says
    assert found("I'd rather you posted it, I'm not online much.", ["email"]) == []


def test_a_web_address_after_an_address_or_in_an_answer_is_none_and_an_expired_cue_asks() -> None:
    """Round 12 (d12 dev calls through tiny.en): the agent's "log in at our site dot com slash account" right after an
    address shares no word with it and has a path: no read-back; "slash" after a domain in an answer marks a web
    site; "it's expired" asks for the expiry date."""
    turns = [turn("agent", 0.0, "Which email should the statement go to?"),
             turn("customer", 3.0, "It's Kofi .alpha, Charlie, hotel, tango at gmail .com."),
             turn("agent", 8.0, "done you can also log in that firmly energy dot com flush account"),
             turn("customer", 13.0, "Cheers, bye.")]
    assert found(turns) == [("email", 1, "Kofi .alpha, Charlie, hotel, tango at gmail .com")]
    turns[2] = turn("agent", 8.0, "So, Sarah and Prica at gmail .com, and log in at fernleigh dot com slash account.")
    assert found(turns) == [("email", 1, "Kofi .alpha, Charlie, hotel, tango at gmail .com"),
                            ("email", 2, "Sarah and Prica at gmail .com")]
    assert answer_spans("You can get it at saltmarsh dot net slash support.", ["email"]) == []
    assert asked_kinds("and when done, it's expired.") == ["expiry"]


@pytest.mark.parametrize(("question", "kinds"), [
    ("Where would you like that sent to?", ["email"]),
    ("And where can I send the documents?", ["email"]),
    ("Which inbox should it go to?", ["email"]),
    ("Where is my parcel?", []),
    ("Where does the money go?", []),
    ("Where do you live now?", []),
])
def test_a_question_for_where_to_send_something_asks_for_an_address(question: str, kinds: list[str]) -> None:
    assert asked_kinds(question) == kinds


def test_a_postal_address_in_answer_to_where_to_send_is_no_email() -> None:
    turns = [turn("agent", 0.0, "Where would you like the documents sent?"),
             turn("customer", 3.0, "To twelve Mill Lane, flat two, please."),
             turn("agent", 7.0, "And where can I send the receipt?"),
             turn("customer", 10.0, "Rhiannon dot Pike at Proton .me, thanks.")]
    assert found(turns) == [("email", 3, "Rhiannon dot Pike at Proton .me")]


def test_a_code_said_twice_with_no_pause_heard_is_the_code() -> None:
    """tiny.en on the d10 dev calls: "oh seven five. oh seven five" written as one run; six digits that are not a
    code said twice stay."""
    def codes(text: str) -> list[str]:
        return [text[h.start:h.end] for h in answer_spans(text, ["cvv"])]

    assert codes("I'm oh seven five oh seven five") == ["oh seven five oh seven five"]
    assert codes("It's 48214821.") == ["48214821"]
    assert codes("It's 123456.") == []


def test_at_in_its_everyday_sense_after_an_email_cue_is_no_address() -> None:
    """"at home", "at about five" in the answer after a cue make no address unless a domain follows before the next "at"
    ("at the mailbox .org" is one)."""
    assert found([turn("agent", 0.0, "I'll email you the form now."),
                  turn("customer", 3.0, "Great, I'm at home till five.")]) == []
    assert answer_spans("Sure, at about three, it's the usual one.", ["email"]) == []
    turns = [turn("agent", 0.0, "What's the best email?"),
             turn("customer", 3.0, "I'm at work, so it's j dot smith at the mailbox .org.")]
    assert [(kind, text.endswith("smith at the mailbox .org")) for kind, _, text in found(turns)] == [("email", True)]


def test_a_month_and_year_after_a_whole_card_in_one_answer_is_its_expiry() -> None:
    """tiny.en on the d6 dev calls: the expiry said right after the card's digits in the same turn (the question for it
    heard later) is no more of the card; a group said again after the card still is."""
    def spans(text: str) -> list[tuple[str, str]]:
        return [(h.kind, text[h.start:h.end]) for h in answer_spans(text, ["card", "expiry"])]

    assert spans("okay so 22 21 21 95 52 88 04 57 September of 20 26") == [
        ("card", "22 21 21 95 52 88 04 57"), ("expiry", "September of 20 26")]
    assert spans("6 -0 -1 -4 -3 -7 -0 -1 eight seven double three seventy five thirty eight arm oh four thirty one") == [
        ("card", "6 -0 -1 -4 -3 -7 -0 -1 eight seven double three seventy five thirty eight"),
        ("expiry", "oh four thirty one")]
    assert spans("4111 1111 1111 1111, yeah, 1111") == [("card", "4111 1111 1111 1111, yeah, 1111")]


def test_the_account_as_where_something_is_kept_asks_for_no_account_number() -> None:
    """d14 dev calls: "the SSN on the account" asks for the SSN; "the number on your account" still for the account; "Where
    to?" asks where to send something."""
    assert asked_kinds("Sure. First, the SSN on the account, please.") == ["ssn"]
    assert asked_kinds("What phone number is on the account?") == ["phone"]
    assert asked_kinds("What's the number on your account?") == ["account"]
    assert asked_kinds("I'll send them again. Where to?") == ["email"]
    assert answer_spans("To Leeds, at five, on the train.", ["email"]) == []  # an answer counts with an address's sign


def test_a_number_started_cut_off_and_said_again_from_the_top() -> None:
    """d14 dev calls over a bad line: the digits said before the line cut out are the first of the number said again
    in full, and of its kind; digits that are not its start are not."""
    def spans(text: str, kind: str) -> list[tuple[str, str]]:
        return [(h.kind, text[h.start:h.end]) for h in answer_spans(text, [kind])]

    assert spans("three two four... four one..., Okay, from the top. three twenty four, forty one, forty six seventy "
                 "four.", "ssn") == [("ssn", "three two four... four one"),
                                     ("ssn", "three twenty four, forty one, forty six seventy four")]
    assert spans("four one five, three six two..., Sorry, I'm on the train. four one five, three six two, two oh eight "
                 "four.", "phone") == [("phone", "four one five, three six two"),
                                       ("phone", "four one five, three six two, two oh eight four")]
    assert spans("It was 12 before, now it's 415 362 2084.", "phone") == [("phone", "415 362 2084")]


def test_a_code_said_twice_is_one_code_and_a_card_asked_for_by_what_it_pays_with() -> None:
    """tiny.en on the d14 dev calls: "567. Yeah. 567." after a question for the date and the code is the code said
    again, not a date and a code; "What card are we using?" asks for the card; "the S is in" is the SSN misheard."""
    assert [(h.kind, h.start) for h in answer_spans("567., Yeah. 567.", ["expiry", "cvv"])] == [("cvv", 0)]
    assert [h.kind for h in answer_spans("Okay, 0626, 9614.", ["expiry", "cvv"])] == ["expiry", "cvv"]
    assert asked_kinds("Sure. What card are we using?") == ["card"]
    assert asked_kinds("Sure. First, the S is in on the account, please.") == ["ssn"]


def test_a_number_to_reach_someone_on_asked_in_other_words() -> None:
    """d21 through tiny.en: "Which number should the driver ring?" and "the number we should text" ask for a phone
    number ("number", then a verb of calling within three words); a number named as another ("Which order number
    should I text you?") does not."""
    assert asked_kinds("I see that we'll redeliver which number should the driver ring") == ["phone"]
    assert asked_kinds("Thanks and the number we should text.") == ["phone"]
    assert asked_kinds("Which order number should I quote when they ring?") == []
