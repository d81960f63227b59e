"""Compliance: personal data exposed in the conversation.

Takes the interaction's PII spans (stored by the importer, or found in the text when it was not
redacted, by the same detector: per turn for chats, over the whole conversation for calls;
placeholders such as ``[CARD]`` in redacted text count as spans too). Fails when the agent
writes or repeats a card number or SSN, or asks for the full card number and the customer gives it.
"""

from __future__ import annotations

import re

from qa_toolkit.scoring import text
from qa_toolkit.scoring.checks import CheckResult, Evidence, Params, quote
from qa_toolkit.scoring.view import InteractionView, PiiSpan

CARD_REQUESTS = (
    "full card number", "whole card number", "long card number", "complete card number", "16 digit", "16-digit",
    "sixteen digit", "long number on the front", "number on the front of your card", "card number please",
    "your card number", "type your card", "send me your card", "give me your card", "read me your card",
    "security code", "cvv", "cvc", "full social security", "your social security number", "your ssn",
)
_PLACEHOLDER = re.compile(r"\[(CARD|SSN|EMAIL|PHONE|IBAN|CVV|EXPIRY|ACCOUNT)(?: ending \d{1,4})?\]")


def spans_in(view: InteractionView) -> tuple[PiiSpan, ...]:
    """The view's PII spans; without stored spans, the placeholders and any raw PII found in its text."""
    if view.pii_spans is not None:
        return view.pii_spans
    from qa_toolkit.ingest.pii import find_pii

    found: list[PiiSpan] = []
    for turn in view.turns:
        for m in _PLACEHOLDER.finditer(turn.text):
            found.append(PiiSpan(m.group(1).lower(), turn.index, m.start(), m.end(), turn.speaker, m.group(0)))
    if view.channel == "call":
        # Calls: the detector that redacts transcripts (a card read over several turns, an SSN the agent
        # asked for), over the turns as they are.
        from qa_toolkit.transcribe.redaction import find_call_pii
        from qa_toolkit.transcribe.turns import TurnText

        turns = [TurnText(t.speaker, t.start_s or 0.0, t.end_s or 0.0, t.text) for t in view.turns]
        for c in find_call_pii(turns):
            turn = view.turns[c.turn]
            found.append(PiiSpan(c.kind, turn.index, c.start, c.end, turn.speaker, turn.text[c.start:c.end]))
        return tuple(found)
    for turn in view.turns:
        for s in find_pii(turn.text):
            found.append(PiiSpan(s.kind, turn.index, s.start, s.end, turn.speaker, turn.text[s.start:s.end]))
    return tuple(found)


class PiiParams(Params):
    agent_types: tuple[str, ...] = ("card", "ssn")
    request_phrases: tuple[str, ...] = CARD_REQUESTS
    customer_types_after_request: tuple[str, ...] = ("card", "ssn")


def _evidence(view: InteractionView, span: PiiSpan, note: str) -> Evidence:
    turn = next((t for t in view.turns if t.index == span.turn), None)
    if turn is None:
        return Evidence(turn=span.turn, speaker=span.speaker, note=note)
    # stored spans point into the original text; the stored text is redacted, so quote the whole turn
    e = quote(turn, max(0, span.start - 25), span.end + 10) if span.text is not None else quote(turn)
    return Evidence(turn=e.turn, speaker=e.speaker, quote=e.quote, at_s=e.at_s, note=note)


def pii_exposure(view: InteractionView, p: PiiParams) -> CheckResult:
    """Fails when the agent exposes a card/SSN, or asks for the full card number and gets it (N/A: no PII)."""
    spans = spans_in(view)
    measures = {"spans": [{"type": s.type, "turn": s.turn, "start": s.start, "end": s.end, "speaker": s.speaker}
                          for s in spans]}
    problems: list[Evidence] = []
    for s in spans:
        if s.speaker == "agent" and s.type in p.agent_types:
            problems.append(_evidence(view, s, f"agent wrote a {s.type} number"))
    requested_at = None
    for turn in view.by("agent"):
        match = text.first(turn.text, p.request_phrases)
        if match:
            requested_at = turn.index
            problems_before = len(problems)
            for s in spans:
                if s.speaker == "customer" and s.type in p.customer_types_after_request and s.turn > turn.index:
                    problems.append(_evidence(view, s, f"customer gave a {s.type} number after the agent asked "
                                                       f"in turn {turn.index}"))
            if len(problems) > problems_before:
                problems.insert(problems_before, quote(turn, match.start, match.end))
            break
    if problems:
        return CheckResult("fail", f"personal data exposed ({len(spans)} span(s))", tuple(problems), 0.9, measures)
    if not spans:
        return CheckResult("na", "no personal data in the conversation", (), 0.8, measures)
    note = "personal data only from the customer, unprompted" if requested_at is None else "no card number given"
    return CheckResult("pass", note, tuple(_evidence(view, s, s.type) for s in spans[:5]), 0.8, measures)


def register_checks(register) -> None:  # type: ignore[no-untyped-def]
    register("pii_exposure", pii_exposure, PiiParams, pii_exposure.__doc__)
