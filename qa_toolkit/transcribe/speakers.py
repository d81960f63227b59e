"""Mono calls: words to diarized speakers, speakers to roles (agent, customer, agent_2, other), with a confidence.

1. **Words to speakers.** Each Whisper word goes to the diarized speaker who covers most of it (the
   nearest within 1 s when nobody does), word by word, so a speaker change inside a Whisper segment
   is kept. The words of each role then form turns exactly as on the stereo path
   (:func:`qa_toolkit.transcribe.turns.merge_turns`).
2. **Which speaker is the agent.** Up to three kinds of evidence, each naming one speaker with a
   confidence:

   * *voice*: the call's agent has an enrolled voice (``qa agents enroll-voice``): the speaker whose
     voice is closest to it, if the similarity is at least ``VOICE_MIN_SIMILARITY``; the confidence
     grows with the margin over the next speaker;
   * *words*: agent phrases ("thanks for calling", "how can I help", "can you confirm", "is there
     anything else", ...) minus customer phrases ("my account", "I was charged", "I'd like to", ...)
     per speaker; confidence ``1 - 0.5 ** margin`` (one phrase more than the next speaker gives 0.5);
   * *who speaks to whom*: of the two speakers who say most, the agent talks to the caller ("you", "your")
     and the caller about themselves ("I", "my"): the log odds ratio of second- to first-person words between
     the two, as a z score, names the agent with confidence ``ADDRESS_SLOPE × (z − ADDRESS_MIN_Z)``, at most
     ``ADDRESS_MAX_CONFIDENCE`` (calibrated through tiny.en and the diarization on the 72 dev calls: under z 0.75
     the pronouns named the agent right 12 times and wrong 12, from 0.75 to 1.2 right 7 and wrong 2, from 1.2
     always, 17 of 17; alone they decide from z 1.35); it reads every call's words, stock phrases or none;
   * *the role model* (round 9, :mod:`qa_toolkit.transcribe.role_cues`): when the two speakers who say most
     each say ``MODEL_MIN_WORDS`` words or more, the two kinds above are read together with what else marks
     staff and callers (who asks for details, who says "bear with me" or "you'll get a text", who tells their own
     story) by one logistic model fitted on the dev calls; its log odds
     give the confidence ``MODEL_SLOPE × (|log odds| − MODEL_MIN_LOG_ODDS)``, at most ``MODEL_MAX_CONFIDENCE``
     (alone it decides from ``MODEL_ALONE_LOG_ODDS``; when the voice it names the customer introduces itself from an
     organisation, at most ``MODEL_BUSINESS_CONFIDENCE``: never alone), and it replaces the two (it already counts
     them). A third voice that spoke before the one it names, goes on after the customer's first words and also
     speaks like staff is the call's agent (a transfer);
   * *who gives the details and who takes them* (round 17): the caller reads out identifying details (an account
     number, a postcode, a name spelled out) when asked, and staff speak to the caller by title and surname ("thank
     you, Mr Grant"); the voice that does the first more than the other is the caller, with confidence
     ``DETAILS_CONFIDENCE`` (never alone; beside the role model it decides from log odds 1.45, where tiny.en lost
     the agent's greeting and with it the stock phrases). It is read from whole turns, not from phrases: the digits and
     the spelled letters survive a garbled line better than the words around them;
   * *first speaker*: the recording's metadata says who speaks first (``first_speaker: agent`` for
     inbound lines, ``customer`` for outbound calls); confidence ``FIRST_SPEAKER_CONFIDENCE`` (0.55: never
     enough alone, because an IVR prompt or a one-voice diarization can come first; on the labelled call
     set's dev split, 0.8 decided 6 calls wrongly that 0.55 flags). A recorded prompt heard once at the very start
     (:func:`_opening_prompt`) is skipped: ``agent`` then names the voice after it.

   Evidence for the same speaker adds up (``1 - Π(1 - c)``); evidence for different speakers
   counts against it: confidence = support(best) × (1 − support(runner-up)). Below
   ``MIN_CONFIDENCE``, or whenever two kinds of evidence name different speakers however strong one of them
   (round 11: a decision needs agreement, or one kind strong enough alone), the turns stay ``unknown`` (still split
   where the speaker changes) and the call is flagged for human review: never a silent guess.
3. **The others.** Of the remaining speakers, one whose voice matches another enrolled agent and whose words
   speak like staff against the others (a voice alone is not enough: TTS and real voices of one accent are near), or
   who speaks like an agent (at least two phrases more than customer phrases), is ``agent_2``
   (a transfer, a supervisor); the one who talks most of the rest is the ``customer``; anyone
   else is ``other``.
4. **A voice that may be two people.** A supervisor whose voice is near the agent's or the
   customer's is clustered with them. Each speaker's windows are cut in two by voice
   (:func:`qa_toolkit.transcribe.diarize.second_voice`); when the halves are far enough apart, the
   second half becomes a speaker of its own and steps 2-3 run again. If that makes it ``agent_2``
   (it talks like staff), the split stands. If it decides a call that had one voice, the roles are
   kept and the call is flagged all the same. Otherwise the voice who spoke first keeps its role,
   the later voice stays ``unknown`` and the call is flagged. A second voice with fewer than
   ``SECOND_VOICE_ALONE_WINDOWS`` windows (about 4 s of speech) counts only when a hand-off was announced
   before it: on the labelled dev calls, such small halves were one real agent's voice varying.
   A ``customer`` who talks like staff (at least ``STAFF_PHRASES`` net agent phrases) is flagged too.
5. **A hand-off nobody took.** When the agent announces a hand-off ("I'll transfer you", "let me get my
   supervisor"), the call goes on for ``HANDOFF_MIN_WORDS`` words or more, and still no ``agent_2`` was
   found, the colleague's voice was merged with someone's: the call is flagged (roles kept).

6. **What people say of themselves.** Voices too near for the voice check (a supervisor who sounds like the
   customer, a transfer to a colleague with a near voice, no hand-off phrase left after ASR) still give
   themselves away in words: a voice that introduces itself under two names ("Tom speaking" ... "it's
   Graham"), or answers like staff ("Marcus here", "Dev speaking") after ``INTRO_AFTER_WORDS`` words without
   a name, is flagged (roles kept).
7. **Two people on the customer's side.** A voice labelled ``other`` that joins after the agent and says at
   least ``OTHER_SIDE_SHARE`` of the customer's words (a relative, a friend interpreting) makes the choice of
   the customer (whoever talks most) a guess: the call is flagged (roles kept). A few words from someone in
   the room are not.
8. **A voice on both sides.** An agent's voice that also tells a caller's own story (``AGENT_OWN_STORY``
   own-story lines and a customer stock phrase) may be the customer merged with a staff voice; and a voice that
   answered the call before the staff voice the role model named, and speaks like staff against the customer too,
   may be the real agent. Both calls are flagged (roles kept; round 10, the labelled dev calls LC-D-053 and 064).

Calls under ``MIN_CALL_S`` seconds are not diarized: too little speech to tell voices apart.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from qa_toolkit.transcribe import role_cues
from qa_toolkit.transcribe.backend import Word
from qa_toolkit.transcribe.diarize import Diarization, SpeakerSegment, second_voice, split_speaker
from qa_toolkit.transcribe.turns import union

MIN_CALL_S = 5.0
MIN_CONFIDENCE = 0.6
VOICE_MIN_SIMILARITY = 0.92  # Resemblyzer: the same voice 0.95-0.98 on the dev calls, others up to 0.92
VOICE_FULL_MARGIN = 0.1
FIRST_SPEAKER_CONFIDENCE = 0.55  # below MIN_CONFIDENCE: the metadata alone never decides (an IVR may speak first)
FIRST_SPEAKER_TWO_VOICES = 0.55  # round 11: never alone, even with two voices (alone it decided 1 of 4 dev calls wrongly)
MAX_WORDS_PER_CHANGE = 30.0  # more words per speaker change than this: voices merged (dev: right calls <= 24.4)
MIN_TURN_WORDS = 60  # ... counted on calls with at least this many words
MAX_UNHEARD = 0.2  # share of words outside any diarized speech above this: the voices were not heard (dev: <= 0.09)
MAX_VOICES = 3  # more voices than this on a service call: the speaker count is not to be trusted
STAFF_PHRASES = 2  # net agent phrases that make a second speaker agent-side staff
REVIEW_TAG = "review-speakers"

_AGENT_PHRASES = [
    r"thanks? (you )?for (calling|contacting|holding|waiting|your patience)", r"\bhow (can|may) i (help|assist)",
    r"\bwhat can i do for you", r"\bmy name is\b", r"\byou're through to\b|\byou are through to\b",
    r"\byou've reached\b|\byou have reached\b", r"\b\w+ speaking\b", r"\bwelcome to\b", r"\bcalling from\b",
    r"\bcalls? (may|will|is going to) be recorded", r"\bcan you (please )?(confirm|verify|tell me|read me)",
    r"\bcould you (please )?(confirm|verify|read me)", r"\bfor (security|verification)\b",
    r"\bverify your\b", r"\banything else\b", r"\bplease hold\b|\bone moment\b|\bbear with me\b",
    r"\bi('ll| will) (transfer|put you through|bring|pass you)", r"\bi('ve| have) (refunded|issued|updated|booked|"
    r"sent|opened|credited|reviewed|applied|added|cancelled|reset|raised|arranged|approved|removed|waived|gone through)",
    # a supervisor or second agent joining (tuned on bench/diarization/dev and the labelled calls' dev split)
    r"\b(thanks?|thank you|cheers) for (staying|hanging) on\b", r"\bi (lead|manage|run|supervise) (the|this|our)\b",
    r"\b(duty|shift|team|floor) (manager|supervisor|leader|lead)\b", r"\b(filled me in|passed me|told me about)\b",
    r"\bwe('ll| will) (refund|send|call|arrange|cover|credit|reimburse)\b",
    r"\bhave a (good|great|nice|lovely) (day|evening|afternoon|weekend)", r"\bsorry to hear\b",
    r"\bi('m| am) (so )?sorry (about|for)\b", r"\bthis is \w+ (in|from)\b", r"\b(got|have) your details\b",
    r"\b(taking|take) over\b", r"\b(team|department|accounts|claims) (supervisor|team|manager)\b",
    r"\bi('ll| will) (correct|send|arrange|refund|remove|book|credit|check|look into|open)\b",
    r"\byou('ll| will) (get|receive|be able)\b", r"\blet me (check|take|look|see|bring)\b", r"\bgo ahead\b", r"\bi understand\b", r"\byour (new )?(card|refund|account|claim|"
    r"order|bill|payment|parcel) (will|has|is)\b", r"\bglad i could help\b", r"\byou're welcome\b",
]
_CUSTOMER_PHRASES = [
    r"\bmy (account|card|bill|order|parcel|password|phone|internet|car|policy|loan|meter|payment|refund)\b",
    r"\bi (was|have been|got|'ve been) (charged|billed)", r"\bi('d| would) like\b", r"\bi (want|need) to\b",
    r"\bi (lost|forgot|can't|cannot|never)\b", r"\b(speak|talk) to (a|your) (manager|supervisor)",
    r"\bthank you so much\b|\bthanks very much\b|\bthat's all\b|\bthat's everything\b",
    r"\bis there (no|any) way\b", r"\bwill (it|they) be\b", r"\bi('m| am) locked out\b",
]
# the agent announces that someone else will speak: a transfer, a supervisor or a colleague joining
_HANDOFF_PHRASES = [
    r"\b(transfer|transferring|put|putting|pass|passing|send|sending|connect|connecting|move|moving) you "
    r"(over|through|across|to)\b", r"\bi('ll| will|'m going to| am going to) transfer\b",
    r"\b(get|getting|fetch|fetching|bring|bringing|ask|asking|call|calling|grab|grabbing) (in )?(my|the|a|our) "
    r"(\w+ )?(manager|supervisor|team ?leader|team lead|colleague)\b", r"\b(i'll|i will|let me) bring (him|her|them) (in|on)\b",
    r"\bjoin (us|the call|the line)\b", r"\bsomeone (more )?senior (will|is going to|can)\b",
]
# what recorded prompts say, not agents (an IVR before the agent)
_PROMPT_RE = re.compile(r"\bpress (?:one|two|three|\d)\b|\bin the queue\b|\bnumber \w+ in line\b|\bconnecting you\b|"
                        r"\bwhile we (?:find|connect|transfer)\b|\byour call is important\b|\bcontinue to hold\b")
_NOTICE_RE = re.compile(r"\b(?:may|will) be (?:monitored|recorded)\b")  # prompts say it, and agents too
# what an opening prompt says that agents say too: it marks a prompt only in a voice heard once, at the very start
_OPENING_PROMPT_RE = re.compile(r"\bplease hold\b|\bhold for\b|\brecord(?:ed|ings?)\b|\bwelcome to\b|\bnext (?:free |"
                                r"available )?(?:advisor|adviser|agent|colleague)\b")
SECOND_VOICE_ALONE_WINDOWS = 8  # a smaller second voice counts only after a hand-off was announced
SAME_BREATH_S = 0.5  # the halves of a split voice that pass the word to each other with a shorter pause ...
SAME_BREATH_SWITCHES = 2  # ... this often, with no hand-off announced, are one person's voice varying
HANDOFF_MIN_WORDS = 10  # words said after the announcement: the call goes on with whoever was announced
# someone naming themselves (Whisper writes names capitalised): "Tom speaking", "Hi, Marcus here" are the way staff
# answer a call; "it's Graham", "this is Dana", "my name is Sam" anyone's
_STAFF_INTRO_RE = [re.compile(r"\b([A-Z][a-z]+) speaking\b"), re.compile(r"(?:^|[,.!?] )([A-Z][a-z]+) here\b")]
_INTRO_RE = [*_STAFF_INTRO_RE, re.compile(r"\b(?:[Ii]t's|[Ii]t is|[Tt]his is|[Mm]y name is|[Yy]ou're speaking (?:to|with)|"
                                          r"[Yy]ou've got) ([A-Z][a-z]+)\b")]
_NOT_NAMES = {"I", "It", "This", "That", "The", "Who", "Yes", "No", "Okay", "Hello", "Hi", "Sorry", "Thanks", "Just",
              "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
              "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
              # words Whisper writes before "here" that are no name ("About here", "Over here", "Come here")
              "About", "Over", "Right", "Come", "Out", "Down", "Up", "Back", "From", "Get", "Stay", "Wait", "Around"}
# naming oneself as staff do, not as a company can ("This is Castle Broadband", "You've got Northwind")
_SELF_NAMED_RE = [*_STAFF_INTRO_RE, re.compile(r"\b(?:[Mm]y name is|[Yy]ou're speaking (?:to|with)) ([A-Z][a-z]+)\b"),
                  # "Northwind Bank, this is Daniel." (one name after a comma, the sentence ends): a person, where
                  # "This is Castle Broadband" opens with a company of two words
                  re.compile(r"\w, (?:[Tt]his is|[Yy]ou've got) ([A-Z][a-z]+)(?=[,.!?]|$)")]
# a recording notice the voice runs on from, within this pause, into its own question to the caller or its name
# ("This call may be recorded. How can I help?") is theirs: a recorded prompt stops and the agent picks up after it
# (dev, tiny.en word times: one person's sentence pause 0.70 s on the sample call_05, 1.00 s on n_named_notice_angry;
# a prompt then the agent in a near voice 1.04 s and 1.22 s, n_prompt_before_name_near and LC-D-151: a thin margin)
NOTICE_RUN_ON_S = 0.8
_OWN_OPENING_RE = re.compile(r"\bhow (?:can|may) i (?:help|assist)\b|\bwhat can i do for you\b")
INTRO_AFTER_WORDS = 8  # "Marcus here" from a voice that said this many words without a name: someone new
OTHER_SIDE_SHARE = 0.3  # a second customer-side voice with this share of the customer's words: which is the customer?
OTHER_SIDE_MIN_WORDS = 5
# someone speaks for the customer (round 17): "I'm calling for my dad", "you can talk to my son", "your mum's okay to
# talk to you". With no ``other`` voice found, the relative and the customer share one voice: who is the customer?
_RELATIVE = (r"(?:dad|father|mum|mom|mother|husband|wife|partner|son|daughter|gran|grandma|grandad|granddad|nan|"
             r"brother|sister|aunt|uncle)")
_SPEAKS_FOR_RE = re.compile(
    rf"\b(?:calling|ringing|phoning|speaking) (?:for|on behalf of) my {_RELATIVE}\b"
    rf"|\byou can (?:talk|speak) to my {_RELATIVE}\b"
    rf"|\b(?:your|his|her) {_RELATIVE}(?:'s| is) (?:okay|ok|permission|consent|authority)\b")
# who speaks to whom: the agent says "you" to the caller, the caller "I" and "my" (round 7, dev calls)
_SECOND_PERSON = {"you", "your", "you're", "you'll", "you've", "you'd", "yours", "yourself"}
_FIRST_PERSON = {"i", "my", "me", "i'm", "i've", "i'd", "i'll", "mine", "myself"}
_TOKEN_RE = re.compile(r"[a-z]+(?:'[a-z]+)?")
_CLAUSE_RE = re.compile(r"[.,;:!?]+")
ADDRESS_MIN_WORDS = 15  # each of the two main speakers says at least this many words
ADDRESS_MIN_Z = 0.75  # below this z the pronouns say nothing (dev: 12 right, 12 wrong)
ADDRESS_SLOPE = 1.0
ADDRESS_MAX_CONFIDENCE = 0.7  # alone it decides from z 1.35 (dev: none wrong from z 1.2)
MODEL_MIN_WORDS = 8  # the role model reads the two main speakers when each says at least this many words
# the role model's log odds below MODEL_MIN_LOG_ODDS say nothing; from there the confidence grows by MODEL_SLOPE per
# unit, so that alone it decides from MODEL_ALONE_LOG_ODDS (round 11: on the labelled dev mono calls the words alone
# named the wrong voice at 1.6, LC-D-087, where round 9 let them decide from 1.0); below it needs the metadata or a voice
MODEL_MIN_LOG_ODDS = 1.0
MODEL_ALONE_LOG_ODDS = 2.0
MODEL_SLOPE = MIN_CONFIDENCE / (MODEL_ALONE_LOG_ODDS - MODEL_MIN_LOG_ODDS)
MODEL_MAX_CONFIDENCE = 0.9
MODEL_STAFF_LOG_ODDS = 1.0  # a third voice this far on the staff side against the customer is staff (agent_2)
# the voice the model names the customer introduces themselves from an organisation ("this is Rosa from Fenwick Hire",
# "it's Mei returning your call", "calling on behalf of the practice"): on business-to-business and outbound calls
# both voices talk like staff, and on the labelled dev calls the words named the wrong one at log odds up to 4.7
# (LC-D-087, 091). The words then only count beside the metadata or an enrolled voice, never alone.
MODEL_BUSINESS_CONFIDENCE = 0.3
# round 17: when the pronouns alone name the other voice (z ADDRESS_MIN_Z or more against the model's pick) under these
# log odds, the words disagree among themselves and count as a caller from an organisation's do: never alone, and who
# gives the details is not counted beside them (dev: LC-D-087, an outbound callback decided wrongly at 2.4 with z 0.9
# against; LC-D-176, 1.4 with z 1.5 against; a right decision with the pronouns against sat at 4.3, d3_two_voices_only)
MODEL_SURE_LOG_ODDS = 3.0
# who reads out identifying details (round 17): the caller gives the account number, the postcode, a name spelled out
# when asked; a voice that gives DETAILS_MARGIN more such turns than the other main voice is named the customer, and
# the other voice the agent, with DETAILS_CONFIDENCE: never alone (it is no proof: agents read out references too), but
# beside the role model's words under MODEL_ALONE_LOG_ODDS, or the metadata, it decides (dev: bench/diarization README)
DETAILS_MARGIN = 1
DETAILS_CONFIDENCE = 0.45
_ORGANISATION_INTRO_RE = re.compile(
    r"\b(?:this is|it's|it is|my name is) [a-z]+ (?:from|at|with) [a-z]+|\bcalling (?:from|on behalf of)\b|"
    r"\bringing (?:from|about (?:our|the|your))\b|\breturning your call\b|\bcalling you back\b")
AGENT_OWN_STORY = 2  # own-story lines (with a customer phrase) that make an agent's voice a possible merge
_AGENT_RE = [re.compile(p) for p in _AGENT_PHRASES]
_HANDOFF_RE = [re.compile(p) for p in _HANDOFF_PHRASES]
_CUSTOMER_RE = [re.compile(p) for p in _CUSTOMER_PHRASES]

Role = Literal["agent", "customer", "agent_2", "other", "unknown"]


@dataclass
class SpeakerHints:
    """What is known besides the audio: the call's agent's enrolled voice, other agents' voices, who speaks first."""

    agent_voice: np.ndarray | None = None
    other_agent_voices: dict[str, np.ndarray] = field(default_factory=dict)
    first_speaker: Literal["agent", "customer"] | None = None


@dataclass
class Attribution:
    """Which role each diarized speaker has, how sure, and why.

    Attributes:
        roles: diarized speaker → role (``unknown`` for every speaker when not confident).
        confidence: how sure the agent choice is (0–1).
        evidence: one line per piece of evidence, for people.
        needs_review: the roles could not be decided: a person should listen.
        reason: why it needs review (or why there was no diarization).
    """

    roles: dict[int, str]
    confidence: float
    evidence: list[str] = field(default_factory=list)
    needs_review: bool = False
    reason: str | None = None
    speakers: int = 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for the interaction's metadata."""
        return {"speakers": self.speakers, "roles": {str(k): v for k, v in self.roles.items()},
                "confidence": round(self.confidence, 3), "evidence": self.evidence,
                "needs_review": self.needs_review, **({"reason": self.reason} if self.reason else {})}


def words_to_speakers(words: list[Word], diarization: Diarization) -> list[int | None]:
    """The diarized speaker of each word (None when no speech segment is near it)."""
    out: list[int | None] = []
    for speaker in diarization.speakers_at([(word.start, word.end) for word in words]):
        out.append(speaker if speaker is not None else (out[-1] if out else None))
    return out


def phrase_counts(text: str) -> tuple[int, int]:
    """(agent phrases, customer phrases) found in ``text``."""
    lowered = text.lower().replace("’", "'")
    return sum(1 for p in _AGENT_RE if p.search(lowered)), sum(1 for p in _CUSTOMER_RE if p.search(lowered))


def address_counts(text: str) -> tuple[int, int]:
    """(second-person words, first-person singular words) in ``text``: "you", "your" ... against "I", "my" ...,
    each clause counted once (Whisper can loop on one phrase, "I know. I know. I know.", over music or noise)."""
    clauses = {" ".join(_TOKEN_RE.findall(c)) for c in _CLAUSE_RE.split(text.lower().replace("’", "'"))}
    tokens = [t for clause in clauses for t in clause.split()]
    return sum(t in _SECOND_PERSON for t in tokens), sum(t in _FIRST_PERSON for t in tokens)


def address_evidence(text: dict[int, str], speakers: list[int]) -> tuple[int, int, float, float] | None:
    """Which of the two speakers who say most is the agent by how they speak: the agent talks to the caller
    ("can you confirm your ...", "you'll get ..."), the customer about themselves ("I was", "my card").

    The log odds ratio of second- to first-person words between the two, over its standard error (a z score,
    0.5 added to each count), says how sure; the confidence is ``ADDRESS_SLOPE * (|z| - ADDRESS_MIN_Z)``, at most
    ``ADDRESS_MAX_CONFIDENCE`` (calibrated on the dev calls, see the module docstring). Returns (the agent's
    speaker, the other, z, confidence), or None when either says under ``ADDRESS_MIN_WORDS`` words.
    """
    talk = sorted(speakers, key=lambda k: (-len(text[k].split()), speakers.index(k)))[:2]
    if len(talk) < 2 or min(len(text[k].split()) for k in talk) < ADDRESS_MIN_WORDS:
        return None
    z = address_z(text[talk[0]], text[talk[1]])
    lead, other = (talk[0], talk[1]) if z >= 0 else (talk[1], talk[0])
    conf = min(ADDRESS_MAX_CONFIDENCE, max(0.0, ADDRESS_SLOPE * (abs(z) - ADDRESS_MIN_Z)))
    return lead, other, abs(z), conf


def address_z(a: str, b: str) -> float:
    """The z score of the log odds ratio of second- to first-person words, A's against B's (positive: A says "you"
    more and "I" less than B), 0.5 added to each count."""
    (ya, ia), (yb, ib) = address_counts(a), address_counts(b)
    lor = math.log((ya + 0.5) * (ib + 0.5) / ((ia + 0.5) * (yb + 0.5)))
    return lor / math.sqrt(1 / (ya + 0.5) + 1 / (ia + 0.5) + 1 / (yb + 0.5) + 1 / (ib + 0.5))


def role_inputs(words: list[Word], owners: list[int | None]) -> tuple[int, int, dict[str, float]] | None:
    """The two speakers who say most (A, B, A first among equals) and the role model's inputs for "A is the
    agent" (:func:`qa_toolkit.transcribe.role_cues.differences`); None when either says under
    ``MODEL_MIN_WORDS`` words."""
    said: dict[int, list[str]] = {}
    for word, owner in zip(words, owners, strict=True):
        if owner is not None:
            said.setdefault(owner, []).append(word.word.strip())
    speakers = sorted(said, key=lambda k: owners.index(k))
    size = {k: _size(" ".join(said[k])) for k in speakers}
    talk = sorted(speakers, key=lambda k: (-size[k], speakers.index(k)))[:2]
    if len(talk) < 2 or min(size[k] for k in talk) < MODEL_MIN_WORDS:
        return None
    a, b = talk
    return a, b, pair_inputs(" ".join(said[a]), " ".join(said[b]))


def pair_inputs(a: str, b: str) -> dict[str, float]:
    """The role model's inputs for "the speaker of ``a`` is the agent, the speaker of ``b`` the customer"."""
    (pa, ca), (pb, cb) = phrase_counts(a), phrase_counts(b)
    return role_cues.differences(role_cues.cues(a), role_cues.cues(b), phrases=(pa - ca) - (pb - cb),
                                 address=address_z(a, b))


@dataclass(frozen=True)
class _ModelPick:
    """The role model's choice: the agent, the customer, the confidence, the evidence line, and a doubt (a reason
    to flag the call, roles kept) or None."""

    agent: int
    customer: int
    confidence: float
    line: str
    doubt: str | None = None
    not_alone: bool = False  # a caller from an organisation, or the pronouns against the pick: never alone


def _model_pick(words: list[Word], owners: list[int | None], said: dict[int, list[str]],
                speakers: list[int]) -> _ModelPick | None:
    """The role model's choice of agent (:mod:`qa_toolkit.transcribe.role_cues`), or None when fewer than two
    speakers say ``MODEL_MIN_WORDS`` words.

    Between two such speakers the model names the agent. With three or more, the customer is the one the model
    finds most caller-like against the others, and the agent the first voice that speaks like staff against them
    (log odds ``MODEL_STAFF_LOG_ODDS`` or more, and a staff cue of its own) and is no recorded prompt; a later one
    is ``agent_2`` (a transfer, a supervisor). The confidence is the agent's against the customer. A doubt: a voice
    that answered the call before the one named (it speaks before the customer's first words and again after) is
    on the staff side against the customer too, with no staff cue of its own left after ASR (on the labelled dev
    calls, LC-D-064: "Stay in the line" for "stay on the line", and its team lead named the agent).
    """
    texts = {k: " ".join(said[k]) for k in speakers}
    eligible = [k for k in speakers if _size(texts[k]) >= MODEL_MIN_WORDS]
    if len(eligible) < 2:
        return None
    doubt = None
    if len(eligible) == 2:
        a, b = eligible
        log_odds = role_cues.agent_log_odds(pair_inputs(texts[a], texts[b]))
        lead, customer = (a, b) if log_odds >= 0 else (b, a)
    else:
        odds = {(k, j): role_cues.agent_log_odds(pair_inputs(texts[k], texts[j])) for k in eligible for j in eligible
                if k != j}
        customer = min(eligible, key=lambda k: (sum(odds[k, j] for j in eligible if j != k), eligible.index(k)))
        staff = [k for k in eligible if k != customer and odds[k, customer] >= MODEL_STAFF_LOG_ODDS
                 and _says_staff_things(texts[k])]
        staff = [k for k in staff if not _prompt_like(k, customer, staff, texts[k], owners)]
        lead = staff[0] if staff else max((k for k in eligible if k != customer), key=lambda k: odds[k, customer])
        log_odds = odds[lead, customer]
        answered = [k for k in eligible if k not in (lead, customer) and owners.index(k) < owners.index(lead)
                    and owners.index(k) < owners.index(customer) and _speaks_after(k, customer, owners)
                    and odds[k, customer] >= MODEL_STAFF_LOG_ODDS]
        if answered:
            doubt = (f"speaker {answered[0]} answered the call before the agent named (speaker {lead}) and speaks "
                     f"like staff against the customer too (log odds {odds[answered[0], customer]:.1f}): which of "
                     f"them is the call's agent?")
    inputs = pair_inputs(texts[lead], texts[customer])
    conf = min(MODEL_MAX_CONFIDENCE, max(0.0, MODEL_SLOPE * (abs(log_odds) - MODEL_MIN_LOG_ODDS)))
    shown = ", ".join(f"{name} {value:+.1f}" for name, value in inputs.items() if value)
    line = (f"words: speaker {lead} speaks like the agent, speaker {customer} like the customer (role model log odds "
            f"{abs(log_odds):.1f}; {shown or 'no cue'}) → {conf:.2f}")
    named = _ORGANISATION_INTRO_RE.search(texts[customer].lower().replace("’", "'"))
    if named and conf > MODEL_BUSINESS_CONFIDENCE:
        conf = MODEL_BUSINESS_CONFIDENCE
        line += (f"; but speaker {customer} introduces themselves from an organisation ('{named.group(0)}'): staff of "
                 f"another business, or the agent of an outbound call? → {conf:.2f}, not enough alone")
    against = -inputs["address"]  # the pronouns' z for the voice named the customer being the agent
    pronouns = not named and against >= ADDRESS_MIN_Z and abs(log_odds) < MODEL_SURE_LOG_ODDS
    if pronouns and conf > MODEL_BUSINESS_CONFIDENCE:
        conf = MODEL_BUSINESS_CONFIDENCE
        line += (f"; but the pronouns name the other voice (speaker {customer} says 'you' more and 'I' less, z "
                 f"{against:.1f}): the words disagree among themselves → {conf:.2f}, not enough alone")
    return _ModelPick(lead, customer, conf, line, doubt, not_alone=bool(named) or pronouns)


def model_lean(words: list[Word], diarization: Diarization) -> _ModelPick | None:
    """The role model's choice of agent, however weak, and its doubts (None: fewer than two voices say enough
    words)."""
    owners = words_to_speakers(words, diarization)
    said: dict[int, list[str]] = {}
    for word, owner in zip(words, owners, strict=True):
        if owner is not None:
            said.setdefault(owner, []).append(word.word.strip())
    return _model_pick(words, owners, said, sorted(said, key=owners.index))


def _details_pick(words: list[Word], owners: list[int | None], text: dict[int, str],
                  model: _ModelPick | None) -> tuple[int, float, str] | None:
    """Who gives the details and who takes them, turn by turn, among the voices of ``MODEL_MIN_WORDS`` words or more:
    the caller reads out identifying details (:func:`qa_toolkit.transcribe.role_cues.gives_detail`: an account
    number, a postcode, a name spelled out) and staff speak to the caller by title and surname
    (:func:`~qa_toolkit.transcribe.role_cues.addresses_formally`). Each voice scores its detail turns minus its formal
    ones; the voice that scores ``DETAILS_MARGIN`` more than every other is the caller, and the agent is the other
    voice (with two), or the role model's agent when the model names the same caller (with three or more; when the
    model names that caller the agent, the first other voice, so that the two disagree). Returns (the agent named, the
    confidence ``DETAILS_CONFIDENCE``, the evidence line), or None."""
    eligible = [k for k in text if _size(text[k]) >= MODEL_MIN_WORDS]
    if len(eligible) < 2:
        return None
    details = {k: 0 for k in eligible}
    formal = {k: 0 for k in eligible}
    for owner, turn in _turns(words, owners):
        if owner in details:
            details[owner] += role_cues.gives_detail(turn)
            formal[owner] += role_cues.addresses_formally(turn)
    score = {k: details[k] - formal[k] for k in eligible}
    caller = max(eligible, key=lambda k: (score[k], -eligible.index(k)))
    if score[caller] - max(score[k] for k in eligible if k != caller) < DETAILS_MARGIN:
        return None
    others = [k for k in eligible if k != caller]
    if len(others) == 1:
        agent = others[0]
    elif model is not None and model.customer == caller:
        agent = model.agent
    elif model is not None and model.agent == caller:
        agent = others[0]
    else:
        return None
    shown = "; ".join(f"speaker {k}: {details[k]} detail, {formal[k]} formal" for k in eligible)
    return agent, DETAILS_CONFIDENCE, (f"words: speaker {caller} gives the details, speaker {agent} takes them (turns "
                                       f"reading out a number, a postcode or a spelled name, or saying 'Mr ...' to "
                                       f"someone: {shown}) → {DETAILS_CONFIDENCE:.2f}")


def _size(text: str) -> int:
    """Words in ``text``, each distinct clause once."""
    return sum(len(c.split()) for c in role_cues.clauses(text))


def _prompt_like(speaker: int, customer: int, staff: list[int], text: str, owners: list[int | None]) -> bool:
    """Whether a staff-like voice is a recorded prompt, not the agent: what it says before the customer's first words
    is what prompts say ("press one", "connecting you") and another staff voice is there (a prompt merged with a
    colleague's voice); or it speaks only before the customer's first words, and says such a thing or a recording
    notice, or another staff voice greets the customer before them too and goes on after."""
    first = owners.index(customer)
    opening = " ".join(text.split()[:sum(1 for o in owners[:first] if o == speaker)]).lower()
    if _PROMPT_RE.search(opening) and len(staff) > 1:
        return True
    if _speaks_after(speaker, customer, owners):
        return False
    return bool(_PROMPT_RE.search(opening) or _NOTICE_RE.search(opening)) or any(
        k != speaker and owners.index(k) < first and _speaks_after(k, customer, owners) for k in staff)


def _opening_prompt(speaker: int, owners: list[int | None], text: str) -> bool:
    """Whether ``speaker`` is a recorded prompt that opens the call: all its words are one run at the very start, and
    it says what prompts say ("connecting you", "please hold for an advisor", "calls are recorded"). The line's
    ``first_speaker: agent`` then means the voice after it (on the labelled dev calls, LC-D-051 and 057)."""
    said = [o for o in owners if o is not None]
    run = next((i for i, o in enumerate(said) if o != speaker), len(said))
    return (bool(said) and said[0] == speaker and speaker not in said[run:]
            and bool(_PROMPT_RE.search(text.lower()) or _NOTICE_RE.search(text.lower())
                     or _OPENING_PROMPT_RE.search(text.lower())))


def _speaks_after(speaker: int, customer: int, owners: list[int | None]) -> bool:
    """Whether ``speaker`` says a word after the customer's first (an IVR prompt speaks only before)."""
    return any(o == speaker for o in owners[owners.index(customer):])


def _staff_against(speaker: int, customer: int, said: dict[int, list[str]], owners: list[int | None]) -> bool:
    """Whether ``speaker`` says ``MODEL_MIN_WORDS`` words or more in two turns or more (one stray turn is more often
    a piece of someone's voice than a colleague), speaks after the customer's first words, says
    something staff say and speaks like staff against the customer by the role model (log odds
    ``MODEL_STAFF_LOG_ODDS`` or more)."""
    text = " ".join(said[speaker])
    turns = sum(1 for a, b in zip([None, *owners], owners, strict=False) if b == speaker and a != speaker)
    return (_size(text) >= MODEL_MIN_WORDS and turns >= 2 and _speaks_after(speaker, customer, owners)
            and _says_staff_things(text)
            and role_cues.agent_log_odds(pair_inputs(text, " ".join(said[customer]))) >= MODEL_STAFF_LOG_ODDS)


def _says_staff_things(text: str) -> bool:
    """Whether ``text`` holds a staff cue of its own (net stock phrases, a request for a detail or a service line):
    a voice that only sounds less like a caller than the customer (a relative) is not staff."""
    agent, customer = phrase_counts(text)
    cues = role_cues.cues(text)
    return agent - customer + cues.asks + cues.service >= 1


def _support(picks: list[tuple[int, float]]) -> dict[int, float]:
    missing: dict[int, float] = {}
    for speaker, conf in picks:
        missing[speaker] = missing.get(speaker, 1.0) * (1.0 - conf)
    return {speaker: 1.0 - m for speaker, m in missing.items()}


def assign_roles(words: list[Word], owners: list[int | None], diarization: Diarization,
                 hints: SpeakerHints | None = None, *, use_model: bool = True) -> Attribution:
    """Decide the role of each diarized speaker who said any word (see the module docstring).

    ``use_model`` False: the stock phrases and pronouns each on their own, not the role model (for a voice split off
    another by :func:`attribute`: on dev such a split was as often one agent's voice varying, and the role model made
    the half that talks like staff ``agent_2``)."""
    hints = hints or SpeakerHints()
    said: dict[int, list[str]] = {}
    for word, owner in zip(words, owners, strict=True):
        if owner is not None:
            said.setdefault(owner, []).append(word.word.strip())
    speakers = sorted(said, key=lambda k: owners.index(k))
    if not speakers:
        return Attribution({}, 0.0, needs_review=True,
                           reason="no words to attribute: no speech found (music, noise or silence only)")
    text = {k: " ".join(said[k]) for k in speakers}
    counts = {k: phrase_counts(text[k]) for k in speakers}
    net = {k: counts[k][0] - counts[k][1] for k in speakers}
    picks: list[tuple[int, float]] = []
    evidence: list[str] = []

    voice_sim: dict[int, float] = {}
    if hints.agent_voice is not None:
        voice_sim = {k: float(np.dot(hints.agent_voice, diarization.voices[k])) for k in speakers
                     if k in diarization.voices}
        if voice_sim:
            best = max(voice_sim, key=lambda k: voice_sim[k])
            others = [v for k, v in voice_sim.items() if k != best]
            margin = voice_sim[best] - max(others) if others else voice_sim[best] - VOICE_MIN_SIMILARITY
            conf = min(1.0, max(0.0, margin) / VOICE_FULL_MARGIN) if voice_sim[best] >= VOICE_MIN_SIMILARITY else 0.0
            evidence.append(f"voice: speaker {best} matches the enrolled agent voice (similarity "
                            f"{voice_sim[best]:.2f}, margin {margin:.2f}) → {conf:.2f}")
            if conf > 0:
                picks.append((best, conf))

    model = _model_pick(words, owners, said, speakers) if use_model else None
    model_customer: int | None = None
    if model is not None:
        model_customer = model.customer
        evidence.append(model.line)
        if model.confidence > 0:
            picks.append((model.agent, model.confidence))
    else:  # too few words for the model: stock phrases and pronouns, each on its own
        staff_like = [k for k in speakers if net[k] >= STAFF_PHRASES]
        if len(staff_like) >= 2:  # a transfer or a supervisor: the call's agent is the first of them to speak
            lead = staff_like[0]
            rest_net = [net[k] for k in speakers if k not in staff_like]
            margin = net[lead] - (max(rest_net) if rest_net else 0)
        else:
            ranked = sorted(speakers, key=lambda k: (-net[k], speakers.index(k)))
            lead = ranked[0]
            margin = net[lead] - (net[ranked[1]] if len(ranked) > 1 else 0)
        if margin > 0:
            conf = 1.0 - 0.5 ** margin
            picks.append((lead, conf))
            evidence.append(f"words: speaker {lead} uses {counts[lead][0]} agent and {counts[lead][1]} customer "
                            f"phrase(s), {margin} more than the customer side → {conf:.2f}")
        else:
            evidence.append("words: no speaker uses clearly more agent phrases than the others")

        address = address_evidence(text, speakers)
        if address is not None:
            lead, other, z, conf = address
            evidence.append(f"words: speaker {lead} says 'you' more and 'I' less than speaker {other} "
                            f"(z {z:.1f}) → {conf:.2f}")
            if conf > 0:
                picks.append((lead, conf))

    details = _details_pick(words, owners, text, model)
    if details is not None and model is not None and model.not_alone:  # the words together never decide such a call
        evidence.append(f"{details[2]}: not counted, the words already disagree or the caller is from an organisation "
                        f"(who reads out references too)")
    elif details is not None:
        lead, conf, line = details
        evidence.append(line)
        picks.append((lead, conf))

    if hints.first_speaker:
        first = speakers[0]
        hint = FIRST_SPEAKER_TWO_VOICES if len(speakers) == 2 else FIRST_SPEAKER_CONFIDENCE
        if hints.first_speaker == "agent" and len(speakers) > 1 and _opening_prompt(first, owners, text[first]):
            evidence.append(f"metadata: the agent speaks first, but speaker {first} is a recorded prompt (one opening "
                            f"turn, prompt words): the agent is the next voice, speaker {speakers[1]}")
            first = speakers[1]
        if hints.first_speaker == "agent":
            picks.append((first, hint))
            evidence.append(f"metadata: the agent speaks first (speaker {first}, {len(speakers)} voice(s)) → {hint:.2f}")
        elif len(speakers) == 2:
            picks.append((speakers[1], hint))
            evidence.append(f"metadata: the customer speaks first, so the agent is speaker {speakers[1]} → {hint:.2f}")

    if len(speakers) == 1 and counts[speakers[0]][0] and counts[speakers[0]][1]:
        evidence.append(f"one voice found, but its words sound like both sides ({counts[speakers[0]][0]} agent, "
                        f"{counts[speakers[0]][1]} customer phrase(s))")
        return _undecided(speakers, 0.0, evidence, "one voice found, but the words sound like both agent and customer")
    support = _support(picks)
    if not support:
        return _undecided(speakers, 0.0, evidence, "no evidence of which speaker is the agent" + (
            ": one voice found (a voicemail, one side of the line, or both sides in one voice)" if len(speakers) == 1
            else ""))
    order = sorted(support, key=lambda k: -support[k])
    agent = order[0]
    confidence = support[agent] * (1.0 - (support[order[1]] if len(order) > 1 else 0.0))
    if len(order) > 1:  # a decision needs the evidence to agree: however strong one kind, another names someone else
        return _undecided(speakers, confidence, evidence,
                          f"the evidence disagrees: speaker {agent} ({support[agent]:.2f}) against speaker {order[1]} "
                          f"({support[order[1]]:.2f})")
    if confidence < MIN_CONFIDENCE:
        return _undecided(speakers, confidence, evidence,
                          f"the agent could not be told apart with confidence ({confidence:.2f} < {MIN_CONFIDENCE})" + (
                              ": one voice found (a voicemail, one side of the line, or both sides in one voice)"
                              if len(speakers) == 1 else ""))

    roles: dict[int, str] = {agent: "agent"}
    rest = [k for k in speakers if k != agent]
    staff = set()
    for k in rest:
        matches = [name for name, voice in hints.other_agent_voices.items()
                   if k in diarization.voices and float(np.dot(voice, diarization.voices[k])) >= VOICE_MIN_SIMILARITY]
        talker = max((j for j in rest if j != k), key=lambda j: len(said[j]), default=None)
        if matches and talker is not None and not _staff_against(k, talker, said, owners):
            evidence.append(f"voice: speaker {k} sounds like agent {matches[0]}, but does not talk like staff against "
                            f"speaker {talker}: not agent_2 by voice alone")
        elif matches:
            staff.add(k)
            evidence.append(f"voice: speaker {k} sounds like agent {matches[0]} → agent_2")
        elif (model_customer is not None and k != model_customer
              and _staff_against(k, model_customer, said, owners)):
            staff.add(k)
            evidence.append(f"words: speaker {k} also speaks like staff against the customer (speaker "
                            f"{model_customer}), after the customer's first words → agent_2")
        elif (net[k] >= STAFF_PHRASES and len(rest) > 1
              and (model_customer is None or _speaks_after(k, model_customer, owners))):  # a prompt speaks only before
            staff.add(k)
            evidence.append(f"words: speaker {k} also speaks like an agent ({counts[k][0]} agent phrases) → agent_2")
    talk = {k: len(said[k]) for k in rest}
    customers = sorted((k for k in rest if k not in staff), key=lambda k: -talk[k])
    if not customers and rest:  # everyone sounds like staff: the one who talks least like an agent is the customer
        customers = [min(rest, key=lambda k: (net[k], -talk[k]))]
        staff.discard(customers[0])
    for k in rest:
        roles[k] = "agent_2" if k in staff else ("customer" if customers and k == customers[0] else "other")
    attribution = Attribution(roles, confidence, evidence, speakers=len(speakers))
    if model is not None and model.doubt and model.agent == agent:
        _flag(attribution, "words", [model.doubt])
    return attribution


def _undecided(speakers: list[int], confidence: float, evidence: list[str], reason: str) -> Attribution:
    return Attribution({k: "unknown" for k in speakers}, confidence, evidence, needs_review=True, reason=reason,
                       speakers=len(speakers))


def attribute(words: list[Word], diarization: Diarization,
              hints: SpeakerHints | None = None) -> tuple[dict[str, list[Word]], Attribution]:
    """Words grouped by role (``unknown`` speakers keep apart as ``unknown#N``) and the attribution.

    Before the words are grouped, each speaker whose voice may be two people (a supervisor or a
    relative merged with someone, see :func:`qa_toolkit.transcribe.diarize.second_voice`) is split in
    two. When the second voice speaks like staff (``agent_2``), that is the answer; when the split turns
    a one-voice call into agent and customer, those roles are kept but the call is still flagged (one
    voice split in two can be one person). Otherwise the voice who spoke first keeps its role,
    the second voice's words stay ``unknown`` and the call is flagged for review; so is a call whose
    customer talks like staff (a supervisor in the customer's voice): that speaker becomes ``unknown``.
    """
    owners = words_to_speakers(words, diarization)
    attribution = assign_roles(words, owners, diarization, hints)
    for speaker in [k for k in diarization.speakers if k in attribution.roles]:
        split = second_voice(diarization, speaker)
        if split is None:
            continue
        line = (f"voice: speaker {speaker} may be two people (halves {split.distance:.2f} apart, "
                f"{split.windows} windows in the smaller)")
        joins = min(diarization.spans[i][0] for i in np.flatnonzero(split.second))
        announced = handoff_end(words)
        if split.windows < SECOND_VOICE_ALONE_WINDOWS and (announced is None or announced > joins):
            attribution.evidence.append(f"{line}: too little of the second voice to tell, and no hand-off announced "
                                        f"before it")
            continue
        divided = split_speaker(diarization, split)
        divided_owners = words_to_speakers(words, divided)
        trial = assign_roles(words, divided_owners, divided, hints, use_model=False)
        new = max(divided.speakers)
        if _separated(attribution, trial, speaker, new):
            one_voice = attribution.needs_review
            diarization, owners, attribution = divided, divided_owners, trial
            attribution.evidence.append(f"{line} → the second voice (speaker {new}) is {trial.roles[new]}")
            if one_voice:  # right on the dev calls, but one voice split in two (the shipped samples) is not: check
                attribution.needs_review = True
                attribution.reason = "one voice found; split in two by voice, the roles from the words: check them"
        elif not attribution.needs_review and announced is None and (
                switches := _halves_take_turns(words, divided_owners, speaker, new)):
            attribution.evidence.append(f"{line}: the halves pass the word to each other mid-run {switches} times and "
                                        f"no hand-off was announced: one voice varying, kept as one")
        elif not attribution.needs_review:  # the voice who spoke first keeps the role; the later one is unknown
            diarization, owners = divided, divided_owners
            attribution.speakers += 1
            _flag_speaker(attribution, new, f"{line}: the second voice (speaker {new}) joins later and its "
                                            f"words do not say who it is")
        else:
            attribution.evidence.append(f"{line}: splitting it does not decide the roles either")
    _flag_staff_talking_customer(attribution, _said_by(words, owners))
    _flag_staff_talking_other(attribution, _said_by(words, owners), owners)
    _flag_prompt_in_a_voice(attribution, words, owners)
    _flag_agent_telling_own_story(attribution, _said_by(words, owners))
    _flag_unseen_handoff(attribution, words, owners)
    _flag_unsure_voices(attribution, words, owners, diarization)
    _flag_second_person(attribution, words, owners)
    _flag_customer_side_pair(attribution, words, owners)
    grouped: dict[str, list[Word]] = {}
    for word, owner in zip(words, owners, strict=True):
        role = attribution.roles.get(owner, "unknown") if owner is not None else "unknown"
        key = f"unknown#{owner}" if role == "unknown" and owner is not None else role
        grouped.setdefault(key, []).append(word)
    return grouped, attribution


def _halves_take_turns(words: list[Word], owners: list[int | None], first: int, second: int) -> int:
    """How often the two halves of a split voice pass the word to each other mid-run (no other voice between, a
    pause under ``SAME_BREATH_S``), when that is ``SAME_BREATH_SWITCHES`` or more, the first half speaks again after
    the second joined and the second names nobody as itself; else 0. One person whose voice varies within a turn (the
    shipped sample call_01, "I'm sorry about that. | For security, can you confirm your postcode?" and "Thanks, |
    the duplicate charge has been refunded"), not a colleague who joins after a hand-off."""
    switches, last, end = 0, None, 0.0
    for word, owner in zip(words, owners, strict=True):
        if owner is None:
            continue
        if {last, owner} == {first, second} and word.start - end < SAME_BREATH_S:
            switches += 1
        last, end = owner, word.end
    if second not in owners:
        return 0
    resumes = first in owners[owners.index(second):]
    said = " ".join(w.word.strip() for w, o in zip(words, owners, strict=True) if o == second)
    named = any(m.group(1) not in _NOT_NAMES for p in _INTRO_RE for m in p.finditer(said))
    return switches if switches >= SAME_BREATH_SWITCHES and resumes and not named else 0


def _flag_staff_talking_customer(attribution: Attribution, said: dict[int, str]) -> None:
    """Flag a customer who talks like staff: a supervisor or second agent may be speaking in their voice."""
    for speaker, role in list(attribution.roles.items()):
        agent_phrases, customer_phrases = phrase_counts(said.get(speaker, ""))
        if role == "customer" and agent_phrases - customer_phrases >= STAFF_PHRASES:
            _flag_speaker(attribution, speaker, f"words: the customer (speaker {speaker}) uses {agent_phrases} agent "
                                                f"phrase(s): a staff member may speak in the same voice")


def _flag_staff_talking_other(attribution: Attribution, said: dict[int, str], owners: list[int | None]) -> None:
    """Flag a decided call with a voice labelled ``other`` that talks like staff (a net agent phrase) after the
    customer's first words: a colleague not recognised as one, or a piece of the agent's voice cut off by the
    diarization (on dev: "I'll book an engineer for Thursday" in a third voice). A prompt before the customer is not."""
    if attribution.needs_review:
        return
    customer = next((k for k, role in attribution.roles.items() if role == "customer"), None)
    for speaker, role in attribution.roles.items():
        agent_phrases, customer_phrases = phrase_counts(said.get(speaker, ""))
        if (role == "other" and customer is not None and agent_phrases > customer_phrases
                and _speaks_after(speaker, customer, owners)):
            _flag(attribution, "words", [f"speaker {speaker} (other) talks like staff after the customer's first "
                                         f"words: a colleague, or a piece of the agent's voice"])
            return


def _flag_agent_telling_own_story(attribution: Attribution, said: dict[int, str]) -> None:
    """Flag a decided call whose agent's voice also tells a caller's own story (``AGENT_OWN_STORY`` own-story lines
    of the role model and a customer stock phrase): the customer's voice merged with a staff voice (on the labelled
    dev calls, LC-D-053: a team lead clustered with the customer, the agent's greeting lost, so the merged voice
    was the agent and the real agent the customer, hint or none)."""
    if attribution.needs_review:
        return
    for speaker, role in attribution.roles.items():
        text = said.get(speaker, "")
        if role == "agent" and role_cues.cues(text).own_story >= AGENT_OWN_STORY and phrase_counts(text)[1] >= 1:
            _flag(attribution, "words", [f"the agent (speaker {speaker}) also tells a caller's own story: the "
                                         f"customer's voice may be merged with a staff voice"])
            return


def _flag_prompt_in_a_voice(attribution: Attribution, words: list[Word], owners: list[int | None]) -> None:
    """Flag a decided call whose agent or agent_2 voice opens, before the customer's first words, with what recorded
    prompts say ("connecting you", "your call may be monitored") and talks on after them: an IVR prompt merged with
    a person's voice, whose words go to that person (on dev: 10 % of a call's words, roles otherwise right). A
    recording notice after the voice named itself ("Daniel speaking. This call may be recorded") is the agent's own,
    and so is one it runs on from into its own greeting (:func:`_notice_runs_on`)."""
    if attribution.needs_review:
        return
    customer = next((k for k, role in attribution.roles.items() if role == "customer"), None)
    if customer is None:
        return
    first = owners.index(customer)
    for speaker, role in attribution.roles.items():
        if role not in ("agent", "agent_2") or speaker not in owners:
            continue
        said = [w for w, o in zip(words[:first], owners[:first], strict=True) if o == speaker]
        opening = " ".join(w.word.strip() for w in said)
        notice = _NOTICE_RE.search(opening.lower())
        if ((_PROMPT_RE.search(opening.lower()) or (notice and not _named_before(opening, notice.start())
                                                    and not _notice_runs_on(said, opening, notice.end())))
                and _speaks_after(speaker, customer, owners)):
            _flag(attribution, "words", [f"speaker {speaker} ({role}) opens with what a recorded prompt says and talks "
                                         f"on: a prompt may be merged with their voice"])
            return


def _notice_runs_on(said: list[Word], opening: str, end: int) -> bool:
    """Whether the opening words ``said`` (``opening``, their text) go on from the notice that ends at character
    ``end`` into the voice's own greeting ("how can I help?", "Kemi speaking") with no pause of ``NOTICE_RUN_ON_S``
    or more between two words: one person said both (the shipped sample call_05, "Welcome to Northwind support. This
    call may be recorded. How can I help?"). A prompt merged with the agent's voice leaves a pause before the agent."""
    rest = opening[end:]
    if not (_OWN_OPENING_RE.search(rest.lower()) or any(m.group(1) not in _NOT_NAMES for p in _SELF_NAMED_RE
                                                        for m in p.finditer(rest))):
        return False
    last = len(opening[:end].split()) - 1  # the word the notice ends in
    return all(b.start - a.end < NOTICE_RUN_ON_S for a, b in zip(said[last:], said[last + 1:], strict=False))


def _named_before(text: str, end: int) -> bool:
    """Whether someone names themselves as staff do ("Daniel speaking", "my name is Maria") in ``text`` before ``end``:
    a recording notice after it is the agent's own (a recorded prompt names no person; "This is Castle Broadband"
    names a company, so "this is" does not count: dev notice_dev.yaml)."""
    return any(m.group(1) not in _NOT_NAMES and m.end() <= end for p in _SELF_NAMED_RE for m in p.finditer(text))


def _turns(words: list[Word], owners: list[int | None]) -> list[tuple[int, str]]:
    """(speaker, text) of each run of one speaker's words, in order."""
    turns: list[tuple[int, list[str]]] = []
    for word, owner in zip(words, owners, strict=True):
        if owner is None:
            continue
        if not turns or turns[-1][0] != owner:
            turns.append((owner, []))
        turns[-1][1].append(word.word.strip())
    return [(owner, " ".join(said)) for owner, said in turns]


def _flag_second_person(attribution: Attribution, words: list[Word], owners: list[int | None]) -> None:
    """Flag a decided call where one voice may be two people by what they say of themselves: a speaker who
    introduces themselves under two names ("Tom speaking" ... "it's Graham"), or one who answers like staff
    ("Marcus here", "Dev speaking") after ``INTRO_AFTER_WORDS`` words without a name (roles kept)."""
    if attribution.needs_review:
        return
    names: dict[int, list[str]] = {}
    spoken: dict[int, int] = {}
    why = []
    for owner, text in _turns(words, owners):
        role = attribution.roles.get(owner)
        found = [m.group(1) for p in _INTRO_RE for m in p.finditer(text) if m.group(1) not in _NOT_NAMES]
        staff = [m.group(1) for p in _STAFF_INTRO_RE for m in p.finditer(text) if m.group(1) not in _NOT_NAMES]
        if staff and not names.get(owner) and spoken.get(owner, 0) >= INTRO_AFTER_WORDS:
            why.append(f"the {role} (speaker {owner}) answers like staff ('{staff[0]} ...') after "
                       f"{spoken[owner]} words: another person may speak in the same voice")
        spoken[owner] = spoken.get(owner, 0) + len(text.split())
        known = names.setdefault(owner, [])
        new = [name for name in found if name.lower() not in {n.lower() for n in known}]
        if known and new:
            why.append(f"speaker {owner} ({role}) introduces themselves as {known[0]} and then as {new[0]}: "
                       f"two people may speak in the same voice")
        known.extend(new)
    if why:
        _flag(attribution, "words", why[:1])


def _flag_customer_side_pair(attribution: Attribution, words: list[Word], owners: list[int | None]) -> None:
    """Flag a decided call with two people on the customer's side (a relative, a friend interpreting): a voice
    labelled ``other`` that joins after the agent and says at least ``OTHER_SIDE_SHARE`` of the customer's words
    (and ``OTHER_SIDE_MIN_WORDS``): which of them is the customer, the one who talks most, is a guess (roles kept).
    With no ``other`` voice, the words saying someone speaks for the customer (``_SPEAKS_FOR_RE``; round 17, dev
    LC-D-178: a son and his father in one voice) flag it too."""
    if attribution.needs_review:
        return
    said = {k: sum(1 for o in owners if o == k) for k in attribution.roles}
    agent = next((k for k, role in attribution.roles.items() if role == "agent"), None)
    customer = next((k for k, role in attribution.roles.items() if role == "customer"), None)
    if agent is None or customer is None:
        return
    spoken = " ".join(w.word.strip() for w in words).lower().replace("’", "'")
    if "other" not in attribution.roles.values() and (found := _SPEAKS_FOR_RE.search(spoken)):
        _flag(attribution, "words", [f"someone speaks for the customer ('{found.group(0)}') and no third voice was "
                                     f"found: the customer and a relative may share one voice"])
        return
    joins = {k: owners.index(k) for k in attribution.roles if k in owners}
    for k, role in attribution.roles.items():
        if (role == "other" and k in joins and agent in joins and joins[k] > joins[agent]
                and said[k] >= max(OTHER_SIDE_MIN_WORDS, OTHER_SIDE_SHARE * said[customer])):
            _flag(attribution, "voices", [f"two people on the customer's side (speaker {customer}: {said[customer]} "
                                          f"words, speaker {k}: {said[k]}): which one is the customer is a guess"])
            return


def handoff_end(words: list[Word]) -> float | None:
    """When the first hand-off announcement in ``words`` ("I'll transfer you", "let me get my supervisor")
    ends (seconds), or None."""
    text = ""
    ends: list[tuple[int, float]] = []  # (characters of text so far, the word's end)
    for word in words:
        token = word.word.strip().lower().replace("’", "'")
        if token:
            text += token + " "
            ends.append((len(text), word.end))
    found = [m.end() for p in _HANDOFF_RE for m in [p.search(text)] if m]
    if not found:
        return None
    cut = min(found)
    return next(end for length, end in ends if length >= cut)


def _flag_unseen_handoff(attribution: Attribution, words: list[Word], owners: list[int | None]) -> None:
    """Flag a decided call whose agent announces a hand-off, goes on for ``HANDOFF_MIN_WORDS`` words or more,
    and yet no second staff voice (``agent_2``) was found: the colleague's words went to someone else's voice."""
    if attribution.needs_review or "agent_2" in attribution.roles.values():
        return
    agent = [k for k, role in attribution.roles.items() if role == "agent"]
    said = [w for w, owner in zip(words, owners, strict=True) if owner is not None and owner in agent]
    end = handoff_end(said)
    if end is None or sum(1 for w in words if w.start >= end) < HANDOFF_MIN_WORDS:
        return
    _flag(attribution, "words", [f"the agent announces a hand-off (transfer, supervisor) at {end:.1f} s, but no second "
                                 f"staff voice was found: the colleague's words went to another speaker"])


def _flag_unsure_voices(attribution: Attribution, words: list[Word], owners: list[int | None],
                        diarization: Diarization) -> None:
    """Flag a decided call whose voices the diarization may have got wrong (roles kept): more than ``MAX_VOICES``
    voices; over ``MAX_UNHEARD`` of the words outside any diarized speech; or people who hardly take turns
    (over ``MAX_WORDS_PER_CHANGE`` words per speaker change: two voices merged into one), one voice found for a
    whole call of ``MIN_TURN_WORDS`` words or more included (the other side merged into it)."""
    if attribution.needs_review or not attribution.roles:
        return
    why = []
    if len(attribution.roles) > MAX_VOICES:
        why.append(f"{len(attribution.roles)} voices found: the speaker count is uncertain")
    unheard = _unheard(words, diarization.segments)
    if unheard > MAX_UNHEARD:
        why.append(f"{unheard:.0%} of the words fall outside the diarized speech")
    said = [k for k in owners if k is not None]
    changes = sum(1 for a, b in zip(said, said[1:], strict=False) if a != b)
    if len(said) >= MIN_TURN_WORDS and not changes:
        why.append(f"one voice found for {len(said)} words: the other side may speak in the same voice")
    elif len(said) >= MIN_TURN_WORDS and len(said) / changes > MAX_WORDS_PER_CHANGE:
        why.append(f"{len(said) / changes:.0f} words per speaker change: voices may be merged")
    if why:
        _flag(attribution, "voices", why)


def _unheard(words: list[Word], segments: list[SpeakerSegment]) -> float:
    """Share of ``words`` that overlap no diarized segment (a sorted sweep: hour-long calls stay fast)."""
    if not words:
        return 0.0
    merged = union((seg.start, seg.end) for seg in segments if seg.end > seg.start)  # sorted, disjoint
    starts = [start for start, _ in merged]
    heard = 0
    for word in words:
        i = bisect_left(starts, word.end) - 1  # the last stretch that starts before the word ends: if any overlaps it,
        heard += i >= 0 and min(word.end, merged[i][1]) > max(word.start, merged[i][0])  # this one does
    return 1 - heard / len(words)


def _said_by(words: list[Word], owners: list[int | None]) -> dict[int, str]:
    said: dict[int, list[str]] = {}
    for word, owner in zip(words, owners, strict=True):
        if owner is not None:
            said.setdefault(owner, []).append(word.word.strip())
    return {k: " ".join(v) for k, v in said.items()}


def _separated(before: Attribution, after: Attribution, speaker: int, new: int) -> bool:
    """Whether splitting ``speaker`` (its second voice: ``new``) gave roles the words back up: a one-voice call
    now decided as two people, or the second voice a staff member (``agent_2``) and nobody else's role changed."""
    if after.needs_review or after.roles.get(speaker) == after.roles.get(new):
        return False
    if before.needs_review:
        return len(before.roles) == 1
    unchanged = all(after.roles.get(k) == role for k, role in before.roles.items() if k != speaker)
    return unchanged and after.roles.get(speaker) == before.roles[speaker] and after.roles.get(new) == "agent_2"


def _flag_speaker(attribution: Attribution, speaker: int, why: str) -> None:
    """Leave one speaker's words ``unknown`` and flag the call for review, saying why."""
    attribution.roles[speaker] = "unknown"
    kind, _, line = why.partition(": ")
    _flag(attribution, kind, [line])


def _flag(attribution: Attribution, kind: str, lines: list[str]) -> None:
    """Flag the call for review: each line goes to the evidence as ``kind: line`` and is added to the reason."""
    attribution.needs_review = True
    attribution.evidence.extend(f"{kind}: {line}" for line in lines)
    attribution.reason = "; ".join(filter(None, [attribution.reason, *lines]))
