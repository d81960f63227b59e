"""The labelled evaluation set (tests/data/labelled/) is built from its hand-written sources and valid."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LABELLED = Path(__file__).parent / "data" / "labelled"


def test_built_files_match_their_sources_and_every_label_is_valid() -> None:
    result = subprocess.run([sys.executable, str(LABELLED / "build.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_a_bad_source_is_reported_with_its_file_and_id(tmp_path: Path) -> None:
    sys.path.insert(0, str(LABELLED))
    try:
        import build
    finally:
        sys.path.remove(str(LABELLED))
    roster = {"a-101": {"name": "Priya Raman", "team": "billing"}}
    source = {"id": "ld-9999", "agent": "a-101", "started_at": "2026-07-06T09:00:00Z", "domain": "banking",
              "turns": [["c", 0, "hi"], ["a", 30, "Hello, card 4111 1111 1111 1112?"]],
              "labels": {"greeting": True, "closing": False, "empathy_when_needed": None,
                         "identity_verified_before_account_details": None, "prohibited_language_by_agent": False,
                         "resolved": True, "escalated": False, "hold_etiquette": None,
                         "customer_sentiment_end": "neutral",
                         "unredacted_pii": [{"type": "card", "turn": 1, "text": "4111 1111 1111 1112"}]}}
    try:
        build.build_one(source, roster)
    except build.SourceError as exc:
        assert "not a Luhn-valid card number" in str(exc)
    else:
        raise AssertionError("a Luhn-invalid labelled card was accepted")
    source["labels"]["unredacted_pii"] = []
    record = build.build_one(source, roster)
    assert record["labels"]["max_agent_response_gap_seconds"] == 30
    assert record["turns"][1]["at"] == "2026-07-06T09:00:30Z"
    assert record["agent"] == {"id": "a-101", "name": "Priya Raman", "team": "billing"}


def test_the_simulated_team_set_is_up_to_date() -> None:
    result = subprocess.run([sys.executable, str(LABELLED / "team" / "build.py"), "--check"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
