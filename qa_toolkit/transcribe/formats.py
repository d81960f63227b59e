"""Transcript output formats: JSON, SRT, WebVTT and plain text."""

from __future__ import annotations

import json
from typing import Any

from qa_toolkit.transcribe.pipeline import Transcript

FORMATS = ("json", "srt", "vtt", "txt")


def _clock(seconds: float, sep: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{millis:03d}"


def _cues(transcript: Transcript) -> list[tuple[float, float, str, str]]:
    cues = []
    for turn in transcript.turns:
        end = max(turn.end_s, turn.start_s + 0.001)
        cues.append((turn.start_s, end, turn.speaker, turn.text.replace("\n", " ").replace("-->", "->")))
    return cues


def to_srt(transcript: Transcript) -> str:
    """SubRip: numbered cues ``HH:MM:SS,mmm --> HH:MM:SS,mmm`` with the speaker in brackets."""
    blocks = [f"{i}\n{_clock(s, ',')} --> {_clock(e, ',')}\n[{who}] {text}\n"
              for i, (s, e, who, text) in enumerate(_cues(transcript), start=1)]
    return "\n".join(blocks)


def to_vtt(transcript: Transcript) -> str:
    """WebVTT: a ``WEBVTT`` header and cues with voice spans ``<v agent>``."""
    blocks = ["WEBVTT\n"]
    for s, e, who, text in _cues(transcript):
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        blocks.append(f"{_clock(s, '.')} --> {_clock(e, '.')}\n<v {who}>{text}\n")
    return "\n".join(blocks)


def to_txt(transcript: Transcript) -> str:
    """One ``speaker: text`` line per turn."""
    return transcript.text + "\n"


def to_dict(transcript: Transcript) -> dict[str, Any]:
    """The transcript as JSON-ready data: turns with word timings, timing, audio facts."""
    return {
        "duration_s": round(transcript.duration_s, 3), "channels": transcript.channels, "codec": transcript.codec,
        "language": transcript.language, "rtf": round(transcript.rtf, 4),
        "timing": transcript.timing.as_dict(),
        "turns": [{"speaker": t.speaker, "start_s": round(t.start_s, 2), "end_s": round(t.end_s, 2), "text": t.text,
                   "words": [{"start": round(w.start, 2), "end": round(w.end, 2), "word": w.word,
                              "probability": round(w.probability, 3)} for w in t.words]}
                  for t in transcript.turns],
        **({"pii_spans": [{"kind": s.kind, "turn": s.turn, "speaker": s.speaker, "start_s": round(s.start_s, 2),
                           "end_s": round(s.end_s, 2)} for s in transcript.pii_spans]} if transcript.pii_redacted else {}),
        **({"speakers": transcript.speakers} if transcript.speakers else {}),  # mono calls: roles, confidence, review
    }


def render(transcript: Transcript, fmt: str) -> str:
    """The transcript in ``fmt`` (json, srt, vtt or txt)."""
    if fmt == "json":
        return json.dumps(to_dict(transcript), indent=2, ensure_ascii=False) + "\n"
    return {"srt": to_srt, "vtt": to_vtt, "txt": to_txt}[fmt](transcript)
