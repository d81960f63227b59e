"""Timing: chat response times; call talk ratio, silences, holds, overtalk and handle time.

Chats use each turn's timestamp (or start offset). Calls use each turn's start and end seconds.
A *wait* runs from the customer's first unanswered message to the agent's next turn; on a call,
where turns have an end, from the end of the customer's turn to the start of the agent's reply. A
*hold* is a system turn that mentions hold, or a silence right after the agent announced one ("let
me put you on hold", "bear with me"); any other gap between turns is a *silence*. Hold etiquette:
the agent asks or announces before the wait and thanks the customer (or apologises) after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa_toolkit.scoring import semantic, text
from qa_toolkit.scoring.callturns import recorded_line, staff
from qa_toolkit.scoring.checks import CheckResult, Evidence, Params, quote
from qa_toolkit.scoring.semantic import Exemplars
from qa_toolkit.scoring.view import InteractionView, TurnView

HOLD_ANNOUNCEMENTS = (
    "on hold", "hold for", "hold on", "hold the line", "bear with me", "one moment", "just a moment",
    "give me a moment", "give me a minute", "just a minute", "one minute", "one sec", "a few moments",
    "let me check", "while i check", "while i look", "please hold", "please wait", "hang on", "hang tight",
    "give me a sec", "give me a second", "just a sec", "just a second", "one second", "a couple of minutes",
    "a few minutes", "a minute or two", "wait a moment", "allow me a moment", "back in a moment",
    "be right back", "brb", "while i look into", "let me look into", "let me pull up", "let me look that up",
    "let me find", "let me have a look", "let me take a look", "let me quickly check", "i'll just check",
    "i'll check", "checking now", "checking that now", "let me see",
)
HOLD_REGEXES = (
    # "are you okay to stay on?", "would you mind staying on the line", "can you remain on the line?"
    r"\b(?:stay|staying|remain|remaining)\s+on\s+(?:the\s+line|for\s+(?:a|one|two|just)\b)",
    r"\b(?:okay|ok|alright|all\s+right|able|happy|mind)\s+(?:to\s+)?(?:stay|staying|hang|hanging|hold|holding)\s+on\b",
    # "place you on a brief hold", "put you on hold for a moment", "putting you on a short hold"
    r"\b(?:put|place|placing|putting)\s+you\s+on\s+(?:a\s+)?(?:\w+\s+)?hold\b",
    r"\b(?:mind|okay|ok|alright|fine)\s+(?:if\s+i\s+)?(?:to\s+)?(?:hold|wait)(?:ing)?\b",
    # a transfer or a team lead fetched is a wait too: "I'll put you across to them now", "I'll bring my team leader in"
    r"\b(?:put|putting|pass|passing|transfer|transferring|pop|popping|send|sending|move|moving)\s+you\s+"
    r"(?:across|through|over)\b",
    r"\b(?:get|fetch|grab|bring)\s+(?:my|a|the|our)\s+(?:team\s*lead(?:er)?|supervisor|manager|line\s+manager)\b",
    # a wait announced without the word hold (round 10): "stay with me while I fetch them", "I'll be back with you
    # shortly", "won't be long", "let me check with the metering team, two minutes", "let me get someone senior"
    r"\b(?:stay|bear)\s+with\s+(?:me|us)\b", r"\bback\s+(?:with|to)\s+you\s+(?:shortly|soon|in\s+(?:a|one|two)\b)",
    r"\bwon't\s+be\s+(?:long|a\s+(?:moment|minute|sec|second|tick))\b",
    r"(?:^|[,.]\s*)(?:two|a\s+couple\s+of|a\s+few|five)\s+(?:minutes|mins|secs|seconds|ticks)\s*[.!]",
    r"\b(?:get|fetch|grab|find)\s+(?:someone|somebody)\s+(?:more\s+)?(?:senior|higher\s+up|who)\b",
    # a wait in small units (chatrest, dev ld-1261..1320): "just a tick", "two ticks", "one mo"
    r"\b(?:just\s+a|one|two|a\s+couple\s+of)\s+(?:tick|ticks|mo|jiffy)\b",
)
THANKS_FOR_WAITING = (
    "thanks for waiting", "thank you for waiting", "thanks for holding", "thank you for holding",
    "thanks for your patience", "thank you for your patience", "appreciate your patience",
    "thanks for bearing with me", "thank you for bearing with me", "thanks for bearing with us",
    "thank you for bearing with us", "sorry for the wait", "sorry about the wait", "sorry to keep you waiting",
    "sorry for keeping you waiting", "apologies for the wait", "thanks for hanging on", "thanks for holding on",
    "thank you for holding on", "thanks for hanging in there", "sorry for the delay", "apologies for the delay",
    "sorry about the delay", "thank you for being patient", "thanks for being patient", "appreciate you waiting",
    "appreciate you holding", "thanks for the patience", "thanks so much for waiting", "thank you so much for waiting",
    "thanks for your time while i checked", "sorry that took a while", "sorry that took so long",
    "sorry it took a while", "sorry it took so long", "ty for waiting", "thx for waiting", "thanks for the wait",
    "thanks for staying on", "thank you for staying on", "thanks for sticking with me",
    "thank you for sticking with me",
    "thanks for hanging about", "thanks for giving me that time", "thank you for giving me that time",
    # said on the phone: "sorry about that, I'm back", "cheers for waiting", "sorry to have kept you"
    "sorry about that", "sorry about the hold", "sorry for the hold", "cheers for waiting", "cheers for holding",
    "ta for waiting", "ta for holding", "sorry to keep you", "sorry to have kept you", "sorry for keeping you",
)


@dataclass
class ChatTimes:
    """First response and the longest customer→agent wait, in seconds (None when unknown)."""

    first_response_s: float | None = None
    longest_wait_s: float | None = None
    longest_wait_turn: int | None = None


@dataclass
class CallTimes:
    """Talk, silence, hold and overlap measures of a call, in seconds."""

    agent_talk_s: float = 0.0
    customer_talk_s: float = 0.0
    longest_silence_s: float = 0.0
    silence_after_turn: int | None = None
    overtalk_s: float = 0.0
    holds: list[tuple[float, float, bool, int]] = field(default_factory=list)  # start, end, announced, turn
    handle_s: float = 0.0

    @property
    def talk_ratio_agent(self) -> float | None:
        total = self.agent_talk_s + self.customer_talk_s
        return self.agent_talk_s / total if total else None


def chat_times(view: InteractionView) -> ChatTimes:
    """Response times from the turns' timestamps."""
    times = ChatTimes()
    waiting_since: float | None = None
    for turn in view.turns:
        at = view.seconds(turn)
        if at is None:
            continue
        if turn.speaker == "customer" and turn.end_s is not None:
            waiting_since = turn.end_s  # a call: the wait starts when the customer stops talking
        elif turn.speaker == "customer" and waiting_since is None:
            waiting_since = at
        elif turn.speaker == "agent" and waiting_since is not None:
            wait = max(0.0, at - waiting_since)
            if times.first_response_s is None:
                times.first_response_s = wait
            if times.longest_wait_s is None or wait > times.longest_wait_s:
                times.longest_wait_s, times.longest_wait_turn = wait, turn.index
            waiting_since = None
    return times


def _timed(view: InteractionView) -> list[TurnView]:
    return sorted((t for t in view.turns if t.start_s is not None and t.end_s is not None),
                  key=lambda t: (t.start_s, t.end_s))


def _overlap(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> float:
    total, i, j = 0.0, 0, 0
    while i < len(a) and j < len(b):
        total += max(0.0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def call_times(view: InteractionView, hold_phrases: tuple[str, ...] = HOLD_ANNOUNCEMENTS) -> CallTimes | None:
    """Call measures from the turns' start/end seconds, or None when the turns have no timings."""
    turns = _timed(view)
    if not turns:
        return None
    times = CallTimes()
    spans: dict[str, list[tuple[float, float]]] = {"agent": [], "customer": []}
    last_end = turns[0].start_s or 0.0
    announced_by: TurnView | None = None
    previous: TurnView | None = None
    for turn in turns:
        start, end = float(turn.start_s or 0.0), float(turn.end_s or 0.0)
        gap = start - last_end
        if turn.speaker == "system" and "hold" in text.normalize(turn.text):
            times.holds.append((start, end, announced_by is not None, turn.index))
        elif gap > 0 and previous is not None:
            if announced_by is not None and previous is announced_by:
                times.holds.append((last_end, start, True, announced_by.index))
            elif gap > times.longest_silence_s:
                times.longest_silence_s, times.silence_after_turn = gap, previous.index
        if turn.speaker in spans:
            spans[turn.speaker].append((start, end))
            if turn.speaker == "agent":
                times.agent_talk_s += end - start
                announced_by = turn if text.first(turn.text, hold_phrases) else None
            else:
                times.customer_talk_s += end - start
                announced_by = None
        last_end = max(last_end, end)
        previous = turn
    times.overtalk_s = _overlap(spans["agent"], spans["customer"])
    after_call = float(view.meta.get("after_call_work_s") or 0.0)
    times.handle_s = last_end - float(turns[0].start_s or 0.0) + after_call
    return times


class ResponseTimeParams(Params):
    max_first_response_s: float = 60
    max_wait_s: float = 180


class TalkRatioParams(Params):
    min_agent: float = 0.25
    max_agent: float = 0.75


class SilenceParams(Params):
    max_silence_s: float = 10


class HoldParams(Params):
    max_hold_s: float = 120
    require_announcement: bool = True
    announcement_phrases: tuple[str, ...] = HOLD_ANNOUNCEMENTS


class HoldEtiquetteParams(Params):
    announcement_phrases: tuple[str, ...] = HOLD_ANNOUNCEMENTS
    announcement_regexes: tuple[str, ...] = HOLD_REGEXES
    thanks_phrases: tuple[str, ...] = THANKS_FOR_WAITING
    announcement_exemplars: Exemplars | None = None
    thanks_exemplars: Exemplars | None = None
    window: int = 2
    min_hold_s: float = 5.0
    unannounced_min_s: float = 12.0
    # on a timed call, thanks or an apology in the first ``back_words`` words the agent says after a hold is for the
    # wait, however the rest was misheard ("Right, I'm back. I appreciate you sticking with these", "Appreciate the
    # weight.", a colleague's "Hi, Dominik News, I'm ... Sorry, you were once reading"); further on, an apology is for
    # something else (dev LC-D-083: "Hello, I'm Claire, I look after the retentions floor. I'm sorry you were spoken to
    # like that", its eleventh word)
    back_words: int = 8
    back_thanks_regexes: tuple[str, ...] = (
        r"\b(?:thanks|thank\s+you|appreciate|sorry|apologies|apologi[sz]e|cheers|grateful)\b",)
    # a chat's thanks or apology with no wait announced before it is for a hold only after this long a silence before
    # its turn ("Sorry about that" 20 s after a complaint apologises for the problem), and never in the agent's
    # first turn (the wait in the queue, before any hold of theirs)
    chat_unannounced_min_s: float = 60.0


class OvertalkParams(Params):
    max_overtalk_s: float = 5


class AhtParams(Params):
    max_aht_s: float = 600


def response_time(view: InteractionView, p: ResponseTimeParams) -> CheckResult:
    """Chat: first response and the longest customer→agent wait stay under their limits."""
    times = chat_times(view)
    if times.first_response_s is None or times.longest_wait_s is None:
        return CheckResult("na", "no timed customer→agent exchange")
    measures = {"first_response_s": round(times.first_response_s, 1), "longest_wait_s": round(times.longest_wait_s, 1)}
    turn = next(t for t in view.turns if t.index == times.longest_wait_turn)
    evidence = (Evidence(turn=turn.index, speaker=turn.speaker, quote=quote(turn).quote, at_s=view.seconds(turn),
                         note=f"customer waited {times.longest_wait_s:.0f} s"),)
    slow = []
    if times.first_response_s > p.max_first_response_s:
        slow.append(f"first response {times.first_response_s:.0f} s > {p.max_first_response_s:g} s")
    if times.longest_wait_s > p.max_wait_s:
        slow.append(f"longest wait {times.longest_wait_s:.0f} s > {p.max_wait_s:g} s")
    if slow:
        return CheckResult("fail", "; ".join(slow), evidence, 1.0, measures)
    return CheckResult("pass", f"first response {times.first_response_s:.0f} s, longest wait "
                       f"{times.longest_wait_s:.0f} s", evidence, 1.0, measures)


def _call_measures(times: CallTimes) -> dict[str, float | None]:
    ratio = times.talk_ratio_agent
    return {"talk_ratio_agent": None if ratio is None else round(ratio, 3),
            "longest_silence_s": round(times.longest_silence_s, 1), "overtalk_s": round(times.overtalk_s, 1),
            "hold_s": round(sum(e - s for s, e, _, _ in times.holds), 1), "aht_s": round(times.handle_s, 1)}


def talk_ratio(view: InteractionView, p: TalkRatioParams) -> CheckResult:
    """Call: the agent's share of talk time lies between ``min_agent`` and ``max_agent``."""
    times = call_times(view)
    if times is None or times.talk_ratio_agent is None:
        return CheckResult("na", "no timed speech")
    ratio = times.talk_ratio_agent
    ok = p.min_agent <= ratio <= p.max_agent
    note = f"agent talked {ratio:.0%} of the time"
    return CheckResult("pass" if ok else "fail", note, (Evidence(note=note),), 1.0, _call_measures(times))


def silence(view: InteractionView, p: SilenceParams) -> CheckResult:
    """Call: no silence (outside announced holds) longer than ``max_silence_s``."""
    times = call_times(view)
    if times is None:
        return CheckResult("na", "no timed speech")
    note = f"longest silence {times.longest_silence_s:.1f} s"
    evidence = (Evidence(turn=times.silence_after_turn, note=note),)
    ok = times.longest_silence_s <= p.max_silence_s
    return CheckResult("pass" if ok else "fail", note, evidence, 1.0, _call_measures(times))


def hold(view: InteractionView, p: HoldParams) -> CheckResult:
    """Call: every hold is announced and the total hold time stays under ``max_hold_s``."""
    times = call_times(view, p.announcement_phrases)
    if times is None or not times.holds:
        return CheckResult("na", "no hold")
    total = sum(end - start for start, end, _, _ in times.holds)
    evidence = tuple(Evidence(turn=turn, at_s=start, note=f"hold {end - start:.0f} s"
                              + ("" if announced else " (not announced)"))
                     for start, end, announced, turn in times.holds)
    problems = []
    if p.require_announcement and not all(announced for _, _, announced, _ in times.holds):
        problems.append("hold not announced")
    if total > p.max_hold_s:
        problems.append(f"hold {total:.0f} s > {p.max_hold_s:g} s")
    status = "fail" if problems else "pass"
    return CheckResult(status, "; ".join(problems) or f"{len(times.holds)} announced hold(s), {total:.0f} s",
                       evidence, 0.9, _call_measures(times))


def _said(turn: TurnView, phrases: tuple[str, ...], regexes: tuple[str, ...],
          exemplars: Exemplars | None) -> Evidence | None:
    match = text.first(turn.text, phrases, regexes)
    if match:
        return quote(turn, match.start, match.end)
    sem = semantic.match([turn], exemplars)
    return semantic.evidence(sem) if sem else None


# something other than the customer on hold: "I've put the 450 on hold so it isn't collected", "your bill is on hold
# while they decide" (chatrest, dev ld-1261..1320): a payment or an account held is no wait
THING_ON_HOLD = re.compile(r"\b(?:put|puts|putting|placed?|places|placing)\s+(?!you\b)(?:[\w£$€.,'-]+\s+){1,4}?on\s+hold\b"
                           r"|\b(?:is|are|was|were|been|be|stays?|remains?)\s+(?:now\s+|still\s+)?on\s+hold\b",
                           re.IGNORECASE)


def _announced(turn: TurnView, p: HoldEtiquetteParams) -> Evidence | None:
    """An announced wait in one of the turn's sentences; a sentence that thanks for the wait ("thanks for
    staying on the line") announces none, however much it sounds like "stay on the line", and neither does a thing
    put on hold ("the payment is on hold")."""
    # the phrase lists are searched in a sentence only where the whole turn may hold them (most turns hold neither)
    thanks = text.may_match_within(turn.text, p.thanks_phrases)
    announcements = text.may_match_within(turn.text, p.announcement_phrases, p.announcement_regexes)
    if not announcements and p.announcement_exemplars is None and p.thanks_exemplars is None:
        return None  # nothing could announce a wait in any sentence (and no block's reading is recorded)
    for start, end in semantic.sentences(turn.text):
        sentence = TurnView(turn.index, turn.speaker, turn.text[start:end], turn.start_s, turn.end_s, turn.at)
        if thanks and text.first(sentence.text, p.thanks_phrases):
            continue
        if THING_ON_HOLD.search(sentence.text):
            continue
        if announcements and (match := text.first(sentence.text, p.announcement_phrases, p.announcement_regexes)):
            return quote(sentence, match.start, match.end)  # said in words: no likeness to a thanks outweighs it
        if semantic.match([sentence], p.thanks_exemplars):  # "Please hold." is close to "thanks for holding"
            continue
        if said := semantic.match([sentence], p.announcement_exemplars):
            return semantic.evidence(said)
    return None


def _announced_before(before: list[TurnView], p: HoldEtiquetteParams) -> Evidence | None:
    """The announcement of a wait in the last of ``before`` (the agent's side up to the wait), reading back past
    recorded lines that announce nothing ("your call is important to us" inside the hold) to who spoke last."""
    for turn in reversed(before):
        if said := _announced(turn, p):
            return said
        if not recorded_line(turn):
            return None
    return None


def _block_holds(view: InteractionView, min_s: float) -> list[tuple[float, float]] | None:
    """The silences of at least ``min_s`` in a call's stored timing block (from word timings), or None without one."""
    timing = view.meta.get("timing") if isinstance(view.meta, dict) else None
    if not isinstance(timing, dict) or not isinstance(timing.get("holds"), list):
        return None
    return [(float(h[0]), float(h[1])) for h in timing["holds"]
            if isinstance(h, (list, tuple)) and len(h) == 2 and float(h[1]) - float(h[0]) >= min_s]


def _played(view: InteractionView, start: float, end: float) -> bool:
    """Whether the timing block says music or noise played in the silence ``start``..``end`` (a held line), not
    quiet; False without a sound for it (transcribed before sounds were kept, or no audio)."""
    timing = view.meta.get("timing") if isinstance(view.meta, dict) else None
    sounds = timing.get("sounds") if isinstance(timing, dict) else None
    for sound in sounds if isinstance(sounds, list) else ():
        if isinstance(sound, dict) and sound.get("sound") in ("music", "noise") \
                and float(sound.get("start_s", -1)) < end and float(sound.get("end_s", -1)) > start:
            return True
    return False


def _stored_holds(view: InteractionView, min_hold_s: float) -> list[tuple[float, float]]:
    """Holds of an interaction with turn timings but no call judgement: the timing block, else announced gaps."""
    block = _block_holds(view, min_hold_s)
    if block is not None:
        return block
    times = call_times(view)
    return [(s, e) for s, e, _, _ in times.holds if e - s >= min_hold_s] if times else []


def _silences(view: InteractionView, min_s: float) -> list[tuple[float, float]]:
    """Where nobody speaks for at least ``min_s`` on a timed call: the transcription's timing block (from word
    timings), else the gaps between timed turns."""
    block = _block_holds(view, min_s)
    if block is not None:
        return block
    gaps: list[tuple[float, float]] = []
    last_end: float | None = None
    for turn in _timed(view):
        if last_end is not None and float(turn.start_s or 0.0) - last_end >= min_s:  # type: ignore[operator]
            gaps.append((last_end, float(turn.start_s or 0.0)))
        last_end = max(last_end or 0.0, float(turn.end_s or 0.0))
    return gaps


def _thanked_on_return(turn: TurnView, p: HoldEtiquetteParams) -> Evidence | None:
    """Thanks or an apology (``back_thanks_regexes``) in the first ``back_words`` words of the agent's first turn
    after a hold."""
    words = list(re.finditer(r"\S+", turn.text))[: p.back_words]
    match = text.first(turn.text[: words[-1].end()], (), p.back_thanks_regexes) if words else None
    return quote(turn, match.start, match.end) if match else None


def _timed_holds(view: InteractionView, p: HoldEtiquetteParams) -> CheckResult:
    """Hold etiquette on a timed call, hold by hold: each silence of at least ``min_hold_s`` that the agent
    ends is a hold when the agent announced it in their turn before, thanked for it in one of their ``window``
    turns after, or it lasts ``unannounced_min_s`` or more; a silence with music or noise playing in it (the
    timing block's sounds) is a hold whoever ends it. A quiet silence the customer ends (a router rebooting) and
    a short quiet one (the agent typing) are no hold unless thanked for; thanks with no timed wait before
    them ("thanks for your patience today") and an announcement nobody waits after count for nothing."""
    # the agent's side (a colleague or team lead who picks up, a mono call's undecided voices: announcing and thanking
    # are staff talk by their words), without the recorded lines of a queue, which announce and thank nobody
    agent = [t for t in staff(view, undecided=True) if t.start_s is not None and t.end_s is not None]
    timed = _timed(view)
    problems: list[str] = []
    evidence: list[Evidence] = []
    holds = 0
    for start, end in _silences(view, p.min_hold_s):
        before = [t for t in agent if t.end_s <= start + 0.5]  # type: ignore[operator]
        back = [t for t in agent if t.start_s >= end - 0.5 and not recorded_line(t)][: p.window]  # type: ignore[operator]
        ender = next((t for t in timed if t.start_s >= end - 0.5), None)  # type: ignore[operator]
        announced = _announced_before(before, p)
        thanked = next((e for t in back if (e := _said(t, p.thanks_phrases, (), p.thanks_exemplars))), None)
        if thanked is None and back and ender is back[0]:  # the agent's first words ending the hold
            thanked = _thanked_on_return(back[0], p)
        customer_ended = ender is not None and ender.speaker == "customer"
        if thanked is None and not _played(view, start, end) \
                and (customer_ended or (announced is None and end - start < p.unannounced_min_s)):
            continue
        holds += 1
        note = Evidence(turn=before[-1].index if before else None, at_s=round(start, 1),
                        note=f"{end - start:.0f} s of silence")
        evidence.extend(e for e in (announced or note, thanked) if e is not None)
        if announced is None:
            problems.append(f"hold at {start:.0f} s not announced")
        if thanked is None:
            problems.append(f"no thanks for waiting after the hold at {start:.0f} s")
    if not holds:
        return CheckResult("na", "no hold or wait", (), 0.7)
    if problems:
        return CheckResult("fail", "; ".join(problems), tuple(evidence), 0.8)
    return CheckResult("pass", f"{holds} hold(s) announced and the customer thanked after each", tuple(evidence),
                       0.85)


def _silence_before(view: InteractionView, turn: TurnView) -> float:
    """Seconds from the turn before ``turn`` (anyone's) to ``turn``; infinite when either has no time (an untimed
    thanks is judged by its words alone)."""
    before = next((t for t in reversed(view.turns) if t.index < turn.index), None)
    start, end = view.seconds(before) if before else None, view.seconds(turn)
    return end - start if start is not None and end is not None else float("inf")


def hold_etiquette(view: InteractionView, p: HoldEtiquetteParams) -> CheckResult:
    """The agent asks or announces before putting the customer on hold (or making them wait while they check)
    and thanks them, or apologises for the wait, in one of their next ``window`` turns; N/A without a hold.
    A timed call is judged hold by hold from its silences (see ``_timed_holds``); other interactions by the
    order of announcements and thanks."""
    if view.channel == "call" and _timed(view):
        return _timed_holds(view, p)
    agent = view.by("agent")
    thanked = [(i, e) for i, t in enumerate(agent)
               if (e := _said(t, p.thanks_phrases, (), p.thanks_exemplars))]
    announced = [(i, e) for i, t in enumerate(agent[:-1]) if (e := _announced(t, p))]
    if view.channel != "call":
        thanked = [(j, e) for j, e in thanked if any(i < j <= i + p.window for i, _ in announced)
                   or (j > 0 and _silence_before(view, agent[j]) >= p.chat_unannounced_min_s)]
    silent: list[Evidence] = []
    for start, end in _stored_holds(view, p.min_hold_s):  # a call's silence that no announcement explains
        before = [i for i, t in enumerate(agent) if t.end_s is not None and t.end_s <= start + 0.5]
        if not before or before[-1] not in {i for i, _ in announced}:
            silent.append(Evidence(turn=agent[before[-1]].index if before else None, at_s=round(start, 1),
                                   note=f"{end - start:.0f} s of silence, not announced"))
    if not announced and not thanked and not silent:
        return CheckResult("na", "no hold or wait", (), 0.7)
    problems, evidence = [], []
    for i, said in announced:
        evidence.append(said)
        back = next(((j, e) for j, e in thanked if i < j <= i + p.window), None)
        if back is None:
            problems.append(f"no thanks for waiting after the hold in turn {agent[i].index}")
        else:
            evidence.append(back[1])
    for j, said in thanked:
        if not any(i < j <= i + p.window for i, _ in announced):
            problems.append(f"thanked for waiting in turn {agent[j].index} without asking first")
            evidence.append(said)
    if silent:
        problems.append(f"{len(silent)} hold(s) not announced")
        evidence += silent
    if problems:
        return CheckResult("fail", "; ".join(problems), tuple(evidence), 0.8)
    return CheckResult("pass", f"{len(announced)} hold(s) announced and the customer thanked after each",
                       tuple(evidence), 0.85)


def overtalk(view: InteractionView, p: OvertalkParams) -> CheckResult:
    """Call: agent and customer talk over each other for at most ``max_overtalk_s`` seconds in total."""
    times = call_times(view)
    if times is None:
        return CheckResult("na", "no timed speech")
    note = f"overtalk {times.overtalk_s:.1f} s"
    return CheckResult("pass" if times.overtalk_s <= p.max_overtalk_s else "fail", note, (Evidence(note=note),),
                       1.0, _call_measures(times))


def aht(view: InteractionView, p: AhtParams) -> CheckResult:
    """Call: handle time (talk + hold + after-call work when known) at most ``max_aht_s``."""
    times = call_times(view)
    if times is None:
        return CheckResult("na", "no timed speech")
    note = f"handle time {times.handle_s:.0f} s"
    return CheckResult("pass" if times.handle_s <= p.max_aht_s else "fail", note, (Evidence(note=note),), 1.0,
                       _call_measures(times))


def register_checks(register) -> None:  # type: ignore[no-untyped-def]
    register("response_time", response_time, ResponseTimeParams, response_time.__doc__)
    register("talk_ratio", talk_ratio, TalkRatioParams, talk_ratio.__doc__)
    register("silence", silence, SilenceParams, silence.__doc__)
    register("hold", hold, HoldParams, hold.__doc__)
    register("overtalk", overtalk, OvertalkParams, overtalk.__doc__)
    register("hold_etiquette", hold_etiquette, HoldEtiquetteParams, hold_etiquette.__doc__)
    register("aht", aht, AhtParams, aht.__doc__)
