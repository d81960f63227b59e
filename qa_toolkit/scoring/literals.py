"""The literal words a regex cannot match without, and which of them a text holds (to skip regexes that cannot match).

:func:`needs` reads a regex with the standard library's own parser and keeps only what is certain: literal runs,
groups and repeats (at least once) around them, positive look-arounds, and a branch when each of its ways needs a
word. A text that holds none of a need's words cannot match the regex, whatever the regex's other parts. Words are
ASCII and lower-cased, and a text is searched lower-cased: with case-insensitive patterns an ASCII letter matches
only itself in either case, except four characters outside ASCII (:data:`ASCII_ALIASES`), which a caller checks for.
"""

from __future__ import annotations

import re
import re._constants as _c  # the stdlib's regex parser (sre): the parsed form of a regex
import re._parser as _parser
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

Need = frozenset[str]  # one of these words occurs in every text the regex matches

# characters outside ASCII that a case-insensitive pattern matches to an ASCII letter (İ ı ſ K); tested in
# tests/test_scoring_text.py against every character
ASCII_ALIASES = re.compile("[\u0130\u0131\u017f\u212a]")
_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
_REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT)


def _sequence(items: Any) -> list[Need]:
    """The needs of a parsed sequence (each one holds for any match)."""
    needs: list[Need] = []
    run: list[str] = []

    def flush() -> None:
        for word in _NOT_ASCII.split("".join(run)):  # the ASCII pieces of a literal run, each needed
            if word:
                needs.append(frozenset({word.lower()}))
        run.clear()

    for op, av in items:
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        flush()
        if op is _c.SUBPATTERN:
            needs += _sequence(av[3])
        elif op is _c.ATOMIC_GROUP:
            needs += _sequence(av)
        elif op in _REPEATS and av[0] >= 1:
            needs += _sequence(av[2])
        elif op is _c.ASSERT:
            needs += _sequence(av[1])
        elif op is _c.BRANCH:
            ways = [_best(_sequence(way)) for way in av[1]]
            if all(ways):
                needs.append(frozenset().union(*ways))  # type: ignore[arg-type]
    flush()
    return needs


def phrase_needs(phrases: list[str]) -> tuple[Need, ...] | None:
    """The need of a phrase trie (:func:`trie_pattern`): each phrase's longest ASCII piece between spaces, one of which
    a text holds wherever the trie matches; None when a phrase has no ASCII piece (the trie is then always searched)."""
    pieces = [max(_NOT_ASCII.sub(" ", phrase).split(), key=len, default="") for phrase in phrases]
    return (frozenset(piece.lower() for piece in pieces),) if pieces and all(pieces) else None


def _best(needs: list[Need]) -> Need | None:
    """The most telling need: its shortest word the longest, then the fewest words."""
    return max(needs, key=lambda need: (min(map(len, need)), -len(need)), default=None)


def _walk(items: Any) -> Iterator[tuple[Any, Any]]:
    """Every (op, argument) of a parsed regex, nested ones too."""
    for op, av in items:
        yield op, av
        for value in (av if isinstance(av, (tuple, list)) else (av,)):
            if isinstance(value, _parser.SubPattern):
                yield from _walk(value.data)
            elif isinstance(value, list):
                for way in value:
                    if isinstance(way, _parser.SubPattern):
                        yield from _walk(way.data)


def trie_pattern(phrases: list[str], space: str = r"\s+") -> str:
    """One regex for many literal phrases, as a trie (shared prefixes are tested once); spaces match any run
    of whitespace (``space``)."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:  # type: ignore[type-arg]
        ends = "" in node
        branches = [(space if char == " " else re.escape(char)) + build(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 and not ends else "(?:" + "|".join(branches) + ")"
        return body + "?" if ends else body

    return build(trie)


def width(regex: str, flags: int = re.IGNORECASE) -> int:
    """The fewest characters ``regex`` can match (0 when it does not parse)."""
    try:
        return int(_parser.parse(regex, flags).getwidth()[0])
    except Exception:  # noqa: BLE001
        return 0


@lru_cache(maxsize=4096)
def needs(regex: str, flags: int = re.IGNORECASE) -> tuple[Need, ...] | None:
    """Up to two needs of ``regex``, the most telling first; None when it has none, can match an empty string, uses
    a group reference (a number that would change in another union) or does not parse."""
    try:
        parsed = _parser.parse(regex, flags)
        if parsed.getwidth()[0] == 0:
            return None
    except Exception:  # noqa: BLE001 - whatever the private parser makes of it, the regex is then always searched
        return None
    if any(op in (_c.GROUPREF, _c.GROUPREF_EXISTS) for op, _ in _walk(parsed.data)):
        return None
    found = sorted(set(_sequence(parsed.data)), key=lambda need: (-min(map(len, need)), len(need), sorted(need)))
    return tuple(found[:2]) or None


SHORT = 3  # needed words shorter than this are looked up one by one (``in``); the longer ones by one trie pass
SETTLED = 64  # look-ups with no new word after which words registered since are built into the trie


class _Index:
    """Which of every needed word registered so far a text holds. Words of :data:`SHORT` characters or more: one pass
    of a trie of them (at each position the longest word starting there, then those of its prefixes that are needed
    words too); shorter ones ("s", "?", "'d", "ok", "by"), which would stop that pass at nearly every character, are
    looked up in the text one by one. Words registered after the trie was built are looked up one by one too, until
    :data:`SETTLED` look-ups pass with no new word (phrase lists are compiled as the first interactions are scored):
    the trie is then built again once, not once per phrase list."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        self._seek: re.Pattern[str] | None = None
        self._short: tuple[str, ...] = ()
        self._prefixes: dict[str, frozenset[str]] = {}
        self._pending: tuple[str, ...] = ()  # registered since the trie was built
        self._quiet = 0  # look-ups since the last new word

    def add(self, words: Iterable[str]) -> None:
        """Register needed words; the new ones are looked up one by one until the trie is built again."""
        new = set(words) - self.words
        if new:
            self.words |= new
            self._pending += tuple(sorted(new))
            self._quiet = 0
            present.cache_clear()

    def present(self, hay: str) -> frozenset[str]:
        """The registered words that ``hay`` (lower-cased) holds."""
        if self._seek is None or (self._pending and self._quiet >= SETTLED):
            if not self.words:
                return frozenset()
            long = sorted(word for word in self.words if len(word) >= SHORT)
            self._short = tuple(sorted(word for word in self.words if len(word) < SHORT))
            self._seek = re.compile(f"(?=({trie_pattern(long, ' ')}))" if long else r"(?!x)x")
            self._prefixes = {word: frozenset(word[:i] for i in range(SHORT, len(word) + 1) if word[:i] in self.words)
                              for word in long}
            self._pending = ()
        self._quiet += 1
        found = {word for word in self._short if word in hay}
        if self._pending:
            found.update(word for word in self._pending if word in hay)
        prefixes = self._prefixes
        for word in set(self._seek.findall(hay)):
            found |= prefixes[word]
        return frozenset(found)


_INDEX = _Index()


def register(words: Iterable[str]) -> None:
    """Make these words known to :func:`present` (every compiled phrase list registers its needs' words)."""
    _INDEX.add(words)


@lru_cache(maxsize=65536)
def present(hay: str) -> frozenset[str]:
    """The registered words that occur in ``hay`` lower-cased, remembered per text (lower-cased only when not
    remembered): every phrase list searched in a turn shares one pass."""
    return _INDEX.present(hay.lower())
