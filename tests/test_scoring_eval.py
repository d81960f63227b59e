"""`qa score eval`: check accuracy against hand labels, on a small file with hand-computed figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.errors import QAError
from qa_toolkit.scoring.evaluate import binary_metrics, category_metrics, number_metrics
from qa_toolkit.services.scoring import evaluate_labels

DATA = Path(__file__).parent / "data" / "scoring"
SMALL = DATA / "small_labels.jsonl"


def _by_label(result: dict) -> dict:  # type: ignore[type-arg]
    return {r["label"]: r for r in result["labels"]}


def test_metrics_on_hand_computed_pairs() -> None:
    # tp=2 (1,2) fp=1 (3) fn=1 (4); the null pair counts for accuracy only
    pairs = [(True, True), (True, True), (False, True), (True, False), (None, None), (False, False)]
    assert binary_metrics(pairs) == {"accuracy": 0.6667, "precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert category_metrics([("a", "a"), ("a", "b"), ("b", "b")]) == {
        "accuracy": 0.6667, "precision": 0.75, "recall": 0.75, "f1": 0.6667}
    assert number_metrics([(10, 12), (5, 5), (3, None)]) == {"mae": 1.0, "unmeasured": 1}


def test_eval_on_the_small_file_gives_the_known_figures() -> None:
    result = evaluate_labels(str(SMALL))
    labels = _by_label(result)
    assert result["conversations"] == 4
    # greeting: labels T,T,T,F; predicted T,F,T,T -> tp 2, fp 1 (s-4), fn 1 (s-2)
    assert {k: labels["greeting"][k] for k in ("n", "accuracy", "precision", "recall", "f1")} == {
        "n": 4, "accuracy": 0.5, "precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert {k: labels["greeting"][k] for k in ("support", "tp", "fp", "fn", "tn")} == {
        "support": 3, "tp": 2, "fp": 1, "fn": 1, "tn": 0}
    # the worst first: the check was surer of the wrong greeting in s-4 (0.95) than of the miss in s-2 (0.85)
    assert [(d["id"], d["confidence"]) for d in labels["greeting"]["disagreements"]] == [("s-4", 0.95), ("s-2", 0.85)]
    s2 = labels["greeting"]["disagreements"][1]
    assert (s2["expected"], s2["predicted"]) == (True, False) and "no greeting" in s2["message"]
    assert s2["evidence"][0]["quote"] == "It ships today. Calm down."
    assert labels["empathy_when_needed"]["f1"] == 1.0 and labels["empathy_when_needed"]["n"] == 3
    assert labels["prohibited_language_by_agent"]["f1"] == 1.0
    assert (labels["resolved"]["precision"], labels["resolved"]["recall"]) == (0.5, 1.0)
    pii = labels["unredacted_pii"]
    assert (pii["precision"], pii["recall"], pii["spans_found"], pii["spans_labelled"]) == (1.0, 0.5, 1, 2)
    gap = labels["max_agent_response_gap_seconds"]
    assert (gap["mae"], gap["disagreements"][0]["predicted"]) == (30.0, 90.0)
    assert labels["customer_sentiment_end"]["accuracy"] == 1.0


def test_eval_cli_json_and_table() -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["score", "eval", str(SMALL), "--rubric", "support-chat", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rubric"] == "support-chat" and _by_label(data)["greeting"]["f1"] == 0.6667
    table = runner.invoke(app, ["score", "eval", str(SMALL)])
    assert table.exit_code == 0
    assert "Check accuracy on 4 conversations" in table.output
    assert "greeting s-2: expected True, got False" in table.output


def test_dev_set_meets_the_f1_target() -> None:
    result = evaluate_labels(str(DATA / "dev_set.jsonl"), rubric="support-chat")
    assert result["conversations"] >= 40
    for label in result["labels"]:
        if label["kind"] == "number":
            assert label["mae"] is not None and label["mae"] <= 1.0, label["label"]
        else:
            assert label["f1"] >= 0.9, (label["label"], label["f1"])


@pytest.mark.parametrize(("line", "message"), [
    ('{"id": "x", "agent": {"id": "a"}, "turns": []}', "bad.jsonl:1: turns: empty conversation"),
    ("{not json", "bad.jsonl:1: record: not valid JSON"),
])
def test_bad_label_files_say_where(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(QAError) as info:
        evaluate_labels(str(path))
    assert message in str(info.value)
    result = CliRunner().invoke(app, ["score", "eval", str(path)])
    assert result.exit_code == 1 and message in result.output


def test_labels_no_check_predicts_are_reported_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "labels.jsonl"
    path.write_text('{"id": "x", "agent": {"id": "a"}, "turns": [{"speaker": "agent", "text": "Hello"}], '
                    '"labels": {"greting": true, "greeting": true}}\n')
    result = evaluate_labels(str(path))
    assert result["ignored_labels"] == {"greting": "(did you mean 'greeting'?)"}
    assert _by_label(result)["greeting"]["accuracy"] == 1.0
    table = CliRunner().invoke(app, ["score", "eval", str(path)])
    assert "Labels no check predicts (ignored): greting (did you mean 'greeting'?)" in table.output


def test_missing_label_file_is_a_user_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["score", "eval", str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1 and "nope.jsonl: cannot read" in result.output
