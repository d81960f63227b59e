"""Feedback on automated evidence, given in the review session: the verdict is wrong, its quote is wrong
evidence, or a turn holds the evidence the check missed. Stored with the submitted review and audited;
counted by ``qa score eval --from-reviews``; the turns become exemplars in ``qa rubric tune``."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_toolkit.errors import QAError
from qa_toolkit.review.criteria import FEEDBACK
from qa_toolkit.scoring.tune import Pointer
from qa_toolkit.services import audit
from qa_toolkit.storage.models import Evaluation, EvidenceFeedback, Interaction, RubricVersion, User


def store(session: Session, *, interaction: Interaction, evaluation: Evaluation, auto: Evaluation | None,
          reviewer: User | None, feedback: dict[str, dict[str, Any]], actor: str | None) -> list[EvidenceFeedback]:
    """One row per criterion and kind, audited.

    Raises:
        QAError: feedback on a criterion without an automated verdict, an unknown kind, or a turn the
            interaction does not have.
    """
    verdicts = {r.criterion_key: r for r in auto.results} if auto is not None else {}
    turns = {t.index for t in interaction.turns}
    rows = []
    for key, marks in sorted(feedback.items()):
        if key not in verdicts or verdicts[key].decided_by != "auto":
            raise QAError(f"feedback on criterion {key!r}: it has no automated verdict to give feedback on")
        for kind, value in sorted(marks.items()):
            if kind not in FEEDBACK:
                raise QAError(f"feedback on criterion {key!r}: unknown kind {kind!r} (one of {', '.join(FEEDBACK)})")
            turn = None
            if kind == "missing_evidence":
                if not isinstance(value, int) or isinstance(value, bool) or value not in turns:
                    raise QAError(f"feedback on criterion {key!r}: the interaction has no turn {value!r}")
                turn = value
            rows.append(EvidenceFeedback(interaction_id=interaction.id, evaluation_id=evaluation.id,
                                         auto_evaluation_id=auto.id if auto is not None else None,
                                         reviewer_id=reviewer.id if reviewer else None, criterion_key=key,
                                         kind=kind, turn=turn))
    session.add_all(rows)
    session.flush()
    for row in rows:
        audit.record(session, actor=actor, action="evidence.feedback", entity_type="evaluation",
                     entity_id=evaluation.id, after={"interaction": interaction.external_id,
                                                     "criterion": row.criterion_key, "kind": row.kind,
                                                     "turn": row.turn})
    return rows


def counts(session: Session, evaluation_ids: list[int]) -> dict[str, dict[str, int]]:
    """Criterion key → kind → how many times reviewers gave it, on these (review) evaluations."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for start in range(0, len(evaluation_ids), 500):
        for key, kind in session.execute(
                select(EvidenceFeedback.criterion_key, EvidenceFeedback.kind)
                .where(EvidenceFeedback.evaluation_id.in_(evaluation_ids[start:start + 500]))):
            out[key][kind] += 1
    return {key: {kind: c[kind] for kind in FEEDBACK} for key, c in sorted(out.items())}


def pointers(session: Session, interaction_ids: list[int]) -> list[Pointer]:
    """The turns reviewers pointed at: missing evidence (positive), and the quoted turns of verdicts whose
    evidence they marked wrong (negative)."""
    out: list[Pointer] = []
    for start in range(0, len(interaction_ids), 500):
        rows = session.execute(
            select(EvidenceFeedback, Interaction.external_id)
            .join(Interaction, Interaction.id == EvidenceFeedback.interaction_id)
            .where(EvidenceFeedback.interaction_id.in_(interaction_ids[start:start + 500]),
                   EvidenceFeedback.kind.in_(["missing_evidence", "wrong_evidence"]))
            .order_by(EvidenceFeedback.id)).all()
        for row, external in rows:
            if row.kind == "missing_evidence" and row.turn is not None:
                out.append(Pointer(external, row.criterion_key, row.turn, True))
            elif row.auto_evaluation_id is not None:
                auto = session.get(Evaluation, row.auto_evaluation_id)
                result = next((r for r in auto.results if r.criterion_key == row.criterion_key), None) if auto else None
                for item in (result.evidence if result else None) or []:
                    if isinstance(item, dict) and isinstance(item.get("turn"), int):
                        out.append(Pointer(external, row.criterion_key, item["turn"], False))
    return out


def rubric_evaluations(session: Session, rubric: str | None) -> list[int]:
    """The ids of the review and calibration evaluations (of ``rubric``) that carry feedback."""
    query = (select(EvidenceFeedback.evaluation_id).distinct()
             .join(Evaluation, Evaluation.id == EvidenceFeedback.evaluation_id))
    if rubric:
        query = query.join(RubricVersion, Evaluation.rubric_version_id == RubricVersion.id).where(
            RubricVersion.name == rubric)
    return [eid for (eid,) in session.execute(query)]
