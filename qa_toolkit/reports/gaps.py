"""Training gaps: which criteria and categories fail, for whom, and what it costs.

Pure: works on :mod:`~qa_toolkit.reports.records` and returns plain rows. One row per
criterion (or category) × cohort; cohorts are everyone, each team, each tenure band and each
queue.

- A criterion *fails* in an evaluation when its verdict is fail; a category fails when any of
  its criteria fails (it is applicable when any criterion is). One verdict per interaction
  (:func:`~qa_toolkit.reports.verdicts.verdicts`).
- Failure rate with a Wilson 95 % interval; trend = rate now − rate in the previous period
  (percentage points).
- Outcome correlation: the phi coefficient between "failed" and each outcome of the interaction
  (escalated; low CSAT = 1 or 2; repeat contact within the FCR window).
- Impact = failure rate × volume × outcome weight, where volume is the cohort's number of
  interactions in the period (evaluated or not) and outcome weight =
  (1 + Σ max(0, lift)) × (2 for critical criteria, else 1), with lift = P(outcome | failed) −
  P(outcome | passed) for each of the three outcomes. Rows are ranked by impact within a cohort.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from qa_toolkit.reports.records import AgentInfo, Contact, Evaluation, RubricInfo, TrainingModule
from qa_toolkit.reports.stats import lift, phi_coefficient, wilson_interval
from qa_toolkit.reports.verdicts import verdicts

COHORT_TYPES = ("all", "team", "tenure", "queue")
LOW_CSAT = 2  # a CSAT answer of 1 or 2 is "low"
NEEDS_TRAINING = 0.2  # an agent failing a module's criteria at least this often needs the module


def tenure_band(hired_at: date | None, on: date) -> str:
    """The tenure band on a day: ``<3 months``, ``3-12 months``, ``1-2 years``, ``2+ years`` or ``unknown``."""
    if hired_at is None:
        return "unknown"
    months = (on.year - hired_at.year) * 12 + on.month - hired_at.month - (on.day < hired_at.day)
    if months < 3:
        return "<3 months"
    if months < 12:
        return "3-12 months"
    if months < 24:
        return "1-2 years"
    return "2+ years"


@dataclass(frozen=True)
class Observation:
    """One verdict on one criterion or category in one interaction, with its outcomes."""

    agent: str
    cohorts: dict[str, str]  # cohort type -> cohort
    failed: bool
    escalated: bool | None
    low_csat: bool | None
    repeat: bool | None


@dataclass(frozen=True)
class GapRow:
    """A criterion or category in one cohort: how often it fails, the trend and the impact."""

    level: str  # "criterion" | "category"
    key: str
    label: str
    category: str
    critical: bool
    cohort_type: str
    cohort: str
    evaluations: int
    failures: int
    failure_pct: float | None
    ci_low_pct: float | None
    ci_high_pct: float | None
    agents_evaluated: int
    agents_affected: int
    prev_evaluations: int
    prev_failure_pct: float | None
    trend_pts: float | None
    corr_escalation: float | None
    corr_low_csat: float | None
    corr_repeat_contact: float | None
    volume: int
    outcome_weight: float
    impact: float
    rank: int
    training: str
    check_f1: float | None = None  # an automated criterion's measured accuracy (held-out F1), n, and
    check_n: int | None = None  # why its figures are unreliable (reviews drifted away from it)
    check_unreliable: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The row as plain data (one tidy CSV/JSON record)."""
        return asdict(self)

    @property
    def check_text(self) -> str:
        """The automated check's measured accuracy for people: ``F1 0.82 (n 77)``, ``UNRELIABLE``, or empty."""
        if self.check_unreliable:
            return "UNRELIABLE"
        return f"F1 {self.check_f1:.2f} (n {self.check_n or 0})" if self.check_f1 is not None else ""


@dataclass(frozen=True)
class ModuleNeed:
    """A training module and the agents who need it (failing its criteria often enough)."""

    module: TrainingModule
    criteria: tuple[str, ...]
    agents: tuple[tuple[str, str, float], ...]  # (agent id, name, failure %), worst first


@dataclass(frozen=True)
class GapReport:
    """The training-gap summary of a period."""

    period: str
    previous_period: str
    rubric: str
    team: str | None
    evaluations: int
    interactions: int
    rows: tuple[GapRow, ...]
    modules: tuple[ModuleNeed, ...]

    def ranked(self, level: str = "criterion", cohort_type: str = "all", cohort: str = "all") -> list[GapRow]:
        """The rows of one level and cohort, highest impact first."""
        return sorted((r for r in self.rows if (r.level, r.cohort_type, r.cohort) == (level, cohort_type, cohort)),
                      key=lambda r: r.rank)


class _Context:
    """Cohorts and outcomes of each interaction."""

    def __init__(self, agents: Mapping[str, AgentInfo], contacts: Mapping[int, Contact],
                 repeats: Mapping[int, bool], on: date) -> None:
        self.agents, self.contacts, self.repeats, self.on = agents, contacts, repeats, on

    def cohorts(self, evaluation: Evaluation) -> dict[str, str]:
        agent = self.agents.get(evaluation.agent)
        contact = self.contacts.get(evaluation.interaction_id)
        return {"all": "all", "team": (agent.team if agent else None) or "(no team)",
                "tenure": tenure_band(agent.hired_at if agent else None, self.on),
                "queue": (contact.queue if contact else None) or "(no queue)"}

    def observation(self, evaluation: Evaluation, failed: bool, cohorts: dict[str, str]) -> Observation:
        contact = self.contacts.get(evaluation.interaction_id)
        escalated = contact.escalated if contact else None
        low = (contact.csat <= LOW_CSAT) if contact and contact.csat is not None else None
        return Observation(evaluation.agent, cohorts, failed, escalated, low,
                           self.repeats.get(evaluation.interaction_id))


def observations(evaluations: Iterable[Evaluation], rubric: RubricInfo,
                 context: _Context) -> dict[tuple[str, str], list[Observation]]:
    """(level, key) -> observations, for every criterion and category with a verdict."""
    found: dict[tuple[str, str], list[Observation]] = defaultdict(list)
    for evaluation in verdicts(evaluations):
        cohorts = context.cohorts(evaluation)
        by_category: dict[str, list[bool]] = defaultdict(list)
        for result in evaluation.criteria:
            if result.failed is None or result.key not in rubric.criteria:
                continue
            found[("criterion", result.key)].append(context.observation(evaluation, result.failed, cohorts))
            by_category[rubric.criteria[result.key].category].append(result.failed)
        for category, fails in by_category.items():
            found[("category", category)].append(context.observation(evaluation, any(fails), cohorts))
    return found


def _pct(value: float | None) -> float | None:
    return None if value is None else 100.0 * value


def outcome_weight(items: Sequence[Observation], critical: bool) -> float:
    """(1 + Σ max(0, lift) over escalation, low CSAT, repeat contact) × (2 if critical else 1)."""
    weight = 1.0
    for outcome in ("escalated", "low_csat", "repeat"):
        pairs = [(o.failed, getattr(o, outcome)) for o in items if getattr(o, outcome) is not None]
        value = lift([p[0] for p in pairs], [bool(p[1]) for p in pairs])
        weight += max(0.0, value or 0.0)
    return weight * (2.0 if critical else 1.0)


def _phi(items: Sequence[Observation], outcome: str) -> float | None:
    pairs = [(o.failed, bool(getattr(o, outcome))) for o in items if getattr(o, outcome) is not None]
    return phi_coefficient([p[0] for p in pairs], [p[1] for p in pairs])


def training_gaps(
    *,
    evaluations: Sequence[Evaluation],
    previous: Sequence[Evaluation],
    rubric: RubricInfo,
    agents: Mapping[str, AgentInfo],
    contacts: Sequence[Contact],
    repeats: Mapping[int, bool],
    period: str,
    previous_period: str,
    on: date,
    team: str | None = None,
) -> GapReport:
    """The training-gap summary for one rubric and period.

    Args:
        evaluations: the period's evaluations (auto and review) of ``rubric``.
        previous: the previous period's, for the trend.
        agents: agent id -> info (team, hire date for the tenure band on ``on``).
        contacts: the period's interactions (their outcomes, queue, and the cohort volumes).
        repeats: interaction id -> followed by a repeat contact (see ``kpis.repeat_contacts``).
    """
    by_id = {c.id: c for c in contacts}
    context = _Context(agents, by_id, repeats, on)
    now = observations([e for e in evaluations if e.rubric == rubric.name], rubric, context)
    before = observations([e for e in previous if e.rubric == rubric.name], rubric, context)
    volume: dict[tuple[str, str], int] = defaultdict(int)
    for contact in contacts:
        agent = agents.get(contact.agent or "")
        for cohort in _contact_cohorts(contact, agent, on).items():
            volume[cohort] += 1
    rows: list[GapRow] = []
    for (level, key), items in now.items():
        label, category, critical, training = _describe(rubric, level, key)
        for cohort_type in COHORT_TYPES:
            groups: dict[str, list[Observation]] = defaultdict(list)
            for item in items:
                groups[item.cohorts[cohort_type]].append(item)
            earlier: dict[str, list[Observation]] = defaultdict(list)
            for item in before.get((level, key), []):
                earlier[item.cohorts[cohort_type]].append(item)
            for cohort, members in groups.items():
                rows.append(_row(level, key, label, category, critical, training, cohort_type, cohort, members,
                                 earlier.get(cohort, []), volume.get((cohort_type, cohort), len(members))))
    ranked = [_with_accuracy(row, rubric) for row in _ranked(rows)]
    verdict_count = len(verdicts(e for e in evaluations if e.rubric == rubric.name))
    return GapReport(period, previous_period, rubric.name, team, verdict_count, len(contacts), tuple(ranked),
                     tuple(module_needs(now, rubric, agents)))


def _with_accuracy(row: GapRow, rubric: RubricInfo) -> GapRow:
    info = rubric.criteria.get(row.key) if row.level == "criterion" else None
    if info is None or info.accuracy is None:
        return row
    a = info.accuracy
    return replace(row, check_f1=a.f1 if a.f1 is not None else a.accuracy, check_n=a.n or None,
                   check_unreliable=a.unreliable)


def _contact_cohorts(contact: Contact, agent: AgentInfo | None, on: date) -> dict[str, str]:
    return {"all": "all", "team": (agent.team if agent else contact.team) or "(no team)",
            "tenure": tenure_band(agent.hired_at if agent else None, on), "queue": contact.queue or "(no queue)"}


def _describe(rubric: RubricInfo, level: str, key: str) -> tuple[str, str, bool, str]:
    if level == "criterion":
        info = rubric.criteria[key]
        return info.label, info.category, info.critical, "; ".join(m.title for m in info.training)
    modules: dict[str, str] = {}
    critical = False
    for info in rubric.criteria.values():
        if info.category == key:
            critical = critical or info.critical
            modules.update((m.key, m.title) for m in info.training)
    return rubric.categories.get(key, key), key, critical, "; ".join(modules.values())


def _row(level: str, key: str, label: str, category: str, critical: bool, training: str, cohort_type: str,
         cohort: str, items: Sequence[Observation], earlier: Sequence[Observation], volume: int) -> GapRow:
    failures = sum(1 for o in items if o.failed)
    interval = wilson_interval(failures, len(items))
    rate = interval.estimate if interval else None
    prev_failures = sum(1 for o in earlier if o.failed)
    prev_rate = prev_failures / len(earlier) if earlier else None
    weight = outcome_weight(items, critical)
    return GapRow(
        level=level, key=key, label=label, category=category, critical=critical,
        cohort_type=cohort_type, cohort=cohort, evaluations=len(items), failures=failures,
        failure_pct=_pct(rate), ci_low_pct=_pct(interval.low if interval else None),
        ci_high_pct=_pct(interval.high if interval else None),
        agents_evaluated=len({o.agent for o in items}), agents_affected=len({o.agent for o in items if o.failed}),
        prev_evaluations=len(earlier), prev_failure_pct=_pct(prev_rate),
        trend_pts=None if rate is None or prev_rate is None else 100.0 * (rate - prev_rate),
        corr_escalation=_phi(items, "escalated"), corr_low_csat=_phi(items, "low_csat"),
        corr_repeat_contact=_phi(items, "repeat"), volume=volume, outcome_weight=weight,
        impact=(rate or 0.0) * volume * weight, rank=0, training=training)


def _ranked(rows: list[GapRow]) -> list[GapRow]:
    groups: dict[tuple[str, str, str], list[GapRow]] = defaultdict(list)
    for row in rows:
        groups[(row.level, row.cohort_type, row.cohort)].append(row)
    ranked: list[GapRow] = []
    order = {name: i for i, name in enumerate(COHORT_TYPES)}
    for (level, cohort_type, cohort) in sorted(groups, key=lambda g: (g[0] != "criterion", order[g[1]], g[2])):
        members = sorted(groups[(level, cohort_type, cohort)], key=lambda r: (-r.impact, -(r.failure_pct or 0), r.key))
        ranked.extend(replace(row, rank=i) for i, row in enumerate(members, 1))
    return ranked


def module_needs(found: Mapping[tuple[str, str], Sequence[Observation]], rubric: RubricInfo,
                 agents: Mapping[str, AgentInfo], threshold: float = NEEDS_TRAINING) -> list[ModuleNeed]:
    """Each training module of the rubric with the agents failing its criteria ≥ ``threshold`` of the time."""
    modules: dict[str, TrainingModule] = {}
    criteria_of: dict[str, list[str]] = defaultdict(list)
    for info in rubric.criteria.values():
        for module in info.training:
            modules.setdefault(module.key, module)
            criteria_of[module.key].append(info.key)
    needs = []
    for key, module in modules.items():
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for criterion in criteria_of[key]:
            for item in found.get(("criterion", criterion), []):
                counts[item.agent][0] += item.failed
                counts[item.agent][1] += 1
        who = sorted(((agent, fails / total) for agent, (fails, total) in counts.items()
                      if fails and fails / total >= threshold), key=lambda a: (-a[1], a[0]))
        needs.append(ModuleNeed(module, tuple(criteria_of[key]), tuple(
            (agent, agents[agent].name if agent in agents else agent, 100.0 * rate) for agent, rate in who)))
    return sorted(needs, key=lambda n: (-len(n.agents), n.module.title))

