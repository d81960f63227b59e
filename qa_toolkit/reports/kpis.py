"""Contact-center KPIs from plain :class:`~qa_toolkit.reports.records.Contact` rows.

Every KPI comes with the number of interactions it was computed from (``*_n``) and is None
when that number is 0. Formulas (documented in the README):

- CSAT = 100 × (responses of 4 or 5 on the 1–5 scale) / responses.
- NPS = % promoters (9–10) − % detractors (0–6) on the 0–10 scale, −100..100.
- CES = mean customer-effort score of the responses.
- FCR = 100 × contacts *not* followed by another contact of the same customer on the same topic
  (the queue when there is no topic) within N days (default 7) / contacts with a known customer.
- AHT = mean handle time, talk + hold + after-call work (seconds).
- Escalation rate = 100 × escalated / contacts where escalation is known.
- Time to resolution = mean minutes from start to resolution over resolved contacts.
- IQS (internal quality score) = mean evaluation score (auto and peer review kept apart).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from qa_toolkit.reports.period import as_utc
from qa_toolkit.reports.records import Contact

GROUPINGS = ("agent", "team", "queue")
FCR_DAYS = 7


@dataclass(frozen=True)
class KpiRow:
    """The KPIs of one group (an agent, team or queue, or everyone: ``group == "all"``)."""

    by: str
    group: str
    label: str
    contacts: int
    csat: float | None
    csat_n: int
    nps: float | None
    nps_n: int
    ces: float | None
    ces_n: int
    fcr: float | None
    fcr_n: int
    aht_s: float | None
    aht_n: int
    escalation_rate: float | None
    escalation_n: int
    ttr_min: float | None
    ttr_n: int
    iqs: float | None
    iqs_n: int
    review_iqs: float | None
    review_iqs_n: int

    def as_dict(self) -> dict[str, Any]:
        """The row as plain data (JSON/CSV)."""
        return asdict(self)


def _pct(hits: int, n: int) -> float | None:
    return 100.0 * hits / n if n else None


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def csat(scores: Iterable[int | None]) -> tuple[float | None, int]:
    """CSAT: % of responses that are 4 or 5 on a 1–5 scale, and the number of responses."""
    answered = [s for s in scores if s is not None]
    return _pct(sum(1 for s in answered if s >= 4), len(answered)), len(answered)


def nps(scores: Iterable[int | None]) -> tuple[float | None, int]:
    """NPS: % promoters (9–10) minus % detractors (0–6), and the number of responses."""
    answered = [s for s in scores if s is not None]
    if not answered:
        return None, 0
    promoters = sum(1 for s in answered if s >= 9)
    detractors = sum(1 for s in answered if s <= 6)
    return 100.0 * (promoters - detractors) / len(answered), len(answered)


def average(values: Iterable[float | None]) -> tuple[float | None, int]:
    """The mean of the known values and how many there were."""
    known = [float(v) for v in values if v is not None]
    return _mean(known), len(known)


def rate(flags: Iterable[bool | None]) -> tuple[float | None, int]:
    """% of known flags that are true, and how many were known."""
    known = [f for f in flags if f is not None]
    return _pct(sum(1 for f in known if f), len(known)), len(known)


def topic_key(contact: Contact) -> str | None:
    """What "the same issue" means for FCR: the topic, else the queue."""
    return contact.topic or contact.queue


def repeat_contacts(contacts: Iterable[Contact], days: int = FCR_DAYS) -> dict[int, bool]:
    """For each contact with a customer, topic and start time: is it followed by a repeat?

    A repeat is a later contact of the same customer on the same topic (else queue) that starts
    within ``days`` days after it. Pass every contact up to the end of the period plus ``days``
    so that repeats just after the period are seen.
    """
    threads: dict[tuple[str, str], list[tuple[datetime, int]]] = defaultdict(list)
    for contact in contacts:
        key = topic_key(contact)
        if contact.customer and key and contact.started_at is not None:
            threads[(contact.customer, key)].append((as_utc(contact.started_at), contact.id))
    window = timedelta(days=days)
    repeated: dict[int, bool] = {}
    for thread in threads.values():
        thread.sort()
        for position, (start, contact_id) in enumerate(thread):
            following = thread[position + 1][0] if position + 1 < len(thread) else None
            repeated[contact_id] = following is not None and following - start <= window
    return repeated


def fcr(contacts: Iterable[Contact], repeats: dict[int, bool]) -> tuple[float | None, int]:
    """FCR: % of contacts (that have a known customer and topic) with no repeat contact."""
    known = [repeats[c.id] for c in contacts if c.id in repeats]
    return _pct(sum(1 for r in known if not r), len(known)), len(known)


def resolution_minutes(contact: Contact) -> float | None:
    """Minutes from start to resolution for a resolved contact, else None."""
    if not contact.resolved or contact.started_at is None or contact.resolved_at is None:
        return None
    return max(0.0, (as_utc(contact.resolved_at) - as_utc(contact.started_at)).total_seconds() / 60)


def handle_time(duration_s: float | None, meta: dict[str, Any]) -> float | None:
    """Handle time in seconds: talk + hold + after-call work.

    Metadata ``talk_s``, ``hold_s`` and ``acw_s`` (also ``after_call_work_s`` / ``wrap_up_s``) are
    used when present; without ``talk_s`` the interaction's duration stands for talk + hold.
    None when neither a duration nor ``talk_s`` is known.
    """

    def number(*keys: str) -> float | None:
        for key in keys:
            value = meta.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
        return None

    talk = number("talk_s")
    after = number("acw_s", "after_call_work_s", "wrap_up_s") or 0.0
    if talk is not None:
        return talk + (number("hold_s") or 0.0) + after
    if duration_s is None:
        return None
    return float(duration_s) + after


def kpi_row(by: str, group: str, label: str, contacts: Sequence[Contact], repeats: dict[int, bool]) -> KpiRow:
    """All KPIs for one group of contacts."""
    csat_v, csat_n = csat(c.csat for c in contacts)
    nps_v, nps_n = nps(c.nps for c in contacts)
    ces_v, ces_n = average(c.ces for c in contacts)
    fcr_v, fcr_n = fcr(contacts, repeats)
    aht_v, aht_n = average(c.handle_s for c in contacts)
    esc_v, esc_n = rate(c.escalated for c in contacts)
    ttr_v, ttr_n = average(resolution_minutes(c) for c in contacts)
    iqs_v, iqs_n = average(c.quality for c in contacts)
    rev_v, rev_n = average(c.review_quality for c in contacts)
    return KpiRow(by, group, label, len(contacts), csat_v, csat_n, nps_v, nps_n, ces_v, ces_n, fcr_v, fcr_n,
                  aht_v, aht_n, esc_v, esc_n, ttr_v, ttr_n, iqs_v, iqs_n, rev_v, rev_n)


def _group_of(by: str) -> Callable[[Contact], tuple[str, str]]:
    if by == "agent":
        return lambda c: (c.agent or "(none)", c.agent_name or c.agent or "(no agent)")
    if by == "team":
        return lambda c: (c.team or "(none)", c.team or "(no team)")
    if by == "queue":
        return lambda c: (c.queue or "(none)", c.queue or "(no queue)")
    raise ValueError(f"unknown grouping {by!r}: choose one of {', '.join(GROUPINGS)}")


def compute_kpis(contacts: Sequence[Contact], *, by: str | None = None,
                 repeats: dict[int, bool] | None = None, fcr_days: int = FCR_DAYS) -> list[KpiRow]:
    """KPI rows for ``contacts``: one per group (sorted by label) and then the total (``"all"``).

    Args:
        contacts: the contacts of the period.
        by: ``agent``, ``team``, ``queue``, or None for the total only.
        repeats: from :func:`repeat_contacts` over a wider window; computed from ``contacts``
            when not given.
    """
    if repeats is None:
        repeats = repeat_contacts(contacts, fcr_days)
    rows: list[KpiRow] = []
    if by is not None:
        key_of = _group_of(by)
        groups: dict[tuple[str, str], list[Contact]] = defaultdict(list)
        for contact in contacts:
            groups[key_of(contact)].append(contact)
        for (group, label), members in sorted(groups.items(), key=lambda item: (item[0][1].lower(), item[0][0])):
            rows.append(kpi_row(by, group, label, members, repeats))
    rows.append(kpi_row(by or "all", "all", "All", contacts, repeats))
    return rows
