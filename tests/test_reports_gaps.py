"""Training gaps: failure rates, Wilson intervals, trend, impact, cohorts, modules; tidy CSV/JSON; both engines."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.reports import tables
from qa_toolkit.reports.gaps import GapReport, tenure_band
from qa_toolkit.reports.period import parse_period
from qa_toolkit.reports.stats import wilson_interval
from qa_toolkit.services import reports
from qa_toolkit.storage.database import Database
from reports_scenario import NAME, TRICKY, seed

OCTOBER = parse_period("2026-10")


@pytest.fixture
def gap_report(db: Database) -> GapReport:
    with db.session() as session:
        seed(session)
    with db.session() as session:
        return reports.training_gap_report(session, period=OCTOBER)


def _row(report: GapReport, key: str, cohort_type: str = "all", cohort: str = "all", level: str = "criterion"):
    [row] = [r for r in report.rows if (r.level, r.key, r.cohort_type, r.cohort) == (level, key, cohort_type, cohort)]
    return row


def test_failure_rates_intervals_and_trend(gap_report: GapReport) -> None:
    # 11 October verdicts: a-1 5 (review replaces auto on i4), a-2 4, a-3 2; acknowledge fails in 3
    assert (gap_report.evaluations, gap_report.interactions) == (11, 11)
    ack = _row(gap_report, "acknowledge")
    interval = wilson_interval(3, 11)
    assert (ack.evaluations, ack.failures, ack.agents_affected, ack.agents_evaluated) == (11, 3, 2, 3)
    assert ack.failure_pct == pytest.approx(100 * 3 / 11)
    assert (ack.ci_low_pct, ack.ci_high_pct) == (pytest.approx(100 * interval.low), pytest.approx(100 * interval.high))
    # September: two clean verdicts → 0 %, so the trend is the whole rate
    assert (ack.prev_evaluations, ack.prev_failure_pct) == (2, 0.0)
    assert ack.trend_pts == pytest.approx(100 * 3 / 11)
    billing = _row(gap_report, "acknowledge", "team", "billing")
    assert (billing.evaluations, billing.failures, billing.volume) == (9, 3, 9)
    # compliance fails whenever verify_identity does (i1 only)
    assert _row(gap_report, "compliance", level="category").failures == 1


def test_impact_ranking_by_hand(gap_report: GapReport) -> None:
    # verify_identity fails only in i1, which was escalated, rated 2 and repeated (c1 came back on day 5):
    # lift = 1 for each outcome → weight (1 + 3) × 2 (critical) = 8; impact = 1/11 × 11 × 8 = 8
    identity = _row(gap_report, "verify_identity")
    assert identity.outcome_weight == pytest.approx(8.0)
    assert identity.impact == pytest.approx(8.0)
    assert identity.corr_escalation == pytest.approx(1.0)
    # acknowledge fails in i2, i3 (a-1) and j3 (a-2): none escalated, none low CSAT (3, 4, 4), i2 not repeated
    # → lifts: escalation 0 − 1/8 < 0, low CSAT 0 − 1/8 < 0, repeat 0 − 1/8 < 0 → weight 1; impact = 3/11 × 11 = 3
    assert _row(gap_report, "acknowledge").impact == pytest.approx(3.0)
    assert [r.key for r in gap_report.ranked("criterion")][:2] == ["verify_identity", "acknowledge"]
    assert [r.rank for r in gap_report.ranked("criterion")] == [1, 2, 3, 4, 5]


def test_cohorts_and_modules(gap_report: GapReport) -> None:
    cohorts = {(r.cohort_type, r.cohort) for r in gap_report.rows}
    assert {("team", "billing"), ("team", "tech"), ("tenure", "<3 months"), ("tenure", "2+ years"),
            ("tenure", "1-2 years"), ("queue", "billing"), ("queue", "tech")} <= cohorts
    needs = {n.module.title: [(a, round(p)) for a, _, p in n.agents] for n in gap_report.modules}
    # Empathy in writing covers acknowledge and confirm_resolution: a-1 fails 4 of 10, a-2 1 of 8
    assert needs["Empathy in writing"] == [("a-1", 40)]
    assert needs["Identity verification"] == [("a-1", 20)]
    assert tenure_band(None, OCTOBER.end) == "unknown"


def test_tidy_csv_and_json(gap_report: GapReport) -> None:
    rows = list(csv.DictReader(io.StringIO(tables.gaps_csv(gap_report))))
    assert list(rows[0]) == list(tables.GAP_COLUMNS)
    assert len(rows) == len(gap_report.rows)
    assert len({(r["level"], r["key"], r["cohort_type"], r["cohort"]) for r in rows}) == len(rows)  # one per key × cohort
    first = rows[0]
    assert (first["level"], first["cohort_type"], first["key"], first["rank"]) == ("criterion", "all", "verify_identity", "1")
    data = json.loads(tables.gaps_json(gap_report))
    assert set(data) == {"period", "previous_period", "rubric", "team", "evaluations", "interactions", "rows", "modules"}
    assert data["rows"][0]["failure_pct"] == pytest.approx(100 / 11, abs=1e-4)
    assert data["modules"][0]["agents"][0] == {"agent": "a-1", "name": NAME, "failure_pct": 40.0}
    markdown = tables.gaps_markdown(gap_report)
    assert "| 1 | Verifies identity before account details (critical) | 9.1 % |" in markdown


def test_training_gaps_cli_formats(gap_report: GapReport, db: Database, tmp_path: Path) -> None:
    for fmt in ("csv", "json", "md", "pdf"):
        out = tmp_path / f"gaps.{fmt}"
        result = CliRunner().invoke(app, ["report", "training-gaps", "--period", "2026-10", "--format", fmt,
                                          "--out", str(out), "--db", db.url])
        assert result.exit_code == 0, result.output
        assert "highest impact: Verifies identity" in result.output
    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "gaps.pdf").pages)
    assert "Verifies identity before account details" in text and NAME in text
    assert TRICKY not in text or "<Park>" in text
    bad = CliRunner().invoke(app, ["report", "training-gaps", "--format", "xls", "--out", "x", "--db", db.url])
    assert bad.exit_code == 2
    none = CliRunner().invoke(app, ["report", "training-gaps", "--period", "2025-01", "--out", "x.csv",
                                    "--format", "csv", "--db", db.url])
    assert none.exit_code == 1 and "no evaluations" in none.output
