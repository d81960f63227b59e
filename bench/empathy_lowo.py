"""Empathy when needed: leave-one-writer-out on dev, and which of its two decisions each error comes from.

    python bench/empathy_lowo.py --out bench/results/empathy_lowo_r13_before.json        # dev only
    python bench/empathy_lowo.py --first ld-0681 --last ld-0740 --out ...                # one dev batch

For each dev writer (``DEV_WRITERS`` in tools/mine_exemplars.py), the sentences of the rubric's two exemplar blocks
(``upset_exemplars``: does the customer need empathy; ``empathy_exemplars``: did the agent show it) that occur word
for word in that writer's turns are taken out (they were mined from those conversations), and the check scores the
writer's conversations with the rest: ``lowo``. ``leaky`` keeps every exemplar (in-sample); ``rules_off`` also
empties the hand-written phrase lists and patterns of both decisions (the blocks alone). Counts are pooled over the
writers. ``lowo_at_upset_threshold`` pools ``lowo`` at each threshold of ``--grid`` for the upset block (the
threshold a new writer's conversations would want).

Every disagreement of ``lowo`` is put down to one decision:

- ``needed``: the check found the customer upset where the label says they never were (null), or never upset where
  the label says they were (true or false);
- ``shown``: both say empathy was needed, and they disagree on whether the agent showed it.

Run on dev only, never on a test split.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

DEV = ROOT / "tests" / "data" / "labelled" / "chats_dev.jsonl"
LABEL, CHECK, CRITERION = "empathy_when_needed", "empathy", "acknowledged_feelings"
BLOCKS = ("upset_exemplars", "empathy_exemplars")
GRID = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65)
RULES = ("frustration_phrases", "frustration_regexes", "empathy_phrases", "empathy_regexes")
Item = tuple[Any, dict[str, Any]]


def stripped(block: dict[str, Any] | None, held: list[Item]) -> dict[str, Any] | None:
    """``block`` without the sentences that occur in the turns of ``held``."""
    if block is None:
        return None
    said = "\n".join(t.text for view, _ in held for t in view.turns)
    return {**block, "positive": [s for s in block["positive"] if s not in said],
            "negative": [s for s in block.get("negative", ()) if s not in said]}


def verdicts(items: list[Item], params: dict[str, Any], check_name: str = CHECK,
             label: str = LABEL) -> list[tuple[str, Any, Any]]:
    """(id, label, the check's verdict: True pass, False fail, None not needed) per conversation."""
    from qa_toolkit.scoring.checks import get_check
    from qa_toolkit.scoring.evaluate import LABELS, _prefetch

    check = get_check(check_name)
    validated = check.params.model_validate(params)
    _prefetch(items, {check_name: validated})
    read = LABELS[label].read
    return [(view.external_id, labels[label], read(check(view, validated))) for view, labels in items]


def error_kind(expected: Any, predicted: Any) -> str | None:
    """Which decision a disagreement comes from (None: no disagreement)."""
    if expected == predicted:
        return None
    if expected is None or predicted is None:
        return "needed: upset where never" if expected is None else "needed: upset missed"
    return "shown: acknowledgement missed" if expected else "shown: acknowledgement where none"


def summary(found: list[tuple[str, Any, Any]], kind: Callable[[Any, Any], str | None] = error_kind) -> dict[str, Any]:
    """F1 of true (null counts as not true, as in ``qa score eval``), counts, and the errors by decision."""
    from prohibited_lowo import counts

    kinds = Counter(k for _, e, p in found if (k := kind(e, p)))
    return {"conversations": len(found), **counts([(e is True, p is True) for _, e, p in found]),
            "errors": dict(sorted(kinds.items()))}


def dev_items(labels: str, rubric: str, criterion_key: str, label: str, first: str | None,
              last: str | None) -> tuple[dict[str, Any], list[Item]]:
    """The rubric criterion's check parameters, and the labelled conversations (``first`` .. ``last``) with ``label``."""
    from qa_toolkit.rubrics import Rubric, load_rubric
    from qa_toolkit.rubrics.loader import body_of
    from qa_toolkit.scoring.evaluate import read_labelled
    from qa_toolkit.services.rubrics import resolve_file

    _, criterion = Rubric.model_validate(body_of(load_rubric(resolve_file(rubric)).rubric)).criterion(criterion_key)
    low, high = first or "", last or "~"
    return dict(criterion.params), [(v, {label: l[label]}) for v, l in read_labelled(labels)
                                    if label in l and low <= v.external_id <= high]


def leave_each_writer_out(items: list[Item], params: dict[str, Any], blocks: tuple[str, ...], rules: tuple[str, ...],
                          check_name: str = CHECK, label: str = LABEL,
                          kind: Callable[[Any, Any], str | None] = error_kind,
                          each: Callable[[list[Item], dict[str, Any]], None] | None = None,
                          ) -> tuple[dict[str, list[tuple[str, Any, Any]]], dict[str, Any]]:
    """Verdicts pooled over the dev writers (``leaky``, ``lowo``, ``rules_off``) and each writer's summary;
    ``each(held, seed)`` runs once per writer with its conversations and the blocks it left (for more designs)."""
    from mine_exemplars import DEV_WRITERS, writer_of

    by = {name: [item for item in items if writer_of(item[0].external_id) == name] for name, _ in DEV_WRITERS}
    stock = {b: dict(params[b]) if params.get(b) else None for b in blocks}
    off = dict.fromkeys(rules, ())
    designs: dict[str, list[tuple[str, Any, Any]]] = {"leaky": [], "lowo": [], "rules_off": []}
    writers: dict[str, Any] = {}
    for name, held in by.items():
        if not held:
            continue
        seed = {b: stripped(block, held) for b, block in stock.items()}
        found = {"leaky": verdicts(held, params, check_name, label),
                 "lowo": verdicts(held, {**params, **seed}, check_name, label),
                 "rules_off": verdicts(held, {**params, **seed, **off}, check_name, label)}
        for key, rows in found.items():
            designs[key] += rows
        if each is not None:
            each(held, seed)
        writers[name] = {
            "conversations": len(held),
            "exemplars_left_out": {b: len(stock[b]["positive"]) - len(seed[b]["positive"])  # type: ignore[index]
                                   for b in blocks if stock[b]},
            **{key: summary(rows, kind) for key, rows in found.items()}}
        print(name, {k: writers[name][k]["f1"] for k in found}, file=sys.stderr, flush=True)
    return designs, writers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="?", default=str(DEV), help="the dev split (never a test split)")
    parser.add_argument("--rubric", default="support-chat")
    parser.add_argument("--first", help="only conversations from this id on (one dev batch)")
    parser.add_argument("--last", help="only conversations up to this id")
    parser.add_argument("--grid", type=float, nargs="+", default=GRID, help="thresholds of the upset block")
    parser.add_argument("--out", help="write the JSON here too")
    args = parser.parse_args(argv)

    params, items = dev_items(args.labels, args.rubric, CRITERION, LABEL, args.first, args.last)
    at: dict[float, list[tuple[str, Any, Any]]] = {t: [] for t in args.grid}

    def thresholds(held: list[Item], seed: dict[str, Any]) -> None:
        for t in args.grid:
            upset = seed["upset_exemplars"] and {**seed["upset_exemplars"], "threshold": t}
            at[t] += verdicts(held, {**params, **seed, "upset_exemplars": upset})

    designs, writers = leave_each_writer_out(items, params, BLOCKS, RULES, each=thresholds)
    out: dict[str, Any] = {"file": Path(args.labels).name, "first": args.first, "last": args.last, "writers": writers}
    out["pooled"] = {key: summary(rows) for key, rows in designs.items()}
    out["lowo_at_upset_threshold"] = {str(t): summary(rows) for t, rows in at.items()}
    out["lowo_disagreements"] = [{"id": i, "expected": e, "predicted": p, "kind": error_kind(e, p)}
                                 for i, e, p in designs["lowo"] if e != p]
    text = json.dumps(out, indent=1, ensure_ascii=False)
    print(json.dumps({k: out[k] for k in ("pooled", "lowo_at_upset_threshold")}, indent=1))
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
