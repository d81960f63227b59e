"""Property-based tests of chat import (issue 20): random valid records with random corruptions store exactly
the valid ones, report each invalid one once and duplicate nothing; a card number, SSN, phone number or
e-mail address put in any field of a record, in JSON Lines, a JSON document, CSV or a text transcript, is never
stored, written or printed in clear. SQLite and PostgreSQL; each example imports under a source of its own, so examples share a database.

Example counts are small and the profile derandomized (see conftest.py): these run in seconds, the same
examples every run.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.ingest.model import RecordError
from qa_toolkit.services.chat_import import import_chats
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Interaction

_counter = itertools.count()
# Examples share the test's database (each under a source of its own) and tmp_path (files named per example).
SHARED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

WORDS = st.sampled_from(["refund", "billing", "thanks", "hello", "card", "order", "late", "please", "sorry", "ok"])
TEXT = st.lists(WORDS, min_size=1, max_size=6).map(" ".join)


def conversation(cid: str, turns: list[str], **extra: Any) -> dict[str, Any]:
    return {"id": cid, "agent": {"id": "a-prop", "name": "Prop Agent"},
            "turns": [{"speaker": ("customer", "agent")[i % 2], "text": t, "at": f"2026-10-02T14:{i % 60:02d}:00Z"}
                      for i, t in enumerate(turns)], **extra}


# A corruption turns a valid record (as a dict) into the bytes of an invalid line.
CORRUPTIONS: dict[str, Any] = {
    "speaker": lambda r: json.dumps({**r, "turns": [{**r["turns"][0], "speaker": "robot"}]}).encode(),
    "no agent": lambda r: json.dumps({k: v for k, v in r.items() if k != "agent"}).encode(),
    "no turns": lambda r: json.dumps({**r, "turns": []}).encode(),
    "naive time": lambda r: json.dumps({**r, "started_at": "2026-10-02T14:05:00"}).encode(),
    "bad time": lambda r: json.dumps({**r, "started_at": "yesterday"}).encode(),
    "csat": lambda r: json.dumps({**r, "csat": 9}).encode(),
    "truncated": lambda r: json.dumps(r).encode()[:-7],
    "not an object": lambda r: json.dumps([r["id"]]).encode(),
    "bad utf-8": lambda r: json.dumps(r).encode().replace(b"refund", b"r\xe9fund") if b"refund" in json.dumps(r).encode()
    else json.dumps(r).encode()[:-2] + b"\xff\"}",
}

RECORDS = st.lists(
    st.tuples(TEXT.flatmap(lambda t: st.lists(st.just(t) | TEXT, min_size=1, max_size=4)),
              st.none() | st.sampled_from(sorted(CORRUPTIONS)) | st.just("duplicate")),
    min_size=1, max_size=25)


@settings(max_examples=12, suppress_health_check=SHARED)
@given(records=RECORDS, workers=st.sampled_from([1, 2]))
def test_the_store_holds_exactly_the_valid_records(db: Database, tmp_path: Path,
                                                    records: list[tuple[list[str], str | None]], workers: int) -> None:
    run = next(_counter)
    source = f"prop-{run}"
    lines: list[bytes] = []
    valid: list[str] = []
    invalid: list[int] = []
    for n, (turns, corruption) in enumerate(records):
        record = conversation(f"c-{n}", turns)
        if corruption == "duplicate":
            if not valid:
                corruption = None
            else:
                record = conversation(valid[0], [*turns, "again"])
        if corruption is None:
            valid.append(record["id"])
            lines.append(json.dumps(record).encode())
            continue
        lines.append(json.dumps(record).encode() if corruption == "duplicate" else CORRUPTIONS[corruption](record))
        invalid.append(n + 1)
    path = tmp_path / f"run-{run}.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    rejects = tmp_path / f"run-{run}.rejects.jsonl"
    errors: list[RecordError] = []
    summary = import_chats(db, [str(path)], source=source, rejects=rejects, workers=workers, on_reject=errors.append)
    assert sorted(e.line for e in errors) == invalid  # each invalid record once, at its line
    assert summary.totals() == {"read": len(records), "imported": len(valid), "updated": 0, "unchanged": 0,
                                "rejected": len(invalid)}
    with db.session() as session:
        ids = list(session.scalars(select(Interaction.external_id).where(Interaction.source == source)))
    assert sorted(ids) == sorted(valid)  # exactly the valid ones, none twice
    if invalid:
        assert len(rejects.read_bytes().rstrip(b"\n").split(b"\n")) == len(invalid)
    else:
        assert not rejects.exists()
    again = import_chats(db, [str(path)], source=source, rejects=tmp_path / f"again-{run}.jsonl", workers=workers)
    assert again.totals()["unchanged"] == len(valid) and again.totals()["imported"] == 0


CSV_HEADER = ["chat_id", "timestamp", "speaker", "message", "agent_id", "csat"]
# A CSV corruption: (row index in the conversation or None for all rows, column, bad value), or an extra cell.
CSV_CORRUPTIONS: dict[str, tuple[int | None, str, str]] = {
    "speaker": (-1, "speaker", "robot"),
    "naive time": (0, "timestamp", "2026-10-02 14:05:00"),
    "bad time": (0, "timestamp", "yesterday"),
    "csat": (None, "csat", "9"),
    "columns": (0, "extra", "one cell too many"),
}


@settings(max_examples=12, suppress_health_check=SHARED)
@given(records=st.lists(st.tuples(st.lists(TEXT, min_size=1, max_size=4),
                                  st.none() | st.sampled_from(sorted(CSV_CORRUPTIONS)) | st.just("duplicate")),
                        min_size=1, max_size=20))
def test_csv_import_holds_exactly_the_valid_conversations(db: Database, tmp_path: Path,
                                                          records: list[tuple[list[str], str | None]]) -> None:
    run = next(_counter)
    source = f"prop-csv-{run}"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    line = 1
    valid: list[str] = []
    invalid: list[range] = []  # the lines of each invalid conversation
    previous = None
    for n, (turns, corruption) in enumerate(records):
        cid = f"c-{n}"
        if corruption == "duplicate":
            # the id of an earlier conversation, not right after it (rows next to each other are one conversation)
            if valid and previous != valid[0]:
                cid = valid[0]
            else:
                corruption = None
        rows = [{"chat_id": cid, "timestamp": f"2026-10-02T14:{i:02d}:00Z", "speaker": ("customer", "agent")[i % 2],
                 "message": t, "agent_id": "a-prop", "csat": "4"} for i, t in enumerate(turns)]
        if corruption in CSV_CORRUPTIONS:
            index, column, value = CSV_CORRUPTIONS[corruption]
            for row in rows if index is None else [rows[index]]:
                row[column] = value
        for row in rows:
            writer.writerow([row[c] for c in CSV_HEADER] + ([row["extra"]] if "extra" in row else []))
        if corruption is None:
            valid.append(cid)
        else:
            invalid.append(range(line + 1, line + 1 + len(rows)))
        line += len(rows)
        previous = cid
    path = tmp_path / f"run-{run}.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    errors: list[RecordError] = []
    summary = import_chats(db, [str(path)], source=source, rejects=tmp_path / f"run-{run}.rejects.csv",
                           on_reject=errors.append)
    assert len(errors) == len(invalid)  # each invalid conversation reported once, at one of its lines
    assert all(error.line in lines for error, lines in zip(sorted(errors, key=lambda e: e.line), invalid)), errors
    assert summary.totals() == {"read": len(records), "imported": len(valid), "updated": 0, "unchanged": 0,
                                "rejected": len(invalid)}
    with db.session() as session:
        ids = list(session.scalars(select(Interaction.external_id).where(Interaction.source == source)))
    assert sorted(ids) == sorted(valid)
    if invalid:  # the rejects file holds the header and every row of the rejected conversations
        rejected_rows = list(csv.reader(io.StringIO((tmp_path / f"run-{run}.rejects.csv").read_text(encoding="utf-8"))))
        assert rejected_rows[0] == CSV_HEADER and len(rejected_rows) == 1 + sum(len(lines) for lines in invalid)


# --- redaction --------------------------------------------------------------------------------------------

CARDS = ["4111111111111111", "5500000000000004", "340000000000009", "6011000000000004", "4012888888881881"]


def _grouped(digits: str, sep: str) -> str:
    return sep.join(digits[i:i + 4] for i in range(0, len(digits), 4))


CARD = st.tuples(st.sampled_from(CARDS), st.sampled_from([" ", "-", ""])).map(lambda t: _grouped(*t))
SSN = st.tuples(st.integers(1, 665).filter(lambda a: a != 666), st.integers(1, 99), st.integers(1, 9999)).map(
    lambda t: f"{t[0]:03d}-{t[1]:02d}-{t[2]:04d}")
PHONE = st.tuples(st.sampled_from(["212", "415", "617", "312", "206"]), st.integers(200, 999).filter(lambda e: e % 100 != 11),
                  st.integers(0, 9999), st.sampled_from(["({a}) {e}-{l}", "{a}-{e}-{l}", "+1 {a} {e} {l}", "{a}.{e}.{l}"])
                  ).map(lambda t: t[3].format(a=t[0], e=t[1], l=f"{t[2]:04d}"))
EMAIL = st.tuples(st.from_regex(r"[a-z]{1,8}(\.[a-z]{1,8})?", fullmatch=True), st.from_regex(r"[a-z]{2,10}", fullmatch=True),
                  st.sampled_from(["com", "org", "net", "de"])).map(lambda t: f"{t[0]}@{t[1]}.{t[2]}")
SECRET = st.one_of(CARD, SSN, PHONE, EMAIL)
# Where the value goes: stored fields (redacted), and fields whose bad value gets the record rejected.
STORED_FIELDS = ["turn", "tag", "topic", "queue", "customer", "metadata", "metadata key", "label"]
REJECTED_FIELDS = ["speaker", "started_at", "csat", "channel"]


def _forms(secret: str) -> list[str]:
    """The value as written and, for numbers, its digits alone."""
    digits = "".join(c for c in secret if c.isdigit())
    return [secret] + ([digits] if "@" not in secret else [])


def _with_secret(field: str, secret: str, words: str) -> dict[str, Any]:
    value = f"{words} {secret} {words}"
    record = conversation("c-1", ["hello", "hi there"])
    if field == "turn":
        record["turns"][1]["text"] = value
    elif field == "tag":
        record["tags"] = ["billing", value]
    elif field in ("topic", "queue"):
        record[field] = value
    elif field == "customer":
        record["customer"] = {"id": secret}
    elif field == "metadata":
        record["crm_note"] = value  # an unknown field: kept as metadata
    elif field == "metadata key":
        record["contacts"] = {secret: {"note": words}, "other": 1}
    elif field == "label":
        record["labels"] = {"greeting": True, "note": value}
    elif field == "speaker":
        record["turns"][0]["speaker"] = secret
    else:  # started_at, csat, channel: a wrong value of the right name
        record[field] = secret
    return record


def _as_csv(record: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["chat_id", "speaker", "message", "agent_id", "customer_id", "topic", "queue", "tags", "csat",
                     "channel", "started_at"])
    for turn in record["turns"]:
        writer.writerow([record["id"], turn["speaker"], turn["text"], record["agent"]["id"],
                         (record.get("customer") or {}).get("id", ""), record.get("topic", ""), record.get("queue", ""),
                         "|".join(record.get("tags", [])), record.get("csat", ""), record.get("channel", ""),
                         record.get("started_at", "")])
    return out.getvalue()


def _as_text(record: dict[str, Any]) -> str:
    """The record as a text transcript: header lines, then one ``Speaker: text`` line per turn."""
    headers = {"id": record["id"], "agent": record["agent"]["id"], "customer": (record.get("customer") or {}).get("id"),
               "tags": ", ".join(record.get("tags", [])) or None,
               **{key: record.get(key) for key in ("topic", "queue", "csat", "channel", "started_at")}}
    lines = [f"# {key}: {value}" for key, value in headers.items() if value]
    lines += [f"{turn['speaker'].capitalize()}: {turn['text']}" for turn in record["turns"]]
    return "\n".join(lines) + "\n"


def _stored_text(db: Database) -> str:
    """Every text the database holds, as one string (all tables, all columns)."""
    parts: list[str] = []
    with db.engine.connect() as connection:
        for table in ("interactions", "turns", "pii_spans", "agents", "audit_events"):
            for row in connection.execute(text(f"SELECT * FROM {table}")):  # noqa: S608 - fixed names
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


@settings(max_examples=20, suppress_health_check=SHARED)
@given(secret=SECRET, field=st.sampled_from(STORED_FIELDS + REJECTED_FIELDS), words=TEXT,
       fmt=st.sampled_from(["jsonl", "json", "csv", "txt"]))
def test_pii_in_any_field_is_never_stored_written_or_printed_in_clear(db: Database, tmp_path: Path, secret: str,
                                                                      field: str, words: str, fmt: str) -> None:
    run = next(_counter)
    record = _with_secret(field, secret, words)
    path = tmp_path / f"pii-{run}.{fmt}"
    if fmt in ("csv", "txt") and field in ("metadata", "metadata key", "label"):  # no such fields: in a turn instead
        record.pop("crm_note", None)
        record.pop("contacts", None)
        record.pop("labels", None)
        record["turns"][0]["text"] = f"{words} {secret}"
    if fmt == "csv":
        path.write_text(_as_csv(record), encoding="utf-8")
    elif fmt == "txt":
        path.write_text(_as_text(record), encoding="utf-8")
    elif fmt == "json":
        path.write_text(json.dumps([record], indent=1), encoding="utf-8")
    else:
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    rejects = tmp_path / f"pii-{run}-rejects.{fmt}"
    result = CliRunner().invoke(app, ["import", "chats", str(path), "--source", f"pii-{run}", "--rejects", str(rejects),
                                      "--db", db.url, "--json"])
    assert result.exit_code in (0, 3), result.output
    if fmt in ("jsonl", "json"):  # stored, or rejected for the bad value
        assert result.exit_code == (0 if field in STORED_FIELDS else 3), result.output
    assert "Traceback" not in result.output
    written = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob(f"pii-{run}-rejects*"))
    stored = _stored_text(db)
    for form in _forms(secret):
        assert form not in result.output, ("printed", form)
        assert form not in written, ("rejects", form)
        assert form not in stored, ("stored", form)
