"""Accuracy beside every auto-score, and drift: a tuned version records its checks' accuracy; when recent
reviews disagree with a check by more than the margin, `qa score eval --from-reviews` exits 3 and the
reports mark that check's figures unreliable."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from pypdf import PdfReader
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.reports import tables
from qa_toolkit.reports.period import parse_period
from qa_toolkit.services import reports, rubrics, scoring
from qa_toolkit.storage.database import Database
from tests.learn_helpers import RUBRIC, seed_chats, submit_review

runner = CliRunner()
MEASURED = {"labels": "reviews of learn-test", "window": ["2026-10-01T00:00:00", "2026-10-31T00:00:00"],
            "fitted_on": 60, "held_out": 40,
            "criteria": {"greeting": {"f1": 0.95, "accuracy": 0.95, "n": 40},
                         "polite": {"f1": None, "accuracy": 1.0, "n": 40}}}


def _tuned(db: Database, tmp_path: Path) -> None:
    """learn-test v1, then v2 with a measured block (as `qa rubric tune` writes it), both scoring the chats."""
    seed_chats(db)
    tuned = tmp_path / "learn-test.tuned.yaml"
    tuned.write_text(RUBRIC.read_text(encoding="utf-8") + yaml.safe_dump({"measured": MEASURED}), encoding="utf-8")
    with db.session() as session:
        rubrics.publish_file(session, tuned, actor="lee")
    scoring.score_auto(db, rubric="learn-test", workers=1)


def test_score_show_and_reports_show_the_measured_accuracy(db: Database, db_url: str, tmp_path: Path) -> None:
    _tuned(db, tmp_path)
    shown = runner.invoke(app, ["score", "show", "c-1", "--rubric", "learn-test", "--db", db_url, "--as", "ada"])
    assert shown.exit_code == 0, shown.output
    assert "greeting: greeting in turn 1 [check F1 0.95, n 40]" in shown.output
    data = json.loads(runner.invoke(app, ["score", "show", "c-1", "--db", db_url, "--json", "--as", "ada"]).output)
    v2 = next(e for e in data if e["rubric_version"] == 2)
    accuracy = {r["criterion"]: r["check_accuracy"] for r in v2["results"]}
    assert accuracy["greeting"] == {"f1": 0.95, "accuracy": 0.95, "n": 40} and accuracy["closing"] is None
    v1 = next(e for e in data if e["rubric_version"] == 1)
    assert all(r["check_accuracy"] is None for r in v1["results"])  # not measured
    with db.session() as session:
        gaps = reports.training_gap_report(session, period=parse_period("2026-11"), rubric="learn-test")
    row = next(r for r in gaps.ranked("criterion") if r.key == "greeting")
    assert (row.check_f1, row.check_n, row.check_unreliable) == (0.95, 40, None)
    assert "| F1 0.95 (n 40) |" in tables.gaps_markdown(gaps)
    assert "check_f1" in tables.gaps_csv(gaps).splitlines()[0]


def test_drift_exits_3_and_marks_reports_unreliable(db: Database, db_url: str, tmp_path: Path) -> None:
    _tuned(db, tmp_path)
    for n in range(1, 13):  # reviewers see a greeting in every chat; the check in half of them
        submit_review(db, f"c-{n}", "maria", {"greeting": 1, "polite": 5, "tone": 4})
    result = runner.invoke(app, ["score", "eval", "--from-reviews", "--as", "lee", "--rubric", "learn-test", "--db", db_url])
    assert result.exit_code == 3, result.output
    assert "DRIFT greeting (greeting): agreement 0.50 with 12 reviews" in result.output
    assert "below the 0.95 recorded for learn-test v2 by more than 0.10" in result.output
    assert "polite" not in result.output.split("DRIFT", 1)[1]  # polite agrees: no drift
    loose = runner.invoke(app, ["score", "eval", "--from-reviews", "--as", "lee", "--db", db_url, "--drift-margin", "0.5",
                                "--json"])
    assert loose.exit_code == 0 and json.loads(loose.output)["drift"] == []
    with db.session() as session:
        gaps = reports.training_gap_report(session, period=parse_period("2026-11"), rubric="learn-test")
    row = next(r for r in gaps.ranked("criterion") if r.key == "greeting")
    assert row.check_unreliable and row.check_unreliable.startswith("agreement 0.50 with 12 reviews")
    assert "**Unreliable:** Did the agent greet the customer?" in tables.gaps_markdown(gaps)
    out = tmp_path / "pdf"
    made = runner.invoke(app, ["report", "coaching", "--agent", "a-1", "--period", "2026-11", "--rubric",
                               "learn-test", "--out", str(out), "--db", db_url])
    assert made.exit_code == 0, made.output
    text = "\n".join(p.extract_text() for pdf in out.glob("*.pdf") for p in PdfReader(pdf).pages)
    assert "auto-check unreliable" in text and "agreement 0.50 with 12 reviews" in text.replace("\n", " ")
