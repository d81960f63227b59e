"""Phrases as speech recognition may have written them: a phrase list matched on a transcript by how its words sound.

tiny.en on a telephone line writes "thanks for calling" as "thanks for coming", "you're through to" as "you were
threw to", "anything else" as "any thing elves". Each word is reduced to a sound key (:func:`key`: consonants as
heard, voiced and unvoiced alike, vowels dropped after the first letter) and a phrase of two or more words matches a
window of the text's words whose keys are at least ``min_ratio`` similar (normalized edit distance, rapidfuzz) to the
phrase's. Short phrases ("hi", "bye") never match loosely: below ``min_chars`` letters a near miss is another word.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from qa_toolkit.scoring.text import Match, is_negated, normalize

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
# spelling to sound, in order: silent letters, digraphs, then the voiced consonant as its unvoiced pair
_SOUNDS = (
    (re.compile(r"'"), ""), (re.compile(r"^kn|^gn|^pn"), "n"), (re.compile(r"^wr"), "r"), (re.compile(r"^wh"), "w"),
    (re.compile(r"mb$"), "m"), (re.compile(r"gh(?![aeiou])"), ""), (re.compile(r"ph"), "f"), (re.compile(r"ck"), "k"),
    (re.compile(r"c(?=[eiy])"), "s"), (re.compile(r"sch"), "sk"), (re.compile(r"sh|ch|tch"), "x"),
    (re.compile(r"th"), "t"), (re.compile(r"dg"), "j"), (re.compile(r"[cq]"), "k"), (re.compile(r"x"), "ks"),
    (re.compile(r"z"), "s"), (re.compile(r"b"), "p"), (re.compile(r"d"), "t"), (re.compile(r"g"), "k"),
    (re.compile(r"v"), "f"),
)
_VOWELS = re.compile(r"(?<!^)[aeiouyhw]")
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def key(word: str) -> str:
    """A word's sound key: "calling" -> "klnk", "coming" -> "kmnk", "through" -> "tr", "threw" -> "tr"."""
    sound = word.casefold()
    for pattern, replacement in _SOUNDS:
        sound = pattern.sub(replacement, sound)
    return _REPEATS.sub(r"\1", _VOWELS.sub("", sound))


@lru_cache(maxsize=4096)
def _phrase_keys(phrases: tuple[str, ...], min_chars: int) -> tuple[tuple[str, ...], ...]:
    """The sound keys of each phrase long enough to be matched loosely (two or more words, ``min_chars`` letters)."""
    out = []
    for phrase in phrases:
        words = _WORD.findall(normalize(phrase))
        if len(words) >= 2 and sum(map(len, words)) >= min_chars:
            out.append(tuple(key(w) for w in words))
    return tuple(out)


def _sounds_like(heard: list[str], target: tuple[str, ...], word_ratio: float, joined_ratio: float) -> bool:
    """Word for word (as many words): every word's key at least ``word_ratio`` like the phrase's; a word split or two
    run together (one word more or fewer): the joined keys at least ``joined_ratio`` alike."""
    if len(heard) == len(target):
        return all(h == t or fuzz.ratio(h, t) >= word_ratio for h, t in zip(heard, target))
    return fuzz.ratio("".join(heard), "".join(target)) >= joined_ratio


def near(text: str, phrases: tuple[str, ...], *, word_ratio: float, joined_ratio: float, min_chars: int = 10,
         allow_negated: bool = False) -> Match | None:
    """The first window of ``text``'s words that sounds like one of ``phrases`` (each of two or more words and at
    least ``min_chars`` letters): the phrase's word count with each word's sound key at least ``word_ratio`` (0-100)
    like the phrase's, or one word more or fewer with the joined keys at least ``joined_ratio`` alike. Not negated
    unless ``allow_negated``."""
    candidates = _phrase_keys(phrases, min_chars)
    if not candidates:
        return None
    norm = normalize(text)
    words = list(_WORD.finditer(norm))
    keys = [key(m.group(0)) for m in words]
    for i in range(len(words)):
        for target in candidates:
            n = len(target)
            for size in (n, n - 1, n + 1):
                if size < 2 or i + size > len(words) or not _sounds_like(keys[i:i + size], target, word_ratio,
                                                                           joined_ratio):
                    continue
                start, end = words[i].start(), words[i + size - 1].end()
                negated = is_negated(norm, start)
                if negated and not allow_negated:
                    continue
                said = text[start:end] if len(norm) == len(text) else norm[start:end]
                return Match(start, end, said, negated)
    return None
