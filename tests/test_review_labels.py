"""Reviews are labels: `qa score eval --from-reviews` on a small team reviewed through the real services."""

from __future__ import annotations

import json
from datetime import timedelta

from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.scoring.agreement import Pair, metrics
from qa_toolkit.services.review_eval import evaluate_reviews
from qa_toolkit.storage.database import Database
from tests.learn_helpers import START, run_calibration, seed_chats, submit_review

runner = CliRunner()


def _truth(n: int) -> float:
    """What people say about the greeting of chat c-n: the check's verdict, except c-3 (a greeting to a
    colleague, not the customer) and c-8 (greeted in the subject line)."""
    if n == 3:
        return 0
    if n == 8:
        return 1
    return 1 if n % 2 else 0


def _team(db: Database) -> None:
    """Calibration on c-1..c-6 (gold lee, maria right, tom always wrong); maria reviews c-7..c-12, tom
    (who disagrees with everyone) c-7..c-12 too; polite on a 1-5 scale; one N/A where the check judged."""
    seed_chats(db)
    calibrated = [f"c-{n}" for n in range(1, 7)]
    answers = {
        "lee": {f"c-{n}": {"greeting": _truth(n), "polite": 5, "tone": 4} for n in range(1, 7)},
        "maria": {f"c-{n}": {"greeting": _truth(n), "polite": 5, "tone": 4} for n in range(1, 7)},
        "tom": {f"c-{n}": {"greeting": 1 - _truth(n), "polite": 1, "tone": 2} for n in range(1, 7)},
    }
    run_calibration(db, calibrated, answers, comments={"lee": {"c-3": "greeted a colleague, not the customer"}})
    for n in range(7, 13):
        at = START + timedelta(days=n, hours=2)
        polite: object = "na" if n == 12 else 5
        submit_review(db, f"c-{n}", "maria", {"greeting": _truth(n), "polite": polite, "tone": 4},
                      {"greeting": "greeted in the subject line"} if n == 8 else None, at=at)
        submit_review(db, f"c-{n}", "tom", {"greeting": 1 - _truth(n), "polite": 1, "tone": 2}, at=at)


def test_metrics_positive_class_is_fail_and_weights_count() -> None:
    pairs = [Pair("a", "g", "greeting", "fail", "fail"), Pair("b", "g", "greeting", "fail", "pass"),
             Pair("c", "g", "greeting", "pass", "fail", weight=0.5), Pair("d", "g", "greeting", "pass", "pass")]
    m = metrics(pairs, accepted=4)
    assert (m["precision"], m["recall"]) == (0.5, round(1 / 1.5, 4))
    assert m["agreement"] == round(2 / 3.5, 4)
    assert m["override_rate"] == round(2 / 8, 4)  # two changed of eight reviewed verdicts


def test_reviews_and_gold_become_labels(db: Database) -> None:
    _team(db)
    result = evaluate_reviews(db, rubric="learn-test")
    checks = {c["criterion"]: c for c in result["checks"]}
    greeting = checks["greeting"]
    # 12 labels: c-1..c-6 from the gold, c-7..c-12 from maria (tom is left out)
    assert greeting["n"] == 12
    assert greeting["agreement"] == round(10 / 12, 4)
    assert (greeting["precision"], greeting["recall"], greeting["f1"]) == (round(5 / 6, 4),) * 3
    assert result["gold_labels"] == 6 + 6  # greeting and polite on the six calibrated chats
    assert greeting["by"]["team"]["billing"]["n"] == 6 and greeting["by"]["team"]["cards"]["n"] == 6
    assert greeting["by"]["channel"] == {"chat": greeting["by"]["channel"]["chat"]}
    assert list(greeting["by"]["check_version"]) == ["learn-test v1"]
    assert len(greeting["by"]["week"]) >= 2
    tom = next(r for r in result["reviewers"] if r["reviewer"] == "tom")
    assert (tom["against"], tom["agreement"], tom["weight"], tom["standing"]) == (
        "calibration gold", 0.0, 0.0, "left out")
    maria = next(r for r in result["reviewers"] if r["reviewer"] == "maria")
    assert (maria["agreement"], maria["weight"]) == (1.0, 1.0)
    assert any(n.startswith("reviewer tom: agreement 0.00 with the calibration gold") for n in result["notes"])
    assert any(n.startswith("polite:") and "graded scale" in n for n in result["notes"])
    assert result["left_out"]["N/A answered by people where the check gave a verdict"] == 1
    assert result["left_out"]["answers of reviewers left out for poor calibration"] == 12  # tom's on c-7..c-12
    assert result["left_out"]["review answers outranked by a calibration gold score"] == 2 * 2 * 6
    assert checks["polite"]["n"] == 11 and checks["polite"]["agreement"] == 1.0
    assert "tone" not in checks and "closing" not in checks  # manual; left to the check (accepted)
    worst = result["worst_disagreements"]
    assert [(d["interaction"], d["by"]) for d in worst] == [("c-3", "calibration gold"), ("c-8", "maria")]
    assert worst[0]["comment"] == "greeted a colleague, not the customer"
    assert worst[0]["evidence"][0]["quote"].lower().startswith("hello")
    assert worst[1]["comment"] == "greeted in the subject line"


def test_cli_from_reviews_table_and_json(db: Database, db_url: str) -> None:
    _team(db)
    out = runner.invoke(app, ["score", "eval", "--from-reviews", "--as", "lee", "--rubric", "learn-test", "--db", db_url])
    assert out.exit_code == 0, out.output
    assert "Checks against the reviewers of learn-test: 23 labels (12 calibration gold)" in out.output
    assert "greeted a colleague, not the customer" in out.output
    assert "left out: 1 — N/A answered by people where the check gave a verdict" in out.output
    assert "reviewer tom: agreement 0.00" in out.output
    data = json.loads(runner.invoke(app, ["score", "eval", "--from-reviews", "--as", "lee", "--db", db_url, "--json",
                                          "--period", "2026-11-09..2026-11-30"]).output)
    # only maria's reviews of c-7..c-12 (given on 2026-11-09 and later; the calibration ran today)
    assert data["period"] == "2026-11-09..2026-11-30"
    assert {c["criterion"]: c["n"] for c in data["checks"]} == {"greeting": 6, "polite": 5}
    refused = runner.invoke(app, ["score", "eval", "--from-reviews", "--as", "maria", "--db", db_url])
    assert refused.exit_code != 0 and "maria" in refused.output and "tom" not in refused.output
    bad = runner.invoke(app, ["score", "eval", "--from-reviews", "--as", "lee", "x.jsonl", "--db", db_url])
    assert bad.exit_code != 0 and "give no FILE" in bad.output


def test_no_reviews_says_so(db: Database, db_url: str) -> None:
    seed_chats(db, count=2)
    out = runner.invoke(app, ["score", "eval", "--from-reviews", "--as", "lee", "--db", db_url])
    assert out.exit_code == 0 and "No review answers to compare" in out.output
