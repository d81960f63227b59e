"""Benchmark of the reports issue: 200 coaching PDFs vs a plain reportlab baseline, same run.

Data (seeded): 200 agents in 10 teams, 40 evaluations each (8,000 chats of 6 turns, spread over
six months, scored against the shipped ``support-chat`` rubric with pass/fail verdicts and quoted
evidence), in a fresh SQLite database. Measured:

  coaching   what ``qa report coaching --all`` does for the last month: reading the database and
             computing every report (``coaching_reports``), then rendering and writing each PDF
             atomically (``write_coaching_pdf``).
  baseline   plain reportlab (platypus, Helvetica, no database): for each of our PDFs a document
             with the same number of pages, about as much text, and one bar chart.
  baseline with the embedded font
             the same documents (same text) set in the DejaVu Sans TrueType font our PDFs embed, so
             the font subsetting and embedding that Unicode text needs is on both sides; a second,
             informative ratio (the headline ratio stays the one against the Helvetica baseline).

Each of our PDFs is followed at once by its baseline twin, so both see the same load on a shared
machine. Prints wall-clock and CPU times and their ratios (target ≤ 2×) and writes
bench/results/reports.json.

    .venv/bin/python bench/reports.py                 # 200 agents × 40 evaluations, about a minute
    .venv/bin/python bench/reports.py --agents 20     # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from collections.abc import Callable
from typing import Any

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "reports.json"

FIRST = ["Dana", "José", "Zoë", "Li", "Amara", "Kenji", "Sofía", "Noah", "Priya", "Olek", "Fatima", "Lars"]
LAST = ["Park", "Martín", "Nguyen", "雷", "Okafor", "Sato", "Ruiz", "Berg", "Iyer", "Kowalski", "Haddad", "Ek"]
CUSTOMER = ["I was charged twice for my order & nobody answered my e-mail.", "Where is my refund? It's been 3 weeks!",
            "I can't log in, the reset link <never> arrives.", "Can you change the delivery address?",
            "This is ridiculous, I've been waiting for days."]
AGENT = ["Hi, thanks for reaching out, my name is Sam.", "I'm sorry about that, let me check your account.",
         "Your refund of €40 was issued on Monday.", "Could you confirm your e-mail address first?",
         "Is there anything else I can help with?", "Please calm down, that's not my problem."]


def _rubric_body() -> dict[str, Any]:
    from qa_toolkit.rubrics.loader import body_of
    from qa_toolkit.rubrics.model import Rubric
    import yaml

    data = yaml.safe_load((ROOT / "qa_toolkit" / "rubrics" / "library" / "support-chat.yaml").read_text())
    return body_of(Rubric.model_validate(data))


def seed(url: str, agents: int, per_agent: int, rng: random.Random, teams: int = 10,
         write: Callable[[Any, Any, list[dict[str, Any]]], None] | None = None) -> None:
    """Create the database and insert agents (in ``teams`` teams), chats, turns, a rubric version and evaluations
    (the bulk tables through ``write(session, model, rows)`` when given, e.g. PostgreSQL's COPY)."""
    from qa_toolkit.services import schema
    from qa_toolkit.storage import models as m
    from qa_toolkit.storage.database import open_database

    schema.init_database(url)
    database = open_database(url)
    body = _rubric_body()
    criteria = [(cat["key"], c["key"], c.get("critical", "none")) for cat in body["categories"] for c in cat["criteria"]]
    fail_rate = {key: rng.uniform(0.02, 0.35) for _, key, _ in criteria}
    start = datetime(2026, 5, 1, tzinfo=timezone.utc)
    span = (datetime(2026, 11, 1, tzinfo=timezone.utc) - start).total_seconds()
    with database.session() as session:
        version = m.RubricVersion(name=body["name"], version=1, content_hash="0" * 64, channels=body["channels"],
                                  body=body, source="(bench)")
        session.add(version)
        session.flush()
        session.execute(insert(m.Agent), [
            {"id": i + 1, "external_id": f"ag-{i + 1:03d}", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
             "team": f"team-{i % teams + 1:02d}", "hired_at": date(2020, 1, 1) + timedelta(days=rng.randrange(2300)),
             "created_at": start} for i in range(agents)])
        interactions, turns, evaluations, results = [], [], [], []
        n = 0
        for agent_id in range(1, agents + 1):
            skill = rng.uniform(-0.1, 0.15)
            for _ in range(per_agent):
                n += 1
                at = start + timedelta(seconds=rng.uniform(0, span))
                interactions.append({
                    "id": n, "source": "bench", "external_id": f"chat-{n}", "channel": "chat", "agent_id": agent_id,
                    "customer_external_id": f"cust-{rng.randrange(agents * per_agent // 3)}", "started_at": at,
                    "ended_at": at + timedelta(minutes=rng.uniform(3, 30)), "duration_s": rng.uniform(180, 1500),
                    "queue": rng.choice(["billing", "orders", "tech"]), "csat": rng.choice([1, 2, 3, 4, 4, 5, 5, 5]),
                    "nps": rng.randrange(11), "resolved": rng.random() < 0.8, "escalated": rng.random() < 0.12,
                    "tags": [], "metadata": {}, "created_at": at, "updated_at": at})
                for index in range(6):
                    speaker = "customer" if index % 2 == 0 else "agent"
                    turns.append({"interaction_id": n, "index": index, "speaker": speaker,
                                  "text": rng.choice(CUSTOMER if speaker == "customer" else AGENT),
                                  "start_s": 20.0 * index, "at": at + timedelta(seconds=20 * index)})
                categories: dict[str, list[float]] = {}
                critical = False
                for category, key, crit in criteria:
                    failed = rng.random() < max(0.0, fail_rate[key] - skill)
                    critical = critical or (failed and crit == "fail_all")
                    categories.setdefault(category, []).append(0.0 if failed else 100.0)
                    results.append({"evaluation_id": n, "criterion_key": key, "category": category,
                                     "value": 0.0 if failed else 1.0, "normalized": 0.0 if failed else 100.0,
                                     "status": "fail" if failed else "pass", "decided_by": "auto",
                                     "message": "check failed" if failed else None,
                                     "evidence": [{"turn": 1, "text": turns[-5]["text"], "start_s": 20.0}] if failed
                                     else []})
                means = {k: sum(v) / len(v) for k, v in categories.items()}
                evaluations.append({"id": n, "interaction_id": n, "rubric_version_id": version.id, "kind": "auto",
                                    "score": 0.0 if critical else sum(means.values()) / len(means),
                                    "critical_failed": critical, "category_scores": means, "created_at": at,
                                    "version": 1, "is_current": True})
        for table, rows in ((m.Interaction, interactions), (m.Turn, turns), (m.Evaluation, evaluations),
                            (m.CriterionResult, results)):
            if write is not None:
                write(session, table, rows)
                continue
            for i in range(0, len(rows), 5000):
                session.execute(insert(table), rows[i:i + 5000])
    database.close()


def baseline_document(path: Path, pages: int, chars: int, rng: random.Random,
                      fonts: tuple[str, str] | None = None) -> None:
    """Plain reportlab: a title, one bar chart and ``pages`` pages of about ``chars`` characters of text.

    ``fonts`` (regular, bold registered names) sets the text and chart labels in those fonts instead
    of reportlab's standard Helvetica.
    """
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    if fonts is not None:
        styles["Title"].fontName, styles["BodyText"].fontName = fonts[1], fonts[0]
    words = " ".join(CUSTOMER + AGENT).split()
    story: list[Any] = [Paragraph(path.stem, styles["Title"])]
    chart = Drawing(400, 180)
    bars = VerticalBarChart()
    bars.x, bars.y, bars.width, bars.height = 40, 30, 330, 130
    bars.data = [[rng.uniform(40, 100) for _ in range(5)], [rng.uniform(40, 100) for _ in range(5)]]
    bars.categoryAxis.categoryNames = ["Communication", "Empathy", "Accuracy", "Resolution", "Compliance"]
    if fonts is not None:
        bars.categoryAxis.labels.fontName = bars.valueAxis.labels.fontName = fonts[0]
    chart.add(bars)
    story += [chart, Spacer(1, 12)]
    per_page = chars // pages
    for page in range(pages):
        written = 0
        while written < per_page:
            text = " ".join(rng.choice(words) for _ in range(30)).replace("&", "&amp;").replace("<", "&lt;")
            story.append(Paragraph(text, styles["BodyText"]))
            written += len(text)
        if page < pages - 1:
            story.append(PageBreak())
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


class Clock:
    """Wall-clock and CPU seconds, summed over the timed blocks."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    def __enter__(self) -> Clock:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall += time.perf_counter() - self._wall
        self.cpu += time.process_time() - self._cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--evaluations", type=int, default=40, help="per agent")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()

    from pypdf import PdfReader

    from qa_toolkit.reports.fonts import load_fonts
    from qa_toolkit.reports.pdf import write_coaching_pdf
    from qa_toolkit.reports.period import parse_period
    from qa_toolkit.services.reports import coaching_filename, coaching_reports
    from qa_toolkit.storage.database import open_database

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'bench.db'}"
        began = time.perf_counter()
        seed(url, args.agents, args.evaluations, rng)
        seeded = time.perf_counter() - began
        fonts = load_fonts()  # registering fonts happens once per process; not part of either timing
        ours, compute, plain, plain_ttf = Clock(), Clock(), Clock(), Clock()
        database = open_database(url)
        # Ours = reading + computing every report, then writing each PDF (what write_coaching_pdfs does);
        # each of our PDFs is followed by its baseline twin, so both see the same machine load.
        with ours, compute, database.session() as session:
            batch = coaching_reports(session, period=parse_period("2026-10"))
        database.close()
        twin_rng, ttf_rng = random.Random(args.seed), random.Random(args.seed)
        (work / "plain").mkdir()
        (work / "plain-ttf").mkdir()
        written, pages = [], 0
        for report in batch.reports:
            with ours:
                path = write_coaching_pdf(report, work / "coaching" / coaching_filename(report))
            written.append(path)
            reader = PdfReader(path)  # not timed: the page count and text size the twin copies
            count, chars = len(reader.pages), sum(len(p.extract_text()) for p in reader.pages)
            pages += count
            with plain:
                baseline_document(work / "plain" / path.name, count, chars, twin_rng)
            with plain_ttf:
                baseline_document(work / "plain-ttf" / path.name, count, chars, ttf_rng, (fonts.regular, fonts.bold))
        size = sum(p.stat().st_size for p in written) / len(written)

    ratio = ours.wall / plain.wall
    result = {
        "benchmark": "reports", "agents": args.agents, "evaluations_per_agent": args.evaluations,
        "evaluations_in_period": sum(r.auto_evaluations + r.review_evaluations for r in batch.reports),
        "pdfs": len(written), "pages": pages, "mean_pdf_bytes": round(size), "seed_s": round(seeded, 2),
        "coaching_s": round(ours.wall, 2), "coaching_compute_s": round(compute.wall, 2),
        "baseline_s": round(plain.wall, 2), "ratio_vs_baseline": round(ratio, 2),
        "coaching_cpu_s": round(ours.cpu, 2), "baseline_cpu_s": round(plain.cpu, 2),
        "cpu_ratio_vs_baseline": round(ours.cpu / plain.cpu, 2), "target_ratio": 2.0,
        "baseline_ttf_s": round(plain_ttf.wall, 2), "ratio_vs_baseline_ttf": round(ours.wall / plain_ttf.wall, 2),
        "baseline_ttf_cpu_s": round(plain_ttf.cpu, 2),
        "pdfs_per_s": round(len(written) / ours.wall, 1), "load_average_1m": round(os.getloadavg()[0], 2),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} "
                   f"{platform.python_version()}",
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"seeded {args.agents} agents × {args.evaluations} evaluations in {seeded:.1f} s")
    print(f"coaching PDFs: {len(written)} ({pages} pages) in {ours.wall:.2f} s, of which {compute.wall:.2f} s "
          f"reading and computing ({len(written) / ours.wall:.1f} PDFs/s; CPU {ours.cpu:.2f} s)")
    print(f"plain reportlab baseline, same pages and one chart each: {plain.wall:.2f} s (CPU {plain.cpu:.2f} s)")
    print(f"same baseline in the embedded DejaVu Sans TrueType font: {plain_ttf.wall:.2f} s (CPU "
          f"{plain_ttf.cpu:.2f} s); ratio {ours.wall / plain_ttf.wall:.2f}× wall (informative)")
    print(f"ratio: {ratio:.2f}× wall, {ours.cpu / plain.cpu:.2f}× CPU (target ≤ 2×; load average "
          f"{os.getloadavg()[0]:.1f})  → {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
