"""A call's turns as the checks read them: who is on the agent's side, and the line's recorded prompts.

On a stereo call everything on the agent's line is ``agent``: the agent, a colleague who takes a transfer, a team
lead who joins, and the line's recorded prompts (an IVR's welcome, its recording notice, "your call is important to
us" inside a hold). On a diarized mono call a second staff voice is ``agent_2``, a third voice ``other``, and a call
whose roles could not be decided is ``unknown`` throughout (flagged for review). The checks read both the same way:

* **staff turns**: ``agent`` and ``agent_2``, and ``unknown`` turns where what a check looks for is staff talk by
  its words (a hold announced or thanked for);
* **prompts**: a sentence of the line's own recording (an IVR cue, a bare company welcome, a recording notice) in
  the call's opening, before the agent's own words, or a turn of nothing else (a recorded line inside a hold):
  they greet, announce and thank nobody.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qa_toolkit.scoring import text
from qa_toolkit.scoring.view import InteractionView, TurnView

STAFF = ("agent", "agent_2")  # the agent's side of a call: a transfer's colleague or a team lead on mono calls too
UNDECIDED = "unknown"  # a mono call's speaker whose role diarization could not decide

# what only a recorded line says, never a person: "all our advisors are busy", "your call is important to us",
# "please say your booking reference", "press one"; a turn with one is the line's, wherever in the call
QUEUE_LINE_REGEXES = (
    r"\ball\s+(?:of\s+)?our\s+(?:advis[eo]rs|agents|operators|colleagues|team\s+members|lines|staff)\s+are\b",
    r"\b(?:your\s+call\s+is\s+important|important\s+to\s+us)\b", r"\bcontinue\s+to\s+hold\b",
    r"\bplease\s+(?:say|enter|key\s+in|type)\s+(?:or\s+(?:say|enter|key\s+in)\s+)?your\b",
    r"\bpress\s+(?:one|two|three|four|five|[1-9]|star|hash)\b",
)
# an IVR prompt on the agent's line, which speech recognition (and a stereo call's channel) joins to the agent's first
# words: "You're through to Skylane Mobile. Your call will go to the next free advisor. Yep, go on." greets nobody
IVR_PROMPT_REGEXES = (
    r"\b(?:connect(?:ing)?|transferr?(?:ing)?|putting)\s+you\s+(?:now|through|to\s+(?:an?|the|our)\s+(?:next\s+)?"
    r"(?:free\s+|available\s+)?(?:advis[eo]r|agent|operator|colleague|person|team\s+member|consultant))\b",
    r"\b(?:your\s+call\s+(?:will|is\s+being)\s+(?:go|be\s+(?:put|passed|answered|connected|transferred)|"
    r"transferred|connected|answered))\b", r"\bnext\s+(?:free|available)\s+(?:advis[eo]r|agent|operator|colleague|"
    r"person|consultant|team\s+member)\b", r"\bplease\s+(?:hold|wait|stay\s+on\s+the\s+line)\b",
    r"\bone\s+moment\s+please\b", *QUEUE_LINE_REGEXES,
)
# a sentence that only welcomes the caller to the company, with nobody in it: "Welcome to Flickbox.", "Thanks for
# calling Larkspur Hotels." (an agent's welcome names or is someone: "Welcome to Tandem, Mei speaking")
COMPANY_WELCOME = re.compile(
    r"^\W*(?:welcome\s+to|thank(?:s|\s+you)\s+for\s+(?:calling|ringing|phoning)|you(?:'re|\s+are)\s+through\s+to|"
    r"you(?:'ve|\s+have)\s+reached)\b(?![^.!?]*\b(?:speaking|this\s+is|my\s+name|name's|i'm|i\s+am|here|with\s+you|"
    r"you've\s+got|it's)\b)[^.!?]*[.!?]*\s*$", re.IGNORECASE)
# a recording notice in the opening, before the agent has said a word of their own: the line's
NOTICE = re.compile(r"\b(?:record(?:ed|ing|ings|s)?|tap(?:ed|es|e)|monitored|kept\s+for)\b", re.IGNORECASE)
# a person speaking: "I", a greeting word (a recorded line speaks as the company: "we", "calls to this line")
PERSON = re.compile(r"\b(?:i|i'm|i've|i'll|i'd|me|my|hi|hiya|hello|hey|morning|afternoon|evening)\b", re.IGNORECASE)
SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+|$)")


def staff(view: InteractionView, *, undecided: bool = False) -> list[TurnView]:
    """The turns of the agent's side (on calls ``agent_2`` too; with ``undecided``, a mono call's ``unknown``
    turns as well), in order; on other channels the agent's."""
    speakers = STAFF + ((UNDECIDED,) if undecided else ()) if view.channel == "call" else ("agent",)
    return [t for t in view.turns if t.speaker in speakers]


def recorded_line(turn: TurnView) -> bool:
    """True when the turn says what only a recorded line says ("your call is important to us", "all our advisors
    are busy"): a prompt inside a hold or a queue, which announces and thanks nobody."""
    return text.first(turn.text, (), QUEUE_LINE_REGEXES) is not None


def side(view: InteractionView, speaker: str = "agent") -> tuple[str, ...]:
    """The speakers a check of ``speaker``'s turns reads: on a call the agent's whole side (:data:`STAFF`)."""
    return STAFF if view.channel == "call" and speaker == "agent" else (speaker,)


def _prompt_sentence(sentence: str, cues: tuple[str, ...]) -> bool:
    if PERSON.search(sentence):  # "Hi, I'm recording this call": someone speaking, however the line would say it
        return False
    return bool(COMPANY_WELCOME.match(sentence) or NOTICE.search(sentence) or text.first(sentence, (), cues))


def prompt_end(said: str, cues: tuple[str, ...] = IVR_PROMPT_REGEXES) -> int:
    """Where the speaker's own words start in an opening turn: after its leading prompt sentences (a bare company
    welcome, a recording notice, an IVR cue) and after the sentence of its last IVR cue ("... connecting you now.
    Afternoon, home support."); 0 when there are none; the turn's length when it is prompts only."""
    end = 0
    for match in SENTENCE.finditer(said):
        if match.group(0).strip() and not _prompt_sentence(match.group(0), cues):
            break
        end = match.end()
    found = [m.end for m in text.find(said, (), cues)]
    if found:
        stop = re.search(r"[.!?]+(?:\s|$)", said[max(found):])
        end = max(end, max(found) + stop.end() if stop else len(said))
    return len(said) if not said[end:].strip() else end


def own_words(turns: Iterable[TurnView], cues: tuple[str, ...] = IVR_PROMPT_REGEXES) -> list[TurnView]:
    """A call's opening ``turns`` with the line's prompts left out: until the first turn with words of the speaker's
    own, a turn of prompts only is dropped and a turn's leading prompt sentences are blanked (offsets kept)."""
    out: list[TurnView] = []
    for turn in turns:
        if not out:
            start = prompt_end(turn.text, cues)
            if start >= len(turn.text.rstrip()):
                continue
            if start:
                turn = TurnView(turn.index, turn.speaker, " " * start + turn.text[start:], turn.start_s, turn.end_s,
                                turn.at)
        out.append(turn)
    return out
