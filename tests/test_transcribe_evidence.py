"""Reproducibility evidence of a measurement (provenance.evidence): the SHA-256 of each audio file, package
versions, and what changed between two records."""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

from qa_toolkit.transcribe.provenance import PackageChange, evidence, evidence_changes, package_changes
from transcribe_support import SAMPLE_CALLS


def test_evidence_hashes_each_file_as_sha256_and_names_the_packages() -> None:
    files = list(SAMPLE_CALLS)[:3]
    record = evidence(files)
    assert record["audio_files"] == 3
    for path in files:
        assert record["audio_sha256"][path.name] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert record["versions"]["faster-whisper"] and record["versions"]["ctranslate2"] and record["versions"]["numpy"]
    assert "piper-tts" in record["versions"] and record["python"]
    assert evidence(reversed(files)) == record  # the order files are given in does not matter


def test_evidence_changes_names_the_changed_audio_and_package(tmp_path: Path) -> None:
    a, b = tmp_path / "a.wav", tmp_path / "b.wav"
    a.write_bytes(b"RIFF one")
    b.write_bytes(b"RIFF two")
    before = evidence([a, b])
    assert evidence_changes(before, evidence([a, b])) == []
    b.write_bytes(b"RIFF two, rendered again")
    c = tmp_path / "c.wav"
    c.write_bytes(b"RIFF three")
    after = evidence([b, c])
    assert after["audio_set_sha256"] != before["audio_set_sha256"]
    after["versions"] = {**after["versions"], "ctranslate2": "0.0.1"}
    changes = evidence_changes(before, after)
    assert changes[:3] == ["audio a.wav missing", "audio b.wav changed", "audio c.wav added"]
    assert changes[3:] == [f"ctranslate2 {before['versions']['ctranslate2']} → 0.0.1"]


def test_package_changes_compare_only_what_was_recorded_and_look_up_the_rest() -> None:
    numpy = metadata.version("numpy")
    stored = {"numpy": "1.0.0", "pyyaml": metadata.version("pyyaml"), "no-such-package-qa": "2.0"}
    assert package_changes(stored, {"pyyaml": metadata.version("pyyaml")}) == [
        PackageChange("no-such-package-qa", "2.0", None), PackageChange("numpy", "1.0.0", numpy)]
    assert str(package_changes({"numpy": "1.0.0"})[0]) == f"numpy 1.0.0 → {numpy}"
    assert package_changes({}, {"numpy": numpy}) == []  # a package the record does not name says nothing
    assert package_changes({"numpy": numpy}) == [] and package_changes(None) == []
