"""Zendesk Support tickets, as in Zendesk's JSON export and its Tickets / Ticket Comments API.

A record is a ticket object (``id``, ``created_at``, ``requester_id``, ``assignee_id``, ``group_id``,
``status``, ``tags``, ``via.channel``, ``satisfaction_rating``) with its ``comments`` list embedded
(``author_id``, ``public``, ``plain_body``/``body``, ``created_at``), as the full JSON export writes it;
or ``{"ticket": {...}, "comments": [...]}`` from the API. Side-loaded ``users`` (with ``role``) and
``groups`` on the same record, or at the top level of a list-API response (``{"tickets": [...],
"users": [...], "groups": [...]}`` from ``?include=users,groups``), give agent names, speaker roles and
the team.

Speakers: private comments (``public: false``) are internal notes, stored as ``system`` turns flagged
internal; otherwise an author whose side-loaded role is ``end-user`` or who is the requester is the
customer, and anybody else an agent.
"""

from __future__ import annotations

import re
from typing import Any

from qa_toolkit.ingest.model import FieldError

SIDE_LOADS = ("users", "groups")  # beside "tickets" in a list-API response with ?include=users,groups
RESOLVED = {"solved": True, "closed": True, "new": False, "open": False, "pending": False, "hold": False}


def is_list_response(head: bytes) -> bool:
    """True when a JSON document starts as a list-API response: an object whose first key is ``tickets``."""
    return re.match(rb'(?:\xef\xbb\xbf)?\s*\{\s*"tickets"\s*:', head) is not None


def matches(record: dict[str, Any]) -> bool:
    """True for a Zendesk ticket (with its comments)."""
    ticket = record.get("ticket", record)
    return isinstance(ticket, dict) and "comments" in record | ticket and (
        "requester_id" in ticket or "via" in ticket or "assignee_id" in ticket)


def to_canonical(record: dict[str, Any]) -> dict[str, Any]:
    """A Zendesk ticket and its comments as a canonical conversation dict."""
    ticket = record["ticket"] if isinstance(record.get("ticket"), dict) else record
    comments = record.get("comments", ticket.get("comments"))
    if ticket.get("id") is None:
        raise FieldError("id", "missing required field")
    if not isinstance(comments, list):
        raise FieldError("comments", "missing: export tickets with their comments")
    users = {u.get("id"): u for u in record.get("users", ticket.get("users")) or [] if isinstance(u, dict)}
    groups = {g.get("id"): g for g in record.get("groups", ticket.get("groups")) or [] if isinstance(g, dict)}
    assignee_id = ticket.get("assignee_id")
    if assignee_id is None:
        raise FieldError("assignee_id", "ticket has no assignee (agent)")
    requester_id = ticket.get("requester_id")
    turns = []
    for i, comment in enumerate(comments):
        if not isinstance(comment, dict):
            raise FieldError(f"comments.{i}", "expected a comment object")
        text = comment.get("plain_body", comment.get("body"))
        if text is None:
            raise FieldError(f"comments.{i}.body", "missing required field")
        author = users.get(comment.get("author_id"), {})
        if comment.get("public", True) is False:
            speaker, internal = "system", True
        elif author.get("role") == "end-user" or (not author and comment.get("author_id") == requester_id):
            speaker, internal = "customer", False
        else:
            speaker, internal = "agent", False
        turns.append({"speaker": speaker, "text": text, "at": comment.get("created_at"), "internal": internal})
    assignee = users.get(assignee_id) or ticket.get("assignee") or {}
    group = groups.get(ticket.get("group_id")) or {}
    channel = (ticket.get("via") or {}).get("channel")
    rating = (ticket.get("satisfaction_rating") or {}).get("score")
    return {
        "id": ticket["id"],
        "channel": "email" if channel == "email" else "chat",
        "agent": {"id": assignee_id, "name": assignee.get("name"), "team": group.get("name")},
        "customer": {"id": requester_id, "name": (users.get(requester_id) or {}).get("name")},
        "started_at": ticket.get("created_at"),
        "topic": ticket.get("subject"),
        "resolved": RESOLVED.get(ticket.get("status") or ""),
        "tags": ticket.get("tags") or [],
        "turns": turns,
        "metadata": {"zendesk": {k: v for k, v in {
            "status": ticket.get("status"), "via": channel, "satisfaction": rating,
            "group_id": ticket.get("group_id")}.items() if v is not None}},
    }
