"""Reviews are labels: every criterion a person answered that an automated check also answers.

Collected from the stored evaluations: peer reviews and calibration scores (``kind`` review or
calibration, current versions only) against the current automated evaluation of the same
interaction and rubric. Per interaction and criterion one label: a calibration gold score outranks
the reviews; otherwise the reviews vote, each weighted by its reviewer's calibration (agreement
with the gold in calibration sessions, or with the other reviewers where there is none). Whatever
is left out is counted with its reason, never skipped in silence.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from qa_toolkit.reports.period import Period
from qa_toolkit.scoring.agreement import Pair
from qa_toolkit.services.review_scoring import PASS_AT
from qa_toolkit.storage.models import (
    CalibrationParticipant,
    CriterionResult,
    Evaluation,
    Interaction,
    ReviewAssignment,
    RubricVersion,
)

FULL_WEIGHT_AT = 0.8  # a reviewer agreeing with the gold (or peers) this often counts fully
LEFT_OUT_BELOW = 0.6  # below this, a reviewer's answers are left out; in between they count half
MIN_COMPARED = 5  # answers compared before a reviewer's calibration is judged at all


@dataclass
class Reviewer:
    """A reviewer's standing: agreement with the gold (or peers), and the weight their answers get."""

    name: str
    answers: int = 0
    compared: int = 0
    agreed: int = 0
    against: str = "not calibrated"  # "calibration gold" | "other reviewers" | "not calibrated"
    weight: float = 1.0

    @property
    def agreement(self) -> float | None:
        return round(self.agreed / self.compared, 4) if self.compared else None

    @property
    def standing(self) -> str:
        if self.weight == 0:
            return "left out"
        return "weighted down" if self.weight < 1 else "full weight"

    def as_dict(self) -> dict[str, Any]:
        return {"reviewer": self.name, "answers": self.answers, "compared": self.compared,
                "agreement": self.agreement, "against": self.against, "weight": self.weight,
                "standing": self.standing}


@dataclass
class ReviewLabels:
    """The pairs, the reviewers' standing, and what was left out and why."""

    pairs: list[Pair] = field(default_factory=list)
    reviewers: list[Reviewer] = field(default_factory=list)
    accepted: Counter[str] = field(default_factory=Counter)  # criterion -> verdicts left as the check had them
    left_out: Counter[str] = field(default_factory=Counter)  # reason -> count
    notes: list[str] = field(default_factory=list)
    feedback: dict[str, dict[str, int]] = field(default_factory=dict)  # criterion -> kind -> count (review app)


@dataclass(frozen=True)
class _Answer:
    evaluation: Evaluation
    result: CriterionResult
    reviewer: str
    gold: bool


def _week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


_CHECKS: dict[str, dict[str, tuple[str, bool]]] = {}


def _checks(version: RubricVersion) -> dict[str, tuple[str, bool]]:
    """criterion key -> (check, binary scale) of a stored rubric version's automated criteria."""
    if version.content_hash in _CHECKS:
        return _CHECKS[version.content_hash]
    out = {}
    for category in version.body.get("categories", []):
        for raw in category.get("criteria", []):
            mode = raw.get("mode") or ("auto" if raw.get("check") else "manual")
            if raw.get("check") and mode in ("auto", "auto_then_review"):
                scale = raw.get("scale") or {"min": 0, "max": 1}
                out[raw["key"]] = (raw["check"], float(scale.get("min", 0)) == 0 and float(scale.get("max", 1)) == 1)
    _CHECKS[version.content_hash] = out
    return out


def _gold_evaluations(session: Session, evaluation_ids: list[int]) -> set[int]:
    """The calibration evaluations scored by their session's gold participant."""
    if not evaluation_ids:
        return set()
    rows = session.execute(
        select(ReviewAssignment.evaluation_id)
        .join(CalibrationParticipant,
              (CalibrationParticipant.session_id == ReviewAssignment.calibration_session_id)
              & (CalibrationParticipant.user_id == ReviewAssignment.reviewer_id))
        .where(CalibrationParticipant.is_gold.is_(True), ReviewAssignment.evaluation_id.in_(evaluation_ids)))
    return {eid for (eid,) in rows}


def _standing(answers: list[_Answer]) -> dict[str, Reviewer]:
    """Each reviewer's agreement with the gold on the same interaction and criterion, else with the majority of
    at least two other reviewers (two people who disagree cannot tell who is wrong)."""
    people: dict[str, Reviewer] = {}
    by_item: dict[tuple[int, str], list[_Answer]] = defaultdict(list)
    for a in answers:
        by_item[(a.evaluation.interaction_id, a.result.criterion_key)].append(a)
        if not a.gold:
            people.setdefault(a.reviewer, Reviewer(a.reviewer)).answers += 1
    for reviewer in people.values():
        gold = peers = gold_agree = peer_agree = 0
        for items in by_item.values():
            mine = [a for a in items if a.reviewer == reviewer.name and not a.gold]
            if not mine:
                continue
            mine_status = mine[0].result.status
            golds = [a for a in items if a.gold]
            if golds:
                gold += 1
                gold_agree += golds[0].result.status == mine_status
            others = Counter(a.result.status for a in items if a.reviewer != reviewer.name and not a.gold)
            ranked = others.most_common(2)
            if sum(others.values()) >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
                peers += 1  # the majority of at least two others
                peer_agree += ranked[0][0] == mine_status
        if gold >= MIN_COMPARED:
            reviewer.compared, reviewer.agreed, reviewer.against = gold, gold_agree, "calibration gold"
        elif peers >= MIN_COMPARED:
            reviewer.compared, reviewer.agreed, reviewer.against = peers, peer_agree, "other reviewers"
        agreement = reviewer.agreement
        if agreement is not None:
            reviewer.weight = 1.0 if agreement >= FULL_WEIGHT_AT else 0.5 if agreement >= LEFT_OUT_BELOW else 0.0
    return people


def collect(session: Session, *, rubric: str | None = None, period: Period | None = None) -> ReviewLabels:
    """Every (check, people) pair of the stored reviews, with the reviewers' standing and what was left out."""
    query = (select(Evaluation).join(RubricVersion, Evaluation.rubric_version_id == RubricVersion.id)
             .where(Evaluation.kind.in_(["review", "calibration"]), Evaluation.is_current.is_(True))
             .options(selectinload(Evaluation.results), selectinload(Evaluation.reviewer),
                      selectinload(Evaluation.rubric_version),
                      selectinload(Evaluation.interaction).selectinload(Interaction.agent))
             .order_by(Evaluation.created_at, Evaluation.id))
    if rubric:
        query = query.where(RubricVersion.name == rubric)
    everything = list(session.scalars(query))  # a reviewer's standing: their whole history, not one period
    human = [e for e in everything if period is None or period.contains(e.created_at)]
    out = ReviewLabels()
    if not human:
        return out
    golds = _gold_evaluations(session, [e.id for e in everything if e.kind == "calibration"])
    autos = _auto_evaluations(session, {(e.interaction_id, e.rubric_version.name) for e in human})
    history = [_Answer(e, r, e.reviewer.name if e.reviewer else "(deleted user)", e.id in golds)
               for e in everything for r in e.results
               if r.decided_by == "user" and r.criterion_key in _checks(e.rubric_version)]
    answers: list[_Answer] = []
    scales: Counter[str] = Counter()
    mapped: Counter[tuple[str, str]] = Counter()
    for evaluation in human:
        version = evaluation.rubric_version
        auto = _pick_auto(autos.get((evaluation.interaction_id, version.name), []), version)
        checks = _checks(version)
        for result in evaluation.results:
            if result.criterion_key not in checks:
                continue  # a criterion people score by hand: no check to compare with
            if result.decided_by != "user":
                out.accepted[result.criterion_key] += 1
                continue
            if auto is None:
                out.left_out["no automated evaluation of the interaction for this rubric"] += 1
                continue
            if auto.rubric_version_id != version.id:
                auto_checks = _checks(auto.rubric_version)
                if result.criterion_key not in auto_checks:
                    out.left_out[f"criterion not in the automated evaluation's version "
                                 f"({version.name} v{auto.rubric_version.version})"] += 1
                    continue
                mapped[(f"v{version.version}", f"v{auto.rubric_version.version}")] += 1
            if not checks[result.criterion_key][1]:
                scales[result.criterion_key] += 1
            reviewer = evaluation.reviewer.name if evaluation.reviewer else "(deleted user)"
            answers.append(_Answer(evaluation, result, reviewer, evaluation.id in golds))
    people = _standing(history)
    out.reviewers = sorted(people.values(), key=lambda r: r.name)
    for (review_v, auto_v), count in sorted(mapped.items()):
        out.notes.append(f"{count} answer(s) given on {review_v} compared with the automated evaluation of "
                         f"{auto_v}, matched by criterion id")
    for key, count in sorted(scales.items()):
        out.notes.append(f"{key}: {count} answer(s) on a graded scale against a yes/no check, read as met at or "
                         f"above {PASS_AT:g} % of the scale")
    for reviewer in out.reviewers:
        if reviewer.weight < 1:
            out.notes.append(f"reviewer {reviewer.name}: agreement {reviewer.agreement:.2f} with the "
                             f"{reviewer.against} over {reviewer.compared} answers, {reviewer.standing}"
                             + (f" ({reviewer.answers} answers not counted)" if reviewer.weight == 0 else
                                f" (weight {reviewer.weight:g})"))
    out.pairs = _vote(answers, people, autos, out)
    from qa_toolkit.services.evidence_feedback import counts

    out.feedback = counts(session, [e.id for e in human])
    return out


def _auto_evaluations(session: Session, keys: set[tuple[int, str]]) -> dict[tuple[int, str], list[Evaluation]]:
    ids = sorted({iid for iid, _ in keys})
    found: dict[tuple[int, str], list[Evaluation]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        for evaluation in session.scalars(
                select(Evaluation).where(Evaluation.kind == "auto", Evaluation.is_current.is_(True),
                                         Evaluation.interaction_id.in_(ids[start:start + 500]))
                .options(selectinload(Evaluation.results), selectinload(Evaluation.rubric_version))):
            found[(evaluation.interaction_id, evaluation.rubric_version.name)].append(evaluation)
    return found


def _pick_auto(candidates: list[Evaluation], version: RubricVersion) -> Evaluation | None:
    """The automated evaluation of the review's own version, else the newest version's."""
    if not candidates:
        return None
    return max(candidates, key=lambda e: (e.rubric_version_id == version.id, e.rubric_version.version, e.id))


def _vote(answers: list[_Answer], people: dict[str, Reviewer], autos: dict[tuple[int, str], list[Evaluation]],
          out: ReviewLabels) -> list[Pair]:
    by_item: dict[tuple[int, str, str], list[_Answer]] = defaultdict(list)
    for a in answers:
        by_item[(a.evaluation.interaction_id, a.evaluation.rubric_version.name, a.result.criterion_key)].append(a)
    pairs = []
    for (iid, name, key), items in by_item.items():
        first = items[0].evaluation
        auto = _pick_auto(autos[(iid, name)], first.rubric_version)
        assert auto is not None  # answers without one were left out above
        auto_result = next((r for r in auto.results if r.criterion_key == key), None)
        if auto_result is None:
            out.left_out["the automated evaluation has no verdict for the criterion"] += 1
            continue
        golds = [a for a in items if a.gold]
        if golds:
            chosen, weight, gold = golds[-1], 1.0, True
            out.left_out["review answers outranked by a calibration gold score"] += len(items) - len(golds)
            human = chosen.result.status
            voters = [chosen]
        else:
            gold = False
            votes: Counter[str] = Counter()
            voters = [a for a in items if people[a.reviewer].weight > 0]
            out.left_out["answers of reviewers left out for poor calibration"] += len(items) - len(voters)
            for a in voters:
                votes[a.result.status] += people[a.reviewer].weight
            if not votes:
                continue
            ranked = votes.most_common()
            if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
                out.left_out["reviewers split evenly (no label)"] += 1
                continue
            human, weight = ranked[0][0], min(1.0, ranked[0][1])
        if human == "na" and auto_result.status != "na":
            out.left_out["N/A answered by people where the check gave a verdict"] += 1
            continue
        check = dict(_checks(first.rubric_version)).get(key, (auto_result.criterion_key, True))[0]
        agent = first.interaction.agent
        comment = next((a.result.comment for a in voters if a.result.comment), None) or \
            next((a.evaluation.comment for a in voters if a.evaluation.comment), None)
        pairs.append(Pair(
            interaction=first.interaction.external_id, criterion=key, check=check, auto=auto_result.status,
            human=human, weight=weight, gold=gold, week=_week(first.created_at), team=agent.team if agent else None,
            channel=first.interaction.channel, check_version=f"{name} v{auto.rubric_version.version}",
            reviewers=tuple(sorted({a.reviewer for a in voters})), comment=comment, message=auto_result.message,
            confidence=auto_result.confidence, evidence=tuple(auto_result.evidence or ()),
            at=first.created_at.isoformat(), interaction_id=iid))
    pairs.sort(key=lambda p: (p.at, p.interaction, p.criterion))
    return pairs
