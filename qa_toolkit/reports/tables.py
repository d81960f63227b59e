"""Tidy CSV, JSON and Markdown renderers for KPI rows and training gaps (one row per record)."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import asdict, fields
from typing import Any

from qa_toolkit.reports import csvsafe
from qa_toolkit.reports import format as fmt
from qa_toolkit.reports.gaps import GapReport, GapRow
from qa_toolkit.reports.kpis import KpiRow

GAP_COLUMNS = tuple(f.name for f in fields(GapRow))
KPI_COLUMNS = tuple(f.name for f in fields(KpiRow))


def _rounded(row: dict[str, Any], digits: int = 4) -> dict[str, Any]:
    return {k: round(v, digits) if isinstance(v, float) else v for k, v in row.items()}


def to_csv(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """Rows as CSV with a header line (empty cells for None; formula-like text neutralised, see csvsafe)."""
    buffer = io.StringIO()
    csvsafe.write_dicts(buffer, [_rounded(row) for row in rows], columns)
    return buffer.getvalue()


def kpis_csv(rows: Sequence[KpiRow]) -> str:
    """KPI rows as tidy CSV: one line per group."""
    return to_csv([r.as_dict() for r in rows], KPI_COLUMNS)


def kpis_json(rows: Sequence[KpiRow], period: str | None) -> str:
    """KPI rows as JSON: ``{"period": ..., "rows": [...]}``."""
    return json.dumps({"period": period, "rows": [_rounded(r.as_dict()) for r in rows]}, indent=2,
                      ensure_ascii=False) + "\n"


def gaps_csv(report: GapReport) -> str:
    """Training gaps as tidy CSV: one line per criterion (or category) × cohort."""
    return to_csv([r.as_dict() for r in report.rows], GAP_COLUMNS)


def gaps_json(report: GapReport) -> str:
    """Training gaps as JSON: the period, the tidy rows and the modules with the agents who need them."""
    data = {
        "period": report.period, "previous_period": report.previous_period, "rubric": report.rubric,
        "team": report.team, "evaluations": report.evaluations, "interactions": report.interactions,
        "rows": [_rounded(r.as_dict()) for r in report.rows],
        "modules": [{"module": asdict(n.module), "criteria": list(n.criteria),
                     "agents": [{"agent": a, "name": name, "failure_pct": round(p, 2)} for a, name, p in n.agents]}
                    for n in report.modules],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _md_escape(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def gaps_markdown(report: GapReport, limit: int = 15) -> str:
    """The training-gap summary as Markdown: top criteria, categories, modules and who needs them."""
    lines = [f"# Training gaps {report.period}", "",
             f"Rubric `{report.rubric}`{f', team {report.team}' if report.team else ''}: "
             f"{report.evaluations} evaluated interactions of {report.interactions}; "
             f"trend vs {report.previous_period}.", "",
             "Impact = failure rate × interactions in the cohort × outcome weight "
             "(1 + extra escalation, low-CSAT and repeat-contact rate when failing; × 2 if critical).", ""]
    for level, title in (("criterion", "Criteria"), ("category", "Categories")):
        lines += [f"## {title}", "", "| # | Name | Fail % | 95 % CI | Agents affected | Trend | Impact | Training "
                                     "| Auto-check accuracy |",
                  "|---:|---|---:|---:|---:|---:|---:|---|---|"]
        for row in report.ranked(level)[:limit]:
            lines.append(f"| {row.rank} | {_md_escape(row.label)}{' (critical)' if row.critical else ''} | "
                         f"{fmt.pct(row.failure_pct, 1)} | {fmt.score(row.ci_low_pct)}–{fmt.score(row.ci_high_pct)} | "
                         f"{row.agents_affected}/{row.agents_evaluated} | {fmt.signed(row.trend_pts, 1, ' pts')} | "
                         f"{row.impact:.1f} | {_md_escape(row.training)} | {row.check_text} |")
        lines.append("")
    unreliable = sorted({(r.label, r.check_unreliable) for r in report.rows if r.check_unreliable})
    for label, why in unreliable:
        lines.append(f"**Unreliable:** {_md_escape(label)}: {_md_escape(why)}")
    if unreliable:
        lines.append("")
    lines += ["## Training modules", ""]
    for need in report.modules:
        who = ", ".join(f"{name} ({pct:.0f} %)" for _, name, pct in need.agents) or "nobody"
        lines.append(f"- **{_md_escape(need.module.title)}**: {_md_escape(who)}")
    return "\n".join(lines) + "\n"
