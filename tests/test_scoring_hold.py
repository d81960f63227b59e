"""Hold etiquette (asked before the wait, thanked after) and the call response gap (from the end of the
customer's turn)."""

from __future__ import annotations

from qa_toolkit.scoring.checks import get_check
from qa_toolkit.scoring.view import InteractionView, TurnView


def chat(*turns: tuple[str, str]) -> InteractionView:
    return InteractionView("h", "chat", tuple(TurnView(i, s, t) for i, (s, t) in enumerate(turns)))


def test_announced_hold_and_thanks_pass() -> None:
    result = get_check("hold_etiquette")(chat(
        ("customer", "where's my parcel"),
        ("agent", "Let me place you on a brief hold while I check with the courier."),
        ("agent", "Thanks so much for waiting! It's out for delivery today.")))
    assert result.status == "pass"
    assert [e.quote for e in result.evidence] == ["place you on a brief hold", "Thanks so much for waiting"]


def test_hold_without_thanks_fails_and_no_hold_is_na() -> None:
    check = get_check("hold_etiquette")
    missing = check(chat(("customer", "refund?"), ("agent", "Bear with me a moment."),
                         ("agent", "It went out on Monday.")))
    assert missing.status == "fail" and "no thanks for waiting after the hold in turn 1" in missing.message
    unasked = check(chat(("customer", "refund?"), ("agent", "Sorry for the wait, it went out on Monday.")))
    assert unasked.status == "fail" and "without asking first" in unasked.message
    assert check(chat(("customer", "hi"), ("agent", "Hello! It went out on Monday."))).status == "na"


def test_unannounced_silence_in_the_stored_timing_block_fails() -> None:
    turns = (TurnView(0, "customer", "Can you check my bill?", 0.0, 2.0),
             TurnView(1, "agent", "Sure.", 2.5, 3.0),
             TurnView(2, "agent", "Thanks for holding, it's fixed.", 40.0, 42.0))
    view = InteractionView("c", "call", turns, meta={"timing": {"holds": [[3.0, 40.0]]}})
    result = get_check("hold_etiquette")(view)
    assert result.status == "fail" and "1 hold(s) not announced" in result.message


def test_call_response_gap_starts_when_the_customer_stops_talking() -> None:
    turns = (TurnView(0, "agent", "Hello, how can I help?", 0.0, 2.0),
             TurnView(1, "customer", "My card was declined at the shop this morning.", 3.0, 9.0),
             TurnView(2, "agent", "I'm sorry to hear that.", 12.5, 14.0))
    result = get_check("response_time")(InteractionView("c", "call", turns))
    assert result.measures["longest_wait_s"] == 3.5  # 12.5 - 9.0, not 12.5 - 3.0


def test_a_sentence_that_thanks_for_the_wait_announces_none() -> None:
    """"Apologies for the delay, one moment was more like five!" holds announcement words ("one moment"): it closes
    the wait, it does not start a new one that would need thanks of its own."""
    result = get_check("hold_etiquette")(chat(
        ("customer", "my card was charged twice"),
        ("agent", "Give me two ticks while I pull up Saturday's activity, hang on."),
        ("customer", "np"),
        ("agent", "Apologies for the delay, one moment was more like five! I've raised a dispute on the second one."),
        ("customer", "brilliant thanks"),
        ("agent", "Anything else today?")))
    assert result.status == "pass", result.message
