"""Choosing which interactions people review: random, stratified or targeted, reproducible with a seed.

Pure functions over :class:`Candidate` records (the services build them from the database). The size
of a sample is either ``per_agent`` interactions for every agent, or ``percent`` of the eligible pool.

- ``random``: a simple random sample (per agent when ``per_agent`` is given).
- ``stratified``: the sample is spread over strata (agent, queue or channel) in proportion to their
  size (largest remainder), so small queues are not missed by chance.
- ``targeted``: interactions that look risky come first — low automated score, critical auto-fail,
  negative customer sentiment at the end, escalations, low CSAT — each with a quota (a share of the
  sample); what the quotas leave is filled with other risky interactions, then at random.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from qa_toolkit.errors import QAError

Strategy = Literal["random", "stratified", "targeted"]
STRATEGIES: tuple[str, ...] = ("random", "stratified", "targeted")
STRATA: tuple[str, ...] = ("agent", "queue", "channel")


@dataclass(frozen=True)
class Candidate:
    """What sampling needs to know about one interaction."""

    interaction_id: int
    agent_id: int | None = None
    queue: str | None = None
    channel: str | None = None
    started_at: datetime | None = None
    auto_score: float | None = None
    critical_failed: bool = False
    sentiment_end: float | None = None
    escalated: bool | None = None
    csat: int | None = None


@dataclass(frozen=True)
class Targets:
    """Thresholds of the targeted strategy and the share of the sample each target gets.

    Attributes:
        low_auto_score: an automated score below this is "low" (0–100).
        negative_sentiment: a compound VADER score of the customer's last turns below this is negative.
        low_csat: a CSAT at or below this is low.
        quotas: target name → share of the sample (0–1), in priority order.
    """

    low_auto_score: float = 70.0
    negative_sentiment: float = -0.05
    low_csat: int = 2
    quotas: dict[str, float] = field(default_factory=lambda: {
        "critical_fail": 0.2, "low_auto_score": 0.3, "negative_end": 0.15, "escalated": 0.1, "low_csat": 0.1})

    def rules(self) -> dict[str, Callable[[Candidate], bool]]:
        """Each target's name and its test."""
        return {
            "critical_fail": lambda c: c.critical_failed,
            "low_auto_score": lambda c: c.auto_score is not None and c.auto_score < self.low_auto_score,
            "negative_end": lambda c: c.sentiment_end is not None and c.sentiment_end < self.negative_sentiment,
            "escalated": lambda c: bool(c.escalated),
            "low_csat": lambda c: c.csat is not None and c.csat <= self.low_csat,
        }

    def __post_init__(self) -> None:
        unknown = sorted(set(self.quotas) - set(self.rules()))
        if unknown:
            raise QAError(f"unknown sampling target {unknown[0]!r}: choose from {', '.join(self.rules())}")
        if any(not 0 <= share <= 1 for share in self.quotas.values()) or sum(self.quotas.values()) > 1 + 1e-9:
            raise QAError("sampling quotas must be shares between 0 and 1 that add up to at most 1")


@dataclass(frozen=True)
class Pick:
    """One sampled interaction, with why it was picked and from which stratum."""

    interaction_id: int
    reason: str
    stratum: str


def allocate(total: int, sizes: dict[str, int]) -> dict[str, int]:
    """Split ``total`` over strata in proportion to their sizes (largest remainder, capped at each size)."""
    total = min(total, sum(sizes.values()))
    population = sum(sizes.values())
    if population == 0 or total == 0:
        return {key: 0 for key in sizes}
    exact = {key: total * size / population for key, size in sizes.items()}
    shares = {key: math.floor(value) for key, value in exact.items()}
    by_remainder = sorted(sizes, key=lambda key: (-(exact[key] - shares[key]), key))
    for key in by_remainder[: total - sum(shares.values())]:
        shares[key] += 1
    return shares


def _stratum_of(candidate: Candidate, by: str) -> str:
    value = {"agent": candidate.agent_id, "queue": candidate.queue, "channel": candidate.channel}[by]
    return "(none)" if value is None else str(value)


def _random_picks(rng: random.Random, pool: Sequence[Candidate], n: int, stratum: str,
                  reason: str = "random") -> list[Pick]:
    return [Pick(c.interaction_id, reason, stratum) for c in rng.sample(list(pool), min(n, len(pool)))]


def _stratified_picks(rng: random.Random, pool: Sequence[Candidate], n: int, by: str,
                      prefix: str = "") -> list[Pick]:
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in pool:
        groups[_stratum_of(candidate, by)].append(candidate)
    picks: list[Pick] = []
    for key, count in sorted(allocate(n, {k: len(v) for k, v in groups.items()}).items()):
        picks += _random_picks(rng, groups[key], count, f"{prefix}{by}={key}")
    return picks


def _targeted_picks(rng: random.Random, pool: Sequence[Candidate], n: int, targets: Targets,
                    stratum: str) -> list[Pick]:
    rules = targets.rules()
    chosen: dict[int, Pick] = {}
    remaining = n
    for name, share in targets.quotas.items():
        quota = min(remaining, round(share * n))
        matching = [c for c in pool if c.interaction_id not in chosen and rules[name](c)]
        for pick in _random_picks(rng, matching, quota, stratum, reason=name):
            chosen[pick.interaction_id] = pick
        remaining = n - len(chosen)
    risky = [c for c in pool if c.interaction_id not in chosen and any(rule(c) for rule in rules.values())]
    for candidate in rng.sample(risky, min(remaining, len(risky))):
        reason = next(name for name, rule in rules.items() if rule(candidate))
        chosen[candidate.interaction_id] = Pick(candidate.interaction_id, reason, stratum)
    rest = [c for c in pool if c.interaction_id not in chosen]
    for pick in _random_picks(rng, rest, n - len(chosen), stratum):
        chosen[pick.interaction_id] = pick
    return list(chosen.values())


def sample(
    candidates: Iterable[Candidate],
    *,
    per_agent: int | None = None,
    percent: float | None = None,
    strategy: Strategy | str = "random",
    stratify_by: str = "agent",
    seed: int | None = None,
    exclude: Iterable[int] = (),
    targets: Targets | None = None,
) -> list[Pick]:
    """Pick interactions to review.

    Args:
        candidates: the interactions to choose from.
        per_agent: this many interactions of every agent (fewer where an agent has fewer).
        percent: this share (0–100] of the eligible interactions, rounded to the nearest integer.
        strategy: ``random``, ``stratified`` or ``targeted``.
        stratify_by: ``agent``, ``queue`` or ``channel`` (stratified: the strata; with ``per_agent``
            each agent's picks are spread over the agent's queues or channels).
        seed: the same seed and candidates give the same sample.
        exclude: interaction ids never to pick (already under review for the rubric).
        targets: thresholds and quotas of the targeted strategy.

    Returns:
        The picks, ordered by interaction id.

    Raises:
        QAError: neither or both of ``per_agent`` and ``percent``, or an unknown strategy or stratum.
    """
    if (per_agent is None) == (percent is None):
        raise QAError("give exactly one sample size: --per-agent N or --percent P")
    if per_agent is not None and per_agent < 1:
        raise QAError(f"--per-agent must be at least 1, got {per_agent}")
    if percent is not None and not 0 < percent <= 100:
        raise QAError(f"--percent must be in (0, 100], got {percent}")
    if strategy not in STRATEGIES:
        raise QAError(f"unknown sampling strategy {strategy!r}: choose {', '.join(STRATEGIES)}")
    if stratify_by not in STRATA:
        raise QAError(f"unknown stratum {stratify_by!r}: choose {', '.join(STRATA)}")
    excluded = set(exclude)
    pool = sorted((c for c in candidates if c.interaction_id not in excluded), key=lambda c: c.interaction_id)
    rng = random.Random(seed)
    targets = targets or Targets()

    def pick_from(group: Sequence[Candidate], n: int, stratum: str) -> list[Pick]:
        if strategy == "targeted":
            return _targeted_picks(rng, group, n, targets, stratum or "all")
        if strategy == "stratified" and not (per_agent is not None and stratify_by == "agent"):
            return _stratified_picks(rng, group, n, stratify_by, prefix=f"{stratum}, " if stratum else "")
        return _random_picks(rng, group, n, stratum or "all")

    if per_agent is not None:
        by_agent: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in pool:
            by_agent[_stratum_of(candidate, "agent")].append(candidate)
        picks = [p for key in sorted(by_agent) for p in pick_from(by_agent[key], per_agent, f"agent={key}")]
    else:
        assert percent is not None
        picks = pick_from(pool, round(len(pool) * percent / 100), "")
    return sorted(picks, key=lambda p: p.interaction_id)
