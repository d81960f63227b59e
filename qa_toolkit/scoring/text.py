"""Text matching for checks: normalisation, phrase lists with word boundaries, negation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
NEGATORS = frozenset({
    "not", "no", "never", "don't", "dont", "doesn't", "didn't", "won't", "wouldn't", "can't", "cannot",
    "cant", "isn't", "wasn't", "aren't", "shouldn't", "couldn't", "haven't", "hasn't", "nobody", "nothing",
    "without", "neither", "nor", "ain't",
})
_CLAUSE_BREAK = re.compile(r"[.,;:!?\u2014\u2013()]|\b(?:but|and|or|so|because|then|if|we|they|he|she)\b")
_WORD = re.compile(r"[\w']+")


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """Casefold, NFKC, straight apostrophes: what phrase patterns are matched against.

    Keeps the length of ASCII text unchanged so offsets still point into the original.
    """
    return unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()


def _trie_pattern(phrases: list[str]) -> str:
    """One regex for many literal phrases, as a trie (shared prefixes are tested once); spaces match any run
    of whitespace."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        ends = "" in node
        branches = [(r"\s+" if char == " " else re.escape(char)) + build(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return body + "?" if ends else body

    return build(trie)


@lru_cache(maxsize=2048)
def _compile(phrases: tuple[str, ...], regexes: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({" ".join(normalize(p).split()) for p in phrases if p.strip()})
    parts = [rf"(?<![\w'])(?:{_trie_pattern(words)})(?![\w'])"] if words else []
    parts += [f"(?:{r})" for r in regexes]
    return re.compile("|".join(parts) or r"(?!x)x", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Match:
    """A phrase found in a text: offsets, the matched words, and whether a negation precedes it."""

    start: int
    end: int
    text: str
    negated: bool


def is_negated(text: str, start: int, window: int = 3) -> bool:
    """True when one of the ``window`` words before ``start`` (same clause) is a negation."""
    before = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    words = _WORD.findall(before)[-window:]
    return any(w in NEGATORS or w.endswith("n't") for w in words)


_BY_IDENTITY: dict[tuple[int, int], tuple[object, object, re.Pattern[str]]] = {}


def pattern_for(phrases: Iterable[str], regexes: Iterable[str] = ()) -> re.Pattern[str]:
    """The compiled pattern of a phrase list and regexes (cached; the same tuples skip even the hashing)."""
    key = (id(phrases), id(regexes))
    hit = _BY_IDENTITY.get(key)
    if hit is not None and hit[0] is phrases and hit[1] is regexes:
        return hit[2]
    pattern = _compile(tuple(phrases), tuple(regexes))
    if isinstance(phrases, tuple) and isinstance(regexes, tuple) and len(_BY_IDENTITY) < 4096:
        _BY_IDENTITY[key] = (phrases, regexes, pattern)  # keeps the tuples alive, so their ids stay theirs
    return pattern


def find(text: str, phrases: Iterable[str], regexes: Iterable[str] = (), *, window: int = 3) -> Iterator[Match]:
    """Every match of the phrases (whole words, any spacing, case-insensitive) or regexes in ``text``.

    ``window``: how many words before a match are searched for a negation (same clause only).
    """
    pattern = pattern_for(phrases, regexes)
    norm = normalize(text)
    for m in pattern.finditer(norm):
        yield Match(m.start(), m.end(), text[m.start():m.end()] if len(norm) == len(text) else m.group(0),
                    is_negated(norm, m.start(), window))


def first(text: str, phrases: Iterable[str], regexes: Iterable[str] = (), *,
          allow_negated: bool = False) -> Match | None:
    """The first match that is not negated (or any, with ``allow_negated``), else None."""
    return _first(text, pattern_for(phrases, regexes), allow_negated)


@lru_cache(maxsize=65536)
def _first(text: str, pattern: re.Pattern[str], allow_negated: bool) -> Match | None:
    """:func:`first` for a compiled pattern, remembered (a re-scored turn is not searched again; Match is frozen)."""
    norm = normalize(text)
    for m in pattern.finditer(norm):
        negated = is_negated(norm, m.start())
        if allow_negated or not negated:
            return Match(m.start(), m.end(), text[m.start():m.end()] if len(norm) == len(text) else m.group(0),
                         negated)
    return None
