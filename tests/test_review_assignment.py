"""Fair assignment: balanced, within capacity, never self-review, double review; property tests over random teams."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_toolkit.errors import QAError
from qa_toolkit.review.assignment import Item, Reviewer, assign


def loads(assignments, reviewers) -> Counter:  # type: ignore[no-untyped-def]
    counts = Counter({r.name: 0 for r in reviewers})
    counts.update(a.reviewer for a in assignments)
    return counts


def test_even_split_and_same_seed_same_result() -> None:
    items = [Item(i, agent_id=i % 4) for i in range(10)]
    reviewers = [Reviewer("ana"), Reviewer("bo"), Reviewer("cy")]
    result = assign(items, reviewers, seed=3)
    assert sorted(loads(result, reviewers).values()) == [3, 3, 4]
    assert result == assign(list(reversed(items)), reviewers, seed=3)
    assert [a.interaction_id for a in result] == list(range(10))


def test_reviewer_who_is_an_agent_never_gets_own_interactions() -> None:
    items = [Item(i, agent_id=7) for i in range(6)] + [Item(10 + i, agent_id=8) for i in range(6)]
    reviewers = [Reviewer("rita", agent_id=7), Reviewer("sam", agent_id=8)]
    result = assign(items, reviewers, seed=1)
    assert {a.interaction_id for a in result if a.reviewer == "rita"} == {10, 11, 12, 13, 14, 15}
    assert {a.interaction_id for a in result if a.reviewer == "sam"} == {0, 1, 2, 3, 4, 5}


def test_capacity_is_respected_and_the_rest_balanced() -> None:
    items = [Item(i) for i in range(10)]
    reviewers = [Reviewer("ana", capacity=2), Reviewer("bo"), Reviewer("cy")]
    assert loads(assign(items, reviewers, seed=0), reviewers) == {"ana": 2, "bo": 4, "cy": 4}


def test_open_assignments_count_when_balancing() -> None:
    reviewers = [Reviewer("ana", holding=4), Reviewer("bo"), Reviewer("cy", holding=1)]
    result = assign([Item(i) for i in range(7)], reviewers, seed=1)
    assert loads(result, reviewers) == {"ana": 0, "bo": 4, "cy": 3}


def test_capacity_freed_along_a_chain_of_moves() -> None:
    # Greedy alone could give ana the free item and leave bo's own-agent item nowhere to go.
    items = [Item(1, agent_id=None), Item(2, agent_id=5)]
    reviewers = [Reviewer("ana", capacity=1), Reviewer("bo", agent_id=5, capacity=1)]
    result = assign(items, reviewers, seed=0)
    assert {(a.interaction_id, a.reviewer) for a in result} == {(1, "bo"), (2, "ana")}


def test_double_review_share_goes_to_two_different_reviewers() -> None:
    items = [Item(i, agent_id=1) for i in range(10)]
    reviewers = [Reviewer("ana"), Reviewer("bo"), Reviewer("cy", agent_id=1)]
    result = assign(items, reviewers, double_share=0.3, seed=4)
    copies = Counter(a.interaction_id for a in result)
    assert sorted(copies.values()).count(2) == 3 and len(result) == 13
    assert all(a.double == (copies[a.interaction_id] == 2) for a in result)
    assert {a.reviewer for a in result if copies[a.interaction_id] == 2} == {"ana", "bo"}
    assert all(a.reviewer != "cy" for a in result)


@pytest.mark.parametrize(("items", "reviewers", "message"), [
    ([Item(1, agent_id=3)], [Reviewer("x", agent_id=3)], "interaction 1: no eligible reviewer"),
    ([Item(1), Item(2)], [Reviewer("x", capacity=1)], "not enough reviewer capacity"),
    ([Item(1)], [], "no reviewers"),
    ([Item(1), Item(1)], [Reviewer("x")], "listed twice"),
])
def test_impossible_assignments_are_explained(items, reviewers, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QAError, match=message):
        assign(items, reviewers)


teams = st.lists(
    st.tuples(st.one_of(st.none(), st.integers(0, 4)), st.one_of(st.none(), st.integers(0, 12)),
              st.integers(0, 5)),
    min_size=1, max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(team=teams, item_agents=st.lists(st.one_of(st.none(), st.integers(0, 4)), max_size=40),
       share=st.sampled_from([0.0, 0.25, 1.0]), seed=st.integers(0, 10))
def test_property_never_self_review_within_capacity_and_no_move_improves_balance(
        team, item_agents, share, seed) -> None:  # type: ignore[no-untyped-def]
    reviewers = [Reviewer(f"r{i}", agent_id=agent, capacity=cap, holding=holding)
                 for i, (agent, cap, holding) in enumerate(team)]
    items = [Item(i, agent_id=agent) for i, agent in enumerate(item_agents)]
    try:
        result = assign(items, reviewers, double_share=share, seed=seed)
    except QAError:
        # infeasible teams are reported, not half-assigned; without capacities that means an item
        # whose only possible reviewers are its own agent
        if all(r.capacity is None for r in reviewers):
            assert any(all(r.agent_id == i.agent_id for r in reviewers) for i in items if i.agent_id is not None) \
                or (share and len(reviewers) < 2) or any(
                sum(r.agent_id != i.agent_id or r.agent_id is None for r in reviewers) < 2 for i in items)
        return
    by_name = {r.name: r for r in reviewers}
    agent_of = {i.interaction_id: i.agent_id for i in items}
    count = loads(result, reviewers)
    for a in result:
        own = by_name[a.reviewer].agent_id
        assert own is None or own != agent_of[a.interaction_id], "self-review"
    assert len(set((a.interaction_id, a.reviewer) for a in result)) == len(result), "same reviewer twice"
    copies = Counter(a.interaction_id for a in result)
    assert set(copies) == set(agent_of) and all(n in (1, 2) for n in copies.values())
    for name, reviewer in by_name.items():
        assert reviewer.capacity is None or count[name] <= reviewer.capacity
    # no single move from a reviewer to one with at least 2 fewer items in all would be allowed
    held = {(a.interaction_id, a.reviewer) for a in result}
    total = {name: count[name] + r.holding for name, r in by_name.items()}
    for a in result:
        for other, reviewer in by_name.items():
            if total[other] <= total[a.reviewer] - 2:
                allowed = ((reviewer.capacity is None or count[other] < reviewer.capacity)
                           and (reviewer.agent_id is None or reviewer.agent_id != agent_of[a.interaction_id])
                           and (a.interaction_id, other) not in held)
                assert not allowed, f"{a} could move to {other}: {dict(count)}"


@settings(max_examples=100, deadline=None)
@given(n_reviewers=st.integers(1, 7), n_items=st.integers(0, 60), seed=st.integers(0, 100))
def test_property_unconstrained_counts_within_one(n_reviewers: int, n_items: int, seed: int) -> None:
    reviewers = [Reviewer(f"r{i}") for i in range(n_reviewers)]
    result = assign([Item(i, agent_id=i % 5) for i in range(n_items)], reviewers, seed=seed)
    count = loads(result, reviewers)
    assert max(count.values()) - min(count.values()) <= 1
