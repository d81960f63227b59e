"""Same audio, same transcript: provenance stored with each transcript, `qa transcribe file --reproduce`,
and byte-identical transcripts run to run with --workers 1 and 2 (real tiny.en, real database)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.services import transcription
from qa_toolkit.services.transcription import TranscribeSettings
from qa_toolkit.storage.database import Database, open_database
from qa_toolkit.storage.models import Recording, Turn
from transcribe_support import SAMPLE_CALLS, SAMPLES

pytestmark = pytest.mark.slow


def _calls(folder: Path, names: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in SAMPLE_CALLS:
        if names is None or path.name in names:
            shutil.copy(path, folder / path.name)
            if (sidecar := path.with_suffix(".json")).is_file():
                shutil.copy(sidecar, folder / sidecar.name)
    return folder


def _stored(database: Database) -> str:
    """Every stored turn of every call, keyed by file, as canonical JSON."""
    with database.session() as session:
        rows = session.execute(select(Recording.path, Turn.index, Turn.speaker, Turn.start_s, Turn.end_s, Turn.text)
                               .join(Turn, Turn.interaction_id == Recording.interaction_id)
                               .order_by(Recording.path, Turn.index)).all()
    return json.dumps([[Path(r[0]).name, *r[1:]] for r in rows])


def test_provenance_is_stored_and_reproduce_reports_identical_or_differences(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'qa.db'}"
    assert CliRunner().invoke(app, ["init", "--db", url]).exit_code == 0
    call = str(SAMPLES / "call_03_overtalk.wav")
    assert CliRunner().invoke(app, ["transcribe", "file", call, "--store", "--db", url]).exit_code == 0
    database = open_database(url)
    with database.session() as session:
        row = session.scalars(select(Recording)).one()
        prov, interaction_id = row.provenance, row.interaction_id
    assert prov["backend"] == "faster-whisper" and prov["model"] == "tiny.en"
    assert prov["model_hash"].startswith("sha256:") and len(prov["model_hash"]) == 71
    assert prov["versions"]["faster-whisper"] and prov["versions"]["ctranslate2"] and prov["versions"]["qa-toolkit"]
    options = prov["options"]
    assert options["temperature"] == [0.0] and not options["condition_on_previous_text"]
    assert options["pack_channels"] is True and options["beam_size"] == 2  # a stereo call: packed, beam 2 (what ran)
    assert prov["pipeline"]["agent_channel"] == "left" and isinstance(prov["cpu_threads"], int)

    same = CliRunner().invoke(app, ["transcribe", "file", "--reproduce", str(interaction_id), "--db", url])
    assert same.exit_code == 0, same.output
    assert "reproduced" in same.output and "identical" in same.output

    with database.session() as session:  # somebody edits a stored turn
        turn = session.scalars(select(Turn).where(Turn.interaction_id == interaction_id, Turn.index == 2)).one()
        original, turn.text = turn.text, "I would like a refund please"
    changed = CliRunner().invoke(app, ["transcribe", "file", "--reproduce", str(interaction_id), "--db", url, "--json"])
    assert changed.exit_code == 4, changed.output
    report = json.loads(changed.output)
    assert report["identical"] is False and report["environment_changes"] == []
    assert report["differences"] == [{"turn": 2, "field": "text", "stored": "I would like a refund please",
                                      "now": original}]

    with database.session() as session:  # a different model file than the one it was transcribed with
        row = session.scalars(select(Recording)).one()
        row.provenance = {**row.provenance, "model_hash": "sha256:" + "0" * 64}
    noted = CliRunner().invoke(app, ["transcribe", "file", "--reproduce", str(interaction_id), "--db", url, "--json"])
    assert noted.exit_code == 4
    changes = json.loads(noted.output)["environment_changes"]
    assert changes == [f"model_hash: sha256:{'0' * 64} → {prov['model_hash']}"]

    # made with other package versions (another machine's pip resolved others); one not recorded then is not named
    assert {"tokenizers", "phonenumbers", "text2num", "rapidfuzz", "numpy", "av"} <= set(prov["versions"])
    older = {k: v for k, v in prov["versions"].items() if k != "tokenizers"}
    with database.session() as session:
        row = session.scalars(select(Recording)).one()
        row.provenance = {**prov, "versions": {**older, "ctranslate2": "4.0.0", "numpy": "1.26.4"}}
    other = CliRunner().invoke(app, ["transcribe", "file", "--reproduce", str(interaction_id), "--db", url, "--json"])
    assert other.exit_code == 4, other.output
    report = json.loads(other.output)
    assert report["package_changes"] == [
        {"package": "ctranslate2", "stored": "4.0.0", "now": prov["versions"]["ctranslate2"]},
        {"package": "numpy", "stored": "1.26.4", "now": prov["versions"]["numpy"]}]
    assert report["environment_changes"][-2:] == [f"ctranslate2 4.0.0 → {prov['versions']['ctranslate2']}",
                                                  f"numpy 1.26.4 → {prov['versions']['numpy']}"]
    told = CliRunner().invoke(app, ["transcribe", "file", "--reproduce", str(interaction_id), "--db", url])
    assert told.exit_code == 4
    text = " ".join(told.output.split())
    assert ("warning: installed package versions differ from those stored with this transcript: "
            f"ctranslate2 4.0.0 (now {prov['versions']['ctranslate2']}), numpy 1.26.4 (now {prov['versions']['numpy']})"
            ) in text
    assert "pip install 'ctranslate2==4.0.0' 'numpy==1.26.4'" in text
    assert "note: changed since it was transcribed: numpy" not in text  # named once, in the warning
    database.close()

    missing = CliRunner().invoke(app, ["transcribe", "file", "--reproduce", "999", "--db", url])
    assert missing.exit_code == 1 and "no interaction 999" in missing.output
    both = CliRunner().invoke(app, ["transcribe", "file", call, "--reproduce", "1", "--db", url])
    assert both.exit_code == 1 and "takes no audio files" in both.output


def test_workers_1_and_2_store_byte_identical_transcripts(tmp_path: Path) -> None:
    folder = _calls(tmp_path / "calls")
    dumps = []
    for run, workers in enumerate((1, 2)):
        url = f"sqlite:///{tmp_path / f'run{run}.db'}"
        assert CliRunner().invoke(app, ["init", "--db", url]).exit_code == 0
        database = open_database(url)
        report = transcription.run_batch(database, folder, TranscribeSettings(workers=workers, diarize=False))
        assert report.count("done") == len(SAMPLE_CALLS)
        dumps.append(_stored(database))
        database.close()
    assert len(dumps[0]) > 1000 and dumps[0] == dumps[1]


def test_beam_size_is_an_option_stored_with_the_transcript(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'qa.db'}"
    assert CliRunner().invoke(app, ["init", "--db", url]).exit_code == 0
    call = str(SAMPLES / "call_03_overtalk.wav")
    greedy = CliRunner().invoke(app, ["transcribe", "file", call, "--beam-size", "1", "--store", "--db", url])
    assert greedy.exit_code == 0, greedy.output
    database = open_database(url)
    with database.session() as session:
        row = session.scalars(select(Recording)).one()
        assert row.provenance["options"]["beam_size"] == 1
        interaction_id = row.interaction_id
    database.close()
    again = CliRunner().invoke(app, ["transcribe", "file", "--reproduce", str(interaction_id), "--db", url])
    assert again.exit_code == 0 and "identical" in again.output
    bad = CliRunner().invoke(app, ["transcribe", "file", call, "--beam-size", "0"])
    assert bad.exit_code == 2


def test_the_earlier_per_channel_path_is_reachable_and_stored_as_it_ran(tmp_path: Path, shared_dir: Path) -> None:
    """--no-pack-channels decodes each channel on its own at beam 5 (the earlier default); a mono file is never
    packed, whatever the option says; both are stored as they ran and reproduce identically."""
    url = f"sqlite:///{tmp_path / 'qa.db'}"
    assert CliRunner().invoke(app, ["init", "--db", url]).exit_code == 0
    call = str(SAMPLES / "call_03_overtalk.wav")
    mono = str(shared_dir / "data" / "speech" / "librispeech_2412-153948-0000.flac")
    for args in ([call, "--no-pack-channels"], [mono, "--no-diarize"]):
        result = CliRunner().invoke(app, ["transcribe", "file", *args, "--store", "--db", url])
        assert result.exit_code == 0, result.output
    database = open_database(url)
    with database.session() as session:
        stored = {Path(r.path).name: (r.provenance["options"], r.interaction_id)
                  for r in session.scalars(select(Recording))}
    database.close()
    for name, (options, interaction_id) in stored.items():
        assert (options["pack_channels"], options["beam_size"]) == (False, 5), name
        again = CliRunner().invoke(app, ["transcribe", "file", "--reproduce", str(interaction_id), "--db", url])
        assert again.exit_code == 0 and "identical" in again.output, again.output
