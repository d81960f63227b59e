"""Word and character error rates against reference transcripts, with jiwer.

Normalisation (applied to reference and hypothesis alike, see :func:`normalize`):

1. lower-case; ``&`` → ``and``, ``%`` → ``percent``;
2. English contractions expanded (``it's`` → ``it is``, ``can't``/``cannot`` → ``can not``, ``n't`` → ``not``,
   ``'re`` → ``are``, ``'ll`` → ``will``, ``'ve`` → ``have``, ``'m`` → ``am``);
3. numbers written as words, digit by digit groups the way they are read (``4567`` → ``four thousand five
   hundred sixty seven``, ``1813`` → ``eighteen thirteen`` when it looks like a year, 1100–1999);
4. every other character that is not a letter, digit or space becomes a space (hyphens split words);
5. runs of spaces collapse to one.

Speaker attribution (two-channel calls, and mono calls that were diarized, whose reference has turns):
reference and hypothesis words are aligned by jiwer; of the reference words that have a counterpart
(hit or substitution), the share whose hypothesis word carries the same speaker. Speaker-attributed
WER: each speaker's reference words against the words attributed to that speaker, errors summed over
speakers, over all reference words (words said by the wrong speaker count twice, as a deletion and an
insertion; ``unknown`` matches nobody). A reference speaker ``supervisor`` counts as ``agent_2``.

DER (diarization error rate, pyannote.metrics, 0.25 s collar, overlap scored): missed speech, false
alarm and speaker confusion over reference speech, where the reference says who spoke when (an
``rttm`` file named in the entry, or ``NAME.rttm`` beside the audio); the hypothesis is each
speaker's words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qa_toolkit.errors import QAError

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_CONTRACTIONS = [
    (r"\bcan't\b", "can not"), (r"\bcannot\b", "can not"), (r"\bwon't\b", "will not"), (r"\bshan't\b", "shall not"),
    (r"\blet's\b", "let us"), (r"\b(it|that|what|there|here|he|she|who|where)'s\b", r"\1 is"),
    (r"n't\b", " not"), (r"'re\b", " are"), (r"'ll\b", " will"), (r"'ve\b", " have"), (r"\bi'm\b", "i am"),
    (r"'d\b", " would"),
]


def number_words(n: int) -> str:
    """An integer in English words (``4567`` → ``four thousand five hundred sixty seven``)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        return _ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + number_words(n % 100))
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            head, rest = divmod(n, size)
            return number_words(head) + " " + name + ("" if rest == 0 else " " + number_words(rest))
    raise AssertionError(n)


def _number(match: re.Match[str]) -> str:
    digits = match.group(0).replace(",", "")
    if len(digits) > 12:
        return " ".join(_ONES[int(d)] for d in digits)
    n = int(digits)
    if 1100 <= n <= 1999 and len(digits) == 4 and n % 100 != 0:  # years: 1813 → eighteen thirteen
        return f" {number_words(n // 100)} {number_words(n % 100) if n % 100 >= 10 else 'oh ' + _ONES[n % 10]} "
    return f" {number_words(n)} "


def normalize(text: str) -> str:
    """The documented WER normalisation (see the module docstring)."""
    text = text.lower().replace("’", "'").replace("&", " and ").replace("%", " percent ")
    for pattern, repl in _CONTRACTIONS:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"\d+(?:,\d{3})*", _number, text)
    text = re.sub(r"[^\w\s]|_", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class FileScore:
    """Error counts of one file (WER = (S + D + I) / N reference words)."""

    file: str
    reference_words: int
    substitutions: int
    deletions: int
    insertions: int
    wer: float
    cer: float
    speaker_accuracy: float | None = None
    sa_wer: float | None = None
    der: float | None = None
    der_parts: dict[str, float] | None = None  # seconds: total reference speech, missed, false alarm, confusion
    hypothesis: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items() if k != "der_parts"}


@dataclass
class Evaluation:
    """Per-file scores and the totals (overall WER is errors over all reference words, not a mean)."""

    files: list[FileScore]

    @property
    def wer(self) -> float:
        words = sum(f.reference_words for f in self.files)
        errors = sum(f.substitutions + f.deletions + f.insertions for f in self.files)
        return errors / words if words else 0.0

    @property
    def sa_wer(self) -> float | None:
        """Speaker-attributed WER over the files that have it (errors over their reference words)."""
        scored = [f for f in self.files if f.sa_wer is not None]
        words = sum(f.reference_words for f in scored)
        return sum(f.sa_wer * f.reference_words for f in scored) / words if words else None  # type: ignore[operator]

    @property
    def der(self) -> float | None:
        """DER over the files that have a who-spoke-when reference (error seconds over speech seconds)."""
        parts = [f.der_parts for f in self.files if f.der_parts]
        total = sum(p["total"] for p in parts)
        return sum(p["missed"] + p["false_alarm"] + p["confusion"] for p in parts) / total if total else None

    @property
    def speaker_accuracy(self) -> float | None:
        scored = [f.speaker_accuracy for f in self.files if f.speaker_accuracy is not None]
        return sum(scored) / len(scored) if scored else None

    def as_dict(self) -> dict[str, Any]:
        total = {
            "wer": round(self.wer, 4),
            "cer": round(sum(f.cer * max(1, f.reference_words) for f in self.files)
                         / max(1, sum(max(1, f.reference_words) for f in self.files)), 4),
            "substitutions": sum(f.substitutions for f in self.files),
            "deletions": sum(f.deletions for f in self.files),
            "insertions": sum(f.insertions for f in self.files),
            "reference_words": sum(f.reference_words for f in self.files),
            "speaker_accuracy": None if self.speaker_accuracy is None else round(self.speaker_accuracy, 4),
            "sa_wer": None if self.sa_wer is None else round(self.sa_wer, 4),
            "der": None if self.der is None else round(self.der, 4),
        }
        return {"overall": total, "files": [f.as_dict() for f in self.files]}


@dataclass
class Reference:
    """A reference transcript: its text and, for two-channel calls, its turns (speaker, text)."""

    text: str
    turns: list[tuple[str, str]] | None = None
    rttm: Path | None = None


def read_references(path: str | Path) -> dict[str, Reference]:
    """References from JSON: ``{"references": {file: text | {"text", "turns": [{speaker, text}]}}}``
    (or the inner mapping alone). File names are relative to the references file.

    Raises:
        QAError: unreadable JSON or a malformed entry (the message names the file and key).
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QAError(f"references file {path} does not exist") from None
    except json.JSONDecodeError as exc:
        raise QAError(f"{path} line {exc.lineno}: invalid JSON: {exc.msg}") from None
    entries = data.get("references", data) if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise QAError(f"{path}: expected an object mapping file names to reference transcripts")
    out: dict[str, Reference] = {}
    for name, entry in entries.items():
        if isinstance(entry, str):
            out[name] = Reference(entry)
        elif isinstance(entry, dict) and isinstance(entry.get("text", ""), str):
            turns = entry.get("turns")
            try:
                pairs = [(t["speaker"], t["text"]) for t in turns] if turns else None
            except (TypeError, KeyError) as exc:
                raise QAError(f"{path}: references[{name!r}].turns: each turn needs speaker and text ({exc})") from None
            text = entry.get("text") or " ".join(t for _, t in pairs or [])
            rttm = entry.get("rttm")
            if rttm is not None and not isinstance(rttm, str):
                raise QAError(f"{path}: references[{name!r}].rttm must be a file name (relative to {path.name})")
            out[name] = Reference(text, pairs, path.parent / rttm if rttm else None)
        else:
            raise QAError(f"{path}: references[{name!r}] must be a string or an object with 'text'")
    return out


def score(file: str, reference: Reference, hypothesis: str,
          hypothesis_turns: list[tuple[str, str]] | None = None,
          norm: Callable[[str], str] = normalize) -> FileScore:
    """WER/CER and counts for one file; speaker accuracy when both sides have turns."""
    import jiwer

    ref, hyp = norm(reference.text), norm(hypothesis)
    if not ref:
        raise QAError(f"reference for {file} is empty after normalisation")
    words = jiwer.process_words(ref, hyp or "<empty>")
    chars = jiwer.process_characters(ref, hyp or "<empty>")
    accuracy = sa_wer = None
    if reference.turns and hypothesis_turns:
        accuracy = _speaker_accuracy(reference.turns, hypothesis_turns, norm)
        sa_wer = speaker_attributed_wer(reference.turns, hypothesis_turns, norm)
    return FileScore(file, len(ref.split()), words.substitutions, words.deletions, words.insertions,
                     words.wer, chars.cer, accuracy, sa_wer, hypothesis=hypothesis)


ROLE_ALIASES = {"supervisor": "agent_2"}


def speaker_attributed_wer(ref_turns: list[tuple[str, str]], hyp_turns: list[tuple[str, str]],
                           norm: Callable[[str], str] = normalize) -> float | None:
    """Each speaker's reference words against the words attributed to that speaker: errors summed / reference words."""
    import jiwer

    def by_speaker(turns: list[tuple[str, str]]) -> dict[str, str]:
        out: dict[str, list[str]] = {}
        for speaker, text in turns:
            out.setdefault(ROLE_ALIASES.get(speaker, speaker), []).append(norm(text))
        return {k: " ".join(v).strip() for k, v in out.items()}

    ref, hyp = by_speaker(ref_turns), by_speaker(hyp_turns)
    words = sum(len(t.split()) for t in ref.values())
    if not words:
        return None
    errors = 0
    for speaker in set(ref) | set(hyp):
        r, h = ref.get(speaker, ""), hyp.get(speaker, "") if speaker != "unknown" else ""
        if not r:
            errors += len(h.split())
        elif not h:
            errors += len(r.split())
        else:
            out = jiwer.process_words(r, h)
            errors += out.substitutions + out.deletions + out.insertions
    errors += sum(len(t.split()) for k, t in hyp.items() if k == "unknown" and k not in ref)
    return errors / words


def read_rttm(path: Path) -> list[tuple[float, float, str]]:
    """(start, end, speaker) of each SPEAKER line of an RTTM file.

    Raises:
        QAError: a malformed line (file and line named).
    """
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fields = line.split()
        if not fields or fields[0] != "SPEAKER":
            continue
        try:
            start, duration = float(fields[3]), float(fields[4])
            out.append((start, start + duration, fields[7]))
        except (IndexError, ValueError):
            raise QAError(f"{path}:{number}: not an RTTM SPEAKER line (type file chan start dur ... name ...)") from None
    return out


def diarization_error(reference: list[tuple[float, float, str]],
                      hypothesis: list[tuple[float, float, str]]) -> dict[str, float]:
    """DER and its parts (seconds) with pyannote.metrics: 0.25 s collar, overlapping speech scored."""
    try:
        from pyannote.core import Annotation, Segment
        from pyannote.metrics.diarization import DiarizationErrorRate
    except ImportError:
        raise QAError("DER needs pyannote.metrics: pip install 'qa-toolkit[diarization]'") from None
    ref, hyp = Annotation(), Annotation()
    for start, end, speaker in reference:
        ref[Segment(start, end)] = ROLE_ALIASES.get(speaker, speaker)
    for start, end, speaker in hypothesis:
        if end > start:
            hyp[Segment(start, end), len(hyp)] = speaker
    metric = DiarizationErrorRate(collar=0.25, skip_overlap=False)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "uem approximated by the union of reference and hypothesis extents"
        parts = metric(ref, hyp, detailed=True)
    return {"der": float(parts["diarization error rate"]), "total": float(parts["total"]),
            "missed": float(parts["missed detection"]), "false_alarm": float(parts["false alarm"]),
            "confusion": float(parts["confusion"])}


def _labelled(turns: list[tuple[str, str]], norm: Callable[[str], str]) -> tuple[list[str], list[str]]:
    words, speakers = [], []
    for speaker, text in turns:
        for word in norm(text).split():
            words.append(word)
            speakers.append(speaker)
    return words, speakers


def _speaker_accuracy(ref_turns: list[tuple[str, str]], hyp_turns: list[tuple[str, str]],
                      norm: Callable[[str], str]) -> float | None:
    counts = role_accuracy(ref_turns, hyp_turns, norm)
    matched = sum(m for m, _ in counts.values())
    return sum(c for _, c in counts.values()) / matched if matched else None


def role_accuracy(ref_turns: list[tuple[str, str]], hyp_turns: list[tuple[str, str]],
                  norm: Callable[[str], str] = normalize) -> dict[str, tuple[int, int]]:
    """Per reference speaker: (reference words aligned to a hypothesis word, how many of those carry the
    same speaker). Alignment by jiwer over the whole call's words."""
    import jiwer

    ref_words, ref_speakers = _labelled(ref_turns, norm)
    hyp_words, hyp_speakers = _labelled(hyp_turns, norm)
    if not ref_words or not hyp_words:
        return {}
    out = jiwer.process_words(" ".join(ref_words), " ".join(hyp_words))
    counts: dict[str, list[int]] = {}
    for chunk in out.alignments[0]:
        if chunk.type in ("equal", "substitute"):
            for offset in range(chunk.ref_end_idx - chunk.ref_start_idx):
                who = ref_speakers[chunk.ref_start_idx + offset]
                tally = counts.setdefault(who, [0, 0])
                tally[0] += 1
                tally[1] += who == hyp_speakers[chunk.hyp_start_idx + offset]
    return {who: (m, c) for who, (m, c) in counts.items()}


def evaluate_files(references_path: str | Path, backend: Any, options: Any = None, *,
                   agent_channel: str = "left", diarize: bool = False,
                   on_file: Callable[[FileScore], None] | None = None, rehear: Any = None) -> Evaluation:
    """Transcribe every file named in a references file (paths relative to it) and score it; mono calls are
    diarized when ``diarize`` is on (``rehear``: see :func:`qa_toolkit.transcribe.pipeline.transcribe_windows`).

    Raises:
        QAError: a referenced audio or RTTM file is missing or cannot be read.
    """
    from qa_toolkit.transcribe.audio import AudioError
    from qa_toolkit.transcribe.pipeline import transcribe_file

    references_path = Path(references_path)
    scores = []
    for name, reference in read_references(references_path).items():
        audio = references_path.parent / name
        if not audio.is_file():
            raise QAError(f"{references_path}: references[{name!r}]: no audio file at {audio}")
        rttm = reference.rttm or (audio.with_suffix(".rttm") if audio.with_suffix(".rttm").is_file() else None)
        if rttm is not None and not rttm.is_file():
            raise QAError(f"{references_path}: references[{name!r}].rttm: no file at {rttm}")
        try:
            transcript = transcribe_file(audio, backend, options, agent_channel=agent_channel,  # type: ignore[arg-type]
                                         diarize=diarize, rehear=rehear)
        except AudioError as exc:
            raise QAError(f"{audio}: {exc}") from None
        turns = [(t.speaker, t.text) for t in transcript.turns]
        has_speakers = transcript.channels == 2 or transcript.speakers is not None
        result = score(name, reference, " ".join(t for _, t in turns), turns if has_speakers else None)
        if rttm is not None and has_speakers:
            spoken = [(w.start, w.end, t.speaker) for t in transcript.turns for w in t.words]
            parts = diarization_error(read_rttm(rttm), spoken)
            result.der, result.der_parts = parts["der"], parts
        scores.append(result)
        if on_file:
            on_file(result)
    return Evaluation(scores)
