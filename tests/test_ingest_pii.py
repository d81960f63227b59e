"""PII detection and redaction: true and false positives for each kind, offsets in the original text."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from qa_toolkit.ingest.pii import PIISpan, find_pii, iban_valid, luhn_valid, redact, redact_each


def hits(text: str) -> list[tuple[str, str]]:
    return [(span.kind, text[span.start:span.end]) for span in find_pii(text)]


@pytest.mark.parametrize(("text", "expected"), [
    # cards: Luhn-valid 13-19 digits, plain or split by spaces / dashes
    ("card 4111111111111111 thanks", [("card", "4111111111111111")]),
    ("card 4111 1111 1111 1111 thanks", [("card", "4111 1111 1111 1111")]),
    ("card 4111-1111-1111-1111.", [("card", "4111-1111-1111-1111")]),
    ("amex 3782 822463 10005 ok", [("card", "3782 822463 10005")]),
    ("visa13 4222222222222 ok", [("card", "4222222222222")]),
    ("19 digits 6011 0009 9013 9424 123 ok", [("card", "6011 0009 9013 9424")]),
    ("card then expiry 4539 1488 0343 6467 12 27", [("card", "4539 1488 0343 6467")]),
    # SSN, e-mail (inside punctuation), IBAN
    ("my SSN is 078-05-1120.", [("ssn", "078-05-1120")]),
    ("(mail: <john.doe+qa@example.co.uk>).", [("email", "john.doe+qa@example.co.uk")]),
    ("write to \"ana@example.com\", please", [("email", "ana@example.com")]),
    ("IBAN DE89 3704 0044 0532 0130 00 thanks", [("iban", "DE89 3704 0044 0532 0130 00")]),
    ("IBAN GB82WEST12345698765432", [("iban", "GB82WEST12345698765432")]),
    # phones in several formats (US default region, international with +)
    ("call (415) 555-0132", [("phone", "(415) 555-0132")]),
    ("call 415-555-0132 now", [("phone", "415-555-0132")]),
    ("call 415.555.0132", [("phone", "415.555.0132")]),
    ("call +1 415 555 0132", [("phone", "+1 415 555 0132")]),
    ("ring +44 20 7946 0958 or +46 70 123 45 67", [("phone", "+44 20 7946 0958"), ("phone", "+46 70 123 45 67")]),
])
def test_finds_personal_data(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits(text) == expected


@pytest.mark.parametrize("text", [
    "order 1234567812345678 shipped",  # 16 digits, fails Luhn: an order number, not a card
    "order 4111 1111 1111 1112",  # Luhn-invalid card-like number
    "tracking 123456789012",  # 12 digits: too short for a card, not a phone
    "ticket 00012345678901234567890",  # 23 digits: too long for a card
    "on 2026-10-02 at 14:05, ref RF-99812",
    "SSN-like but invalid 000-12-3456 and 666-12-3456",
    "not an e-mail: user@localhost or @handle",
    "IBAN DE00 3704 0044 0532 0130 00 has a bad checksum",
    "price 4,000.00 and 49.99",
    "no personal data here at all",
])
def test_ignores_lookalikes(text: str) -> None:
    assert find_pii(text) == []


def test_redact_replaces_with_typed_placeholders_and_keeps_original_offsets() -> None:
    text = "Card 4111 1111 1111 1111, SSN 078-05-1120, mail jo@example.com, phone (415) 555-0132."
    result = redact(text)
    assert result.text == "Card [CARD], SSN [SSN], mail [EMAIL], phone [PHONE]."
    assert [(s.kind, text[s.start:s.end]) for s in result.spans] == [
        ("card", "4111 1111 1111 1111"), ("ssn", "078-05-1120"), ("email", "jo@example.com"), ("phone", "(415) 555-0132")]
    assert result.spans[0] == PIISpan("card", 5, 24)


def test_redact_leaves_clean_text_alone() -> None:
    result = redact("Hello! How can I help? Order 1234567812345678.")
    assert result.text == "Hello! How can I help? Order 1234567812345678."
    assert result.spans == ()


def test_kinds_can_be_restricted() -> None:
    assert redact("jo@example.com 4111111111111111", kinds={"email"}).text == "[EMAIL] 4111111111111111"


def test_checksums() -> None:
    assert luhn_valid("79927398713") and not luhn_valid("79927398710")
    assert iban_valid("FR14 2004 1010 0505 0001 3M02 606") and not iban_valid("FR15 2004 1010 0505 0001 3M02 606")


pieces = st.sampled_from(["4539 1488 0343 6467", "078-05-1120", "(212) 555-0187", "jo@example.com", "555 0187", "12",
                          "3-5", "@", " ", "\n", "ok", ", ", "1", "-"])
texts = st.lists(st.lists(pieces, max_size=8).map("".join), max_size=8)


@given(texts)
@example(["call 212 5", "55 0187", "no"])  # digits of one run on both sides of the line between two turns
@example(["4539 1488 0343 6467", "", "x@example.com"])
def test_redact_each_finds_what_redact_finds_in_each_text(turns: list[str]) -> None:
    expected = [(position, redact(text)) for position, text in enumerate(turns) if redact(text).spans]
    assert list(redact_each(turns)) == expected


def test_phone_numbers_without_country_code_are_found_for_the_regions_named() -> None:
    text = "ref 07911 123456 or (415) 555-0132"
    assert hits(text) == [("phone", "(415) 555-0132")]  # the default region: US
    # a national number of another country counts under the default region only right after a phone cue
    assert hits("call 07911 123456 or (415) 555-0132") == [("phone", "07911 123456"), ("phone", "(415) 555-0132")]
    assert hits("Mob: 07911 123456") == [("phone", "07911 123456")]
    assert hits("my number on the account is 020 7946 0321") == [("phone", "020 7946 0321")]
    assert hits("call about order 01234 567890 1") == []  # part of a longer number
    both = [(s.kind, text[s.start:s.end]) for s in find_pii(text, regions=("US", "GB"))]
    assert both == [("phone", "07911 123456"), ("phone", "(415) 555-0132")]
    assert [text[s.start:s.end] for s in find_pii(text, regions=("GB",))] == ["07911 123456"]
    # one number that is valid in both regions' formats is one hit, not two
    assert len(find_pii("ring +44 20 7946 0958", regions=("US", "GB"))) == 1


def test_the_phone_regions_setting_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from qa_toolkit.config import get_settings

    monkeypatch.setenv("QA_PHONE_REGIONS", "us, gb")
    get_settings.cache_clear()
    assert get_settings().phone_regions == ("US", "GB")
    assert redact("call 07911 123456").text == "call [PHONE]"


@pytest.mark.parametrize(("text", "expected"), [
    # a card asked for, read with a digit lost (fails Luhn) or a misheard word between its groups
    ("what's the long number on the card?, 4539 1488 0343 646", [("card", "4539 1488 0343 646")]),
    ("the card number?, 4111 60 to 11 1111 1111", [("card", "4111 60 to 11 1111 1111")]),
    # expiry date and security code after their own cue, a card talked about before but none found
    ("the card, yes. The expiration date?, 09 2030. And the three numbers on the back?, Um, 112.",
     [("expiry", "09 2030"), ("cvv", "112")]),
    ("paying by visa. Valid thru 07/27 and the CVC is 169", [("expiry", "07/27"), ("cvv", "169")]),
    # an SSN after its cue with a digit lost by speech recognition ("three" heard as "B")
    ("your social security number?, Sure, it's B9 -4 -149 -871.", [("ssn", "B9 -4 -149 -871")]),
    ("my social worker's number is 4155550199", [("phone", "4155550199")]),  # ten digits after "social": no SSN
    # speech recognition's versions: "sixty eleven" as "60 to 11", the agent's "mhm" as "I have", a date in pieces,
    # "expires" as "Spire"
    ("what's the card number?, Okay, 60 to 11., I have., 69, 59, 47, 1, 7, 7, 6, 7,, The expiry date and the "
     "security code. Please,, expiry, 0, 8, 31, security code, 4, 9, 5.",
     [("card", "60 to 11., I have., 69, 59, 47, 1, 7, 7, 6, 7"), ("expiry", "0, 8, 31"), ("cvv", "4, 9, 5")]),
    ("Which card? Thanks. The expiry date and the security code, please., Spire August 20, 26. Security Code 2 -4 -4.",
     [("expiry", "August 20"), ("cvv", "2 -4 -4")]),
])
def test_card_details_named_without_a_card_found(text: str, expected: list[tuple[str, str]]) -> None:
    assert hits(text) == expected


@pytest.mark.parametrize("text", [
    "my contract expires march 2027, the discount code is 123",  # no card talked about: no expiry, no code
    "the card ending in 4321 was charged 119 dollars on march 3 2025",
    "card payment for order number 4539 1488 0343 6468 please",  # named as an order number, fails Luhn
    "the card number?, the security code?, Thanks, paid. Card ending 6467",  # last four, not a code
    "your card is due to expire at the end of the month, ticket 1234567",
])
def test_numbers_near_card_words_that_are_no_card_data(text: str) -> None:
    assert hits(text) == []


def test_an_account_under_another_name_counts_on_calls_only() -> None:
    """A caller's membership number, customer ID or customer reference is an account number in a call's words; chat
    text keeps its rules (chat labels count no account numbers); a policy or meter number is none."""
    said = "hi so my membership number is 614 504 495 60, I need to cancel"
    call = [(s.kind, said[s.start:s.end]) for s in find_pii(said, spoken=True)]
    assert call == [("account", "614 504 495 60")]
    assert find_pii(said) == []
    for other in ("my policy number is 85 33 66 09 85", "the meter number is 53 19 06 19 43"):
        assert [s.kind for s in find_pii(other, spoken=True)] == []


def test_whispers_way_with_a_customer_id_and_a_month_and_year() -> None:
    """Whisper writes "seventy five, forty three, ..." as "75 .43 .00 .85 .5" and "month eleven" as "month -11"."""
    said = "Hi, so my customer ID is 75 .43 .00 .85 .5. I need to cancel."
    assert [(s.kind, said[s.start:s.end]) for s in find_pii(said, spoken=True)] == [("account", "75 .43 .00 .85 .5")]
    card = "2 -2 -2 -1, 9 -5 -9 -8, 7 -2 -1 -2, 7 -2 -7 -5, expiring, month -11, year 30, and the code is 794."
    assert [(s.kind, card[s.start:s.end]) for s in find_pii(card, spoken=True)] == [
        ("card", "2 -2 -2 -1, 9 -5 -9 -8, 7 -2 -1 -2, 7 -2 -7 -5"), ("expiry", "month -11, year 30"), ("cvv", "794")]


def test_paying_over_the_phone_names_no_phone_number() -> None:
    """tiny.en on the d12 dev calls: a card read after "I want to pay over the phone" whose digits speech recognition
    garbled was taken for a phone number; "call me on" still cues one."""
    text = "Hi, I want to pay my bill over the phone, four one seven nine of three seven six eight oh three oh three nine six two"
    assert [s.kind for s in find_pii(text, spoken=True)] == []
    assert [s.kind for s in find_pii("Call me on 415 555 267 12, thanks.", spoken=True)] == ["phone"]


def test_a_toll_free_line_an_area_code_and_a_case_number_read_like_a_social() -> None:
    """d14/d15 dev calls: a firm's toll-free line is nobody's phone; "area code 617, then 785 3275" is one phone number;
    a case number read 3-2-4 is no SSN, the same digits after "social" are; "good till" names an expiry date."""
    def hits(text: str) -> list[tuple[str, str]]:
        return [(s.kind, text[s.start:s.end]) for s in find_pii(text, spoken=True)]

    assert hits("Ring us free on one eight hundred, five five five, oh one nine nine, option three.") == []
    assert hits("Ring us on 1 800 555 0199 or call me on 415 555 0132.") == [("phone", "415 555 0132")]
    assert hits("Area code six one seven, then seven eight five, three two seven five.") == [
        ("phone", "six one seven, then seven eight five, three two seven five")]
    assert hits("The case number is 281 63 4564.") == []
    assert hits("My social is 281 63 4564.") == [("ssn", "281 63 4564")]
    assert hits("Card 4111 1111 1111 1111, and it's good till eight twenty seven.") == [
        ("card", "4111 1111 1111 1111"), ("expiry", "eight twenty seven")]


def test_a_phone_named_without_its_number_is_no_cue_for_loose_digits() -> None:
    """One list of what names a phone without asking for its number (PHONE_NOT_ASKED, shared with the answers module):
    nine loose digits after "over the phone" or "on the phone" are no phone number, after "call me on" they are."""
    assert find_pii("I paid over the phone, it was 4 1 5 9 2 7 3 1 8.", kinds=["phone"]) == []
    assert find_pii("I was on the phone to you, 4 1 5 9 2 7 3 1 8.", kinds=["phone"]) == []
    assert [s.kind for s in find_pii("Just call me on 4 1 5 9 2 7 3 1 8.", kinds=["phone"])] == ["phone"]


def test_a_phone_after_its_cue_written_in_groups_apart() -> None:
    """tiny.en on the d14 dev calls: Whisper's "617. 25. 617. 126." after "my cell is", and "Area Code 206 -Vent
    595 -6761" ("then" misheard), are phone numbers."""
    text = "My cell is plus one. 617. 25. 617. 126."
    assert [(s.kind, text[s.start:s.end]) for s in find_pii(text, kinds=["phone"])] == [
        ("phone", "617. 25. 617. 126")]
    text = "Area Code 206 -Vent 595 -6761."
    assert [(s.kind, text[s.start:s.end]) for s in find_pii(text, kinds=["phone"])] == [("phone", "206 -Vent 595 -6761")]
