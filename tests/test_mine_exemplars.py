"""tools/mine_exemplars.py: exemplars for a classifier block mined from conversation-level labels (real embeddings)."""

from __future__ import annotations

import sys
from pathlib import Path

from qa_toolkit.scoring.checks.phrases import ProhibitedParams
from qa_toolkit.scoring.view import InteractionView, TurnView

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import mine_exemplars  # noqa: E402

BLOCK = {"positive": ["Calm down, there's no need to shout.", "That's not my problem."],
         "negative": ["Let me check that for you.", "Your refund is on its way."], "model": "linear",
         "threshold": 0.5}
PARAMS = ProhibitedParams(extra_phrases=("rocket science",))


def _view(n: int, *agent: str) -> InteractionView:
    turns = [TurnView(0, "customer", "Why was I charged twice?", None, None)]
    turns += [TurnView(i + 1, "agent", said, None, None) for i, said in enumerate(agent)]
    return InteractionView(external_id=f"m-{n}", channel="chat", turns=tuple(turns))


def test_positives_come_from_yes_conversations_and_negatives_from_no_ones() -> None:
    rude_by_rule = "Honestly, it's not rocket science to read a bill."
    rude_in_other_words = "If you had bothered to read the bill you would not be wasting my time."
    labelled = [
        (mine_exemplars.agent_sentences(_view(1, "Hello, I can help.", rude_by_rule), PARAMS), True),
        (mine_exemplars.agent_sentences(_view(2, rude_in_other_words), PARAMS), True),
        (mine_exemplars.agent_sentences(_view(3, "Hi there. I've refunded the second charge today."), PARAMS), False),
        (mine_exemplars.agent_sentences(_view(4, "Sorry about that, the duplicate is cancelled."), PARAMS), False),
    ]
    assert labelled[0][0] == [("Hello, I can help.", False), (rude_by_rule, True)]  # the phrase marks its sentence
    positive, negative = mine_exemplars.mine(BLOCK, labelled, rounds=2, hard=0.0)
    assert positive == [rude_by_rule, rude_in_other_words]  # the rule's sentence, then the only one of chat 2
    assert "Hello, I can help." not in positive
    # every sentence of the "no" conversations at or above --hard 0.0, none from a "yes" one
    assert set(negative) == {"Hi there.", "I've refunded the second charge today.",
                             "Sorry about that, the duplicate is cancelled."}
    again = mine_exemplars.mine(BLOCK, labelled, rounds=2, hard=0.0)
    assert again == (positive, negative)  # deterministic
    _, none_hard = mine_exemplars.mine(BLOCK, labelled, rounds=2, hard=1.0)
    assert none_hard == []  # no probability reaches 1.0: nothing is "hard"


def test_each_target_reads_the_sentences_its_check_reads() -> None:
    from qa_toolkit.scoring.checks.empathy import EmpathyParams
    from qa_toolkit.scoring.checks.resolution import EscalationParams
    from qa_toolkit.scoring.checks.timing import HoldEtiquetteParams

    view = InteractionView(external_id="ld-0200", channel="chat", turns=(
        TurnView(0, "customer", "Hi, my router keeps dropping."),
        TurnView(1, "agent", "Hello! Let me take a look."),
        TurnView(2, "customer", "This is the third time this week, I'm fed up."),
        TurnView(3, "agent", "That's a rotten week you've had. If you like, I can pass you to our tech team."),
        TurnView(4, "agent", "Give me two ticks while I run a line test."),
        TurnView(5, "agent", "Cheers for hanging on. I'm passing this to our engineers, they will call you."),
    ))
    escalation = mine_exemplars.handover_sentences(view, EscalationParams())
    assert ("If you like, I can pass you to our tech team.", False) not in escalation  # an offer: left out
    assert ("I'm passing this to our engineers, they will call you.", True) in escalation
    assert ("Hello!", False) in escalation
    # empathy: the agent's two replies after the first upset turn (turn 2), not the greeting before it
    empathy = mine_exemplars.acknowledgement_sentences(view, EmpathyParams())
    assert [s for s, _ in empathy] == ["That's a rotten week you've had.",
                                       "If you like, I can pass you to our tech team.",
                                       "Give me two ticks while I run a line test."]
    assert empathy[0][1] is True  # "rotten" is one of the check's empathy phrases
    hold = HoldEtiquetteParams()
    announcements = mine_exemplars.announcement_sentences(view, hold)
    # "two ticks" is one of the check's wait phrases since round 17 (a wait in small units)
    assert ("Give me two ticks while I run a line test.", True) in announcements
    assert all(not s.startswith("Cheers") for s, _ in announcements)  # the last agent turn announces nothing
    assert ("Cheers for hanging on.", False) in mine_exemplars.thanks_sentences(view, hold)
    # hold etiquette: "true" says both parts are there, null that there was no hold; "false" teaches nothing
    target = mine_exemplars.TARGETS["hold-thanks"]
    bags = mine_exemplars.labelled_bags([(view, {"hold_etiquette": v}) for v in (True, None, False)], target, hold)
    assert [yes for _, yes in bags] == [True, False]
    assert [mine_exemplars.writer_of(i) for i in ("ld-0001", "ld-0192", "ld-0193", "ld-0300", "ld-0330", "ld-0331",
                                                  "ld-0370", "ld-0401")] == [
        "first", "first", "second", "third", "fourth", "fifth", "fifth", "sixth"]


def test_unread_sentences_become_negatives_whatever_the_label() -> None:
    from qa_toolkit.scoring.checks.empathy import EmpathyParams

    view = InteractionView(external_id="ld-0201", channel="chat", turns=(
        TurnView(0, "agent", "Hi, you're through to Sam."),
        TurnView(1, "customer", "This is the third time this week, I'm fed up."),
        TurnView(2, "agent", "That's a rotten week you've had."),
        TurnView(3, "agent", "Give me two ticks while I run a line test."),
        TurnView(4, "customer", "Ok."),
        TurnView(5, "agent", "The engineer comes Friday. So sorry again for the hassle. Take care!"),
    ))
    params = EmpathyParams()
    # outside the two replies to the upset turn: the greeting and the closing, its apology (a phrase) left out
    assert mine_exemplars.unread_sentences(view, params) == ["Hi, you're through to Sam.",
                                                             "The engineer comes Friday.", "Take care!"]
    target = mine_exemplars.TARGETS["empathy"]
    labelled = [(view, {"empathy_when_needed": True}), (view, {"empathy_when_needed": None})]
    outside = mine_exemplars.unread_negatives(labelled, target, params)
    assert outside == ("Hi, you're through to Sam.", "The engineer comes Friday.", "Take care!")
    bags = mine_exemplars.labelled_bags(labelled, target, params)
    block = {"positive": ["I'm so sorry you've had to deal with this.", "That sounds really stressful."],
             "negative": ["Please confirm your date of birth.", "Your refund was issued on Monday."],
             "model": "linear", "threshold": 0.5}
    positive, negative = mine_exemplars.mine(block, bags, rounds=1, hard=0.0, outside=outside)
    assert positive == ["That's a rotten week you've had."]  # the rule's sentence of the "yes" conversation
    assert negative == list(outside)  # a "yes" conversation's closing still teaches "no"
    assert mine_exemplars.mine(block, bags, rounds=1, hard=0.0) == (positive, [])  # without them: none
