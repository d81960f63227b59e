"""Voices enrolled per agent, and mono calls stored with speakers, roles and a review tag (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select, text
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.errors import NotFoundError, QAError
from qa_toolkit.services import audit, people, transcription, voices
from qa_toolkit.services.transcription import TranscribeSettings
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import AgentVoice, Interaction
from qa_toolkit.transcribe.diarize import available

pytestmark = pytest.mark.skipif(not available(), reason="needs the diarization extra: pip install '.[diarization]'")

DATA = Path(__file__).parent / "data" / "diarization"


def test_enroll_replace_and_forget_a_voice(db: Database) -> None:
    with db.session() as session:
        people.add_agent(session, "a-daniel", "Daniel Moss")
        first = voices.enroll_voice(session, "a-daniel", [DATA / "one_voice.flac"], actor="lee")
    assert first == {"agent": "a-daniel", "engine": "resemblyzer-ahc", "files": 1, "seconds": 7.3, "replaced": False}
    with db.session() as session:
        again = voices.enroll_voice(session, "a-daniel", [DATA / "one_voice.flac", DATA / "one_voice.flac"], actor="lee")
        assert again["replaced"] and again["files"] == 2
    with db.session() as session:
        [row] = session.scalars(select(AgentVoice)).all()
        assert len(row.embedding) == 256 and abs(sum(x * x for x in row.embedding) - 1.0) < 1e-3
        assert list(voices.enrolled_voices(session)) == ["a-daniel"]
        events = audit.events(session, entity_type="agent")
        assert [e.action for e in events].count("agent.enroll_voice") == 2
        assert all("embedding" not in json.dumps(e.after) for e in events)  # the vector never reaches the audit log
        assert voices.forget_voice(session, "a-daniel", actor="lee") == 1
    with db.session() as session:
        assert voices.enrolled_voices(session) == {}
        with pytest.raises(NotFoundError, match="has no enrolled voice"):
            voices.forget_voice(session, "a-daniel")


def test_enrolment_refuses_bad_recordings_and_stores_nothing(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        people.add_agent(session, "a-daniel", "Daniel Moss")
    with pytest.raises(QAError, match=r"hold_music.flac: cannot enroll a voice from it: it holds under 2 s of speech"):
        with db.session() as session:
            voices.enroll_voice(session, "a-daniel", [DATA / "hold_music.flac"])
    (tmp_path / "notes.wav").write_text("not audio")
    with pytest.raises(QAError, match=r"notes.wav: unsupported"), db.session() as session:
        voices.enroll_voice(session, "a-daniel", [DATA / "one_voice.flac", tmp_path / "notes.wav"])
    with pytest.raises(QAError, match=r"does not sound like the other recordings"), db.session() as session:
        voices.enroll_voice(session, "a-daniel", [DATA / "one_voice.flac", _customer_only(tmp_path)])
    with pytest.raises(NotFoundError, match="unknown agent 'ghost'"), db.session() as session:
        voices.enroll_voice(session, "ghost", [DATA / "one_voice.flac"])
    with db.session() as session:
        assert session.scalars(select(AgentVoice)).all() == []


def _customer_only(tmp_path: Path) -> Path:
    """The customer's turns of two_voices.flac cut out into a file of their own (a different voice)."""
    import numpy as np

    from qa_toolkit.transcribe.audio import decode

    truth = json.loads((DATA / "two_voices.truth.json").read_text())
    samples = decode(DATA / "two_voices.flac").channels[0]
    parts = [samples[int(t["start_s"] * 16000):int(t["end_s"] * 16000)] for t in truth["turns"] if t["speaker"] == "customer"]
    return _write_wav(tmp_path / "customer.wav", [np.concatenate(parts)])


def _write_wav(target: Path, channels: list) -> Path:  # type: ignore[type-arg]
    """16 kHz 16-bit WAV of one channel, or two (left, right; the shorter padded with silence)."""
    import av
    import numpy as np

    length = max(len(c) for c in channels)
    pcm = np.stack([np.pad(c, (0, length - len(c))) for c in channels])
    pcm = (pcm * 32767).astype(np.int16).T.reshape(1, -1)  # interleaved, as "s16" packs them
    layout = "mono" if len(channels) == 1 else "stereo"
    with av.open(str(target), "w") as out:
        stream = out.add_stream("pcm_s16le", rate=16000, layout=layout)
        frame = av.AudioFrame.from_ndarray(pcm, format="s16", layout=layout)
        frame.sample_rate = 16000
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return target


def test_enrolment_from_a_stereo_call_takes_the_agents_channel(db: Database, tmp_path: Path) -> None:
    """A team enrolls its agents from their stereo calls: the agent's side only, never both voices mixed."""
    import numpy as np

    from qa_toolkit.transcribe.audio import decode

    agent = decode(DATA / "one_voice.flac").channels[0]
    customer = decode(_customer_only(tmp_path)).channels[0]
    call = _write_wav(tmp_path / "call.wav", [agent, customer])
    alone, _ = voices.voice_from_files([_write_wav(tmp_path / "agent.wav", [agent])])
    heard, seconds = voices.voice_from_files([call])
    assert float(alone @ heard) > 0.999 and seconds == pytest.approx(max(len(agent), len(customer)) / 16000, abs=0.05)
    caller, _ = voices.voice_from_files([call], agent_channel="right")
    assert float(alone @ caller) < 0.9  # the other side is another voice
    (tmp_path / "call.json").write_text('{"agent_id": "a-daniel", "agent_channel": "right"}')
    assert float(caller @ voices.voice_from_files([call], "a-daniel")[0]) > 0.999  # the sidecar says which side
    (tmp_path / "call.json").write_text('{"agent_id": "a-maria"}')
    with db.session() as session:
        people.add_agent(session, "a-daniel", "Daniel Moss")
    with pytest.raises(QAError, match=r"call.wav: field 'agent_id': the recording is a call of another agent, not "
                                      r"'a-daniel'"), db.session() as session:
        voices.enroll_voice(session, "a-daniel", [call])
    with pytest.raises(QAError, match=r"--agent-channel 'middle': choose left or right"), db.session() as session:
        voices.enroll_voice(session, "a-daniel", [DATA / "one_voice.flac"], agent_channel="middle")
    with db.session() as session:
        assert session.scalars(select(AgentVoice)).all() == []
        (tmp_path / "call.json").unlink()
        assert voices.enroll_voice(session, "a-daniel", [call])["files"] == 1
        [row] = session.scalars(select(AgentVoice)).all()
        assert float(np.asarray(row.embedding) @ alone) > 0.999


def test_cli_enroll_voice_one_line_error(db_url: str) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["agents", "add", "a-daniel", "Daniel Moss", "--db", db_url]).exit_code == 0
    ok = runner.invoke(app, ["agents", "enroll-voice", "a-daniel", str(DATA / "one_voice.flac"), "--db", db_url])
    assert ok.exit_code == 0 and "Enrolled the voice of a-daniel from 1 file(s), 7.3 s of audio" in ok.output
    bad = runner.invoke(app, ["agents", "enroll-voice", "a-daniel", str(DATA / "hold_music.flac"), "--db", db_url])
    assert bad.exit_code == 1 and "hold_music.flac: cannot enroll a voice from it" in bad.output
    assert "Traceback" not in bad.output


def test_new_speakers_pass_the_turn_check(db: Database) -> None:
    with db.session() as session:
        session.execute(text("INSERT INTO interactions (id, source, external_id, channel, tags, metadata, created_at, "
                             "updated_at) VALUES (1, 'call', 'c-1', 'call', '[]', '{}', '2026-01-01', '2026-01-01')"))
        session.execute(text("INSERT INTO turns (interaction_id, \"index\", speaker, text, internal) VALUES "
                             "(1, 0, 'agent_2', 'Hi, Sam here', false), (1, 1, 'other', 'Hello', false)"))


@pytest.mark.slow
def test_batch_stores_roles_by_enrolled_voice_and_flags_what_it_cannot_tell(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        people.add_agent(session, "a-daniel", "Daniel Moss")
        voices.enroll_voice(session, "a-daniel", [DATA / "one_voice.flac"])
    folder = tmp_path / "calls"
    folder.mkdir()
    shutil.copy(DATA / "two_voices.flac", folder / "two.flac")
    (folder / "two.json").write_text('{"call_id": "M-1", "agent_id": "a-daniel"}')
    shutil.copy(DATA / "short.flac", folder / "short.flac")
    (folder / "short.json").write_text('{"call_id": "M-2", "agent_id": "a-daniel"}')
    report = transcription.run_batch(db, folder, TranscribeSettings(model="tiny.en"))
    assert report.count("done") == 2
    with db.session() as session:
        calls = {i.external_id: i for i in session.scalars(select(Interaction))}
        two, short = calls["M-1"], calls["M-2"]
        assert [t.speaker for t in two.turns] == ["agent", "customer"] * 3
        assert two.meta["speakers"]["roles"] == {"1": "agent", "2": "customer"}
        assert two.meta["speakers"]["evidence"][0].startswith("voice: speaker 1 matches the enrolled agent voice")
        assert "review-speakers" not in two.tags
        assert {t.speaker for t in short.turns} == {"unknown"} and "review-speakers" in short.tags
        assert "too short" in short.meta["speakers"]["reason"]


@pytest.mark.slow
def test_batch_cli_counts_calls_that_need_speaker_review(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "calls"
    folder.mkdir()
    shutil.copy(DATA / "two_voices.flac", folder / "two.flac")
    shutil.copy(DATA / "short.flac", folder / "short.flac")
    runner = CliRunner()
    result = runner.invoke(app, ["transcribe", "batch", str(folder), "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "1 mono call(s) need a person to tell who is speaking: tagged review-speakers" in result.output
    again = runner.invoke(app, ["transcribe", "batch", str(folder), "--no-diarize", "--json", "--db", db_url])
    assert json.loads(again.output)["summary"]["skipped"] == 2  # already stored: nothing half-done, nothing twice
