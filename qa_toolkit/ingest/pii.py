"""Find and redact personal data in text: card numbers (with the CVV and expiry given after them), US SSNs,
e-mail addresses, phone numbers, IBANs and account numbers, written or spoken.

The API is two functions over plain text, shared by chat import and call transcripts::

    >>> result = redact("My card is 4111 1111 1111 1111, mail me at jo@example.com")
    >>> result.text
    'My card is [CARD], mail me at [EMAIL]'
    >>> [(s.kind, s.start, s.end) for s in result.spans]
    [('card', 11, 30), ('email', 43, 57)]

Spans carry the kind and the offsets in the *original* text, never the raw value, so they can be
stored next to the redacted text. Card numbers must be 13–19 digits (single spaces or dashes
between groups allowed) and pass the Luhn check; IBANs must pass the ISO 13616 mod-97 check;
phone numbers are found by the ``phonenumbers`` library (Google's libphonenumber).

Spoken forms count the same: the detectors also read the text as :func:`qa_toolkit.ingest.spoken.normalise`
writes it ("four oh one two, …" as ``4012 …``, "maria dot lopez at example dot com" as an address), and
a hit there spans the words it came from. A security code or expiry date counts only right after a card
number and after a cue ("security code", "CVV", "expires"); an SSN written as nine bare digits only after
"social security" or "SSN". Account numbers follow the ``QA_PII_ACCOUNT_PATTERNS`` setting (regular
expressions over the normalised text; group 1, when there is one, is the number). With
``QA_PII_CARD_KEEP_LAST=4`` a card's placeholder keeps its last four digits (``[CARD ending 1111]``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

from functools import lru_cache

import phonenumbers

from qa_toolkit.ingest.spoken import Normalised, might_hold_spoken, normalise

KINDS = ("card", "ssn", "email", "phone", "iban", "cvv", "expiry", "account")
PLACEHOLDERS = {kind: f"[{kind.upper()}]" for kind in KINDS}
SPELLED_AFTER_CUE_CHARS = 160  # how far after "e-mail" letters spelled one by one count as an address
AFTER_CARD_CHARS = 160  # how far after a card number its security code and expiry date are looked for
CARD_CUE_CHARS = 120  # how far before 12-19 digits that fail Luhn a card must be asked for or named
CARD_TALK_CHARS = 600  # how far before an expiry date or security code named as such a card must be talked about

# Groups of digits separated by one space or dash: the candidates for card numbers.
_DIGIT_RUN = re.compile(r"(?<![\w-])\d+(?:[ -]\d+)*(?![\w])")
_SSN = re.compile(r"(?<![\w-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\w-])")
_EMAIL = re.compile(
    r"(?<![\w.%+-])[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![\w-])"
)
_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\w])")
_SEVEN_DIGITS = re.compile(r"\d(?:\D{0,3}\d){6}")  # seven digits, at most three other characters apart
_DIGITS = re.compile(r"\d+")
_DIGIT = re.compile(r"\d")
_NOT_DIGIT = re.compile(r"\D")
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
# A security code's names plain enough to count without a card found before it (no bare "code": a discount or zip
# code is no card's), and its 3-4 digits: not an amount.
_CVV_NAMES = (r"security code|(?<!social )security number|cvv2?|cvc2?|cv2|card verification(?: code| value)?|"
              r"(?:(?:three|3|four|4) )?(?:digits?|numbers?) (?:code )?on the back|(?:four|4) (?:digits?|numbers?) on the front|"
              r"code on the back")
_CVV_DIGITS = r"(?<![\d$£€])(\d{3,4})(?!\d|[.,]\d|\s*(?:dollars?|pounds?|euros?|cents?|bucks|pence|percent|%))"
# right after a card, also "the three digits are ..." and "the back is ..." (no card's last or first digits)
_CVV = re.compile(rf"(?i)\b(?:{_CVV_NAMES}|(?<!zip )(?<!post )(?<!postal )(?<!area )code|(?<!last )(?<!first )(?<!final )digits|"
                  rf"back)\b(?:(?!expir|exp\b|ext|order|ref|phone)\D){{0,30}}?" + _CVV_DIGITS)  # "call back on extension 170": no code
_CVV_NAMED = re.compile(rf"(?i)\b(?:{_CVV_NAMES})\b(?:(?!expir|exp\b|ending|last\b)\D){{0,30}}?" + _CVV_DIGITS)
_EMAIL_CUE = re.compile(r"(?i)\be-?mail\b")
_SPELLED_RUN = re.compile(r"(?i)(?<![\w'])(?:[a-z]\.?[ -]+){3,}[a-z](?![\w'])\.?|(?<![\w'-])(?:[a-z]-){3,}[a-z](?![\w'-])")
# Speech recognition writes a code's digits as words that sound like them ("the security code is too late for"
# for "two eight four"): right after the code's cue, up to four words to the end of the sentence, at least two of
# them digits or such words, are the code.
_DIGIT_SOUNDS = r"(?:\d+|zero|oh|one|won|two|to|too|three|tree|four|for|fore|five|six|seven|eight|ate|nine)"
_CVV_HEARD = re.compile(r"(?i)\b(?:security code|(?<!social )security number|cvv2?|cvc2?|cv2|code on the back|"
                        r"(?:digits?|numbers?) on the back)\b(?:\s+is)?[\s,:?]+(?:it'?s\s+)?"
                        rf"((?=(?:[a-z']+\s+)*?{_DIGIT_SOUNDS}\b[\s,]+(?:[a-z']+\s+)*?{_DIGIT_SOUNDS}\b)"
                        r"[a-z0-9']+(?:[\s,]+[a-z0-9']+){1,3})(?=\s*(?:[.?!]|$))")
# What names a card's expiry date ("expires", "valid thru", "good till"): the cue of the patterns below.
_EXPIRY_CUE = r"(?:expir\w*|exp|valid (?:thru|through|until|till|to)|good (?:thru|through|till|until))"
_EXPIRY = re.compile(rf"(?i)(?<![a-z]){_EXPIRY_CUE}\b\W*"
                     rf"(?:date\W+)?(?:is\W+)?(?:(?:the\s+)?end of\s+)?"
                     rf"((?:{_MONTHS})\s*(?:of\s+)?(?:20)?\d{{2}}|(?:month[\s-]+)?(?:(?:0\s?)?[1-9]|1[0-2]),?\s?(?:/|-|slash)?\s?"
                     rf"(?:year[\s-]+)?(?:20)?\d{{2}})(?!\d)")
# An expiry date said as a month and a year some words after its cue, with other words between ("the expiry date and
# the security code, please" / "August 2026"): a month's name is no code.
_EXPIRY_MONTH = re.compile(rf"(?i)(?<![a-z]){_EXPIRY_CUE}\b\D{{0,60}}?"
                           rf"\b((?:{_MONTHS})\s*(?:of\s+)?(?:20)?\d{{2}})(?!\d)")
# An expiry date as two-digit month and year some words after its cue ("the expiry date and the security code,
# please. Okay, 0626, security code 9614"): the date, not a code.
_EXPIRY_APART = re.compile(rf"(?i)(?<![a-z]){_EXPIRY_CUE}\b\D{{0,60}}?"
                           r"(?<![\d$£€])((?:0[1-9]|1[0-2])[ /-]?(?:20)?(?:2[4-9]|3\d))(?!\d|[.,]\d)")
# Speech recognition's digits glued to its cue ("-8Expiring"): the cues above start after any non-letter.
# A date and a code said in one breath, joined into one run when the digits were written apart ("Expiring -0927 -842"
# as "0927842"): month and year, then the code.
_EXPIRY_THEN_CODE = re.compile(rf"(?i)(?<![a-z]){_EXPIRY_CUE}\b\W*"
                               r"((?:0[1-9]|1[0-2])(?:2[4-9]|3\d))(\d{3,4})(?!\d|[.,]\d)")
# A code right after a card's expiry date in the same sentence, its cue lost or none said; no other number named between.
_CVV_AFTER_EXPIRY = re.compile(r"(?i)(?:(?!number|order|ref|account|phone|ext)[^\d.?!]){0,25}?" + _CVV_DIGITS)
# A card number asked for or announced just before: 12-19 digits count even when they fail Luhn (a digit
# misheard by speech recognition must not let the rest of the number through), unless another kind of
# number is named closer to them.
_CARD_CUE = re.compile(r"(?i)\b(?:card|long number|number on the front|visa|mastercard|amex|debit|credit)\b")
# One or two words between two digit groups that speech recognition made of a digit or two ("60 to 11", "purple 8"
# for "triple eight") or of the agent's "mhm" ("I have"), not a word that starts what comes after a card number.
MISHEARD_GAP = re.compile(r"[ ,.-]+(?:(?!(?:exp\w*|valid|code|security|cvv|cvc|and|the|on|in|at|is)\b)[a-z']{1,7}[ ,.-]+){1,2}",
                           re.I)
_NUMBER_NAMES = (r"(?:(?:order|ticket|reference|ref|tracking|confirmation|case|invoice|account|routing|member|membership|"
                 r"customer|client|meter|contract|policy|"
                 r"claim|booking|reservation|parcel|shipment|consignment|transaction|voucher)\s+(?:number|no\.?|#|id)|"
                 r"(?:order|ticket|tracking|confirmation|case|invoice|policy|claim|booking|reservation|parcel|shipment|"
                 r"transaction|customer|payment)\s+(?:reference|ref|code)|imei|meid|handset|serial(?:\s+number)?)")  # an IMEI passes Luhn as a card does
_OTHER_NUMBER_CUE = re.compile(rf"(?i)\b(?:{_NUMBER_NAMES}|phone|mobile|extension|ext)\b")
_NAMED_NUMBER = re.compile(rf"(?i)\b{_NUMBER_NAMES}\b")
_NOT_A_PHONE_CUE = re.compile(r"(?i)\b(?:order|ticket|reference|ref|tracking|confirmation|case|invoice|account|"
                              r"member|membership|customer|client|policy|claim|serial|meter|contract|card),?\s+"
                              r"(?:number|no\.?|#|id)\b")
_PHONE_CUE = re.compile(r"(?i)\b(?:phone|mobile|cell|call|reach|text|ring|fax)\b")
_PHONE_ASKED = re.compile(r"(?i)\b(?:phone|mobile|cell|call me|call you|reach me|reach you|text me|call back|callback|"
                          r"number (?:we|i) can (?:call|text|reach))\b")
# What names a phone without asking for its number ("pay over the phone", "by phone", "a phone payment"): blanked
# before :data:`_PHONE_ASKED` is looked for here and before the answers module's cues are.
PHONE_NOT_ASKED = re.compile(r"(?i)\b(?:(?:over|by|on) the phone|by phone|phone payments?|pay(?:ing)? by phone)\b")
# A US toll-free number's digits (a firm's line, no one's own): "1 800 ...", "888 ..."
_TOLL_FREE = re.compile(r"1?8(?:00|33|44|55|66|77|88)\d{7}$")
# "area code 617, then 785 3275": the area code named, the rest of the number at most two words after it
_AREA_CODE = re.compile(r"(?i)\barea code\W+(\d{3})(?:\W+[a-z']+){0,2}\W+(\d{3})[ ,.-]{0,3}(\d{4})(?!\d)")
# Phone numbers written the national way of another country than the configured regions ("07911 123456" under the
# default US): counted right after such a cue only.
FALLBACK_REGIONS = ("GB", "IE", "AU", "NZ", "IN")
_FALLBACK_PHONE_CUE = re.compile(r"(?i)\b(?:phone|mobile|mob|cell|tel|telephone|landline|whatsapp|call|reach|text|ring|"
                                 r"my number|contact number|number to (?:call|ring|reach|text))\b")
# Every cue of :func:`named_card_details`' patterns: text without one holds no expiry date or code named as such.
_CARD_DETAIL_CUE = re.compile(r"(?i)expir|\bexp\b|\bvalid (?:thru|through|until|till|to)\b|"
                              r"\bgood (?:thru|through|till|until)\b|"
                              r"security (?:code|number)|cvv|cvc|cv2|card verification|on the (?:back|front)\b")
# Where a national number can start: its trunk "0", alone or in brackets, not inside a longer number or word.
_NATIONAL_START = re.compile(r"(?<![\w.,])\(?0\d")
_LOOSE_DIGITS = re.compile(r"(?<!\d)\d(?:(?:[ -]|[.,] )?\d)+(?!\d)")  # Whisper's "617. 25. 617": groups apart too
# Nine digits after the cue; or eight, speech recognition having lost one ("B9 -4 -149 -871" for "three nine four ...").
_SSN_CUED = re.compile(r"(?i)\b(?:social security|social|ssn|s s n)\b\D{0,30}?(?<![\d-])((?:\d[ -]?){7,8}\d)(?![\d-]|[ -]\d)")
_SSN_CUE = re.compile(r"(?i)\b(?:social|ssn|s s n)\b")
NAMED_BEFORE_CHARS = 40  # another number named this close before an SSN's digits makes them that number
_ACCOUNT_DEFAULT = (r"(?i)\baccount (?:number|no\.?|#)\D{0,40}?(?<!\d)((?:\d[ -]?){5,15}\d)(?!\d)",)
# On calls only (chat labels count no account numbers): "I'm phoning about account 8314 3173 76" and speech
# recognition's "about my bill count 1 9 9 6 2 4": 6-16 digits right after the word.
_ACCOUNT_SAID = re.compile(r"(?i)\b(?:ac)?count[\s,:]+(?<!\d)((?:\d[ -]?){5,15}\d)(?!\d)")
# On calls only too: the caller's own account under another name ("my membership number is ...", "customer ID 7543
# ..."); policy, meter, contract and claim numbers are none.
ACCOUNT_NAMES = ("member", "membership", "customer", "client")
_ACCOUNT_NAMED = re.compile(rf"(?i)\b(?:{'|'.join(ACCOUNT_NAMES)})\s+(?:number|no\.?|#|id|reference|ref)\b"
                            r"\D{0,30}?(?<!\d)((?:\d(?:[ -]| ?\.(?=\d))?){5,15}\d)(?!\d)")  # Whisper's "75 .43 .00"


@dataclass(frozen=True, slots=True)
class PIISpan:
    """One hit: its kind (one of :data:`KINDS`) and ``[start, end)`` offsets in the original text."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class RedactedText:
    """Text with every hit replaced by its placeholder, and the hits (offsets in the original text)."""

    text: str
    spans: tuple[PIISpan, ...]


def luhn_valid(digits: str) -> bool:
    """True when the digit string passes the Luhn checksum (used by payment card numbers)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def ssn_valid(digits: str) -> bool:
    """True for nine digits that can be a US SSN (area not 000, 666 or 9xx; group not 00; serial not 0000)."""
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return (len(digits) == 9 and area not in ("000", "666") and area[0] != "9" and group != "00"
            and serial != "0000")


def iban_valid(candidate: str) -> bool:
    """True when the string (spaces allowed) is an IBAN with a valid ISO 13616 mod-97 check."""
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def _cards(text: str) -> Iterable[PIISpan]:
    for match in _DIGIT_RUN.finditer(text):
        # Try every run of whole digit groups: the longest Luhn-valid one with 13-19 digits wins,
        # so a card followed by another number ("4111 1111 1111 1111 12") is still found.
        groups = [(m.start(), m.end()) for m in _DIGITS.finditer(match.group())]
        base = match.start()
        if all(e - s == 1 for s, e in groups):
            # Read digit by digit with a pause after each ("9, 7, 5, 0, ..."): the whole run is the number;
            # a part of it passing the checksum by chance is no card.
            digits = _NOT_DIGIT.sub("", match.group())
            if 13 <= len(digits) <= 19 and luhn_valid(digits):
                yield PIISpan("card", match.start(), match.end())
            continue
        i = 0
        while i < len(groups):
            best = None
            for j in range(len(groups) - 1, i - 1, -1):
                start, end = base + groups[i][0], base + groups[j][1]
                digits = _NOT_DIGIT.sub("", text[start:end])
                if 13 <= len(digits) <= 19 and luhn_valid(digits):
                    best = (j, start, end)
                    break
            if best is None:
                i += 1
            else:
                yield PIISpan("card", best[1], best[2])
                i = best[0] + 1


def digit_runs(text: str, join_below: int = 13) -> Iterator[tuple[int, int, str]]:
    """Digit runs as :data:`_DIGIT_RUN` finds them, where a run shorter than ``join_below`` digits (a card's 13) also
    goes on over one or two misheard words to the next digit group ("4111 60 to 11 ...", "triple 8" heard as
    "purple 8"): ``(start, end, digits)``."""
    runs = [(m.start(), m.end(), _NOT_DIGIT.sub("", m.group())) for m in _DIGIT_RUN.finditer(text)]
    k = 0
    while k < len(runs):
        start, end, digits = runs[k]
        k += 1
        while k < len(runs) and len(digits) < join_below and MISHEARD_GAP.fullmatch(text, end, runs[k][0]):
            end, digits = runs[k][1], digits + runs[k][2]
            k += 1
        yield start, end, digits


def _cued_cards(text: str, claimed: Sequence[PIISpan]) -> Iterable[PIISpan]:
    for start, end, digits in digit_runs(text):
        if not 12 <= len(digits) <= 19:
            continue
        if any(start < s.end and s.start < end for s in claimed):
            continue
        before = text[max(0, start - CARD_CUE_CHARS):start]
        cue = None
        for cue in _CARD_CUE.finditer(before):
            pass
        if cue is None:
            continue
        if any(m.start() > cue.start() for m in _OTHER_NUMBER_CUE.finditer(before)):
            continue
        yield PIISpan("card", start, end)


def other_number_named(text: str, *, by_name: bool = False) -> bool:
    """True when ``text`` names a number other than a card's ("the tracking number?", "order no.", "phone") and no
    card; ``by_name``: only such a number's name ("order number"), not a phone or an extension."""
    cue = _NAMED_NUMBER if by_name else _OTHER_NUMBER_CUE
    return cue.search(text) is not None and _CARD_CUE.search(text) is None


def _named_other(before: str) -> bool:
    """True when ``before`` (the words right before an SSN's 3-2-4 digits) names another number and no social: "the
    case number is 281 63 4564" is a case number read like a social."""
    return _NAMED_NUMBER.search(before) is not None and _SSN_CUE.search(before) is None


def _cued_phones(text: str, claimed: Sequence[PIISpan]) -> Iterable[PIISpan]:
    """9-12 digits right after a phone cue ("call me on", "a number we can text"): a phone number even where
    speech recognition lost or added a digit and it is no valid number any more."""
    for match in _LOOSE_DIGITS.finditer(text):
        digits = _NOT_DIGIT.sub("", match.group())
        if not 9 <= len(digits) <= 12 or any(match.start() < s.end and s.start < match.end() for s in claimed):
            continue
        before = text[max(0, match.start() - 60):match.start()]
        cue = None
        for cue in _PHONE_ASKED.finditer(PHONE_NOT_ASKED.sub(lambda m: " " * len(m.group()), before)):
            pass
        if cue is not None and not any(m.start() > cue.start() for m in _NOT_A_PHONE_CUE.finditer(before)) and not (
                _TOLL_FREE.match(digits)):
            yield PIISpan("phone", match.start(), match.end())


# The kinds of number a firm gives out as its own line (free, shared cost, premium, "0333" non-geographic): nobody's
# own phone, whoever says it.
FIRM_LINE_TYPES = frozenset({phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.SHARED_COST,
                             phonenumbers.PhoneNumberType.PREMIUM_RATE, phonenumbers.PhoneNumberType.UAN})


def firm_line(number: phonenumbers.PhoneNumber) -> bool:
    """True for a freephone, shared-cost, premium-rate or non-geographic number ("0800 ...", "0333 ...", "1 800
    ..."): a firm's line."""
    return phonenumbers.number_type(number) in FIRM_LINE_TYPES


def firm_line_digits(digits: str) -> bool:
    """True when ``digits`` (a number as said, no spaces) dial a firm's line in the US or a fallback region."""
    for region in ("US", *FALLBACK_REGIONS):
        try:
            number = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number) and firm_line(number):
            return True
    return False


def _phones(text: str, regions: Sequence[str] | None) -> Iterable[PIISpan]:
    if regions is None:
        from qa_toolkit.config import get_settings

        regions = get_settings().phone_regions
    for region in regions:  # the same number found for two regions is dropped as an overlap
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
            before, after = text[:match.start].rstrip(" -."), text[match.end:].lstrip(" -.")
            if before[-1:].isdigit() or after[:1].isdigit():
                continue  # ten digits out of a longer number (an order number read out, "7 -1 -6 -1 ...")
            before = text[max(0, match.start - 40):match.start]
            if _NOT_A_PHONE_CUE.search(before) and not _PHONE_CUE.search(before):
                continue  # "my order number is ...": a number named as something else
            if firm_line(match.number):
                continue  # "ring us free on 1 800 ...": a firm's line, nobody's own number
            yield PIISpan("phone", match.start, match.end)
    if "area code" in text.lower():
        for m in _AREA_CODE.finditer(text):
            if not _TOLL_FREE.match(m.group(1)):
                yield PIISpan("phone", m.start(1), m.end(3))
    if (not any(r not in regions for r in FALLBACK_REGIONS) or _NATIONAL_START.search(text) is None
            or _FALLBACK_PHONE_CUE.search(text) is None):
        return  # the matcher is slow: only where a national number (trunk "0") and its cue can be
    found: list[PIISpan] = []
    firms: set[tuple[int, int]] = set()  # a firm's line in one region ("0333 ..." in GB) is one in all of them
    for region in FALLBACK_REGIONS:
        if region in regions:
            continue
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
            before, after = text[:match.start].rstrip(" -."), text[match.end:].lstrip(" -.")
            if not match.raw_string.lstrip("(").startswith("0") or before[-1:].isdigit() or after[:1].isdigit():
                continue  # only a national number (trunk "0"), never a part of a longer one
            if firm_line(match.number):
                firms.add((match.start, match.end))
            elif _FALLBACK_PHONE_CUE.search(text, max(0, match.start - 40), match.start) is not None:
                found.append(PIISpan("phone", match.start, match.end))
    yield from (span for span in found if (span.start, span.end) not in firms)


def _detect(text: str, kinds: Collection[str], regions: Sequence[str] | None, luhn_cards: bool = True,
            spoken: bool = False) -> list[PIISpan]:
    """The written-form detectors over one text (first claim wins, see :func:`find_pii`)."""
    has_at = "@" in text
    # Most text has no digit at all: one cheap scan spares the slower seven-digit pattern.
    many_digits = _DIGIT.search(text) is not None and _SEVEN_DIGITS.search(text) is not None
    if not has_at and not many_digits:
        return []
    found: list[PIISpan] = []
    # Order matters: the more specific detectors claim their text first.
    if many_digits:
        if "ssn" in kinds:  # before cards: an SSN and a phone number read one after the other are no card
            found.extend(PIISpan("ssn", m.start(), m.end()) for m in _SSN.finditer(text)
                         if not _named_other(text[max(0, m.start() - NAMED_BEFORE_CHARS):m.start()]))
            low = text.lower()
            if "social" in low or "ssn" in low or "s s n" in low:
                found.extend(PIISpan("ssn", m.start(1), m.end(1)) for m in _SSN_CUED.finditer(text)
                             if len(digits := _NOT_DIGIT.sub("", m.group(1))) == 8 or ssn_valid(digits))
        if "iban" in kinds:  # checksummed, and its digits must not be read as a card after "card"
            found.extend(PIISpan("iban", m.start(), m.end()) for m in _IBAN.finditer(text) if iban_valid(m.group()))
        if "card" in kinds:
            if luhn_cards:
                found.extend(c for c in _cards(text) if not any(c.start < s.end and s.start < c.end for s in found))
            found.extend(_cued_cards(text, found))
        if "account" in kinds:
            found.extend(_accounts(text, spoken))
    if has_at and "email" in kinds:
        found.extend(PIISpan("email", m.start(), m.end()) for m in _EMAIL.finditer(text))
    if many_digits and "phone" in kinds:
        # Blank out what is claimed already (same offsets) so phonenumbers, the slowest detector,
        # only runs when enough digits are left over.
        rest = text
        for span in found:
            rest = rest[:span.start] + " " * (span.end - span.start) + rest[span.end:]
        if rest is text or _SEVEN_DIGITS.search(rest):
            found.extend(_phones(rest, regions))
            found.extend(_cued_phones(text, found))
    return found


def _accounts(text: str, spoken: bool = False) -> Iterable[PIISpan]:
    from qa_toolkit.config import get_settings

    patterns = get_settings().pii_account_patterns
    low = text.lower()
    if patterns is None and "count" not in low and not (spoken and any(name in low for name in ACCOUNT_NAMES)):
        return  # the default patterns need the word
    spoken_patterns = (_ACCOUNT_SAID, _ACCOUNT_NAMED) if spoken and patterns is None else ()
    for pattern in _account_patterns(patterns) + spoken_patterns:
        for m in pattern.finditer(text):
            group = 1 if pattern.groups else 0
            if m.end(group) > m.start(group):
                yield PIISpan("account", m.start(group), m.end(group))


@lru_cache(maxsize=8)
def _account_patterns(patterns: tuple[str, ...] | None) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in (_ACCOUNT_DEFAULT if patterns is None else patterns))


def _spelled_after_email_cue(text: str) -> Iterable[PIISpan]:
    """Letters spelled one by one ("L. O. P. E. Z.", "O-K-A-F-O-R") soon after "e-mail": part of an address even
    where speech recognition lost its "at" or mangled its domain ("John L. O. P. E. Z. Pro undot me")."""
    for cue in _EMAIL_CUE.finditer(text):
        window_end = min(len(text), cue.end() + SPELLED_AFTER_CUE_CHARS)
        for m in _SPELLED_RUN.finditer(text, cue.end(), window_end):
            yield PIISpan("email", m.start(), m.end())


def after_card(text: str, card_end: int, kinds: Collection[str] = KINDS) -> list[PIISpan]:
    """The security code and expiry date given right after a card number that ends at ``card_end``
    (within :data:`AFTER_CARD_CHARS`, after a cue such as "security code" or "expires")."""
    window = text[card_end:card_end + AFTER_CARD_CHARS]
    found = []
    glued = _EXPIRY_THEN_CODE.search(window)
    if glued is not None and {"expiry", "cvv"} <= set(kinds):
        found += [PIISpan("expiry", card_end + glued.start(1), card_end + glued.end(1)),
                  PIISpan("cvv", card_end + glued.start(2), card_end + glued.end(2))]
    for kind, pattern in (("expiry", _EXPIRY), ("expiry", _EXPIRY_MONTH), ("expiry", _EXPIRY_APART), ("cvv", _CVV),
                          ("cvv", _CVV_HEARD)):
        if any(s.kind == kind for s in found):
            continue
        if kind not in kinds:
            continue
        for m in pattern.finditer(window):
            start, end = card_end + m.start(1), card_end + m.end(1)
            if all(end <= s.start or start >= s.end for s in found):
                found.append(PIISpan(kind, start, end))
                break
    expiry = next((s for s in found if s.kind == "expiry"), None)
    if expiry is not None and "cvv" in kinds and not any(s.kind == "cvv" for s in found):
        # card, date and code read in one breath ("..., expiry January 2029, and the [back] is 527."): the code's cue
        # may be lost
        m = _CVV_AFTER_EXPIRY.match(text, expiry.end, card_end + AFTER_CARD_CHARS)
        if m is not None and m.group(1) != _NOT_DIGIT.sub("", text[expiry.start:expiry.end]):  # no date read back
            found.append(PIISpan("cvv", m.start(1), m.end(1)))
    return sorted(found, key=lambda s: s.start)


def named_card_details(text: str, kinds: Collection[str] = KINDS) -> list[PIISpan]:
    """Expiry dates and security codes after their own cue ("expiration date", "valid thru", "security code",
    "the three digits on the back") where no card number was found before them (speech recognition lost a digit of
    it, or it was given earlier), as long as a card is talked about before, within :data:`CARD_TALK_CHARS`."""
    found: list[PIISpan] = []
    for kind, pattern in (("expiry", _EXPIRY), ("expiry", _EXPIRY_MONTH), ("cvv", _CVV_NAMED),
                            ("cvv", _CVV_HEARD)):
        if kind not in kinds:
            continue
        for m in pattern.finditer(text):
            if _CARD_CUE.search(text, max(0, m.start() - CARD_TALK_CHARS), m.start()) is None:
                continue
            if all(m.end(1) <= s.start or m.start(1) >= s.end for s in found):
                found.append(PIISpan(kind, m.start(1), m.end(1)))
    return found


def _first_claims(spans: Iterable[PIISpan]) -> list[PIISpan]:
    kept: list[PIISpan] = []
    for span in spans:  # first claim wins
        if all(span.end <= other.start or span.start >= other.end for other in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def find_pii(text: str, *, kinds: Collection[str] = KINDS, regions: Sequence[str] | None = None,
             luhn_cards: bool = True, spoken: bool = False) -> list[PIISpan]:
    """All non-overlapping hits in ``text``, written or spoken, in order.

    Args:
        kinds: which kinds to look for (default: all of :data:`KINDS`).
        regions: where phone numbers written without a country code may be from (region codes such as
            ``US``, ``GB``); None: the ``QA_PHONE_REGIONS`` setting (default US).
        spoken: a call's words: "account" (or speech recognition's "count") right before 6-16 digits is an account
            number too, and so is a member, membership, customer or client number, ID or reference (chat labels count
            none; with ``QA_PII_ACCOUNT_PATTERNS`` set, those patterns alone).
        luhn_cards: False: card numbers only where a card is asked for or named just before (12-19 digits,
            checksum or not), for text that joins several speakers' turns.
    """
    found = _detect(text, kinds, regions, luhn_cards, spoken)
    norm = None
    if might_hold_spoken(text):
        norm = normalise(text)
        if norm.text != text:
            # Only what normalising wrote can hold more: digits it joined or spelled, an address it made.
            made = "".join(norm.text[p[0]:p[1]] for p in norm.pieces if not p[4])
            spoken_kinds = kinds if sum(c.isdigit() for c in made) >= 7 else [k for k in kinds if k == "email"]
            for span in _detect(norm.text, spoken_kinds, regions, luhn_cards, spoken) if spoken_kinds and (
                    "@" in made or spoken_kinds is kinds) else ():
                start, end = norm.source(span.start, span.end)
                found.append(PIISpan(span.kind, start, end))
    if "email" in kinds and "mail" in text.lower():
        found.extend(_spelled_after_email_cue(text))
    found = _first_claims(found)
    cards = [s for s in found if s.kind == "card"]
    if cards and ("cvv" in kinds or "expiry" in kinds):
        norm = norm or normalise(text)
        extra = []
        for card in cards:
            end = normalised_offset(norm, card.end)
            for span in after_card(norm.text, end, kinds):
                start, stop = norm.source(span.start, span.end)
                extra.append(PIISpan(span.kind, start, stop))
        found = _first_claims([*found, *extra])
    if (("cvv" in kinds or "expiry" in kinds) and (norm is not None or _DIGIT.search(text) is not None)
            and _CARD_CUE.search(text) is not None and _CARD_DETAIL_CUE.search(text) is not None):
        norm = norm or normalise(text)
        named = [PIISpan(s.kind, *norm.source(s.start, s.end)) for s in named_card_details(norm.text, kinds)]
        found = _first_claims([*found, *named])
    return found


def normalised_offset(norm: Normalised, source_offset: int) -> int:
    """The offset in the normalised text where the source text up to ``source_offset`` ends."""
    return norm.offset(source_offset)


def card_placeholder(value: str, keep_last: int | None = None) -> str:
    """``[CARD]``, or ``[CARD ending 1111]`` when the last digits are kept (``QA_PII_CARD_KEEP_LAST``)."""
    if keep_last is None:
        from qa_toolkit.config import get_settings

        keep_last = get_settings().pii_card_keep_last
    if not keep_last:
        return PLACEHOLDERS["card"]
    digits = _NOT_DIGIT.sub("", normalise(value).text)
    return f"[CARD ending {digits[-keep_last:]}]"


def placeholder(kind: str, value: str, keep_last: int | None = None) -> str:
    """The placeholder that replaces ``value`` (the original text of a hit of ``kind``)."""
    return card_placeholder(value, keep_last) if kind == "card" else PLACEHOLDERS[kind]


def redact(text: str, *, kinds: Collection[str] = KINDS, regions: Sequence[str] | None = None,
           keep_last: int | None = None) -> RedactedText:
    """Replace every hit by its typed placeholder (``[CARD]``, ``[SSN]``, ``[EMAIL]``, ``[PHONE]``, ``[IBAN]``,
    ``[CVV]``, ``[EXPIRY]``, ``[ACCOUNT]``); ``regions`` as in :func:`find_pii`; ``keep_last`` digits of a card
    stay in its placeholder (None: the ``QA_PII_CARD_KEEP_LAST`` setting)."""
    spans = find_pii(text, kinds=kinds, regions=regions)
    if not spans:
        return RedactedText(text, ())
    parts: list[str] = []
    position = 0
    for span in spans:
        parts.append(text[position:span.start])
        parts.append(placeholder(span.kind, text[span.start:span.end], keep_last))
        position = span.end
    parts.append(text[position:])
    return RedactedText("".join(parts), tuple(spans))


def redact_values(value: object, *, regions: Sequence[str] | None = None) -> object:
    """``value`` with :func:`redact` applied to every string inside it (dicts and lists walked, keys too: an
    object keyed by e-mail address) and to integers of seven digits or more (a card or phone number given as a
    number becomes its placeholder). Keys that become the same get `` (2)``, `` (3)``, ... so none is lost."""
    if isinstance(value, str):
        return redact(value, regions=regions).text
    if isinstance(value, dict):
        out: dict[object, object] = {}
        for key, item in value.items():
            if isinstance(key, str):
                key = base = redact(key, regions=regions).text
                n = 1
                while key in out:
                    n += 1
                    key = f"{base} ({n})"
            out[key] = redact_values(item, regions=regions)
        return out
    if isinstance(value, list):
        return [redact_values(item, regions=regions) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1_000_000:
        text = redact(str(value), regions=regions).text
        return value if text == str(value) else text
    return value


def redact_each(texts: Sequence[str], *, kinds: Collection[str] = KINDS,
                regions: Sequence[str] | None = None) -> Iterator[tuple[int, RedactedText]]:
    """:func:`redact` over many texts (the turns of a conversation): ``(position, result)`` for each text
    with at least one hit. One cheap scan of all texts together spares the per-text work when none
    can hold anything (no ``@`` and no run of seven digits anywhere), as in most conversations."""
    joined = "\n".join(texts)
    if ("@" not in joined and (_DIGIT.search(joined) is None or _SEVEN_DIGITS.search(joined) is None)
            and not might_hold_spoken(joined)):
        return
    for position, text in enumerate(texts):
        result = redact(text, kinds=kinds, regions=regions)
        if result.spans:
            yield position, result
