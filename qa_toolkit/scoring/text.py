"""Text matching for checks: normalisation, phrase lists with word boundaries, negation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from qa_toolkit.scoring import literals

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
NEGATORS = frozenset({
    "not", "no", "never", "don't", "dont", "doesn't", "didn't", "won't", "wouldn't", "can't", "cannot",
    "cant", "isn't", "wasn't", "aren't", "shouldn't", "couldn't", "haven't", "hasn't", "nobody", "nothing",
    "without", "neither", "nor", "ain't", "none",
})
_CLAUSE_BREAK = re.compile(r"[.,;:!?\u2014\u2013()]|\b(?:but|and|or|so|because|then|if|we|they|he|she)\b")
_WORD = re.compile(r"[\w']+")


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """Casefold, NFKC, straight apostrophes: what phrase patterns are matched against.

    Keeps the length of ASCII text unchanged so offsets still point into the original.
    """
    return unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()


class Phrases:
    """A phrase list and regexes compiled into one pattern: the phrases as a trie, then each regex, in order.

    :meth:`finditer` finds exactly what the whole pattern's ``finditer`` finds, faster: a regex whose needed words
    (:mod:`~qa_toolkit.scoring.literals`) a text does not hold cannot match there and is not tried, and the others
    are searched one by one and merged as the union would pick (the leftmost match; at the same start, the earlier
    alternative; the next search from its end). Where an alternative could match an empty string, a regex has no
    known needs, or the text has a character that matches an ASCII letter ignoring case, the whole pattern runs.
    """

    __slots__ = ("_parts", "_pattern", "_alternatives", "_needs", "_words", "_kept", "_always", "_by_word", "bit")

    def __init__(self, parts: list[str], needs: list[tuple[literals.Need, ...] | None], nonempty: int = 0) -> None:
        """``nonempty``: how many of the first parts are known to match no empty string (a phrase trie; not parsed
        again to find out)."""
        self._parts = parts
        self._pattern: re.Pattern[str] | None = None
        self._needs = needs
        self._words = frozenset(word for need in needs if need for group in need for word in group)
        # a part with needs matches no empty string (``literals.needs`` gives none then): only the others are parsed
        separate = bool(self._words) and all(need is not None or literals.width(part) > 0
                                             for part, need in zip(parts[nonempty:], needs[nonempty:]))
        # one alternative: the whole pattern (its needs still clear the list's bit where a text cannot match); each
        # alternative is compiled when a text first keeps it (most lists hold many that few texts ever need)
        self._alternatives: list[re.Pattern[str] | None] | None = ([None] * len(parts)
                                                                   if separate and len(parts) > 1 else None)
        self._kept: dict[frozenset[str], list[re.Pattern[str]]] = {}
        # which alternatives a set of present words can keep: those that need nothing, and by each word of an
        # alternative's first need, the alternatives it may keep (its other need is then checked)
        self._always = [i for i, need in enumerate(needs) if need is None]
        self._by_word: dict[str, list[int]] = {}
        for i, need in enumerate(needs):
            for word in need[0] if need else ():
                self._by_word.setdefault(word, []).append(i)
        literals.register(self._words)
        self.bit = _LISTS.add(self._by_word if separate and not self._always else None)

    @property
    def pattern(self) -> re.Pattern[str]:
        """The whole pattern (compiled on first use)."""
        if self._pattern is None:
            self._pattern = re.compile("|".join(self._parts) or r"(?!x)x", re.IGNORECASE)
        return self._pattern

    def finditer(self, norm: str) -> Iterator[re.Match[str]]:
        """Every match in ``norm`` (normalized text), as the whole pattern's ``finditer`` gives them."""
        if self._alternatives is None or (not norm.isascii() and literals.ASCII_ALIASES.search(norm)):
            return self.pattern.finditer(norm)
        present = literals.present(norm) & self._words
        kept = self._kept.get(present)
        if kept is None:
            kept = self._keep(present)
            if len(self._kept) < _KEPT:
                self._kept[present] = kept
        return _merged(kept, norm) if kept else _NONE

    def _keep(self, present: frozenset[str]) -> list[re.Pattern[str]]:
        """The alternatives, in order, that need nothing or whose every need has a word in ``present``."""
        by_word, needs = self._by_word, self._needs
        candidates = set(self._always)
        for word in present:
            candidates.update(by_word.get(word, ()))
        return [self._alternative(i) for i in sorted(candidates)
                if (need := needs[i]) is None or all(not group.isdisjoint(present) for group in need[1:])]

    def _alternative(self, i: int) -> re.Pattern[str]:
        """The ``i``-th part compiled on its own (on first use)."""
        alternatives = self._alternatives or []
        found = alternatives[i]
        if found is None:
            found = alternatives[i] = re.compile(self._parts[i], re.IGNORECASE)
        return found


_KEPT = 4096  # sets of present words remembered per phrase list


class _Lists:
    """Every compiled phrase list as one bit, and by each needed word the lists it may let match: one look at a text's
    present words (:func:`literals.present`, one pass) answers for every phrase list at once whether it can match
    there (those whose bit is clear cannot: no alternative's first need has a word in the text)."""

    def __init__(self) -> None:
        self.count = 0
        self.always = 0  # lists searched whatever the words (an alternative that needs nothing, or one pattern)
        self.by_word: dict[str, int] = {}

    def add(self, by_word: dict[str, list[int]] | None) -> int:
        """A new list's bit; ``by_word``: its alternatives by the words of their first needs (None: always)."""
        bit = 1 << self.count
        self.count += 1
        if by_word is None:
            self.always |= bit
        else:
            for word in by_word:
                self.by_word[word] = self.by_word.get(word, 0) | bit
        candidates.cache_clear()
        return bit


_LISTS = _Lists()


@lru_cache(maxsize=65536)
def candidates(norm: str) -> int:
    """The bits of the phrase lists that may match in ``norm`` (normalized text), from its present words; every bit
    where the text has a character that matches an ASCII letter ignoring case (the whole patterns then run)."""
    if not norm.isascii() and literals.ASCII_ALIASES.search(norm):
        return -1
    bits, by_word = _LISTS.always, _LISTS.by_word
    for word in literals.present(norm):
        bits |= by_word.get(word, 0)
    return bits
_NONE: Iterator[re.Match[str]] = iter(())  # no alternative can match (an exhausted iterator: shared)


def _merged(patterns: list[re.Pattern[str]], norm: str) -> Iterator[re.Match[str]]:
    """The matches of the union of ``patterns`` (none matches an empty string), from each one's own search."""
    if len(patterns) == 1:
        yield from patterns[0].finditer(norm)
        return
    upcoming = [pattern.search(norm) for pattern in patterns]
    position = 0
    while True:
        best = None
        for i, found in enumerate(upcoming):
            if found is not None and found.start() < position:
                found = upcoming[i] = patterns[i].search(norm, position)
            if found is not None and (best is None or found.start() < best.start()):
                best = found
        if best is None:
            return
        yield best
        position = best.end()


@lru_cache(maxsize=2048)
def _compile(phrases: tuple[str, ...], regexes: tuple[str, ...]) -> Phrases:
    """One :class:`Phrases` for a phrase list (one trie, whole words) and regexes, with each part's needed words."""
    words = sorted({" ".join(normalize(p).split()) for p in phrases if p.strip()})
    parts = [rf"(?<![\w'])(?:{literals.trie_pattern(words)})(?![\w'])"] if words else []
    needs: list[tuple[literals.Need, ...] | None] = [literals.phrase_needs(words)] if words else []
    trie = len(parts)
    parts += [f"(?:{r})" for r in regexes]
    needs += [literals.needs(r) for r in regexes]
    return Phrases(parts, needs, nonempty=trie if all(words) else 0)  # a trie of words of one character or more


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


_BY_IDENTITY: dict[tuple[int, int], tuple[object, object, Phrases]] = {}


def pattern_for(phrases: Iterable[str], regexes: Iterable[str] = ()) -> Phrases:
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
    if not candidates(normalize(text)) & pattern.bit:
        return iter(())
    return iter(_find(text, pattern, window))


@lru_cache(maxsize=65536)
def _find(text: str, pattern: Phrases, window: int) -> tuple[Match, ...]:
    """:func:`find` for a compiled pattern, remembered (checks that search a turn for the same words search once)."""
    norm = normalize(text)
    same = len(norm) == len(text)
    return tuple(Match(m.start(), m.end(), text[m.start():m.end()] if same else m.group(0),
                       is_negated(norm, m.start(), window)) for m in pattern.finditer(norm))


def may_match_within(text: str, phrases: Iterable[str], regexes: Iterable[str] = ()) -> bool:
    """False only when no piece of ``text`` (a sentence of a turn, any slice) can hold a match of the phrases or
    regexes: ``text`` is ASCII and holds none of the words the list's bit needs. A slice of an ASCII text holds a
    subset of its needed words (normalizing ASCII maps character by character), so a bit the whole text clears is
    clear in every slice, and :func:`first` or :func:`find` there return nothing: a check may skip them. Non-ASCII
    text: True (normalization may join characters across a slice's edge)."""
    pattern = pattern_for(phrases, regexes)
    return not text.isascii() or bool(candidates(normalize(text)) & pattern.bit)


def first(text: str, phrases: Iterable[str], regexes: Iterable[str] = (), *,
          allow_negated: bool = False) -> Match | None:
    """The first match that is not negated (or any, with ``allow_negated``), else None."""
    pattern = pattern_for(phrases, regexes)
    if not candidates(normalize(text)) & pattern.bit:
        return None
    return _first(text, pattern, allow_negated)


@lru_cache(maxsize=65536)
def _first(text: str, pattern: Phrases, allow_negated: bool) -> Match | None:
    """:func:`first` for a compiled pattern, remembered (a re-scored turn is not searched again; Match is frozen)."""
    norm = normalize(text)
    for m in pattern.finditer(norm):
        negated = is_negated(norm, m.start())
        if allow_negated or not negated:
            return Match(m.start(), m.end(), text[m.start():m.end()] if len(norm) == len(text) else m.group(0),
                         negated)
    return None
