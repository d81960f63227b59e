"""Which evaluation speaks for an interaction, and per-criterion verdicts across evaluations.

An interaction may have an automated evaluation and peer reviews. Reports use one verdict per
interaction: the latest peer review when there is one (a human confirmed or corrected it), else
the latest automated evaluation. Calibration evaluations never reach reports.
"""

from __future__ import annotations

from collections.abc import Iterable

from qa_toolkit.reports.records import Evaluation


def verdicts(evaluations: Iterable[Evaluation]) -> list[Evaluation]:
    """One evaluation per (interaction, rubric): the latest review, else the latest auto one.

    Returned in the order of the interactions' start.
    """
    chosen: dict[tuple[int, str], Evaluation] = {}
    for evaluation in evaluations:
        key = (evaluation.interaction_id, evaluation.rubric)
        current = chosen.get(key)
        if current is None or _rank(evaluation) >= _rank(current):
            chosen[key] = evaluation
    return sorted(chosen.values(), key=lambda e: (e.at, e.id))


def _rank(evaluation: Evaluation) -> tuple[int, int]:
    return (1 if evaluation.kind == "review" else 0, evaluation.id)


def mean_score(evaluations: Iterable[Evaluation]) -> float | None:
    """Mean evaluation score (IQS) of the scored evaluations, or None."""
    scores = [e.score for e in evaluations if e.score is not None]
    return sum(scores) / len(scores) if scores else None
