"""Agents' enrolled voices: one speaker embedding per agent, so mono calls can tell the agent by voice.

An enrolled voice is a 256-number unit vector (Resemblyzer's embedding of the agent's speech), never
audio; it is still biometric data about a person, so ``forget_voice`` deletes it and every change is
audited (without the vector).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from qa_toolkit.errors import NotFoundError, QAError
from qa_toolkit.services import audit
from qa_toolkit.services.people import get_agent
from qa_toolkit.storage.models import Agent, AgentVoice

MIN_CONSISTENCY = 0.85  # a file whose voice is less similar to the other files' is refused (same voice: 0.95+)


def agent_side(path: Path, channels: Sequence[np.ndarray], agent: str | None = None,
               agent_channel: str = "left") -> np.ndarray:
    """The agent's own speech of a recording: the one channel of a mono file, the agent's channel of a stereo call
    (the ``agent_channel`` of its sidecar or manifest row, else ``agent_channel``), never both sides mixed.

    Raises:
        QAError: the recording's metadata is malformed, or names another agent than ``agent``.
    """
    from qa_toolkit.transcribe.metadata import recording_metadata

    if len(channels) == 1:
        return channels[0]
    meta = recording_metadata(path)
    if agent is not None and meta.agent_id not in (None, agent):
        raise QAError(f"{path}: field 'agent_id': the recording is a call of another agent, not {agent!r}")
    return channels[0 if (meta.agent_channel or agent_channel) == "left" else 1]


def voice_from_files(paths: Sequence[Path], agent: str | None = None,
                     agent_channel: str = "left") -> tuple[np.ndarray, float]:
    """The mean voice embedding of one speaker's recordings and the seconds of audio used; of a stereo call, its
    agent's channel (:func:`agent_side`).

    Raises:
        QAError: a file is missing, not audio, holds under 2 s of speech, sounds like someone else, or is a stereo
            call of another agent.
    """
    from qa_toolkit.transcribe.audio import AudioError, decode
    from qa_toolkit.transcribe.diarize import DiarizationUnavailable, embed_voice

    if not paths:
        raise QAError("give at least one recording of the agent's voice")
    vectors, seconds = [], 0.0
    for path in paths:
        try:
            audio = decode(path)
            vectors.append(embed_voice(agent_side(path, audio.channels, agent, agent_channel)))
        except AudioError as exc:
            raise QAError(f"{path}: {exc}") from None
        except ValueError as exc:
            raise QAError(f"{path}: cannot enroll a voice from it: {exc}") from None
        except DiarizationUnavailable as exc:
            raise QAError(str(exc)) from None
        seconds += audio.duration_s
    for i, (path, vector) in enumerate(zip(paths, vectors, strict=True)):
        if len(vectors) < 2:
            break
        others = np.mean([v for j, v in enumerate(vectors) if j != i], axis=0)
        similarity = float(vector @ others / np.linalg.norm(others))
        if similarity < MIN_CONSISTENCY:
            raise QAError(f"{path}: does not sound like the other recordings (similarity {similarity:.2f} < "
                          f"{MIN_CONSISTENCY}): enroll one person's voice at a time")
    mean = np.mean(vectors, axis=0)
    return mean / np.linalg.norm(mean), seconds


def enroll_voice(session: Session, agent_external_id: str, paths: Sequence[Path], *,
                 actor: str | None = None, agent_channel: str = "left") -> dict[str, Any]:
    """Store (or replace) an agent's voice from recordings of that agent alone, or stereo calls of theirs (the
    agent's channel: ``agent_channel`` unless the call's metadata says which).

    Raises:
        NotFoundError: unknown agent. QAError: see :func:`voice_from_files`.
    """
    from qa_toolkit.transcribe.diarize import ENGINE

    if agent_channel not in ("left", "right"):
        raise QAError(f"--agent-channel {agent_channel!r}: choose left or right")
    agent = get_agent(session, agent_external_id)
    vector, seconds = voice_from_files(paths, agent.external_id, agent_channel)
    row = session.scalar(select(AgentVoice).where(AgentVoice.agent_id == agent.id, AgentVoice.engine == ENGINE))
    replaced = row is not None
    if row is None:
        row = AgentVoice(agent=agent, engine=ENGINE)
        session.add(row)
    row.embedding = [round(float(x), 6) for x in vector]
    row.files, row.speech_s = len(paths), round(seconds, 2)
    session.flush()
    summary = {"agent": agent.external_id, "engine": ENGINE, "files": len(paths), "seconds": round(seconds, 1),
               "replaced": replaced}
    audit.record(session, actor=actor, action="agent.enroll_voice", entity_type="agent",
                 entity_id=agent.external_id, after=summary)
    return summary


def forget_voice(session: Session, agent_external_id: str, *, actor: str | None = None) -> int:
    """Delete an agent's enrolled voices; returns how many were deleted.

    Raises:
        NotFoundError: unknown agent, or no voice enrolled.
    """
    agent = get_agent(session, agent_external_id)
    count = session.execute(delete(AgentVoice).where(AgentVoice.agent_id == agent.id)).rowcount
    if not count:
        raise NotFoundError(f"agent {agent_external_id!r} has no enrolled voice")
    audit.record(session, actor=actor, action="agent.forget_voice", entity_type="agent",
                 entity_id=agent.external_id, after={"deleted": count})
    return count


def enrolled_voices(session: Session) -> dict[str, np.ndarray]:
    """Every enrolled voice of the current engine, by agent external id."""
    from qa_toolkit.transcribe.diarize import ENGINE

    rows = session.execute(select(Agent.external_id, AgentVoice.embedding)
                           .join(AgentVoice, AgentVoice.agent_id == Agent.id)
                           .where(AgentVoice.engine == ENGINE)).all()
    return {external_id: np.asarray(embedding, dtype=np.float32) for external_id, embedding in rows}
