"""Mono calls the words did not decide: each voice's first seconds heard again with a larger model (issue 17).

Where tiny.en loses or garbles the agent's greeting ("Harbour, Leanne" under line noise, an accented "you are talking
with Rodrigo"), no word evidence names the agent and the call is flagged. Then the first :data:`VOICE_S` seconds of
each diarized voice (the greeting, the caller's reason for calling) are cut out, joined with short silences into one
clip of at most :data:`CLIP_MAX_S` (one Whisper window, so one decode), and decoded once with a larger model
(:data:`MODEL`: Whisper base, packaged like tiny.en) with fixed options. Those words replace the first decode's words in
the same stretches, and the roles are decided again by the same rules (:func:`qa_toolkit.transcribe.speakers.attribute`:
agreement or a strong word model, never one guess). The second decision is taken only when it decides; else the first
(flagged) stands with the first words. Deterministic: the same audio, diarization and model give the same words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qa_toolkit.transcribe.audio import SAMPLE_RATE
from qa_toolkit.transcribe.backend import TranscriptionOptions, Word
from qa_toolkit.transcribe.diarize import Diarization
from qa_toolkit.transcribe.pipeline import Transcribe
from qa_toolkit.transcribe.speakers import Attribution, SpeakerHints, attribute, model_lean

MODEL = "base"
VOICE_S = 7.0  # the first seconds of each voice heard again: a greeting and the caller's first sentence
CLIP_MAX_S = 28.0  # one Whisper window (30 s) with room for the joins
JOIN_S = 0.4  # silence between two stretches in the clip, so words do not run across a cut
VOICES = 3  # at most this many voices, by first words (a service call has up to three: MAX_VOICES)
# Fixed options: beam 5 at temperature 0, no VAD (the stretches are speech already), no prompt, no conditioning.
OPTIONS = TranscriptionOptions(language="en", vad_filter=False, beam_size=5, guard=False, crosstalk=False,
                               pack_channels=False)
# The flag reasons re-hearing can change: no word evidence, or too little. Not one voice, no speech, disagreement.
REHEARD_REASONS = ("no evidence of which speaker is the agent", "the agent could not be told apart")

@dataclass(frozen=True, slots=True)
class Stretch:
    """A stretch of the recording in the clip: ``[start_s, end_s)`` of the call, starting at ``clip_s`` in the clip."""

    start_s: float
    end_s: float
    clip_s: float


def wanted(reason: str | None, speakers: int | None) -> bool:
    """Whether a flagged call's reason is one a second hearing of the openings can change (two voices or more)."""
    return bool(reason) and (speakers or 0) >= 2 and any(str(reason).startswith(r) for r in REHEARD_REASONS)


def opening_stretches(diarization: Diarization, voice_s: float = VOICE_S,
                      clip_max_s: float = CLIP_MAX_S) -> list[Stretch]:
    """The first ``voice_s`` seconds of each of the first :data:`VOICES` voices, merged in time order and placed one
    after another in a clip (``JOIN_S`` apart) of at most ``clip_max_s`` seconds."""
    segments = sorted(diarization.segments, key=lambda s: s.start)
    first_seen: list[int] = []
    for seg in segments:
        if seg.speaker not in first_seen:
            first_seen.append(seg.speaker)
    spans: list[tuple[float, float]] = []
    for speaker in first_seen[:VOICES]:
        left = voice_s
        for seg in (s for s in segments if s.speaker == speaker):
            if left <= 0:
                break
            take = min(seg.end - seg.start, left)
            spans.append((seg.start, seg.start + take))
            left -= take
    merged: list[list[float]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + JOIN_S:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[Stretch] = []
    clip = 0.0
    for start, end in merged:
        room = clip_max_s - clip
        if room <= 0.5:
            break
        end = min(end, start + room)
        out.append(Stretch(round(start, 3), round(end, 3), round(clip, 3)))
        clip += end - start + JOIN_S
    return out


def clip_audio(samples: np.ndarray, stretches: list[Stretch]) -> np.ndarray:
    """The stretches' samples joined with ``JOIN_S`` of silence between them."""
    gap = np.zeros(round(JOIN_S * SAMPLE_RATE), dtype=np.float32)
    pieces: list[np.ndarray] = []
    for stretch in stretches:
        pieces += [samples[round(stretch.start_s * SAMPLE_RATE): round(stretch.end_s * SAMPLE_RATE)], gap]
    return np.concatenate(pieces[:-1]).astype(np.float32) if pieces else np.zeros(0, dtype=np.float32)


def to_call_time(t: float, stretches: list[Stretch]) -> float:
    """A time in the clip as a time in the call (a time in a join goes to the end of the stretch before it)."""
    for stretch in reversed(stretches):
        if t >= stretch.clip_s:
            return min(stretch.start_s + (t - stretch.clip_s), stretch.end_s)
    return stretches[0].start_s


def reheard_words(samples: np.ndarray, words: list[Word], stretches: list[Stretch],
                  transcribe: Transcribe) -> list[Word]:
    """``words`` with those whose middle falls in a stretch replaced by the clip's words, in call time."""
    heard = [w for seg in transcribe(clip_audio(samples, stretches), OPTIONS) for w in seg.words]
    new = [Word(round(to_call_time(w.start, stretches), 3), round(to_call_time(w.end, stretches), 3), w.word,
                w.probability) for w in heard]

    def inside(word: Word) -> bool:
        middle = (word.start + word.end) / 2
        return any(s.start_s <= middle < s.end_s for s in stretches)

    return sorted([w for w in words if not inside(w)] + new, key=lambda w: (w.start, w.end))


def decide_again(samples: np.ndarray, words: list[Word], diarization: Diarization, hints: SpeakerHints | None,
                 transcribe: Transcribe, first: Attribution) -> tuple[dict[str, list[Word]], Attribution] | None:
    """The words grouped by role and the attribution with each voice's opening heard again, when that decides the
    roles and names the agent the role model leaned to on the first words too (where it leaned at all: two hearings
    that name different agents are words that disagree); else None, and ``first`` (the flagged attribution, which
    stands with the first words) says why in its evidence. Hearing again adds evidence, it never lifts a doubt: a
    call whose first words cap the role model (a caller from an organisation, the pronouns against the pick) is not
    heard again."""
    lean = model_lean(words, diarization)
    if lean is not None and lean.not_alone:
        first.evidence.append("re-heard: not tried, the first words already doubt the role model's pick (a caller "
                              "from an organisation, or the pronouns against it)")
        return None
    stretches = opening_stretches(diarization)
    if not stretches:
        return None
    again = reheard_words(samples, words, stretches, transcribe)
    grouped, attribution = attribute(again, diarization, hints)
    heard = (f"re-heard: the first {VOICE_S:.0f} s of each voice ({sum(s.end_s - s.start_s for s in stretches):.1f} s "
             f"in {len(stretches)} stretch(es)) decoded again with Whisper {MODEL}")
    if attribution.needs_review:
        first.evidence.append(f"{heard}: still undecided ({attribution.reason})")
        return None
    agent = next(k for k, role in attribution.roles.items() if role == "agent")
    if lean is not None and lean.agent != agent:
        first.evidence.append(f"{heard}: its words name speaker {agent} the agent, the first words speaker "
                              f"{lean.agent}: the two hearings disagree, still flagged")
        return None
    attribution.evidence.append(f"{heard}; its words decide")
    return grouped, attribution
