"""Python's cycle collector run less often during bulk work (an import's or a scoring run's batches).

By default it runs every 700 new container objects; a batch builds hundreds of thousands of short-lived, acyclic
rows, views, verdicts and evidence dicts, and each pass walks the young heap again: up to a quarter of an import's
time, about a sixth of a scoring batch's checks. Memory is still freed as usual (reference counting); cycles are
collected, only less often.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

THRESHOLD = 50_000  # new container objects between two young-generation passes (Python's default: 700)


@contextmanager
def fewer_gc_passes() -> Iterator[None]:
    """Inside the block, the youngest generation is collected every :data:`THRESHOLD` new objects instead of 700
    (worker processes forked meanwhile inherit this); the old thresholds come back afterwards."""
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
