"""Spoken PII end to end, through real Whisper (tiny.en) on the shipped sample call where a customer reads a
card number (with expiry and security code) and spells an e-mail address: nothing of it reaches the
database, the ``--json`` output or the redacted audio; a recording that cannot be redacted is not stored."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import String, Text, select
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Base, Interaction, PIISpan, Recording
from qa_toolkit.transcribe.cpu_kernels import AVX2_KERNELS

pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "pii_call"
GSM = Path(__file__).resolve().parent / "data" / "calls" / "gsm_call.wav"
# What the customer says, in every form it could be written: none of it may be stored.
SAID = ["4539", "1488", "0343", "6467", "453914880343", "four five three nine", "4 -5 -3 -9", "1 -4 -8 -8",
        "0428", "lopez", "l o p e z", "example.com", "example dot com", "maria.lopez"]


def stage(tmp_path: Path, *extra: Path) -> Path:
    folder = tmp_path / "calls"
    folder.mkdir()
    for name in ("call_06_card.mp3", "call_06_card.json"):
        shutil.copy(SAMPLE / name, folder / name)
    for path in extra:
        shutil.copy(path, folder / path.name)
    return folder


def json_text(value: object) -> str:
    """Every key, string and integer of a JSON value, lower-cased. Floats (timings, real-time factors) are left
    out: they are measurements, and one may hold a said digit group by chance (0.04288 s holds "0428")."""
    if isinstance(value, dict):
        return "\n".join(f"{key}\n{json_text(item)}" for key, item in value.items()).lower()
    if isinstance(value, list):
        return "\n".join(json_text(item) for item in value)
    return "" if isinstance(value, float) or value is None else str(value).lower()


def every_stored_text(db: Database) -> str:
    """Every string and JSON value of every row of every table, lower-cased, in one text."""
    parts = []
    with db.session() as session:
        for table in Base.metadata.sorted_tables:
            for row in session.execute(select(table)).mappings():
                for column in table.columns:
                    value = row[column.key]
                    if value is not None and (isinstance(column.type, (String, Text)) or isinstance(value, dict | list)):
                        parts.append(json_text(value) if isinstance(value, dict | list) else str(value))
    return "\n".join(parts).lower()


def test_batch_stores_nothing_in_clear_and_writes_silenced_audio(db_url: str, db: Database, tmp_path: Path) -> None:
    from qa_toolkit.transcribe.faster_backend import load_backend
    from qa_toolkit.transcribe.pipeline import transcribe_file

    folder = stage(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["agents", "add", "a-maria", "Maria Ruiz", "--db", db_url]).exit_code == 0
    result = runner.invoke(app, ["transcribe", "batch", str(folder), "--redact-audio", str(tmp_path / "redacted"),
                                 "--db", db_url, "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["summary"]["done"] == 1
    assert not any(s in json_text(out) for s in SAID)

    stored = every_stored_text(db)
    assert "[card]" in stored and "[email]" in stored and "[expiry]" in stored and "[cvv]" in stored
    leaked = [s for s in SAID if s in stored]
    assert leaked == []
    truth = json.loads((SAMPLE / "call_06_card.truth.json").read_text())
    with db.session() as session:
        spans = session.scalars(select(PIISpan).order_by(PIISpan.start_s)).all()
        interaction = session.scalars(select(Interaction)).one()
        recording = session.scalars(select(Recording)).one()
        assert sorted(s.kind for s in spans) == sorted(s["kind"] for s in truth["spans"])
        for span, labelled in zip(spans, truth["spans"], strict=True):  # timed where it was said
            assert span.kind == labelled["kind"] and span.speaker == "customer"
            assert span.start_s < labelled["end_s"] and labelled["start_s"] < span.end_s
        redacted_audio = Path(interaction.meta["redacted_audio"])
        assert interaction.meta["pii_redacted"]["card"] == 2
        # timed and stored; its share of transcription time (goal <= 2 %) is measured in bench/spoken_pii.py, not
        # here: the first redaction of a process loads phonenumbers' metadata (~0.2 s CPU), which under load was 3 %
        assert 0 < recording.timings["redact_s"] < recording.timings["transcribe_s"]
    assert redacted_audio == (tmp_path / "redacted" / "call_06_card.mp3").resolve()

    again = transcribe_file(redacted_audio, load_backend("faster-whisper", "tiny.en", "cpu", 1)).redacted()
    assert again.pii_spans == []
    assert not any(s in again.text.lower() for s in SAID)


def test_a_recording_that_cannot_be_redacted_is_not_stored(db_url: str, db: Database, tmp_path: Path) -> None:
    folder = stage(tmp_path, GSM)
    (folder / "call_06_card.mp3").unlink()
    result = CliRunner().invoke(app, ["transcribe", "batch", str(folder), "--redact-audio", str(tmp_path / "redacted"),
                                      "--db", db_url])
    assert result.exit_code == 3
    with db.session() as session:
        (row,) = session.scalars(select(Recording)).all()
        assert (row.status, row.failure_kind) == ("failed", "redaction")
        assert "gsm_call.wav" in row.reason and "can be read but not written" in row.reason
        assert session.scalars(select(Interaction)).all() == []
    assert not (tmp_path / "redacted").exists() or list((tmp_path / "redacted").iterdir()) == []


def test_transcribe_file_prints_placeholders_and_no_redact_is_explicit(tmp_path: Path) -> None:
    runner = CliRunner()
    redacted = runner.invoke(app, ["transcribe", "file", str(SAMPLE / "call_06_card.mp3"), "-f", "json"])
    assert redacted.exit_code == 0
    data = json.loads(redacted.stdout)
    assert {s["kind"] for s in data["pii_spans"]} == {"card", "expiry", "cvv", "email"}
    assert not any(s in json_text(data) for s in SAID)
    said = runner.invoke(app, ["transcribe", "file", str(SAMPLE / "call_06_card.mp3"), "--no-redact"])
    assert "[CARD]" not in said.stdout and "expires" in said.stdout


def _qa(*args: str, kernels: str) -> str:
    """`qa ARGS` in a fresh process with QA_CPU_KERNELS=kernels (the kernels are chosen when the model loads)."""
    env = {k: v for k, v in os.environ.items() if k not in AVX2_KERNELS} | {"QA_CPU_KERNELS": kernels}
    done = subprocess.run([str(Path(sys.executable).with_name("qa")), *args], env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.parametrize("kernels", ["native", "avx2"])
def test_the_redacted_audio_says_none_of_it_with_either_kernels(kernels: str, db_url: str, tmp_path: Path) -> None:
    """Native and pinned kernels time the spoken digits differently (with AVX2 kernels tiny.en timed the security
    code 0.7 s late on an AMD EPYC, past the 0.25 s margin): muted out to the customer's pauses, the redacted
    copy transcribed again, with the same kernels, says none of what was read out."""
    folder = stage(tmp_path)
    out = json.loads(_qa("transcribe", "batch", str(folder), "--redact-audio", str(tmp_path / "redacted"),
                         "--db", db_url, "--json", kernels=kernels))
    assert out["summary"]["done"] == 1
    again = json.loads(_qa("transcribe", "file", str(tmp_path / "redacted" / "call_06_card.mp3"), "--no-redact",
                           "-f", "json", kernels=kernels))
    text = " ".join(str(turn["text"]) for turn in again["turns"]).lower()
    assert "receipt" in text  # the rest of the call is still there
    assert [s for s in SAID if s in text] == []
