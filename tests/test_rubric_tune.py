"""`qa rubric tune`: a draft tuned on the oldest labels, measured on the newest, published with its measure."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.rubrics import load_rubric
from qa_toolkit.services.rubric_tune import tune_rubric
from qa_toolkit.storage.database import Database
from tests.learn_helpers import seed_chats, submit_review

runner = CliRunner()
DEV = Path(__file__).parent / "data" / "labelled" / "chats_dev.jsonl"
SEMANTIC = Path(__file__).parent / "data" / "learn" / "learn-semantic.yaml"


def _first(n: int, tmp_path: Path) -> Path:
    """The first ``n`` dev chats (in file order, which is time order) as a labels file."""
    path = tmp_path / f"dev{n}.jsonl"
    path.write_text("".join(DEV.read_text(encoding="utf-8").splitlines(keepends=True)[:n]), encoding="utf-8")
    return path


def test_tune_on_labels_writes_a_draft_that_loads_and_records_its_measure(tmp_path: Path) -> None:
    labels = _first(40, tmp_path)
    out = tmp_path / "draft.yaml"
    result = runner.invoke(app, ["rubric", "tune", str(SEMANTIC), "--labels", str(labels), "--out", str(out),
                                 "--min-labels", "10", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["interactions"], data["fitted_on"], data["held_out"]) == (40, 24, 16)
    rows = {c["criterion"]: c for c in data["criteria"]}
    assert rows["greeting"]["fitted_on"] == 24 and rows["greeting"]["held_out"] == 16
    assert rows["no_card_in_chat"]["refused"] == "nothing to tune (no exemplars in a measured check)"
    for row in rows.values():
        if row["refused"] is None:
            assert row["f1_after"] is not None or row["f1_before"] is None
        if row["f1_before"] is not None:  # the guard: no check leaves worse on the held-out labels than it came
            assert row["f1_after"] >= row["f1_before"]
            assert row["rejected"] is None or (row["rejected"]["f1"] or 0.0) <= row["f1_before"]
    draft = load_rubric(out).rubric  # loads, validates
    assert draft.name == "learn-semantic" and draft.measured is not None
    assert draft.measured.labels == str(labels) and (draft.measured.fitted_on, draft.measured.held_out) == (24, 16)
    assert draft.measured.window is not None and draft.measured.window[0].startswith("2026-07-06")
    assert draft.measured.criteria["greeting"]["n"] == 16
    closing = draft.criterion("closing")[1].params["exemplars"]
    assert "margin" in closing or rows["closing"]["thresholds"] == {}  # a tuned block without one gains the line
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# learn-semantic: three checks by meaning")  # comments and layout kept
    assert set(rows) == {"greeting", "closing", "no_escalation", "no_card_in_chat"}
    for row in rows.values():  # every added exemplar is in the draft, under its block
        for added in row["exemplars_added"]:
            crit = draft.criterion(row["criterion"])[1]
            block = crit.params[added["block"]]
            assert added["sentence"] in block[added["as"]]


def test_too_few_labels_refuses_every_check(tmp_path: Path) -> None:
    labels = _first(20, tmp_path)
    result = tune_rubric(str(SEMANTIC), labels=labels)  # 12 in the fitting part, 20 needed
    refused = {c["criterion"]: c["refused"] for c in result["criteria"]}
    assert refused["greeting"] == "too few labels to tune: 12 in the fitting part, 20 needed"
    assert all(c["thresholds"] == {} and c["exemplars_added"] == [] for c in result["criteria"])
    draft = yaml.safe_load(result["draft"])
    assert draft["categories"] == yaml.safe_load(SEMANTIC.read_text())["categories"]  # nothing tuned
    assert draft["measured"]["fitted_on"] == 12 and load_rubric(SEMANTIC).rubric.measured is None


def test_publish_records_the_window_and_accuracy(tmp_path: Path, db_url: str) -> None:
    labels = _first(40, tmp_path)
    out = tmp_path / "draft.yaml"
    assert runner.invoke(app, ["rubric", "publish", str(SEMANTIC), "--db", db_url]).exit_code == 0
    tuned = runner.invoke(app, ["rubric", "tune", str(SEMANTIC), "--labels", str(labels), "--out", str(out),
                                "--min-labels", "5"])
    assert tuned.exit_code == 0, tuned.output
    assert "F1 before" in tuned.output and "Draft written to" in tuned.output
    published = runner.invoke(app, ["rubric", "publish", str(out), "--db", db_url])
    assert published.exit_code == 0, published.output
    assert "learn-semantic: published version 2" in published.output
    assert f"tuned on {labels} given 2026-07-06" in published.output
    shown = json.loads(runner.invoke(app, ["rubric", "show", "learn-semantic", "--db", db_url, "--json"]).output)
    assert shown["measured"]["held_out"] == 16 and "greeting" in shown["measured"]["criteria"]
    v1 = json.loads(runner.invoke(app, ["rubric", "show", "learn-semantic", "--version", "1", "--db", db_url,
                                        "--json"]).output)
    assert "measured" not in v1  # the untuned version's body (and hash) are as before
    # the draft measures like any rubric
    measured = runner.invoke(app, ["score", "eval", str(labels), "--rubric", str(out), "--json"])
    assert measured.exit_code == 0, measured.output


def test_tune_from_reviews_uses_review_labels(db: Database, db_url: str, tmp_path: Path) -> None:
    seed_chats(db, count=12)
    for n in range(1, 13):
        submit_review(db, f"c-{n}", "maria", {"greeting": 1 if n % 2 else 0, "polite": 5, "tone": 3})
    out = tmp_path / "draft.yaml"
    result = runner.invoke(app, ["rubric", "tune", "learn-test", "--from-reviews", "--as", "lee", "--out", str(out),
                                 "--db", db_url, "--json", "--min-labels", "5"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["labels"] == "reviews of learn-test" and data["interactions"] == 12
    rows = {c["criterion"]: c for c in data["criteria"]}
    assert rows["greeting"]["refused"] == "no exemplars to tune (phrases only)"
    assert (rows["greeting"]["fitted_on"], rows["greeting"]["held_out"]) == (7, 5)
    assert rows["greeting"]["f1_before"] == 1.0  # the keyword check agrees with maria on the last five
    assert load_rubric(out).rubric.measured.labels == "reviews of learn-test"


def test_tune_without_labels_is_a_clear_error(db: Database, db_url: str, tmp_path: Path) -> None:
    seed_chats(db, count=2)
    result = runner.invoke(app, ["rubric", "tune", "learn-test", "--from-reviews", "--as", "lee", "--out",
                                 str(tmp_path / "d.yaml"), "--db", db_url])
    assert result.exit_code != 0
    assert "no labels to tune learn-test on (reviews of learn-test)" in result.output
    both = runner.invoke(app, ["rubric", "tune", "learn-test", "--out", str(tmp_path / "d.yaml")])
    assert both.exit_code != 0 and "give --from-reviews or --labels FILE" in both.output


def test_unknown_labels_get_a_line(tmp_path: Path) -> None:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()[:20]]
    for row in rows:
        row["labels"]["greetng"] = row["labels"].pop("greeting")
    path = tmp_path / "typo.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = tune_rubric(str(SEMANTIC), labels=path)
    assert "labels no check predicts (ignored): greetng" in result["notes"]
    assert "greeting" not in {c["criterion"] for c in result["criteria"]}
