"""Mono calls: the role model's cues (what marks a voice as the agent or the caller) and its decision."""

from __future__ import annotations

import numpy as np
import pytest

from qa_toolkit.transcribe import role_cues
from qa_toolkit.transcribe.backend import Word
from qa_toolkit.transcribe.diarize import Diarization, SpeakerSegment
from qa_toolkit.transcribe.speakers import (
    SpeakerHints,
    assign_roles,
    attribute,
    pair_inputs,
    role_inputs,
    words_to_speakers,
)


def _call(*turns: tuple[int, str]) -> tuple[list[Word], Diarization]:
    """Words of each (speaker, text) turn, 0.3 s a word, 0.5 s between turns, and a diarization that knows them."""
    words, segments, t = [], [], 0.0
    for speaker, text in turns:
        start = t
        for w in text.split():
            words.append(Word(t, t + 0.27, w, 1.0))
            t += 0.3
        segments.append(SpeakerSegment(start, t, speaker))
        t += 0.5
    voices = {k: np.eye(8)[k] for k in {s for s, _ in turns}}
    return words, Diarization(segments, voices)


def test_cues_count_asks_service_and_the_callers_own_story() -> None:
    agent = role_cues.cues("Can I take the policy number? Bear with me. I'll book the engineer, you'll get a text.")
    caller = role_cues.cues("I've been waiting a month and nobody came. I paid on Monday. It's four four one nine.")
    assert (agent.asks, agent.service, agent.own_story) == (1, 3, 0)
    assert (caller.asks, caller.service, caller.own_story) == (0, 0, 3)


def test_a_whisper_loop_counts_once() -> None:
    looped = role_cues.cues("Sorry about that. " * 6 + "Sorry about the wait.")
    assert looped.service == 2
    assert role_cues.clauses("It's limited. It's limited, it's limited! Bye.") == ["it's limited", "bye"]


def test_inputs_are_clipped_and_mirror_when_the_speakers_swap() -> None:
    a = "can I take your postcode, and your date of birth, and the account number, and the reference, what's the name"
    b = "I paid, I rang, I want it fixed, my meter is broken, nobody told me, I've been waiting"
    inputs = pair_inputs(a, b)
    assert inputs["asks"] == role_cues.CLIP and inputs["own_story"] == -role_cues.CLIP
    assert inputs["address"] > 1.0
    mirrored = pair_inputs(b, a)
    assert all(mirrored[k] == pytest.approx(-v) for k, v in inputs.items())


def test_the_model_decides_a_call_no_stock_phrase_decides() -> None:
    words, diar = _call(
        (1, "Parkview council tax Greg"),
        (2, "hello I had a letter saying I owe two hundred but I moved out in March and nobody told me anything"),
        (1, "right can I take the account number at the top of the letter"),
        (2, "it is six one zero zero four seven three"),
        (1, "and your full name and the new address please"),
        (2, "Janet Hughes fourteen Linden Road I paid every bill until I moved"),
        (1, "bear with me I'll put some music on while I check with billing"),
        (1, "so if you forward the email you'll get the two hundred cancelled"),
        (2, "fine I'll do it tonight"))
    owners = words_to_speakers(words, diar)
    pair = role_inputs(words, owners)
    assert pair is not None and pair[:2] == (1, 2)  # the two who say most, the one who says most first
    assert role_cues.agent_log_odds(pair[2]) > 2.5  # far on the agent side for speaker 1
    result = assign_roles(words, owners, diar)
    assert not result.needs_review and result.roles == {1: "agent", 2: "customer"}
    assert any("role model" in line for line in result.evidence)


def test_the_model_against_the_metadata_hint_is_flagged_not_guessed() -> None:
    words, diar = _call(
        (1, "hi I want to know why my bill went up I paid it on Monday and nobody told me about the change"),
        (2, "can I take the account number and your date of birth please"),
        (1, "it's four four one nine and the ninth of May"),
        (2, "thanks bear with me I'll check that you'll get a letter with the new amount"))
    owners = words_to_speakers(words, diar)
    plain = assign_roles(words, owners, diar)
    assert plain.roles == {1: "customer", 2: "agent"} and not plain.needs_review
    wrong_hint = assign_roles(words, owners, diar, SpeakerHints(first_speaker="agent"))
    assert wrong_hint.needs_review and set(wrong_hint.roles.values()) == {"unknown"}


def test_an_ivr_prompt_first_is_not_the_agent_but_a_first_agent_before_a_transfer_is() -> None:
    ivr = (1, "thank you for calling please hold while we find an adviser")
    story = [(2, "hi Callum here what's happened"),
             (3, "my direct debit went up from sixty to a hundred and ten and nobody told me why I paid every month"),
             (2, "can I take your postcode and the first line of the address"),
             (3, "it's G four one three L P twelve Ashgrove Terrace"),
             (2, "thanks bear with me you'll get a new bill and I'll refund the difference")]
    words, diar = _call(ivr, *story)
    result = assign_roles(words, words_to_speakers(words, diar), diar)
    assert result.roles == {1: "other", 2: "agent", 3: "customer"} and not result.needs_review
    transfer = [(4, "hi Raj speaking I've got your booking here let me have a look I'll send the new voucher"),
                (3, "thank you I want it before Friday because we fly then"),
                (4, "you'll get it in ten minutes and I'll email the hotel too no problem")]
    words, diar = _call(*story, *transfer)
    result = assign_roles(words, words_to_speakers(words, diar), diar)
    assert result.roles == {2: "agent", 3: "customer", 4: "agent_2"}


def test_a_voice_that_answered_before_the_staff_voice_named_is_a_doubt_not_a_silent_agent_2() -> None:
    # LC-D-064 through tiny.en: the agent's own staff cues are misheard ("stay in the line"), their team lead's are not
    words, diar = _call(
        (1, "hey Stackline support how are you going today"),
        (2, "I've lost my phone and I can't get past two factor this is driving me mad my whole team is blocked"),
        (1, "we're having two factor leads my team leads you stay in the line for me"),
        (3, "hi there Nina team lead I just emailed you a six digit code what does it say"),
        (2, "seven one four two nine nine"),
        (3, "that's it two factor reset on your account you'll get a link by email anything else"),
        (2, "no that's it thanks"))
    owners = words_to_speakers(words, diar)
    result = assign_roles(words, owners, diar)
    assert result.needs_review and result.roles[2] == "customer"
    assert "speaker 1 answered the call before the agent named (speaker 3)" in (result.reason or "")


def test_an_agent_voice_that_also_tells_the_callers_story_is_flagged() -> None:
    # LC-D-053 through tiny.en: the customer and the team lead in one voice, the agent's greeting lost
    words, diar = _call(
        (1, "your charger took my payment and my car is not charging this is a nightmare"),
        (2, "which charger number is it"),
        (1, "I need somebody senior please I've been waiting here an hour"),
        (2, "fine hold on"),
        (1, "thanks for waiting I'm so sorry about that bear with me I'll refund the payment you'll get a text"))
    owners = words_to_speakers(words, diar)
    result = assign_roles(words, owners, diar)
    assert result.roles == {1: "agent", 2: "customer"} and not result.needs_review  # the model alone is fooled
    grouped, flagged = attribute(words, diar)
    assert flagged.needs_review and flagged.roles == {1: "agent", 2: "customer"}
    assert "the agent (speaker 1) also tells a caller's own story" in (flagged.reason or "")


# round 11: a decision needs the evidence to agree, or the words far enough alone (calibrated on 77 dev mono calls)
_OUTBOUND = [
    (1, "hello accounts"),
    (2, "hi there this is Rosa from Fenwick Hire I'm ringing about our invoice for the scaffold tower it's overdue"),
    (1, "oh okay do you have the invoice number so I can look it up"),
    (2, "F H two zero four four"),
    (1, "bear with me I can see it it's waiting for sign off let me check with the site manager"),
    (1, "thanks for waiting he's approved it you'll get it in Thursday's payment run no problem"),
    (2, "Thursday's great could you email the remittance when it goes"),
    (1, "yes I'll send it once the run's done sorry it's late"),
    (2, "thanks for sorting it bye now")]


def test_a_customer_who_introduces_themselves_from_a_business_is_not_decided_by_words_alone() -> None:
    # LC-D-091: an accounts clerk answers an outbound call and talks like staff; the agent introduces herself
    words, diar = _call(*_OUTBOUND)
    owners = words_to_speakers(words, diar)
    alone = assign_roles(words, owners, diar)
    assert alone.needs_review and set(alone.roles.values()) == {"unknown"}
    assert "introduces themselves from an organisation ('this is rosa from fenwick')" in " ".join(alone.evidence)
    # the metadata says the customer answered: it names speaker 2, the words speaker 1: flagged, never guessed
    hinted = assign_roles(words, owners, diar, SpeakerHints(first_speaker="customer"))
    assert hinted.needs_review and "the evidence disagrees" in (hinted.reason or "")
    # an inbound business caller (LC-D-082's kind) with the metadata agreeing is decided: 0.3 and 0.55 → 0.685
    inbound = [(2, "orders"), *[(2 if k == 1 else 1, text) for k, text in _OUTBOUND[1:]]]
    words, diar = _call(*inbound)
    owners = words_to_speakers(words, diar)
    assert assign_roles(words, owners, diar).needs_review
    agreed = assign_roles(words, owners, diar, SpeakerHints(first_speaker="agent"))
    assert not agreed.needs_review and agreed.roles == {2: "agent", 1: "customer"}
    assert agreed.confidence == pytest.approx(1 - 0.7 * 0.45)


def _voices_near(first: float, second: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit voices u1, u2 and an enrolled voice v with v·u1 = ``first`` and v·u2 = ``second`` (u1·u2 = 0.9)."""
    u1, u2 = np.array([1.0, 0.0, 0.0]), np.array([0.9, np.sqrt(1 - 0.81), 0.0])
    y = (second - 0.9 * first) / u2[1]
    return u1, u2, np.array([first, y, np.sqrt(1 - first ** 2 - y ** 2)])


def test_a_weak_witness_against_a_strong_one_is_flagged_not_outvoted() -> None:
    words, diar = _call(
        (1, "morning Eastmere Water Femi speaking how can I help"),
        (2, "my bill has come in at double and I'd like to know why I paid every month"),
        (1, "sure can I take the first line of the address and the postcode please"),
        (2, "four Larch Close E H nine one P L"),
        (1, "thanks bear with me you'll get a letter and I'll refund the difference anything else"))
    u1, u2, enrolled = _voices_near(0.93, 0.95)  # the enrolled voice leans to speaker 2 by 0.02: confidence 0.2
    diar = Diarization(diar.segments, {1: u1, 2: u2})
    owners = words_to_speakers(words, diar)
    assert not assign_roles(words, owners, diar).needs_review  # the words alone: speaker 1, far enough
    result = assign_roles(words, owners, diar, SpeakerHints(agent_voice=enrolled))
    assert result.needs_review and set(result.roles.values()) == {"unknown"}  # 0.9 x 0.8 = 0.72 decided before
    assert "the evidence disagrees: speaker 1" in (result.reason or "")


def test_the_first_speaker_hint_skips_an_opening_prompt_and_a_caller_like_colleague_voice_is_no_agent_2() -> None:
    # LC-D-051, 057: an IVR speaks first; the agent's line says first_speaker: agent
    words, diar = _call(
        (1, "you're through to Fixwell home repairs connecting you to the next free advisor"),
        (2, "hi there you've got Callum what's gone wrong"),
        (3, "your engineer was meant to come about my boiler today I took a day off and nobody came"),
        (2, "I'm sorry about that can I take the first line of the address and the postcode"),
        (3, "twelve Mercer Street"),
        (2, "thanks I've booked you first slot Thursday you'll get a text"))
    owners = words_to_speakers(words, diar)
    hinted = assign_roles(words, owners, diar, SpeakerHints(first_speaker="agent"))
    assert not hinted.needs_review and hinted.roles == {1: "other", 2: "agent", 3: "customer"}
    assert any("speaker 1 is a recorded prompt" in line for line in hinted.evidence)
    # the customer's voice sounds like another enrolled agent's (LC-D-088: two near piper voices): words decide
    voiced = assign_roles(words, owners, diar, SpeakerHints(agent_voice=diar.voices[2],
                                                            other_agent_voices={"a-101": diar.voices[3]}))
    assert voiced.roles == {1: "other", 2: "agent", 3: "customer"} and not voiced.needs_review
    assert any("sounds like agent a-101, but does not talk like staff" in line for line in voiced.evidence)


def test_a_notice_after_the_agent_names_themselves_is_theirs_a_notice_before_or_from_a_company_is_a_prompt() -> None:
    story = [(2, "hi I was charged twice for one payment and I want the second one back"),
             (1, "sorry about that can I take your postcode please"),
             (2, "it's M one two A B"),
             (1, "thanks bear with me the duplicate charge has been refunded you'll get a text"),
             (2, "great thank you so much")]
    openings = {"Hello, Northwind Bank, Daniel speaking. This call may be recorded for training.": False,
                "Good afternoon, my name is Oksana, this call will be recorded, how can I help?": False,
                "This call may be recorded for training. Daniel speaking, how can I help?": False,  # one breath
                "This is Castle Broadband. Calls will be monitored. Hello, how can I help?": False,
                "Good morning, Northwind Bank, this is Daniel. This call may be recorded.": False,
                "This is Northwind Bank. This call may be recorded. Thanks for waiting.": True,
                "Thank you for calling, press one for billing. Daniel speaking, how can I help?": True}
    for opening, flagged in openings.items():
        words, diar = _call((1, opening), *story)
        _, result = attribute(words, diar)
        assert result.roles == {1: "agent", 2: "customer"}, opening
        assert result.needs_review is flagged, opening
        assert any("a prompt may be merged with their voice" in line for line in result.evidence) is flagged, opening


def _opening_then(opening: list[tuple[str, float]], story: list[tuple[int, str]]) -> tuple[list[Word], Diarization]:
    """A call whose speaker 1 opens with the given (text, pause after it in seconds) pieces, then ``story``'s turns
    (0.3 s a word, 0.5 s between turns)."""
    words, segments, t = [], [], 0.0
    for text, pause in opening:
        start = t
        for w in text.split():
            words.append(Word(t, t + 0.27, w, 1.0))
            t += 0.3
        segments.append(SpeakerSegment(start, t, 1))
        t += pause
    for speaker, text in story:
        start = t
        for w in text.split():
            words.append(Word(t, t + 0.27, w, 1.0))
            t += 0.3
        segments.append(SpeakerSegment(start, t, speaker))
        t += 0.5
    return words, Diarization(segments, {1: np.eye(8)[1], 2: np.eye(8)[2]})


@pytest.mark.parametrize(("pause", "flagged"), [(0.1, False), (0.7, False), (0.85, True), (1.2, True)])
def test_a_notice_run_on_into_the_voices_own_greeting_is_theirs_after_a_pause_it_may_be_a_prompt(
        pause: float, flagged: bool) -> None:
    story = [(2, "hi I was charged twice for one payment and I want the second one back"),
             (1, "sorry about that can I take your postcode please"),
             (2, "it's M one two A B"),
             (1, "thanks bear with me the duplicate charge has been refunded you'll get a text"),
             (2, "great thank you so much")]
    words, diar = _opening_then([("Welcome to Northwind support. This call may be recorded.", pause),
                                 ("How can I help?", 0.5)], story)
    _, result = attribute(words, diar)
    assert result.roles == {1: "agent", 2: "customer"}
    assert result.needs_review is flagged
    assert any("a prompt may be merged with their voice" in line for line in result.evidence) is flagged
    # a notice run on into words that are no greeting of the voice's own stays a possible prompt
    words, diar = _opening_then([("Welcome to Northwind support. This call may be recorded. Please wait.", 0.2)],
                                story)
    assert attribute(words, diar)[1].needs_review is True


def _run(*pieces: tuple[int, str, float]) -> tuple[list[Word], list[int | None]]:
    """Words and their owners from (speaker, text, pause before) pieces, 0.3 s a word."""
    words, owners, t = [], [], 0.0
    for speaker, text, pause in pieces:
        t += pause
        for w in text.split():
            words.append(Word(t, t + 0.27, w, 1.0))
            owners.append(speaker)
            t += 0.3
    return words, owners


def test_the_halves_of_one_voice_that_pass_the_word_mid_run_are_one_person_a_colleague_is_not() -> None:
    from qa_toolkit.transcribe.speakers import _halves_take_turns

    varying = [(1, "Hello, thanks for calling Northwind Bank.", 0.0), (2, "Hi, I was charged twice.", 0.4),
               (1, "I'm sorry about that.", 0.4), (3, "Can you confirm your postcode?", 0.1),
               (2, "It's M one two A B.", 0.4), (1, "Thanks,", 0.4), (3, "the charge has been refunded.", 0.2),
               (2, "Great, thank you.", 0.4), (3, "Have a good day.", 0.3)]
    assert _halves_take_turns(*_run(*varying), 1, 3) == 2
    # the second voice names itself: someone new, however the word passes
    named = [*varying[:3], (3, "Jo here, can you confirm your postcode?", 0.1), *varying[4:]]
    assert _halves_take_turns(*_run(*named), 1, 3) == 0
    # a pause of half a second or more at each switch: the halves do not pass the word mid-run
    paused = [(s, text, 0.6 if s == 3 else pause) for s, text, pause in varying]
    assert _halves_take_turns(*_run(*paused), 1, 3) == 0
    # once only
    once = [*varying[:6], (1, "the charge has been refunded.", 0.2), *varying[7:]]
    assert _halves_take_turns(*_run(*once), 1, 3) == 0
    # a transfer: the first voice never speaks again after the second joined
    transfer = [(1, "Hello, accounts, how can I help?", 0.0), (2, "My bill is wrong.", 0.4),
                (1, "I'll put you through to billing.", 0.4), (3, "Billing, hello.", 0.1), (2, "Hi.", 0.4),
                (3, "What's wrong with it?", 0.3), (2, "It's doubled.", 0.4), (3, "Let me look,", 0.4),
                (3, "fixed.", 0.2)]
    assert _halves_take_turns(*_run(*transfer), 1, 3) == 0


# round 17: who gives the details and who takes them; someone speaking for the customer in one voice
def test_identifying_details_and_formal_address_are_read_from_a_turn() -> None:
    for turn in ("It's 48210.", "Flat 2, 11 Quarry Road, MK4 7JP.", "Okafor, O-K-A-F-O-R, 14th of June",
                 "SF22731", "four eight two one zero", "it's 0163 244 9178"):
        assert role_cues.gives_detail(turn), turn
    for turn in ("The letter says £4,200 but the app says £3,900", "it was 4,200 pounds", "about 90%", "at 10:30",
                 "two o'clock with Doctor Shah", "one two three", "I've got a PS5"):
        assert not role_cues.gives_detail(turn), turn
    for turn in ("Thank you, Mr. Grant. Can you tell me the address?", "Hi Mister Doyle, I've read the notes",
                 "Oh hi, is that Mrs Lewis? This is Nadia"):
        assert role_cues.addresses_formally(turn), turn
    for turn in ("It's Mr Grant.", "I spoke to Mr Jones last week.", "Hello, yes, it's Mrs Hughes."):
        assert not role_cues.addresses_formally(turn), turn


_GARBLED_GREETING = [  # dev LC-D-175's shape through tiny.en: the agent's greeting lost, weak words either way
    (1, "yeah hi"),
    (2, "Hi, I've moved into a flat and the bill still has the last tenant's name on it."),
    (1, "Okay, we can change that. What's the first line of the address and the postcode?"),
    (2, "Flat 2, 11 Quarry Road, MK4 7JP."),
    (1, "Thank you, Miss Hale. And the meter reading on the day you moved in?"),
    (2, "48210. I took a photo of it."),
    (1, "Right, that lines up, so it's in your name from the third now."),
    (2, "Brilliant, so I won't pay their bill?")]


def test_who_gives_the_details_decides_beside_words_too_weak_alone() -> None:
    words, diar = _call(*_GARBLED_GREETING)
    owners = words_to_speakers(words, diar)
    log_odds = role_cues.agent_log_odds(role_inputs(words, owners)[2])
    assert 1.45 <= log_odds < 2.0  # the words alone would not decide (round 11: from 2.0)
    result = assign_roles(words, owners, diar)
    assert result.roles == {1: "agent", 2: "customer"} and not result.needs_review and result.confidence >= 0.6
    assert any("speaker 2 gives the details, speaker 1 takes them" in line for line in result.evidence)
    # the same call where the agent's voice is the one reading out the details: the two kinds disagree, flagged
    swapped = [(k, t) for k, t in _GARBLED_GREETING]
    swapped[3], swapped[5] = (2, "Flat two on Quarry Road."), (2, "I took a photo of it.")
    swapped[6] = (1, "Right, that's reference 55 81 20 77 for you, so it's in your name from the third now.")
    swapped[4] = (1, "And the meter reading on the day you moved in? Yours ends 4 4 1 9 0 I think.")
    words, diar = _call(*swapped)
    flagged = assign_roles(words, words_to_speakers(words, diar), diar)
    assert flagged.needs_review and set(flagged.roles.values()) == {"unknown"}
    assert "the evidence disagrees" in (flagged.reason or "")


def test_details_alone_never_decide() -> None:
    words, diar = _call((1, "okay go on then what is it"), (2, "it's the number on the letter, 48210, for the boiler"),
                        (1, "right and then what happened with it"), (2, "the code was SF22731 and then nothing"))
    result = assign_roles(words, words_to_speakers(words, diar), diar)
    assert result.needs_review and result.confidence < 0.6
    assert any("gives the details" in line for line in result.evidence)


def test_someone_speaking_for_the_customer_in_the_same_voice_is_flagged() -> None:
    # dev LC-D-178 through tiny.en: a son and his father in one voice, decided by the words, 0.65 of them right
    words, diar = _call(
        (1, "Hello, Westway Water, Ana speaking, how can I help?"),
        (2, "Hi, I'm calling for my dad, his water bill has tripled and he's on a pension."),
        (1, "I can help with that, but I'll need your dad's okay to talk to you. Could he come to the phone?"),
        (2, "Hello, yes, you can talk to my son Marcus, that's fine."),
        (1, "Thank you. Can you tell me the first line of the address, just for security?"),
        (2, "Twelve Birch Lane. So the last bill was ninety pounds and this one says two seventy, I paid it."),
        (1, "I'll book a free leak check and put the bill on hold, you'll get a text."))
    grouped, result = attribute(words, diar)
    assert result.needs_review and result.roles == {1: "agent", 2: "customer"}  # roles kept, a person checks
    assert "someone speaks for the customer" in (result.reason or "")


def test_one_voice_or_no_speech_says_so() -> None:
    words, diar = _call((1, "hello this message is for Mister Patel about the boiler repair you reported, "
                            "the engineer can come on Thursday"))
    result = assign_roles(words, words_to_speakers(words, diar), diar)
    assert result.needs_review and "one voice found" in (result.reason or "")
    silent = assign_roles([], [], Diarization([], {}))
    assert silent.needs_review and "no speech found" in (silent.reason or "")


def test_a_request_that_is_only_the_details_name_is_an_ask() -> None:
    terse = role_cues.cues("Order number? Postcode. And your date of birth? Right, done.")
    assert terse.asks == 3  # the last one once, though both forms of a request match it
    assert role_cues.cues("My name is Bob. The order number is on the letter.").asks == 0


def test_words_whose_pronouns_name_the_other_voice_never_decide_alone() -> None:
    # dev LC-D-087's shape: an outbound callback to a hotel; the clerk talks like staff, the caller says "you"
    words, diar = _call(
        (1, "Grand Hotel, Mia speaking, how can I help?"),
        (2, "Hi, you rang us earlier about your wedding block in March, so we're getting back to you."),
        (1, "Oh thanks for calling back. Can I take the group reference so I can bring it up?"),
        (2, "It's WEB312."),
        (1, "I've got it here. I think I can do twelve rooms, I just need my manager to sign it off, I'm sorry."),
        (2, "You'll have the deposit from us by Friday and you can send your invoice to us."),
        (1, "Lovely, bye now."))
    owners = words_to_speakers(words, diar)
    assert 2.0 <= role_cues.agent_log_odds(role_inputs(words, owners)[2]) < 3.0  # alone it would decide
    result = assign_roles(words, owners, diar)
    assert result.needs_review and set(result.roles.values()) == {"unknown"}
    assert "the pronouns name the other voice" in result.evidence[0]
    assert any("not counted" in line for line in result.evidence)  # who reads out the reference does not add up
