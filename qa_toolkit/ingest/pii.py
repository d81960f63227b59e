"""Find and redact personal data in text: card numbers, US SSNs, e-mail addresses, phone numbers, IBANs.

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
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

import phonenumbers

KINDS = ("card", "ssn", "email", "phone", "iban")
PLACEHOLDERS = {kind: f"[{kind.upper()}]" for kind in KINDS}

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


@dataclass(frozen=True, slots=True)
class PIISpan:
    """One hit: its kind (``card``, ``ssn``, ``email``, ``phone``, ``iban``) and ``[start, end)`` offsets
    in the original text."""

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


def _phones(text: str, regions: Sequence[str] | None) -> Iterable[PIISpan]:
    if regions is None:
        from qa_toolkit.config import get_settings

        regions = get_settings().phone_regions
    for region in regions:  # the same number found for two regions is dropped as an overlap
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
            yield PIISpan("phone", match.start, match.end)


def find_pii(text: str, *, kinds: Collection[str] = KINDS, regions: Sequence[str] | None = None) -> list[PIISpan]:
    """All non-overlapping hits in ``text``, in order.

    Args:
        kinds: which kinds to look for (default: all of :data:`KINDS`).
        regions: where phone numbers written without a country code may be from (region codes such as
            ``US``, ``GB``); None: the ``QA_PHONE_REGIONS`` setting (default US).
    """
    has_at = "@" in text
    # Most text has no digit at all: one cheap scan spares the slower seven-digit pattern.
    many_digits = _DIGIT.search(text) is not None and _SEVEN_DIGITS.search(text) is not None
    if not has_at and not many_digits:
        return []
    found: list[PIISpan] = []
    # Order matters: the more specific detectors claim their text first.
    if many_digits:
        if "card" in kinds:
            found.extend(_cards(text))
        if "ssn" in kinds:
            found.extend(PIISpan("ssn", m.start(), m.end()) for m in _SSN.finditer(text))
        if "iban" in kinds:
            found.extend(PIISpan("iban", m.start(), m.end()) for m in _IBAN.finditer(text) if iban_valid(m.group()))
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
    kept: list[PIISpan] = []
    for span in found:  # first claim wins
        if all(span.end <= other.start or span.start >= other.end for other in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def redact(text: str, *, kinds: Collection[str] = KINDS, regions: Sequence[str] | None = None) -> RedactedText:
    """Replace every hit by its typed placeholder (``[CARD]``, ``[SSN]``, ``[EMAIL]``, ``[PHONE]``, ``[IBAN]``);
    ``regions`` as in :func:`find_pii`."""
    spans = find_pii(text, kinds=kinds, regions=regions)
    if not spans:
        return RedactedText(text, ())
    parts: list[str] = []
    position = 0
    for span in spans:
        parts.append(text[position:span.start])
        parts.append(PLACEHOLDERS[span.kind])
        position = span.end
    parts.append(text[position:])
    return RedactedText("".join(parts), tuple(spans))


def redact_each(texts: Sequence[str], *, kinds: Collection[str] = KINDS,
                regions: Sequence[str] | None = None) -> Iterator[tuple[int, RedactedText]]:
    """:func:`redact` over many texts (the turns of a conversation): ``(position, result)`` for each text
    with at least one hit. One cheap scan of all texts together spares the per-text work when none
    can hold anything (no ``@`` and no run of seven digits anywhere), as in most conversations."""
    joined = "\n".join(texts)
    if "@" not in joined and (_DIGIT.search(joined) is None or _SEVEN_DIGITS.search(joined) is None):
        return
    for position, text in enumerate(texts):
        result = redact(text, kinds=kinds, regions=regions)
        if result.spans:
            yield position, result
