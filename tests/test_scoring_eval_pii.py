"""`qa score eval`: span precision and recall per PII type, for calls as for chats."""

from __future__ import annotations

from pathlib import Path

from qa_toolkit.scoring.evaluate import evaluate, read_labelled

CALLS = Path(__file__).resolve().parents[1] / "bench" / "data" / "spoken_pii" / "labelled_calls.jsonl"


def test_per_type_span_metrics_on_the_spoken_pii_calls(tmp_path: Path) -> None:
    """The scripted text of the spoken-PII call set (bench/spoken_pii.py, 362 calls with round 7's dev batch d7 and
    test batch t7, round 8's dev batch d8, round 9's d9, round 10's d10 and round 11's d11) but the t5, t6 and t7
    batches: every type read out in every style is found, and none of the calls full of amounts, dates, order and
    ticket numbers gets a span. (t5, 24 test calls written before round 5's changes, is measured in bench/results/spoken_pii_t5*.json,
    not held to 1.00 here: its reference text scores 0.82 / 0.95 after the changes; t6, 27 test calls by a new writer,
    in bench/results/spoken_pii_t6_frozen*.json; t7, 31 test calls by another new writer, in
    bench/results/spoken_pii_t7_before.json; d13, round 13's 12 dev calls for the re-decode of answers, in
    bench/results/spoken_pii_d10_d13_redecode_before.json: a code put right, "seven nine three, no, nine", is
    missed; d12, round 12's dev batch by a new writer, d14/d15, round 14's, d16/d17, round 16's, d18/d19, round 17's, and
    d20/d21, round 18's, in the tests below.)"""
    lines = CALLS.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 555
    kept = tmp_path / "calls.jsonl"
    unseen = tuple(f'"SP-{batch}-' for batch in ("t5", "t6", "t7", "d13", "d12", "d14", "d15", "d16", "d17", "d18",
                                                  "d19", "d20", "d21"))
    kept.write_text("\n".join(line for line in lines if not any(u in line for u in unseen)) + "\n", encoding="utf-8")
    (report,) = [r for r in evaluate(read_labelled(kept)) if r.label == "unredacted_pii"]
    by_type = report.metrics["by_type"]
    assert set(by_type) == {"card", "expiry", "cvv", "ssn", "phone", "email", "account"}
    assert {kind: (m["precision"], m["recall"]) for kind, m in by_type.items()} == {
        kind: (1.0, 1.0) for kind in by_type}
    assert by_type["card"]["spans_labelled"] == 192 and report.metrics["spans_labelled"] == 683
    # the only calls where found and labelled spans differ in number: a card read in halves with "uh" between
    # them is labelled as two spans and found as one (the "uh" with it)
    assert sorted(d["id"] for d in report.disagreements) == [
        f"SP-{batch}-card-0{n}" for batch in ("t3", "t4") for n in (2, 5, 8)]
    assert all(len(d["predicted"]) == len(d["expected"]) - 1 for d in report.disagreements)


def test_the_round_twelve_dev_batch_on_its_reference_text(tmp_path: Path) -> None:
    """d12 (21 calls by a new writer): every card, date, code and address found but one address piece (a customer adding
    digits to an address already given: "with a two four after gallo, sorry, before the at"); no span where none is
    labelled (web addresses, "at about five", version numbers, prices, an expiry said only as "end of next year")."""
    kept = tmp_path / "calls.jsonl"
    kept.write_text("\n".join(line for line in CALLS.read_text(encoding="utf-8").splitlines()
                              if '"SP-d12-' in line) + "\n", encoding="utf-8")
    (report,) = [r for r in evaluate(read_labelled(kept)) if r.label == "unredacted_pii"]
    by_type = report.metrics["by_type"]
    assert {kind: (m["precision"], m["recall"], m["spans_labelled"]) for kind, m in by_type.items()
            if m["spans_labelled"]} == {"card": (1.0, 1.0, 6), "expiry": (1.0, 1.0, 6), "cvv": (1.0, 1.0, 6),
                                        "email": (1.0, 0.9412, 17)}
    assert [d["id"] for d in report.disagreements] == ["SP-d12-mail-11"]


def test_per_type_span_metrics_on_chats(tmp_path: Path) -> None:
    path = tmp_path / "chats.jsonl"
    path.write_text(
        '{"id": "c1", "agent": {"id": "a"}, "turns": [{"speaker": "customer", "text": "card 4111 1111 1111 1111, '
        'mail jo@example.com"}], "labels": {"unredacted_pii": [{"type": "card", "turn": 0, "text": '
        '"4111 1111 1111 1111"}, {"type": "phone", "turn": 0, "text": "jo@example.com"}]}}\n')
    (report,) = evaluate(read_labelled(path))
    by_type = report.metrics["by_type"]
    assert by_type["card"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "spans_found": 1, "spans_labelled": 1}
    assert by_type["email"]["precision"] == 0.0 and by_type["phone"]["recall"] == 0.0


def test_the_round_fourteen_dev_batches_on_their_reference_text(tmp_path: Path) -> None:
    """d14 and d15 (40 calls by a new writer, numbers read over a bad line, calls shaped like real ones and calls of
    numbers that are no PII): every card, date, code and SSN found (a group said back by the agent, a number cut off
    and said again, "the SSN on the account", "good till" included), and since round 17 a phone asked for as "which
    number should we have on file?"; missed: a surname spelled after "can you spell the name part?"; a card's piece too
    many where "the
    old one" after an old card runs into the new card's digits. No span in the calls of numbers that are no PII (a
    toll-free line, a case number read like a social, a promo code, a model number)."""
    kept = tmp_path / "calls.jsonl"
    kept.write_text("\n".join(line for line in CALLS.read_text(encoding="utf-8").splitlines()
                              if '"SP-d14-' in line or '"SP-d15-' in line) + "\n", encoding="utf-8")
    (report,) = [r for r in evaluate(read_labelled(kept)) if r.label == "unredacted_pii"]
    by_type = report.metrics["by_type"]
    assert {kind: (m["precision"], m["recall"], m["spans_labelled"]) for kind, m in by_type.items()
            if m["spans_labelled"]} == {"card": (0.9333, 1.0, 30), "expiry": (1.0, 1.0, 14), "cvv": (1.0, 1.0, 12),
                                        "ssn": (1.0, 1.0, 10), "phone": (1.0, 1.0, 14), "email": (1.0, 0.8889, 9)}
    assert not any(d["id"].startswith("SP-d15-fp-") for d in report.disagreements)


def test_the_round_sixteen_dev_batches_on_their_reference_text(tmp_path: Path) -> None:
    """d16 and d17 (40 calls by a new writer: hesitations and slips inside numbers, the agent saying groups back,
    cards rattled off, asides in a shop; calls of numbers and addresses that are no PII): every span found, none where
    none is labelled (round 16: cards 0.70, e-mail 0.91, expiry precision 0.91). Round 17 found the three it missed: a
    card group the agent says back with one digit heard wrong ("two four three nine?": a question of digits asks for no
    other number) and the customer says again whole ("No, 2438": counted once, 16 digits, not 20), "the last four are
    9605, not 9615" after "and the expiry?" (a group of the card just given, put right: the card's), "b t internet dot
    com". No span in the calls of numbers that are no PII ("looking at gmail dot com", "logged in at outlook dot com",
    an order number with a slip, the firm's own line). Where found and labelled spans differ in number only: a card
    with "sorry, excuse me" inside it found whole for the labels' two, "9605, not 9615" found as two for one."""
    kept = tmp_path / "calls.jsonl"
    kept.write_text("\n".join(line for line in CALLS.read_text(encoding="utf-8").splitlines()
                              if '"SP-d16-' in line or '"SP-d17-' in line) + "\n", encoding="utf-8")
    (report,) = [r for r in evaluate(read_labelled(kept)) if r.label == "unredacted_pii"]
    by_type = report.metrics["by_type"]
    assert {kind: (m["precision"], m["recall"], m["spans_labelled"]) for kind, m in by_type.items()
            if m["spans_labelled"]} == {"card": (1.0, 1.0, 27), "expiry": (1.0, 1.0, 10), "cvv": (1.0, 1.0, 12),
                                        "ssn": (1.0, 1.0, 12), "phone": (1.0, 1.0, 16), "email": (1.0, 1.0, 11)}
    assert sorted(d["id"] for d in report.disagreements) == ["SP-d16-card-04", "SP-d17-real-01", "SP-d17-real-06"]


def test_the_round_seventeen_dev_batches_on_their_reference_text(tmp_path: Path) -> None:
    """d18 and d19 (40 calls by a new writer: cards with restarts, slips and read-backs, pairs and hundreds mixed, SSNs
    and phones in other rhythms, UK mobiles, addresses with underscore, hyphen, dash and country-code domains; calls of
    numbers that are no PII: freephone, "0333" and "1 800" lines, a claim reference shaped like a social, an order
    number failing Luhn, web addresses). As they were (main 9013918): 0.94 / 0.94; now every span found and none
    where none is labelled. Where found and labelled spans differ in number only: a restart found as one span with
    the number said again, a group put right found as two pieces."""
    kept = tmp_path / "calls.jsonl"
    kept.write_text("\n".join(line for line in CALLS.read_text(encoding="utf-8").splitlines()
                              if '"SP-d18-' in line or '"SP-d19-' in line) + "\n", encoding="utf-8")
    (report,) = [r for r in evaluate(read_labelled(kept)) if r.label == "unredacted_pii"]
    by_type = report.metrics["by_type"]
    assert {kind: (m["precision"], m["recall"], m["spans_labelled"]) for kind, m in by_type.items()
            if m["spans_labelled"]} == {"card": (1.0, 1.0, 19), "expiry": (1.0, 1.0, 10), "cvv": (1.0, 1.0, 8),
                                        "ssn": (1.0, 1.0, 10), "phone": (1.0, 1.0, 11), "email": (1.0, 1.0, 12)}
    assert sorted(d["id"] for d in report.disagreements) == ["SP-d18-card-01", "SP-d18-card-03"]
    assert not any(d["id"].startswith("SP-d19-fp-") for d in report.disagreements)

def test_the_round_eighteen_dev_batches_on_their_reference_text(tmp_path: Path) -> None:
    """d20 and d21 (40 calls by a new writer: cards, SSNs and phones read fast with "like", "you know", "let me just"
    inside, in groups of two, three and four mixed, with corrections; e-mail addresses spelled with "as in", "double",
    "dash", "underscore"; personal data beside amounts, order and invoice numbers; calls of numbers that are no PII).
    As they were (main 0b602cf): 0.95 / 0.90. Now: the fillers are pauses, "o as in oscar" and "double n" are an
    address's letters, "proton mail" its provider, a phone's group put right after the fact ("the end's 4084, not
    4089") is the phone's, and a date beside a card's group put right stays a date. Still missed: an SSN's last four
    said again after "the last four again?" (read on into the number, 13 digits), a spelled local part ended by
    "underscore..." with the agent's "Underscore, yep." before the rest; an invoice number said before the card is
    read into it (the card's one false span)."""
    kept = tmp_path / "calls.jsonl"
    kept.write_text("\n".join(line for line in CALLS.read_text(encoding="utf-8").splitlines()
                              if '"SP-d20-' in line or '"SP-d21-' in line) + "\n", encoding="utf-8")
    (report,) = [r for r in evaluate(read_labelled(kept)) if r.label == "unredacted_pii"]
    by_type = report.metrics["by_type"]
    assert {kind: (m["precision"], m["recall"], m["spans_labelled"]) for kind, m in by_type.items()
            if m["spans_labelled"]} == {"card": (0.9524, 1.0, 19), "expiry": (1.0, 1.0, 10), "cvv": (1.0, 1.0, 10),
                                        "ssn": (1.0, 0.8889, 9), "phone": (1.0, 1.0, 12), "email": (1.0, 0.8889, 9)}
    assert not any(d["id"].startswith("SP-d21-fp-") for d in report.disagreements)
