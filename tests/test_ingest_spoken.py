"""Spoken PII: numbers and e-mail addresses as callers say them (and as Whisper writes them), and the
numbers that must stay (amounts, dates, times, order numbers, extensions, counts)."""

from __future__ import annotations

import pytest

from qa_toolkit.ingest.pii import find_pii, redact
from qa_toolkit.ingest.spoken import normalise


def hits(text: str) -> list[tuple[str, str]]:
    return [(span.kind, text[span.start:span.end]) for span in find_pii(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("four oh one two, double eight", "4012 88"),
    ("forty one eleven twenty two", "411122"),
    ("two hundred and fifty dollars", "250 dollars"),
    ("four-one-one-one", "4111"),
    ("triple seven double oh", "77700"),
    ("nineteen oh five", "1905"),
    ("oh, okay, one moment", "oh, okay, 1 moment"),  # "oh" alone is a word
    ("m a r i a at gmail dot com", "maria@gmail.com"),
    ("my email is maria at example dot com", "my email is maria@example.com"),
    ("john underscore smith seven five at yahoo dot co dot uk please", "john_smith75@yahoo.co.uk please"),
    ("it's j dot doe at example dot org", "it's j.doe@example.org"),
    ("maria.lopez at example.com", "maria.lopez@example.com"),
    ("meet at example dot com", "meet at example dot com"),  # one plain word before "at" and no cue
    # as Whisper writes what was spelled or joined: letters with hyphens, digits and dashes in one word
    ("it's S-O-F-I-A dot Kowalski at gmail.com", "it's sofia.kowalski@gmail.com"),
    ("send it to Sofia H-A-D-D-A-D at mailbox.org.", "send it to sofiahaddad@mailbox.org."),
    ("it's omar-kowalski83 at northwind.co.uk", "it's omar-kowalski83@northwind.co.uk"),
    ("oh, it's LH1982 at mailbox.org", "oh, it's lh1982@mailbox.org"),
    ("what's your e-mail? It's Anna Okafor at gmail.com", "what's your e-mail? It's annaokafor@gmail.com"),
    ("Anna Okafor at example.com", "Anna Okafor at example.com"),  # plain words, no cue: not an address
    # ... unless the domain is a mail provider's (and the word before "at" no word a sentence goes on with)
    ("Anna Okafor at gmail.com", "annaokafor@gmail.com"),
    ("yeah wendelldaley at yahoo dot com", "yeah wendelldaley@yahoo.com"),
    ("I was looking at gmail dot com on my phone", "I was looking at gmail dot com on my phone"),
    ("I logged in at outlook dot com and saw it", "I logged in at outlook dot com and saw it"),
    ("you can reach me at hotmail dot com", "you can reach me at hotmail dot com"),
])
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text).text == expected


def test_normalised_ranges_map_back_to_whole_words() -> None:
    text = "my card is four one one one, one two"
    norm = normalise(text)
    start = norm.text.index("4111")
    assert text[slice(*norm.source(start, start + 4))] == "four one one one"
    assert text[slice(*norm.source(start, len(norm.text)))] == "four one one one, one two"


@pytest.mark.parametrize(("text", "expected"), [
    # cards in words, digits, broken groups, "oh", double/triple, pairs, mixed
    ("my card is four five three nine, one four eight eight, oh three four three, six four six seven",
     [("card", "four five three nine, one four eight eight, oh three four three, six four six seven")]),
    ("It's 4539, 1488, 0343, 6467.", [("card", "4539, 1488, 0343, 6467")]),
    ("it's 4 5 3 9 1 4 8 8 0 3 4 3 6 4 6 7 thanks", [("card", "4 5 3 9 1 4 8 8 0 3 4 3 6 4 6 7")]),
    ("four five three nine one four double eight oh three four three six four six seven",
     [("card", "four five three nine one four double eight oh three four three six four six seven")]),
    ("forty five thirty nine, fourteen eighty eight, oh three forty three, sixty four sixty seven",
     [("card", "forty five thirty nine, fourteen eighty eight, oh three forty three, sixty four sixty seven")]),
    ("card 4539 one four eight eight 0343 six four six seven", [("card", "4539 one four eight eight 0343 six four six seven")]),
    # CVV and expiry right after a card, after a cue
    ("4539 1488 0343 6467, the security code is one two three and it expires oh four twenty eight",
     [("card", "4539 1488 0343 6467"), ("cvv", "one two three"), ("expiry", "oh four twenty eight")]),
    ("4539 1488 0343 6467 expiry april twenty twenty eight cvv 987",
     [("card", "4539 1488 0343 6467"), ("expiry", "april twenty twenty eight"), ("cvv", "987")]),
    # SSN: formatted, or nine digits after a cue
    ("my social is one two three, four five, six seven eight nine", [("ssn", "one two three, four five, six seven eight nine")]),
    ("SSN one two three four five six seven eight nine", [("ssn", "one two three four five six seven eight nine")]),
    # phones
    ("call me on two one two, five five five, oh one four seven", [("phone", "two one two, five five five, oh one four seven")]),
    ("it's four one five double five five oh one three two", [("phone", "four one five double five five oh one three two")]),
    ("plus four four twenty seven nine four six oh nine five eight", []),  # "+" not spoken as such: no region GB
    # e-mails spoken and spelled
    ("maria dot lopez at example dot com", [("email", "maria dot lopez at example dot com")]),
    ("it's m a r i a underscore l o p e z at gmail dot com", [("email", "m a r i a underscore l o p e z at gmail dot com")]),
    ("my email is anna at northwind dot co dot uk", [("email", "anna at northwind dot co dot uk")]),
    # an IBAN after the word "card" is an IBAN, not a card number read with a digit misheard
    ("I want to pay my card bill from my French account. IBAN FR14 2004 1010 0505 0001 3M02 606",
     [("iban", "FR14 2004 1010 0505 0001 3M02 606")]),
    # as speech recognition writes them: a code's digits as words that sound like them, an address whose "at"
    # was lost but whose letters were spelled after "e-mail"
    ("4983 4441 7476 6140, expires 0529 and the security code is too late for.",
     [("card", "4983 4441 7476 6140"), ("expiry", "0529"), ("cvv", "too late for")]),
    ("a receipt by email?, Yes, please send it to John L. O. P. E. Z. Pro undot me.", [("email", "L. O. P. E. Z.")]),
    ("4983 4441 7476 6140, the security code is on the back, two for one deal",  # words, no code
     [("card", "4983 4441 7476 6140")]),
    # account numbers (default pattern: after "account number")
    ("account number one two three four five six seven eight", [("account", "one two three four five six seven eight")]),
])
def test_finds_spoken_personal_data(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits(text) == expected


@pytest.mark.parametrize("text", [
    "that's two hundred and fifty dollars, refunded on the twenty first of may",
    "your order number is four five six seven eight nine one two three four five six seven",  # fails Luhn
    "ticket one two three four five six seven eight nine zero one two three four",
    "extension two three four five",
    "it arrives in five to seven working days, at three thirty pm",
    "July ninth, nineteen seventy five",
    "I have two kids, three dogs and one question",
    "the total was one thousand two hundred and thirty four dollars and fifty six cents",
    "the code on the box is one two three",  # a code without a card before it
    "one one one one one one one one",  # eight digits: no kind of PII
    # an order number read digit by digit: its first 13 digits pass the card checksum, the whole fails
    "my order number is 4, 0, 1, 2, 8, 8, 8, 8, 8, 8, 8, 8, 1, 5, 7, 3",
    "meet me at the office dot com is not an address",
    "I'll look at it, dot the i's",
    "I sent an email to the U S A team",  # three capitals: an abbreviation, not a spelled address
])
def test_keeps_false_positives_intact(text: str) -> None:
    assert find_pii(text) == []
    assert redact(text).text == text


def test_keep_last_four_of_a_card(monkeypatch: pytest.MonkeyPatch) -> None:
    from qa_toolkit.config import get_settings

    text = "it's four five three nine, one four eight eight, oh three four three, six four six seven thanks"
    assert redact(text).text == "it's [CARD] thanks"
    assert redact(text, keep_last=4).text == "it's [CARD ending 6467] thanks"
    monkeypatch.setenv("QA_PII_CARD_KEEP_LAST", "4")
    get_settings.cache_clear()
    assert redact(text).text == "it's [CARD ending 6467] thanks"


def test_account_patterns_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from qa_toolkit.config import get_settings

    monkeypatch.setenv("QA_PII_ACCOUNT_PATTERNS", '["(?i)member (?:id|number) (\\\\d{8})"]')
    get_settings.cache_clear()
    assert redact("member id one two three four five six seven eight").text == "member id [ACCOUNT]"
    assert redact("account number 12345678").text == "account number 12345678"  # default pattern replaced
    monkeypatch.setenv("QA_PII_ACCOUNT_PATTERNS", '["(unclosed"]')
    get_settings.cache_clear()
    with pytest.raises(ValueError, match="not a regular expression"):
        get_settings()


@pytest.mark.parametrize(("text", "expected"), [
    ("Okay, 537L, purple 8 .4,", "Okay, 5370, purple 8 4,"),  # "five three seven oh" written as 537L
    ("send it to Sophia H &D at the mailbox .org.", "send it to sophiahd@mailbox.org."),  # "at the mailbox"
])
def test_what_speech_recognition_garbles(text: str, expected: str) -> None:
    assert normalise(text).text == expected


@pytest.mark.parametrize(("text", "expected"), [
    # d16/d18: letters said one by one run into a domain's label, "dash" inside one, a country code after it
    ("send it to jossbaxter 7 at b t internet dot com", "send it to jossbaxter7@btinternet.com"),
    ("it's j dot shah at harlow dash group dot co dot uk", "it's j.shah@harlow-group.co.uk"),
    # letters spelled with a pause after each, a tens word after a name
    ("Um, h, a, n, a, dash, doyle at xtra dot co dot nz, all lower case.", "Um, hana-doyle@xtra.co.nz, all lower case."),
    ("r dash mensah seventy at web dot de", "r-mensah70@web.de"),
    # a tens word alone gives no address its structure: a time, then "at" a place
    ("I got there at twenty past ten at the office dot com", "I got there at 20 past 10 at the office dot com"),
])
def test_addresses_said_with_country_codes_and_joiners(text: str, expected: str) -> None:
    assert normalise(text).text == expected


@pytest.mark.parametrize(("text", "digits", "covered"), [
    # a slip put right: the group said just before it is left out, the span still covers it
    ("five three six one five four, nine one, no, let me start again, nine eight nine nine three eight three seven "
     "five four.", "536154 9899383754", "five three six one five four, nine one, no, let me start again, nine eight "
     "nine nine three eight three seven five four"),
    ("Sure, two oh, I mean two seven one three eight three three three three.", "271383333",
     "two oh, I mean two seven one three eight three three three three"),
    ("It cost forty, no wait, fifty four pounds.", "54", "forty, no wait, fifty four"),
    # a pause inside a number: both parts kept, as two groups of one number
    ("four zero four six zero, sorry, it's worn, zero one five nine four when", "40460 01594",
     "four zero four six zero, sorry, it's worn, zero one five nine four"),
    ("three eight, uh, one sec, seven six two", "38 762", "three eight, uh, one sec, seven six two"),
    ("five five six one, ninety three, forty one, sorry, excuse me, seven six five oh, four four eight eight.",
     "5561 93 41 7650 4488", "five five six one, ninety three, forty one, sorry, excuse me, seven six five oh, four "
     "four eight eight"),  # d17: someone in the shop
    # d16: a group first said in pairs, said again whole after "No" (the agent heard it wrong): counted once
    ("four oh one two., twenty four, thirty eight., No, two four three eight., nine one eight nine.", "4012 2438 9189",
     "four oh one two., twenty four, thirty eight., No, two four three eight., nine one eight nine"),
])
def test_a_number_goes_on_over_a_pause_or_a_slip(text: str, digits: str, covered: str) -> None:
    norm = normalise(text)
    start = norm.text.index(digits)
    assert text[slice(*norm.source(start, start + len(digits)))] == covered


@pytest.mark.parametrize(("text", "expected"), [("one two three, no, that's it.", "123, no, that's it."),
                                              ("I have two, uh, kids", "I have 2, uh, kids"), ("no, one", "no, 1")])
def test_a_pause_before_words_joins_nothing(text: str, expected: str) -> None:
    assert normalise(text).text == expected


def test_a_hurried_callers_fillers_inside_a_number() -> None:
    """d20: "like", "you know", "let me just" between a number's groups are pauses, the number goes on after them."""
    assert normalise("seven fifty four, um, eighty eight, let me just, eleven fifty eight.").text == "754 88 1158."
    assert normalise("four one two, like, five five five, you know, one two one two").text == "412 555 1212"
    assert [s.kind for s in find_pii("four one two, like, five five five, you know, one two one two")] == ["phone"]


def test_an_address_spelled_with_as_in_and_double_letters() -> None:
    """d20: letters said the careful way ("o as in oscar", "double n") are the address's letters, and a provider said
    as two words ("proton mail") is its domain; "looking at proton mail dot com" stays no address."""
    assert normalise("c, o as in oscar, double n, o as in oscar, r, underscore, quayle at sky dot com.").text == (
        "connor_quayle@sky.com.")
    assert normalise("zainab dot, a as in apple, d, e, y as in yellow, e, m, i as in india, at hotmail dot co dot "
                     "uk").text == "zainab.adeyemi@hotmail.co.uk"
    assert normalise("c, k, e, double l, s, at proton mail dot com.").text == "ckells@protonmail.com."
    assert find_pii("I was looking at proton mail dot com") == []
