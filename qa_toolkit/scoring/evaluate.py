"""Measuring the automated checks against hand labels (``qa score eval``).

Input: canonical chat JSONL whose ``labels`` object holds any of the labels in :data:`LABELS`.
Booleans (and null, "does not apply") get accuracy and precision / recall / F1 for ``true``;
numbers get the mean absolute error; ``customer_sentiment_end`` gets accuracy and macro F1; PII
spans get span precision and recall, overall and per PII type (a found span counts when it overlaps a
labelled one of the same type in the same turn), for chats and calls alike.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa_toolkit.errors import QAError

from qa_toolkit.scoring.checks import CheckResult, get_check
from qa_toolkit.scoring.checks.compliance import spans_in
from qa_toolkit.scoring.view import InteractionView, TurnView


def _status_is(wanted: str) -> Callable[[CheckResult], Any]:
    return lambda r: None if r.status == "na" else r.status == wanted


def _measure(name: str) -> Callable[[CheckResult], Any]:
    return lambda r: r.measures.get(name)


@dataclass(frozen=True)
class Label:
    """How one hand label is predicted: the check that predicts it and how to read its result."""

    check: str
    kind: str  # binary | number | category | spans
    read: Callable[[CheckResult], Any]
    tolerance: float = 1.0


LABELS: dict[str, Label] = {
    "greeting": Label("greeting", "binary", lambda r: r.status == "pass"),
    "closing": Label("closing", "binary", lambda r: r.status == "pass"),
    "empathy_when_needed": Label("empathy", "binary", _status_is("pass")),
    "identity_verified_before_account_details": Label("identity_before_account", "binary", _status_is("pass")),
    "disclosure_given": Label("disclosure", "binary", lambda r: r.status == "pass"),
    "prohibited_language_by_agent": Label("prohibited_language", "binary", lambda r: r.status == "fail"),
    "resolved": Label("resolution", "binary", _measure("resolved")),
    "escalated": Label("escalation", "binary", _measure("escalated")),
    "hold_etiquette": Label("hold_etiquette", "binary", _status_is("pass")),
    "unredacted_pii": Label("pii_exposure", "spans", lambda r: r.measures.get("spans", [])),
    "max_agent_response_gap_seconds": Label("response_time", "number", _measure("longest_wait_s")),
    "customer_sentiment_end": Label("customer_sentiment", "category", _measure("sentiment_end")),
    "talk_ratio_agent": Label("talk_ratio", "number", _measure("talk_ratio_agent"), 0.05),
    "longest_silence_s": Label("silence", "number", _measure("longest_silence_s")),
    "overtalk_s": Label("overtalk", "number", _measure("overtalk_s")),
}


@dataclass
class LabelReport:
    """Agreement between one label and its check."""

    label: str
    check: str
    kind: str
    n: int = 0
    metrics: dict[str, float | None] = field(default_factory=dict)
    disagreements: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``."""
        return {"label": self.label, "check": self.check, "kind": self.kind, "n": self.n, **self.metrics,
                "disagreements": self.disagreements}


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def binary_metrics(pairs: Iterable[tuple[Any, Any]]) -> dict[str, float | None]:
    """Accuracy over all pairs (null is a value of its own); precision, recall and F1 of ``true``."""
    pairs = list(pairs)
    tp = sum(1 for e, p in pairs if e is True and p is True)
    fp = sum(1 for e, p in pairs if e is not True and p is True)
    fn = sum(1 for e, p in pairs if e is True and p is not True)
    precision, recall = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    return {"accuracy": _ratio(sum(1 for e, p in pairs if e == p), len(pairs)), "precision": precision,
            "recall": recall, "f1": _f1(precision, recall)}


def confusion(pairs: Iterable[tuple[Any, Any]]) -> dict[str, int]:
    """Support (labelled true) and the confusion counts of ``true``: tp, fp, fn, tn (null counts as not true)."""
    pairs = list(pairs)
    tp = sum(1 for e, p in pairs if e is True and p is True)
    fp = sum(1 for e, p in pairs if e is not True and p is True)
    fn = sum(1 for e, p in pairs if e is True and p is not True)
    return {"support": tp + fn, "tp": tp, "fp": fp, "fn": fn, "tn": len(pairs) - tp - fp - fn}


def category_confusion(pairs: Iterable[tuple[Any, Any]]) -> dict[str, Any]:
    """Support per labelled class and the confusion matrix ``expected -> predicted -> count``."""
    matrix: dict[str, dict[str, int]] = {}
    for e, p in pairs:
        row = matrix.setdefault(str(e), {})
        row[str(p)] = row.get(str(p), 0) + 1
    return {"support": {k: sum(v.values()) for k, v in sorted(matrix.items())},
            "confusion": {k: dict(sorted(v.items())) for k, v in sorted(matrix.items())}}


def category_metrics(pairs: Iterable[tuple[Any, Any]]) -> dict[str, float | None]:
    """Accuracy and macro-averaged precision, recall and F1 over the labelled classes."""
    pairs = list(pairs)
    classes = sorted({e for e, _ in pairs if e is not None})
    ps, rs, fs = [], [], []
    for c in classes:
        tp = sum(1 for e, p in pairs if e == c and p == c)
        precision = _ratio(tp, sum(1 for _, p in pairs if p == c)) or 0.0
        recall = _ratio(tp, sum(1 for e, _ in pairs if e == c)) or 0.0
        ps.append(precision), rs.append(recall), fs.append(_f1(precision, recall) or 0.0)
    mean = (lambda xs: round(sum(xs) / len(xs), 4) if xs else None)
    return {"accuracy": _ratio(sum(1 for e, p in pairs if e == p), len(pairs)), "precision": mean(ps),
            "recall": mean(rs), "f1": mean(fs)}


def number_metrics(pairs: Iterable[tuple[Any, Any]]) -> dict[str, float | None]:
    """Mean absolute error over pairs where both numbers exist, and how many the check could not measure."""
    pairs = list(pairs)
    both = [(float(e), float(p)) for e, p in pairs if e is not None and p is not None]
    mae = round(sum(abs(e - p) for e, p in both) / len(both), 4) if both else None
    return {"mae": mae, "unmeasured": sum(1 for e, p in pairs if e is not None and p is None)}


def _label_spans(view: InteractionView, expected: list[dict[str, Any]]) -> list[tuple[str, int, int, int]]:
    out = []
    for item in expected:
        turn = next((t for t in view.turns if t.index == item["turn"]), None)
        start = turn.text.find(item["text"]) if turn else -1
        if start < 0:  # not in the text as stored (redacted): any span of that type in that turn matches
            out.append((item["type"], item["turn"], 0, 1 << 30))
            continue
        out.append((item["type"], item["turn"], start, start + len(item["text"])))
    return out


def _overlaps(a: tuple[str, int, int, int], b: tuple[str, int, int, int]) -> bool:
    return a[0] == b[0] and a[1] == b[1] and a[2] < b[3] and b[2] < a[3]


def evaluate(items: Iterable[tuple[InteractionView, Mapping[str, Any]]],
             params: Mapping[str, Any] | None = None) -> list[LabelReport]:
    """Run the checks behind every label present and compare with the hand labels.

    Args:
        items: (interaction view, its labels) pairs.
        params: check name → parameters (e.g. taken from a rubric); defaults otherwise.
    """
    items = list(items)
    checks = {LABELS[name].check for _, labels in items for name in labels if name in LABELS}
    validated = {name: get_check(name).params.model_validate((params or {}).get(name) or {}) for name in checks}
    _prefetch(items, validated)
    reports: dict[str, LabelReport] = {}
    pairs: dict[str, list[tuple[Any, Any]]] = {}
    span_counts: dict[str, list[int]] = {}
    type_counts: dict[str, dict[str, list[int]]] = {}  # per label, per PII type: the same four counts
    for view, labels in items:
        for name, expected in labels.items():
            spec = LABELS.get(name)
            if spec is None:
                continue
            check = get_check(spec.check)
            result = check(view, validated[spec.check])
            predicted = spec.read(result)
            report = reports.setdefault(name, LabelReport(name, spec.check, spec.kind))
            report.n += 1
            if spec.kind == "spans":
                found = [(s["type"], s["turn"], s["start"], s["end"]) for s in predicted]
                wanted = _label_spans(view, expected or [])
                counts = span_counts.setdefault(name, [0, 0, 0, 0])  # matched found, found, matched wanted, wanted
                counts[0] += sum(1 for f in found if any(_overlaps(f, w) for w in wanted))
                counts[1] += len(found)
                counts[2] += sum(1 for w in wanted if any(_overlaps(f, w) for f in found))
                counts[3] += len(wanted)
                by_type = type_counts.setdefault(name, {})
                for kind in {t for t, *_ in found} | {t for t, *_ in wanted}:
                    typed = by_type.setdefault(kind, [0, 0, 0, 0])
                    typed[0] += sum(1 for f in found if f[0] == kind and any(_overlaps(f, w) for w in wanted))
                    typed[1] += sum(1 for f in found if f[0] == kind)
                    typed[2] += sum(1 for w in wanted if w[0] == kind and any(_overlaps(f, w) for f in found))
                    typed[3] += sum(1 for w in wanted if w[0] == kind)
                agree = len(found) == len(wanted) and all(any(_overlaps(f, w) for w in wanted) for f in found)
                if not agree:
                    texts = {t.index: t.text for t in view.turns}
                    predicted = [{"type": t, "turn": i, "text": texts[i][s:e]} for t, i, s, e in found]
            else:
                pairs.setdefault(name, []).append((expected, predicted))
                agree = expected == predicted if spec.kind != "number" else (
                    expected is None and predicted is None
                    or expected is not None and predicted is not None and abs(float(expected) - float(predicted)) <= spec.tolerance)
            if not agree:
                report.disagreements.append({"id": view.external_id, "expected": expected, "predicted": predicted,
                                             "confidence": round(result.confidence, 3), "message": result.message,
                                             "evidence": [e.as_dict() for e in result.evidence]})
    for name, report in reports.items():
        # the worst first: the check was most sure of itself where it disagrees
        report.disagreements.sort(key=lambda d: -d["confidence"])
        if report.kind == "binary":
            report.metrics = {**binary_metrics(pairs[name]), **confusion(pairs[name])}
        elif report.kind == "category":
            report.metrics = {**category_metrics(pairs[name]), **category_confusion(pairs[name])}
        elif report.kind == "number":
            report.metrics = number_metrics(pairs[name])
        else:
            mf, f, mw, w = span_counts[name]
            precision, recall = _ratio(mf, f), _ratio(mw, w)
            report.metrics = {"precision": precision, "recall": recall, "f1": _f1(precision, recall),
                              "spans_found": f, "spans_labelled": w, "by_type": {
                                  kind: {"precision": _ratio(c[0], c[1]), "recall": _ratio(c[2], c[3]),
                                         "f1": _f1(_ratio(c[0], c[1]), _ratio(c[2], c[3])),
                                         "spans_found": c[1], "spans_labelled": c[3]}
                                  for kind, c in sorted(type_counts.get(name, {}).items())}}
    return [reports[name] for name in LABELS if name in reports]


def _prefetch(items: list[tuple[InteractionView, Mapping[str, Any]]], params: Mapping[str, Any]) -> None:
    """Embed every sentence once, in one batch, and compare them with each exemplar block of the checks'
    parameters (one matrix product a block)."""
    from qa_toolkit.scoring.engine import exemplar_blocks

    blocks = [block for p in params.values() for block in exemplar_blocks(p)]
    if blocks:
        from qa_toolkit.scoring import semantic

        semantic.prefetch((t.text for view, _ in items for t in view.turns if t.speaker in ("agent", "customer")),
                          blocks)


def view_from_conversation(conversation: Any) -> InteractionView:
    """An interaction view of a canonical conversation (:class:`qa_toolkit.ingest.model.Conversation`)."""
    turns = tuple(TurnView(i, t["speaker"], t["text"], t.get("start_s"), t.get("end_s"), t.get("at"))
                  for i, t in enumerate(conversation.turns))
    return InteractionView(conversation.id, conversation.channel, turns, conversation.started_at, conversation.queue,
                           conversation.topic, conversation.customer.id if conversation.customer else None,
                           dict(conversation.metadata))


def read_labelled(path: str | Path) -> list[tuple[InteractionView, dict[str, Any]]]:
    """Labelled conversations from a canonical JSONL file (records without labels are skipped;
    labels that no check predicts are left for :func:`ignored_labels` to report).

    Raises:
        QAError: the file is missing or a record is malformed (``file:line: field: reason``).
    """
    from qa_toolkit.ingest.model import validate

    path = Path(path)
    items, problems = [], []
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise QAError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{path}:{number}: record: not valid JSON: {exc.msg}")
                continue
            parsed = validate(data, file=str(path), line=number, raw=line)
            if parsed.error is not None:
                problems.append(str(parsed.error))
            elif parsed.conversation is not None and parsed.conversation.labels:
                items.append((view_from_conversation(parsed.conversation), parsed.conversation.labels))
    if problems:
        raise QAError("\n".join(problems))
    if not items:
        raise QAError(f"{path}: no labelled conversations (records need a `labels` object)")
    return items


def ignored_labels(items: Iterable[tuple[InteractionView, Mapping[str, Any]]]) -> dict[str, str]:
    """Labels no check predicts, each with the closest known label name (or an empty string)."""
    from qa_toolkit.rubrics.model import suggest

    unknown = sorted({name for _, labels in items for name in labels if name not in LABELS})
    return {name: suggest(name, list(LABELS)).strip() for name in unknown}


def spans_of(view: InteractionView) -> list[dict[str, Any]]:
    """The PII spans the compliance check sees in a view (for display)."""
    return [{"type": s.type, "turn": s.turn, "text": s.text} for s in spans_in(view)]
