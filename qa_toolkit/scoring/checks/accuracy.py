"""Accuracy: what the agent states is checked against a team-supplied facts list.

A fact names its topic words, a regex whose first group captures the claimed value, and the
expected value(s). Example (in a rubric or a facts file)::

    - name: refund window
      about: [refund, money back]
      claim: '(\\d+)\\s*(?:business\\s+|working\\s+)?days'
      expected: ["30"]
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import field_validator

from qa_toolkit.scoring import text
from qa_toolkit.scoring.checks import CheckResult, Evidence, Params, quote
from qa_toolkit.scoring.view import InteractionView

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


class Fact(Params):
    name: str
    about: tuple[str, ...]
    claim: str
    expected: tuple[str, ...]

    @field_validator("expected", mode="before")
    @classmethod
    def _as_strings(cls, value: object) -> object:
        values = value if isinstance(value, (list, tuple)) else [value]
        return tuple(str(v).casefold() for v in values)

    @field_validator("claim")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            pattern = re.compile(value)
        except re.error as exc:
            raise ValueError(f"invalid regex {value!r}: {exc}") from None
        if pattern.groups < 1:
            raise ValueError(f"the regex {value!r} needs a group capturing the value, e.g. '(\\d+) days'")
        return value


@lru_cache(maxsize=256)
def _about(words: tuple[str, ...]) -> tuple[str, ...]:
    """Topic words as word-prefix patterns: ``refund`` also finds "refunds" and "refunded"."""
    spaced = (r"\s+".join(re.escape(w) for w in text.normalize(a).split()) for a in words)
    return tuple(r"(?<![\w'])" + s + r"\w*" for s in spaced)


def _topics_in(said: str, facts: tuple[Fact, ...]) -> tuple[Fact, ...]:
    """The facts whose topic words may be in a sentence of the turn ``said``. In an ASCII turn, topic words not found
    in the whole turn are in none of its sentences (a sentence starts after . ! ? or a line break, where the words'
    start boundary reads the same), so those facts are not searched sentence by sentence."""
    if not said.isascii():
        return facts
    return tuple(fact for fact in facts if text.first(said, (), _about(fact.about), allow_negated=True) is not None)


class AccuracyParams(Params):
    facts: tuple[Fact, ...] = ()


def accuracy(view: InteractionView, p: AccuracyParams) -> CheckResult:
    """Every claim the agent makes about a known fact matches the expected value (N/A when none is made)."""
    right: list[Evidence] = []
    wrong: list[Evidence] = []
    for turn in view.by("agent"):
        facts = _topics_in(turn.text, p.facts)
        if not facts:
            continue
        for sentence in _SENTENCE.finditer(turn.text):
            said = sentence.group(0)
            for fact in facts:
                if text.first(said, (), _about(fact.about), allow_negated=True) is None:
                    continue
                for claim in re.finditer(fact.claim, said, re.IGNORECASE):
                    value = claim.group(1).casefold()
                    start = sentence.start() + claim.start()
                    evidence = quote(turn, start, sentence.start() + claim.end())
                    if value in fact.expected:
                        right.append(evidence)
                    else:
                        wrong.append(Evidence(turn=evidence.turn, speaker="agent", quote=evidence.quote,
                                              at_s=evidence.at_s,
                                              note=f"{fact.name}: said {value!r}, expected {' or '.join(fact.expected)}"))
    if wrong:
        return CheckResult("fail", "; ".join(e.note or "" for e in wrong), tuple(wrong + right), 0.9,
                           {"wrong": len(wrong), "right": len(right)})
    if right:
        return CheckResult("pass", f"{len(right)} claim(s) match the facts", tuple(right), 0.9,
                           {"wrong": 0, "right": len(right)})
    return CheckResult("na", "no claims about known facts", (), 0.8)


def register_checks(register) -> None:  # type: ignore[no-untyped-def]
    register("accuracy", accuracy, AccuracyParams, accuracy.__doc__)
