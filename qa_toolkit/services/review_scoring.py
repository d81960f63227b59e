"""The one adapter between peer review and the rubrics-and-scoring tables (revision 0003).

Everything review knows about how rubric versions are stored (their JSON ``body``, the dump of
:class:`qa_toolkit.rubrics.model.Rubric`), how evaluations and criterion results are written, and
the score formula (:mod:`qa_toolkit.scoring.formula`) lives here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa_toolkit.errors import NotFoundError
from qa_toolkit.review.criteria import NA, ReviewCriterion, ScalePoint, Scoresheet
from qa_toolkit.scoring import formula
from qa_toolkit.scoring.formula import CriterionInput, ScoreResult, normalize
from qa_toolkit.storage.models import CriterionResult, Evaluation, Interaction, RubricVersion, User

PASS_AT = 50.0  # a criterion at or above half its scale counts as passed


def latest_version(session: Session, name: str) -> RubricVersion:
    """The latest published version of rubric ``name``.

    Raises:
        NotFoundError: nothing published under that name.
    """
    version = session.scalar(select(RubricVersion).where(RubricVersion.name == name)
                             .order_by(RubricVersion.version.desc()).limit(1))
    if version is None:
        known = list(session.scalars(select(RubricVersion.name).distinct()))
        hint = f"; published: {', '.join(sorted(known))}" if known else "; publish one with `qa rubric publish FILE`"
        raise NotFoundError(f"no published rubric {name!r}{hint}")
    return version


def _raw_criteria(version: RubricVersion) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(category, criterion) pairs of the stored body: ``Rubric.model_dump(mode="json")``.

    Read as plain data, not re-validated: the version was validated when published, and
    re-validating would load every automated check just to show a reviewer the questions.
    """
    return [(category, criterion) for category in version.body.get("categories", [])
            for criterion in category.get("criteria", [])]


def rubric_scope(version: RubricVersion) -> tuple[list[str], list[str]]:
    """The channels and queues (empty: any) the rubric applies to."""
    return list(version.body.get("channels") or version.channels or []), list(version.body.get("queues") or [])


def _scale(raw: dict[str, Any]) -> tuple[float, float, dict[float, str]]:
    scale = raw.get("scale") or {"min": 0, "max": 1, "labels": {0: "no", 1: "yes"}}
    labels = {float(k): str(v) for k, v in (scale.get("labels") or {}).items()}
    return float(scale["min"]), float(scale["max"]), labels


def _points(raw: dict[str, Any]) -> tuple[ScalePoint, ...]:
    """A scale's points: its labelled points, else every whole number from min to max."""
    low, high, labels = _scale(raw)
    if labels:
        return tuple(ScalePoint(value, label) for value, label in sorted(labels.items()))
    return tuple(ScalePoint(float(v), f"{v:g}") for v in range(int(low), int(high) + 1))


def criteria_of(version: RubricVersion) -> list[ReviewCriterion]:
    """The criteria of a stored rubric version as reviewers see them, in rubric order."""
    return [
        ReviewCriterion(key=raw["key"], category=category["key"], question=raw.get("question") or raw["key"],
                        guidance=raw.get("guidance") or "", points=_points(raw), allow_na=bool(raw.get("allow_na")),
                        mode=raw.get("mode") or ("auto" if raw.get("check") else "manual"),
                        critical=(raw.get("critical") or "none") != "none", weight=float(raw.get("weight", 1.0)))
        for category, raw in _raw_criteria(version)
    ]


def normalized(criterion: ReviewCriterion, value: float | None) -> float | None:
    """A criterion value on 0–100 (None for N/A)."""
    return normalize(value, criterion.minimum, criterion.maximum)


def compute_score(version: RubricVersion, values: dict[str, float | None]) -> ScoreResult:
    """Score values (None = N/A) with the rubric-and-scoring formula; criteria absent from ``values`` are N/A."""
    inputs = []
    for category, raw in _raw_criteria(version):
        low, high, _ = _scale(raw)
        inputs.append(CriterionInput(
            key=raw["key"], category=category["key"], value=values.get(raw["key"]), scale_min=low, scale_max=high,
            weight=float(raw.get("weight", 1.0)), critical=raw.get("critical") or "none",
            threshold=float(raw.get("critical_threshold", 50.0)), bonus=float(raw.get("bonus", 0.0))))
    weights = {c["key"]: float(c.get("weight", 1.0)) for c in version.body.get("categories", [])}
    return formula.score(inputs, weights)


def auto_evaluation(session: Session, interaction_id: int, version: RubricVersion) -> Evaluation | None:
    """The current automated evaluation of an interaction for this rubric version (or an older version of it)."""
    return session.scalar(
        select(Evaluation).join(RubricVersion, Evaluation.rubric_version_id == RubricVersion.id)
        .where(Evaluation.interaction_id == interaction_id, Evaluation.kind == "auto",
               Evaluation.is_current.is_(True), RubricVersion.name == version.name)
        .order_by((Evaluation.rubric_version_id == version.id).desc(), RubricVersion.version.desc(),
                  Evaluation.id.desc()).limit(1))


def results_of(evaluation: Evaluation | None) -> dict[str, CriterionResult]:
    """Criterion key → result of an evaluation (empty for None)."""
    return {} if evaluation is None else {r.criterion_key: r for r in evaluation.results}


def create_evaluation(session: Session, *, interaction: Interaction, version: RubricVersion, kind: str,
                      reviewer: User | None, sheet: Scoresheet, auto: Evaluation | None, actor: str | None,
                      supersedes: Evaluation | None = None) -> Evaluation:
    """Store a review, calibration or re-scored evaluation with one result per criterion.

    Criteria the reviewer scored are ``decided_by="user"``; criteria left to the automated check
    (``auto`` and ``auto_then_review`` ones the reviewer did not override) keep the value and the
    decider of ``auto`` (the automated evaluation, or the previous version when re-scoring after a
    dispute). Both evaluations stay stored.
    """
    criteria = criteria_of(version)
    automated = results_of(auto)
    values: dict[str, float | None] = {}
    rows: list[CriterionResult] = []
    for criterion in criteria:
        if criterion.key in sheet.values:
            raw = sheet.values[criterion.key]
            value = None if raw == NA else float(raw)
            decided_by, evidence, message = "user", [], None
            comment = sheet.comments.get(criterion.key)
            if criterion.key in automated:
                evidence = list(automated[criterion.key].evidence or [])
        elif criterion.key in automated:
            source = automated[criterion.key]
            value, decided_by, evidence, message = source.value, source.decided_by, list(source.evidence or []), \
                source.message
            comment = sheet.comments.get(criterion.key, source.comment)
        else:
            continue
        values[criterion.key] = value
        norm = normalized(criterion, value)
        status = "na" if norm is None else ("pass" if norm >= PASS_AT else "fail")
        rows.append(CriterionResult(criterion_key=criterion.key, category=criterion.category, value=value,
                                    normalized=norm, status=status, message=message, evidence=evidence,
                                    comment=comment, decided_by=decided_by))
    result = compute_score(version, values)
    evaluation = Evaluation(
        interaction=interaction, rubric_version=version, kind=kind, reviewer=reviewer,
        score=None if result.score is None else round(result.score, 4), critical_failed=result.critical_failed,
        category_scores={k: None if v is None else round(v, 4) for k, v in result.categories.items()},
        comment=sheet.comment,
        created_by=actor, version=(supersedes.version + 1) if supersedes else 1,
        supersedes_id=supersedes.id if supersedes else None, is_current=True, results=rows,
    )
    if supersedes is not None:
        supersedes.is_current = False
    session.add(evaluation)
    session.flush()
    return evaluation


def evaluation_as_dict(evaluation: Evaluation) -> dict[str, Any]:
    """An evaluation with its criterion results as plain data."""
    return {
        "id": evaluation.id,
        "interaction": evaluation.interaction.external_id,
        "agent": evaluation.interaction.agent.external_id if evaluation.interaction.agent else None,
        "rubric": f"{evaluation.rubric_version.name} v{evaluation.rubric_version.version}",
        "kind": evaluation.kind,
        "reviewer": evaluation.reviewer.name if evaluation.reviewer else None,
        "score": evaluation.score,
        "critical_failed": evaluation.critical_failed,
        "version": evaluation.version,
        "supersedes": evaluation.supersedes_id,
        "current": evaluation.is_current,
        "comment": evaluation.comment,
        "created_at": evaluation.created_at.isoformat() if evaluation.created_at else None,
        "created_by": evaluation.created_by,
        "criteria": {r.criterion_key: {"value": r.value, "status": r.status, "decided_by": r.decided_by,
                                       "comment": r.comment} for r in evaluation.results},
    }

