"""`qa transcribe batch`: storage in one transaction per file, failure isolation, idempotence, resume after kill -9."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.services import people, transcription
from qa_toolkit.services.transcription import TranscribeSettings
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Interaction, PIISpan, Recording, Turn
from transcribe_support import SAMPLE_CALLS, SAMPLES, make_bad_files

pytestmark = pytest.mark.slow


def copy_samples(folder: Path, names: list[str] | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for extra in ("manifest.csv", *[p.name for p in SAMPLES.glob("*.json") if p.name != "references.json"]):
        shutil.copy(SAMPLES / extra, folder / extra)
    calls = [p for p in SAMPLE_CALLS if names is None or p.name in names]
    for path in calls:
        shutil.copy(path, folder / path.name)
    return [folder / p.name for p in calls]


def add_agents(db: Database) -> None:
    with db.session() as session:
        people.add_agent(session, "a-daniel", "Daniel Moss", team="billing")
        people.add_agent(session, "a-maria", "Maria Lopez", team="cards")


def test_batch_stores_calls_isolates_failures_and_is_idempotent(db: Database, tmp_path: Path) -> None:
    add_agents(db)
    folder = tmp_path / "calls"
    copy_samples(folder)
    expected_failures = make_bad_files(folder / "bad")
    registered: list[tuple[int, float]] = []
    report = transcription.run_batch(db, folder, TranscribeSettings(model="tiny.en"),
                                     on_registered=lambda n, audio_s: registered.append((n, audio_s)))
    assert report.count("done") == len(SAMPLE_CALLS) == 5
    # the files to do and the seconds their headers declare: the samples', what the cut files were meant to hold
    # (25.2 + 13.1 + 10.0 s), the garbled MP3's 26.2 s and the silence's 3 s (text and empty files declare none)
    assert registered[0][0] == len(SAMPLE_CALLS) + len(expected_failures)
    assert registered[0][1] == pytest.approx(report.audio_s + 77.6, abs=1.0)
    failed = {Path(o.path).name: o.reason for o in report.outcomes if o.status == "failed"}
    assert set(failed) == set(expected_failures)
    for name, kind in expected_failures.items():
        assert failed[name].startswith(f"{kind}:") and name in failed[name]

    with db.session() as session:
        rows = {Path(r.path).name: r for r in session.scalars(select(Recording))}
        assert {r.failure_kind for r in rows.values() if r.status == "failed"} == set(expected_failures.values())
        billing = session.scalar(select(Interaction).where(Interaction.external_id == "NW-1001"))
        assert billing is not None and billing.agent is not None and billing.agent.external_id == "a-daniel"
        assert billing.queue == "billing" and billing.customer_external_id == "cust-771"
        assert billing.started_at is not None and billing.duration_s == pytest.approx(25.25, abs=0.01)
        assert [t.speaker for t in billing.turns] == ["agent", "customer"] * 3 + ["agent"]
        assert "northwind" in billing.turns[0].text.lower().replace(" ", "")
        assert all(t.start_s is not None and t.end_s is not None and t.start_s < t.end_s for t in billing.turns)
        hold = session.scalar(select(Interaction).where(Interaction.external_id == "NW-1002"))
        assert hold is not None and len(hold.meta["timing"]["holds"]) == 1
        assert {s["sound"] for s in hold.meta["timing"]["sounds"]} == {"quiet"}  # a silent wait, no hold music
        assert hold.meta["timing"]["talk_s"]["agent"] > 0 and hold.meta["channels"] == 2
        manifest_call = session.scalar(select(Interaction).where(Interaction.external_id == "NW-1003"))
        assert manifest_call is not None and manifest_call.agent.external_id == "a-maria"  # type: ignore[union-attr]
        assert manifest_call.meta["timing"]["overtalk_s"] >= 1.0
        unassigned = session.scalar(select(Interaction).where(Interaction.external_id == "NW-1005"))
        assert unassigned is not None and unassigned.agent_id is None and unassigned.tags == ["unassigned"]
        assert rows["call_05_password.ogg"].unassigned and not rows["call_01_billing.wav"].unassigned
        assert rows["call_01_billing.wav"].model == "tiny.en" and rows["call_01_billing.wav"].timings["rtf"] > 0

    # a rerun and a renamed copy transcribe nothing; failed files stay failed until retried
    shutil.copy(folder / "call_01_billing.wav", folder / "renamed copy.wav")
    again = transcription.run_batch(db, folder, TranscribeSettings(model="tiny.en"))
    assert again.count("done") == 0 and again.count("failed") == 0
    assert again.count("skipped") == len(SAMPLE_CALLS) + len(expected_failures) + 1
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Interaction)) == 5
        assert session.scalar(select(func.count()).select_from(Recording)) == 12
    assert transcription.retry_failed(db, kind="truncated") == 3
    assert transcription.status_counts(db) == {"pending": 3, "running": 0, "done": 5, "failed": 4}


def test_store_redacts_pii_and_refuses_a_second_store(db: Database, tmp_path: Path) -> None:
    from qa_toolkit.transcribe.backend import Word
    from qa_toolkit.transcribe.metadata import RecordingMetadata
    from qa_toolkit.transcribe.pipeline import Transcript
    from qa_toolkit.transcribe.turns import TurnText, call_timing

    audio = tmp_path / "a.wav"
    audio.write_bytes(b"RIFF not really audio")
    (row,) = transcription.register(db, [audio])
    text = "my card is 4111 1111 1111 1111 and my mail is jo@example.com"
    words = [Word(0.0, 3.0, text, 0.9)]
    transcript = Transcript(turns=[TurnText("customer", 0.0, 3.0, text, words)], segments={},
                            timing=call_timing({"customer": words}, 3.0), duration_s=3.0, channels=2,
                            codec="pcm_s16le", language="en")
    assert transcription.claim(db, row.id)
    settings = TranscribeSettings()
    interaction_id = transcription.store(db, row.id, transcript, RecordingMetadata(call_id="P-1"), settings)
    assert interaction_id is not None
    assert transcription.store(db, row.id, transcript, RecordingMetadata(call_id="P-1"), settings) is None
    with db.session() as session:
        turn = session.scalars(select(Turn)).one()
        assert turn.text == "my card is [CARD] and my mail is [EMAIL]"
        interaction = session.get(Interaction, interaction_id)
        assert interaction is not None and interaction.meta["pii_redacted"] == {"card": 1, "email": 1}
        assert interaction.meta["unassigned"] is True and interaction.pii_redacted
        spans = session.scalars(select(PIISpan).order_by(PIISpan.start)).all()
        assert [(s.kind, s.start, s.end, s.speaker, s.turn_index) for s in spans] == [
            ("card", 11, 30, "customer", 0), ("email", 46, 60, "customer", 0)]


def test_cli_batch_exit_3_when_a_file_fails(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'qa.db'}"
    assert CliRunner().invoke(app, ["init", "--db", url]).exit_code == 0
    folder = tmp_path / "calls"
    copy_samples(folder, ["call_03_overtalk.wav"])
    (folder / "empty.wav").write_bytes(b"")
    result = CliRunner().invoke(app, ["transcribe", "batch", str(folder), "--db", url])
    assert result.exit_code == 3, result.output
    assert "empty: " in result.output and "2 files: 1 done, 1 failed (empty 1)" in result.output
    assert "0.00 h audio in " in result.output  # call_03 is 13 s
    as_json = CliRunner().invoke(app, ["transcribe", "batch", str(folder), "--db", url, "--json"])
    assert json.loads(as_json.output)["summary"]["failures"] == {}  # both seen already: nothing failed this time
    status = CliRunner().invoke(app, ["transcribe", "status", "--db", url, "--json"])
    assert '"done": 1' in status.output and '"failed": 1' in status.output
    overall = json.loads(status.output)["summary"]
    assert overall["files"] == 2 and overall["failures"] == {"empty": 1}
    assert overall["audio_h"] == round(overall["audio_s"] / 3600, 3) and 0 < overall["rtf"] < 10
    call_s = max(f["duration_s"] for f in json.loads(as_json.output)["files"])
    assert call_s > 10 and overall["audio_s"] == pytest.approx(call_s, abs=0.05)
    text = CliRunner().invoke(app, ["transcribe", "status", "--db", url])
    assert "2 files: 1 done, 1 failed (empty 1) · 0.00 h audio transcribed · RTF " in text.output
    retried = CliRunner().invoke(app, ["transcribe", "retry", "--db", url])
    assert retried.exit_code == 0 and "Re-queued 1" in retried.output


def test_kill_9_mid_batch_then_rerun_stores_every_file_once(db_url: str, db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "calls"
    copy_samples(folder, ["call_01_billing.wav", "call_03_overtalk.wav"])
    call = (folder / "call_03_overtalk.wav").read_bytes()
    for i in range(3):  # distinct content (one sample changed), so each copy is a file of its own
        (folder / f"copy_{i}.wav").write_bytes(call[:-1] + bytes([call[-1] ^ (i + 1)]))
    n_files = len(list(transcription.discover(folder)))
    env = {**os.environ, "QA_DATABASE_URL": db_url}
    cmd = [sys.executable, "-c", "from qa_toolkit.cli import app; app()", "transcribe", "batch", str(folder)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    done = 0
    while time.monotonic() < deadline and proc.poll() is None:
        done = transcription.status_counts(db)["done"]
        if done >= 1:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    counts = transcription.status_counts(db)
    assert 1 <= counts["done"] < n_files, counts  # killed mid-batch
    rerun = subprocess.run([*cmd, "--workers", "2"], env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Recording)) == n_files
        assert session.scalar(select(func.count()).select_from(Recording).where(Recording.status == "done")) == n_files
        assert session.scalar(select(func.count()).select_from(Interaction)) == n_files
        ids = session.scalars(select(Recording.interaction_id)).all()
        assert len(set(ids)) == n_files


def test_cli_file_prints_srt_and_stores_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'qa.db'}"
    assert CliRunner().invoke(app, ["init", "--db", url]).exit_code == 0
    call = str(SAMPLES / "call_03_overtalk.wav")
    result = CliRunner().invoke(app, ["transcribe", "file", call, "--output-format", "srt", "--store", "--db", url])
    assert result.exit_code == 0, result.output
    assert "1\n00:00:00,000 --> " in result.output and "[customer] " in result.output
    assert "Stored " in result.output and "as interaction 1" in result.output
    again = CliRunner().invoke(app, ["transcribe", "file", call, "-f", "txt", "--store", "--db", url])
    assert again.exit_code == 0 and "already done" in again.output and "agent: " in again.output
    bad = CliRunner().invoke(app, ["transcribe", "file", call, "--output-format", "docx"])
    assert bad.exit_code == 1 and "--output-format 'docx': choose one of json, srt, vtt, txt" in bad.output


def test_cli_file_that_cannot_be_stored_exits_non_zero(tmp_path: Path) -> None:
    """Hold music only (issue 17's bad input): stored as failed with its reason, no transcript written, exit 1 (it
    used to be transcribed again unstored and exit 0)."""
    url = f"sqlite:///{tmp_path / 'qa.db'}"
    assert CliRunner().invoke(app, ["init", "--db", url]).exit_code == 0
    music = str(Path(__file__).parent / "data" / "diarization" / "hold_music.flac")
    result = CliRunner().invoke(app, ["transcribe", "file", music, "--store", "--db", url, "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "no speech found" in result.output and not (tmp_path / "out").exists()
    from qa_toolkit.storage.database import open_database

    with open_database(url).session() as session:
        assert session.scalars(select(Recording.status)).all() == ["failed"]
        assert session.scalar(select(func.count()).select_from(Interaction)) == 0


def test_cli_eval_reports_wer_and_speaker_attribution(tmp_path: Path) -> None:
    import json

    refs = json.loads((SAMPLES / "references.json").read_text())["references"]
    shutil.copy(SAMPLES / "call_03_overtalk.wav", tmp_path / "call_03_overtalk.wav")
    (tmp_path / "refs.json").write_text(json.dumps({"references": {"call_03_overtalk.wav": refs["call_03_overtalk.wav"]}}))
    result = CliRunner().invoke(app, ["transcribe", "eval", "--references", str(tmp_path / "refs.json"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    overall = data["overall"]
    # Measured with tiny.en on 2026-11-27: WER 33.3 % (17 errors in 51 words), speaker attribution 0.96.
    # Bounds: WER 40 %, attribution 0.9.
    assert overall["reference_words"] == 51
    assert overall["wer"] < 0.40 and overall["speaker_accuracy"] >= 0.9
    assert overall["substitutions"] + overall["deletions"] + overall["insertions"] == round(overall["wer"] * 51)


def test_mono_calls_are_unknown_unless_the_sidecar_names_the_speaker(db: Database, tmp_path: Path,
                                                                     shared_dir: Path) -> None:
    folder = tmp_path / "mono"
    folder.mkdir()
    speech = shared_dir / "data" / "speech"
    shutil.copy(speech / "ljspeech_LJ002-0020.wav", folder / "plain.wav")
    shutil.copy(speech / "ljspeech_LJ002-0035.wav", folder / "agent_only.wav")
    (folder / "agent_only.json").write_text('{"call_id": "M-2", "speaker": "agent"}')
    report = transcription.run_batch(db, folder, TranscribeSettings(model="tiny.en"))
    assert report.count("done") == 2
    with db.session() as session:
        speakers = {i.meta["file"]: {t.speaker for t in i.turns} for i in session.scalars(select(Interaction))}
    assert speakers == {"plain.wav": {"unknown"}, "agent_only.wav": {"agent"}}


def test_the_progress_bar_counts_rtf_by_the_wall_clock_and_eta_by_audio_still_to_come() -> None:
    from qa_toolkit.cli.transcribe import batch_rate

    assert batch_rate(0.0, 5.0, 100.0) == {"rtf": 0.0, "eta": "-:--:--"}  # nothing heard yet: no pace to go by
    assert batch_rate(600.0, 60.0, 3600.0) == {"rtf": 0.1, "eta": "0:05:00"}  # 3,000 s of audio left at 0.1
    assert batch_rate(3600.0, 36000.0, 40000.0) == {"rtf": 10.0, "eta": "101:06:40"}  # hours past a day
    assert batch_rate(500.0, 50.0, 400.0)["eta"] == "0:00:00"  # more audio than declared (headers undercount)
