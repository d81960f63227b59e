"""Sharing sampled interactions fairly among reviewers.

Every item goes to one reviewer (two different ones for the share picked for double review), never
to a reviewer who is the item's own agent, never beyond a reviewer's capacity, and as evenly as those
rules allow: each item is placed with the least-loaded eligible reviewer, freeing room along a chain
of moves when everyone eligible is full, then load is moved from busy to idle reviewers along such
chains until no chain lowers the spread. Without self-review or capacity limits in the way, the
counts (including what reviewers already hold, when given) differ by at most one.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from qa_toolkit.errors import QAError


@dataclass(frozen=True)
class Reviewer:
    """A reviewer: name, the agent they are (if any), how many more items they can take (None: no
    limit), and how many they hold already (counted when balancing)."""

    name: str
    agent_id: int | None = None
    capacity: int | None = None
    holding: int = 0


@dataclass(frozen=True)
class Item:
    """An interaction to assign, with its agent (``label`` names it in messages)."""

    interaction_id: int
    agent_id: int | None = None
    label: str | None = None

    @property
    def name(self) -> str:
        return self.label or str(self.interaction_id)


@dataclass(frozen=True)
class Assignment:
    """One reviewer's copy of an item; ``double`` marks items reviewed twice for agreement."""

    interaction_id: int
    reviewer: str
    double: bool = False


@dataclass
class _Slot:
    item: Item
    double: bool
    reviewer: str | None = None


class _Board:
    """Who holds which slot, with the rules for who may take one."""

    def __init__(self, reviewers: Sequence[Reviewer]) -> None:
        self.reviewers = {r.name: r for r in reviewers}
        self.held: dict[str, list[_Slot]] = {r.name: [] for r in reviewers}
        self.items_of: dict[str, set[int]] = {r.name: set() for r in reviewers}

    def load(self, name: str) -> int:
        return self.reviewers[name].holding + len(self.held[name])

    def has_room(self, name: str) -> bool:
        capacity = self.reviewers[name].capacity
        return capacity is None or len(self.held[name]) < capacity

    def may_take(self, name: str, slot: _Slot) -> bool:
        """Not the item's agent, and not already holding the other copy of the item."""
        agent = self.reviewers[name].agent_id
        if agent is not None and agent == slot.item.agent_id:
            return False
        return slot.item.interaction_id not in self.items_of[name]

    def give(self, slot: _Slot, name: str) -> None:
        if slot.reviewer is not None:
            self.held[slot.reviewer].remove(slot)
            self.items_of[slot.reviewer].discard(slot.item.interaction_id)
        slot.reviewer = name
        self.held[name].append(slot)
        self.items_of[name].add(slot.item.interaction_id)

    def chain(self, starts: Sequence[str], is_end) -> list[tuple[_Slot, str]] | None:  # type: ignore[no-untyped-def]
        """The shortest chain of moves from one of ``starts`` to a reviewer ``is_end`` accepts.

        Returns the moves (slot, new reviewer) ending at that reviewer, or None.
        """
        came_from: dict[str, tuple[str, _Slot] | None] = {name: None for name in starts}
        queue = deque(starts)
        while queue:
            current = queue.popleft()
            for slot in self.held[current]:
                for other in self.reviewers:
                    if other in came_from or not self.may_take(other, slot):
                        continue
                    came_from[other] = (current, slot)
                    if is_end(other):
                        moves: list[tuple[_Slot, str]] = []
                        node = other
                        while (step := came_from[node]) is not None:
                            moves.append((step[1], node))
                            node = step[0]
                        return moves
                    queue.append(other)
        return None


def assign(items: Sequence[Item], reviewers: Sequence[Reviewer], *, double_share: float = 0.0,
           seed: int | None = None) -> list[Assignment]:
    """Assign items to reviewers: balanced, within capacities, never self-review.

    Args:
        items: the interactions to review (each once in the input).
        reviewers: who reviews.
        double_share: share (0–1) of the items, picked at random among those two reviewers other than
            their agent can take, that two different reviewers review.
        seed: the same seed and input give the same assignment.

    Returns:
        One assignment per reviewer copy, ordered by interaction id, then reviewer.

    Raises:
        QAError: no reviewers, duplicate items, a share out of range, or no way to place every item
            (not enough capacity, or only the item's own agent could review it).
    """
    if not reviewers:
        raise QAError("no reviewers to assign to: give --reviewers a,b,...")
    if len({r.name for r in reviewers}) != len(reviewers):
        raise QAError("a reviewer is named twice in --reviewers")
    if len({i.interaction_id for i in items}) != len(items):
        raise QAError("an interaction is listed twice for assignment")
    if not 0 <= double_share <= 1:
        raise QAError(f"the double-review share must be between 0 and 1, got {double_share}")
    rng = random.Random(seed)
    ordered = sorted(items, key=lambda i: i.interaction_id)
    can_double = [i for i in ordered if sum(r.agent_id is None or r.agent_id != i.agent_id for r in reviewers) >= 2]
    doubles = {i.interaction_id for i in rng.sample(can_double, min(len(can_double),
                                                                    round(double_share * len(ordered))))}
    slots = [_Slot(item, item.interaction_id in doubles) for item in ordered]
    slots += [_Slot(item, True) for item in ordered if item.interaction_id in doubles]

    names = [r.name for r in reviewers]
    rng.shuffle(names)
    board = _Board([next(r for r in reviewers if r.name == n) for n in names])

    def eligible(slot: _Slot) -> list[str]:
        return [name for name in names if board.may_take(name, slot)]

    rng.shuffle(slots)
    slots.sort(key=lambda s: len(eligible(s)))
    for slot in slots:
        candidates = eligible(slot)
        if not candidates:
            raise QAError(f"interaction {slot.item.name}: no eligible reviewer "
                          "(each one is its agent or reviews it already); add another reviewer")
        free = [name for name in candidates if board.has_room(name)]
        if free:
            board.give(slot, min(free, key=board.load))
            continue
        moves = board.chain(candidates, board.has_room)
        if moves is None:
            raise QAError(f"not enough reviewer capacity to place interaction {slot.item.name}: "
                          "raise a reviewer's capacity or add reviewers")
        for moved, name in moves:
            board.give(moved, name)
        board.give(slot, next(name for name in candidates if board.has_room(name)))

    improved = True
    while improved:
        improved = False
        for busiest in sorted(names, key=board.load, reverse=True):
            limit = board.load(busiest) - 2
            moves = board.chain([busiest], lambda n, limit=limit: board.load(n) <= limit and board.has_room(n))
            if moves:
                for moved, name in moves:
                    board.give(moved, name)
                improved = True
                break

    result = [Assignment(s.item.interaction_id, s.reviewer, s.double) for s in slots if s.reviewer]
    return sorted(result, key=lambda a: (a.interaction_id, a.reviewer))

