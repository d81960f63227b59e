"""Re-run a stored transcript from its provenance and say what differs (``qa transcribe file --reproduce``).

The recording is transcribed again with the options, model and pipeline settings stored with it
(``recordings.provenance``), redacted as stored, and compared turn by turn with the stored turns.
Differences of environment (model hash, package versions, device, threads) are reported beside them:
they explain a difference, they do not excuse it. Package versions are the usual cause between machines
(ctranslate2, onnxruntime, numpy and av resolved afresh by pip gave other tiny.en transcripts of the same
recordings), so they are also listed on their own (``package_changes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from qa_toolkit.errors import NotFoundError, QAError
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Interaction, Recording, Turn

if TYPE_CHECKING:
    from qa_toolkit.transcribe.pipeline import Transcribe


@dataclass
class Reproduction:
    """The outcome of a re-run: identical or not, the differing turns and what changed around them."""

    interaction_id: int
    file: str
    turns_stored: int
    turns_now: int
    differences: list[dict[str, Any]] = field(default_factory=list)
    environment: list[str] = field(default_factory=list)
    packages: list[dict[str, str | None]] = field(default_factory=list)  # stored versions that differ from now
    @property
    def identical(self) -> bool:
        return not self.differences

    def as_dict(self) -> dict[str, Any]:
        return {"interaction_id": self.interaction_id, "file": self.file, "identical": self.identical,
                "turns_stored": self.turns_stored, "turns_now": self.turns_now, "differences": self.differences,
                "environment_changes": self.environment, "package_changes": self.packages}


def _turn(turn: Any) -> dict[str, Any]:
    return {"speaker": turn.speaker, "start_s": round(float(turn.start_s), 2), "end_s": round(float(turn.end_s), 2),
            "text": turn.text}


def compare_turns(stored: list[dict[str, Any]], now: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Turn-by-turn differences: ``{"turn": i, "field": ..., "stored": ..., "now": ...}`` (a missing turn: None)."""
    differences = []
    for index in range(max(len(stored), len(now))):
        old = stored[index] if index < len(stored) else None
        new = now[index] if index < len(now) else None
        if old is None or new is None:
            differences.append({"turn": index, "field": "turn", "stored": old, "now": new})
            continue
        differences += [{"turn": index, "field": key, "stored": old[key], "now": new[key]}
                        for key in ("speaker", "start_s", "end_s", "text") if old[key] != new[key]]
    return differences


def reproduce(database: Database, interaction_id: int) -> Reproduction:
    """Transcribe an interaction's recording again with its stored provenance and compare with what is stored.

    Raises:
        NotFoundError: no such interaction, or it was not transcribed from a recording.
        QAError: no provenance stored (transcribed before revision 0011), or the file is gone or changed.
    """
    from qa_toolkit.services.transcription import content_hash, speaker_hints
    from qa_toolkit.transcribe.metadata import recording_metadata
    from qa_toolkit.transcribe.backend import TranscriptionOptions
    from qa_toolkit.transcribe.faster_backend import load_backend
    from qa_toolkit.transcribe.pipeline import provenance as current_provenance
    from qa_toolkit.transcribe.pipeline import transcribe_file

    with database.session() as session:
        interaction = session.get(Interaction, interaction_id)
        if interaction is None:
            raise NotFoundError(f"no interaction {interaction_id}")
        row = session.scalar(select(Recording).where(Recording.interaction_id == interaction_id))
        if row is None:
            raise NotFoundError(f"interaction {interaction_id} was not transcribed from a recording")
        stored = [_turn(t) for t in session.scalars(select(Turn).where(Turn.interaction_id == interaction_id)
                                                    .order_by(Turn.index))]
        path, digest, prov = Path(row.path), row.content_hash, dict(row.provenance or {})
    if not prov.get("options"):
        raise QAError(f"interaction {interaction_id} was transcribed before provenance was stored: "
                      "nothing says how to reproduce it (transcribe it again to store it)")
    if not path.is_file():
        raise QAError(f"interaction {interaction_id}: its recording {path} is not there any more")
    if content_hash(path) != digest:
        raise QAError(f"interaction {interaction_id}: {path} has changed since it was transcribed (content hash)")
    pipeline = prov.get("pipeline") or {}
    threads = prov.get("cpu_threads")
    backend = load_backend(str(prov.get("backend") or "faster-whisper"), _model_spec(prov),
                           str(prov.get("device") or "auto"), cpu_threads=threads if isinstance(threads, int) else None)
    options = TranscriptionOptions.from_dict(prov["options"])
    diarize = bool(pipeline.get("diarize", False))
    hints = speaker_hints(database, recording_metadata(path, pipeline.get("filename_pattern"))) if diarize else None
    transcript = transcribe_file(path, backend, options, agent_channel=pipeline.get("agent_channel", "left"),
                                 mono_speaker=pipeline.get("mono_speaker", "unknown"), diarize=diarize,
                                 hints=hints, rehear=_rehearer(pipeline, backend)).redacted()
    from qa_toolkit.transcribe.provenance import environment_changes, package_changes

    now = [_turn(t) for t in transcript.turns]
    current = current_provenance(backend, options)
    return Reproduction(interaction_id, path.name, len(stored), len(now), compare_turns(stored, now),
                        environment_changes(prov, {**current, "pipeline": pipeline}),
                        [c.as_dict() for c in package_changes(prov.get("versions"), current.get("versions"))])


def _rehearer(pipeline: dict[str, Any], backend: Any) -> Transcribe | None:
    """The re-hearing model as the transcript was made with (stored ``rehear``; older transcripts: none)."""
    from qa_toolkit.transcribe.faster_backend import load_backend
    from qa_toolkit.transcribe.rehear import MODEL

    if not pipeline.get("rehear"):
        return None
    return lambda audio, options: load_backend(getattr(backend, "name", "faster-whisper"), MODEL,
                                               getattr(backend, "device", "auto")).transcribe(audio, options)


def _model_spec(prov: dict[str, Any]) -> str | None:
    """The ``--model`` to load: the stored model directory when it still exists, else the stored label."""
    directory = prov.get("model_path")
    if isinstance(directory, str) and Path(directory).is_dir():
        return directory
    model = prov.get("model")
    return str(model) if model else None
