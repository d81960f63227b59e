"""Who spoke when on a one-channel recording: speaker embeddings of short windows, clustered.

The voice encoder is Resemblyzer's (a 3-layer LSTM over 40 mel bands, 256-dimensional unit vectors;
its weights ship inside the ``resemblyzer`` package, nothing is downloaded). Speech is found by
Silero VAD (weights inside the ``silero-vad`` package) unless the caller passes the speech regions
(the transcription pipeline passes the stretches its words cover, which saves the VAD pass).

Each speech region is cut into windows of ``WINDOW_S`` seconds every ``HOP_S`` seconds; every
window gets an embedding; the windows are clustered by agglomerative clustering (average linkage,
cosine distance) cut at ``DISTANCE_THRESHOLD`` (tuned on the dev calls in bench/diarization/dev/),
so the number of speakers is estimated, not given. A cluster with less than ``MIN_SPEAKER_S`` of
speech is folded into its nearest neighbour (a cough is not a speaker). Each 10 ms frame of speech
takes the label of the window whose centre is nearest, and runs of one label become segments.

Two voices closer than the cut (a supervisor who sounds like the agent or the customer) become one
speaker. :func:`second_voice` looks for them afterwards: it cuts one speaker's windows in two and
reports the cut when the halves' voices are ``SECOND_VOICE_DISTANCE`` apart or more, each with enough
speech; :func:`split_speaker` makes the second half a speaker of its own. Whether to believe it is
decided with the words (:mod:`qa_toolkit.transcribe.speakers`).

Why this package and not another: see bench/diarization/README.md (DER and speed, measured on the
same files, against senko; ``diarize`` needs torch < 2.9 and downloads its model at run time).
"""

from __future__ import annotations

import threading
import warnings
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

SAMPLE_RATE = 16_000
FRAME_S = 0.01  # the encoder's mel frames are 10 ms apart
WINDOW_S = 1.5
HOP_S = 0.5
MIN_WINDOW_S = 0.4
MIN_CLUSTER_WINDOW_S = 1.0
DISTANCE_THRESHOLD = 0.3
MIN_SPEAKER_S = 1.5
MAX_SPEAKERS = 6
SECOND_VOICE_DISTANCE = 0.10  # two halves of one speaker's windows this far apart (cosine) may be two people
SECOND_VOICE_MIN_WINDOWS = 5  # ... when the smaller half has at least this many windows (about 3 s of speech)
ENGINE = "resemblyzer-ahc"
_LOCK = threading.Lock()


class DiarizationUnavailable(RuntimeError):
    """The optional diarization packages are not installed."""


@dataclass
class SpeakerSegment:
    """A stretch of one speaker's speech, in seconds from the start of the audio."""

    start: float
    end: float
    speaker: int


@dataclass
class Diarization:
    """Who spoke when: segments, each speaker's voice (mean unit embedding) and speech time.

    Speakers are numbered 1, 2, ... in order of their first words.
    """

    segments: list[SpeakerSegment]
    voices: dict[int, np.ndarray] = field(default_factory=dict)
    speech_s: dict[int, float] = field(default_factory=dict)
    engine: str = ENGINE
    spans: list[tuple[float, float]] = field(default_factory=list)  # the analysis windows (seconds) ...
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 256), dtype=np.float32))  # ... their voices
    labels: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))  # ... and their speakers

    @property
    def speakers(self) -> list[int]:
        return sorted(self.voices)

    def speaker_at(self, start: float, end: float) -> int | None:
        """The speaker who covers most of ``[start, end]``; the nearest segment within 1 s when none does."""
        best, best_overlap = None, 0.0
        for seg in self.segments:
            overlap = min(end, seg.end) - max(start, seg.start)
            if overlap > best_overlap:
                best, best_overlap = seg.speaker, overlap
        if best is not None:
            return best
        middle = (start + end) / 2
        near = [(min(abs(middle - seg.start), abs(middle - seg.end)), seg.speaker) for seg in self.segments]
        return min(near)[1] if near and min(near)[0] <= 1.0 else None

    def speakers_at(self, spans: Sequence[tuple[float, float]]) -> list[int | None]:
        """:meth:`speaker_at` of each ``(start, end)``, by bisection over the segments sorted by start (an
        hour-long call's words against its segments stay fast); the same answers, ties included."""
        order = sorted(range(len(self.segments)), key=lambda i: self.segments[i].start)
        starts = [self.segments[i].start for i in order]
        longest = max((seg.end - seg.start for seg in self.segments), default=0.0) + 1e-6  # a margin for rounding:
        # more candidates only cost time, each is checked as speaker_at checks it
        out: list[int | None] = []
        for start, end in spans:
            # a segment overlapping [start, end] starts in [start - longest, end)
            found = [order[j] for j in range(bisect_left(starts, start - longest), bisect_right(starts, end))]
            best, best_overlap = None, 0.0
            for i in sorted(found):  # in list order, as speaker_at: the first of equal overlaps wins
                seg = self.segments[i]
                overlap = min(end, seg.end) - max(start, seg.start)
                if overlap > best_overlap:
                    best, best_overlap = i, overlap
            if best is not None:
                out.append(self.segments[best].speaker)
                continue
            middle = (start + end) / 2  # a segment within 1 s of the middle starts in [middle - 1 - longest, middle + 1]
            near = [(min(abs(middle - seg.start), abs(middle - seg.end)), seg.speaker)
                    for seg in (self.segments[order[j]] for j in range(bisect_left(starts, middle - 1.0 - longest),
                                                                       bisect_right(starts, middle + 1.0 + 1e-6)))]
            out.append(min(near)[1] if near and min(near)[0] <= 1.0 else None)
        return out


@dataclass
class VoiceSplit:
    """One diarized speaker's windows cut in two by voice: perhaps two people merged into one speaker.

    Attributes:
        speaker: the diarized speaker.
        distance: cosine distance between the two halves' mean voices.
        windows: how many analysis windows the smaller half has.
        second: a mask over ``Diarization.spans``: the windows of the half that speaks second.
    """

    speaker: int
    distance: float
    windows: int
    second: np.ndarray


def available() -> bool:
    """Whether the diarization extra (``pip install 'qa-toolkit[diarization]'``) is installed."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # resemblyzer's deprecated imports (webrtcvad's pkg_resources, scipy)
            import resemblyzer  # noqa: F401
        import silero_vad  # noqa: F401
        import sklearn  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _encoder():  # type: ignore[no-untyped-def]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # resemblyzer's deprecated imports (webrtcvad's pkg_resources, scipy)
            from resemblyzer import VoiceEncoder
    except ImportError as exc:
        raise DiarizationUnavailable(
            f"speaker diarization needs the diarization extra: pip install 'qa-toolkit[diarization]' ({exc})") from None
    return VoiceEncoder("cpu", verbose=False)


@cache
def _vad():  # type: ignore[no-untyped-def]
    try:
        from silero_vad import load_silero_vad
    except ImportError as exc:
        raise DiarizationUnavailable(
            f"speaker diarization needs the diarization extra: pip install 'qa-toolkit[diarization]' ({exc})") from None
    return load_silero_vad(onnx=True)


def speech_regions(samples: np.ndarray) -> list[tuple[float, float]]:
    """Stretches of speech (seconds) found by Silero VAD."""
    import torch
    from silero_vad import get_speech_timestamps

    model = _vad()
    with _LOCK:
        stamps = get_speech_timestamps(torch.from_numpy(np.ascontiguousarray(samples, dtype=np.float32)), model,
                                       sampling_rate=SAMPLE_RATE, threshold=0.5, min_speech_duration_ms=200,
                                       min_silence_duration_ms=150, speech_pad_ms=30)
    return [(s["start"] / SAMPLE_RATE, s["end"] / SAMPLE_RATE) for s in stamps]


def speech_from_words(words: Sequence[Any], join_s: float = 0.3) -> list[tuple[float, float]]:
    """Speech regions from word timestamps (objects with ``start`` and ``end``): words closer than ``join_s`` join."""
    regions: list[list[float]] = []
    for word in sorted(words, key=lambda w: w.start):
        if regions and word.start - regions[-1][1] <= join_s:
            regions[-1][1] = max(regions[-1][1], word.end)
        else:
            regions.append([word.start, word.end])
    return [(a, b) for a, b in regions]


def windows(regions: Sequence[tuple[float, float]], window_s: float = WINDOW_S,
            hop_s: float = HOP_S) -> list[tuple[float, float]]:
    """Analysis windows over the speech regions; a region shorter than a window is one window."""
    out: list[tuple[float, float]] = []
    for start, end in regions:
        if end - start < MIN_WINDOW_S:
            continue
        if end - start <= window_s:
            out.append((start, end))
            continue
        t = start
        while t + window_s < end:
            out.append((t, t + window_s))
            t += hop_s
        out.append((end - window_s, end))
    return out


def embed_windows(samples: np.ndarray, spans: Sequence[tuple[float, float]]) -> np.ndarray:
    """One unit-length voice embedding per ``(start, end)`` span, shape ``(len(spans), 256)``."""
    import torch

    encoder = _encoder()
    from resemblyzer.audio import normalize_volume, wav_to_mel_spectrogram

    mel = wav_to_mel_spectrogram(normalize_volume(samples.astype(np.float32), -30, increase_only=True))
    groups: dict[int, list[tuple[int, int]]] = {}
    for i, (start, end) in enumerate(spans):
        a = min(int(start / FRAME_S), max(0, len(mel) - 1))
        b = min(len(mel), max(a + 1, int(round(end / FRAME_S))))
        groups.setdefault(b - a, []).append((i, a))
    out = np.zeros((len(spans), 256), dtype=np.float32)
    with _LOCK, torch.inference_mode():
        for length, items in groups.items():
            batch = torch.from_numpy(np.stack([mel[a:a + length] for _, a in items]))
            for (i, _), vector in zip(items, encoder(batch).numpy(), strict=True):
                out[i] = vector
    return out


def embed_voice(samples: np.ndarray) -> np.ndarray:
    """One voice embedding (unit vector) for a recording of one speaker, from its speech only.

    Raises:
        ValueError: the recording holds under 2 s of speech.
    """
    spans = windows(speech_regions(samples))
    if sum(e - s for s, e in spans) < 2.0:
        raise ValueError("it holds under 2 s of speech")
    return _unit(embed_windows(samples, spans).mean(axis=0))


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def cluster(embeddings: np.ndarray, durations: np.ndarray, *, threshold: float = DISTANCE_THRESHOLD,
            min_speaker_s: float = MIN_SPEAKER_S, max_speakers: int = MAX_SPEAKERS) -> np.ndarray:
    """Cluster labels (0..k-1) of unit embeddings: average-linkage AHC on cosine distance cut at ``threshold``,
    at most ``max_speakers`` clusters, clusters under ``min_speaker_s`` of speech folded into the nearest."""
    from sklearn.cluster import AgglomerativeClustering

    if len(embeddings) < 2:
        return np.zeros(len(embeddings), dtype=int)
    labels = AgglomerativeClustering(n_clusters=None, distance_threshold=threshold, metric="cosine",
                                     linkage="average").fit_predict(embeddings)
    if len(set(labels)) > max_speakers:
        labels = AgglomerativeClustering(n_clusters=max_speakers, metric="cosine",
                                         linkage="average").fit_predict(embeddings)
    while True:
        ids = sorted(set(labels))
        if len(ids) < 2:
            break
        total = {k: float(durations[labels == k].sum()) for k in ids}
        small = min(ids, key=lambda k: total[k])
        if total[small] >= min_speaker_s:
            break
        centres = {k: _unit(embeddings[labels == k].mean(axis=0)) for k in ids}
        nearest = max((k for k in ids if k != small), key=lambda k: float(centres[k] @ centres[small]))
        labels[labels == small] = nearest
    return labels


def second_voice(diarization: Diarization, speaker: int, *, distance: float = SECOND_VOICE_DISTANCE,
                 min_windows: int = SECOND_VOICE_MIN_WINDOWS) -> VoiceSplit | None:
    """The two-way split (average-linkage AHC) of ``speaker``'s long windows, if its halves sound like two people:
    mean voices at least ``distance`` apart and the smaller half at least ``min_windows`` windows; else None.

    Short windows follow the half whose voice is closest. The clustering cut (``DISTANCE_THRESHOLD``) merges
    voices closer than it, such as a supervisor whose voice is near the customer's or the agent's.
    """
    from sklearn.cluster import AgglomerativeClustering

    mine = np.flatnonzero(diarization.labels == speaker)
    long = np.array([diarization.spans[i][1] - diarization.spans[i][0] >= MIN_CLUSTER_WINDOW_S for i in mine],
                    dtype=bool)
    if long.sum() < 2 * min_windows:
        return None
    vectors = diarization.vectors[mine]
    halves = AgglomerativeClustering(n_clusters=2, metric="cosine", linkage="average").fit_predict(vectors[long])
    sizes = np.bincount(halves, minlength=2)
    centres = np.stack([_unit(vectors[long][halves == h].mean(axis=0)) for h in (0, 1)])
    apart = float(1.0 - centres[0] @ centres[1])
    if sizes.min() < min_windows or apart < distance:
        return None
    labels = (vectors @ centres.T).argmax(axis=1)
    labels[long] = halves
    starts = np.array([diarization.spans[i][0] for i in mine])
    later = int(labels[starts.argmin()] == 0)  # the half that does not speak first
    second = np.zeros(len(diarization.spans), dtype=bool)
    second[mine[labels == later]] = True
    return VoiceSplit(speaker, apart, int(sizes.min()), second)


def split_speaker(diarization: Diarization, split: VoiceSplit) -> Diarization:
    """``diarization`` with ``split.speaker``'s second voice as a speaker of its own (numbered after the others).

    Each 10 ms frame of the speaker's segments goes to the half of the nearest window of theirs.
    """
    new = max(diarization.speakers) + 1
    labels = diarization.labels.copy()
    labels[split.second] = new
    mine = np.flatnonzero((diarization.labels == split.speaker))
    centres = np.array([(diarization.spans[i][0] + diarization.spans[i][1]) / 2 for i in mine])
    segments: list[SpeakerSegment] = []
    for seg in diarization.segments:
        if seg.speaker != split.speaker or not len(mine):
            segments.append(seg)
            continue
        frames = np.arange(seg.start, seg.end, FRAME_S)
        if not len(frames):
            continue
        who = labels[mine[np.abs(centres[None, :] - frames[:, None]).argmin(axis=1)]]
        cut = np.flatnonzero(np.diff(who)) + 1
        for a, b in zip(np.r_[0, cut], np.r_[cut, len(frames)], strict=True):
            segments.append(SpeakerSegment(float(frames[a]), float(min(seg.end, frames[b - 1] + FRAME_S)), int(who[a])))
    voices = {int(k): _unit(diarization.vectors[labels == k].mean(axis=0)) for k in sorted(set(labels.tolist()))}
    speech_s: dict[int, float] = {}
    for seg in segments:
        speech_s[seg.speaker] = speech_s.get(seg.speaker, 0.0) + seg.end - seg.start
    return Diarization(segments, voices, speech_s, diarization.engine, list(diarization.spans),
                       diarization.vectors, labels)


def diarize(samples: np.ndarray, speech: Sequence[tuple[float, float]] | None = None, *,
            threshold: float = DISTANCE_THRESHOLD, max_speakers: int = MAX_SPEAKERS) -> Diarization:
    """Who spoke when in 16 kHz mono ``samples``; ``speech`` regions (seconds) if already known, else VAD.

    Raises:
        DiarizationUnavailable: the diarization extra is not installed.
    """
    regions = list(speech) if speech is not None else speech_regions(samples)
    spans = windows(regions)
    if not spans:
        return Diarization([])
    vectors = embed_windows(samples, spans)
    durations = np.array([e - s for s, e in spans])
    # short windows (a word or two at a turn's start) give unreliable voices: cluster the long ones,
    # then give each short window the speaker whose voice is closest
    long = durations >= MIN_CLUSTER_WINDOW_S
    if long.sum() < 2:
        long[:] = True
    labels = np.zeros(len(spans), dtype=int)
    labels[long] = cluster(vectors[long], durations[long], threshold=threshold, max_speakers=max_speakers)
    if not long.all():
        ids = sorted(set(labels[long]))
        centres = np.stack([_unit(vectors[long][labels[long] == k].mean(axis=0)) for k in ids])
        labels[~long] = np.array(ids)[(vectors[~long] @ centres.T).argmax(axis=1)]
    # number speakers 1, 2, ... by first appearance
    order: dict[int, int] = {}
    for label in labels:
        order.setdefault(int(label), len(order) + 1)
    numbered = np.array([order[int(label)] for label in labels], dtype=int)
    centres = np.array([(s + e) / 2 for s, e in spans])
    segments: list[SpeakerSegment] = []
    for start, end in regions:
        inside = np.flatnonzero((centres >= start - 1e-6) & (centres <= end + 1e-6))
        if not len(inside):
            continue
        frames = np.arange(start, end, FRAME_S)
        nearest = inside[np.abs(centres[inside][None, :] - frames[:, None]).argmin(axis=1)]
        who = numbered[nearest]
        cut = np.flatnonzero(np.diff(who)) + 1
        for a, b in zip(np.r_[0, cut], np.r_[cut, len(frames)], strict=True):
            segments.append(SpeakerSegment(float(frames[a]), float(min(end, frames[b - 1] + FRAME_S)), int(who[a])))
    voices = {int(k): _unit(vectors[numbered == k].mean(axis=0)) for k in sorted(set(numbered))}
    speech_s: dict[int, float] = {}
    for seg in segments:
        speech_s[seg.speaker] = speech_s.get(seg.speaker, 0.0) + seg.end - seg.start
    return Diarization(segments, voices, speech_s, spans=list(spans), vectors=vectors, labels=numbered)
