"""Coaching summaries (service, both engines) and their PDFs read back with pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.errors import NotFoundError, QAError
from qa_toolkit.reports.period import parse_period
from qa_toolkit.services import reports
from qa_toolkit.storage.database import Database
from reports_factory import score_of, statuses
from reports_scenario import ANGRY, COMMENT, LEAK, NAME, TRICKY, seed

OCTOBER = parse_period("2026-10")

# Verdicts of a-1 in October (the review replaces the auto evaluation of i4; calibration ignored)
A1 = [statuses(verify_identity="fail"), statuses(acknowledge="fail"),
      statuses(acknowledge="fail", confirm_resolution="fail"), statuses(greeting="fail"),
      statuses(confirm_resolution="fail")]
A2 = [statuses(), statuses(), statuses(), statuses(acknowledge="fail")]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _score(verdicts: list[dict[str, str]]) -> float:
    return _mean([score_of(v)[0] for v in verdicts])  # type: ignore[misc]


@pytest.fixture
def seeded(db: Database) -> Database:
    with db.session() as session:
        seed(session)
    return db


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_coaching_report_numbers(seeded: Database) -> None:
    with seeded.session() as session:
        batch = reports.coaching_reports(session, team="billing", period=OCTOBER)
    assert [r.agent.id for r in batch.reports] == ["a-1", "a-2"]
    assert [a.id for a in batch.skipped] == ["a-4"]
    report = batch.reports[0]
    assert (report.auto_evaluations, report.review_evaluations, report.interactions) == (5, 1, 5)
    assert report.score == pytest.approx(_score(A1))  # (0 + 66.7 + 50 + 83.3 + 83.3) / 5 = 56.7
    assert report.team_score == pytest.approx(_score(A1 + A2))
    assert report.auto_score == pytest.approx(_mean([0, 200 / 3, 50, 100, 250 / 3]))
    assert report.review_score == pytest.approx(250 / 3)
    assert (report.team_rank, report.team_size) == (2, 3)
    assert [(p.period[:7], p.agent) for p in report.trend[-2:]] == [("2026-09", 100.0), ("2026-10", report.score)]
    # failure rates: confirm_resolution 2/5 (team 2/9), acknowledge 2/5 (team 3/9), verify_identity 1/5 critical
    assert [g.key for g in report.gaps] == ["confirm_resolution", "acknowledge", "verify_identity"]
    assert [(g.failures, g.evaluations) for g in report.gaps] == [(2, 5), (2, 5), (1, 5)]
    assert report.gaps[1].team_failure_pct == pytest.approx(100 / 3)
    assert [q.text for q in report.gaps[1].evidence[1].quotes] == [ANGRY, "Please hold."]
    assert [s.key for s in report.strengths] == ["disclosure"]
    assert [(f.interaction, f.criterion) for f in report.critical_fails] == [
        ("test:i1", "Verifies identity before account details")]
    assert [(c.reviewer, c.text) for c in report.comments] == [("rita", COMMENT)]
    assert [m.title for m, _ in report.training] == ["Closing the loop", "Empathy in writing", "Identity verification"]
    categories = {c.key: (c.agent, c.team) for c in report.categories}
    assert categories["empathy"] == (pytest.approx(60.0), pytest.approx(100 * 6 / 9))
    assert report.kpis is not None and report.kpis.csat == pytest.approx(60.0)  # 4, 5, 5 of 2, 3, 4, 5, 5


def test_coaching_pdf_content(seeded: Database, tmp_path: Path) -> None:
    batch, written = reports.write_coaching_pdfs(seeded, tmp_path / "out", team="billing", period=OCTOBER)
    assert [p.name for p in written] == ["coaching-a-1-2026-10-01.pdf", "coaching-a-2-2026-10-01.pdf"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [p.name for p in written]  # no temp files left
    text = _text(written[0])
    flat = re.sub(r"\s+", " ", text)
    assert NAME in flat
    assert f"{_score(A1):.1f}" in flat and f"{_score(A1 + A2):.1f}" in flat
    focus = flat[flat.index("Top focus areas"):]
    order = [focus.index(label) for label in ("Confirms the issue is resolved", "Acknowledges the customer",
                                               "Verifies identity before account details")]
    assert order == sorted(order)
    assert ANGRY.replace("'", "’")[:10] in flat or ANGRY[:20] in flat
    assert LEAK in flat
    assert "Interaction test:i2" in flat
    assert "Identity verification" in flat and "Closing the loop" in flat
    assert COMMENT in flat
    assert "5 automated, 1 peer review" in flat
    tricky = _text(written[1])
    assert TRICKY in re.sub(r"\s+", " ", tricky)


def test_coaching_for_an_agent_without_evaluations_writes_nothing(seeded: Database, tmp_path: Path) -> None:
    with pytest.raises(QAError, match="agent 'a-4' has no evaluations .* no coaching report written"):
        reports.write_coaching_pdfs(seeded, tmp_path / "out", agent="a-4", period=OCTOBER)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    with pytest.raises(NotFoundError, match="unknown agent 'ghost'"):
        reports.write_coaching_pdfs(seeded, tmp_path / "out", agent="ghost")


def test_coaching_cli_writes_and_overwrites(seeded: Database, tmp_path: Path) -> None:
    args = ["report", "coaching", "--agent", "a-1", "--period", "2026-10", "--out", str(tmp_path / "pdf"),
            "--db", seeded.url]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Wrote 1 coaching PDF" in result.output
    first = (tmp_path / "pdf" / "coaching-a-1-2026-10-01.pdf").stat().st_size
    assert CliRunner().invoke(app, args).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == ["coaching-a-1-2026-10-01.pdf"]
    assert abs((tmp_path / "pdf" / "coaching-a-1-2026-10-01.pdf").stat().st_size - first) < 200

    empty = CliRunner().invoke(app, ["report", "coaching", "--agent", "a-4", "--period", "2026-10",
                                     "--out", str(tmp_path / "none"), "--db", seeded.url])
    assert empty.exit_code == 1
    assert "has no evaluations" in empty.output
    both = CliRunner().invoke(app, ["report", "coaching", "--agent", "a-1", "--all", "--out", "x", "--db", seeded.url])
    assert both.exit_code == 2


def test_pdf_text_is_escaped_and_unicode_survives(tmp_path: Path) -> None:
    from qa_toolkit.reports.fonts import load_fonts

    fonts = load_fonts()
    assert fonts.markup("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert fonts.fallback in fonts.markup("李雷")
    assert fonts.markup("José → Zoë") == "José → Zoë"


def test_quotes_bold_the_words_the_check_found_and_cut_long_turns() -> None:
    from qa_toolkit.reports.pdf import _Builder, quoted
    from qa_toolkit.reports.records import Quote

    b = _Builder()
    short = Quote(turn=3, speaker="agent", text="I see it on your account & <more>", match="on your account")
    assert quoted(b, short) == "“I see it <b>on your account</b> &amp; &lt;more&gt;”"
    long = Quote(turn=1, speaker="agent", text="x" * 500 + " card 4111 " + "y" * 500, match="card 4111")
    text = quoted(b, long)
    assert "<b>card 4111</b>" in text and text.startswith("“…") and text.endswith("…”")


def test_missing_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from qa_toolkit.reports.fonts import FontNotFoundError, find_dejavu

    monkeypatch.setenv("QA_REPORT_FONT", "/nowhere/font.ttf")
    with pytest.raises(FontNotFoundError, match="QA_REPORT_FONT=/nowhere/font.ttf: no such font file"):
        find_dejavu()


def test_characters_no_font_has_become_their_names() -> None:
    from qa_toolkit.reports.fonts import load_fonts

    assert load_fonts().markup("ok \U0001FAE0") == "ok [melting face]"


def test_importing_the_cli_does_not_load_reportlab() -> None:
    import subprocess
    import sys

    code = "import sys, qa_toolkit.cli; print(any(m.startswith('reportlab') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def test_one_agents_report_counts_repeat_contacts_handled_by_other_teams(seeded: Database) -> None:
    """`--agent` reads only the team's contacts, plus later contacts of the same customers: a repeat
    handled by another team still makes the first contact unresolved (same FCR as `--all`)."""
    from reports_factory import agent, at, interaction

    with seeded.session() as session:
        other = agent(session, "a-9", "Other Team", team="tech")
        interaction(session, other, "r2", at(11), customer_external_id="c2", queue="billing")  # 2 days after a-1's i3
    with seeded.session() as session:
        alone = reports.coaching_reports(session, agent="a-1", period=OCTOBER).reports[0]
        everyone = next(r for r in reports.coaching_reports(session, period=OCTOBER).reports if r.agent.id == "a-1")
    assert alone.kpis == everyone.kpis and alone.team_kpis == everyone.team_kpis
    assert alone.kpis is not None and alone.kpis.fcr_n == 5
    assert alone.kpis.fcr == pytest.approx(60.0)  # i1 (repeat: i2) and i3 (repeat: r2, by a-9) of 5 were not


def test_one_agents_report_reuses_the_team_side_only_while_the_data_is_unchanged(seeded: Database) -> None:
    """The web view's agent page (with a data stamp): the second agent of a team reads the team's numbers from
    the cache, equal to a report computed from scratch; any new evaluation makes them be computed again."""
    from sqlalchemy import select

    from qa_toolkit.services import page_cache
    from qa_toolkit.storage.models import Evaluation, Interaction

    page_cache.clear()
    with seeded.session() as session:
        plain = {a: reports.coaching_reports(session, agent=a, period=OCTOBER).reports[0] for a in ("a-1", "a-2")}
        stamp = page_cache.data_stamp(session)
        cached = {a: reports.coaching_reports(session, agent=a, period=OCTOBER, stamp=stamp).reports[0]
                  for a in ("a-2", "a-1")}  # a-1's team side comes from a-2's request
    assert cached == plain
    assert plain["a-1"].team_score == pytest.approx(_score(A1 + A2))
    assert [(g.failures, g.evaluations) for g in cached["a-1"].gaps] == [(2, 5), (2, 5), (1, 5)]
    assert cached["a-1"].gaps[1].team_failure_pct == pytest.approx(100 / 3)
    with seeded.session() as session:  # a zero-scored review of one of a-2's auto-scored interactions
        auto = session.scalars(select(Evaluation).join(Interaction, Evaluation.interaction_id == Interaction.id)
                               .where(Evaluation.kind == "auto", Interaction.started_at >= OCTOBER.start_at,
                                      Interaction.started_at < OCTOBER.end_at).order_by(Evaluation.id)).all()
        a1_interactions = {e.interaction_id for e in session.scalars(select(Evaluation).where(
            Evaluation.interaction_id.in_([e.interaction_id for e in auto])))
            if e.interaction.agent is not None and e.interaction.agent.external_id == "a-1"}
        target = next(e for e in auto if e.interaction_id not in a1_interactions)
        session.add(Evaluation(interaction_id=target.interaction_id, rubric_version_id=target.rubric_version_id,
                               kind="review", score=0.0, category_scores={}))
    with seeded.session() as session:
        again = reports.coaching_reports(session, agent="a-1", period=OCTOBER,
                                         stamp=page_cache.data_stamp(session)).reports[0]
        fresh = reports.coaching_reports(session, agent="a-1", period=OCTOBER).reports[0]
    assert again == fresh and again.team_score is not None
    assert again.team_score < plain["a-1"].team_score  # type: ignore[operator]


def _rounded(value: object) -> object:
    """Floats to 9 places, recursively (sums in the database and in Python differ in the last bits)."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(v) for v in value]
    return value


def test_one_agents_team_side_summed_in_the_database_is_the_team_reports(db: Database) -> None:
    """One agent's report (the web view's agent page, `--agent`) sums the team's side in the database (scores per
    member and month, category scores and failures of the verdicts, repeat contacts); a team's report computes it
    from the loaded evaluations: every figure is the same, on random data with reviews replacing automated
    evaluations, N/A criteria, several rubrics, unscored evaluations and interactions outside the trend."""
    import random
    from dataclasses import asdict

    from reports_factory import CATEGORY_OF, RUBRIC, agent, at, evaluate, interaction, publish

    from qa_toolkit.storage.models import User

    rng = random.Random(18)
    with db.session() as session:
        version = publish(session)
        other = publish(session, {**RUBRIC, "name": "other-rubric"})
        reviewer = User(name="rita", role="reviewer")
        session.add(reviewer)
        people = [agent(session, f"a-{n}", f"Agent {n}", team=("billing", "tech")[n % 2]) for n in range(1, 8)]
        for n in range(160):
            who = rng.choice(people)
            month = rng.choice([3, 8, 9, 10, 10, 10])
            chat = interaction(session, who, f"i{n}", at(rng.randrange(1, 29), rng.randrange(24), month=month),
                               customer_external_id=f"c{rng.randrange(40)}", queue=rng.choice(["cards", "loans"]),
                               csat=rng.choice([None, 2, 4, 5]), turns=[("agent", "Hello"), ("customer", "Hi")])
            marks = {key: rng.choice(["pass", "pass", "fail", "na"]) for key in CATEGORY_OF}
            if rng.random() < 0.9:
                evaluate(session, rng.choice([version, version, version, other]), chat, marks,
                         evidence={k: [0] for k, s in marks.items() if s == "fail"})
            if rng.random() < 0.3:
                evaluate(session, version, chat, {key: rng.choice(["pass", "fail"]) for key in CATEGORY_OF},
                         kind="review", reviewer=reviewer)
    with db.session() as session:
        for team in ("billing", "tech"):
            batch = reports.coaching_reports(session, team=team, period=OCTOBER, rubric=RUBRIC["name"])
            assert len(batch.reports) >= 3
            for report in batch.reports:
                alone = reports.coaching_reports(session, agent=report.agent.id, period=OCTOBER,
                                                 rubric=RUBRIC["name"]).reports[0]
                assert _rounded(asdict(alone)) == _rounded(asdict(report)), report.agent.id
                assert alone.team_score is not None and alone.team_rank is not None
