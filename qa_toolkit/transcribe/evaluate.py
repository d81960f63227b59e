"""Word and character error rates against reference transcripts, with jiwer.

Normalisation (applied to reference and hypothesis alike, see :func:`normalize`):

1. lower-case; ``&`` → ``and``, ``%`` → ``percent``;
2. English contractions expanded (``it's`` → ``it is``, ``can't``/``cannot`` → ``can not``, ``n't`` → ``not``,
   ``'re`` → ``are``, ``'ll`` → ``will``, ``'ve`` → ``have``, ``'m`` → ``am``);
3. numbers written as words, digit by digit groups the way they are read (``4567`` → ``four thousand five
   hundred sixty seven``, ``1813`` → ``eighteen thirteen`` when it looks like a year, 1100–1999);
4. every other character that is not a letter, digit or space becomes a space (hyphens split words);
5. runs of spaces collapse to one.

Speaker attribution (two-channel calls whose reference has turns): reference and hypothesis words
are aligned by jiwer; of the reference words that have a counterpart (hit or substitution),
the share whose hypothesis word carries the same speaker.
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
    hypothesis: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


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
        }
        return {"overall": total, "files": [f.as_dict() for f in self.files]}


@dataclass
class Reference:
    """A reference transcript: its text and, for two-channel calls, its turns (speaker, text)."""

    text: str
    turns: list[tuple[str, str]] | None = None


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
            out[name] = Reference(text, pairs)
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
    accuracy = None
    if reference.turns and hypothesis_turns:
        accuracy = _speaker_accuracy(reference.turns, hypothesis_turns, norm)
    return FileScore(file, len(ref.split()), words.substitutions, words.deletions, words.insertions,
                     words.wer, chars.cer, accuracy, hypothesis)


def _labelled(turns: list[tuple[str, str]], norm: Callable[[str], str]) -> tuple[list[str], list[str]]:
    words, speakers = [], []
    for speaker, text in turns:
        for word in norm(text).split():
            words.append(word)
            speakers.append(speaker)
    return words, speakers


def _speaker_accuracy(ref_turns: list[tuple[str, str]], hyp_turns: list[tuple[str, str]],
                      norm: Callable[[str], str]) -> float | None:
    import jiwer

    ref_words, ref_speakers = _labelled(ref_turns, norm)
    hyp_words, hyp_speakers = _labelled(hyp_turns, norm)
    if not ref_words or not hyp_words:
        return None
    out = jiwer.process_words(" ".join(ref_words), " ".join(hyp_words))
    matched = correct = 0
    for chunk in out.alignments[0]:
        if chunk.type in ("equal", "substitute"):
            for offset in range(chunk.ref_end_idx - chunk.ref_start_idx):
                matched += 1
                correct += ref_speakers[chunk.ref_start_idx + offset] == hyp_speakers[chunk.hyp_start_idx + offset]
    return correct / matched if matched else None


def evaluate_files(references_path: str | Path, backend: Any, options: Any = None, *,
                   agent_channel: str = "left",
                   on_file: Callable[[FileScore], None] | None = None) -> Evaluation:
    """Transcribe every file named in a references file (paths relative to it) and score it.

    Raises:
        QAError: a referenced audio file is missing or cannot be transcribed.
    """
    from qa_toolkit.transcribe.audio import AudioError
    from qa_toolkit.transcribe.pipeline import transcribe_file

    references_path = Path(references_path)
    scores = []
    for name, reference in read_references(references_path).items():
        audio = references_path.parent / name
        if not audio.is_file():
            raise QAError(f"{references_path}: references[{name!r}]: no audio file at {audio}")
        try:
            transcript = transcribe_file(audio, backend, options, agent_channel=agent_channel)  # type: ignore[arg-type]
        except AudioError as exc:
            raise QAError(f"{audio}: {exc}") from None
        turns = [(t.speaker, t.text) for t in transcript.turns]
        result = score(name, reference, " ".join(t for _, t in turns),
                       turns if transcript.channels == 2 else None)
        scores.append(result)
        if on_file:
            on_file(result)
    return Evaluation(scores)
