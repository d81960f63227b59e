"""Personal data in a call transcript, found over the words and timed by them.

The detector is the one chat import uses (:func:`qa_toolkit.ingest.pii.find_pii`), run over each
speaker's consecutive turns joined together (a customer reads a card in four groups while the agent
says "mhm" in between: those are four customer turns, one number), and over the whole conversation
for a security code or expiry date asked for by one speaker and given by the other right after a card,
and for an SSN or account number the other speaker asked for. Last, the customer's answer to a question that asks for
personal data is read the cautious way (:mod:`qa_toolkit.transcribe.answers`): what speech recognition garbled
beyond the rules above still counts as the kind asked for.
A span that crosses turns is split into one piece per turn. Each piece is timed by the words it covers.

Redaction replaces each piece's words by one word, the typed placeholder (``[CARD]``), that keeps their
start and end, so turns, timing checks and evidence still line up.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from qa_toolkit.ingest.pii import (CARD_CUE_CHARS, KINDS, PIISpan, after_card, find_pii, firm_line_digits,
                                   normalised_offset, other_number_named, placeholder)
from qa_toolkit.ingest.spoken import normalise
from qa_toolkit.transcribe.answers import (AFTER_CARD, ANSWER_S, EXPIRY_SHAPE, MAX_DIGITS, MIN_DIGITS, WHOLE_DIGITS,
                                           answer_spans, asked_kinds, email_span, names_code_plainly, same_address)
from qa_toolkit.transcribe.backend import Word
from qa_toolkit.transcribe.turns import TurnText

# what the asker says while waiting for the rest of an answer: no new question
KEEP_OPEN = ("take your time", "no rush", "no problem", "no worries", "i'll wait", "whenever you're ready", "hold on",
             "say that again", "repeat that", "the rest", "last group", "last part", "one more time", "sorry",
             "last four", "next four", "next group", "last bit", "next bit")
# kinds the other speaker's words may name: a card only where asked for ("what's the long number on the card?"),
# and an expiry date or security code after its own cue ("the expiration date?")
CUED_KINDS = ("card", "cvv", "expiry", "ssn", "account", "phone", "email")
DIGIT_KINDS = ("card", "ssn", "phone", "account", "cvv")  # a piece of these without a digit is no part of them
UNANSWERED_KINDS = ("cvv", "expiry")  # asked for and not given: the asker's next words that name nothing ask again
_QUESTION_WORDS = frozenset({"and", "then", "now", "next", "last", "what", "what's", "whats", "when", "when's", "which",
                             "how", "where", "who", "can", "could", "would", "is", "are", "do", "does", "did"})
ASIDE_MAX_WORDS = 4  # an aside between a number's groups (see _aside): at most this many words,
ASIDE_MAX_S = 2.5  # this long,
ASIDE_GAP_S = 3.0  # the groups going on this soon after it,
LEAK_OVERLAP_S = 0.2  # an aside that starts this long before the other speaker's turn ends may hold their digits
ASIDE_EDGE_WORDS = 3  # with a digit among the last words before it and the first words after it
WAIT_MAX_WORDS = 6  # the asker's words while an answer is too short to be the number asked for (see _waits)
OVERLAP_S = 0.5  # a customer's turn that goes on this long into the question is read as part of the answer
JOIN_GAP_S = 15.0  # turns of one speaker this close together are read as one stretch (a card in groups)
_SEPARATOR = ", "  # a turn boundary reads as a pause: digit groups on both sides stay groups
_EDGE = " ,.;:!?-"
_WORD = re.compile(r"[a-z0-9']+")
_DIGIT = re.compile(r"\d")
_HUM_LETTERS = {"m", "h", "n", "u"}  # the letters speech recognition writes for "mhm" / "uh huh"
# a customer putting right a number the agent read back: "No, the third group is 2273", "not 58, 54"
_CORRECTION = re.compile(r"(?i)\b(?:no|nope|not|wrong|actually|should be|instead|group)\b")
_GROUP = re.compile(r"\d(?:[\d]|[ ,-]+(?=\d))*")
_NOT_BETWEEN = re.compile(r"(?i)[\s,.;:-]*not[\s,.;:-]*")  # "9605, not 9615": a group put right and the one it replaces
PUT_RIGHT_KINDS = ("card", "phone", "ssn")  # numbers whose groups are put right after the fact (_numbers_put_right)
_DETAILS = ("expiry", "cvv")  # a card's details, read back by their digits
_ASKED_NUMBERS = ("card", "ssn", "phone", "account")  # whose kind the question decides when their digits fit several
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december")
READ_BACK_LEAD_CHARS = 8  # a card's detail read back with a digit more or less starts this close to its turn's start
_AMOUNT_AROUND = re.compile(r"(?i)\s*(?:dollars?|pounds?|euros?|cents?|bucks|pence|percent|%)")
OTHER_NUMBER_CHARS = 30  # a number named this close before digits that repeat a code's is that number ("extension")
_SENTENCE_END = re.compile(r"\w{2}[.?!:]\s+")  # where a sentence of a turn ends (no spelled letter's "D. I.")
READ_BACK_S = 8.0  # a correction starts within this many seconds of the read-back's end
ECHO_MIN_DIGITS = 3  # a group of a number said back by the other speaker, as it was given, has at least these digits
ECHO_EXTRA_WORDS = 3  # and a group said back while the answer goes on at most this many other words ("got it")
# words that say a turn reads back what was just given ("Let me read that back.", "So that's ...", "To confirm, ...")
_READ_BACK_CUE = re.compile(r"(?i)\b(?:read (?:that|it|this|them) back|read back|repeat (?:that|it|this)|so that'?s|"
                            r"so it'?s|(?:just )?to (?:confirm|check)|let me confirm|double.?check)\b")
# the start of a turn that puts an address right ("No. ", "Nope, it's ", "Not quite, ")
_PUT_RIGHT = re.compile(r"(?i)^\W*(?:no(?:pe)?|not quite|not|actually|wrong)\b[\s,.;:!-]*"
                        r"(?:(?:sorry|it'?s|it is|that'?s)\b[\s,.;:!-]*)*")
_SPELLED_LETTERS = re.compile(r"(?i)(?<![\w'])(?:[a-z][\s,.-]+){2,}[a-z](?![\w'])"
                              r"|(?<![\w'])[a-z](?:-[a-z]){2,}(?![\w'])")
BACKCHANNEL_WORDS = {"mhm", "mm", "hm", "hmm", "mmhmm", "uh", "huh", "um", "ah", "okay", "ok", "yep", "yup", "yeah",
                     "yes", "right", "alright", "go", "on", "got", "it", "sure", "thanks", "thank", "you", "i", "see",
                     "great", "perfect", "and", "continue", "next", "keep", "going", "ahead", "please", "good", "cool",
                     "noted", "ready", "carry", "those", "that", "down", "them", "lovely", "brilliant", "excellent",
                     "fine", "gotcha", "super", "understood"}  # what a span piece cut at a turn boundary does not keep
                                                                # at its ends
BACKCHANNEL_MAX_WORDS = 4  # a backchannel (see is_backchannel): at most this many such words
# what a question asks for when it names none of the kinds: a date of birth, an amount, an address or a name
_ASKS_OTHER = re.compile(r"(?i)\b(?:born|birth|dob|how much|amount|address|post ?code|zip|your name|spell|how many|"
                         r"what time)\b")
ACK_WORDS = BACKCHANNEL_WORDS | {"ah", "oh", "sorry", "now", "that's", "thats", "ta", "cheers", "all", "sorted",
                                  "lovely", "so"}
GARBLED_ASK_CHARS = 4  # a lone word this long after a whole card asks for its details (see _garbled_ask)
ACK_MAX_WORDS = 6  # an acknowledgement that asks nothing: at most this many of ACK_WORDS
_CARD_TALK = re.compile(r"(?i)\b(?:card|visa|mastercard|amex|debit|credit)\b")  # a turn that talks about a card


@dataclass(frozen=True, slots=True)
class CallSpan:
    """One piece of personal data in one turn: kind, ``[start, end)`` in the turn's original text, and when it
    was said (seconds from the start of the recording)."""

    kind: str
    turn: int
    speaker: str
    start: int
    end: int
    start_s: float
    end_s: float
    last_piece: bool = True  # False for the pieces of a value split across turns before its last one


def _word_offsets(turn: TurnText) -> list[tuple[int, int, Word]]:
    """Each word's ``[start, end)`` in the turn text (the words joined by single spaces)."""
    out, pos = [], 0
    for word in turn.words:
        token = word.word.strip()
        if not token:
            continue
        start = turn.text.find(token, pos)
        if start < 0:
            return []  # text and words disagree: time the span by the whole turn
        out.append((start, start + len(token), word))
        pos = start + len(token)
    return out


def _timed(turn: TurnText, start: int, end: int, offsets: list[tuple[int, int, Word]]) -> tuple[float, float]:
    covered = [w for s, e, w in offsets if s < end and e > start]
    if not covered:
        return turn.start_s, turn.end_s
    return min(w.start for w in covered), max(w.end for w in covered)


class _Joined:
    """Several turns' texts joined by spaces, with the map back to (turn, offset)."""

    def __init__(self, turns: Sequence[tuple[int, TurnText]]) -> None:
        self.turns = list(turns)
        self.starts: list[int] = []
        parts, pos = [], 0
        for _, turn in self.turns:
            self.starts.append(pos)
            parts.append(turn.text)
            pos += len(turn.text) + len(_SEPARATOR)
        self.text = _SEPARATOR.join(parts)

    def pieces(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """``[start, end)`` of the joined text as (turn position, start, end) pieces within each turn."""
        out = []
        for position, ((_, turn), base) in enumerate(zip(self.turns, self.starts)):
            s, e = max(start, base), min(end, base + len(turn.text))
            piece = self.text[s:e]
            s, e = s + len(piece) - len(piece.lstrip(_EDGE)), e - len(piece) + len(piece.rstrip(_EDGE))
            if s < e:
                out.append((position, s - base, e - base))
        return out


def is_backchannel(text: str) -> bool:
    """True for a short acknowledgement ("Mhm.", "Okay.", "Uh huh.", "Go on.", "Keep going.", speech recognition's
    "Mmm Hm.") that carries nothing itself."""
    words = _WORD.findall(text.lower())
    return 0 < len(words) <= BACKCHANNEL_MAX_WORDS and all(
        w in BACKCHANNEL_WORDS or len(w) > 1 and set(w) <= _HUM_LETTERS for w in words)


def _aside(turns: Sequence[TurnText], index: int) -> bool:
    """True for the agent's side's few words (:data:`ASIDE_MAX_WORDS`, :data:`ASIDE_MAX_S`; any number of
    acknowledgements) without a digit, a cue or "please" between the customer's turns that end and start with digits:
    the "mm-hm" between a number's groups, whatever speech recognition made of it ("MMA champ, okay", "got mad.")."""
    turn = turns[index]
    words = _WORD.findall(turn.text.lower())
    if turn.speaker == "customer" or "please" in words:  # the asker's words only; "Merci v v, please." asks
        return False
    before = next((turns[k] for k in range(index - 1, -1, -1) if turns[k].speaker != turn.speaker), None)
    after = next((turns[k] for k in range(index + 1, len(turns)) if turns[k].speaker != turn.speaker), None)
    # the other speaker's digits heard in this speaker's channel while they spoke (crosstalk: "Yep. 79. Got that."
    # over the customer's "..., 179, 43"): an aside too, up to twice as many words and as long
    leak = before is not None and before.end_s - turn.start_s >= LEAK_OVERLAP_S and not asked_kinds(turn.text)
    most = 2 if leak else 1
    acks = 0 < len(words) <= ASIDE_MAX_WORDS * 2 and all(w in ACK_WORDS or set(w) <= _HUM_LETTERS for w in words)
    too_long = len(words) > ASIDE_MAX_WORDS * most or turn.end_s - turn.start_s > ASIDE_MAX_S * most
    if (not words or too_long and not acks or words[0] in _QUESTION_WORDS
            or (_DIGIT.search(normalise(turn.text).text) and not leak) or asked_kinds(turn.text)):
        return False
    return (before is not None and after is not None and after.start_s - turn.end_s <= ASIDE_GAP_S
            and bool(_DIGIT.search(" ".join(normalise(before.text).text.split()[-ASIDE_EDGE_WORDS:])))
            and bool(_DIGIT.search(" ".join(normalise(after.text).text.split()[:ASIDE_EDGE_WORDS]))))


def _asks_for_another(text: str) -> bool:
    """True for a question or a request for another number than a card's ("And the expiry?", "The IMEI, please.",
    "What else is on it?"), not for the words that wait for the rest of one ("Mhm.", "And the rest?") nor for a
    question for the card (the customer may have named it before: "I'll pay by card." / "The long number?")."""
    if is_backchannel(text):
        return False
    kinds = asked_kinds(text)
    return bool(set(kinds) - {"card"} or other_number_named(text)
                or (not kinds and text.rstrip().endswith("?") and not _keeps_open(text) and not _digits_asked(text)))


def _digits_asked(text: str) -> bool:
    """True for digits said back as a question ("2439?", "Was that 2439?"): a check of the number being given, no
    question for another."""
    norm = normalise(text).text
    return (len(_DIGIT.findall(norm)) >= ECHO_MIN_DIGITS
            and len([w for w in _WORD.findall(norm.lower()) if not _DIGIT.search(w)]) <= ECHO_EXTRA_WORDS)


def _chains(turns: Sequence[TurnText], join_gap_s: float) -> list[list[tuple[int, TurnText]]]:
    """Runs of one speaker's turns, each less than ``join_gap_s`` after the previous one of that speaker and with no
    question for another number than a card's by another speaker between them ("And the expiry?", "The IMEI?",
    "What else is on it?": what comes after it is another number; "And the rest?" is none)."""
    chains: list[list[tuple[int, TurnText]]] = []
    last: dict[str, list[tuple[int, TurnText]]] = {}
    asks: dict[int, bool] = {}  # each turn asked once, however many speakers' runs it stands between

    def asks_for_another(k: int) -> bool:
        """Whether turn ``k`` asks for another number and is no aside (remembered in ``asks``)."""
        if k not in asks:
            asks[k] = _asks_for_another(turns[k].text) and not _aside(turns, k)
        return asks[k]

    for index, turn in enumerate(turns):
        chain = last.get(turn.speaker)
        if chain is not None and turn.start_s - chain[-1][1].end_s <= join_gap_s and not any(
                turns[k].speaker != turn.speaker and asks_for_another(k) for k in range(chain[-1][0] + 1, index)):
            chain.append((index, turn))
        else:
            chain = [(index, turn)]
            chains.append(chain)
            last[turn.speaker] = chain
    return chains


def _two_numbers(turns: Sequence[TurnText], joined: _Joined, start: int, end: int) -> bool:
    """True when a number found over several turns of one speaker has, between its parts, the other speaker asking
    for another kind of number ("an invoice number ..." / "And the tracking number?" / "..."): two numbers."""
    positions = [position for position, _, _ in joined.pieces(start, end)]
    if len(positions) < 2:
        return False
    first, last = joined.turns[positions[0]][0], joined.turns[positions[-1]][0]
    return any(other_number_named(turns[i].text) for i in range(first + 1, last)
               if turns[i].speaker != turns[first].speaker)


def _speakers(joined: _Joined, start: int, end: int) -> set[str]:
    """Who said the pieces of ``[start, end)`` of ``joined`` that hold a digit."""
    return {turn.speaker for turn, s, e in ((joined.turns[p][1], s, e) for p, s, e in joined.pieces(start, end))
            if _DIGIT.search(normalise(turn.text[s:e]).text)}


def _question_before(turns: Sequence[TurnText], joined: _Joined, start: int) -> str:
    """What the other speaker said last (no "mhm") before the turn where ``start`` of ``joined`` lies."""
    (position, _s, _e), *_ = joined.pieces(start, start + 1) or [(0, 0, 0)]
    index = joined.turns[position][0]
    speaker = turns[index].speaker
    for earlier in range(index - 1, -1, -1):
        if turns[earlier].speaker != speaker and not is_backchannel(turns[earlier].text):
            return turns[earlier].text
    return ""


def _keeps_open(text: str) -> bool:
    """True for the asker's words that wait for the rest of the answer ("Take your time.", "Sorry, say that again?"),
    and for one word without a digit or up to three letters (speech recognition's "MHS.", "M -H -N." or "M. H. N."
    for "mhm")."""
    low = text.lower()
    words = _WORD.findall(low.replace("-", ""))
    return any(phrase in low for phrase in KEEP_OPEN) or (not _DIGIT.search(low) and (
        len(words) == 1 or 0 < len(words) <= 3 and all(len(w) == 1 for w in words)  # "M. H. N."
        or 0 < len(words) <= 8 and all(w in _HUM_LETTERS for w in words)))  # "M .H .M .H .N.": "mhm, mhm"


def _garbled_ask(text: str) -> bool:
    """True for one word of :data:`GARBLED_ASK_CHARS` letters or more that is no acknowledgement or hum: after a whole
    card, speech recognition's word for the question for its details ("Spyry" for "Expiry?")."""
    words = _WORD.findall(text.lower())
    return (len(words) == 1 and len(words[0]) >= GARBLED_ASK_CHARS and words[0].isalpha() and words[0] not in ACK_WORDS
            and not is_backchannel(text) and not any(phrase in text.lower() for phrase in KEEP_OPEN))


def _acknowledges(text: str) -> bool:
    """True for a few words that acknowledge and ask nothing ("Ah, sorry, got it now.", "Lovely, thanks.")."""
    words = _WORD.findall(text.lower())
    return "?" not in text and 0 < len(words) <= ACK_MAX_WORDS and all(w in ACK_WORDS for w in words)


def _reads_back(text: str) -> bool:
    """True for a turn that reads a card back (:data:`~qa_toolkit.transcribe.answers.MIN_DIGITS` of a card) and asks
    nothing after its digits; speech recognition may have put the next question in the same turn ("... 0 1 2 9 And the
    date underneath"): a question that follows the digits is asked."""
    norm = normalise(text).text
    digits = list(_DIGIT.finditer(norm))
    if len(digits) < MIN_DIGITS["card"]:
        return False
    tail = _WORD.findall(norm[digits[-1].end():].lower())
    return not (len(tail) >= 2 and (tail[0] in _QUESTION_WORDS or "?" in norm[digits[-1].end():]))


def _waits(text: str, answer: Sequence[tuple[int, TurnText]], wanted: Sequence[str]) -> bool:
    """True for the asker's few words (:data:`WAIT_MAX_WORDS`) that ask for nothing and start no question while the
    answer so far holds some digits but fewer than the one number asked for needs ("313" / "please? And then make
    sure." / "45 575"): speech recognition's words for "okay, go on"."""
    if len(wanted) != 1 or wanted[0] not in MIN_DIGITS:
        return False  # one number asked for, none of a card's details ("What date is on the front?")
    need = WHOLE_DIGITS[wanted[0]]  # a whole number's digits: half a card ("6 -0 -1 -1 -0 -1 -0 -0") waits for more
    words = _WORD.findall(text.lower())
    if (not answer or not 0 < len(words) <= WAIT_MAX_WORDS or words[0] in _QUESTION_WORDS
            or _DIGIT.search(normalise(text).text)):
        return False  # "then the CBB?" asks
    if asked_kinds(text) or _ASKS_OTHER.search(text) or other_number_named(text):
        return False
    return 0 < sum(len(_DIGIT.findall(normalise(t.text).text)) for _, t in answer) < need


def _echoes(text: str, answer: Sequence[tuple[int, TurnText]]) -> bool:
    """True for the asker's group said back while the answer goes on (:data:`ECHO_MIN_DIGITS` digits or more,
    at most :data:`ECHO_EXTRA_WORDS` other words, asking for nothing): the digits of the answer's last turn, or those
    with one digit heard wrong ("two five one." after "251", "2439?" after "24 38"); the customer reads on."""
    if not answer or asked_kinds(text) or _ASKS_OTHER.search(text):
        return False
    heard = _digits_of(text)
    given = _digits_of(answer[-1][1].text)
    extra = [w for w in _WORD.findall(normalise(text).text.lower()) if not w.isdigit()]
    if len(heard) < ECHO_MIN_DIGITS or len(extra) > ECHO_EXTRA_WORDS or len(heard) != len(given):
        return False
    return sum(a != b for a, b in zip(heard, given)) <= 1


def _within_answer(turn: TurnText, answer: Sequence[tuple[int, TurnText]]) -> bool:
    """True for the asker's words said while the customer's last turn of the answer went on (it ends before that turn
    does) and asking for nothing: crosstalk or a murmur ("I don't need that key." over "... No, sorry, ..."), not the
    asker speaking again."""
    return bool(answer) and turn.end_s <= answer[-1][1].end_s and not asked_kinds(turn.text)


def _answers(turns: Sequence[TurnText], kinds: Collection[str],
             claimed: Mapping[int, Sequence[tuple[str, int, int]]] | None = None
             ) -> Iterator[tuple[_Joined, list[PIISpan]]]:
    """Each question for personal data by the agent's side and what the customer's turns that answer it hold: those
    after it until the asker speaks again (their "mhm" and "take your time" aside), each within :data:`ANSWER_S` of
    the one before, and the customer's turn before it that goes on into it (:data:`OVERLAP_S`), after what was
    found in it already (``claimed``: spans per turn index), read by
    :func:`~qa_toolkit.transcribe.answers.answer_spans` for the kinds asked for. The questions
    right after a card number's that name nothing heard ask for what of the card's expiry date and security code
    (:data:`AFTER_CARD`) is not given yet ("Through a date in the CDC" for "valid thru date and the CVC", "Flip it
    over, what's in the box?"). Yields (the answer's turns joined, the hits in its text)."""
    pending: list[str] = []  # the card's details not given yet, for the questions right after the card's
    left = 0  # how many questions after the card's may still ask for them without naming them
    unanswered: list[str] = []  # what the last question asked for and its answer did not hold ("Do I have to?")
    since = 0  # the first turn after the last question: a card given from there on makes its details pending
    card_talk = False  # a card talked about so far (named, or its number found): a security code can be asked for
    for index, question in enumerate(turns):
        card_talk = card_talk or _CARD_TALK.search(question.text) is not None or any(
            kind == "card" for kind, _s, _e in (claimed or {}).get(index, ()))
        if question.speaker == "customer" or is_backchannel(question.text):
            continue
        card_given = [(k, s, e) for k in range(since, index) if turns[k].speaker != question.speaker
                      for kind, s, e in (claimed or {}).get(k, ()) if kind == "card"]
        # one garbled word after a whole card asks for its details: no aside, no word that waits for more digits
        details_asked = _garbled_ask(question.text) and sum(
            len(_DIGIT.findall(normalise(turns[k].text[s:e]).text)) for k, s, e in card_given) >= WHOLE_DIGITS["card"]
        if _aside(turns, index) and not details_asked:
            continue
        asked = asked_kinds(question.text)
        if "cvv" in asked and not card_talk and not names_code_plainly(question.text):
            asked = [k for k in asked if k != "cvv"]  # "What's the code?" for a promo code, no card in the call
        if not asked and _keeps_open(question.text) and not details_asked:
            continue
        if card_given:
            # a card given (found by its checksum, the question for it unrecognised): its details come next, also
            # where the next question seems to ask for the card again ("State on the front." for "Date on the front")
            pending, left = list(AFTER_CARD), len(AFTER_CARD)
            if asked == ["card"]:
                asked = ["card", *AFTER_CARD]
            elif "card" in asked and set(asked) & set(AFTER_CARD):  # "the date on the front and the three digits on
                asked = [k for k in asked if k != "card"]  # the back": the card given, its details asked for
        since = index + 1
        if not asked and (_ASKS_OTHER.search(question.text) or other_number_named(question.text, by_name=True)
                          or _acknowledges(question.text) or _reads_back(question.text)):
            # a question for something else (a date of birth, the amount, an order number), an acknowledgement ("Ah,
            # sorry, got it now.") or the card read back: none of the card's details asked for, none waiting used up
            continue
        # the asker's next words that name nothing still wait for what was not given ("We need it for a phone
        # payment, we don't store it.")
        asked, unanswered = asked or unanswered or (list(pending) if left > 0 else []), []
        left -= 1
        if "card" in asked:
            pending, left = list(AFTER_CARD), len(AFTER_CARD)
        elif not asked or not set(asked) <= set(AFTER_CARD):
            pending, left = [], 0
        wanted = [k for k in asked if k in kinds]
        if not wanted:
            continue
        answer: list[tuple[int, TurnText]] = []
        before = turns[index - 1] if index else None
        if before is not None and before.speaker == "customer" and before.end_s > question.start_s + OVERLAP_S:
            # speech recognition put the answer's start in the turn before; what was found there already (the answer
            # to the question before) and the words said before the question had begun ("... it's 217 pounds," as
            # the agent asks for the card) are no part of it: blanked, so that their digits do not run on into it
            cut = max((e for _k, _s, e in (claimed or {}).get(index - 1, [])), default=0)
            cut = max([cut] + [e for _s, e, word in _word_offsets(before) if word.start < question.start_s + OVERLAP_S])
            answer.append((index - 1, replace(before, text=" " * cut + before.text[cut:]) if cut else before))
        last_end = question.end_s
        for later in range(index + 1, len(turns)):
            turn = turns[later]
            if turn.speaker == question.speaker and not (is_backchannel(turn.text) or _aside(turns, later) or (
                    _keeps_open(turn.text) and not asked_kinds(turn.text)) or _waits(turn.text, answer, wanted)
                    or _within_answer(turn, answer) or _echoes(turn.text, answer)):
                break
            if turn.start_s - last_end > ANSWER_S:
                break
            if answer and turn.speaker == "customer" and other_number_named(turn.text, by_name=True) and not (
                    set(asked_kinds(turn.text)) & set(wanted)):
                break  # "Oh and my policy number is ...": another number, named, after the answer
            if turn.speaker == "customer":
                answer.append((later, turn))
                last_end = turn.end_s
        if answer:
            joined = _Joined(answer)
            hits = answer_spans(joined.text, wanted)
            pending = [k for k in pending if k not in {h.kind for h in hits}]
            unanswered = [k for k in wanted if k in UNANSWERED_KINDS and not hits]
            yield joined, hits


def _read_backs(turns: Sequence[TurnText], found: dict[int, list[tuple[str, int, int]]]
                ) -> Iterator[tuple[int, str, int, int]]:
    """Numbers one speaker reads back or puts right right after the other said one (:data:`READ_BACK_S`): in the turn
    right after a turn that holds a card, SSN, phone or account number, a digit run long enough for that kind
    (:data:`~qa_toolkit.transcribe.answers.MIN_DIGITS`: the agent's "So that's 628186507?") is one of that kind; and
    after a card, the digit groups (3 to 8 digits) of a turn that puts it right ("No, the third group is 2273") are
    a piece of the card: (turn, kind, start, end)."""
    for index in range(1, len(turns)):
        turn, before = turns[index], turns[index - 1]
        kinds = [kind for kind, _s, _e in found.get(index - 1, []) if kind in MIN_DIGITS]
        if before.speaker == turn.speaker or not kinds or turn.start_s - before.end_s > READ_BACK_S:
            continue
        if other_number_named(turn.text, by_name=True) and not set(asked_kinds(turn.text)) & set(kinds):
            continue  # "I see contract number 167 ... on it": another number, named, not the one read back
        norm = normalise(turn.text)
        given = {_digits_of(before.text[s:e]): kind for kind, s, e in found.get(index - 1, []) if kind in MIN_DIGITS}
        for group in _GROUP.finditer(norm.text):
            digits = len(_DIGIT.findall(group.group()))
            if "phone" in kinds and firm_line_digits(_digits_of(group.group())):
                continue  # "If you need us, our line is 0800 ...": the firm's own number, no read-back
            kind = next((k for k in kinds if MIN_DIGITS[k] <= digits <= MAX_DIGITS[k]), None)
            if kind is None and "card" in kinds and 3 <= digits <= 8 and _CORRECTION.search(turn.text):
                kind = "card"
            if kind is None and digits >= ECHO_MIN_DIGITS:  # a group said back as it was given ("6011, yep."), or
                said = "".join(_DIGIT.findall(group.group()))  # with one digit heard wrong ("2439?" after "24 38")
                kind = next((k for g, k in given.items() if len(g) == len(said)
                             and sum(a != b for a, b in zip(g, said)) <= 1), None)
            if kind is not None:
                yield index, kind, *norm.source(group.start(), group.end())


def _card_groups(text: str) -> list[str]:
    """A card's digit groups as said (3 to 8 digits); a run said without a pause ("4398873613929615") in fours."""
    groups = []
    for run in re.findall(r"\d+", text):
        groups += [run[k:k + 4] for k in range(0, len(run), 4)] if len(run) > 8 else [run]
    return [g for g in groups if len(g) >= 3]


def _numbers_put_right(turns: Sequence[TurnText], found: Mapping[int, Sequence[tuple[str, int, int]]]
                       ) -> Iterator[tuple[int, str, int, int]]:
    """A group of a card, phone number or SSN put right later on ("Oh hang on, I misread. The last four are 9605, not
    9615." after "And the expiry?", "the end's 4084, not 4089" after "Okay, saving that."): in a turn with a correction
    word within :data:`JOIN_GAP_S` of such a number found before it, the digit groups (3 to 8 digits) that are one of
    that number's groups or one digit apart from it, and a group said right before "not" and such a group ("2233, not
    9615"), are pieces of that number; other digits in the turn ("And it's 02 29.") are not: (turn, kind, start, end)."""
    for index, turn in enumerate(turns):
        if any(kind in PUT_RIGHT_KINDS for kind, _s, _e in found.get(index, [])) or not _CORRECTION.search(turn.text):
            continue
        groups = {(g, kind) for i, spans in found.items() if i < index and turn.start_s - turns[i].end_s <= JOIN_GAP_S
                  for kind, s, e in spans if kind in PUT_RIGHT_KINDS
                  for g in _card_groups(normalise(turns[i].text[s:e]).text)}
        if not groups:
            continue
        norm = normalise(turn.text)
        mine = [m for m in _GROUP.finditer(norm.text) if 3 <= len(_DIGIT.findall(m.group())) <= 8]
        kinds = [next((k for g, k in sorted(groups) if len(g) == len(d) and sum(a != b for a, b in zip(g, d)) <= 1),
                      None) for m in mine for d in ["".join(_DIGIT.findall(m.group()))]]
        for n, m in enumerate(mine):
            kind = kinds[n] or (kinds[n + 1] if n + 1 < len(mine) and _NOT_BETWEEN.fullmatch(
                norm.text, m.end(), mine[n + 1].start()) else None)
            if kind is not None:
                yield index, kind, *norm.source(m.start(), m.end())


def _digits_of(text: str) -> str:
    """The digits of ``text`` as :func:`~qa_toolkit.ingest.spoken.normalise` writes them ("six oh one one": "6011")."""
    return "".join(_DIGIT.findall(normalise(text).text))


def _after_emails(turns: Sequence[TurnText], found: Mapping[int, Sequence[tuple[str, int, int]]]
                  ) -> Iterator[tuple[int, TurnText, list[str]]]:
    """Each turn of the other speaker within :data:`READ_BACK_S` of a turn that gave e-mail addresses (in ``found``):
    (its index, the turn, the addresses given)."""
    for index in range(1, len(turns)):
        turn, before = turns[index], turns[index - 1]
        given = [before.text[s:e] for kind, s, e in found.get(index - 1, ()) if kind == "email"]
        if given and before.speaker != turn.speaker and turn.start_s - before.end_s <= READ_BACK_S:
            yield index, turn, given


def _emails_read_back(turns: Sequence[TurnText], found: Mapping[int, Sequence[tuple[str, int, int]]]
                      ) -> Iterator[tuple[int, str, int, int]]:
    """An e-mail address read back by the other speaker right after it was given (:data:`READ_BACK_S`: "Let me read
    that back: ... at outlook dot com"): in the next turn, a sentence with an address's sign ("at", "dot", ".com", see
    :func:`~qa_toolkit.transcribe.answers.email_span`) and a top-level domain after it, from its first word that is not
    a lead-in ("at about three fifteen" is none), said as a read-back (:data:`_READ_BACK_CUE`: "let me read that
    back", "so that's") or sharing a word with the address given (:func:`~qa_toolkit.transcribe.answers.same_address`):
    "you can also log in at our site dot com" is none: (turn, kind, start, end)."""
    for index, turn, given in _after_emails(turns, found):
        starts = [0, *(m.end() for m in _SENTENCE_END.finditer(turn.text))]
        for start, stop in zip(starts, [*starts[1:], len(turn.text)]):
            hit = email_span(turn.text[start:stop], domain_heard=True)
            if hit is not None and (_READ_BACK_CUE.search(turn.text, 0, start + hit.end) or any(
                    same_address(address, turn.text[start + hit.start:start + hit.end]) for address in given)):
                yield index, "email", start + hit.start, start + hit.end


def _emails_put_right(turns: Sequence[TurnText], found: Mapping[int, Sequence[tuple[str, int, int]]]
                      ) -> Iterator[tuple[int, str, int, int]]:
    """An e-mail address put right by the other speaker right after it was said or read back (:data:`READ_BACK_S`:
    "So seren pryca at yahoo dot com?" / "No, p r y c e, pryce."): a turn that starts with a correction ("no",
    "not", "actually") and goes on with a word of that address (:func:`~qa_toolkit.transcribe.answers.same_address`)
    or letters spelled one by one; the words after the correction to the end of the turn: (turn, kind, start, end)."""
    for index, turn, given in _after_emails(turns, found):
        if (lead := _PUT_RIGHT.match(turn.text)) is None:
            continue
        rest = turn.text[lead.end():].rstrip(_EDGE)
        if rest and (_SPELLED_LETTERS.search(rest) or any(same_address(address, rest) for address in given)):
            yield index, "email", lead.end(), lead.end() + len(rest)


def _details_read_back(turns: Sequence[TurnText], found: Mapping[int, Sequence[tuple[str, int, int]]]
                       ) -> Iterator[tuple[int, str, int, int]]:
    """A card's expiry date or security code read back by the other speaker right after it was given ("Oh four twenty
    eight, lovely." / "So eight six eight?"): in the next turn (:data:`READ_BACK_S`), a date or a digit group with the
    same digits (and month name) as one found in the turn before, or one digit more or less at the turn's start
    (:data:`READ_BACK_LEAD_CHARS`), is of its kind: (turn, kind, start, end)."""
    for index in range(1, len(turns)):
        turn, before = turns[index], turns[index - 1]
        given = {_detail_key(before.text[s:e]): kind for kind, s, e in found.get(index - 1, [])
                 if kind in _DETAILS}
        if before.speaker == turn.speaker or not given or turn.start_s - before.end_s > READ_BACK_S:
            continue
        norm = normalise(turn.text)
        for pattern in (EXPIRY_SHAPE, _GROUP):
            for match in pattern.finditer(norm.text):
                if _AMOUNT_AROUND.match(norm.text, match.end()) or norm.text[max(0, match.start() - 1):match.start()] in (
                        "$", "£", "€"):
                    continue  # "Payment of 85 dollars": an amount, not the code 385 read back
                if other_number_named(norm.text[max(0, match.start() - OTHER_NUMBER_CHARS):match.start()]):
                    continue  # "call us back on extension 170": another number named, not the code read back
                heard = _detail_key(match.group())
                kind = next((k for key, k in given.items() if key == heard or (
                    match.start() <= READ_BACK_LEAD_CHARS and _one_digit_apart(key, heard))), None)
                if kind is not None:
                    yield index, kind, *norm.source(match.start(), match.end())


def _one_digit_apart(given: str, heard: str) -> bool:
    """True when two keys of :func:`_detail_key` are digits only and one is the other with one digit lost ("54" for
    "549": speech recognition dropped it on one side)."""
    short, long = sorted((given, heard), key=len)
    if not (short.isdigit() and long.isdigit() and len(short) >= 2 and len(long) == len(short) + 1):
        return False
    rest = iter(long)
    return all(digit in rest for digit in short)


def _detail_key(text: str) -> str:
    """An expiry date's or a code's digits and month names, whatever way they were written ("oh four of twenty eight"
    and "04/28": "0428")."""
    low = normalise(text).text.lower()
    return "".join(_DIGIT.findall(low)) + " ".join(m for m in _MONTH_NAMES if m in low)


def _read_back_kind(turns: Sequence[TurnText], found: Mapping[int, Sequence[tuple[str, int, int]]], turn: int,
                    text: str) -> str | None:
    """The kind of a number found in another turn with the same digits as ``text`` (an account number read back has a
    phone number's ten digits), if it is an account or SSN."""
    def digits(value: str) -> str:
        return "".join(_DIGIT.findall(normalise(value).text))

    mine = digits(text)
    for index, spans in found.items():
        for kind, start, end in spans if index != turn else ():
            if kind in ("account", "ssn") and digits(turns[index].text[start:end]) == mine:
                return kind
    return None


def find_call_pii(turns: Sequence[TurnText], *, kinds: Collection[str] = KINDS, regions: Sequence[str] | None = None,
                  join_gap_s: float = JOIN_GAP_S) -> list[CallSpan]:
    """The personal data in a call's turns, one :class:`CallSpan` per kind and turn piece, in turn order."""
    offsets = [_word_offsets(t) for t in turns]
    found: dict[int, list[tuple[str, int, int]]] = {}
    not_last: set[tuple[int, int]] = set()  # (turn, start) of pieces before the last one of their value

    def claim(joined: _Joined, kind: str, start: int, end: int, asked: bool = False) -> None:
        """Claim a span (all its pieces) unless a piece overlaps one of another kind claimed before; pieces of the
        same kind that overlap become one (a card found in the whole call and again, longer, in one speaker's
        turns is redacted as the union of both). ``asked``: a card's detail given in answer to the question for it,
        which decides between a date and a code claimed before ("the expiry date and the security code?" / "208,
        back is 215": the code's cue before both numbers made the first a code)."""
        pieces = [(joined.turns[position][0], s, e) for position, s, e in joined.pieces(start, end)]
        if kind in DIGIT_KINDS and len(pieces) > 1:  # the other speaker's "keep going" between the groups
            pieces = [p for p in pieces if _DIGIT.search(normalise(turns[p[0]].text[p[1]:p[2]]).text)]
        if asked and kind in _DETAILS:
            for index, s, e in pieces:
                found[index] = [o for o in found.get(index, [])
                                if o[0] == kind or o[0] not in _DETAILS or e <= o[1] or s >= o[2]]
        if asked and kind in _ASKED_NUMBERS:  # the SSN asked for, whose digits pass as a phone number
            for index, s, e in pieces:
                found[index] = [o for o in found.get(index, [])
                                if o[0] == kind or o[0] not in _ASKED_NUMBERS or e <= o[1] or s >= o[2]]
        if any(not (e <= o_s or s >= o_e) and o_kind != kind
               for index, s, e in pieces for o_kind, o_s, o_e in found.get(index, [])):
            return
        for n, (index, s, e) in enumerate(pieces):
            mine = found.setdefault(index, [])
            before_end = n < len(pieces) - 1  # no last digits are kept in a piece before the end of its value
            for other in [o for o in mine if not (e <= o[1] or s >= o[2])]:
                mine.remove(other)
                before_end = before_end or (index, other[1]) in not_last
                not_last.discard((index, other[1]))
                s, e = min(s, other[1]), max(e, other[2])
            mine.append((kind, s, e))
            if before_end:
                not_last.add((index, s))

    # Numbers named by the other speaker ("What's your social security number?" / "one two three, ..."):
    # the whole conversation in order, for the kinds that need such a cue, claimed first.
    cued = [k for k in CUED_KINDS if k in kinds]
    # The other speaker's "mhm" between the groups of one number is no part of the conversation's numbers.
    whole = _Joined([(i, t) for i, t in enumerate(turns) if not is_backchannel(t.text)])
    if cued:
        for span in find_pii(whole.text, kinds=cued, regions=regions, luhn_cards=False, spoken=True):
            if span.kind in DIGIT_KINDS and len(_speakers(whole, span.start, span.end)) > 1:
                continue  # digits of both sides run together (crosstalk, the agent's "5 -2 -3"): no one number
            if span.kind == "phone" and other_number_named(_question_before(turns, whole, span.start), by_name=True):
                continue  # the answer to "What's your customer number?": no phone number, whatever its digits
            claim(whole, span.kind, span.start, span.end)
    cards = any(kind == "card" for spans in found.values() for kind, _s, _e in spans)
    for chain in _chains(turns, join_gap_s):
        joined = _Joined(chain)
        for span in find_pii(joined.text, kinds=kinds, regions=regions, spoken=True):
            # digits that pass as a card or a phone number by chance: the answer to "The handset's IMEI?" ("35 21 3
            # 68, no, sorry, 65 67 16 28 93"), and for a card "the order number is 9602, 0644, ..." or two numbers
            question = _question_before(turns, joined, span.start)
            if span.kind in ("card", "phone", "ssn") and (
                    other_number_named(question, by_name=True) and "ssn" not in asked_kinds(question)
                    or span.kind == "card" and bool(set(asked_kinds(question)) & {"ssn", "account", "phone"})
                    or span.kind == "card" and (_two_numbers(turns, joined, span.start, span.end) or other_number_named(
                        joined.text[max(0, span.start - CARD_CUE_CHARS):span.start], by_name=True))):
                continue
            claim(joined, span.kind, span.start, span.end)
            cards = cards or span.kind == "card"
    for index, span_kind, start, end in [*_read_backs(turns, found), *_emails_read_back(turns, found),
                                         *_numbers_put_right(turns, found)]:
        if span_kind in kinds:
            claim(_Joined([(index, turns[index])]), span_kind, start, end)
    if cards and ("cvv" in kinds or "expiry" in kinds):
        # A code or date asked for by one speaker and given by the other, right after the card.
        norm = normalise(whole.text)
        for index, spans in list(found.items()):
            for kind, _s, e in spans:
                if kind != "card":
                    continue
                positions = [i for i, _ in whole.turns]
                if index not in positions:
                    continue
                position = positions.index(index)
                card_end = normalised_offset(norm, whole.starts[position] + e)
                for extra in after_card(norm.text, card_end, kinds):
                    claim(whole, extra.kind, *norm.source(extra.start, extra.end))
    for joined, hits in _answers(turns, kinds, found):
        for hit in hits:
            claim(joined, hit.kind, hit.start, hit.end, asked=True)
    for index, span_kind, start, end in [*_read_backs(turns, found), *_details_read_back(turns, found),
                                         *_emails_read_back(turns, found), *_emails_put_right(turns, found)]:
        if span_kind in kinds:  # again: what the answers added
            claim(_Joined([(index, turns[index])]), span_kind, start, end)
    for index, mine in found.items():  # an account number or SSN read back, its digits taken for a phone number's
        found[index] = [(_read_back_kind(turns, found, index, turns[index].text[s:e]) or k, s, e) if k == "phone"
                        else (k, s, e) for k, s, e in mine]
    spans = []
    for index in sorted(found):
        turn = turns[index]
        for kind, start, end in sorted(found[index], key=lambda x: x[1]):
            start_s, end_s = _timed(turn, start, end, offsets[index])
            spans.append(CallSpan(kind, index, turn.speaker, start, end, start_s, end_s,
                                  (index, start) not in not_last))
    return spans


def redact_turns(turns: Sequence[TurnText], spans: Sequence[CallSpan], *,
                 keep_last: int | None = None) -> list[TurnText]:
    """Copies of the turns with each span's text and words replaced by its placeholder word (timings kept)."""
    by_turn: dict[int, list[CallSpan]] = {}
    for span in spans:
        by_turn.setdefault(span.turn, []).append(span)
    out = []
    for index, turn in enumerate(turns):
        mine = sorted(by_turn.get(index, []), key=lambda s: s.start)
        if not mine:
            out.append(turn)
            continue
        offsets = _word_offsets(turn)
        text, words, pos, kept = [], [], 0, 0
        for span in mine:
            # the last digits are kept in the last piece only: an earlier piece's last digits are the middle
            mark = placeholder(span.kind, turn.text[span.start:span.end], keep_last if span.last_piece else 0)
            text.append(turn.text[pos:span.start])
            text.append(mark)
            pos = span.end
            while kept < len(offsets) and offsets[kept][1] <= span.start:
                words.append(offsets[kept][2])
                kept += 1
            while kept < len(offsets) and offsets[kept][0] < span.end:
                kept += 1  # the span's words (a word half inside goes whole)
            words.append(Word(span.start_s, span.end_s, mark, 1.0))
        text.append(turn.text[pos:])
        words.extend(w for _, _, w in offsets[kept:])
        out.append(replace(turn, text="".join(text), words=words if offsets else []))
    return out


def union_spans(turns: Sequence[TurnText], spans: Sequence[CallSpan], second: Sequence[TurnText]) -> list[CallSpan]:
    """``spans`` (found in ``turns``) and each span found in ``second`` (the same call heard again, see
    :func:`qa_toolkit.transcribe.redecode.reheard_turns`) that overlaps none of its kind in time, laid on the words
    of ``turns`` said in its time by its speaker (a piece per turn, none over a span already there; a span whose time
    holds no such word is left out: its words are not in ``turns``)."""
    out = list(spans)
    for extra in find_call_pii(second):
        if any(s.kind == extra.kind and s.start_s < extra.end_s and extra.start_s < s.end_s for s in spans):
            continue
        for index, turn in enumerate(turns):
            if turn.speaker != extra.speaker or turn.end_s <= extra.start_s or extra.end_s <= turn.start_s:
                continue
            inside = [(s, e, w) for s, e, w in _word_offsets(turn) if w.start < extra.end_s and extra.start_s < w.end]
            if not inside:
                continue
            start, end = inside[0][0], inside[-1][1]
            if any(s.turn == index and s.start < end and start < s.end for s in out):
                continue
            out.append(CallSpan(extra.kind, index, turn.speaker, start, end, min(w.start for *_, w in inside),
                                max(w.end for *_, w in inside)))
    return sorted(out, key=lambda s: (s.turn, s.start))
