"""PDF renderers (reportlab platypus): the agent coaching report and the training-gap summary.

They only lay out what the services computed (:class:`CoachingReport`, :class:`GapReport`);
every piece of user text goes through :meth:`Fonts.markup`, which escapes it and sets CJK runs
in a fallback font. reportlab is imported inside the functions, so ``qa --help`` stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from qa_toolkit.reports import format as fmt
from qa_toolkit.reports.coaching import CoachingReport, CriterionStanding
from qa_toolkit.reports.files import atomic_path
from qa_toolkit.reports.fonts import Fonts, load_fonts
from qa_toolkit.reports.gaps import GapReport, GapRow
from qa_toolkit.reports.period import parse_period

NAVY = "#1F3A5F"
AGENT = "#2A9D8F"
TEAM = "#A8B3BF"
GAP = "#D1495B"
INK = "#22303C"
MUTED = "#6B7785"
RULE = "#DDE3E9"
PANEL = "#F3F6F9"


@dataclass
class _Kit:
    """Fonts, styles and reportlab modules, built once per process."""

    fonts: Fonts
    styles: dict[str, Any]
    rl: dict[str, Any]


@lru_cache(maxsize=1)
def _kit() -> _Kit:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    rl_config.useA85 = 0  # binary streams: smaller files, and no time spent on ASCII85
    rl_config.shapeChecking = 0  # no attribute validation in charts (read when reportlab.graphics is imported)
    fonts = load_fonts()

    parsed: dict[tuple[str, int], tuple[Any, str, list[Any]]] = {}  # (markup, id(style)) -> style, text, frags

    class Para(Paragraph):  # type: ignore[misc]
        """A Paragraph that parses each (markup, style) once per process and breaks its lines once
        per width. A table wraps every cell twice (to size the row, then to draw it), which made
        line breaking the largest cost of a report; headings, labels and stock phrases repeat in
        every report. Parsed fragments are copied for each paragraph, never shared."""

        def __init__(self, text: str | None, style: Any = None, *args: Any, **kwargs: Any) -> None:
            if text is None or style is None or args or kwargs:  # e.g. the halves of a split paragraph
                super().__init__(text, style, *args, **kwargs)
                return
            key = (text, id(style))
            hit = parsed.get(key)
            if hit is not None and hit[0] is style:
                super().__init__(hit[1], style, frags=[f.clone() for f in hit[2]])
                return
            super().__init__(text, style)
            if self.style is style and not self.bulletText and len(parsed) < 20_000:
                parsed[key] = (style, self.text, [f.clone() for f in self.frags])

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            memo = self.__dict__.get("_qa_wrapped")
            if memo is not None and memo[0] == available_width and "blPara" in self.__dict__:
                return memo[1]
            size = super().wrap(available_width, available_height)
            self._qa_wrapped = (available_width, size)
            return size

    base = ParagraphStyle("base", fontName=fonts.regular, fontSize=9, leading=12, textColor=colors.HexColor(INK))

    def style(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    styles = {
        "body": base,
        "small": style("small", fontSize=7.5, leading=9.5, textColor=colors.HexColor(MUTED)),
        "kicker": style("kicker", fontSize=8, leading=10, textColor=colors.HexColor("#C9D6E3")),
        "title": style("title", fontName=fonts.bold, fontSize=20, leading=24, textColor=colors.white),
        "subtitle": style("subtitle", fontSize=9, leading=12, textColor=colors.HexColor("#E6EDF3")),
        "h2": style("h2", fontName=fonts.bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4,
                    textColor=colors.HexColor(NAVY)),
        "h3": style("h3", fontName=fonts.bold, fontSize=10, leading=13, spaceBefore=2),
        "big": style("big", fontName=fonts.bold, fontSize=22, leading=25, alignment=TA_CENTER),
        "card": style("card", fontSize=7.5, leading=9.5, alignment=TA_CENTER, textColor=colors.HexColor(MUTED)),
        "quote": style("quote", fontSize=8.5, leading=11, textColor=colors.HexColor("#2F3B47")),
        "cell": style("cell", fontSize=8, leading=10),
        "head": style("head", fontName=fonts.bold, fontSize=8, leading=10, textColor=colors.HexColor(NAVY)),
    }
    rl = {"colors": colors, "mm": mm, "Paragraph": Para, "Spacer": Spacer, "Table": Table,
          "TableStyle": TableStyle, "KeepTogether": KeepTogether, "SimpleDocTemplate": SimpleDocTemplate}
    return _Kit(fonts, styles, rl)


class _Builder:
    """Small helpers over platypus so the report functions read like the report."""

    def __init__(self) -> None:
        self.kit = _kit()
        self.f, self.s, self.rl = self.kit.fonts, self.kit.styles, self.kit.rl
        self.colors, self.mm = self.rl["colors"], self.rl["mm"]

    def p(self, text: object, style: str = "body") -> Any:
        """A paragraph of user text (escaped)."""
        return self.rl["Paragraph"](self.f.markup(text), self.s[style])

    def m(self, markup: str, style: str = "body") -> Any:
        """A paragraph of our own markup (already escaped where it holds user text)."""
        return self.rl["Paragraph"](markup, self.s[style])

    def c(self, text: object, width_mm: float) -> Any:
        """A table cell: the plain string when the base font covers it and it fits on one line
        (drawn without Paragraph parsing), else a wrapping paragraph."""
        value = "" if text is None else str(text)
        covered = self.f.covered
        if "\n" not in value and all(ord(ch) in covered for ch in value):
            from reportlab.pdfbase.pdfmetrics import stringWidth

            if stringWidth(value, self.f.regular, 8) <= width_mm * self.mm - 12:
                return value
        return self.p(value, "cell")

    def esc(self, text: object) -> str:
        return self.f.markup(text)

    def h2(self, text: str) -> Any:
        return self.p(text, "h2")

    def space(self, height_mm: float) -> Any:
        return self.rl["Spacer"](1, height_mm * self.mm)

    def table(self, rows: list[list[Any]], widths: list[float], *, header: bool = True,
              extra: list[tuple[Any, ...]] | None = None, right_from: int | None = None) -> Any:
        """A table; plain-string cells (our own numbers and labels) are drawn without Paragraph parsing."""
        colors = self.colors
        commands: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), self.f.regular), ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("LEADING", (0, 0), (-1, -1), 10), ("TEXTCOLOR", (0, 0), (-1, -1), colors.HexColor(INK)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
        ]
        if header:
            commands += [("LINEBELOW", (0, 0), (-1, 0), 0.9, colors.HexColor(NAVY)),
                         ("FONTNAME", (0, 0), (-1, 0), self.f.bold), ("TEXTCOLOR", (0, 0), (-1, 0), colors.HexColor(NAVY))]
        if right_from is not None:
            commands.append(("ALIGN", (right_from, 0), (-1, -1), "RIGHT"))
        table = self.rl["Table"](rows, colWidths=[w * self.mm for w in widths], repeatRows=1 if header else 0,
                                 hAlign="LEFT")
        table.setStyle(self.rl["TableStyle"](commands + (extra or [])))
        return table

    def cells(self, values: list[object], style: str = "cell") -> list[Any]:
        return [self.p(v, style) for v in values]

    def header_band(self, kicker: str, title: str, subtitle_markup: str, width_mm: float) -> Any:
        colors = self.colors
        band = self.rl["Table"](
            [[self.p(kicker, "kicker")], [self.p(title, "title")], [self.m(subtitle_markup, "subtitle")]],
            colWidths=[width_mm * self.mm])
        band.setStyle(self.rl["TableStyle"]([
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(NAVY)),
            ("LEFTPADDING", (0, 0), (-1, -1), 12), ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, 0), 10), ("BOTTOMPADDING", (0, -1), (-1, -1), 10),
            ("TOPPADDING", (0, 1), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -2), 1),
        ]))
        return band

    def cards(self, cards: list[tuple[str, str, str, str, str]], width_mm: float) -> Any:
        """Score cards: (big value, its colour, label, small line, its colour); plain strings, no markup."""
        colors = self.colors
        rows = [[c[0] for c in cards], [c[2] for c in cards], [c[3] for c in cards]]
        table = self.rl["Table"](rows, colWidths=[width_mm / len(cards) * self.mm] * len(cards))
        commands: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(PANEL)),
            ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
            ("ALIGN", (0, 0), (-1, -1), "CENTER"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONT", (0, 0), (-1, 0), self.f.bold, 21, 24),
            ("FONT", (0, 1), (-1, 1), self.f.bold, 7.5, 9.5),
            ("FONT", (0, 2), (-1, 2), self.f.regular, 7.5, 9.5), ("TEXTCOLOR", (0, 1), (-1, -1), colors.HexColor(MUTED)),
            ("TOPPADDING", (0, 0), (-1, 0), 8), ("BOTTOMPADDING", (0, 0), (-1, 0), 3),
            ("BOTTOMPADDING", (0, -1), (-1, -1), 8),
            ("TOPPADDING", (0, 1), (-1, -1), 0), ("BOTTOMPADDING", (0, 1), (-1, 1), 1),
        ]
        for column, card in enumerate(cards):
            commands += [("TEXTCOLOR", (column, 0), (column, 0), colors.HexColor(card[1])),
                         ("TEXTCOLOR", (column, 2), (column, 2), colors.HexColor(card[4]))]
        table.setStyle(self.rl["TableStyle"](commands))
        return table

    def doc(self, path: Path, title: str, footer: str) -> Any:
        mm = self.mm
        regular = self.f.regular
        colors = self.colors

        def on_page(canvas: Any, doc: Any) -> None:
            canvas.saveState()
            canvas.setFont(regular, 7)
            canvas.setFillColor(colors.HexColor(MUTED))
            canvas.drawString(16 * mm, 9 * mm, self.f.plain(footer))
            canvas.drawRightString(doc.pagesize[0] - 16 * mm, 9 * mm, f"page {doc.page}")
            canvas.setStrokeColor(colors.HexColor(RULE))
            canvas.line(16 * mm, 12 * mm, doc.pagesize[0] - 16 * mm, 12 * mm)
            canvas.restoreState()

        from reportlab.lib.pagesizes import A4

        document = self.rl["SimpleDocTemplate"](
            str(path), pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=14 * mm,
            bottomMargin=16 * mm, title=self.f.plain(title), author="qa-toolkit", creator="qa-toolkit")
        document._qa_on_page = on_page
        return document

    def build(self, document: Any, story: list[Any]) -> None:
        document.build(story, onFirstPage=document._qa_on_page, onLaterPages=document._qa_on_page)


def _short_period(text: str) -> str:
    period = parse_period(text)
    if period.start.day == 1 and period.start.month == period.end.month and period.days >= 28:
        return period.start.strftime("%b %y")
    return period.start.strftime("%d %b")


@dataclass
class Series:
    """One line or one set of bars: its colour, legend name and values (None = no data)."""

    name: str
    colour: str
    values: list[float | None]
    dashed: bool = False


def _chart_class() -> type:
    """A Flowable that draws a small line or grouped-bar chart straight onto the canvas.

    The reportlab.graphics chart widgets build a node tree per chart and take about ten times
    longer to draw; with 200 PDFs per run that is most of the time, so the two charts the
    coaching report needs are drawn here with a few canvas calls.
    """
    from reportlab.lib import colors
    from reportlab.platypus import Flowable

    class Chart(Flowable):  # type: ignore[misc]
        def __init__(self, kind: str, title: str, categories: list[str], series: list[Series], *,
                     width: float, height: float, low: float = 0, high: float = 100, step: float = 25,
                     labels: bool = False, note: str = "") -> None:
            super().__init__()
            self.note = note
            self.kind, self.title, self.categories, self.series = kind, title, categories, series
            self.width, self.height, self.low, self.high, self.step, self.labels = width, height, low, high, step, labels

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return self.width, self.height

        def _y(self, value: float, bottom: float, height: float) -> float:
            return bottom + (min(max(value, self.low), self.high) - self.low) / (self.high - self.low) * height

        def draw(self) -> None:
            canvas, fonts = self.canv, _kit().fonts
            left, bottom = 24.0, 30.0
            width, height = self.width - left - 6, self.height - bottom - 20
            canvas.setFont(fonts.bold, 9)
            canvas.setFillColor(colors.HexColor(NAVY))
            canvas.drawString(0, self.height - 10, self.title)
            canvas.setFont(fonts.regular, 7)
            canvas.setFillColor(colors.HexColor(MUTED))
            canvas.setLineWidth(0.5)
            value = self.low
            while value <= self.high + 1e-9:
                y = self._y(value, bottom, height)
                canvas.setStrokeColor(colors.HexColor("#EEF1F4" if value > self.low else RULE))
                canvas.line(left, y, left + width, y)
                canvas.drawRightString(left - 4, y - 2.5, f"{value:g}")
                value += self.step
            slot = width / max(1, len(self.categories))
            for i, name in enumerate(self.categories):
                font, label = fonts.for_text(name), fonts.plain(name)
                while len(label) > 2 and canvas.stringWidth(label, font, 7) > slot - 3:
                    label = label[:-2] + "…"
                canvas.setFont(font, 7)
                canvas.drawCentredString(left + slot * (i + 0.5), bottom - 10, label)
            if self.note:
                canvas.setFont(fonts.regular, 7)
                canvas.drawRightString(left + width, bottom + height + 4, self.note)
            if self.kind == "line":
                self._lines(canvas, left, bottom, slot, height)
            else:
                self._bars(canvas, left, bottom, slot, height, fonts)
            x = left
            canvas.setFont(fonts.regular, 7)
            for series in self.series:
                canvas.setFillColor(colors.HexColor(series.colour))
                canvas.setStrokeColor(colors.HexColor(series.colour))
                if self.kind == "line":
                    canvas.setLineWidth(2)
                    canvas.setDash(*((3, 2) if series.dashed else ([], 0)))
                    canvas.line(x, 6, x + 12, 6)
                    canvas.setDash([], 0)
                else:
                    canvas.rect(x, 2.5, 7, 7, stroke=0, fill=1)
                canvas.setFillColor(colors.HexColor(INK))
                canvas.drawString(x + 16, 3.5, series.name)
                x += 16 + canvas.stringWidth(series.name, fonts.regular, 7) + 14

        def _lines(self, canvas: Any, left: float, bottom: float, slot: float, height: float) -> None:
            for series in self.series:
                colour = colors.HexColor(series.colour)
                canvas.setStrokeColor(colour)
                canvas.setFillColor(colour)
                canvas.setLineWidth(1.4 if series.dashed else 2.2)
                canvas.setDash(*((3, 2) if series.dashed else ([], 0)))
                points = [(left + slot * (i + 0.5), self._y(v, bottom, height))
                          for i, v in enumerate(series.values) if v is not None]
                if len(points) > 1:
                    path = canvas.beginPath()
                    path.moveTo(*points[0])
                    for point in points[1:]:
                        path.lineTo(*point)
                    canvas.drawPath(path, stroke=1, fill=0)
                canvas.setDash([], 0)
                for x, y in points:
                    canvas.circle(x, y, 2.0 if series.dashed else 2.4, stroke=0, fill=1)

        def _bars(self, canvas: Any, left: float, bottom: float, slot: float, height: float, fonts: Fonts) -> None:
            count = max(1, len(self.series))
            bar = slot * 0.72 / count
            canvas.setFont(fonts.regular, 6)
            for s, series in enumerate(self.series):
                canvas.setFillColor(colors.HexColor(series.colour))
                for i, value in enumerate(series.values):
                    if value is None:
                        continue
                    x = left + slot * i + slot * 0.14 + s * bar
                    top = self._y(value, bottom, height)
                    canvas.rect(x, bottom, bar - 1, top - bottom, stroke=0, fill=1)
                    if self.labels:
                        canvas.setFillColor(colors.HexColor(INK))
                        canvas.drawCentredString(x + (bar - 1) / 2, top + 2, f"{value:.0f}")
                        canvas.setFillColor(colors.HexColor(series.colour))

    return Chart


_CHART: list[type] = []


def _chart(*args: Any, **kwargs: Any) -> Any:
    if not _CHART:
        _CHART.append(_chart_class())
    return _CHART[0](*args, **kwargs)


def trend_chart(report: CoachingReport, width_mm: float, height_mm: float) -> Any:
    """Line chart: the agent's quality score and the team average over the last periods."""
    mm = _kit().rl["mm"]
    points = list(report.trend)
    while len(points) > 2 and points[0].agent is None and points[0].team is None:
        points.pop(0)  # no data yet in the oldest periods
    known = [v for p in points for v in (p.agent, p.team) if v is not None]
    low = max(0, int(min(known, default=0) // 10) * 10 - 10)
    return _chart("line", "Quality score by period", [_short_period(p.period) for p in points],
                  [Series("Team average", TEAM, [p.team for p in points], dashed=True),
                   Series("Agent", AGENT, [p.agent for p in points])],
                  width=width_mm * mm, height=height_mm * mm, low=low, high=100, step=10 if low >= 50 else 20,
                  note="" if sum(p.agent is not None for p in points) > 1 else "first period with evaluations")


def category_chart(report: CoachingReport, width_mm: float, height_mm: float) -> Any:
    """Bar chart: category scores of the agent next to the team's."""
    mm = _kit().rl["mm"]
    return _chart("bar", "Category scores vs team", [c.label for c in report.categories],
                  [Series("Agent", AGENT, [c.agent for c in report.categories]),
                   Series("Team average", TEAM, [c.team for c in report.categories])],
                  width=width_mm * mm, height=height_mm * mm, labels=True)


QUOTE_CHARS = 280


def quoted(b: _Builder, quote: Any) -> str:
    """A turn's text as markup, the words the check pointed at in bold, long turns cut around them."""
    text, match = quote.text, quote.match
    at = text.find(match) if match else -1
    if len(text) > QUOTE_CHARS:
        begin = max(0, min(at - QUOTE_CHARS // 3, len(text) - QUOTE_CHARS)) if at >= 0 else 0
        prefix, suffix = ("…" if begin else ""), ("…" if begin + QUOTE_CHARS < len(text) else "")
        text = prefix + text[begin:begin + QUOTE_CHARS] + suffix
        at = text.find(match) if match else -1
    if at < 0:
        return f"“{b.esc(text)}”"
    return f"“{b.esc(text[:at])}<b>{b.esc(match)}</b>{b.esc(text[at + len(match):])}”"


def _quote_line(b: _Builder, quote: Any) -> str:
    stamp = fmt.offset(quote.start_s) or (quote.at.strftime("%H:%M:%S") if quote.at else "")
    speaker = (quote.speaker or "").capitalize()
    turn = f"turn {quote.turn}" if quote.turn is not None else ""
    where = " · ".join(x for x in (stamp, turn) if x)
    return (f'<font color="{MUTED}" size="7.5">{b.esc(where)}</font>  <b>{b.esc(speaker)}:</b> '
            f'{quoted(b, quote)}')


def _accuracy_markup(b: _Builder, accuracy: Any) -> str:
    """`` · auto-check F1 0.82 (n 77)`` beside an automated criterion's figures; unreliable ones in red."""
    if accuracy is None:
        return ""
    if accuracy.unreliable:
        return f' · <font color="{GAP}"><b>auto-check unreliable</b>: {b.esc(accuracy.unreliable)}</font>'
    return f" · auto-{b.esc(accuracy.text())}"


def _gap_block(b: _Builder, number: int, gap: CriterionStanding, width_mm: float) -> Any:
    colors = b.colors
    team = f" · team {fmt.pct(gap.team_failure_pct)}" if gap.team_failure_pct is not None else ""
    critical = f' <font color="{GAP}">critical</font>' if gap.critical else ""
    rows: list[list[Any]] = [
        [b.m(f'<font color="{GAP}">{number}</font>  {b.esc(gap.label)}{critical}', "h3")],
        [b.m(f'{b.esc(gap.category)} · failed {gap.failures} of {gap.evaluations} '
             f'(<b>{fmt.pct(gap.failure_pct)}</b>){team}{_accuracy_markup(b, gap.accuracy)}', "small")],
    ]
    for evidence in gap.evidence:
        lines = [f'<font color="{MUTED}" size="7.5">Interaction {b.esc(evidence.interaction)} · '
                 f'{fmt.when(evidence.at)}</font>']
        lines += [_quote_line(b, q) for q in evidence.quotes]
        if evidence.note:
            lines.append(f'<font color="{MUTED}"><i>{b.esc(evidence.note)}</i></font>')
        rows.append([b.m("<br/>".join(lines), "quote")])
    if gap.training:
        rows.append([b.m("Training: " + ", ".join(f"<b>{b.esc(m.title)}</b>" for m in gap.training), "small")])
    table = b.rl["Table"](rows, colWidths=[width_mm * b.mm], spaceAfter=3 * b.mm)
    style = [("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 2),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("LINEBEFORE", (0, 0), (0, -1), 2.5, colors.HexColor(GAP))]
    for row in range(2, 2 + len(gap.evidence)):
        style += [("BACKGROUND", (0, row), (0, row), colors.HexColor(PANEL)),
                  ("TOPPADDING", (0, row), (0, row), 4), ("BOTTOMPADDING", (0, row), (0, row), 4)]
    style.append(("NOSPLIT", (0, 0), (0, min(2, len(rows) - 1))))  # never a heading without its first evidence
    table.setStyle(b.rl["TableStyle"](style))
    return table


def coaching_story(report: CoachingReport, *, generated: date | None = None) -> list[Any]:
    """The flowables of a coaching report."""
    b = _Builder()
    width = 178.0
    agent = report.agent
    team = agent.team or "no team"
    subtitle = (f"{b.esc(team)} · {b.esc(agent.id)} · period {b.esc(report.period)} · rubric {b.esc(report.rubric)}"
                f"<br/>Evaluations counted: {report.auto_evaluations} automated, {report.review_evaluations} peer "
                f"review{'s' if report.review_evaluations != 1 else ''} · {report.interactions} interactions")
    story: list[Any] = [b.header_band("COACHING REPORT", agent.name, subtitle, width), b.space(4)]

    delta = None if report.score is None or report.team_score is None else report.score - report.team_score
    delta_colour = AGENT if (delta or 0) >= 0 else GAP
    last = [p.agent for p in report.trend if p.agent is not None]
    change = last[-1] - last[-2] if len(last) >= 2 else None
    rank = f"{report.team_rank} of {report.team_size}" if report.team_rank else "–"
    story.append(b.cards([
        (fmt.score(report.score), NAVY, "Quality score",
         f"auto {fmt.score(report.auto_score)} · review {fmt.score(report.review_score)}", MUTED),
        (fmt.score(report.team_score), MUTED, "Team average", f"{fmt.signed(delta)} vs team", delta_colour),
        (fmt.signed(change) if change is not None else "–", AGENT if (change or 0) >= 0 else GAP,
         "Since last period", "change in quality score", MUTED),
        (rank, NAVY, "Team rank", "by quality score", MUTED),
        (str(len(report.critical_fails)), GAP if report.critical_fails else AGENT, "Critical fails",
         "auto-fail criteria", MUTED),
    ], width))
    story.append(b.space(4))
    charts = b.rl["Table"]([[trend_chart(report, 88, 62), category_chart(report, 88, 62)]],
                           colWidths=[89 * b.mm, 89 * b.mm])
    charts.setStyle(b.rl["TableStyle"]([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(charts)

    if report.categories:
        rows: list[list[Any]] = [["Category", "Agent", "Team", "Difference"]]
        colours = []
        for number, c in enumerate(report.categories, 1):
            diff = None if c.agent is None or c.team is None else c.agent - c.team
            rows.append([b.c(c.label, 88), fmt.score(c.agent), fmt.score(c.team), fmt.signed(diff)])
            colours.append(("TEXTCOLOR", (3, number), (3, number), b.colors.HexColor(AGENT if (diff or 0) >= 0 else GAP)))
        story += [b.space(2), b.table(rows, [88, 30, 30, 30], right_from=1, extra=colours)]

    story.append(b.h2("Strengths"))
    if report.strengths:
        for s in report.strengths:
            team_part = f" (team {fmt.pct(100 - s.team_failure_pct)})" if s.team_failure_pct is not None else ""
            story.append(b.m(f'<font color="{AGENT}">✔</font>  <b>{b.esc(s.label)}</b> — passed '
                             f'{s.evaluations - s.failures} of {s.evaluations} ({fmt.pct(100 - s.failure_pct)})'
                             f'{team_part}{_accuracy_markup(b, s.accuracy)}'))
    else:
        story.append(b.p("No criterion stands out yet: keep collecting evaluations.", "small"))

    story.append(b.h2("Top focus areas"))
    if report.gaps:
        story += [_gap_block(b, i, gap, width) for i, gap in enumerate(report.gaps, 1)]
    else:
        story.append(b.p("No failed criteria in this period.", "small"))

    if report.critical_fails:
        story.append(b.h2("Critical fails"))
        rows = [["When", "Interaction", "Criterion", "Evidence"]]
        for fail in report.critical_fails:
            quote = b.m(quoted(b, fail.quote), "cell") if fail.quote else ""
            rows.append([fmt.when(fail.at), b.c(fail.interaction, 36), b.c(fail.criterion, 46), quote])
        story.append(b.table(rows, [27, 35, 46, 70]))

    if report.comments:
        story.append(b.h2("Reviewers' comments"))
        for comment in report.comments:
            about = f" on {b.esc(comment.criterion)}" if comment.criterion else ""
            story.append(b.m(f'<b>{b.esc(comment.reviewer)}</b>{about} · <font color="{MUTED}">'
                             f'{b.esc(comment.interaction)}, {fmt.when(comment.at)}</font><br/>'
                             f'“{b.esc(comment.text)}”', "quote"))
            story.append(b.space(1.5))

    if report.kpis is not None:
        story.append(b.h2("Contact KPIs"))
        story.append(kpi_table(b, report.kpis, report.team_kpis))

    story.append(b.h2("Recommended training"))
    if report.training:
        links = any(module.url for module, _ in report.training)
        rows = [["Module", "Addresses"] + (["Link"] if links else [])]
        for module, labels in report.training:
            rows.append([b.c(module.title, 60), b.c("; ".join(labels), 78 if links else 118)]
                        + ([b.c(module.url or "", 40)] if links else []))
        story.append(b.table(rows, [60, 78, 40] if links else [60, 118]))
    else:
        story.append(b.p("No training module is recommended for this period.", "small"))
    story.append(b.space(3))
    stamp = (generated or date.today()).isoformat()
    story.append(b.p(f"Quality score: mean evaluation score (0–100) with one verdict per interaction, a peer "
                     f"review replacing the automated one. Calibration evaluations are not counted. "
                     f"Generated {stamp} by qa-toolkit.", "small"))
    return story


KPI_LINES = (
    ("CSAT (4–5 of 5)", "csat", "csat_n", lambda v: fmt.pct(v)),
    ("NPS", "nps", "nps_n", lambda v: fmt.signed(v, 0)),
    ("CES (average)", "ces", "ces_n", lambda v: fmt.score(v, 2)),
    ("First-contact resolution", "fcr", "fcr_n", lambda v: fmt.pct(v)),
    ("Average handle time", "aht_s", "aht_n", fmt.duration),
    ("Escalation rate", "escalation_rate", "escalation_n", lambda v: fmt.pct(v)),
    ("Time to resolution", "ttr_min", "ttr_n", fmt.minutes),
)


def kpi_table(b: _Builder, mine: Any, team: Any) -> Any:
    """KPIs of an agent next to their team's, only the lines with data."""
    rows: list[list[Any]] = [["KPI", "Agent", "n", "Team", "n"]]
    for label, field, count, show in KPI_LINES:
        n, team_n = getattr(mine, count), getattr(team, count) if team is not None else 0
        if not n and not team_n:
            continue
        rows.append([label, show(getattr(mine, field)), str(n),
                     show(getattr(team, field)) if team is not None else "–", str(team_n)])
    if len(rows) == 1:
        rows.append(["No KPI data (CSAT, NPS, durations…) for this period", "", "", "", ""])
    return b.table(rows, [88, 30, 15, 30, 15], right_from=1)


def write_coaching_pdf(report: CoachingReport, path: Path, *, generated: date | None = None) -> Path:
    """Write the coaching PDF of one agent atomically (temporary file, then rename)."""
    b = _Builder()
    with atomic_path(path) as temporary:
        document = b.doc(temporary, f"Coaching report – {report.agent.name} – {report.period}",
                         f"qa-toolkit coaching report · {report.agent.id} · {report.period}")
        b.build(document, coaching_story(report, generated=generated))
    return path


def _gap_rows(b: _Builder, rows: list[GapRow], with_cohort: bool, what: str = "Criterion") -> Any:
    header = (["Cohort"] if with_cohort else []) + ["#", what, "Fail %", "95 % CI", "Agents", "Trend", "Impact",
                                                     "Auto-check"]
    table: list[list[Any]] = [header]
    for row in rows:
        values = ([b.p(row.cohort, "cell")] if with_cohort else []) + [
            str(row.rank), b.p(row.label + (" (critical)" if row.critical else ""), "cell"), fmt.pct(row.failure_pct),
            f"{fmt.score(row.ci_low_pct, 0)}–{fmt.score(row.ci_high_pct, 0)}",
            f"{row.agents_affected}/{row.agents_evaluated}", fmt.signed(row.trend_pts, 0, " pts"),
            f"{row.impact:.1f}", b.p(row.check_text, "cell")]
        table.append(values)
    widths = ([26] if with_cohort else []) + [7, 37 if with_cohort else 63, 14, 16, 14, 16, 14, 22]
    return b.table(table, widths, right_from=3 if with_cohort else 2)


def write_gaps_pdf(report: GapReport, path: Path, *, generated: date | None = None) -> Path:
    """Write the training-gap summary as a PDF atomically."""
    b = _Builder()
    width = 178.0
    subtitle = (f"Period {b.esc(report.period)} (trend vs {b.esc(report.previous_period)}) · rubric "
                f"{b.esc(report.rubric)}{' · team ' + b.esc(report.team) if report.team else ''}<br/>"
                f"{report.evaluations} evaluated interactions of {report.interactions}")
    story: list[Any] = [b.header_band("TRAINING GAPS", "Where training pays off", subtitle, width), b.space(3)]
    story.append(b.p("Impact = failure rate × interactions in the cohort × outcome weight; outcome weight = "
                     "(1 + extra escalation, low-CSAT and repeat-contact rate when the criterion fails) × 2 for "
                     "critical criteria. Fail % with a Wilson 95 % interval; trend in percentage points.", "small"))
    unreliable = sorted({(r.label, r.check_unreliable) for r in report.rows if r.check_unreliable})
    for label, why in unreliable:
        story.append(b.m(f'<font color="{GAP}"><b>Unreliable:</b></font> {b.esc(label)}: {b.esc(why)}', "small"))
    story.append(b.p("Auto-check: the automated check's F1 measured on held-out review labels when its rubric "
                     "version was tuned (n labels); UNRELIABLE when recent reviews disagree with it.", "small"))
    story.append(b.h2("Criteria, whole floor"))
    story.append(_gap_rows(b, report.ranked("criterion")[:15], False))
    story.append(b.h2("Categories"))
    story.append(_gap_rows(b, report.ranked("category"), False, "Category"))
    for cohort_type, title in (("team", "By team"), ("tenure", "By tenure"), ("queue", "By queue")):
        cohorts = sorted({r.cohort for r in report.rows if r.cohort_type == cohort_type and r.level == "criterion"})
        rows = [r for c in cohorts for r in report.ranked("criterion", cohort_type, c)[:3] if r.failures]
        if rows:
            story.append(b.h2(f"{title}: top 3 failing criteria each"))
            story.append(_gap_rows(b, rows, True))
    story.append(b.h2("Training modules and who needs them"))
    needed = [n for n in report.modules if n.agents]
    if needed:
        rows = [["Module", "Agents (fail % on its criteria)"]]
        for need in needed:
            who = ", ".join(f"{name} ({pct:.0f} %)" for _, name, pct in need.agents)
            rows.append(b.cells([need.module.title, who]))
        story.append(b.table(rows, [60, 118]))
    else:
        story.append(b.p("No agent fails a module's criteria often enough to need it.", "small"))
    story.append(b.space(3))
    story.append(b.p(f"Generated {(generated or date.today()).isoformat()} by qa-toolkit.", "small"))
    with atomic_path(path) as temporary:
        document = b.doc(temporary, f"Training gaps – {report.period}", f"qa-toolkit training gaps · {report.period}")
        b.build(document, story)
    return path
