"""Sampling strategies over plain candidate records: sizes, strata, targets, seeds, exclusions."""

from __future__ import annotations

from collections import Counter

import pytest

from qa_toolkit.errors import QAError
from qa_toolkit.review.sampling import Candidate, Targets, allocate, sample


def team(n_agents: int = 3, per_agent: int = 10) -> list[Candidate]:
    queues = ["billing", "tech"]
    return [
        Candidate(interaction_id=a * 100 + i, agent_id=a, queue=queues[i % 2] if a != 2 else "billing",
                  channel="call" if i < 3 else "chat")
        for a in range(1, n_agents + 1) for i in range(per_agent)
    ]


def test_same_seed_gives_same_sample_and_other_seed_differs() -> None:
    pool = team()
    first = sample(pool, percent=30, seed=7)
    assert first == sample(list(reversed(pool)), percent=30, seed=7)
    assert [p.interaction_id for p in first] != [p.interaction_id for p in sample(pool, percent=30, seed=8)]
    assert len(first) == 9


def test_per_agent_takes_n_of_every_agent_or_all_they_have() -> None:
    pool = team() + [Candidate(interaction_id=999, agent_id=9)]
    picks = sample(pool, per_agent=4, seed=1)
    agents = Counter(p.stratum for p in picks)
    assert agents == {"agent=1": 4, "agent=2": 4, "agent=3": 4, "agent=9": 1}


def test_stratified_by_queue_is_proportional() -> None:
    # 20 billing (agent 1: 5, agent 2: 10, agent 3: 5) + 10 tech; 40 % of 30 = 12 -> 8 + 4
    pool = team(3, 10)
    picks = sample(pool, percent=40, strategy="stratified", stratify_by="queue", seed=3)
    counts = Counter(p.stratum for p in picks)
    assert counts == {"queue=billing": 8, "queue=tech": 4}
    by_id = {c.interaction_id: c for c in pool}
    assert all(p.stratum == f"queue={by_id[p.interaction_id].queue}" for p in picks)


def test_stratified_per_agent_spreads_each_agents_picks_over_channels() -> None:
    pool = team(2, 10)  # per agent: 3 calls, 7 chats
    picks = sample(pool, per_agent=5, strategy="stratified", stratify_by="channel", seed=2)
    counts = Counter(p.stratum for p in picks)
    # 5 * 3/10 = 1.5, 5 * 7/10 = 3.5 -> largest remainder ties broken by name: call 2, chat 3
    assert counts == {"agent=1, channel=call": 2, "agent=1, channel=chat": 3,
                      "agent=2, channel=call": 2, "agent=2, channel=chat": 3}


def test_allocate_largest_remainder_and_caps() -> None:
    assert allocate(10, {"a": 5, "b": 3, "c": 2}) == {"a": 5, "b": 3, "c": 2}
    assert allocate(3, {"a": 5, "b": 3, "c": 2}) == {"a": 1, "b": 1, "c": 1}  # 1.5, 0.9, 0.6
    assert allocate(50, {"a": 1}) == {"a": 1}
    assert sum(allocate(7, {"x": 13, "y": 29, "z": 1}).values()) == 7


def test_excluded_interactions_are_never_sampled() -> None:
    pool = team()
    excluded = {c.interaction_id for c in pool[:25]}
    picks = sample(pool, percent=100, seed=1, exclude=excluded)
    assert {p.interaction_id for p in picks} == {c.interaction_id for c in pool[25:]}


def test_targeted_fills_quotas_with_risky_interactions_first() -> None:
    pool = [Candidate(interaction_id=i, agent_id=1, auto_score=90.0) for i in range(100)]
    pool[3] = Candidate(interaction_id=3, agent_id=1, auto_score=20.0, critical_failed=True)
    pool[10] = Candidate(interaction_id=10, agent_id=1, auto_score=55.0)
    pool[11] = Candidate(interaction_id=11, agent_id=1, auto_score=60.0)
    pool[20] = Candidate(interaction_id=20, agent_id=1, auto_score=95.0, sentiment_end=-0.6)
    pool[30] = Candidate(interaction_id=30, agent_id=1, auto_score=95.0, escalated=True)
    pool[40] = Candidate(interaction_id=40, agent_id=1, auto_score=95.0, csat=1)
    picks = sample(pool, percent=10, strategy="targeted", seed=5)
    reasons = {p.interaction_id: p.reason for p in picks}
    assert len(picks) == 10
    assert reasons[3] == "critical_fail"
    assert reasons[10] == reasons[11] == "low_auto_score"
    assert reasons[20] == "negative_end" and reasons[30] == "escalated" and reasons[40] == "low_csat"
    assert Counter(reasons.values())["random"] == 4


def test_targeted_quota_limits_one_target() -> None:
    pool = [Candidate(interaction_id=i, agent_id=1, auto_score=10.0 if i < 50 else 90.0) for i in range(100)]
    targets = Targets(quotas={"low_auto_score": 0.5})
    picks = sample(pool, percent=20, strategy="targeted", seed=1, targets=targets)
    # quota 10 of low scores, then the remaining 10 are filled with other risky (low) ones
    assert all(p.interaction_id < 50 for p in picks)
    targets = Targets(quotas={"low_auto_score": 0.5}, low_auto_score=5.0)
    assert all(p.reason == "random" for p in sample(pool, percent=20, strategy="targeted", seed=1, targets=targets))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({}, "exactly one sample size"),
    ({"per_agent": 2, "percent": 5}, "exactly one sample size"),
    ({"percent": 0}, "--percent must be in"),
    ({"per_agent": 0}, "--per-agent must be at least 1"),
    ({"percent": 5, "strategy": "lucky"}, "unknown sampling strategy 'lucky'"),
    ({"percent": 5, "strategy": "stratified", "stratify_by": "moon"}, "unknown stratum 'moon'"),
])
def test_bad_sampling_options_are_explained(kwargs: dict, message: str) -> None:
    with pytest.raises(QAError, match=message):
        sample(team(), **kwargs)


def test_unknown_target_in_quotas_is_explained() -> None:
    with pytest.raises(QAError, match="unknown sampling target 'low_sore'"):
        Targets(quotas={"low_sore": 0.2})
