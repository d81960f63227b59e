"""Personal data given in answer to a question that asks for it, read the cautious way.

Speech recognition garbles the numbers callers read out (a digit lost or heard as a word, "account number" heard
as "count number", "the CVC" as "the CDC"), so a number that fails its checksum or length rule is still the
number that was asked for. When one speaker asks for a kind of number or an e-mail address (:func:`asked_kinds`:
the cue phrases below, matched loosely), what the other speaker says next, until the asker speaks again (their
"mhm" and "go on" aside), is read with looser rules (:func:`answer_spans`):

- digit groups (spoken numbers as :func:`~qa_toolkit.ingest.spoken.normalise` writes them, one or two misheard
  words between groups allowed) of at least :data:`MIN_DIGITS` digits for the kind asked for: a card read with half
  its digits lost is still redacted as a card;
- an expiry date: a month's name with a year, or month and year as digits ("oh five twenty nine"); failing that, half
  of one (a month, or a year a card can run to) where the month and the year are asked for apart, or three to six
  digits written one by one;
- a security code: three or four digits (or said twice in one run, "075075"), or two where no longer number was said
  (a digit lost); where both a date and
  a code were asked for and two such numbers but no date were heard, the first one asked for is the first number;
- an e-mail address: from the first word that is not a lead-in ("it's", "sure") to its top-level domain, where
  the answer has an "at", "dot", "period", "underscore", "@" or a top-level domain as Whisper writes it (".com").

This favours recall over the exact extent: a span may take a word more than the value. It only reads the answer
to such a question, so amounts, dates and order numbers said elsewhere stay as they were.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from qa_toolkit.ingest.pii import MISHEARD_GAP, PHONE_NOT_ASKED, PIISpan, digit_runs, other_number_named
from qa_toolkit.ingest.spoken import DOT_WORDS, LEAD_WORDS, TLDS, normalise

# Cue phrases per kind; a phrase of FUZZY_MIN_CHARS characters or more also matches words that sound a little
# different (fuzz.ratio >= FUZZY_RATIO), a shorter one only as written.
ASKED: dict[str, tuple[str, ...]] = {
    "card": ("card number", "long number", "number on the card", "number on the front", "digit number",
             "card details", "credit card", "debit card", "numbers on the card", "digits on the card",
             "digits on the front", "across the front", "visa number", "mastercard number", "amex number",
             "digits on your card", "number on your card", "numbers on your card", "along the front",
             "front of the card", "off the front", "embossed", "on the plastic", "sixteen digits", "fifteen digits",
             "card s number", "card s own number", "full card", "number off the card", "16 digits", "15 digits",
             "long one"),
    "expiry": ("expiry", "expiration", "expires", "expire", "expired", "expiring", "exp", "exp date", "valid thru",
               "valid through",
               "valid until", "good thru", "good through", "end date", "month and year", "run out", "runs out",
               "date on the front", "date on the card", "date on it", "valid to", "valid till",
               "good till", "good until", "lapse", "lapses", "stops working", "stop working",
               "till when", "how long is it valid", "expiry month", "month and the year"),
    "cvv": ("security code", "cvv", "cvc", "cv2", "csc", "cid", "verification code", "verification value", "card code",
            "digit code", "digits on the back", "numbers on the back", "code on the back", "number on the back",
            "signature", "white box", "on the reverse", "reverse side", "where you sign", "back of the card",
            "on the back", "flip it over", "turn it over", "turn the card over",
            "four little digits", "little digits", "small digits", "little number",
            "small number", "short number", "the code", "last three", "at the back", "the strip", "three digit",
            "3 digit"),
    "ssn": ("social security", "ssn", "social", "s s n", "ss in", "ss and", "s s in", "s s and", "ss into", "s is in",
            "tax id", "taxpayer", "tax identification"),
    "account": ("account number", "account", "acct", "member number", "membership number", "customer number",
                "customer reference", "customer id", "client number"),
    "phone": ("phone number", "phone", "mobile number", "your mobile", "a mobile", "which mobile", "the mobile",
              "cell", "number to reach", "number we can", "number to call",
              "contact number", "callback number", "call back number", "number i can", "best number",
              "good number", "reach you", "call you back", "text you", "ring you", "best line", "get you on",
              "texts go", "landline", "ring you back", "number to ring", "for text", "for texts", "good one for",
              "best one to"),
    "email": ("email address", "e mail address", "email", "emailed", "e mail", "mail address", "address", "send the receipt",
              "send it to", "where should i send", "confirmation go", "receipt go", "where should it go",
              "where should they go", "where do we send"),
}
# The cues that name a security code as such; the others ("the code", "the number on the back", "the little number")
# ask for one only where a card is talked about (see :func:`names_code_plainly`)
CODE_NAMES = ("security code", "cvv", "cvc", "cv2", "csc", "verification code", "verification value", "card code")
# Cues that ask only in a question (a turn with "?": "And the year?" after "And the expiry month?", "What number should
# we have for you?"); "the end of the month" in a statement asks for nothing. A question about a birth asks for no
# expiry date, whatever speech recognition made of it ("your date on birth?").
ASKED_IN_QUESTION: dict[str, tuple[str, ...]] = {
    "expiry": ("the year", "what year", "which year", "the month", "what month", "which month"),
    "phone": ("number should we", "number we should"),  # "What number should we have for you?"
}
_BIRTH = re.compile(r"(?i)\b(?:born|birth|dob)\b")
# Words that, beside "card", ask for its number ("Okay, let's have the card then, the long one."), unless a part of it
# is meant ("the card ending 4172", "the last four of the card")
CARD_ASKED_WORDS = frozenset({"number", "digits", "long", "have", "read", "take", "ready", "using", "use", "paying"})
CARD_PART_WORDS = frozenset({"ending", "ends", "last", "first"})
CARD_NUMBER_WORDS = frozenset({"number", "digits", "long"})  # beside "car" (speech recognition's "card": "the car, the
# long") they ask for the card too
# Cue phrases matched only as written: what sounds like them is everyday talk ("the refund goes back to the card").
EXACT_ONLY = frozenset({"back of the card", "three digit", "last three", "at the back", "the strip",  # "the digits"
                        "number should we", "number we should"})
FUZZY_RATIO = 85.0
FUZZY_MIN_CHARS = 9
# How many digits an answer's number needs to count as each kind (a lost digit or two allowed for).
MIN_DIGITS = {"card": 8, "ssn": 7, "account": 5, "phone": 7}
MAX_DIGITS = {"card": 19, "ssn": 10, "account": 17, "phone": 13}
WHOLE_DIGITS = {"card": 13, "ssn": 9, "account": 8, "phone": 10}  # a run this long is read as whole: no more joining
# words speech recognition writes for a digit ("for" for four, "to" for two); in an answer to a question for a number
# they count as its digits when too few were written as digits
DIGIT_SOUNDS = frozenset({"oh", "o", "won", "to", "too", "for", "fore", "tree", "free", "ate", "fife", "nein"})
FIRST_TRY_MIN_DIGITS = 3  # digits said before a number is said again in full that count as a first try of it
LOOSE_REAL_DIGITS = 4  # digits written as digits an answer's number needs before such words count with them
ANSWER_S = 25.0  # an answer starts within this many seconds of the question's end
AFTER_CARD = ("expiry", "cvv")  # what the question right after a card number asks for when no cue of it is heard
_WORDS = re.compile(r"[a-z0-9]+")
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_YEAR = r"(?:2[4-9]|3\d)"  # a year a card runs to, written with two digits: "145" is a code, not January 2045
# "may 29", "oh five twenty nine", "12/31", "month 10, year 32", and month and year with a word between ("twelve of
# twenty thirty one" or speech recognition's "10 up 20 29", "L3 of 2026" for "oh three of ...")
EXPIRY_SHAPE = re.compile(rf"(?i)\b(?:(?:{_MONTHS}),?\s*(?:of\s+)?(?:20)?\d{{2}}\b|(?:month\s)?(?:(?:0\s?|[0ol])?[1-9]|1[0-2]),?\s?(?:/|-|slash)?\s?"
                          rf"(?:year\s)?(?:20)?{_YEAR}|(?:[0ol]?[1-9]|1[0-2])\s[a-z]{{1,3}}\s(?:20,?\s?)?{_YEAR})(?!\d)")
# half an expiry date, where the month and the year are asked for apart ("And the expiry month?" / "November." / "And
# the year?" / "2029."): a month's name, a month as two digits, or a year a card can run to
_EXPIRY_PART = re.compile(rf"(?i)\b(?:{_MONTHS}|0[1-9]|1[0-2]|oh,?\s[1-9]|(?:20)?{_YEAR})\b(?![.,]\d)")
# the answer to a question for an expiry date (and no code) that speech recognition wrote as single digits ("-6 -3 -7
# -6 -3 -1." for "six thirty one"): three to six digits, nothing else found
_EXPIRY_DIGITS = re.compile(r"(?<![\d.,])(?:\d{3,6}|\d(?:[ ,-]{1,3}\d(?!\d)){2,5})(?![\d]|[.,]\d)")
# a security code: 3-4 digits, 3-4 single digits with pauses ("5, 4, 9": Whisper's way with digits said slowly), or
# four as two pairs ("90, 24"), three as a digit and a pair ("9 93")
_CODE = re.compile(r"(?<![\d$£€.,])(?:\d{3,4}|\d(?:(?:, | |-| -)\d(?!\d)){2,3}|\d\d(?:, | |-| -)\d\d|\d \d\d|\d\d \d)"
                   r"(?![\d]|[.,]\d|\s*(?:dollars?|pounds?|euros?|cents?|percent|%))")
# a code speech recognition cut to two digits ("It's 8 6" for "eight six eight"), where no longer one was said
_CODE_CUT = re.compile(r"(?<![\d$£€.,])(?:\d(?:, | |-| -)\d|\d\d)(?![\d]|[.,]\d|\s*(?:dollars?|pounds?|euros?|cents?|percent|%|"
                       r"minutes?|seconds?|secs?|hours?|days?|years?|items?))")
# a code said twice with no pause heard between ("oh seven five oh seven five" written "075075")
_CODE_TWICE = re.compile(r"(?<![\d.,])(\d{3,4})\1(?![\d]|[.,]\d)")
# digits that go on after a card's in its answer, at most three words between that name nothing else: a group said
# again or put right ("4815, yeah, 4815", "9471, no, sorry, 8"); a date's, a code's or another number's cue ends it
_CARD_MORE = re.compile(rf"(?i)[ ,.;-]+(?:(?!(?:{_MONTHS}|exp\w*|valid|good|code|security|cvv|cvc|cv2|back|"
                        r"date|month|year|order|ref\w*|phone|mobile|ext\w*|account|and)\b)[a-z']+[ ,.;-]+){0,3}"
                        r"\d+(?:[ -]\d+)*")
_SAID_AGAIN = re.compile(r"(?i)[ ,.;-]+(?:(?:yeah|yes|so|that's|thats|that|is|again|sorry)[ ,.;-]+){0,2}(\d[\d ,-]*\d)")
_DIGITS_ONLY = re.compile(r"\D")
_DIGITS = re.compile(r"(?<![a-z])\d+(?![a-z])", re.I)
_GROUP_GAP = re.compile(r"[ ,.;-]{1,4}")
_TOKEN = re.compile(r"[\w@.'-]+")
_HYPHEN_BEFORE_DIGIT = re.compile(r"(?<!\w)[-.](?=\d)")  # "-719", and "1 .97" / "0 .3" for "one ninety seven" / "oh three"
# in an answer to a question for a number, a currency sign is the recogniser's: tiny.en writes "twenty four, thirty
# eight" as "$24 .38"
_CURRENCY_BEFORE_DIGIT = re.compile(r"[$£€](?=\d)")
# What marks an address in an answer: "@", "at" (or "at sign"), "dot" or "period", "underscore", or a top-level domain
# as Whisper writes it after a word ("outlook .com", "co .uk", "proton.me")
_EMAIL_SIGN = re.compile(rf"(?i)@|\bat\b|\b(?:dot|period|underscore)\b|\.(?:{'|'.join(sorted(TLDS))})\b")
# a top-level domain after the one an address's end was found at: "co .uk", "co dot uk", "yahoo.co .uk"
_MORE_TLD = re.compile(rf"(?i)\s*(?:\.\s?|\s(?:dot|period|point)\s)(?:{'|'.join(sorted(TLDS))})\b")
_LEAD = LEAD_WORDS | {"do", "can", "you", "use", "i", "i'd", "i'll", "let's", "that", "that's", "here", "please"}
# a sentence that ends where a turn ends ("My son set it up, he'll tell you." / "Sure, vance b at ..."): no part of an
# address that starts in the next turn (turns are joined by ", ")
_SENTENCE_THEN_TURN = re.compile(r"\w{2}[.?!], ")
LOCAL_PART_WORDS = 8  # at most this many words of an address before its "at" or "dot"
# "at" in its everyday sense ("I'm at home till five", "at about three fifteen", "at the moment"): no address's sign,
# unless a domain's "dot" or top-level domain follows in the sentence ("at the mailbox .org")
_AT_OTHER_SENSE = re.compile(r"(?i)\s+(?:home|work|the|a|an|my|your|our|about|around|least|once|first|last|night|noon|"
                             r"lunch\w*|school|half|quarter|\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                             r"eleven|twelve)\b)")
_DOMAIN_AHEAD = re.compile(rf"(?i)\.(?:{'|'.join(sorted(TLDS))})\b|\b(?:dot|period)\b")
_SENTENCE_STOP = re.compile(r"[?!]|\.(?:\s|$)")
# a web address's path after its domain ("saltmarsh dot net slash support", "otterburn.co.uk/help"): no e-mail address
_WEB_PATH = re.compile(r"(?i)\s*(?:/|\bslash\b)")
_SIGN_WORDS = DOT_WORDS | {"at", "sign", "underscore", "dash", "hyphen", "all", "one", "word", "lower", "case"}
ADDRESS_WORD_RATIO = 75.0  # a word read back this close to one of the address given (fuzz.ratio) is the same word


def _phrase_found(words: Sequence[str], joined: str, phrase: str) -> int | None:
    """Where (a word index) ``phrase`` is said in ``words``, exactly or, for a long phrase, loosely; None if not."""
    size = phrase.count(" ") + 1
    if f" {phrase} " in f" {joined} ":
        return len(f" {joined} ".split(f" {phrase} ")[0].split())
    if len(phrase) < FUZZY_MIN_CHARS or phrase in EXACT_ONLY or not words:
        return None
    first = phrase.split(" ", 1)[0]
    for width in (size - 1, size, size + 1):
        for i in range(0, max(0, len(words) - width) + 1):
            # the first word sounds alike from its start, or is the phrase's first word cut at the front ("count
            # number" for "account number"); "is number" is no "visa number"
            if width > 0 and (words[i][:1] == first[:1] or first.endswith(words[i])) and fuzz.ratio(
                    " ".join(words[i:i + width]), phrase) >= FUZZY_RATIO:
                return i
    return None


# a question for where to send something ("Where would you like that sent?", "Which inbox?"): an e-mail address asked
# for in other words than the cues (an answer counts only with an address's sign, see email_span)
_WHERE_SENT = re.compile(r"(?i)\bwhere\b[^.?!]{0,40}?\b(?:send|sent|e-?mail|mail)\b|\binbox\b|"
                         r"\bwhere to\?")  # "I'll send them again. Where to?" (an answer counts with an address's sign)


# a number to reach someone on, asked for in other words than the cues ("Which number should the driver ring?", "And
# the number we should text?"): "number" and, at most three words on, a verb of calling
_CONTACT_NUMBER = re.compile(r"(?i)\bnumbers?(?: [a-z']+){0,3} (?:ring|call|text|reach|contact|dial)\b")


# "the account" as where something else is kept ("the SSN on the account", "the phone number on your account")
_ACCOUNT_AS_PLACE = re.compile(r"(?i)\b(?:on|for|to|in) (?:the|your|this|that) account\b")


def asked_kinds(text: str) -> list[str]:
    """The kinds of personal data ``text`` asks for or names, in the order they are named ("the expiry date and
    the security code" → ``["expiry", "cvv"]``); loosely matched, see :data:`ASKED`."""
    return list(_asked_kinds(text))


@lru_cache(maxsize=1024)
def _asked_kinds(text: str) -> tuple[str, ...]:
    """The kinds ``text`` asks for, in the order it names them; "the account" as where another kind is kept ("the SSN
    on the account") asks for no account number."""
    kinds = _kinds_named(text)
    if "account" in kinds and len(kinds) > 1 and (place := _ACCOUNT_AS_PLACE.sub(" ", text)) != text:
        return _kinds_named(place) or kinds
    return kinds


def _kinds_named(text: str) -> tuple[str, ...]:
    """The kinds ``text`` names, in the order it names them (see :func:`asked_kinds`)."""
    words = _WORDS.findall(PHONE_NOT_ASKED.sub(" ", text).lower().replace("e-mail", "email"))
    joined = " ".join(words)
    named = []
    question = "?" in text
    for kind, phrases in ASKED.items():
        phrases = phrases + ASKED_IN_QUESTION.get(kind, ()) if question else phrases
        places = [p for p in (_phrase_found(words, joined, phrase) for phrase in phrases) if p is not None]
        if places:
            named.append((min(places), kind))
    if "email" not in {kind for _, kind in named} and question and (where := _WHERE_SENT.search(text)) is not None:
        named.append((len(_WORDS.findall(text[:where.start()].lower())), "email"))
    if "phone" not in {kind for _, kind in named} and (contact := _CONTACT_NUMBER.search(text)) is not None and not (
            other_number_named(text, by_name=True)):
        named.append((len(_WORDS.findall(text[:contact.start()].lower())), "phone"))
    kinds = [kind for _, kind in sorted(named) if not (kind == "expiry" and _BIRTH.search(text))]
    said = set(words)
    if "card" not in kinds and not CARD_PART_WORDS & said and (
            "card" in said and CARD_ASKED_WORDS & said or "car" in said and CARD_NUMBER_WORDS & said):
        # "the card phone number" ("card's own number" misheard), "digits of the card", "let's have the card then"
        kinds.insert(0, "card")
    if "ssn" in kinds and "cvv" in kinds and "security code" not in joined:
        kinds.remove("cvv")  # "social security number" is no security code's cue
    return tuple(kinds)


def names_code_plainly(text: str) -> bool:
    """True when ``text`` names a card's security code by one of :data:`CODE_NAMES` (loosely matched, as the cues
    are): "the code" or "the number on the back" alone may ask for a promo code or a phone's model number."""
    words = _WORDS.findall(text.lower())
    joined = " ".join(words)
    return any(_phrase_found(words, joined, phrase) is not None for phrase in CODE_NAMES)


def _sounded_number(text: str, kind: str) -> tuple[int, int] | None:
    """The digits of an answer that speech recognition broke up with words that sound like digits or one misheard word
    between groups ("renined for 149 871"): the stretch of digits and :data:`DIGIT_SOUNDS` (one other word at most
    between two of them) with the most digits, if it holds at least :data:`MIN_DIGITS` ``- 1`` of them, words that
    sound like digits counted as one, and at least :data:`LOOSE_REAL_DIGITS` written as digits."""
    best: tuple[int, int, int, int] | None = None  # (count, real digits, start, end)
    run: list[int] = []  # [count, real, start, end, words since the last digit]
    for token in _WORDS.finditer(text.lower()):
        word = token.group()
        value = len(word) if word.isdigit() else 1 if word in DIGIT_SOUNDS else 0
        if value and run and run[4] <= 1:
            run[0] += value
            run[1] += value if word.isdigit() else 0
            run[3], run[4] = token.end(), 0
        elif value:
            run = [value, value if word.isdigit() else 0, token.start(), token.end(), 0]
        elif run:
            run[4] += 1
        if run and (best is None or run[0] > best[0]):
            best = (run[0], run[1], run[2], run[3])
    if best is None or best[0] < MIN_DIGITS[kind] - 1 or best[1] < LOOSE_REAL_DIGITS:
        return None
    return best[2], best[3]


def _digit_groups(text: str, join_below: int) -> Iterator[tuple[int, int, str]]:
    """Digit groups joined into runs while a run has fewer than ``join_below`` digits, over punctuation and spaces
    (:data:`_GROUP_GAP`) or one or two misheard words (as :func:`~qa_toolkit.ingest.pii.digit_runs` joins them):
    ``(start, end, digits)``."""
    groups = [(m.start(), m.end(), m.group()) for m in _DIGITS.finditer(text)]
    k = 0
    while k < len(groups):
        start, end, digits = groups[k]
        k += 1
        while k < len(groups) and len(digits) < join_below and (
                _GROUP_GAP.fullmatch(text, end, groups[k][0]) or MISHEARD_GAP.fullmatch(text, end, groups[k][0])):
            end, digits = groups[k][1], digits + groups[k][2]
            k += 1
        yield start, end, digits


def _numbers(text: str, kinds: Sequence[str]) -> list[PIISpan]:
    """The spans of ``text`` that answer the ``kinds`` asked for (numbers, an expiry, a code), no two over the
    same characters, as offsets into ``text``."""
    numeric = [k for k in kinds if k in MIN_DIGITS]
    norm = normalise(_CURRENCY_BEFORE_DIGIT.sub(" ", text))  # same length: offsets stay
    found: list[PIISpan] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, start: int, end: int) -> None:
        found.append(PIISpan(kind, *norm.source(start, end)))
        taken.append((start, end))

    def free(match: re.Match[str]) -> bool:
        return not any(match.start() < e and s < match.end() for s, e in taken)

    # Whisper's "-719 -71390 -0." for digits said one by one: a hyphen (or a point) before a group is no minus sign here
    plain = _HYPHEN_BEFORE_DIGIT.sub(" ", norm.text)  # same length: offsets stay
    for start, end, digits in digit_runs(plain, max((WHOLE_DIGITS[k] for k in numeric), default=13)):
        if any(start < e and s < end for s, e in taken):
            continue
        fits = [k for k in numeric if MIN_DIGITS[k] <= len(digits) <= MAX_DIGITS[k]]
        if fits:
            if fits[0] == "card":  # a group said again or put right after it ("7258, that is, 7258", "no, sorry, 8")
                while (more := _CARD_MORE.match(plain, end)) is not None and not (
                        len(_DIGITS_ONLY.sub("", plain[start:end])) >= WHOLE_DIGITS["card"] + 2
                        and EXPIRY_SHAPE.search(plain, end, more.end()) is not None):
                    end = more.end()  # (a whole card's digits, then a month and year: its expiry date, not more of it)
            add(fits[0], start, end)
            if (tried := _first_try(plain, start, _DIGITS_ONLY.sub("", plain[start:end]))) is not None and free(tried):
                add(fits[0], tried.start(), tried.end())  # "324... 41..." / "From the top: 324 41 4674"
            if len(numeric) > 1 and fits[0] != "card":
                numeric.remove(fits[0])  # "the account number and a phone number": one of each, in order
    if numeric and not found:  # groups apart by more than one space or dash ("7 .2 .0 .5 .6, no, sorry, 4 .9")
        for start, end, digits in _digit_groups(plain, max(WHOLE_DIGITS[k] for k in numeric)):
            if fits := [k for k in numeric if MIN_DIGITS[k] <= len(digits) <= MAX_DIGITS[k]]:
                add(fits[0], start, end)
                break
    if numeric and not found and (loose := _sounded_number(plain, numeric[0])) is not None:
        add(numeric[0], *loose)
    if "expiry" in kinds:
        for date in EXPIRY_SHAPE.finditer(plain):
            if free(date):
                add("expiry", date.start(), date.end())
                break
        else:
            loose = (_EXPIRY_PART,) if "cvv" in kinds else (_EXPIRY_PART, _EXPIRY_DIGITS)
            part = next((m for pattern in loose for m in pattern.finditer(plain) if free(m)), None)
            if part is not None:
                add("expiry", part.start(), part.end())
    if "cvv" in kinds:
        codes = [m for m in _CODE.finditer(plain) if free(m)]
        if "expiry" in kinds and len(codes) >= 2 and not any(s.kind == "expiry" for s in found) and (
                _DIGITS_ONLY.sub("", codes[0].group()) != _DIGITS_ONLY.sub("", codes[1].group())):  # not one said twice
            # both asked for, no date's shape heard ("-208. Back is 215."): the numbers in the order they were asked
            first, second = ("expiry", "cvv") if kinds.index("expiry") < kinds.index("cvv") else ("cvv", "expiry")
            add(first, codes[0].start(), codes[0].end())
            add(second, codes[1].start(), codes[1].end())
        else:
            code = next((m for pattern in (_CODE, _CODE_TWICE, _CODE_CUT) for m in pattern.finditer(plain) if free(m)),
                        None)
            if code is not None:
                again = _SAID_AGAIN.match(plain, code.end())  # "170. 170.": the code said twice
                same = again is not None and _DIGITS_ONLY.sub("", again.group(1)) == _DIGITS_ONLY.sub("", code.group())
                add("cvv", code.start(), again.end() if same and again is not None else code.end())
    return found


def _first_try(text: str, start: int, digits: str) -> re.Match[str] | None:
    """The digits said before ``start`` in an answer (the caller cut off and starting again) that are the first
    :data:`FIRST_TRY_MIN_DIGITS` or more of ``digits``, the number said in full from ``start``: from the first of
    them to the last, as one match."""
    groups = list(_DIGITS.finditer(text, 0, start))
    for first in range(len(groups)):
        tried = "".join(m.group() for m in groups[first:])
        if FIRST_TRY_MIN_DIGITS <= len(tried) < len(digits) and digits.startswith(tried):
            return re.compile(r"[\s\S]+").match(text, groups[first].start(), groups[-1].end())
    return None


def _at_in_other_sense(text: str, sign: re.Match[str]) -> bool:
    """True for an "at" that is no address's ("at home", "at about five"): a word of :data:`_AT_OTHER_SENSE` after it
    and no domain (:data:`_DOMAIN_AHEAD`) before the sentence or the next "at" ends it."""
    if sign.group().lower() != "at" or _AT_OTHER_SENSE.match(text, sign.end()) is None:
        return False
    stop = _SENTENCE_STOP.search(text, sign.end())
    end = stop.start() if stop else len(text)
    if (again := re.search(r"(?i)\bat\b|@", text[sign.end():end])) is not None:
        end = sign.end() + again.start()  # "I'm at work, so it's j dot smith at ...": the domain is the next "at"'s
    return _DOMAIN_AHEAD.search(text, sign.end(), end) is None


def email_span(text: str, *, domain_heard: bool = False) -> PIISpan | None:
    """An address in the answer: the words from the first that is not a lead-in to the top-level domain (or to the
    end of the sentence) where an "at", "dot", "period", "underscore", "@" or a written top-level domain (".com",
    ".uk") is among them. ``domain_heard``: only where a top-level domain ends it (words read back, no answer)."""
    sign = next((m for m in _EMAIL_SIGN.finditer(text) if not _at_in_other_sense(text, m)), None)
    if sign is None:
        return None
    tokens = list(_TOKEN.finditer(text))
    turn_end = max((m.end() for m in _SENTENCE_THEN_TURN.finditer(text, 0, sign.start())), default=0)
    before = [t for t in tokens if turn_end <= t.start() < sign.start()][-LOCAL_PART_WORDS:]
    first = next((t for t in before if t.group().lower().strip(".',") not in _LEAD), None)
    if first is None and not before:  # the answer starts at its "dot" ("at" and the name lost): from there
        first = next((t for t in tokens if t.start() >= sign.start()), None)
    if first is None:
        return None
    end = None
    word = ""
    for token in tokens:
        if token.start() < sign.start():
            continue
        previous, word = word, token.group().lower().rstrip(".")
        if domain_heard and "." not in word and previous not in DOT_WORDS:
            continue  # read back: a top-level domain after a dot ("fastmail .com"), not the word "it" or "me"
        if word.rsplit(".", 1)[-1] in TLDS and token.start() > sign.start():
            end = token.start() + len(token.group().rstrip("."))
            while (more := _MORE_TLD.match(text, end)) is not None:
                end = more.end()
            break
    if end is None and domain_heard or end is not None and _WEB_PATH.match(text, end):
        return None
    if end is None:  # the domain misheard: to the end of the sentence
        stop = _SENTENCE_STOP.search(text, sign.end())
        end = stop.start() if stop else sign.end() + len(text[sign.end():].rstrip())
    return PIISpan("email", first.start(), end) if end > first.start() else None


def _address_words(text: str) -> set[str]:
    """The words of an address that name someone or something: three letters or more, no sign, top-level domain or
    lead-in ("at", "dot", "com", "it's")."""
    return {w for w in _WORDS.findall(text.lower())
            if len(w) >= 3 and w not in TLDS and w not in _SIGN_WORDS and w not in _LEAD}


def same_address(given: str, heard: str) -> bool:
    """True when ``heard`` (words read back) shares a word with the address ``given``, loosely (speech recognition's
    "Casimir" for "kasimir", :data:`ADDRESS_WORD_RATIO`): "log in at fernleigh dot com" after "kofi at gmail dot
    com" reads back nothing."""
    mine = _address_words(given)
    return any(fuzz.ratio(word, other) >= ADDRESS_WORD_RATIO for word in _address_words(heard) for other in mine)


def answer_spans(text: str, kinds: Sequence[str]) -> list[PIISpan]:
    """The personal data of ``kinds`` in ``text``, an answer to a question that asked for them (looser rules
    than :func:`qa_toolkit.ingest.pii.find_pii`, see the module docstring)."""
    found = _numbers(text, kinds) if any(k in MIN_DIGITS or k in ("expiry", "cvv") for k in kinds) else []
    if "email" in kinds and (hit := email_span(text)) is not None:
        if all(hit.end <= s.start or hit.start >= s.end for s in found):
            found.append(hit)
    return sorted(found, key=lambda s: s.start)
