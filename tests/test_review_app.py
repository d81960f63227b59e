"""The terminal review session driven by key presses (Textual's pilot): blind mode, scoring, drafts."""

from __future__ import annotations

import asyncio
import html
import re

import pytest
from review_helpers import add_auto_evaluation, seed_team
from sqlalchemy import select

from qa_toolkit.errors import QAError
from qa_toolkit.review.app import ReviewApp
from qa_toolkit.review.criteria import ReviewCriterion, ScalePoint, Scoresheet
from qa_toolkit.review.session import AutoVerdict, ReviewContext, TranscriptLine
from qa_toolkit.services import review
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Evaluation, ReviewAssignment

SIZE = (150, 40)


def screen_text(app: ReviewApp) -> str:
    """What the terminal shows, as plain text (from Textual's own SVG export of the screen)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def context(blind: bool) -> ReviewContext:
    binary = (ScalePoint(0.0, "no"), ScalePoint(1.0, "yes"))
    return ReviewContext(
        assignment_id=7, interaction="c-42", channel="chat", rubric="review-test v1", blind=blind,
        criteria=[
            ReviewCriterion("greeting", "communication", "Did the agent greet?", binary, mode="auto_then_review"),
            ReviewCriterion("tone", "communication", "How warm was the tone?",
                            tuple(ScalePoint(float(v), f"{v}") for v in range(1, 6)), guidance="5 = warm"),
        ],
        transcript=[TranscriptLine(0, "customer", "00:00", "My card [CARD] was charged twice"),
                    TranscriptLine(1, "agent", "00:20", "Hello! Sorry to hear that.")],
        agent="Dana Park", auto_score=88.0, auto={"greeting": AutoVerdict(1.0, "pass", "greeting found", (1,))},
        other_reviews=[("tom", 70.0)],
    )


def test_blind_mode_hides_agent_auto_score_and_other_reviews_until_submit() -> None:
    submitted: list[Scoresheet] = []

    def on_submit(sheet: Scoresheet) -> tuple[int, float | None]:
        submitted.append(sheet)
        return 99, 87.5

    async def scenario() -> None:
        app = ReviewApp(context(blind=True), on_save=lambda sheet: None, on_submit=on_submit)
        async with app.run_test(size=SIZE) as pilot:
            before = screen_text(app)
            assert "Blind review: agent, automated score and other reviews are hidden" in before
            for hidden in ("Dana Park", "88.0", "tom: 70.0", "auto: pass", "Automated: yes"):
                assert hidden not in before, hidden
            assert "[00:20] agent: Hello! Sorry to hear that." in before and "[CARD]" in before
            await pilot.press("1", "j", "4", "s")
            await pilot.pause()
            after = screen_text(app)
            assert "Agent: Dana Park" in after and "Automated score: 88.0" in after and "tom: 70.0" in after
            assert "auto: pass" in after and "Submitted: evaluation 99, score 87.5" in after
            await pilot.press("q")
        assert app.return_value == "Submitted assignment 7: evaluation 99, score 87.5"

    asyncio.run(scenario())
    assert submitted[0].values == {"greeting": 1.0, "tone": 4.0}


def test_open_review_shows_everything_and_off_scale_keys_are_refused() -> None:
    async def scenario() -> None:
        app = ReviewApp(context(blind=False), on_save=lambda sheet: None, on_submit=lambda sheet: (1, 1.0))
        async with app.run_test(size=SIZE) as pilot:
            text = screen_text(app)
            assert "Agent: Dana Park" in text and "Automated score: 88.0" in text
            await pilot.press("j", "9")
            assert "criterion 'tone': 9.0 is not on its scale (1, 2, 3, 4, 5)" in screen_text(app)
            await pilot.press("n")
            assert "criterion 'tone' does not allow N/A" in screen_text(app)
            assert "tone" not in app.sheet.values
            await pilot.press("3", "plus", "plus")
            assert app.sheet.values["tone"] == 5.0

    asyncio.run(scenario())


def test_submit_errors_keep_the_session_open() -> None:
    def on_submit(sheet: Scoresheet) -> tuple[int, float | None]:
        raise QAError("criterion 'tone' is not scored")

    async def scenario() -> None:
        app = ReviewApp(context(blind=True), on_save=lambda sheet: None, on_submit=on_submit)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("s")
            text = screen_text(app)
            assert "Not submitted: criterion 'tone' is not scored" in text and "Dana Park" not in text
            assert app.is_running

    asyncio.run(scenario())


@pytest.fixture
def assigned(db: Database) -> tuple[Database, int]:
    seed_team(db)
    with db.session() as session:
        review.sample(session, rubric="review-test", per_agent=1, seed=1, actor="lee")
    with db.session() as session:
        review.assign(session, reviewers=["maria"], blind=True, actor="lee")
        item = review.next_open(session, "maria")
        external, item_id = item.interaction.external_id, item.id
    add_auto_evaluation(db, external, greeting=1.0)
    return db, item_id


def run_session(db: Database, keys: list[str], actor: str = "maria") -> str | None:
    """Open the reviewer's next assignment in the app with the real services and press ``keys``."""
    with db.session() as session:
        ctx = review.context(session, review.next_open(session, actor))

    def save(sheet: Scoresheet) -> None:
        with db.session() as session:
            review.save_draft(session, ctx.assignment_id, sheet, actor=actor)

    def submit(sheet: Scoresheet) -> tuple[int, float | None]:
        with db.session() as session:
            evaluation = review.submit(session, ctx.assignment_id, sheet, actor=actor)
            return evaluation.id, evaluation.score

    async def scenario() -> str | None:
        app = ReviewApp(ctx, on_save=save, on_submit=submit)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(*keys)
        return app.return_value

    return asyncio.run(scenario())


def test_full_session_scores_an_interaction_through_key_presses(assigned: tuple[Database, int]) -> None:
    db, item_id = assigned
    keys = ["j", "4", "c", *"Warm, used her name", "enter", "j", "2", "o", *"Good chat", "enter", "s", "q"]
    outcome = run_session(db, keys)
    with db.session() as session:
        item = session.get(ReviewAssignment, item_id)
        evaluation = session.get(Evaluation, item.evaluation_id)
        results = {r.criterion_key: (r.value, r.decided_by, r.comment) for r in evaluation.results}
        assert item.status == "submitted" and evaluation.kind == "review"
        assert results == {"greeting": (1.0, "auto", None), "tone": (4.0, "user", "Warm, used her name"),
                           "resolved": (2.0, "user", None)}
        assert evaluation.comment == "Good chat"
        assert evaluation.score == pytest.approx((87.5 + 200) / 3, abs=1e-3)
    assert outcome == f"Submitted assignment {item_id}: evaluation {evaluation.id}, score 95.8"


def test_quitting_saves_a_draft_that_the_next_session_resumes(assigned: tuple[Database, int]) -> None:
    db, item_id = assigned
    outcome = run_session(db, ["j", "3", "c", *"curt", "enter", "q"])
    assert outcome == f"Draft of assignment {item_id} saved (1/3 criteria scored); `qa review start` resumes it"
    with db.session() as session:
        item = session.get(ReviewAssignment, item_id)
        assert item.status == "draft" and item.draft["values"] == {"tone": 3.0}
        assert session.scalars(select(Evaluation).where(Evaluation.kind == "review")).first() is None
    outcome = run_session(db, ["j", "j", "n", "s", "q"])  # resume: tone kept, resolved N/A
    with db.session() as session:
        evaluation = session.get(Evaluation, session.get(ReviewAssignment, item_id).evaluation_id)
        assert {r.criterion_key: (r.value, r.comment) for r in evaluation.results} == {
            "greeting": (1.0, None), "tone": (3.0, "curt"), "resolved": (None, None)}
        assert evaluation.score == pytest.approx(75.0)  # only communication scored: (100 + 50) / 2


def test_feedback_keys_mark_the_verdict_the_evidence_and_the_missing_turn(db: Database) -> None:
    """w, e and t on an automated verdict: stored with the review, audited, counted by eval --from-reviews."""
    from typer.testing import CliRunner

    from qa_toolkit.cli import app
    from qa_toolkit.storage.models import AuditEvent, EvidenceFeedback

    seed_team(db)
    with db.session() as session:
        review.sample(session, rubric="review-test", per_agent=1, seed=1, actor="lee")
    with db.session() as session:
        review.assign(session, reviewers=["maria"], blind=False, actor="lee")
        item = review.next_open(session, "maria")
        external, item_id = item.interaction.external_id, item.id
    add_auto_evaluation(db, external, greeting=1.0)
    keys = ["w", "e", "t", *"9", "enter", "t", *"2", "enter", "w", "w", "j", "4", "j", "2", "s", "q"]
    run_session(db, keys)
    with db.session() as session:
        evaluation_id = session.get(ReviewAssignment, item_id).evaluation_id
        rows = session.scalars(select(EvidenceFeedback).order_by(EvidenceFeedback.kind)).all()
        assert [(r.criterion_key, r.kind, r.turn, r.evaluation_id) for r in rows] == [
            ("greeting", "missing_evidence", 2, evaluation_id), ("greeting", "wrong_evidence", None, evaluation_id),
            ("greeting", "wrong_verdict", None, evaluation_id)]  # turn 9 refused; w pressed three times: on
        audited = session.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.feedback")).all()
        assert sorted(a.after["kind"] for a in audited) == ["missing_evidence", "wrong_evidence", "wrong_verdict"]
        assert all(a.actor == "maria" and a.after["interaction"] == external for a in audited)
    out = CliRunner().invoke(app, ["score", "eval", "--from-reviews", "--as", "lee", "--db", db.url, "--json"])
    assert out.exit_code == 0, out.output
    import json

    assert json.loads(out.output)["feedback"] == {
        "greeting": {"wrong_verdict": 1, "wrong_evidence": 1, "missing_evidence": 1}}


def test_feedback_keys_need_a_visible_automated_verdict() -> None:
    async def scenario() -> None:
        app = ReviewApp(context(blind=True), on_save=lambda sheet: None, on_submit=lambda sheet: (1, None))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("w")
            assert "automated verdicts are hidden" in screen_text(app)
            assert app.sheet.feedback == {}
        app = ReviewApp(context(blind=False), on_save=lambda sheet: None, on_submit=lambda sheet: (1, None))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("j", "w")
            assert "tone has no automated verdict" in screen_text(app)
            await pilot.press("k", "e")
            assert app.sheet.feedback == {"greeting": {"wrong_evidence": True}}
            assert "its quote is wrong evidence" in screen_text(app)

    asyncio.run(scenario())
