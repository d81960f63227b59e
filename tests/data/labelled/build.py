"""Build the labelled evaluation set (canonical chat JSONL) from its hand-written YAML sources.

    python tests/data/labelled/build.py            # src/dev/*.yaml -> chats_dev.jsonl, src/test/*.yaml -> chats_test.jsonl,
                                                   # src/test2/*.yaml -> chats_test2.jsonl,
                                                   # src/test3/*.yaml -> chats_test3.jsonl,
                                                   # src/test4/*.yaml -> chats_test4.jsonl,
                                                   # src/test5/*.yaml -> chats_test5.jsonl,
                                                   # src/test6/*.yaml -> chats_test6.jsonl,
                                                   # src/test7/*.yaml -> chats_test7.jsonl,
                                                   # src/test8/*.yaml -> chats_test8.jsonl
    python tests/data/labelled/build.py --check    # validate only; exit 1 if a built file is out of date

Each source file is a YAML list of conversations::

    - id: ld-0001
      channel: chat                 # chat | email
      agent: a-103                  # from roster.yaml (name and team are filled in)
      customer: cust-ld-0001
      started_at: 2026-07-06T09:14:00Z
      queue: billing
      topic: double charge          # optional
      domain: banking
      styles: [terse, typos]
      turns:                        # [speaker, seconds after the previous turn, text]; a = agent, c = customer, s = system
        - [c, 0, "hi charged twice??"]
        - [a, 45, "Hello! Sorry about that..."]
      labels: {greeting: true, ...} # every label of LABELS.md except max_agent_response_gap_seconds (computed here)

What this script does and nothing more: fills in agent names and teams, turns the delays into ISO
timestamps, computes ``max_agent_response_gap_seconds`` by its definition (the longest wait from the
customer's first unanswered message to the agent's next turn), checks every label's type, that each
PII label quotes its turn exactly and that labelled cards pass Luhn, and writes the conversations
sorted by start time.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SPEAKERS = {"a": "agent", "c": "customer", "s": "system"}
BOOL_OR_NULL = ("empathy_when_needed", "identity_verified_before_account_details", "hold_etiquette")
BOOL = ("greeting", "closing", "prohibited_language_by_agent", "resolved", "escalated")
OPTIONAL_BOOL = ("disclosure_given",)
SENTIMENTS = ("positive", "neutral", "negative")
PII_TYPES = ("card", "expiry", "ssn", "email", "phone")
DOMAINS = ("banking", "telecom", "retail", "travel", "collections", "insurance", "utilities", "saas",
           "healthcare-billing", "food-delivery", "gaming", "property", "education", "car-rental", "fitness",
           "pharmacy", "government-benefits", "parcel-lockers", "mortgage", "pet-insurance", "student-loans", "solar",
           "streaming", "government-permits", "crypto-exchange", "vet", "removals", "event-tickets")


class SourceError(ValueError):
    """A problem in a source file, with where it is."""


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _when(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise SourceError("started_at needs a timezone (Z)")
    return moment.astimezone(timezone.utc)


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def longest_wait(turns: list[dict[str, Any]], times: list[datetime]) -> float:
    """Seconds from the customer's first unanswered message to the agent's next turn (the longest such wait)."""
    longest = 0.0
    waiting_since: datetime | None = None
    for turn, at in zip(turns, times):
        if turn["speaker"] == "customer" and waiting_since is None:
            waiting_since = at
        elif turn["speaker"] == "agent":
            if waiting_since is not None:
                longest = max(longest, (at - waiting_since).total_seconds())
            waiting_since = None
    return longest


def _check_labels(labels: dict[str, Any], turns: list[dict[str, Any]], domain: str) -> None:
    for key in BOOL:
        if not isinstance(labels.get(key), bool):
            raise SourceError(f"labels.{key}: true or false required")
    for key in BOOL_OR_NULL:
        if key not in labels or labels[key] not in (True, False, None):
            raise SourceError(f"labels.{key}: true, false or null required")
    if "disclosure_given" in labels and not isinstance(labels["disclosure_given"], bool):
        raise SourceError("labels.disclosure_given: true or false")
    if domain == "collections" and "disclosure_given" not in labels:
        raise SourceError("labels.disclosure_given: required on collections conversations")
    if labels.get("customer_sentiment_end") not in SENTIMENTS:
        raise SourceError(f"labels.customer_sentiment_end: one of {', '.join(SENTIMENTS)}")
    pii = labels.get("unredacted_pii")
    if not isinstance(pii, list):
        raise SourceError("labels.unredacted_pii: a list ([] when none)")
    for n, item in enumerate(pii):
        where = f"labels.unredacted_pii[{n}]"
        if not isinstance(item, dict) or item.get("type") not in PII_TYPES:
            raise SourceError(f"{where}.type: one of {', '.join(PII_TYPES)}")
        turn = item.get("turn")
        if not isinstance(turn, int) or not 0 <= turn < len(turns):
            raise SourceError(f"{where}.turn: an index into turns")
        if not item.get("text") or item["text"] not in turns[turn]["text"]:
            raise SourceError(f"{where}.text: {item.get('text')!r} is not in turn {turn}")
        if item["type"] == "card":
            digits = "".join(ch for ch in item["text"] if ch.isdigit())
            if not (13 <= len(digits) <= 19 and luhn_valid(digits)):
                raise SourceError(f"{where}.text: not a Luhn-valid card number")
    unknown = set(labels) - set(BOOL) - set(BOOL_OR_NULL) - set(OPTIONAL_BOOL) - {"customer_sentiment_end",
                                                                                 "unredacted_pii"}
    if unknown:
        raise SourceError(f"labels: unknown label(s) {', '.join(sorted(unknown))} (see README.md)")


def build_one(source: dict[str, Any], roster: dict[str, Any]) -> dict[str, Any]:
    """One conversation in canonical chat JSONL form, from its source entry."""
    agent_id = source.get("agent")
    if agent_id not in roster:
        raise SourceError(f"agent: {agent_id!r} is not in roster.yaml")
    if source.get("domain") not in DOMAINS:
        raise SourceError(f"domain: one of {', '.join(DOMAINS)}")
    if source.get("channel", "chat") not in ("chat", "email"):
        raise SourceError("channel: chat or email")
    started = _when(source["started_at"])
    turns: list[dict[str, Any]] = []
    times: list[datetime] = []
    at = started
    for n, entry in enumerate(source.get("turns") or []):
        if not (isinstance(entry, list) and len(entry) == 3 and entry[0] in SPEAKERS
                and isinstance(entry[1], (int, float)) and entry[1] >= 0 and isinstance(entry[2], str) and entry[2]):
            raise SourceError(f"turns[{n}]: [a|c|s, seconds >= 0, text] required, got {entry!r}")
        at = at + timedelta(seconds=entry[1])
        turns.append({"speaker": SPEAKERS[entry[0]], "text": entry[2], "at": _iso(at)})
        times.append(at)
    if not any(t["speaker"] == "agent" for t in turns):
        raise SourceError("turns: the agent never speaks")
    labels = dict(source.get("labels") or {})
    _check_labels(labels, turns, source["domain"])
    labels["max_agent_response_gap_seconds"] = longest_wait(turns, times)
    person = roster[agent_id]
    record: dict[str, Any] = {
        "id": source["id"], "channel": source.get("channel", "chat"),
        "agent": {"id": agent_id, "name": person["name"], "team": person["team"]},
        "customer": {"id": source.get("customer") or f"cust-{source['id']}"},
        "started_at": _iso(started), "queue": source.get("queue") or person["team"],
    }
    if source.get("topic"):
        record["topic"] = source["topic"]
    record.update({"language": "en", "turns": turns,
                   "metadata": {"domain": source["domain"], "styles": list(source.get("styles") or [])},
                   "labels": labels})
    return record


def build_split(split: str, roster: dict[str, Any]) -> list[dict[str, Any]]:
    """Every conversation of a split (``dev``, ``test`` or ``test2`` .. ``test8``), sorted by start time; raises SourceError with file and id."""
    records: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    prefix = {"dev": "ld-", "test": "lt-", "test2": "lu-", "test3": "lv-", "test4": "lw-", "test5": "lx-",
              "test6": "ly-", "test7": "lz-", "test8": "lr-"}[split]
    for path in sorted((HERE / "src" / split).glob("*.yaml")):
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for n, source in enumerate(entries):
            where = f"{path.relative_to(HERE)}: [{n}] {source.get('id', '?') if isinstance(source, dict) else '?'}"
            try:
                if not isinstance(source, dict) or not str(source.get("id", "")).startswith(prefix):
                    raise SourceError(f"id: must start with {prefix!r}")
                if source["id"] in seen:
                    raise SourceError(f"id: duplicate of the one in {seen[source['id']]}")
                seen[source["id"]] = str(path.name)
                records.append(build_one(source, roster))
            except (SourceError, KeyError, ValueError, TypeError) as exc:
                raise SourceError(f"{where}: {exc}") from None
    return sorted(records, key=lambda r: (r["started_at"], r["id"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="validate; fail if a built file is out of date")
    args = parser.parse_args(argv)
    roster = yaml.safe_load((HERE / "roster.yaml").read_text(encoding="utf-8"))
    stale = False
    for split in ("dev", "test", "test2", "test3", "test4", "test5", "test6", "test7", "test8"):
        if not any((HERE / "src" / split).glob("*.yaml")):
            continue  # nothing written for this split (yet): leave its file alone
        try:
            records = build_split(split, roster)
        except SourceError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        out = HERE / f"chats_{split}.jsonl"
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        if args.check:
            if (out.read_text(encoding="utf-8") if out.exists() else "") != text:
                print(f"{out.name} is out of date: run python {Path(__file__).name}", file=sys.stderr)
                stale = True
        else:
            out.write_text(text, encoding="utf-8")
        print(f"{split}: {len(records)} conversations")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
