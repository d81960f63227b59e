"""Spoken numbers and e-mail addresses written out as digits and ``@``, with a map back to the source text.

Whisper writes what callers read out as words or broken digit groups: "four oh one two, eight eight
eight eight", "double five", "forty one eleven", "maria dot lopez at example dot com", "m a r i a".
:func:`normalise` turns such text into the form the PII detectors read::

    >>> n = normalise("it's four oh one two, double eight 88 and maria dot lopez at example dot com")
    >>> n.text
    "it's 4012 8888 and maria.lopez@example.com"

Numbers: digit words (``oh``/``o``/``nought`` as zero next to other digits), ``double``/``triple X``,
compound numbers parsed by text2num ("forty one" → 41, "two hundred and fifty" → 250, "nineteen
seventy five" → 19 75), digits and words mixed, hyphenated words. A run of them becomes one digit
string; where the speaker paused (a comma, a hyphen or a full stop between groups) a single space
stays, so "4012, 8888" reads as two groups of one number, as a written card number would.

E-mail addresses: ``at`` between a local part and a domain that ends in a known top-level domain,
``dot``/``period``/``point``, ``underscore``, ``dash``/``hyphen``, and letters spelled one by one.

:meth:`Normalised.source` maps a ``[start, end)`` range of the normalised text back to the range
of the source text it came from (whole words), so a span found in the digits can be redacted in
the words, and, for a call, timed by the words' timestamps.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
         "nine": 9, "nought": 0}
ZEROS = {"oh", "o"}  # zero only next to other digits ("oh, okay" stays a word)
TEENS_TENS = {"ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
              "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
SCALES = {"hundred", "thousand", "million"}
REPEATS = {"double": 2, "triple": 3, "treble": 3}
NUMBER_WORDS = set(UNITS) | TEENS_TENS | SCALES
TLDS = {"com", "org", "net", "edu", "gov", "io", "co", "uk", "us", "de", "fr", "ca", "au", "info", "biz", "me",
        "ie", "nl", "es", "it", "mail", "online", "nz"}
DOT_WORDS = {"dot", "period", "point"}
JOIN_WORDS = {"underscore": "_", "dash": "-", "hyphen": "-", "minus": "-"}
DOMAIN_JOIN_WORDS = {"dash", "hyphen"}  # what may join two words of a domain's label

_TOKEN = re.compile(r"\S+")
_CORE = re.compile(r"^([^\w@+]*)(.*?)([^\w]*)$", re.S)
_DIGITS = re.compile(r"\d+")
_SOFT_SEPARATOR = re.compile(r"^[\s,.;:\-–—…]*$")  # what may stand between two groups of one number
# What a caller says inside a number and goes on with it: a pause ("uh, hang on", "let me just check", a hurried
# caller's "like", "you know") or a slip put right ("no wait", "sorry, no", "I mean", "let me start again"). After a
# slip the group said just before it (since the last pause) is the wrong one and is left out of the digits; the span
# still covers it.
_FILLERS = (r"um+|uh+|er+m?|hmm+|hang on|hang about|hold on|hold up|one sec(?:ond)?|one moment|bear with me|"
            r"let me (?:just )?(?:check|see|look)|let me just|like|you know|i think|"
            r"(?:it'?s|it is) (?:a (?:bit|little) )?(?:worn|faded|hard to read|rubbed off)|"
            r"the (?:print|number|ink)(?:'s| is) (?:worn|faded|rubbed off)(?: here)?|sorry|dash|hyphen|"
            r"excuse me|pardon(?: me)?|bless you|(?:just )?a sec(?:ond)?")
_REPAIRS = (r"no|wait|oops|actually|i mean|scratch that|let me (?:start|try) (?:again|that again)|start again|try again|"
            r"my mistake|my bad|correction|that[’']?s (?:wrong|not right)|misread(?: it| that)?|misspoke")
_SEP = r"[\s,.;:\-–—…!?]*"
_FILLER_GAP = re.compile(rf"(?i){_SEP}(?:(?:{_FILLERS}|{_REPAIRS})\b{_SEP}){{1,4}}")
_REPAIR_WORD = re.compile(rf"(?i)\b(?:{_REPAIRS})\b")
SLIP_DIGITS = 4  # at most this many digits said since the last pause are taken for the group a slip corrects
FILLER_TOKENS = 7  # at most this many words of pause or repair between two parts of one number
_EMAIL_TOKEN = re.compile(r"^[a-z0-9][a-z0-9._%+-]*$", re.I)
_SPELLED = re.compile(r"^(?:[a-z0-9]-)+[a-z0-9]$")  # Whisper's "S-O-F-I-A" for letters spelled out
_STRUCTURED_TOKEN = re.compile(r"[\d._-]")  # "lh1982", "omar-kowalski83", "j.smith": an address's local part
_NAME_WORD = re.compile(r"^[a-z]{2,}$")
_SINGLE_LETTER = re.compile(r"^[a-z]$")
# Mail providers: a plain word "at" one of these (and a top-level domain) is an address with no cue said
# ("wendelldaley at yahoo dot com"), unless the word is one a sentence goes on with ("looking at gmail dot com").
MAIL_PROVIDERS = {"gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook", "icloud", "aol", "live", "msn",
                  "protonmail", "proton", "gmx", "btinternet", "comcast", "verizon", "zoho", "fastmail", "mailbox"}
_NOT_LOCAL = re.compile(r"^(?:\w+(?:ing|ed)|in|on|up|out|it|me|us|them|him|her|there|here|account|inbox|site|page|"
                        r"website|login|log|look|go|went|been|was|is|are|be|one|that|this|what|all|again|only|"
                        r"directly|now|then|email|mail|address|messages?|emails|stuff|things?|myself)$")
EMAIL_CUE_WORDS = 14  # how many words before an address a cue ("e-mail", "address") may stand
# Words that lead in to an address and are no part of it ("it's anna okafor at ...").
LEAD_WORDS = {"is", "it", "its", "it's", "to", "me", "my", "at", "email", "e-mail", "mail", "address", "oh", "yes",
              "yeah", "sure", "please", "that's", "thats", "send", "use", "the", "and", "so", "um", "uh", "okay", "ok",
              "right", "well", "like", "via", "on", "under", "new", "old", "was", "be", "would", "should", "try",
              "write", "reach", "contact", "copy", "from", "for", "with", "by", "or", "but", "then", "now", "this"}
# Cheap pre-check: a run of number words or digits long enough to hold PII, or "at ... dot".
def _trie(words: set[str]) -> str:
    """One regular expression alternation for ``words`` as a prefix tree (far faster than a flat one)."""
    tree: dict[str, dict] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return pattern(tree)


_WORDS_ALT = _trie(NUMBER_WORDS | ZEROS | set(REPEATS))
_SPOKEN_RUN = re.compile(rf"(?:\b(?:{_WORDS_ALT}|\d+)\b[\s,.\-]*(?:and\s+)?){{3}}")  # on lower-cased text
_NUMBER_WORD = re.compile(rf"\b(?:{_WORDS_ALT})\b")
# "4 -5 -3", "4539, 1488", "l3" (not "1,200"), and digits before a pause or a slip ("1 9 9. Let me just check 3 9")
_ODD_DIGITS = re.compile(r"\d(?: -|, |\. )\d|\b[ol]\d\b|\d[\s,.]+(?:um|uh|er|erm|sorry|no|wait|i mean|let me|hang on|"
                         r"hang about|hold on|hold up|one sec|oops|actually|scratch that|my mistake|my bad|"
                         r"that[’']?s (?:wrong|not right)|misread|misspoke)\b")
_SPOKEN_AT = re.compile(rf"\bat\b[\w\s.-]{{1,80}}?(?:\b(?:dot|period|point)\b|\.(?:{_trie(TLDS)})\b)")


@dataclass(frozen=True, slots=True)
class _Token:
    start: int  # core's range in the source text
    end: int
    core: str
    lead: str
    trail: str

    @property
    def word(self) -> str:
        return self.core.lower()


@dataclass(frozen=True)
class Normalised:
    """Normalised text and, per piece of it, the source range it came from."""

    text: str
    # (out_start, out_end, src_start, src_end, copied): in order; a copied piece is source text unchanged,
    # mapped character by character, any other maps as a whole
    pieces: tuple[tuple[int, int, int, int, bool], ...]

    def source(self, start: int, end: int) -> tuple[int, int]:
        """The source range a ``[start, end)`` range of the normalised text came from."""
        if not self.pieces:
            return start, end
        starts = [p[0] for p in self.pieces]
        first = self.pieces[max(0, bisect.bisect_right(starts, start) - 1)]
        last = self.pieces[max(0, bisect.bisect_left(starts, end) - 1)]
        src_start = first[2] + (start - first[0]) if first[4] else first[2]
        src_end = last[2] + (end - last[0]) if last[4] else last[3]
        return src_start, max(src_start, src_end)

    def offset(self, source_offset: int) -> int:
        """The offset in the normalised text where the source text up to ``source_offset`` ends."""
        for out_start, out_end, src_start, src_end, copied in self.pieces:
            if src_end >= source_offset:
                if copied:
                    return out_start + max(0, source_offset - src_start)
                return out_end if src_start < source_offset else out_start
        return len(self.text)


def might_hold_spoken(text: str) -> bool:
    """True when the text has a run of number words (or of digits split the way speech recognition splits
    them) or a spoken ``at ... dot``: worth normalising. Cheap, for chat imports of millions of turns."""
    low = text.lower()  # matching lower-cased text is twice as fast as ignoring case
    if "at" in low and _SPOKEN_AT.search(low) is not None:
        return True
    if _ODD_DIGITS.search(low) is not None:
        return True
    return _NUMBER_WORD.search(low) is not None and _SPOKEN_RUN.search(low) is not None


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        lead, core, trail = _CORE.match(match.group()).groups()  # type: ignore[union-attr]
        start = match.start() + len(lead)
        parts = core.split("-")
        if len(parts) > 1 and all(p.lower() in NUMBER_WORDS or p.lower() in ZEROS or p.isdigit() for p in parts):
            pos = start  # "four-one-one-one", "4111-1111", "twenty-one": parts with hyphens between
            for k, part in enumerate(parts):
                tokens.append(_Token(pos, pos + len(part), part, lead if k == 0 else "",
                                     trail if k == len(parts) - 1 else ""))
                pos += len(part) + 1
            continue
        tokens.append(_Token(start, start + len(core), core, lead, trail))
    return tokens


def _pause(before: _Token, after: _Token) -> bool:
    """A comma, full stop or the like between two tokens (Whisper's "4 -5 -3 -9" hyphens are no pause)."""
    return bool((before.trail + after.lead).strip(" -"))


_GARBLED = re.compile(r"^([a-z])(\d{1,4})$")  # ASR's "L3" for "oh three", next to other digits
_GARBLED_AFTER = re.compile(r"^(\d{2,})([ol])$")  # and "537L" for "five three seven oh"
_GARBLED_LONG = re.compile(r"^[ol](\d{5,})$")  # "L557217229" for "oh five five seven ...": a number on its own


def _is_number(tokens: list[_Token], i: int) -> bool:
    word = tokens[i].word
    if word in NUMBER_WORDS or _DIGITS.fullmatch(word):
        return True
    if _GARBLED_AFTER.match(word) or _GARBLED_LONG.match(word):
        return True
    if _GARBLED.match(word):
        return any(0 <= j < len(tokens) and _DIGITS.fullmatch(tokens[j].word) for j in (i - 1, i + 1))
    if word in REPEATS:
        return i + 1 < len(tokens) and (tokens[i + 1].word in UNITS or tokens[i + 1].word in ZEROS
                                        or tokens[i + 1].word.isdigit())
    if word in ZEROS:
        near = [j for j in (i - 1, i + 1) if 0 <= j < len(tokens) and not (j == i - 1 and tokens[j].trail.strip())
                and not (j == i + 1 and tokens[i].trail.strip())]
        return any(tokens[j].word in UNITS or tokens[j].word in TEENS_TENS or tokens[j].word.isdigit()
                   or tokens[j].word in ZEROS or (j == i - 1 and tokens[j].word in REPEATS) for j in near)
    if word == "and":  # "two hundred and fifty"
        return (0 < i < len(tokens) - 1 and tokens[i - 1].word in SCALES and not tokens[i - 1].trail.strip()
                and tokens[i + 1].word in NUMBER_WORDS)
    return False


@lru_cache(maxsize=4096)
def _compound(words: tuple[str, ...]) -> int | None:
    """``forty one`` → 41, ``two hundred and fifty`` → 250 (text2num); None when the words are no one number."""
    if len(words) == 1:
        word = words[0]
        if word in UNITS:
            return UNITS[word]
    if words[-1] == "and" or words[0] == "and":
        return None
    try:
        from text_to_num import text2num
    except ImportError:  # the parser is optional: single digit words and digits still work
        return None
    try:
        return int(text2num(" ".join(words), "en"))
    except ValueError:
        return None


def _groups(tokens: list[_Token]) -> list[tuple[str, int, int]]:
    """Parse one run of number tokens into (digits, first token, last token + 1), longest compound first."""
    groups: list[tuple[str, int, int]] = []
    i = 0
    while i < len(tokens):
        word = tokens[i].word
        if word == "and":
            i += 1
            continue
        if _DIGITS.fullmatch(word):
            nxt = tokens[i + 1].word if i + 1 < len(tokens) else ""
            if (len(word) == 2 and word[1] == "0" and word[0] != "0" and len(nxt) == 1 and nxt in "123456789"
                    and not _pause(tokens[i], tokens[i + 1])):
                groups.append((word[0] + nxt, i, i + 2))  # "20 -8": Whisper's "twenty-eight"
                i += 2
                continue
            groups.append((word, i, i + 1))
            i += 1
            continue
        if word in ZEROS:
            groups.append(("0", i, i + 1))
            i += 1
            continue
        if garbled := _GARBLED_AFTER.match(word):
            groups.append((garbled.group(1) + "0", i, i + 1))
            i += 1
            continue
        if garbled := _GARBLED_LONG.match(word):
            groups.append(("0" + garbled.group(1), i, i + 1))
            i += 1
            continue
        if garbled := _GARBLED.match(word):
            groups.append((("0" if garbled.group(1) in "ol" else "") + garbled.group(2), i, i + 1))
            i += 1
            continue
        if word in REPEATS and i + 1 < len(tokens) and _DIGITS.fullmatch(tokens[i + 1].word):
            digits = tokens[i + 1].word  # "treble 508928": Whisper wrote the repeated digit once, the rest after
            groups.append((digits[0] * REPEATS[word] + digits[1:], i, i + 2))
            i += 2
            continue
        if word in REPEATS and i + 1 < len(tokens):
            nxt = tokens[i + 1].word
            digit = "0" if nxt in ZEROS else str(UNITS[nxt]) if nxt in UNITS else nxt
            groups.append((digit * REPEATS[word], i, i + 2))
            i += 2
            continue
        best = None
        for j in range(min(len(tokens), i + 8), i, -1):
            words = tuple(t.word for t in tokens[i:j])
            if any(w not in NUMBER_WORDS and w != "and" for w in words):
                continue
            if j - i > 1 and (not any(w in TEENS_TENS or w in SCALES for w in words) or "zero" in words
                              or "nought" in words):
                continue  # "four zero one": digits one by one
            if any(tokens[k].trail.strip() for k in range(i, j - 1)):
                continue  # a pause inside: not one compound number
            value = _compound(words)
            if value is not None:
                best = (str(value), i, j)
                break
        if best is None:
            groups.append((word, i, i + 1))  # cannot happen for number words; kept for safety
            i += 1
        else:
            groups.append(best)
            i = best[2]
    return groups


def _email_at(tokens: list[_Token], at: int) -> tuple[int, int, str] | None:
    """An e-mail address spoken around the ``at`` token: (first token, last token + 1, address)."""
    # Domain: label (dot label)* ending in a known TLD, or a token written with dots ("example.com").
    domain: list[str] = []
    j = at + 1
    if j + 1 < len(tokens) and tokens[j].word == "the" and not tokens[j].trail.strip():
        j += 1  # speech recognition's "at the mailbox .org"
    while j < len(tokens):
        word = tokens[j].word
        if tokens[j].lead == "." and domain and re.fullmatch(r"[a-z0-9-]+", word):
            domain.extend((".", word))  # "example .com"
            j += 1
        elif "." in word and _EMAIL_TOKEN.match(word):
            domain.append(word)
            j += 1
        elif word in DOMAIN_JOIN_WORDS and domain and not domain[-1].endswith((".", "-")) and j + 1 < len(tokens):
            domain.append("-")  # "harlow dash group dot co dot uk"
            j += 1
        elif word not in DOT_WORDS and re.fullmatch(r"[a-z0-9-]+", word):
            if domain and not domain[-1].endswith((".", "-")) and not tokens[j - 1].word in DOT_WORDS:
                provider = domain[-1] + word in MAIL_PROVIDERS and not tokens[j - 1].trail.strip()  # "proton mail"
                if not provider and (not _SINGLE_LETTER.match(tokens[j - 1].word) or tokens[j - 1].trail.strip()):
                    break
                domain[-1] += word  # letters said one by one run into a label: "b t internet" is btinternet
            else:
                domain.append(word)
            j += 1
        elif word in DOT_WORDS and domain:
            domain.append(".")
            j += 1
        else:
            break
        if tokens[j - 1].trail.strip(". ") and j < len(tokens):
            break
    text = "".join(domain).strip(".")
    if not text or text.rsplit(".", 1)[-1] not in TLDS or "." not in text:
        return None
    while domain and not "".join(domain).rstrip(".").endswith(text.rsplit(".", 1)[-1]):
        domain.pop()
        j -= 1
    if j < len(tokens) and tokens[j].word == "slash" or tokens[j - 1].trail.startswith("/"):
        return None  # a web address's path ("example dot com slash help"): no e-mail address
    # Local part, backwards: words join through dot/underscore/dash; letters spelled one by one join
    # each other (also as Whisper writes them, "S-O-F-I-A"); spoken digits join whatever stands before them
    # ("smith seven five" is smith75).
    local: list[str] = []
    i = at - 1
    structured = False  # joiners, spelled letters or digits: an address, not "meet at example dot com"
    while i >= 0:
        tok = tokens[i]
        word = tok.word
        careful = _careful_letters(tokens, i)
        if careful is not None and (not local or local[0] in "._-" or len(local[0]) == 1):
            if tok.trail.strip() and i != at - 1 and tok.trail.strip() not in {",", "."}:
                break
            first, letters = careful
            local[:0] = list(letters)
            structured = True
            i = first - 1
            continue
        if tok.trail.strip() and i != at - 1 and not _spelled_pause(tok, local):
            break
        if word in DOT_WORDS or word in JOIN_WORDS:
            if not local or local[0] in "._-":
                break
            local.insert(0, "." if word in DOT_WORDS else JOIN_WORDS[word])
            structured = True
            i -= 1
            continue
        value = str(UNITS[word]) if word in UNITS else word
        tens = word in TEENS_TENS  # "mensah seventy at", "ortiz forty-seven at": digits, no structure of their own
        if tens:
            value = str(_compound((word,)))
            if value.endswith("0") and local and len(local[0]) == 1 and local[0] in "123456789":
                value = value[0] + local.pop(0)
        if _SPELLED.match(value):
            value = value.replace("-", "")  # "o-k-a-f-o-r": letters spelled one by one
            structured = True
        if not _EMAIL_TOKEN.match(value):
            break
        if tok.lead == ".":  # "j .smith at": Whisper's dot before a word
            if local and local[0] not in "._-" and not (local[0].isdigit() or len(local[0]) == 1):
                break
            local.insert(0, value)
            local.insert(0, ".")
            structured = True
            i -= 1
            continue
        if local and local[0] not in "._-":
            after = local[0]
            letter_after = len(after) == 1 and after.isalpha()
            digit_after = after.isdigit()
            spelled_run = (len(value) == 1 and value.isalpha() and i > 0 and len(tokens[i - 1].word) == 1
                           and tokens[i - 1].word.isalpha())  # "l o p easy": ASR's word for the last letters
            if not ((len(value) == 1 and value.isalnum() and (letter_after or digit_after or spelled_run))
                    or (digit_after and not value.isdigit())):
                break
        structured = structured or not tens and (len(value) == 1 or bool(_STRUCTURED_TOKEN.search(value)))
        local.insert(0, value)
        i -= 1
    if not local or local[0] in "._-":
        return None
    cued = re.search(r"e-?mail|address|\bmail\b", " ".join(t.word for t in tokens[max(0, i - EMAIL_CUE_WORDS): i + 1]))
    provider = text.split(".")[0] in MAIL_PROVIDERS and not _NOT_LOCAL.match(local[0])
    if not structured and not cued and not provider:  # plain words before "at": only after a cue such as "e-mail"
        return None  # or "address", or at a mail provider
    # A name said before the address's spelled or joined part ("john l o p e z at", "anna okafor at" after
    # "what's your e-mail?"): one more plain word, two after a cue, never a word that only leads in.
    for _ in range(2 if cued else 1):
        if i < 0 or tokens[i].trail.strip() or tokens[i].word in LEAD_WORDS or not _NAME_WORD.match(tokens[i].word):
            break
        local.insert(0, tokens[i].word)
        i -= 1
    return i + 1, j, "".join(local) + "@" + text


def _careful_letters(tokens: list[_Token], i: int) -> tuple[int, str] | None:
    """Letters of an address said the careful way, ending at token ``i``: "o as in oscar" (the word begins with the
    letter) is "o", "double n" is "nn"; (their first token, the letters), or None."""
    word = tokens[i].word
    if (i >= 3 and tokens[i - 1].word == "in" and tokens[i - 2].word == "as" and _SINGLE_LETTER.match(tokens[i - 3].word)
            and word.startswith(tokens[i - 3].word) and len(word) > 1
            and not any(tokens[k].trail.strip() for k in range(i - 3, i))):
        return i - 3, tokens[i - 3].word
    if i >= 1 and tokens[i - 1].word in REPEATS and _SINGLE_LETTER.match(word) and not tokens[i - 1].trail.strip():
        return i - 1, word * REPEATS[tokens[i - 1].word]
    return None


def _spelled_pause(token: _Token, local: list[str]) -> bool:
    """A pause inside an address's local part said letter by letter ("h, a, n, a, dash, doyle at"): after a single
    letter or digit that goes on with another or a joiner, or after a joiner word itself."""
    if token.trail.strip() not in {",", "."} or not local:
        return False
    if token.word in DOT_WORDS or token.word in JOIN_WORDS:
        return True
    return len(token.word) == 1 and token.word.isalnum() and (len(local[0]) == 1 or local[0] in "._-")


def _after_filler(text: str, tokens: list[_Token], end: int, taken: set[int]) -> int | None:
    """Where a number goes on after a pause or a slip ("4012, uh, hang on, 8888"): the farthest number token within
    :data:`FILLER_TOKENS` words after ``end`` with only such words before it; None if there is none."""
    for j in range(min(len(tokens) - 1, end + FILLER_TOKENS), end, -1):
        if j in taken or any(t in taken for t in range(end, j)) or not _is_number(tokens, j):
            continue
        if tokens[j].word in ZEROS and not (j + 1 < len(tokens) and _is_number(tokens, j + 1)):
            continue
        if _FILLER_GAP.fullmatch(text, tokens[end - 1].end, tokens[j].start):
            return j
    return None


def _drop_slip(parts: list[tuple[str, int, int]]) -> int | None:
    """Leave out the digits said since the last pause (the group a slip corrects); returns where they start in the
    source, so that the digits said next cover them. More than :data:`SLIP_DIGITS` digits with no pause (speech
    recognition wrote none) are kept: which of them the slip corrects is not known."""
    since = len(parts) - next((n for n, p in enumerate(reversed(parts)) if p[0] == " "), len(parts))
    if sum(len(p[0]) for p in parts[since:]) > SLIP_DIGITS:
        parts.append((" ", parts[-1][2], parts[-1][2]))
        return None
    start = None
    while parts and parts[-1][0] != " ":
        start = parts.pop()[1]
    return start


def _said_again(parts: list[tuple[str, int, int]], at: int, dropped: str) -> None:
    """After a slip, a group said again whole that was first said in pieces ("twenty four, thirty eight. No, two four
    three eight"): the slip left out only the last piece (``dropped``); the pieces before it (back to the pause
    before them), which the group said again (``parts[at:]`` up to its next pause) begins with, go too, so the group
    counts once."""
    if at < 2 or at > len(parts) or parts[at - 1][0] != " ":
        return
    end = next((n for n in range(at, len(parts)) if parts[n][0] == " "), len(parts))
    new = "".join(p[0] for p in parts[at:end])
    since = at - 1
    while since > 0 and parts[since - 1][0] != " ":
        since -= 1
    earlier = "".join(p[0] for p in parts[since:at - 1])
    if earlier and len(new) > len(dropped) and earlier + dropped == new:
        start = parts[since][1]
        parts[since:at] = []
        first_digits, _start, first_end = parts[since]
        parts[since] = (first_digits, start, first_end)


def normalise(text: str) -> Normalised:
    """Spoken numbers as digits and spoken e-mail addresses as addresses (see the module docstring)."""
    tokens = _tokens(text)
    # first token → (end token, [(replacement text, source start, source end)])
    replaced: dict[int, tuple[int, list[tuple[str, int, int]]]] = {}
    for k, tok in enumerate(tokens):
        if tok.word == "at" and not tok.trail.strip() and k > 0:
            hit = _email_at(tokens, k)
            if hit and all(t not in replaced for t in range(hit[0], hit[1])):
                replaced[hit[0]] = (hit[1], [(hit[2], tokens[hit[0]].start, tokens[hit[1] - 1].end)])
    taken = {t for first, (end, _) in replaced.items() for t in range(first, end)}
    k = 0
    while k < len(tokens):
        if k in taken or not _is_number(tokens, k):
            k += 1
            continue
        parts: list[tuple[str, int, int]] = []
        first, slip = k, None  # slip: where the digits left out after a slip start in the source
        dropped, repair_at = "", 0  # the digits a slip left out and where the group said after it goes
        while True:
            end = k + 1
            while (end < len(tokens) and end not in taken and _is_number(tokens, end)
                   and _SOFT_SEPARATOR.match(tokens[end - 1].trail + tokens[end].lead)):
                end += 1
            while end - 1 > k and tokens[end - 1].word in REPEATS:
                end -= 1
            run = tokens[k:end]
            if len(run) > 1 or run[0].word not in ZEROS or parts or slip is not None:
                for digits, a, b in _groups(run):
                    start = run[a].start if slip is None else slip
                    if parts and parts[-1][0] != " " and (a == 0 or _pause(run[a - 1], run[a])):
                        parts.append((" ", run[a - 1].end if a else tokens[k - 1].end, start))
                    parts.append((digits, start, run[b - 1].end))
                    slip = None
                if dropped:
                    _said_again(parts, repair_at, dropped)
                    dropped = ""
            following = _after_filler(text, tokens, end, taken) if parts else None
            if following is None:
                break
            if _REPAIR_WORD.search(text, tokens[end - 1].end, tokens[following].start):
                before = list(parts)
                slip = _drop_slip(parts)
                dropped, repair_at = "".join(p[0] for p in before[len(parts):] if p[0] != " "), len(parts)
            k = following
        if parts:
            replaced[first] = (end, parts)
        k = end
    # Write the output: replaced runs as one piece over their source range, the rest unchanged.
    out: list[str] = []
    pieces: list[tuple[int, int, int, int, bool]] = []
    pos = 0  # source position copied up to
    length = 0

    def emit(piece: str, src_start: int, src_end: int, copied: bool = False) -> None:
        nonlocal length
        if piece:
            pieces.append((length, length + len(piece), src_start, src_end, copied))
            out.append(piece)
            length += len(piece)

    k = 0
    while k < len(tokens):
        if k not in replaced:
            k += 1
            continue
        end, parts = replaced[k]
        first, last = tokens[k], tokens[end - 1]
        emit(text[pos:first.start], pos, first.start, True)  # unchanged text
        for piece, src_start, src_end in parts:
            emit(piece, src_start, src_end)
        pos = last.end
        k = end
    emit(text[pos:], pos, len(text), True)
    return Normalised("".join(out), tuple(pieces))
