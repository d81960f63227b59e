"""``qa score eval --db URL --labels FILE``: the checks measured on interactions as they are stored.

The labels file is JSON Lines keyed by source and external id, one interaction a line::

    {"source": "call", "id": "call-0007", "labels": {"greeting": true, "hold_etiquette": null}}

(canonical conversation records with ``labels`` are read the same way; ``source`` may be left out when
the id is unique). Transcribed calls are evaluated on their stored transcript, redacted text and PII
spans, with the stored timing block: exactly what ``qa score auto`` scores.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import select

from qa_toolkit.errors import QAError, located
from qa_toolkit.scoring.evaluate import evaluate, ignored_labels
from qa_toolkit.scoring.view import InteractionView
from qa_toolkit.services import embedding_cache
from qa_toolkit.services.scoring import load_views, rubric_check_params
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Interaction


def read_label_keys(path: str | Path) -> list[tuple[str | None, str, dict[str, Any]]]:
    """(source or None, external id, labels) per line.

    Raises:
        QAError: the file cannot be read or a line is malformed (``file:line: field: reason``, every one).
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise QAError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    items, problems = [], []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(located(str(path), number, "record", f"not valid JSON: {exc.msg}"))
            continue
        if not isinstance(data, dict):
            problems.append(located(str(path), number, "record", "expected a JSON object"))
            continue
        external = data.get("id")
        labels = data.get("labels")
        source = data.get("source")
        if not isinstance(external, (str, int)) or isinstance(external, bool) or not str(external).strip():
            problems.append(located(str(path), number, "id", "missing interaction id"))
        elif not isinstance(labels, dict):
            problems.append(located(str(path), number, "labels", "missing `labels` object"))
        elif source is not None and not isinstance(source, str):
            problems.append(located(str(path), number, "source", "must be text"))
        else:
            items.append((source, str(external), labels))
    if problems:
        raise QAError("\n".join(problems))
    if not items:
        raise QAError(f"{path}: no labelled interactions")
    return items


def evaluate_stored(database: Database, labels_path: str | Path, *, rubric: str | None = None) -> dict[str, Any]:
    """Run the checks on the stored interactions the labels file names and compare with its labels.

    Interactions the file names that are not stored (or whose id is in several sources without a
    ``source``) are left out and listed under ``problems``, never guessed.
    """
    keyed = read_label_keys(labels_path)
    params = rubric_check_params(rubric, database.url)
    wanted = sorted({external for _, external, _ in keyed})
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    with database.session() as session:
        for start in range(0, len(wanted), 500):
            for iid, source, external in session.execute(
                    select(Interaction.id, Interaction.source, Interaction.external_id)
                    .where(Interaction.external_id.in_(wanted[start:start + 500]))):
                found[external].append((iid, source))
        problems, chosen = [], []
        for source, external, labels in keyed:
            candidates = [(iid, s) for iid, s in found.get(external, []) if source is None or s == source]
            where = f"{source}:{external}" if source else external
            if not candidates:
                problems.append(f"{where}: not stored (left out)")
            elif len(candidates) > 1:
                problems.append(f"{where}: stored in several sources ({', '.join(s for _, s in candidates)}); "
                                f"give `source` (left out)")
            else:
                chosen.append((candidates[0][0], labels))
        views = load_views(session, [iid for iid, _ in chosen]) if chosen else {}
    items: list[tuple[InteractionView, dict[str, Any]]] = [(views[iid], labels) for iid, labels in chosen]
    if not items:
        raise QAError(f"{labels_path}: none of its {len(keyed)} interactions is stored"
                      + (f" ({problems[0]}, ...)" if problems else ""))
    with embedding_cache.persisted(database):  # stored text: the embeddings `qa score auto` kept are read
        reports = evaluate(items, params)
    return {"file": str(labels_path), "rubric": rubric, "conversations": len(items),
            "labels": [r.as_dict() for r in reports], "ignored_labels": ignored_labels(items),
            "problems": problems}
