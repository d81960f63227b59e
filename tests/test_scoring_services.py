"""Publishing rubric versions and automated scoring against the database, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from scoring_support import add_conversation, chat
from sqlalchemy import func, select

from qa_toolkit.errors import NotFoundError, QAError
from qa_toolkit.rubrics import library, load_rubric
from qa_toolkit.services import audit, people, rubrics, scoring
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import CriterionResult, Evaluation, Interaction, PIISpan, RubricVersion

GOOD = chat("c-good",
            ("customer", "Hi, I was charged twice, this is really frustrating."),
            ("agent", "Hello! I'm so sorry. Could you confirm your date of birth to verify your identity?"),
            ("customer", "12 March 1988"),
            ("agent", "Thanks. Your account shows the charge twice; I've refunded the duplicate."),
            ("customer", "Great, thank you!"),
            ("agent", "Anything else I can help with? Have a great day!"),
            started_at="2026-10-05T09:00:00Z", queue="billing", customer={"id": "cust-1"})
BAD = chat("c-bad",
           ("customer", "My internet is down, I'm fed up."),
           ("agent", "Your account shows an outstanding amount of $120."),
           ("customer", "What?"),
           ("agent", "Calm down and pay it."),
           started_at="2026-10-06T09:00:00Z", queue="billing", customer={"id": "cust-2"})


def _publish(db: Database, *names: str) -> None:
    with db.session() as session:
        for name in names:
            rubrics.publish_file(session, name, actor="lee")


def test_publish_is_immutable_and_keyed_by_content(db: Database, tmp_path: Path) -> None:
    source = library()["support-chat"].read_text()
    path = tmp_path / "support-chat.yaml"
    path.write_text(source)
    with db.session() as session:
        first = rubrics.publish_file(session, path, actor="lee")
        again = rubrics.publish_file(session, path, actor="lee")
        assert first.created and not again.created and again.version.id == first.version.id
    path.write_text(source.replace("pass_mark: 80", "pass_mark: 85"))
    with db.session() as session:
        second = rubrics.publish_file(session, path, actor="rita")
        assert (second.created, second.version.version) == (True, 2)
        assert second.version.content_hash == load_rubric(path).content_hash
        assert rubrics.get_version(session, "support-chat").version == 2
        assert rubrics.rubric_of(rubrics.get_version(session, "support-chat", 1)).pass_mark == 80
        assert [v.version for v in rubrics.list_versions(session, "support-chat")] == [1, 2]
        events = audit.events(session, entity_type="rubric_version")
        assert [(e.action, e.entity_id, e.actor) for e in events] == [
            ("rubric.publish", "support-chat@2", "rita"), ("rubric.publish", "support-chat@1", "lee")]
        assert events[0].after["content_hash"] == second.version.content_hash


def test_unknown_rubric_says_how_to_publish(db: Database) -> None:
    with db.session() as session, pytest.raises(NotFoundError, match="rubric 'nope' is not published: run `qa rubric"):
        rubrics.get_version(session, "nope")
    with pytest.raises(NotFoundError, match="no rubric is published"):
        scoring.score_auto(db)


def test_score_auto_scores_with_evidence_and_is_idempotent(db: Database) -> None:
    with db.session() as session:
        add_conversation(session, GOOD)
        add_conversation(session, BAD)
    _publish(db, "support-chat")
    [run] = scoring.score_auto(db, actor="bot")
    assert (run.rubric, run.version, run.scored, run.critical_failed) == ("support-chat", 1, 2, 1)
    assert [r.scored for r in scoring.score_auto(db)] == [0]
    with db.session() as session:
        _, [good] = scoring.interaction_evaluations(session, "c-good")
        assert (good.kind, good.critical_failed, good.created_by) == ("auto", False, "bot")
        results = {r.criterion_key: r for r in good.results}
        assert results["identity_verified"].status == "pass"
        assert results["identity_verified"].evidence[0]["quote"] == "confirm your date of birth"
        assert results["responsive"].status == "na" and results["responsive"].normalized is None  # no timestamps
        assert results["first_contact"].status == "pass"
        assert "tone" not in results  # manual criteria wait for a reviewer
        assert good.score is not None and good.score > 80
        _, [bad] = scoring.interaction_evaluations(session, "c-bad")
        assert (bad.score, bad.critical_failed) == (0.0, True)
        bad_results = {r.criterion_key: r for r in bad.results}
        assert bad_results["professional_language"].evidence[0]["quote"].endswith("Calm down and pay it.")
        assert bad.category_scores["communication"] == 0.0  # fail_section


def test_a_new_rubric_version_adds_evaluations_and_keeps_old_ones(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        add_conversation(session, GOOD)
    _publish(db, "support-chat")
    scoring.score_auto(db)
    path = tmp_path / "edited.yaml"
    path.write_text(library()["support-chat"].read_text().replace("weight: 1.5\n    criteria:\n      - key: "
                                                                   "acknowledged", "weight: 3\n    criteria:\n"
                                                                   "      - key: acknowledged"))
    with db.session() as session:
        assert rubrics.publish_file(session, path).version.version == 2
    [run] = scoring.score_auto(db, rubric="support-chat")
    assert (run.version, run.scored) == (2, 1)
    with db.session() as session:
        versions = session.execute(select(RubricVersion.version).join(Evaluation).order_by(Evaluation.id)).scalars()
        assert list(versions) == [1, 2]


def test_rubrics_are_picked_by_channel_and_queue(db: Database) -> None:
    call = {"id": "call-1", "channel": "call", "queue": "collections", "agent": {"id": "a-1"},
            "turns": [{"speaker": "agent", "text": "This is an attempt to collect a debt. Hello.", "start_s": 0,
                       "end_s": 4}]}
    with db.session() as session:
        add_conversation(session, GOOD)
        add_conversation(session, call)
    _publish(db, "support-chat", "support-call", "collections-compliance")
    runs = {r.rubric: r.scored for r in scoring.score_auto(db)}
    assert runs == {"collections-compliance": 1, "support-call": 1, "support-chat": 1}
    with db.session() as session:
        _, evals = scoring.interaction_evaluations(session, "call-1")
        assert sorted(e.rubric_version.name for e in evals) == ["collections-compliance", "support-call"]


def test_filters_since_and_interactions_query(db: Database) -> None:
    with db.session() as session:
        add_conversation(session, GOOD)
        add_conversation(session, BAD)
        add_conversation(session, chat("c-tech", ("agent", "Hi"), agent="a-9", team="tech", queue="tech",
                                       tags=["wifi", "router"], started_at="2026-10-07T09:00:00Z"))
    _publish(db, "support-chat")
    since = datetime(2026, 10, 6, tzinfo=timezone.utc)
    assert [r.scored for r in scoring.score_auto(db, since=since, query="team=tech")] == [1]
    assert [r.scored for r in scoring.score_auto(db, query="tag=wifi|refund")] == [0]
    assert [r.scored for r in scoring.score_auto(db, query="id=c-good|c-bad,queue=billing")] == [2]
    with pytest.raises(QAError, match="unknown field 'queu' \\(did you mean 'queue'\\?\\)"):
        scoring.score_auto(db, query="queu=billing")
    with pytest.raises(QAError, match="is not FIELD=VALUE"):
        scoring.score_auto(db, query="billing")


def test_first_contact_resolution_from_stored_contacts(db: Database) -> None:
    again = chat("c-again", ("customer", "Still charged twice!"), ("agent", "Hello, sorry!"),
                 started_at="2026-10-08T09:00:00Z", queue="billing", customer={"id": "cust-1"})
    with db.session() as session:
        add_conversation(session, GOOD)
        add_conversation(session, again)
    _publish(db, "support-chat")
    scoring.score_auto(db)
    with db.session() as session:
        _, [good] = scoring.interaction_evaluations(session, "c-good")
        fcr = next(r for r in good.results if r.criterion_key == "first_contact")
        assert fcr.status == "fail" and "repeat contact c-again after 3.0 days" in fcr.message


def test_stored_pii_spans_of_redacted_interactions(db: Database) -> None:
    record = chat("c-pii", ("agent", "Hello, please type your full card number."), ("customer", "[CARD]"),
                  ("agent", "Thanks, payment has been processed."))
    with db.session() as session:
        interaction = add_conversation(session, record)
        interaction.pii_redacted = True
        session.add(PIISpan(interaction_id=interaction.id, turn_index=1, speaker="customer", kind="card",
                            start=0, end=19))
    _publish(db, "support-chat")
    scoring.score_auto(db)
    with db.session() as session:
        _, [evaluation] = scoring.interaction_evaluations(session, "c-pii")
        pii = next(r for r in evaluation.results if r.criterion_key == "no_card_in_chat")
        assert pii.status == "fail" and evaluation.critical_failed
        assert {"turn": 1, "speaker": "customer", "quote": "[CARD]",
                "note": "customer gave a card number after the agent asked in turn 0"} in pii.evidence


def test_parallel_scoring_matches_serial(db: Database) -> None:
    with db.session() as session:
        for i in range(12):
            add_conversation(session, {**(GOOD if i % 2 else BAD), "id": f"p-{i}"})
    _publish(db, "support-chat")
    [run] = scoring.score_auto(db, batch_size=3, workers=2)
    assert (run.scored, run.critical_failed) == (12, 6)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Evaluation)) == 12
        assert session.scalar(select(func.count()).select_from(CriterionResult)) == 12 * 13  # 13 automated criteria
        scores = dict(session.execute(select(Interaction.external_id, Evaluation.score).join(Evaluation)).all())
        assert scores["p-0"] == 0.0 and scores["p-1"] == scores["p-3"] > 80


def test_review_evaluation_overrides_auto_and_keeps_both(db: Database) -> None:
    with db.session() as session:
        add_conversation(session, GOOD)
        people.add_user(session, "ada", "admin")
        people.add_user(session, "lee", "lead", actor="ada")
        people.add_user(session, "rita", "reviewer", actor="ada")
    _publish(db, "support-chat")
    scoring.score_auto(db)
    with db.session() as session:
        interaction = scoring.get_interaction(session, "c-good")
        version = rubrics.get_version(session, "support-chat")
        review = scoring.record_evaluation(
            session, interaction=interaction, version=version, values={"tone": 2, "acknowledged_feelings": 0},
            comments={"tone": "curt"}, comment="Good fix, cold tone.", reviewer=people.get_user(session, "rita"),
            actor="rita")
        by_key = {r.criterion_key: r for r in review.results}
        assert (by_key["tone"].decided_by, by_key["tone"].value, by_key["tone"].comment) == ("user", 2.0, "curt")
        assert by_key["acknowledged_feelings"].decided_by == "user" and by_key["acknowledged_feelings"].status == "fail"
        assert by_key["greeting"].decided_by == "auto"  # kept from the automated evaluation
        assert review.kind == "review" and review.score is not None
        _, current = scoring.interaction_evaluations(session, "c-good")
        assert sorted(e.kind for e in current) == ["auto", "review"]
        disputed = scoring.record_evaluation(session, interaction=interaction, version=version,
                                             values={"tone": 4, "acknowledged_feelings": 1}, supersedes=review,
                                             actor="lee")
        assert (disputed.version, disputed.supersedes_id, review.is_current) == (2, review.id, False)
        assert disputed.score > review.score
        [event] = audit.events(session, entity_type="evaluation", entity_id=str(disputed.id))
        assert event.action == "evaluation.supersede" and event.before == {"evaluation": review.id,
                                                                           "score": review.score}


@pytest.mark.parametrize(("values", "error"), [
    ({"tonne": 3}, "unknown criterion 'tonne' (did you mean 'tone'?)"),
    ({"tone": 7}, "tone: 7 is not on the scale 1-5"),
    ({"greeting": None}, "greeting: N/A is not allowed"),
    ({"greeting": True}, "greeting: True is not on the scale binary"),
])
def test_review_values_are_validated(db: Database, values: dict, error: str) -> None:  # type: ignore[type-arg]
    with db.session() as session:
        add_conversation(session, GOOD)
    _publish(db, "support-chat")
    with db.session() as session, pytest.raises(QAError) as info:
        scoring.record_evaluation(session, interaction=scoring.get_interaction(session, "c-good"),
                                  version=rubrics.get_version(session, "support-chat"), values=values)
    assert error in str(info.value)


def test_evaluations_and_quality_for_reports(db: Database) -> None:
    with db.session() as session:
        add_conversation(session, GOOD)
        add_conversation(session, BAD)
        add_conversation(session, chat("c-other", ("agent", "Hi"), agent="a-9", team="tech",
                                       started_at="2026-10-05T10:00:00Z"))
    _publish(db, "support-chat")
    scoring.score_auto(db)
    with db.session() as session:
        interaction = scoring.get_interaction(session, "c-good")
        version = rubrics.get_version(session, "support-chat")
        scoring.record_evaluation(session, interaction=interaction, version=version, values={"tone": 5},
                                  kind="calibration")
        evals = scoring.evaluations(session, agents=["a-1"], kinds=("auto", "review"),
                                    since=datetime(2026, 10, 1, tzinfo=timezone.utc),
                                    until=datetime(2026, 11, 1, tzinfo=timezone.utc))
        assert [e.interaction.external_id for e in evals] == ["c-good", "c-bad"]
        quality = scoring.quality(evals)
        good_score = evals[0].score
        assert quality.auto_count == 2 and quality.auto_score == pytest.approx(good_score / 2)
        assert quality.review_score is None and quality.auto_pass_rate == 0.5
        assert [e.interaction.external_id for e in scoring.evaluations(session, team="tech")] == ["c-other"]
        calibration = scoring.evaluations(session, kinds=("calibration",))
        assert len(calibration) == 1  # only when asked for
        data = scoring.evaluation_as_dict(evals[0])
        assert data["agent"] == "a-1" and data["rubric"] == "support-chat" and data["results"][0]["criterion"]


def test_get_interaction_ambiguity(db: Database) -> None:
    with db.session() as session:
        add_conversation(session, GOOD, source="zendesk")
        add_conversation(session, GOOD, source="intercom")
        with pytest.raises(QAError, match="exists in several sources"):
            scoring.get_interaction(session, "c-good")
        assert scoring.get_interaction(session, "intercom:c-good").source == "intercom"
        with pytest.raises(NotFoundError, match="no interaction 'nope'"):
            scoring.get_interaction(session, "nope")
