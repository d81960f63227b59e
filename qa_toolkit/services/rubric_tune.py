"""``qa rubric tune``: a draft rubric version tuned on the team's labels (reviews or a labels file).

The draft is the rubric's own YAML with the new thresholds written in place, the exemplars added
under their blocks, and a ``measured:`` block (the labels, their time window, the split, each
criterion's held-out F1 and accuracy) that ``qa rubric publish`` stores with the version.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from qa_toolkit.errors import QAError
from qa_toolkit.reports.period import Period
from qa_toolkit.rubrics.loader import LoadedRubric, _lines, load_rubric, parse_rubric
from qa_toolkit.scoring.evaluate import LABELS, read_labelled
from qa_toolkit.scoring.tune import MIN_LABELS, Item, Pointer, Tuned, tune
from qa_toolkit.services import embedding_cache
from qa_toolkit.storage.database import Database

# How a criterion's verdict reads as the hand label its check predicts (``qa score eval``'s labels).
STATUS_LABELS: dict[str, tuple[str, dict[str, Any]]] = {
    "greeting": ("greeting", {"pass": True, "fail": False}),
    "closing": ("closing", {"pass": True, "fail": False}),
    "disclosure": ("disclosure_given", {"pass": True, "fail": False}),
    "empathy": ("empathy_when_needed", {"pass": True, "fail": False, "na": None}),
    "identity_before_account": ("identity_verified_before_account_details",
                                {"pass": True, "fail": False, "na": None}),
    "hold_etiquette": ("hold_etiquette", {"pass": True, "fail": False, "na": None}),
    "prohibited_language": ("prohibited_language_by_agent", {"pass": False, "fail": True}),
    "resolution": ("resolved", {"pass": True, "fail": False, "na": None}),
    "escalation": ("escalated", {"pass": False, "fail": True, "na": None}),
}


def _base(database: Database | None, rubric: str) -> LoadedRubric:
    """The rubric to tune: a file; else the latest published version of that name (a tuned one included);
    else the shipped rubric of that name."""
    from qa_toolkit.errors import NotFoundError
    from qa_toolkit.services.rubrics import resolve_file

    if Path(rubric).exists() or database is None:
        return load_rubric(resolve_file(rubric))
    from qa_toolkit.services import review_scoring

    with database.session() as session:
        try:
            version = review_scoring.latest_version(session, rubric)
        except NotFoundError:
            return load_rubric(resolve_file(rubric))
        return parse_rubric(version.source, f"{version.name} v{version.version}")


def labels_from_reviews(database: Database, rubric: str, period: Period | None) -> tuple[
        list[Item], list[Pointer], list[str], tuple[str, str] | None]:
    """Review labels as (view, labels) in the order they were given, the turns reviewers pointed at, notes,
    and the window of time."""
    from qa_toolkit.services import review_labels
    from qa_toolkit.services.scoring import load_views

    notes: list[str] = []
    with database.session() as session:
        collected = review_labels.collect(session, rubric=rubric, period=period)
        by_interaction: dict[int, dict[str, Any]] = defaultdict(dict)
        first: dict[int, str] = {}
        skipped: dict[str, int] = defaultdict(int)
        for pair in collected.pairs:
            mapping = STATUS_LABELS.get(pair.check)
            if mapping is None or pair.human not in mapping[1] or pair.interaction_id is None:
                skipped[pair.criterion] += 1
                continue
            label, values = mapping
            by_interaction[pair.interaction_id][label] = values[pair.human]
            first.setdefault(pair.interaction_id, pair.at)
        views = load_views(session, list(by_interaction)) if by_interaction else {}
        pointers = _pointers(session, list(by_interaction))
    for criterion, count in sorted(skipped.items()):
        notes.append(f"{criterion}: {count} review label(s) not usable for tuning (a check without exemplars, or "
                     f"a verdict its label cannot express)")
    notes += collected.notes
    order = sorted(by_interaction, key=lambda iid: (first[iid], iid))
    items = [(views[iid], by_interaction[iid]) for iid in order]
    window = (first[order[0]], first[order[-1]]) if order else None
    return items, pointers, notes, window


def _pointers(session: Any, interaction_ids: list[int]) -> list[Pointer]:
    """The turns reviewers pointed at (feedback on evidence), where the feedback table exists."""
    try:
        from qa_toolkit.services.evidence_feedback import pointers
    except ImportError:
        return []
    return pointers(session, interaction_ids)


def labels_from_file(path: str | Path) -> tuple[list[Item], tuple[str, str] | None]:
    """A labelled canonical JSONL file in time order (by start time, then file order)."""
    items = read_labelled(path)
    ordered = sorted(enumerate(items), key=lambda x: (x[1][0].started_at is None, x[1][0].started_at or 0, x[0]))
    items = [item for _, item in ordered]
    times = [v.started_at.isoformat() for v, _ in items if v.started_at is not None]
    return items, (times[0], times[-1]) if times else None


def tune_rubric(rubric: str, *, labels: str | Path | None = None, database: Database | None = None,
                period: Period | None = None, fit_share: float = 0.6,
                min_labels: int = MIN_LABELS) -> dict[str, Any]:
    """Tune ``rubric`` on a labels file or on the stored reviews; returns the draft text and the report.

    Raises:
        QAError: no labels, or labels for no automated criterion of the rubric.
    """
    base = _base(database, rubric)
    notes: list[str] = []
    pointers: list[Pointer] = []
    if labels is not None:
        items, window = labels_from_file(labels)
        source = str(labels)
    else:
        assert database is not None
        items, pointers, notes, window = labels_from_reviews(database, base.rubric.name, period)
        source = f"reviews of {base.rubric.name}" + (f" in {period}" if period else "")
    if not items:
        raise QAError(f"no labels to tune {base.rubric.name} on ({source}): reviewers answer automated criteria "
                      "in `qa review start`, or give --labels FILE")
    unknown = sorted({name for _, item in items for name in item if name not in LABELS})
    if unknown:
        notes.append(f"labels no check predicts (ignored): {', '.join(unknown)}")
    # stored reviews read (and fill) the database's embedding cache; a labels file's text, which may not be
    # redacted, is embedded in this process only
    with embedding_cache.persisted(database if labels is None else None):
        new_params, reports = tune(base.rubric, items, fit_share=fit_share, min_labels=min_labels,
                                   pointers=pointers)
    if not reports:
        raise QAError(f"{source}: no label of an automated criterion of {base.rubric.name}")
    fit = int(round(len(items) * fit_share))
    measured = {"labels": source, "window": list(window) if window else None, "fitted_on": fit,
                "held_out": len(items) - fit,
                "criteria": {r.criterion: {"f1": r.after.get("f1"), "accuracy": r.after.get("accuracy"),
                                           "n": r.held_out} for r in reports}}
    text = draft_text(base, new_params, reports, measured)
    parse_rubric(text, "draft")  # the draft must load, or nothing is written
    return {"rubric": base.rubric.name, "labels": source, "interactions": len(items), "fitted_on": fit,
            "held_out": len(items) - fit, "window": measured["window"], "criteria": [r.as_dict() for r in reports],
            "notes": notes, "draft": text}


def draft_text(base: LoadedRubric, new_params: dict[str, dict[str, Any]], reports: list[Tuned],
               measured: dict[str, Any]) -> str:
    """The base rubric's text with the new thresholds, the added exemplars and the ``measured:`` block."""
    from qa_toolkit.scoring.calibrate import write_thresholds

    text, _ = write_thresholds(_missing_keys(base, new_params), base.rubric, new_params)
    text = _add_exemplars(text, base, reports)
    text = _without_measured(text).rstrip("\n") + "\n"
    block = yaml.safe_dump({"measured": measured}, sort_keys=False, allow_unicode=True, width=100)
    return text + "# Tuned by `qa rubric tune`: measured on the held-out labels (publish records it).\n" + block


def _missing_keys(base: LoadedRubric, new_params: dict[str, dict[str, Any]]) -> str:
    """The source with a ``threshold:`` / ``margin:`` line added to each tuned block that had none."""
    text = base.source
    lines: dict[tuple[Any, ...], tuple[int, int]] = {}
    _lines(yaml.compose(text), (), lines)
    rows = text.splitlines(keepends=True)
    inserts: list[tuple[int, str]] = []
    for i, category in enumerate(base.rubric.categories):
        for j, crit in enumerate(category.criteria):
            for name, block in new_params.get(crit.key, {}).items():
                old = crit.params.get(name)
                path = ("categories", i, "criteria", j, "params", name)
                if not isinstance(block, dict) or not isinstance(old, dict) or (*path, "positive") not in lines:
                    continue
                indent = re.match(r"\s*", rows[lines[(*path, "positive")][0] - 1]).group(0)  # type: ignore[union-attr]
                last = max(row for key, (_, row) in lines.items() if key[:len(path)] == path)
                for key in ("threshold", "margin"):
                    if key in block and key not in old:
                        inserts.append((_last_line_of(text, last), f"{indent}{key}: {block[key]:g}\n"))
    for after, new in sorted(inserts, key=lambda x: -x[0]):
        rows.insert(after, new)
    return "".join(rows)


def _without_measured(text: str) -> str:
    lines = text.splitlines(keepends=True)
    out, skipping = [], False
    for line in lines:
        if line.startswith("measured:"):
            skipping = True
            continue
        if skipping and line.strip() and not line[0].isspace():
            skipping = False
        if not skipping:
            out.append(line)
    return "".join(out)


def _add_exemplars(text: str, base: LoadedRubric, reports: list[Tuned]) -> str:
    """Insert each added sentence after the last one of its list (indentation copied; a missing list created)."""
    lines: dict[tuple[Any, ...], tuple[int, int]] = {}
    _lines(yaml.compose(text), (), lines)
    where = {crit.key: ("categories", i, "criteria", j) for i, cat in enumerate(base.rubric.categories)
             for j, crit in enumerate(cat.criteria)}
    grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for report in reports:
        for added in report.added:
            grouped[(report.criterion, added["block"], added["as"])].append(added["sentence"])
    source_rows = text.splitlines()
    inserts: list[tuple[int, str]] = []  # (after line number, text)
    for (criterion, block, polarity), sentences in grouped.items():
        path = (*where[criterion], "params", block)
        quoted = [json.dumps(sentence, ensure_ascii=False) for sentence in sentences]
        items = sorted(k[-1] for k in lines if k[:-1] == (*path, polarity) and isinstance(k[-1], int))
        if items:
            row = lines[(*path, polarity, items[-1])][0]
            indent = re.match(r"\s*", source_rows[row - 1]).group(0)  # type: ignore[union-attr]
            if not source_rows[row - 1].lstrip().startswith("- "):
                raise QAError(f"{criterion}: params.{block}.{polarity} is written inline; write it as a "
                              "`- sentence` list to tune it")
            inserts.append((_last_line_of(text, row), "".join(f"{indent}- {q}\n" for q in quoted)))
            continue
        positives = sorted(k[-1] for k in lines if k[:-1] == (*path, "positive") and isinstance(k[-1], int))
        key_row = lines.get((*path, "positive"))
        if not positives or key_row is None:
            raise QAError(f"{criterion}: params.{block} has no `positive:` list to add beside")
        indent = re.match(r"\s*", source_rows[key_row[0] - 1]).group(0)  # type: ignore[union-attr]
        row = lines[(*path, "positive", positives[-1])][0]
        inserts.append((_last_line_of(text, row),
                        f"{indent}{polarity}:\n" + "".join(f"{indent}  - {q}\n" for q in quoted)))
    rows = text.splitlines(keepends=True)
    for after, new in sorted(inserts, key=lambda x: -x[0]):
        rows.insert(after, new)
    return "".join(rows)


def _last_line_of(text: str, row: int) -> int:
    """The last line of a list item starting at ``row`` (1-based; folded items span several lines)."""
    rows = text.splitlines()
    start_indent = len(rows[row - 1]) - len(rows[row - 1].lstrip())
    end = row
    while end < len(rows) and rows[end].strip() and len(rows[end]) - len(rows[end].lstrip()) > start_indent + 1:
        end += 1
    return end
