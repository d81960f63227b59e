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
    # the seventh session's kinds (dev ld-1161..1210: rudeness in formal, polite or corporate words), in topics no dev
    # chat has
    ("Kindly read the renewal letter in full this time.", "exasperation"),
    ("Happy to go over the parking rules a fourth time.", "exasperation"),
    ("To put it in the simplest possible terms, the pool shuts at ten.", "belittle"),
    ("With all due respect, the allotment rules are written for adults.", "belittle"),
    ("Bless you for trying to fill in the permit form yourself.", "belittle"),
    ("Maybe ask your grandson to help with the library app.", "belittle"),
    ("Most of our members manage the locker app without any help.", "belittle"),
    ("The late fee follows from a failure to update the standing order.", "blame"),
    ("Irrelevant.", "indifference"),
    ("You may wish to find another supplier that can deliver on Sundays.", "indifference"),
    ("Congratulations, you have reserved the same tennis court twice.", "sarcasm"),
    ("It would be a pity if the neighbours saw our van outside every morning.", "threat"),
    ("It's only money, the season ticket will come back next year.", "minimise"),
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
    ("Look after that new knee and rest up.", ()),  # a well-wish, no order (sixth session)
    ("Your postcode BS3 1AA matches, thanks.", ("polite",)),
    ("It's not like that, the booking fee is the same for every show.", ()),  # a denial, nothing waved off
    ("My nan had the same boiler, they're reliable.", ()),  # an aside, no comparison
    ("The toddler seat is included with the car.", ()),
    ("Christmas opening hours are on the website.", ()),
    # the fault taken by the speaker or the company (seventh session), reassurance, plain uses of the new cues' words
    ("That one's on us, sorry, the parking permit went to the old address.", ("polite", "owned")),
    ("The locker jammed, not something you did.", ("owned",)),
    ("I'm not here to judge anyone's spending.", ("negated",)),
    ("Congratulations on the new allotment!", ()),
    ("Most customers find paying by direct debit easiest.", ()),
    ("Even a child's season ticket needs a photo.", ()),
    ("The adults' swimming lesson starts at seven.", ()),
])
def test_polite_quoted_and_plain_sentences_fire_no_rude_cue(sentence: str, found: tuple[str, ...]) -> None:
    assert tuple(c for c in tone.fired(sentence) if c != "addressed") == found and not tone.rude(sentence)


def test_the_vector_has_one_column_per_cue_asked_for() -> None:
    rows = tone.vector(["Deep breaths.", "Thanks for waiting."], ("order", "polite", "swearing"))
    assert rows.tolist() == [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]


def test_a_practice_statement_that_blames_the_customer_stays_rude() -> None:
    said = "We value customers who check the terms before they write in."
    assert "practice" in tone.fired(said) and tone.rude(said) == ("blame",)


def _union_fired(sentence: str) -> tuple[str, ...]:
    """The cues as one search of each cue's whole pattern (all its regexes in one alternation) finds them."""
    import re

    from qa_toolkit.scoring.text import normalize

    said = normalize(sentence).strip()
    return tuple(name for name, regexes in tone.CUES.items()
                 if re.search("|".join(f"(?:{r})" for r in regexes), said))


def test_cues_found_regex_by_regex_are_those_the_whole_patterns_find() -> None:
    """fired searches only the regexes whose needed words a sentence holds: exactly what each cue's whole pattern
    finds, on sentences that fire every cue, none, and the same shuffled, upper-cased and with curly apostrophes."""
    import random

    base = [
        "Maybe you should have checked the dates before paying.", "Deep breaths, then read my message again.",
        "It's only twelve quid, hardly the end of the world.", "Oh fantastic, another customer who can't 🙄",
        "Per my last three emails, the deadline was Friday.", "Keep this up and I'll close the ticket.",
        "I get landlords like you every week.", "The bloody portal logged you out again.", "ngl it is sh1t, sorry.",
        "For future reference, the code is on the receipt.", "*sigh* Fine, I'll resend it.", "Nope.",
        "You called us 'cowboys', and I can see why.", "I'm not going to tell you to wait it out.",
        "We aim to answer every letter within three working days.", "Nothing to pay until the new statement comes.",
        "The meter reading has five digits.", "That's on you.", "That's not on you.", "whatever", "k",
        "If a form is too hard, most people can manage it: s-l-o-w-l-y.", "We know where you work.",
        "Thank you so much, happy to help, no worries!", "Your fault, your problem, not my concern.",
        "My fault, not yours.", "With all due respect, even a child can read it a third time, more slowly.",
    ]
    rng = random.Random(15)
    sentences = list(base)
    for sentence in base:
        words = sentence.split()
        for _ in range(6):
            rng.shuffle(words)
            sentences.append(" ".join(words))
        sentences += [sentence.upper(), sentence.replace("'", "\u2019"), sentence.lower() + " lol"]
    fired = [tone.fired(s) for s in sentences]
    assert fired == [_union_fired(s) for s in sentences]
    assert {name for found in fired for name in found} == set(tone.NAMES)  # every cue fires somewhere
