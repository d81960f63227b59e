"""Peer review through the service layer on SQLite and PostgreSQL: sample, assign, submit, drafts,
calibration, disputes, roles and the audit trail."""

from __future__ import annotations

from collections import Counter

import pytest
from review_helpers import DATA, add_auto_evaluation, seed_team
from sqlalchemy import func, select

from qa_toolkit.errors import NotFoundError, QAError
from qa_toolkit.review.criteria import Scoresheet
from qa_toolkit.services import audit, calibration, disputes, review
from qa_toolkit.services.roles import NotAllowedError
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Evaluation, ReviewAssignment


@pytest.fixture
def team(db: Database) -> Database:
    seed_team(db)
    return db


def sample_and_assign(db: Database, **assign_kwargs) -> list[dict]:  # type: ignore[no-untyped-def]
    with db.session() as session:
        review.sample(session, rubric="review-test", percent=100, seed=1, actor="lee")
    with db.session() as session:
        done = review.assign(session, reviewers=["maria", "tom"], seed=2, actor="lee", **assign_kwargs)
        return [review.assignment_as_dict(a) for a in done]


def first_of(db: Database, reviewer: str, agent: str | None = None) -> int:
    with db.session() as session:
        items = review.queue(session, reviewer)
        return next(i.id for i in items if agent is None or i.interaction.agent.external_id == agent)


def test_sample_excludes_interactions_already_under_review(team: Database) -> None:
    with team.session() as session:
        _, first = review.sample(session, rubric="review-test", per_agent=2, seed=5, actor="lee")
        first_ids = {i.interaction.external_id for i in first}
        assert Counter(i.interaction.agent.external_id for i in first) == {"a-1": 2, "a-2": 2, "a-3": 2}
    with team.session() as session:
        _, second = review.sample(session, rubric="review-test", per_agent=2, seed=5, actor="lee")
        assert first_ids.isdisjoint({i.interaction.external_id for i in second})
    with pytest.raises(QAError, match="nothing to sample for rubric 'review-test'"), team.session() as session:
        review.sample(session, rubric="review-test", per_agent=2, seed=5, actor="lee")


def test_sample_since_a_date(team: Database) -> None:
    from datetime import datetime

    with team.session() as session:
        _, items = review.sample(session, rubric="review-test", percent=100, since=datetime(2026, 11, 2, 15, 30),
                                 actor="lee")
        assert sorted(i.interaction_id for i in items) == list(range(7, 13))


def test_sample_targeted_picks_low_auto_scores_first(team: Database) -> None:
    add_auto_evaluation(team, "c-2", score=20.0)
    add_auto_evaluation(team, "c-7", score=95.0, critical_failed=True)
    with team.session() as session:
        _, items = review.sample(session, rubric="review-test", percent=25, strategy="targeted", seed=3, actor="lee")
        reasons = {i.interaction.external_id: i.reason for i in items}
    assert len(reasons) == 3
    assert reasons["c-2"] == "low_auto_score" and reasons["c-7"] == "critical_fail"


def test_only_leads_and_admins_sample_and_someone_must_act(team: Database) -> None:
    with pytest.raises(NotAllowedError, match=r"maria \(reviewer\) may not draw review samples"), \
            team.session() as session:
        review.sample(session, rubric="review-test", per_agent=1, actor="maria")
    with pytest.raises(QAError, match="pass --as USER or set QA_USER"), team.session() as session:
        review.sample(session, rubric="review-test", per_agent=1, actor=None)
    with pytest.raises(NotFoundError, match="no published rubric 'nope'"), team.session() as session:
        review.sample(session, rubric="nope", per_agent=1, actor="ada")


def test_assign_is_balanced_and_never_self_review(team: Database) -> None:
    rows = sample_and_assign(team)
    assert Counter(r["reviewer"] for r in rows) == {"maria": 6, "tom": 6}
    assert not [r for r in rows if r["reviewer"] == "tom" and r["agent"] == "a-3"]
    assert all(r["status"] == "assigned" for r in rows)


def test_a_second_batch_evens_out_whole_workloads(team: Database) -> None:
    with team.session() as session:
        review.sample(session, rubric="review-test", per_agent=1, seed=1, actor="lee")
        review.assign(session, reviewers=["maria"], actor="lee")  # maria holds 3
    with team.session() as session:
        review.sample(session, rubric="review-test", per_agent=1, seed=1, actor="lee")
        done = review.assign(session, reviewers=["maria", "tina"], seed=1, actor="lee")
        assert Counter(a.reviewer.name for a in done) == {"tina": 3}


def test_double_review_gives_some_items_to_both(team: Database) -> None:
    rows = sample_and_assign(team, double_share=0.5)
    copies = Counter(r["interaction"] for r in rows)
    assert len(rows) == 18 and sum(1 for n in copies.values() if n == 2) == 6
    assert all(r["double"] for r in rows if copies[r["interaction"]] == 2)


def test_capacity_too_small_is_explained_and_nothing_assigned(team: Database) -> None:
    with team.session() as session:
        review.set_capacity(session, "maria", 2, actor="lee")
    with pytest.raises(QAError, match="not enough reviewer capacity"):
        sample_and_assign(team)
    with team.session() as session:
        assert session.scalar(select(func.count()).select_from(ReviewAssignment)
                              .where(ReviewAssignment.status == "assigned")) == 0


def test_agents_cannot_be_assigned_reviews(team: Database) -> None:
    with team.session() as session:
        review.sample(session, rubric="review-test", per_agent=1, actor="lee")
    with pytest.raises(NotAllowedError, match="dana is an agent, not a reviewer"), team.session() as session:
        review.assign(session, reviewers=["maria", "dana"], actor="lee")


def test_submit_scores_with_the_formula_and_records_who_decided(team: Database) -> None:
    sample_and_assign(team)
    assignment = first_of(team, "maria")
    with team.session() as session:
        evaluation = review.submit_file(session, assignment, DATA / "good.yaml", actor="maria")
        # communication (1 + 4/5 -> 100, 75) = 87.5 at weight 1, resolution (yes -> 100) at weight 2
        assert evaluation.score == pytest.approx((87.5 + 200) / 3, abs=1e-3)
        assert evaluation.kind == "review" and evaluation.reviewer.name == "maria"
        assert {r.criterion_key: (r.value, r.decided_by) for r in evaluation.results} == {
            "greeting": (1.0, "user"), "tone": (4.0, "user"), "resolved": (2.0, "user")}
        assert evaluation.comment == "Solid chat."
        item = session.get(ReviewAssignment, assignment)
        assert (item.status, item.evaluation_id) == ("submitted", evaluation.id)


def test_unreviewed_auto_then_review_criterion_keeps_the_automated_verdict(team: Database) -> None:
    sample_and_assign(team)
    with team.session() as session:
        item = session.get(ReviewAssignment, first_of(team, "maria"))
        external = item.interaction.external_id
    auto_id = add_auto_evaluation(team, external, greeting=0.0)
    with team.session() as session:
        evaluation = review.submit(session, item.id, Scoresheet({"tone": 4.0, "resolved": 2.0}), actor="maria")
        assert {r.criterion_key: (r.value, r.decided_by) for r in evaluation.results}["greeting"] == (0.0, "auto")
        assert evaluation.score == pytest.approx((37.5 + 200) / 3, abs=1e-3)
        assert session.get(Evaluation, auto_id).is_current  # both stay stored


@pytest.mark.parametrize(("name", "message"), [
    ("unknown.yaml", r"unknown.yaml:3: scores.tnoe: unknown criterion 'tnoe' \(did you mean 'tone'\?\)"),
    ("offscale.json", r"offscale.json:4: scores.tone: criterion 'tone': 7 is not on its scale \(1, 2, 3, 4, 5\)"),
    ("na.yaml", r"na.yaml:3: scores.tone: criterion 'tone' does not allow N/A"),
])
def test_submit_validation_errors_name_file_line_and_field(team: Database, name: str, message: str) -> None:
    sample_and_assign(team)
    assignment = first_of(team, "maria")
    with pytest.raises(QAError, match=message), team.session() as session:
        review.submit_file(session, assignment, DATA / name, actor="maria")
    with team.session() as session:
        assert session.get(ReviewAssignment, assignment).status == "assigned"
        assert session.scalar(select(func.count()).select_from(Evaluation)) == 0


def test_missing_manual_score_and_someone_elses_assignment(team: Database) -> None:
    sample_and_assign(team)
    assignment = first_of(team, "maria")
    with pytest.raises(QAError, match="criterion 'tone' is not scored"), team.session() as session:
        review.submit(session, assignment, Scoresheet({"greeting": 1.0, "resolved": 2.0}), actor="maria")
    with pytest.raises(NotAllowedError, match=f"assignment {assignment} is assigned to maria, not to tom"), \
            team.session() as session:
        review.submit(session, assignment, Scoresheet({"tone": 3.0}), actor="tom")


def test_draft_survives_and_resumes(team: Database) -> None:
    sample_and_assign(team, blind=True)
    assignment = first_of(team, "maria")
    with team.session() as session:
        review.save_draft(session, assignment, Scoresheet({"tone": 2.0}, {"tone": "curt"}), actor="maria")
    with team.session() as session:
        item = review.next_open(session, "maria")
        assert item.id == assignment and item.status == "draft"
        context = review.context(session, item)
        assert context.draft.values == {"tone": 2.0} and context.draft.comments == {"tone": "curt"}
        assert context.blind and [line.when for line in context.transcript] == ["00:00", "00:20", "01:15", "01:30"]


def test_calibration_session_report_and_alignment(team: Database) -> None:
    with team.session() as session:
        created = calibration.create(session, rubric="review-test", interactions=["c-1", "c-5"],
                                     reviewers=["maria", "tom"], gold="lee", name="November", actor="lee")
        session_id = created.id
    scores = {  # (greeting, tone, resolved) per participant and interaction
        "lee": {"c-1": (1, 4, 2), "c-5": (0, 2, 1)},
        "maria": {"c-1": (1, 4, 2), "c-5": (0, 3, 1)},
        "tom": {"c-1": (0, 1, 0), "c-5": (1, 5, 2)},
    }
    for who, by_interaction in scores.items():
        with team.session() as session:
            for item in review.queue(session, who):
                assert item.blind and item.calibration_session_id == session_id
                g, t, r = by_interaction[item.interaction.external_id]
                review.submit(session, item.id, Scoresheet({"greeting": g, "tone": t, "resolved": r}), actor=who)
    with team.session() as session:
        result = calibration.report(session, session_id, actor="maria")
        kinds = set(session.scalars(select(Evaluation.kind)))
    assert kinds == {"calibration"}
    by_name = {r.reviewer: r for r in result.reviewers}
    # lee c-1: 87.5/3+... : c-1 gold (100, 75 | 100) = 95.83; c-5 gold (0, 25 | 50) = (12.5 + 100)/3 = 37.5
    assert by_name["maria"].overall_agreement == 100.0 and by_name["maria"].calibrated
    assert by_name["tom"].overall_agreement == 0.0 and not by_name["tom"].calibrated
    assert result.gold == "lee" and result.overall_agreement == 50.0
    with team.session() as session:
        rows = calibration.alignment(session, actor="tina")
    assert [(r.reviewer, r.overall_agreement) for r in rows] == [("maria", 100.0), ("tom", 0.0)]
    with pytest.raises(NotAllowedError), team.session() as session:
        calibration.report(session, session_id, actor="dana")


def test_dispute_lifecycle_keeps_history(team: Database) -> None:
    sample_and_assign(team)
    with team.session() as session:
        item = next(i for i in review.queue(session, "maria") if i.interaction.agent.external_id == "a-1")
        evaluation_id = review.submit(session, item.id, Scoresheet({"greeting": 1, "tone": 4, "resolved": 0}),
                                      actor="maria").id
        other = next(i for i in review.queue(session, "maria") if i.interaction.agent.external_id != "a-1")
        other_id = review.submit(session, other.id, Scoresheet({"greeting": 1, "tone": 4, "resolved": 2}),
                                 actor="maria").id
    with team.session() as session:
        assert session.get(Evaluation, evaluation_id).score == 0.0  # resolved: no -> critical fail
    with pytest.raises(NotFoundError, match=f"no evaluation {other_id} among yours"), team.session() as session:
        disputes.raise_dispute(session, other_id, "not mine", actor="dana")
    with team.session() as session:
        dispute_id = disputes.raise_dispute(session, evaluation_id, "The refund went through", actor="dana").id
    with pytest.raises(QAError, match="already has an open dispute"), team.session() as session:
        disputes.raise_dispute(session, evaluation_id, "again", actor="dana")
    with pytest.raises(NotAllowedError, match=r"maria \(reviewer\) may not resolve disputes"), \
            team.session() as session:
        disputes.resolve(session, dispute_id, "accepted", rescore=DATA / "rescore.yaml", actor="maria")
    with pytest.raises(QAError, match="needs --rescore FILE"), team.session() as session:
        disputes.resolve(session, dispute_id, "accepted", actor="lee")
    with team.session() as session:
        done = disputes.resolve(session, dispute_id, "accepted", rescore=DATA / "rescore.yaml",
                                comment="Refund confirmed in the billing log", actor="lee")
        new = done.new_evaluation
        assert (done.status, done.resolved_by) == ("accepted", "lee")
        assert (new.version, new.supersedes_id, new.is_current) == (2, evaluation_id, True)
        assert new.score == pytest.approx((87.5 + 200) / 3, abs=1e-3) and new.comment == "Resolved after all (see turn 3)."
        assert {r.criterion_key: r.decided_by for r in new.results} == {
            "greeting": "user", "tone": "user", "resolved": "user"}
    with team.session() as session:
        history = review.evaluations(session, "dana", review.EvaluationFilter(history=True))
        assert [(e.id, e.version, e.is_current) for e in history] == [(evaluation_id, 1, False), (new.id, 2, True)]
        assert [e.id for e in review.evaluations(session, "dana")] == [new.id]
        assert len(review.evaluations(session, "lee")) == 2
    with pytest.raises(QAError, match="already accepted"), team.session() as session:
        disputes.resolve(session, dispute_id, "rejected", actor="lee")


def test_rejected_dispute_keeps_the_evaluation(team: Database) -> None:
    sample_and_assign(team)
    with team.session() as session:
        item = next(i for i in review.queue(session, "maria") if i.interaction.agent.external_id == "a-1")
        evaluation_id = review.submit_file(session, item.id, DATA / "good.yaml", actor="maria").id
        dispute_id = disputes.raise_dispute(session, evaluation_id, "too harsh", actor="dana").id
    with team.session() as session:
        done = disputes.resolve(session, dispute_id, "rejected", comment="Score stands", actor="ada")
        assert done.new_evaluation_id is None and session.get(Evaluation, evaluation_id).is_current


def test_nobody_resolves_a_dispute_about_their_own_interaction(team: Database) -> None:
    """Issue 20 item 18: a lead linked to an agent cannot resolve a dispute on that agent's interaction, and
    nobody resolves a dispute they raised themselves."""
    with team.session() as session:
        from qa_toolkit.services import people

        people.add_user(session, "lou", "lead", agent_external_id="a-1", actor="ada")
    sample_and_assign(team)
    with team.session() as session:
        item = next(i for i in review.queue(session, "maria") if i.interaction.agent.external_id == "a-1")
        evaluation_id = review.submit_file(session, item.id, DATA / "good.yaml", actor="maria").id
        dispute_id = disputes.raise_dispute(session, evaluation_id, "too harsh", actor="lou").id
    with pytest.raises(NotAllowedError, match=f"lou may not resolve dispute {dispute_id}: it is about their own "
                       "interaction"), team.session() as session:
        disputes.resolve(session, dispute_id, "accepted", rescore=DATA / "rescore.yaml", actor="lou")
    with team.session() as session:
        other = next(i for i in review.queue(session, "maria") if i.interaction.agent.external_id != "a-1")
        other_eval = review.submit_file(session, other.id, DATA / "good.yaml", actor="maria").id
        own_raise = disputes.raise_dispute(session, other_eval, "check this", actor="lee").id
    with pytest.raises(NotAllowedError, match="lee may not resolve dispute .*: they raised it"), \
            team.session() as session:
        disputes.resolve(session, own_raise, "rejected", actor="lee")
    with team.session() as session:
        assert disputes.resolve(session, dispute_id, "rejected", actor="lee").status == "rejected"
        assert disputes.resolve(session, own_raise, "rejected", actor="ada").resolved_by == "ada"
        assert session.get(Evaluation, evaluation_id).is_current


def test_every_change_writes_an_audit_event(team: Database) -> None:
    sample_and_assign(team)
    assignment = first_of(team, "maria")
    with team.session() as session:
        review.save_draft(session, assignment, Scoresheet({"tone": 2.0}), actor="maria")
    with team.session() as session:
        evaluation = review.submit_file(session, assignment, DATA / "good.yaml", actor="maria")
        dispute = disputes.raise_dispute(session, evaluation.id, "why?", actor="lee")
        disputes.resolve(session, dispute.id, "partial", rescore=DATA / "rescore.yaml", actor="ada")
    with team.session() as session:
        actions = Counter(e.action for e in audit.events(session, limit=1000))
        [draft] = audit.events(session, entity_type="assignment", entity_id=str(assignment), actor="maria", limit=10)[1:]
        assert draft.action == "assignment.draft" and draft.after["status"] == "draft"
    assert actions["review.sample"] == 1 and actions["assignment.assign"] == 12
    assert actions["assignment.draft"] == 1 and actions["assignment.submit"] == 1
    assert actions["evaluation.create"] == 1 and actions["dispute.raise"] == 1
    assert actions["dispute.partial"] == 1 and actions["evaluation.rescore"] == 1 and actions["rubric.publish"] == 1
