"""Tone cues (qa_toolkit.scoring.tone): how a sentence speaks to the customer, read the same in any topic."""

from __future__ import annotations

import pytest

from qa_toolkit.scoring import tone


@pytest.mark.parametrize(("sentence", "cue"), [
    ("Maybe you should have checked the dates before paying.", "blame"),
    ("Deep breaths, then read my message again.", "order"),
    ("It's only twelve quid, hardly the end of the world.", "minimise"),
    ("Oh fantastic, another customer who can't find a button 🙄", "sarcasm"),
    ("Per my last three emails, the deadline was Friday.", "exasperation"),
    ("Honestly that's not something I'm going to lose sleep over.", "indifference"),
    ("Keep this up and I'll close the ticket without an answer.", "threat"),
    ("I get landlords like you every week.", "belittle"),
    ("The bloody portal logged you out again.", "swearing"),
    # the fourth session's kinds, in topics no dev chat has
    ("Ugh this f**king scanner jammed on your form.", "swearing"),
    ("ngl the new kiosk is sh1t, sorry.", "swearing"),
    ("Wtf, who set the alarm to 4am?", "swearing"),
    ("For future reference, the locker code is printed on the receipt.", "lecture"),
    ("Do read the welcome letter before contacting us again.", "lecture"),
    ("As previously advised, the pool shuts at nine.", "lecture"),
    ("Well done you, the kettle is plugged in.", "sarcasm"),
    ("Can't be bothered with the seat map today, pick at the gate.", "indifference"),
    ("Nope.", "indifference"),
    ("We'll take this very, very slowly.", "belittle"),
    ("Not exactly an emergency, a stuck gate.", "minimise"),
    ("*sigh* Fine, I'll resend it.", "exasperation"),
    # the fifth session's kinds (dev ld-0841..0890), in topics no dev chat has
    ("My grandad can manage a self-checkout and he's 88.", "belittle"),
    ("Toddlers can work a touchscreen, so the kiosk shouldn't be hard.", "belittle"),
    ("A week is loads of time for grown adults to return a library book.", "belittle"),
    ("It's not like the boat was new when you hired it.", "minimise"),
    ("Impressive, locking the keys in a rental twice in one week.", "sarcasm"),
    ("Dunno.", "indifference"),
    ("No idea, mate.", "indifference"),
    ("Jeez, the fare's printed on the ticket.", "swearing"),
])
def test_a_cue_reads_its_tone_in_a_topic_it_was_not_written_for(sentence: str, cue: str) -> None:
    assert cue in tone.fired(sentence), tone.fired(sentence)


@pytest.mark.parametrize(("sentence", "found"), [
    ("I'm sorry, a used ticket can't be refunded, but I can offer a voucher.", ("polite",)),
    ("You called us 'cowboys', and I can see why it feels that way.", ("polite", "quote")),
    ("I'm not going to tell you to wait it out.", ("negated",)),
    ("Your replacement card was posted on the 2nd, so you should have received it by now.", ()),
    ("The meter reading has five digits.", ()),
    ("We aim to answer every letter within three working days.", ("practice",)),  # the company's practice
    ("Nothing further for you to do; the engineer rings ahead.", ("practice",)),
    ("Nothing to pay until the new statement comes.", ("practice",)),
    ("You can add the parking pass in the app next time.", ()),  # a tip, no lecture
    ("My colleague should never have said that to you.", ("negated",)),  # a colleague's rudeness disowned
    ("If anyone tells you to queue again, they'd be wrong.", ("negated",)),  # a hypothetical one
    ("The scanner misread it, so that's not on you.", ("negated",)),
    ("The e-mail and the x-ray letter both went out on Monday.", ()),
    ("Your postcode BS3 1AA matches, thanks.", ("polite",)),
    ("It's not like that, the booking fee is the same for every show.", ()),  # a denial, nothing waved off
    ("My nan had the same boiler, they're reliable.", ()),  # an aside, no comparison
    ("The toddler seat is included with the car.", ()),
    ("Christmas opening hours are on the website.", ()),
])
def test_polite_quoted_and_plain_sentences_fire_no_rude_cue(sentence: str, found: tuple[str, ...]) -> None:
    assert tuple(c for c in tone.fired(sentence) if c != "addressed") == found and not tone.rude(sentence)


def test_the_vector_has_one_column_per_cue_asked_for() -> None:
    rows = tone.vector(["Deep breaths.", "Thanks for waiting."], ("order", "polite", "swearing"))
    assert rows.tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]


def test_a_practice_statement_that_blames_the_customer_stays_rude() -> None:
    said = "We value customers who check the terms before they write in."
    assert "practice" in tone.fired(said) and tone.rude(said) == ("blame",)
