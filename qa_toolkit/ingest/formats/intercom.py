"""Intercom conversations, as returned by Intercom's Conversations API (``GET /conversations/{id}``).

A record is a conversation object: ``id``, ``created_at`` (Unix seconds), ``source`` (the opening
message: ``body`` in HTML, ``author`` with ``type`` user/lead/contact/admin/bot), ``admin_assignee_id``,
``conversation_rating.rating``, ``tags.tags[].name``, ``state`` and ``conversation_parts.conversation_parts``
(``part_type``, ``body``, ``author``, ``created_at``). A file may hold one conversation, a list, JSON
Lines, or ``{"conversations": [...]}``.

Speakers: ``note`` parts (and other non-message parts that carry text, such as an assignment note) are
internal ``system`` turns; comments by an ``admin`` (or ``team``) are the agent's, by a ``user``,
``lead`` or ``contact`` the customer's, by a ``bot`` the system's. Parts without a body (open, close,
assignment) are skipped. HTML bodies become plain text.
"""

from __future__ import annotations

from datetime import datetime, timezone
from html.parser import HTMLParser
from typing import Any

from qa_toolkit.ingest.model import FieldError

AUTHORS = {"admin": "agent", "team": "agent", "user": "customer", "lead": "customer", "contact": "customer", "bot": "system"}
MESSAGE_PARTS = {"comment", "open", "close", "conversation"}


class _Text(HTMLParser):
    BREAKS = {"br", "p", "div", "li", "h1", "h2", "h3", "tr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BREAKS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML message body (paragraphs and ``<br>`` become line breaks)."""
    if "<" not in html and "&" not in html:
        return html.strip()
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    return "\n".join(line for line in lines if line)


def _time(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=timezone.utc).isoformat()
        except (OverflowError, OSError, ValueError):
            raise FieldError(field, "Unix time out of range (years 1 to 9999)") from None
    if isinstance(value, str):
        return value
    raise FieldError(field, f"expected Unix seconds, got {type(value).__name__}")


def matches(record: dict[str, Any]) -> bool:
    """True for an Intercom conversation."""
    return "conversation_parts" in record or (record.get("type") == "conversation" and "source" in record)


def to_canonical(record: dict[str, Any]) -> dict[str, Any]:
    """An Intercom conversation as a canonical conversation dict."""
    if record.get("id") is None:
        raise FieldError("id", "missing required field")
    parts_container = record.get("conversation_parts") or {}
    parts = parts_container.get("conversation_parts", []) if isinstance(parts_container, dict) else parts_container
    source = record.get("source") or {}
    messages: list[tuple[str, dict[str, Any], Any, Any]] = []
    if source.get("body"):
        messages.append(("conversation", source.get("author") or {}, source["body"], record.get("created_at")))
    for i, part in enumerate(parts):
        if not isinstance(part, dict):
            raise FieldError(f"conversation_parts.{i}", "expected a conversation part object")
        if part.get("body"):
            messages.append((part.get("part_type") or "comment", part.get("author") or {}, part["body"], part.get("created_at")))
    turns = []
    admins: dict[str, str | None] = {}
    for i, (part_type, author, body, created) in enumerate(messages):
        kind = author.get("type")
        if kind == "admin" and author.get("id") is not None:
            admins.setdefault(str(author["id"]), author.get("name"))
        if part_type not in MESSAGE_PARTS:
            speaker, internal = "system", True
        elif kind in AUTHORS:
            speaker, internal = AUTHORS[kind], False
        else:
            raise FieldError(f"conversation_parts.{i}.author.type", f"unknown author type (expected {', '.join(AUTHORS)})")
        turns.append({"speaker": speaker, "text": html_to_text(body), "at": _time(created, f"conversation_parts.{i}.created_at"),
                      "internal": internal})
    assignee = record.get("admin_assignee_id")
    agent_id = str(assignee) if assignee is not None else next(iter(admins), None)
    if agent_id is None:
        raise FieldError("admin_assignee_id", "conversation has no assigned admin (agent)")
    contacts = (record.get("contacts") or {}).get("contacts") or []
    customer_id = contacts[0].get("id") if contacts else (source.get("author") or {}).get("id")
    rating = (record.get("conversation_rating") or {}).get("rating")
    tags = [t.get("name") for t in (record.get("tags") or {}).get("tags", []) if isinstance(t, dict) and t.get("name")]
    team = record.get("team_assignee_id")
    return {
        "id": record["id"],
        "channel": "email" if source.get("type") == "email" else "chat",
        "agent": {"id": agent_id, "name": admins.get(agent_id)},
        "customer": {"id": customer_id},
        "started_at": _time(record.get("created_at"), "created_at"),
        "topic": source.get("subject") or None,
        "csat": rating,
        "tags": tags,
        "turns": turns,
        "metadata": {"intercom": {k: v for k, v in {"state": record.get("state"), "team_assignee_id": team}.items()
                                  if v is not None}},
    }
