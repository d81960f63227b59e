"""ABCD, the Action-Based Conversations Dataset (Chen et al., NAACL 2021, MIT licence).

Each record has ``convo_id``, ``scenario`` (customer persona, order, ``flow``/``subflow``) and
``original``: ``[speaker, text]`` pairs where speaker is ``agent``, ``customer`` or ``action`` (text
written by the system when the agent clicked a button). Actions become ``system`` turns. ABCD names no
agents, so every conversation is handled by the agent ``abcd-agent``; the flow is the queue and the
subflow the topic. Turns have no timestamps.
"""

from __future__ import annotations

from typing import Any

from qa_toolkit.ingest.model import FieldError

AGENT = {"id": "abcd-agent", "name": "ABCD agent", "team": "abcd"}
SPEAKERS = {"agent": "agent", "customer": "customer", "action": "system"}


def matches(record: dict[str, Any]) -> bool:
    """True for an ABCD conversation."""
    return "convo_id" in record and "original" in record


def to_canonical(record: dict[str, Any]) -> dict[str, Any]:
    """An ABCD conversation as a canonical conversation dict."""
    if "convo_id" not in record:
        raise FieldError("convo_id", "missing required field")
    original = record.get("original")
    if not isinstance(original, list):
        raise FieldError("original", "expected a list of [speaker, text] pairs")
    turns = []
    for i, pair in enumerate(original):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise FieldError(f"original.{i}", "expected a [speaker, text] pair")
        speaker, text = pair
        if speaker not in SPEAKERS:
            raise FieldError(f"original.{i}.speaker", "unknown ABCD speaker (expected agent, customer or action)")
        turns.append({"speaker": SPEAKERS[speaker], "text": text})
    scenario = record.get("scenario") or {}
    personal = scenario.get("personal") or {}
    return {
        "id": record["convo_id"],
        "channel": "chat",
        "agent": AGENT,
        "customer": {"id": personal.get("username"), "name": personal.get("customer_name")},
        "queue": scenario.get("flow"),
        "topic": scenario.get("subflow"),
        "language": "en",
        "turns": turns,
        "metadata": {"abcd": {"flow": scenario.get("flow"), "subflow": scenario.get("subflow"),
                              "member_level": personal.get("member_level")}},
    }
