"""The support-call checks on the labelled calls (tests/data/labelled/calls) through speech recognition.

Each split is transcribed first, exactly as production does (``qa transcribe batch SPLIT/audio --model tiny.en
--db URL``); this runs the checks of the installed qa-toolkit on the stored transcripts (what ``qa score eval
--db URL --labels SPLIT/labels.jsonl --rubric support-call`` computes) and, with ``--script``, on the scripts' own
text (agent line / customer line, no speech recognition). One column a run, so that the checks of two versions
can be compared on the same transcripts (run it with each version's virtual environment):

    .venv/bin/python bench/calls_checks.py --split dev --db sqlite:///calls-dev.db --column after --script

Updates ``bench/results/calls_checks_tiny_en.json`` (or ``--results FILE``) at ``[split][column]`` (and
``[split][scripted_text_COLUMN]``): per label F1, precision, recall, support and confusion counts (macro F1 for
the end sentiment, MAE in seconds for the timing labels), the git commit of the checks, the load average.
``--calls LC-D-029..LC-D-048`` scores only those calls (a round's new scripts, measured before and after a change).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CALLS = ROOT / "tests" / "data" / "labelled" / "calls"
RESULTS = ROOT / "bench" / "results" / "calls_checks_tiny_en.json"
KEEP = ("f1", "precision", "recall", "support", "tp", "fp", "fn", "tn", "mae")


def _labels(split: str) -> dict[str, dict[str, Any]]:
    lines = (CALLS / split / "labels.jsonl").read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["id"]: json.loads(line)["labels"] for line in lines if line.strip()}


def scripted_items(split: str) -> list[tuple[Any, dict[str, Any]]]:
    """Each call's scripted turns (agent line left, customer line right, as ``qa transcribe`` names the channels)
    with its labels."""
    from qa_toolkit.scoring.view import InteractionView, TurnView
    from qa_toolkit.transcribe.backend import Word
    from qa_toolkit.transcribe.turns import merge_turns

    items = []
    for call, labels in sorted(_labels(split).items()):
        truth = json.loads((CALLS / split / "audio" / f"{call}.truth.json").read_text(encoding="utf-8"))
        words: dict[str, list[Word]] = {}
        for turn in truth["turns"]:
            side = "agent" if turn["side"] == "left" else "customer"
            words.setdefault(side, []).append(Word(turn["start_s"], turn["end_s"], turn["text"], 1.0))
        turns = merge_turns(words)
        view = tuple(TurnView(i, t.speaker, t.text, t.start_s, t.end_s) for i, t in enumerate(turns))
        items.append((InteractionView(call, "call", view), labels))
    return items


def stored_wer(url: str, split: str) -> float:
    """Word error rate of the stored (redacted) transcripts against the scripts, over the whole split."""
    from sqlalchemy import create_engine, text

    from qa_toolkit.transcribe.evaluate import read_references, score

    references = read_references(CALLS / split / "audio" / "references.json")
    with create_engine(url).connect() as db:
        rows = db.execute(text("SELECT i.external_id, t.text FROM turns t JOIN interactions i ON i.id = "
                               "t.interaction_id WHERE i.source = 'call' ORDER BY i.id, t.\"index\""))
        said: dict[str, list[str]] = {}
        for call, line in rows:
            said.setdefault(call, []).append(line)
    scores = [score(name, ref, " ".join(said.get(Path(name).stem, []))) for name, ref in references.items()]
    return sum(s.substitutions + s.deletions + s.insertions for s in scores) / sum(s.reference_words for s in scores)


def _summary(reports: list[Any]) -> dict[str, Any]:
    return {r.label: {k: v for k, v in r.as_dict().items() if k in KEEP} for r in reports}


def main() -> None:
    from qa_toolkit.scoring.evaluate import evaluate
    from qa_toolkit.services.scoring import rubric_check_params
    from qa_toolkit.services.stored_eval import evaluate_stored
    from qa_toolkit.storage.database import open_database

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", required=True, choices=["dev", "test", "test2", "test3", "test4"])
    parser.add_argument("--db", help="database the split was transcribed into")
    parser.add_argument("--column", required=True, help="where to write the figures (before, after, ...)")
    parser.add_argument("--script", action="store_true", help="also the checks on the scripts' own text")
    parser.add_argument("--note", default="", help="what the column is (which checks, which transcripts)")
    parser.add_argument("--calls", metavar="FIRST..LAST", help="only these call ids, e.g. LC-D-029..LC-D-048 (with "
                        "--script: a round's new calls)")
    parser.add_argument("--results", type=Path, default=RESULTS, help=f"results file (default {RESULTS.name})")
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path.cwd()).stdout.strip()
    data = json.loads(args.results.read_text(encoding="utf-8")) if args.results.exists() else {}
    split = data.setdefault(args.split, {})
    if args.db:
        result = evaluate_stored(open_database(args.db, require_head=False), CALLS / args.split / "labels.jsonl", rubric="support-call")
        split[args.column] = {label["label"]: {k: v for k, v in label.items() if k in KEEP}
                              for label in result["labels"]}
        split[args.column]["_run"] = {"checks_commit": commit, "note": args.note, "calls": result["conversations"],
                                      "load_average": [round(x, 1) for x in os.getloadavg()],
                                      "wer_stored": round(stored_wer(args.db, args.split), 4)}
    if args.script:
        params = rubric_check_params("support-call", None)
        items = scripted_items(args.split)
        if args.calls:
            first, _, last = args.calls.partition("..")
            items = [(view, labels) for view, labels in items if first <= view.external_id <= (last or first)]
        split[f"scripted_text_{args.column}"] = _summary(evaluate(items, params))
        split[f"scripted_text_{args.column}"]["_run"] = {"checks_commit": commit, "note": args.note,
                                                         "calls": len(items), "call_ids": args.calls or "all",
                                                         "load_average": [round(x, 1) for x in os.getloadavg()]}
    args.results.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    for name, column in ((args.column, split.get(args.column)), ("script", split.get(f"scripted_text_{args.column}"))):
        for label, m in (column or {}).items():
            if not label.startswith("_"):
                print(f"{args.split} {name:8s} {label:45s} f1 {m.get('f1')} mae {m.get('mae')}")


if __name__ == "__main__":
    main()
