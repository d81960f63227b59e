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
