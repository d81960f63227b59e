"""How well an automated check agrees with the team's reviewers (``qa score eval --from-reviews``).

A :class:`Pair` is one criterion of one interaction answered by both the check and a person (a
calibration gold score, or the weighted vote of the reviews). Verdicts are ``pass``, ``fail`` or
``na``. The positive class is ``fail``: precision says how often a miss the check reports is a miss
to the reviewers, recall how many of the reviewers' misses the check reports. Agreement is the
(weighted) share of identical verdicts; the override rate the share of reviewed automated verdicts
that reviewers changed, counting those they left as the check had them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Pair:
    """One criterion of one interaction: the check's verdict and the people's."""

    interaction: str
    criterion: str
    check: str
    auto: str
    human: str
    weight: float = 1.0
    gold: bool = False
    week: str = ""
    team: str | None = None
    channel: str = ""
    check_version: str = ""
    reviewers: tuple[str, ...] = ()
    comment: str | None = None
    message: str | None = None
    confidence: float | None = None
    evidence: tuple[dict[str, Any], ...] = ()
    at: str = ""  # when the label was given (ISO), for time order
    interaction_id: int | None = None


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


def metrics(pairs: Sequence[Pair], *, accepted: int = 0) -> dict[str, Any]:
    """n, precision / recall / F1 of ``fail``, agreement and override rate (weighted by each label's weight).

    ``accepted``: automated verdicts reviewers saw and left as they were (no label, no override).
    """
    tp = sum(p.weight for p in pairs if p.auto == "fail" and p.human == "fail")
    fp = sum(p.weight for p in pairs if p.auto == "fail" and p.human != "fail")
    fn = sum(p.weight for p in pairs if p.auto != "fail" and p.human == "fail")
    total = sum(p.weight for p in pairs)
    same = sum(p.weight for p in pairs if p.auto == p.human)
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f1 = None if precision is None or recall is None else (
        round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0)
    changed = sum(1 for p in pairs if p.auto != p.human)
    return {"n": len(pairs), "precision": precision, "recall": recall, "f1": f1,
            "agreement": _ratio(same, total), "override_rate": _ratio(changed, len(pairs) + accepted),
            "reviewer_fail": sum(1 for p in pairs if p.human == "fail"),
            "check_fail": sum(1 for p in pairs if p.auto == "fail")}


BREAKDOWNS: dict[str, Callable[[Pair], str]] = {
    "week": lambda p: p.week,
    "team": lambda p: p.team or "(no team)",
    "channel": lambda p: p.channel,
    "check_version": lambda p: p.check_version,
}


@dataclass
class CheckAgreement:
    """One criterion's agreement with the reviewers, overall and per breakdown."""

    criterion: str
    check: str
    overall: dict[str, Any]
    by: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {"criterion": self.criterion, "check": self.check, **self.overall, "by": self.by}


def per_check(pairs: Iterable[Pair], accepted: dict[str, int] | None = None) -> list[CheckAgreement]:
    """Metrics per criterion (its check), overall and by week, team, channel and check version."""
    grouped: dict[tuple[str, str], list[Pair]] = defaultdict(list)
    for pair in pairs:
        grouped[(pair.criterion, pair.check)].append(pair)
    out = []
    for (criterion, check), items in sorted(grouped.items()):
        report = CheckAgreement(criterion, check, metrics(items, accepted=(accepted or {}).get(criterion, 0)))
        for name, key in BREAKDOWNS.items():
            parts: dict[str, list[Pair]] = defaultdict(list)
            for pair in items:
                parts[key(pair)].append(pair)
            report.by[name] = {k: metrics(v) for k, v in sorted(parts.items())}
        out.append(report)
    return out


def worst(pairs: Iterable[Pair], count: int = 5) -> list[dict[str, Any]]:
    """The disagreements the check was surest of, gold labels first: the check's evidence beside the comment."""
    wrong = [p for p in pairs if p.auto != p.human]
    wrong.sort(key=lambda p: (not p.gold, -(p.confidence or 0.0) * p.weight, p.interaction, p.criterion))
    return [{"interaction": p.interaction, "criterion": p.criterion, "check": p.check, "check_said": p.auto,
             "reviewers_said": p.human, "by": "calibration gold" if p.gold else ", ".join(p.reviewers),
             "confidence": p.confidence, "message": p.message, "evidence": list(p.evidence),
             "comment": p.comment} for p in wrong[:count]]


def drift(checks: Iterable[CheckAgreement], recorded: dict[str, float], *, margin: float,
          min_n: int) -> list[dict[str, Any]]:
    """Checks whose agreement is below their recorded accuracy by more than ``margin`` (with ``min_n`` labels)."""
    out = []
    for check in checks:
        expected = recorded.get(check.criterion)
        agreement = check.overall["agreement"]
        if expected is None or agreement is None or check.overall["n"] < min_n:
            continue
        if agreement < expected - margin:
            out.append({"criterion": check.criterion, "check": check.check, "agreement": agreement,
                        "recorded": expected, "margin": margin, "n": check.overall["n"]})
    return out
