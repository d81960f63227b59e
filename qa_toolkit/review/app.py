"""The review session in the terminal (Textual): transcript on the left, criteria on the right.

Keyboard first: ``j``/``k`` move between criteria, digits score, ``+``/``-`` step along the scale,
``n`` marks N/A, ``c`` comments the criterion, ``o`` comments the whole interaction, ``s`` submits,
``q`` saves a draft and quits (the draft is there next time). In blind mode the agent's name, the
automated score and verdicts and other reviews appear only after submitting.

Feedback on an automated verdict (stored with the review, counted by ``qa score eval --from-reviews``,
turned into exemplars by ``qa rubric tune``): ``w`` marks the verdict wrong, ``e`` marks its quote as
wrong evidence, ``t`` points at the turn that holds the evidence the check missed (type its number).
Each key again takes the mark back.

The app only draws and edits a :class:`~qa_toolkit.review.session.ReviewContext`; saving and
submitting go through the callbacks the caller passes (the services), which validate and store.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Input, Static

from qa_toolkit.errors import QAError
from qa_toolkit.review.criteria import NA, ReviewCriterion, Scoresheet
from qa_toolkit.review.session import ReviewContext

PLACEHOLDER = re.compile(r"\[(?:CARD|SSN|EMAIL|PHONE|IBAN|[A-Z_]{2,20})\]")
SPEAKER_STYLE = {"agent": "bold cyan", "customer": "bold magenta", "system": "dim", "unknown": "dim"}

SaveCallback = Callable[[Scoresheet], None]
SubmitCallback = Callable[[Scoresheet], tuple[int, float | None]]


class ReviewApp(App[str]):
    """Score one assignment; ``run()`` returns a one-line outcome for the terminal."""

    AUTO_FOCUS = None
    CSS = """
    #header { height: 3; padding: 0 1; background: $boost; }
    #body { height: 1fr; }
    #transcript { width: 3fr; border: round $primary; padding: 0 1; }
    #side { width: 2fr; }
    #criteria { height: 1fr; border: round $secondary; padding: 0 1; }
    #detail { height: auto; max-height: 14; border: round $accent; padding: 0 1; }
    #status { height: 1; padding: 0 1; }
    #comment { display: none; }
    #comment.editing { display: block; }
    """
    BINDINGS = [
        Binding("j", "move(1)", "next"),
        Binding("k", "move(-1)", "previous"),
        Binding("plus,equals_sign", "step(1)", "+1", show=False),
        Binding("minus", "step(-1)", "-1", show=False),
        Binding("n", "na", "N/A"),
        Binding("c", "comment", "comment"),
        Binding("o", "overall", "overall comment"),
        Binding("w", "wrong_verdict", "verdict wrong"),
        Binding("e", "wrong_evidence", "evidence wrong"),
        Binding("t", "point", "evidence in turn"),
        Binding("s", "submit", "submit"),
        Binding("q", "quit_draft", "save draft & quit"),
        *[Binding(str(d), f"score({d})", show=False) for d in range(10)],
    ]

    def __init__(self, context: ReviewContext, *, on_save: SaveCallback, on_submit: SubmitCallback) -> None:
        super().__init__()
        self.context = context
        self.sheet = Scoresheet.from_dict(context.draft.as_dict())
        self.cursor = 0
        self.submitted: tuple[int, float | None] | None = None
        self.editing: str | None = None  # criterion key, "" for the overall comment
        self.pointing = False  # the input box asks for a turn number (missing evidence)
        self._save = on_save
        self._submit = on_submit
        self.title = f"qa review: {context.interaction}"

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="header")
        with Horizontal(id="body"):
            with VerticalScroll(id="transcript"):
                yield Static(id="lines")
            with Vertical(id="side"):
                with VerticalScroll(id="criteria"):
                    yield Static(id="criteria-list")
                yield Static(id="detail")
        yield Input(id="comment", placeholder="comment, Enter to keep, Escape to cancel", disabled=True)
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_all()

    @property
    def revealed(self) -> bool:
        """Whether hidden information (agent, automated verdicts, other reviews) may be shown."""
        return not self.context.blind or self.submitted is not None

    @property
    def current(self) -> ReviewCriterion:
        return self.context.criteria[self.cursor]

    def refresh_all(self) -> None:
        """Redraw every panel from the context and the sheet."""
        self.query_one("#header", Static).update(self._header())
        self.query_one("#lines", Static).update(self._transcript())
        self.query_one("#criteria-list", Static).update(self._criteria())
        self.query_one("#detail", Static).update(self._detail())

    def _header(self) -> Text:
        c = self.context
        text = Text()
        text.append(f"{'Calibration' if c.calibration else 'Review'} #{c.assignment_id}  ", style="bold")
        text.append(f"{c.interaction} ({c.channel})  rubric {c.rubric}\n")
        if self.revealed:
            auto = "none" if c.auto_score is None else f"{c.auto_score:.1f}"
            others = ", ".join(f"{who}: {'-' if s is None else f'{s:.1f}'}" for who, s in c.other_reviews) or "none"
            text.append(f"Agent: {c.agent or 'unknown'}   Automated score: {auto}   Other reviews: {others}")
        else:
            text.append("Blind review: agent, automated score and other reviews are hidden until you submit",
                        style="italic yellow")
        return text

    def _evidence_turns(self) -> set[int]:
        if not self.revealed or not (self.context.evidence_always or self.submitted):
            return set()
        verdict = self.context.auto.get(self.current.key)
        return set(verdict.turns) if verdict else set()

    def _transcript(self) -> Text:
        highlighted = self._evidence_turns()
        text = Text()
        for line in self.context.transcript:
            mark = "▌" if line.index in highlighted else " "
            text.append(mark, style="bold yellow")
            if line.when:
                text.append(f"[{line.when}] ", style="dim")
            text.append(f"{line.speaker}: ", style=SPEAKER_STYLE.get(line.speaker, ""))
            body = Text(line.text, style="on grey23" if line.index in highlighted else "")
            for match in PLACEHOLDER.finditer(line.text):
                body.stylize("reverse", match.start(), match.end())
            text.append_text(body)
            text.append("\n")
        return text

    def _value_text(self, criterion: ReviewCriterion) -> str:
        value = self.sheet.values.get(criterion.key)
        if value is None:
            return "·"
        return "N/A" if value == NA else criterion.label_of(float(value))

    def _criteria(self) -> Text:
        text = Text()
        category = None
        for i, criterion in enumerate(self.context.criteria):
            if criterion.category != category:
                category = criterion.category
                text.append(f"{category}\n", style="bold underline")
            pointer = "›" if i == self.cursor else " "
            style = "reverse" if i == self.cursor else ""
            text.append(f"{pointer} {criterion.key:<24} {self._value_text(criterion):>8}", style=style)
            if self.sheet.comments.get(criterion.key):
                text.append(" ✎")
            if self.revealed and criterion.key in self.context.auto:
                verdict = self.context.auto[criterion.key]
                text.append(f"  auto: {verdict.status}", style="dim")
            marks = self.sheet.feedback.get(criterion.key, {})
            if marks:
                text.append(" " + " ".join(
                    {"wrong_verdict": "✗verdict", "wrong_evidence": "✗evidence"}.get(k, f"→turn {v}")
                    for k, v in sorted(marks.items())), style="bold yellow")
            text.append("\n")
        if self.sheet.comment:
            text.append(f"\nOverall comment: {self.sheet.comment}\n", style="italic")
        return text

    def _detail(self) -> Text:
        criterion = self.current
        text = Text()
        text.append(criterion.question + "\n", style="bold")
        if criterion.guidance:
            text.append(criterion.guidance + "\n", style="italic")
        text.append(f"Scale: {criterion.scale_text()}" + ("  (n = N/A)" if criterion.allow_na else "") + "\n")
        modes = {"manual": "scored by you", "auto": "automated (you may override)",
                 "auto_then_review": "automated, you confirm or override"}
        text.append(f"Mode: {modes.get(criterion.mode, criterion.mode)}" + ("  CRITICAL" if criterion.critical else ""))
        if self.revealed and criterion.key in self.context.auto:
            verdict = self.context.auto[criterion.key]
            value = "N/A" if verdict.value is None else criterion.label_of(verdict.value)
            text.append(f"\nAutomated: {value} ({verdict.status}) {verdict.message or ''}", style="cyan")
        if self.sheet.comments.get(criterion.key):
            text.append(f"\nComment: {self.sheet.comments[criterion.key]}")
        marks = self.sheet.feedback.get(criterion.key, {})
        if marks:
            said = [{"wrong_verdict": "the verdict is wrong", "wrong_evidence": "its quote is wrong evidence"}.get(
                k, f"the evidence is in turn {v}") for k, v in sorted(marks.items())]
            text.append(f"\nYour feedback: {'; '.join(said)}", style="yellow")
        return text

    def status(self, message: str, *, error: bool = False) -> None:
        """Show one line under the panels."""
        self.query_one("#status", Static).update(Text(message, style="bold red" if error else "green"))

    # --- actions ------------------------------------------------------------------------------

    def _locked(self) -> bool:
        if self.submitted is not None:
            self.status("Submitted: press q to close.")
            return True
        return self.editing is not None

    def action_move(self, step: int) -> None:
        if self.editing is not None:
            return
        self.cursor = (self.cursor + step) % len(self.context.criteria)
        self.refresh_all()

    def _set(self, value: float | str) -> None:
        try:
            self.sheet.values[self.current.key] = self.current.parse(value)
        except QAError as exc:
            self.status(str(exc), error=True)
            return
        self.status(f"{self.current.key} = {self._value_text(self.current)}")
        self.refresh_all()

    def action_score(self, digit: int) -> None:
        if not self._locked():
            self._set(float(digit))

    def action_step(self, step: int) -> None:
        if self._locked():
            return
        points = [p.value for p in self.current.points]
        value = self.sheet.values.get(self.current.key)
        if value is None or value == NA:
            index = 0 if step > 0 else len(points) - 1
        else:
            index = max(0, min(len(points) - 1, points.index(float(value)) + step))
        self._set(points[index])

    def action_na(self) -> None:
        if not self._locked():
            self._set(NA)

    def _edit(self, key: str, initial: str) -> None:
        self.editing = key
        box = self.query_one("#comment", Input)
        box.value = initial
        box.disabled = False
        box.add_class("editing")
        box.focus()
        self.status("Type the comment; Enter keeps it, Escape cancels.")

    def _auto_verdict(self) -> bool:
        """Whether the current criterion has an automated verdict the reviewer can see (feedback needs one)."""
        if self._locked():
            return False
        if not self.revealed:
            self.status("Blind review: the automated verdicts are hidden, so there is nothing to give feedback on.",
                        error=True)
            return False
        if self.current.key not in self.context.auto:
            self.status(f"{self.current.key} has no automated verdict to give feedback on.", error=True)
            return False
        return True

    def action_wrong_verdict(self) -> None:
        if self._auto_verdict():
            on = self.sheet.toggle(self.current.key, "wrong_verdict")
            self.status(f"{self.current.key}: automated verdict {'marked wrong' if on else 'mark taken back'}")
            self.refresh_all()

    def action_wrong_evidence(self) -> None:
        if self._auto_verdict():
            on = self.sheet.toggle(self.current.key, "wrong_evidence")
            self.status(f"{self.current.key}: quote {'marked as wrong evidence' if on else 'mark taken back'}")
            self.refresh_all()

    def action_point(self) -> None:
        if not self._auto_verdict():
            return
        if "missing_evidence" in self.sheet.feedback.get(self.current.key, {}):
            self.sheet.toggle(self.current.key, "missing_evidence",
                              self.sheet.feedback[self.current.key]["missing_evidence"])
            self.status(f"{self.current.key}: pointer taken back")
            self.refresh_all()
            return
        self.pointing = True
        self._edit(self.current.key, "")
        self.status("Type the number of the turn that holds the evidence; Enter keeps it, Escape cancels.")

    def action_comment(self) -> None:
        if not self._locked():
            self._edit(self.current.key, self.sheet.comments.get(self.current.key, ""))

    def action_overall(self) -> None:
        if not self._locked():
            self._edit("", self.sheet.comment or "")

    def _close_editor(self) -> None:
        box = self.query_one("#comment", Input)
        box.remove_class("editing")
        box.disabled = True
        self.editing = None
        self.pointing = False
        self.set_focus(None)
        self.refresh_all()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self.pointing:
            key = self.editing or ""
            turns = {line.index for line in self.context.transcript}
            if not text.isdigit() or int(text) not in turns:
                self._close_editor()
                self.status(f"No turn {text!r}: turns are numbered {min(turns, default=0)}–{max(turns, default=0)}.",
                            error=True)
                return
            self.sheet.toggle(key, "missing_evidence", int(text))
            self._close_editor()
            self.status(f"{key}: the evidence the check missed is in turn {text}")
            return
        if self.editing == "":
            self.sheet.comment = text or None
        elif self.editing:
            if text:
                self.sheet.comments[self.editing] = text
            else:
                self.sheet.comments.pop(self.editing, None)
        self._close_editor()
        self.status("Comment kept.")

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        if self.editing is not None and event.key == "escape":
            event.stop()
            self._close_editor()
            self.status("Comment discarded.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a comment is being typed, keys go to the input box, not to the bindings."""
        return self.editing is None or action not in {
            "move", "step", "na", "comment", "overall", "submit", "quit_draft", "score", "wrong_verdict",
            "wrong_evidence", "point"}

    def action_submit(self) -> None:
        if self._locked():
            return
        try:
            self.submitted = self._submit(self.sheet)
        except QAError as exc:
            self.status(f"Not submitted: {exc}", error=True)
            return
        evaluation, score = self.submitted
        shown = "no score (all N/A)" if score is None else f"score {score:.1f}"
        self.status(f"Submitted: evaluation {evaluation}, {shown}. Press q to close.")
        self.refresh_all()

    def action_quit_draft(self) -> None:
        if self.submitted is not None:
            evaluation, score = self.submitted
            self.exit(f"Submitted assignment {self.context.assignment_id}: evaluation {evaluation}, "
                      f"score {'-' if score is None else f'{score:.1f}'}")
            return
        self._save(self.sheet)
        self.exit(f"Draft of assignment {self.context.assignment_id} saved "
                  f"({len(self.sheet.values)}/{len(self.context.criteria)} criteria scored); "
                  "`qa review start` resumes it")
