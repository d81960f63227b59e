"""``qa score eval --from-reviews``: each automated check measured against the team's own reviewers, and
drift: a check whose agreement with recent reviews fell below the accuracy recorded for its version."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qa_toolkit.reports.period import Period
from qa_toolkit.reports.records import RubricInfo
from qa_toolkit.scoring import agreement
from qa_toolkit.services import review_labels
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Evaluation, RubricVersion

DRIFT_MARGIN = 0.10  # agreement this far below the recorded accuracy is drift
DRIFT_MIN_LABELS = 10  # fewer recent labels say nothing either way
RECENT_DAYS = 28  # "recent reviews": the four weeks up to the newest review


def recent_period(session: Session, rubric: str | None = None) -> Period | None:
    """The :data:`RECENT_DAYS` days up to the newest review or calibration score (None without any)."""
    query = select(func.max(Evaluation.created_at)).where(Evaluation.kind.in_(["review", "calibration"]))
    if rubric:
        query = query.join(RubricVersion, Evaluation.rubric_version_id == RubricVersion.id).where(
            RubricVersion.name == rubric)
    newest = session.scalar(query)
    if newest is None:
        return None
    return Period(newest.date() - timedelta(days=RECENT_DAYS - 1), newest.date())


def _recorded(session: Session, rubric: str) -> tuple[str, dict[str, float]]:
    """The latest version's label and the accuracy recorded per criterion when it was tuned."""
    version = session.scalar(select(RubricVersion).where(RubricVersion.name == rubric)
                             .order_by(RubricVersion.version.desc()).limit(1))
    if version is None:
        return "", {}
    criteria = (version.body.get("measured") or {}).get("criteria") or {}
    recorded = {key: float(v["accuracy"]) for key, v in criteria.items() if v.get("accuracy") is not None}
    return f"{version.name} v{version.version}", recorded


def drift(session: Session, rubric: str, *, period: Period | None = None, margin: float = DRIFT_MARGIN,
          min_n: int = DRIFT_MIN_LABELS) -> list[dict[str, Any]]:
    """The latest version's checks whose agreement with the reviews of ``period`` (default: the recent ones)
    is below their recorded accuracy by more than ``margin``; only verdicts of that version count."""
    label, recorded = _recorded(session, rubric)
    if not recorded:
        return []
    period = period or recent_period(session, rubric)
    labels = review_labels.collect(session, rubric=rubric, period=period)
    checks = agreement.per_check([p for p in labels.pairs if p.check_version == label])
    found = agreement.drift(checks, recorded, margin=margin, min_n=min_n)
    return [{**d, "version": label, "period": str(period) if period else None} for d in found]


def drift_text(item: dict[str, Any]) -> str:
    """One line: what drifted, by how much, on how many reviews."""
    return (f"agreement {item['agreement']:.2f} with {item['n']} reviews ({item['period']}) is below the "
            f"{item['recorded']:.2f} recorded for {item['version']} by more than {item['margin']:.2f}")


def mark_unreliable(session: Session, info: RubricInfo) -> RubricInfo:
    """The rubric info with each drifting check's accuracy marked unreliable (for reports)."""
    drifting = {d["criterion"]: drift_text(d) for d in drift(session, info.name)}
    if not drifting:
        return info
    criteria = {key: replace(c, accuracy=replace(c.accuracy, unreliable=drifting[key]))
                if key in drifting and c.accuracy is not None else c for key, c in info.criteria.items()}
    return replace(info, criteria=criteria)


def evaluate_reviews(database: Database, *, rubric: str | None = None, period: Period | None = None,
                     worst: int = 5, margin: float = DRIFT_MARGIN) -> dict[str, Any]:
    """Per check: precision, recall, F1 (of ``fail``), agreement and override rate, overall and by week,
    team, channel and check version; the worst disagreements; the reviewers' standing; what was left out;
    and the checks that drifted (per rubric with recorded accuracy)."""
    with database.session() as session:
        labels = review_labels.collect(session, rubric=rubric, period=period)
        names = [rubric] if rubric else sorted({p.check_version.rsplit(" v", 1)[0] for p in labels.pairs})
        drifted = [d for name in names for d in drift(session, name, period=period, margin=margin)]
    checks = agreement.per_check(labels.pairs, dict(labels.accepted))
    return {
        "rubric": rubric, "period": str(period) if period else None, "labels": len(labels.pairs),
        "gold_labels": sum(1 for p in labels.pairs if p.gold),
        "checks": [c.as_dict() for c in checks],
        "worst_disagreements": agreement.worst(labels.pairs, worst),
        "reviewers": [r.as_dict() for r in labels.reviewers],
        "left_out": dict(sorted(labels.left_out.items())),
        "notes": labels.notes,
        "feedback": labels.feedback,
        "drift": [{**d, "text": drift_text(d)} for d in drifted],
    }
