"""Which of two voices on a mono call is the agent, from how each speaks, as one calibrated probability.

Each cue is a count over one speaker's words as the ASR wrote them; the model reads the difference between the
two speakers who say most (A minus B) and gives the log odds that A is the agent:

* ``phrases``: net agent stock phrases (:func:`qa_toolkit.transcribe.speakers.phrase_counts`), at most ±3;
* ``address``: who speaks to whom, the signed z of "you/your" against "I/my" (see ``address_evidence``), at most ±4;
* ``asks``: requests for a detail ("can I take the policy number", "and your date of birth?", "what's the
  address?", or the detail's name alone, "Order number?", "Postcode?"): the agent asks, the caller answers;
* ``service``: what staff say while they work on a call ("bear with me", "I'll put you through", "sorry about
  the wait", "you'll get a text", "I'll book ...");
* ``own_story``: what callers say of their own case ("I've been waiting", "nobody told me", "I paid on Monday",
  "I want ...").

Each distinct clause counts once (Whisper loops on a phrase over hold music). Who speaks first is left out (the
recording's ``first_speaker`` metadata says it when it is known, and an IVR or a "hello?" can come first), and so
is the share of numbers read out (on dev it told nothing: weight 0.00).

The weights are a logistic regression fitted on the dev calls through tiny.en and the diarization
(``bench/diarization_roles.py --fit``), its probabilities checked leave-one-out; see
bench/diarization/README.md, round 9. Counts are clipped at ``CLIP`` so that one talkative speaker cannot carry
the decision alone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

CLIP = 3.0
_ASK_RE = re.compile(
    r"\b(?:can i (?:take|have|get|grab|check)|could i (?:take|have|get)|may i (?:take|have)|what(?:'s| is) (?:the|your)"
    r"|and (?:the|your)|give me|tell me|confirm|read me|need)\b[^.?!]{0,40}?\b(?:date of birth|birthday|post ?code"
    r"|address|number|reference|name|email|security|details|digits|word)\b")
# a request that is nothing but the detail's name, as terse agents ask ("Order number?", "Postcode?", "And your date of
# birth?"): one whole clause
_BARE_ASK_RE = re.compile(r"(?:and )?(?:what's |what is )?(?:the |your )?(?:full )?(?:(?:order|account|reference|policy|"
                          r"booking|claim|card|phone|membership|member|customer|invoice|tracking|registration) )?"
                          r"(?:number|post ?code|name|surname|date of birth|email(?: address)?|address|reference)"
                          r"(?: please)?")
_SERVICE_RE = [re.compile(p) for p in (
    r"\bbear with me\b", r"\bone (?:moment|sec|second)\b", r"\bgive me (?:a|one) (?:sec|second|moment|minute|tick)\b",
    r"\bmusic on\b", r"\bstay on the line\b", r"\bwon't be long\b", r"\b(?:put|putting|pass|passing|transfer|"
    r"transferring) you\b", r"\bsorry (?:about|for) (?:that|the wait|the delay|the trouble|this)\b",
    r"\bthanks? (?:you )?for (?:holding|waiting|calling|your patience)\b",
    r"\byou(?:'ll| will) (?:get|receive|see|need|have)\b",
    r"\b(?:i'll|i will|we'll|we will) (?:\w+ )?(?:send|book|add|arrange|email|text|refund|cancel|reopen|credit|"
    r"transfer|set|sort|make sure|get someone)\b", r"\blet me (?:have a look|check|see|get)\b", r"\blet's have a look\b",
    r"\banything else\b", r"\b(?:take care|safe journey|have a (?:nice|good|great|lovely) \w+)\b",
    r"\bno (?:problem|bother|worries)\b")]
_OWN_STORY_RE = [re.compile(p) for p in (
    r"\bi(?:'ve| have) been (?:waiting|trying|charged|billed|on hold|calling|ringing|told)\b",
    r"\b(?:nobody|no one|no-one) (?:told|came|called|rang|said|replied|knows)\b",
    r"\bi (?:paid|ordered|booked|rang|called|sent|moved|filled|bought|tried|never|didn't|can't|lost|got a)\b",
    r"\bi (?:want|need|just want)\b", r"\bmy (?:\w+ )?(?:has|is|was|keeps|went|got|hasn't|isn't|wasn't)\b",
    r"\bwhat(?:'s| is) happen", r"\bwhen is (?:somebody|someone)\b", r"\bis there any\b", r"\bwill (?:it|they|that)\b")]
# an identifying detail read out (as Whisper writes it): four digits or more in one string ("48210", "0163 244 9178",
# "4-8-2-1"), letters spelled one by one ("O K A F O R", "W-A-L-S-H"), a code of capitals and digits ("MK4 7JP",
# "SF22731"), or four digit words in a row ("four eight two one"); not an amount of money or a share ("£4,200",
# "4,200 pounds", "90%")
_DIGIT_WORDS = r"(?i:zero|oh|one|two|three|four|five|six|seven|eight|nine|double|triple)"
_DETAIL_RE = re.compile(
    r"(?<![£$€\d,.])\d(?:[ \-.]?\d){3,}(?![\d,.]*\s*(?:pounds?|quid|dollars?|euros?|pence|p\b|percent|%))"
    r"|\b[A-Z](?:[ \-.]{1,2}[A-Z]\b){2,}|\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b"
    r"|\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{4,}\b"
    rf"|\b{_DIGIT_WORDS}(?:[ ,\-]+{_DIGIT_WORDS}){{3,}}\b")
# a title and a surname said to someone ("Thank you, Mister Grant.", "Hi Mrs Doyle,", "is that Mr. Lewis?"): staff
# address the caller so; not naming oneself ("it's Mr Grant") nor a third person in the middle of a sentence
_FORMAL_RE = re.compile(r"(?:^|[,.!?] |\b(?:[Tt]hanks?|[Tt]hank you|[Hh]ello|[Hh]i|[Mm]orning|[Aa]fternoon|[Ee]vening|"
                        r"[Ss]orry|[Tt]hat|[Oo]kay|[Rr]ight|[Yy]es) )"
                        r"(?:Mr|Mrs|Ms|Miss|Mister|Missus)\.? [A-Z][a-z]+(?=[,.!?]|$)")
_TOKEN_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_CLAUSE_RE = re.compile(r"[.,;:!?]+")
FEATURES = ("phrases", "address", "asks", "service", "own_story")
# logistic weights over the A-minus-B differences (no intercept: the model is symmetric in A and B), fitted on the
# 37 dev calls whose two main voices are the staff side and the customer (L2, C 0.3; bench/diarization_roles.py --fit)
WEIGHTS = {"phrases": 0.993, "address": 0.531, "asks": 0.561, "service": 0.685, "own_story": -0.58}


@dataclass(frozen=True)
class Cues:
    """One speaker's cue counts (see the module docstring)."""

    asks: int
    service: int
    own_story: int


def clauses(text: str) -> list[str]:
    """The distinct clauses of ``text``, lower case, in order: Whisper can loop on one phrase over hold music
    ("It's limited. It's limited. ..."), which must not count as many cues or many words."""
    seen: dict[str, None] = {}
    for clause in _CLAUSE_RE.split(text.lower().replace("’", "'")):
        words = " ".join(_TOKEN_RE.findall(clause))
        if words:
            seen.setdefault(words, None)
    return list(seen)


def cues(text: str) -> Cues:
    """The cue counts of one speaker's words, each distinct clause once."""
    said = clauses(text)
    lowered = " . ".join(said)
    bare = sum(1 for c in said if _BARE_ASK_RE.fullmatch(c) and not _ASK_RE.search(c))
    return Cues(asks=len(_ASK_RE.findall(lowered)) + bare, service=sum(len(p.findall(lowered)) for p in _SERVICE_RE),
                own_story=sum(len(p.findall(lowered)) for p in _OWN_STORY_RE))


def gives_detail(turn: str) -> bool:
    """Whether one turn, as the ASR wrote it (case kept), reads out an identifying detail: an account or phone number,
    a postcode, a reference, a name spelled letter by letter. The caller gives them when the agent asks; an agent reads
    one out less often (a reference at the end of a call)."""
    return bool(_DETAIL_RE.search(turn.replace("’", "'")))


def addresses_formally(turn: str) -> bool:
    """Whether one turn (case kept) speaks to someone by title and surname, as staff speak to a caller."""
    return bool(_FORMAL_RE.search(turn.strip()))


def _clip(value: float, limit: float = CLIP) -> float:
    return max(-limit, min(limit, value))


def differences(a: Cues, b: Cues, *, phrases: float, address: float) -> dict[str, float]:
    """The model's inputs for "A is the agent": A's cues minus B's, each clipped; ``phrases`` (net stock phrases,
    A minus B) and ``address`` (signed z, positive when A says "you" more and "I" less) as given."""
    return {"phrases": _clip(phrases), "address": _clip(address, 4.0), "asks": _clip(a.asks - b.asks),
            "service": _clip(a.service - b.service), "own_story": _clip(a.own_story - b.own_story)}


def agent_log_odds(inputs: dict[str, float], weights: dict[str, float] | None = None) -> float:
    """Log odds that A is the agent."""
    weights = WEIGHTS if weights is None else weights
    return sum(weights[name] * inputs[name] for name in FEATURES)


def probability(log_odds: float) -> float:
    """The logistic function."""
    return 1.0 / (1.0 + math.exp(-log_odds))
