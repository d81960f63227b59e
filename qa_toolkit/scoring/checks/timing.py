"""Timing: chat response times; call talk ratio, silences, holds, overtalk and handle time.

Chats use each turn's timestamp (or start offset). Calls use each turn's start and end seconds.
A *wait* runs from the customer's first unanswered message to the agent's next turn. A *hold*
is a system turn that mentions hold, or a silence right after the agent announced one ("let me
put you on hold", "bear with me"); any other gap between turns is a *silence*.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from qa_toolkit.scoring import text
from qa_toolkit.scoring.checks import CheckResult, Evidence, Params, quote
from qa_toolkit.scoring.view import InteractionView, TurnView

HOLD_ANNOUNCEMENTS = (
    "on hold", "hold for", "hold on", "hold the line", "bear with me", "one moment", "just a moment",
    "give me a moment", "give me a minute", "just a minute", "one minute", "one sec", "a few moments",
    "let me check", "while i check", "while i look",
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
        if turn.speaker == "customer" and waiting_since is None:
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
    register("aht", aht, AhtParams, aht.__doc__)
