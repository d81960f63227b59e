"""Phrase search: a phrase list and regexes searched with only the alternatives a text can match (text.Phrases)
finds exactly what the whole pattern finds, on every phrase list and regex of the shipped rubrics."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qa_toolkit.rubrics import load_rubric
from qa_toolkit.scoring import literals, text
from qa_toolkit.scoring.engine import ScoringPlan
from qa_toolkit.services.rubrics import resolve_file

LABELLED = Path(__file__).parent / "data" / "labelled"
# texts that meet the edge cases: a dotless ı or a long ſ (matched as i and s), capitals, curly quotes, non-ASCII
EDGES = (
    "I'll transfer you to our billing team now.", "ı'll transfer you", "I'LL TRANSFER YOU", "we've cancelled the card",
    "we’ve cancelled the card", "ſorry, that's your own fault", "ſpeaking", "Calm down — it's not rocket ſcience",
    "Take it DOWN a notch", "your employer will hear about it", "the bailiffs will come round", "Ｔransferring now.",
    "Kelvin: \u212aeep it down", "İ have refunded your account", "", "?", "thank youuu!!", "ok. blocked.",
)


def _pairs() -> set[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Every (phrases, regexes) pair the checks of the shipped rubrics search with."""
    pairs = set()
    for name in ("support-chat", "support-call", "collections-compliance"):
        for _, _, _, params in ScoringPlan(load_rubric(resolve_file(name)).rubric).steps:
            fields = {k: getattr(params, k) for k in type(params).model_fields}
            for key, value in fields.items():
                if key.endswith("regexes") and value:
                    phrases = fields.get(key.removesuffix("regexes") + "phrases") or ()
                    pairs.add((tuple(phrases), tuple(value)))
                    pairs.add(((), tuple(value)))
                elif key.endswith("phrases") and value:
                    pairs.add((tuple(value), ()))
    return pairs


def _texts() -> list[str]:
    found = list(EDGES)
    for path in (LABELLED / "chats_test2.jsonl", LABELLED / "chats_test3.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                found += [turn["text"] for turn in json.loads(line)["turns"]]
    return found


def test_the_search_finds_what_the_whole_pattern_finds() -> None:
    pairs = _pairs()
    assert len(pairs) >= 10
    norms = [text.normalize(t) for t in _texts()]
    assert len(norms) > 600
    compared = skipped = 0
    for phrases, regexes in pairs:
        compiled = text.pattern_for(phrases, regexes)
        needs = [literals.needs(r) for r in regexes]
        for norm in norms:
            whole = [m.span() for m in compiled.pattern.finditer(norm)]
            assert [m.span() for m in compiled.finditer(norm)] == whole, (norm, regexes)
            compared += len(regexes)
            skipped += sum(1 for need in needs if need and any(not any(w in norm for w in group) for group in need))
    assert skipped > compared // 2  # most regexes are not tried on most texts


def test_the_needed_word_index_finds_every_registered_word_a_text_holds() -> None:
    """literals.present (short words one by one, longer ones by a trie pass) is exactly ``{w for w in words if w in
    text}``, and each phrase list keeps, by its word index, exactly the regexes whose every need a text meets."""
    pairs = _pairs()
    compiled = [text.pattern_for(phrases, regexes) for phrases, regexes in pairs]
    words = frozenset(literals._INDEX.words)
    assert sum(len(w) < literals.SHORT for w in words) >= 10 and sum(len(w) >= literals.SHORT for w in words) > 300
    kept = 0
    for norm in [text.normalize(t) for t in _texts()]:
        present = literals.present(norm)
        assert present == frozenset(w for w in words if w in norm.lower()), norm
        for phrases in compiled:
            if phrases._alternatives is None:
                continue
            mine = present & phrases._words
            expected = [phrases._alternative(i) for i, need in enumerate(phrases._needs)
                        if need is None or all(not group.isdisjoint(mine) for group in need)]
            assert phrases._keep(mine) == expected, norm
            kept += len(expected)
    assert kept > 1000


def test_a_phrase_list_whose_bit_a_text_clears_finds_nothing_there() -> None:
    """text.candidates answers for every phrase list at once from a text's present words: a list whose bit is clear
    is not searched, so its whole pattern must find nothing there; most lists are cleared on most texts."""
    compiled = [text.pattern_for(phrases, regexes) for phrases, regexes in _pairs()]
    assert len({c.bit for c in compiled}) == len(compiled)
    cleared = total = 0
    for norm in [text.normalize(t) for t in _texts()]:
        bits = text.candidates(norm)
        for phrases in compiled:
            total += 1
            if not bits & phrases.bit:
                cleared += 1
                assert phrases.pattern.search(norm) is None, (norm, phrases._parts[:1])
    assert cleared > total // 2
    assert text.first("Thank you for calling Quillmart", ("thank you for calling",)) is not None
    assert text.first("Th\u0131s is it, thank you  for\tcalling", ("thank you for calling",)) is not None
    assert text.first("thank you", ("for calling",)) is None


@pytest.mark.parametrize(("regex", "needs"), [
    (r"\bnot\s+rocket\s+science\b", {frozenset({"science"}), frozenset({"rocket"})}),
    (r"\b(?:take|bring)\s+it\s+down\b", {frozenset({"down"}), frozenset({"take", "bring"})}),
    (r"\bcancell?ed\b", {frozenset({"cancel"}), frozenset({"ed"})}),
    (r"(?<=refund )done", {frozenset({"refund "}), frozenset({"done"})}),
    (r"(?<!no )refund", {frozenset({"refund"})}),  # a negative look-around needs nothing
    (r"\b(\w+) \1\b", None),  # a back-reference: always searched
    (r"\d+\s*[!?]{2,}", None),  # no literal word at all
    (r"(?:abc)?x", {frozenset({"x"})}),
    (r"café au lait", {frozenset({"caf"}), frozenset({" au lait"})}),  # letters outside ASCII are left out
])
def test_what_a_regex_needs(regex: str, needs: set[frozenset[str]] | None) -> None:
    found = literals.needs(regex)
    if needs is None:
        assert found is None
    else:
        assert found is not None and set(found) <= needs and len(found) == min(2, len(needs))


def test_letters_that_match_ascii_ignoring_case_are_the_known_four() -> None:
    """Which characters outside ASCII a case-insensitive ASCII pattern matches: a text with one is searched whole."""
    chars = "".join(chr(c) for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000)
    found = set(re.findall(r"(?i)[\x20-\x7e]", chars))
    assert found == {"\u0130", "\u0131", "\u017f", "\u212a"}
    assert all(literals.ASCII_ALIASES.match(c) for c in found)


def test_a_dotless_i_is_found_as_before() -> None:
    compiled = text.pattern_for((), (r"\bi\s+will\s+transfer\b", r"\bnever\b"))
    norm = text.normalize("ı will transfer you")
    assert [m.span() for m in compiled.finditer(norm)] == [m.span() for m in compiled.pattern.finditer(norm)] == [(0, 15)]
    assert [m.group(0) for m in compiled.finditer("never")] == ["never"]
    assert list(compiled.finditer("nothing here")) == []


def test_a_list_a_whole_ascii_turn_cannot_match_matches_in_no_slice_of_it() -> None:
    """text.may_match_within: where it says a turn cannot hold a list's match (an ASCII turn without the list's needed
    words), the list's whole pattern finds nothing in any sentence or other slice of it, so a check may skip the
    sentence-by-sentence search (hold etiquette's announcements); non-ASCII turns are never skipped."""
    from qa_toolkit.scoring import semantic

    compiled = [(phrases, regexes, text.pattern_for(phrases, regexes)) for phrases, regexes in _pairs()]
    turns = list(EDGES)
    for line in (LABELLED / "chats_dev.jsonl").read_text(encoding="utf-8").splitlines()[:300]:
        turns += [turn["text"] for turn in json.loads(line)["turns"]]
    skipped = total = 0
    for said in turns:
        slices = [said[s:e] for s, e in semantic.sentences(said)] + [said[i:] for i in range(0, len(said), 7)]
        for phrases, regexes, pattern in compiled:
            total += 1
            if text.may_match_within(said, phrases, regexes):
                continue
            skipped += 1
            assert said.isascii()
            for piece in slices:
                assert pattern.pattern.search(text.normalize(piece)) is None, (piece, regexes[:1])
                assert text.first(piece, phrases, regexes, allow_negated=True) is None
    assert skipped > total // 2  # most lists are skipped in most turns
    assert text.may_match_within("Please hold while I check.", ("hold on",), (r"\bwhile\s+i\s+check\b",))
    assert text.may_match_within("caf\u00e9 au lait", ("xyz",))  # non-ASCII: never skipped
    assert not text.may_match_within("thank you", ("for calling",))
