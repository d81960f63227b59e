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
    unasked = check(chat(("customer", "refund?"), ("agent", "Hello."), ("customer", "well?"),
                         ("agent", "Sorry for the wait, it went out on Monday.")))
    assert unasked.status == "fail" and "without asking first" in unasked.message
    assert check(chat(("customer", "hi"), ("agent", "Hello! It went out on Monday."))).status == "na"


def test_unannounced_silence_in_the_stored_timing_block_fails() -> None:
    turns = (TurnView(0, "customer", "Can you check my bill?", 0.0, 2.0),
             TurnView(1, "agent", "Sure.", 2.5, 3.0),
             TurnView(2, "agent", "Thanks for holding, it's fixed.", 40.0, 42.0))
    view = InteractionView("c", "call", turns, meta={"timing": {"holds": [[3.0, 40.0]]}})
    result = get_check("hold_etiquette")(view)
    assert result.status == "fail" and result.message == "hold at 3 s not announced"


def call(*turns: tuple[str, str, float, float], holds: list[list[float]]) -> InteractionView:
    return InteractionView("c", "call", tuple(TurnView(i, *t) for i, t in enumerate(turns)),
                           meta={"timing": {"holds": holds}})


def test_a_call_is_judged_hold_by_hold_from_its_timed_silences() -> None:
    """Found on the dev calls through tiny.en: each silence of the timing block is one hold; both need the
    announcement before and the thanks after."""
    check = get_check("hold_etiquette")
    both = call(("agent", "Would you mind staying on the line while I check?", 0.0, 3.0),
                ("customer", "Sure.", 3.2, 3.6),
                ("agent", "Thanks for hanging about. Found it.", 20.0, 22.0),
                ("agent", "One more thing, bear with me.", 23.0, 25.0),
                ("agent", "Right, it's booked.", 40.0, 42.0), holds=[[3.6, 20.0], [25.0, 40.0]])
    result = check(both)
    assert result.status == "fail" and result.message == "no thanks for waiting after the hold at 25 s"
    assert [e.quote for e in result.evidence] == ["mind staying on", "Thanks for hanging about",
                                                  "bear with me"]


def test_dead_air_and_a_wait_on_the_customers_side_are_no_hold() -> None:
    """An agent typing for a few seconds and a router rebooting are no hold (the calls' label definition): a
    silence the customer ends, or a short one neither announced nor thanked for, is left out."""
    check = get_check("hold_etiquette")
    typing = call(("agent", "Got it, you're flying on the 28th.", 0.0, 3.0), ("customer", "That's us.", 3.2, 4.0),
                  ("agent", "Right, the claim is in.", 13.0, 15.0), holds=[[4.0, 13.0]])
    assert check(typing).status == "na"
    router = call(("agent", "Switch the router off, and wait maybe one minute.", 0.0, 3.0),
                  ("customer", "Okay, it's back on.", 30.0, 32.0),
                  ("agent", "Very good.", 32.5, 33.0), holds=[[3.0, 30.0]])
    assert check(router).status == "na"
    music = call(("agent", "So your contract ends on Monday.", 0.0, 3.0), ("customer", "Okay.", 3.2, 4.0),
                 ("agent", "The best I can do is twenty-two a month.", 24.0, 27.0), holds=[[4.0, 24.0]])
    dropped = check(music)  # dropped into 20 s of hold music without a word
    assert dropped.status == "fail" and "not announced" in dropped.message and "no thanks" in dropped.message


def test_thanks_with_no_timed_wait_before_it_is_no_hold() -> None:
    result = get_check("hold_etiquette")(call(
        ("customer", "Can you explain the bill?", 0.0, 2.0),
        ("agent", "The fee is for the roaming day. Thanks for your patience today.", 2.5, 8.0), holds=[]))
    assert result.status == "na"


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


def test_music_in_a_silence_makes_it_a_hold_and_quiet_dead_air_does_not() -> None:
    """The timing block's sounds (qa_toolkit.transcribe.sounds): a short silence with hold music that the customer
    ends ("Hello? Are you still there?") is a hold, not announced; the same silence quiet is dead air."""
    check = get_check("hold_etiquette")
    turns = (("agent", "What's the booking reference?", 0.0, 2.0), ("customer", "N L three three nine.", 2.5, 4.5),
             ("customer", "Hello? Are you still there?", 12.0, 13.5),
             ("agent", "Sorry, yes. I've swapped the cabin.", 14.0, 16.0))
    view = call(*turns, holds=[[4.5, 12.0]])
    assert check(view).status == "na"
    for sound, status in (("music", "fail"), ("noise", "fail"), ("quiet", "na")):
        meta = {"timing": {"holds": [[4.5, 12.0]], "sounds": [
            {"start_s": 4.5, "end_s": 12.0, "sound": sound, "channel": "agent", "over_floor_db": 20.0}]}}
        result = check(InteractionView("c", "call", view.turns, meta=meta))
        assert result.status == status, sound
        if status == "fail":
            assert result.message == "hold at 4 s not announced; no thanks for waiting after the hold at 4 s"


def test_thanks_in_the_first_words_back_from_a_hold_count_however_misheard() -> None:
    """Through tiny.en (dev LC-D-155, LC-D-158, LC-D-171): "Appreciate the weight.", "Right, I'm back. I appreciate
    you sticking with these."; an apology eleven words on is for something else (dev LC-D-083's scripts)."""
    check = get_check("hold_etiquette")
    for back, status in (("Appreciate the weight. Your port had locked up.", "pass"),
                         ("Right, I'm back. I appreciate you sticking with these. She can see you at four.", "pass"),
                         ("Hello, I'm Claire, I look after the retentions floor. I'm sorry you were spoken to like "
                          "that.", "fail"),
                         ("Okay. They've got a green one in February.", "fail")):
        view = call(("agent", "Can you hold the line for me while I check?", 0.0, 3.0), ("customer", "Sure.", 3.2, 3.6),
                    ("agent", back, 12.0, 16.0), holds=[[3.6, 12.0]])
        result = check(view)
        assert result.status == status, (back, result.message)


def test_a_chat_thanks_with_no_wait_of_the_agents_before_it_is_no_hold() -> None:
    """The agent's first turn thanks for the queue, and an apology right after a complaint is for the problem
    (chatrest, dev ld-1261..1320); a silent minute and more before it is a wait thanked for but not announced."""
    from datetime import datetime, timedelta, timezone

    start = datetime(2027, 3, 22, 9, 0, tzinfo=timezone.utc)

    def timed(*turns: tuple[str, float, str]) -> InteractionView:
        return InteractionView("h", "chat", tuple(TurnView(i, s, t, at=start + timedelta(seconds=o))
                                                  for i, (s, o, t) in enumerate(turns)), started_at=start)

    check = get_check("hold_etiquette")
    assert check(chat(("customer", "refund?"), ("agent", "Thanks for your patience! It went out on Monday."))).status == "na"
    assert check(timed(("customer", 0, "skipped my box, still charged"), ("agent", 20, "Hi, Hannah here!"),
                       ("customer", 40, "so?"), ("agent", 60, "Ugh, sorry about that. Refunded."))).status == "na"
    silent = check(timed(("customer", 0, "billed for an MRI"), ("agent", 30, "Patient number?"),
                         ("customer", 50, "PT-1"), ("agent", 290, "Sorry for the wait! The claim is sent.")))
    assert silent.status == "fail" and "without asking first" in silent.message


def test_a_payment_put_on_hold_is_no_wait_and_a_tick_announces_one() -> None:
    check = get_check("hold_etiquette")
    held = check(chat(("customer", "charged 450 for a dent"),
                      ("agent", "I've put the 450 on hold so it isn't collected, a reviewer will call you."),
                      ("customer", "ok")))
    assert held.status == "na"
    tick = check(chat(("customer", "prescription late"), ("agent", "Let me look where it's got to, just a tick."),
                      ("agent", "Thanks for bearing with me. It's ready at 2.")))
    assert tick.status == "pass"

