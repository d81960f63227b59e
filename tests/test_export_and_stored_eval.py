"""`qa export interactions` (canonical JSONL, read back losslessly) and `qa score eval --db --labels`
(the checks measured on what is stored), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from pathlib import Path

from scoring_support import add_conversation
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.services.chat_import import import_chats
from qa_toolkit.services.interaction_export import export_jsonl
from qa_toolkit.services.scoring import evaluate_labels
from qa_toolkit.services.stored_eval import evaluate_stored
from qa_toolkit.storage.database import Database

DEV = Path(__file__).parent / "data" / "scoring" / "dev_set.jsonl"
CALL = {
    "id": "call-0001", "channel": "call", "agent": {"id": "a-9", "name": "Ann Lee", "team": "cards"},
    "customer": {"id": "cust-1"}, "started_at": "2026-10-05T09:00:00Z", "queue": "cards",
    "turns": [{"speaker": "agent", "text": "Thanks for calling, this is Ann.", "start_s": 0.4, "end_s": 2.1},
              {"speaker": "customer", "text": "My card was declined.", "start_s": 2.6, "end_s": 4.0},
              {"speaker": "agent", "text": "Let me put you on a brief hold.", "start_s": 5.0, "end_s": 6.5},
              {"speaker": "agent", "text": "Thanks for holding. It's unblocked now.", "start_s": 30.0, "end_s": 32.0}],
    "metadata": {"recording_id": 7, "model": "tiny.en"},
    "labels": {"greeting": True, "hold_etiquette": True},
}


def _exported(db: Database, query: str | None = None) -> list[dict]:  # type: ignore[type-arg]
    out = io.StringIO()
    export_jsonl(db, out, query)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_export_writes_canonical_records_that_import_reads_back_losslessly(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        stored = add_conversation(session, CALL, source="call")
        stored.meta = {**CALL["metadata"], "timing": {"talk_s": {"agent": 5.2}, "holds": [[6.5, 30.0]]}}
        stored.labels = CALL["labels"]
    import_chats(db, [str(DEV)], source="dev")
    first = _exported(db)
    call = next(r for r in first if r["id"] == "call-0001")
    assert call["channel"] == "call" and call["timing"]["holds"] == [[6.5, 30.0]]
    assert call["turns"][1] == {"speaker": "customer", "text": "My card was declined.", "start_s": 2.6, "end_s": 4.0}
    assert call["agent"] == {"id": "a-9", "name": "Ann Lee", "team": "cards"} and call["labels"] == CALL["labels"]
    assert len(first) == 47 and all("turns" in r for r in first)
    # read back into the database under another source, exported again: the same records
    path = tmp_path / "all.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in first), encoding="utf-8")
    summary = import_chats(db, [str(path)], source="again")
    assert summary.totals()["rejected"] == 0
    again = _exported(db, "source=again")
    assert again == first


def test_export_cli_writes_a_file(db_url: str, db: Database, tmp_path: Path) -> None:
    import_chats(db, [str(DEV)], source="dev")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["export", "interactions", "--format", "jsonl", "--out", str(out),
                                      "--interactions", "id=dev-01|dev-02", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["dev-01", "dev-02"]


def test_eval_over_stored_interactions_matches_the_file_and_reports_unknown_ids(db: Database, tmp_path: Path) -> None:
    import_chats(db, [str(DEV)], source="dev")
    records = [json.loads(line) for line in DEV.read_text().splitlines()]
    labels = tmp_path / "labels.jsonl"
    lines = [{"source": "dev", "id": r["id"], "labels": r["labels"]} for r in records]
    lines.append({"source": "dev", "id": "nope-1", "labels": {"greeting": True}})
    labels.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    stored = evaluate_stored(db, labels, rubric="support-chat")
    assert stored["conversations"] == 46 and stored["problems"] == ["dev:nope-1: not stored (left out)"]
    # what is stored (redacted text, PII spans from the database) is what is measured: the same figures as
    # the exported records carrying the original labels
    exported = tmp_path / "exported.jsonl"
    originals = {r["id"]: r["labels"] for r in records}
    exported.write_text("".join(json.dumps({**r, "labels": originals[r["id"]]}) + "\n"
                                for r in _exported(db, "source=dev")), encoding="utf-8")
    from_export = evaluate_labels(str(exported), rubric="support-chat")
    by_label = {r["label"]: r for r in stored["labels"]}
    for expected in from_export["labels"]:
        if expected["label"] == "unredacted_pii":  # spans: the stored ones vs those found in redacted text
            continue
        got = by_label[expected["label"]]
        assert (got["n"], got.get("f1"), got.get("mae")) == (expected["n"], expected.get("f1"), expected.get("mae")), \
            expected["label"]
    assert by_label["greeting"]["f1"] == 1.0 and by_label["unredacted_pii"]["recall"] == 1.0


def test_eval_cli_needs_a_file_or_labels(db_url: str, db: Database, tmp_path: Path) -> None:
    runner = CliRunner()
    both = runner.invoke(app, ["score", "eval", str(DEV), "--labels", str(DEV), "--db", db_url])
    assert both.exit_code == 2 and "give a labelled FILE, or --labels with --db" in both.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n{oops\n', encoding="utf-8")
    result = runner.invoke(app, ["score", "eval", "--labels", str(bad), "--db", db_url])
    assert result.exit_code == 1
    assert f"{bad}:1: labels: missing `labels` object" in result.output
    assert f"{bad}:2: record: not valid JSON" in result.output
