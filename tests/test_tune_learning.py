"""What `qa rubric tune` learns from a team's labels, and the noise guard on it (real embeddings, small data)."""

from __future__ import annotations

import json
from pathlib import Path

from qa_toolkit.rubrics.loader import parse_rubric
from qa_toolkit.scoring import semantic
from qa_toolkit.scoring.evaluate import read_labelled
from qa_toolkit.scoring.tune import Pointer, tune
from qa_toolkit.scoring.view import TurnView

RUBRIC = """
name: learn-tone
title: Learn tone
channels: [chat]
categories:
  - key: conduct
    criteria:
      - key: professional_language
        question: Did the agent stay professional?
        check: prohibited_language
        params:
          phrases: []
          exemplars:
            positive:
              - Shut up and listen to me.
            threshold: 0.7
"""
TEAM_HABIT = "Honestly, the small print was there for you to read, next time maybe read it."  # the team's own rude macro (no rule knows it)
ONE_OFF = "Purple elephants dance at noon on Tuesdays."  # said once, rude by the label, like nothing else
POLITE = ["Thanks for waiting, I've sorted the refund for you.", "Happy to help, your order ships tomorrow.",
          "I've updated the address on your account.", "Sorry about the delay, it is on its way now."]


def _chat(n: int, agent_says: str, rude: bool) -> dict[str, object]:
    return {"id": f"t-{n:03d}", "channel": "chat", "agent": {"id": "a-1", "name": "Sam", "team": "care"},
            "customer": {"id": f"c-{n}"}, "started_at": f"2026-10-{1 + n // 4:02d}T{8 + n % 4:02d}:00:00Z",
            "turns": [{"speaker": "customer", "text": "Why was I charged twice?",
                       "at": f"2026-10-{1 + n // 4:02d}T{8 + n % 4:02d}:00:00Z"},
                      {"speaker": "agent", "text": agent_says, "at": f"2026-10-{1 + n // 4:02d}T{8 + n % 4:02d}:01:00Z"}],
            "labels": {"prohibited_language_by_agent": rude}}


def _items(tmp_path: Path, said: list[tuple[str, bool]]) -> list:
    path = tmp_path / "team.jsonl"
    path.write_text("".join(json.dumps(_chat(n, s, rude)) + "\n" for n, (s, rude) in enumerate(said)),
                    encoding="utf-8")
    return read_labelled(path)


def test_a_habit_seen_in_other_reviews_is_learnt_and_a_one_off_is_not(tmp_path: Path) -> None:
    teaching = [(TEAM_HABIT, True), (POLITE[0], False), (TEAM_HABIT, True), (ONE_OFF, True), (POLITE[1], False),
                (TEAM_HABIT, True), (POLITE[2], False), (POLITE[3], False)]
    held_out = [(TEAM_HABIT, True), (POLITE[0], False), (TEAM_HABIT, True), (POLITE[1], False)]
    items = _items(tmp_path, teaching + held_out)
    rubric = parse_rubric(RUBRIC, "learn-tone").rubric
    new_params, (report,) = tune(rubric, items, fit_share=len(teaching) / len(items), min_labels=4)
    learnt = [a["sentence"] for a in report.added]
    assert learnt == [TEAM_HABIT]  # fixes the two other interactions with it; the one-off fixes only its own
    assert report.before == {"f1": None, "accuracy": 0.5}  # measured on the held-out four: no rude one found
    assert report.after == {"f1": 1.0, "accuracy": 1.0}
    positives = new_params["professional_language"]["exemplars"]["positive"]
    assert TEAM_HABIT in positives and ONE_OFF not in positives


def test_a_turn_a_reviewer_pointed_at_is_learnt_when_it_costs_nothing(tmp_path: Path) -> None:
    teaching = [(ONE_OFF, True), (POLITE[0], False), (POLITE[1], False), (POLITE[2], False), (TEAM_HABIT, True)]
    items = _items(tmp_path, teaching + [(POLITE[3], False), (TEAM_HABIT, True)])
    rubric = parse_rubric(RUBRIC, "learn-tone").rubric
    pointed = Pointer("t-000", "professional_language", 1, positive=True)  # the agent's turn of the one-off
    _, (report,) = tune(rubric, items, fit_share=len(teaching) / len(items), min_labels=4, pointers=[pointed])
    assert {"block": "exemplars", "as": "positive", "sentence": ONE_OFF} in report.added
    assert TEAM_HABIT not in [a["sentence"] for a in report.added]  # once in the teaching part: nothing to confirm it


def test_nothing_is_learnt_from_a_sentence_that_costs_as_much_as_it_fixes(tmp_path: Path) -> None:
    # the same sentence labelled rude twice and fine twice: adding it fixes one other and breaks two
    teaching = [(TEAM_HABIT, True), (TEAM_HABIT, False), (TEAM_HABIT, True), (TEAM_HABIT, False),
                (POLITE[0], False), (POLITE[1], False)]
    items = _items(tmp_path, teaching + [(TEAM_HABIT, True), (POLITE[2], False)])
    rubric = parse_rubric(RUBRIC, "learn-tone").rubric
    _, (report,) = tune(rubric, items, fit_share=len(teaching) / len(items), min_labels=4)
    assert report.added == [] and report.after == report.before


def test_reading_records_what_each_block_compared() -> None:
    exemplars = semantic.Exemplars(positive=("Shut up and listen to me.",), threshold=0.7)
    turn = TurnView(0, "agent", "Shut up and listen to me. Your refund is on its way.", None, None, None)
    with semantic.reading() as log:
        semantic.match([turn], exemplars)
    assert [(e is exemplars, hit.sentence, hit.matched) for e, hit in log] == [
        (True, "Shut up and listen to me.", True), (True, "Your refund is on its way.", False)]
    assert semantic.match([turn], exemplars) is not None and len(log) == 2  # nothing recorded outside the block


def test_a_tuning_that_makes_newer_labels_worse_is_rejected_and_the_check_kept(tmp_path: Path) -> None:
    # the team called the habit rude for a while, then stopped: learnt from the older reviews, it would now flag
    # two fine chats; the held-out (newer) labels refuse the tuning and the check stays as it was
    teaching = [(TEAM_HABIT, True), (POLITE[0], False), (TEAM_HABIT, True), (POLITE[1], False), (TEAM_HABIT, True),
                (POLITE[2], False)]
    held_out = [(TEAM_HABIT, False), ("Shut up and listen to me.", True), (TEAM_HABIT, False), (POLITE[3], False)]
    items = _items(tmp_path, teaching + held_out)
    rubric = parse_rubric(RUBRIC, "learn-tone").rubric
    share = len(teaching) / len(items)
    unguarded, (tried,) = tune(rubric, items, fit_share=share, min_labels=4, guard=False)
    assert [a["sentence"] for a in tried.added] == [TEAM_HABIT]
    assert tried.before == {"f1": 1.0, "accuracy": 1.0} and tried.after == {"f1": 0.5, "accuracy": 0.5}
    new_params, (report,) = tune(rubric, items, fit_share=share, min_labels=4)
    assert "professional_language" not in new_params and report.added == []
    assert report.after == report.before == {"f1": 1.0, "accuracy": 1.0}
    assert report.rejected is not None and report.rejected["f1"] == 0.5
    assert report.rejected["exemplars"] == [{"block": "exemplars", "as": "positive", "sentence": TEAM_HABIT}]
    assert report.as_dict()["rejected"] == report.rejected and "professional_language" in unguarded
