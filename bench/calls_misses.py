"""Why the support-call checks miss on the labelled calls through speech recognition: a miss table.

For every wrong verdict on the stored (transcribed) calls of a split, the same check's verdict on the script's own
text beside it, and which class the miss falls in:

- ``asr``: the check is right on the script's text, wrong on the transcript (words lost or garbled);
- ``vad``: as ``asr``, and a scripted turn of the call lies wholly outside the transcribed speech (lost before
  decoding: voice activity detection, most often right after hold music);
- ``logic``: the check is wrong on the script's text too (the check, or the label).

Reads the database ``bench/calls_checks.py`` reads (``qa transcribe batch SPLIT/audio --db URL``)::

    .venv/bin/python bench/calls_misses.py --split dev --db sqlite:///calls-dev.db [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from calls_checks import CALLS, scripted_items  # noqa: E402

BINARY = ("greeting", "closing", "empathy_when_needed", "identity_verified_before_account_details",
          "disclosure_given", "prohibited_language_by_agent", "resolved", "escalated", "hold_etiquette",
          "customer_sentiment_end")


def lost_turns(split: str, call: str, view: Any, min_s: float = 1.0) -> list[dict[str, Any]]:
    """Scripted turns (at least ``min_s`` long) that no transcribed turn of the same speaker overlaps."""
    truth = json.loads((CALLS / split / "audio" / f"{call}.truth.json").read_text(encoding="utf-8"))
    lost = []
    for turn in truth["turns"]:
        side = "agent" if turn["side"] == "left" else "customer"
        if turn["end_s"] - turn["start_s"] < min_s:
            continue
        heard = [t for t in view.turns if t.speaker == side and t.start_s is not None
                 and t.start_s < turn["end_s"] and t.end_s > turn["start_s"]]
        if not heard:
            lost.append({"side": side, "start_s": turn["start_s"], "end_s": turn["end_s"], "text": turn["text"][:80]})
    return lost


def main() -> None:
    from qa_toolkit.scoring.evaluate import LABELS
    from qa_toolkit.scoring.checks import get_check
    from qa_toolkit.services.scoring import load_views, rubric_check_params
    from qa_toolkit.storage.database import open_database
    from qa_toolkit.storage.models import Interaction
    from sqlalchemy import select

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", required=True, choices=["dev", "test"])
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", help="write the table as JSON here")
    args = parser.parse_args()
    params = rubric_check_params("support-call", None)
    validated = {n: get_check(n).params.model_validate(params.get(n) or {}) for n in {LABELS[x].check for x in BINARY}}
    scripted = {view.external_id: (view, labels) for view, labels in scripted_items(args.split)}
    database = open_database(args.db, require_head=False)
    with database.session() as session:
        ids = dict(session.execute(select(Interaction.external_id, Interaction.id)
                                   .where(Interaction.source == "call")).all())
        views = load_views(session, list(ids.values()))
    rows, counts = [], {}
    for call, (script_view, labels) in sorted(scripted.items()):
        if call not in ids:
            continue
        view = views[ids[call]]
        lost = lost_turns(args.split, call, view)
        for label in BINARY:
            if label not in labels:
                continue
            spec = LABELS[label]
            check = get_check(spec.check)
            heard = check(view, validated[spec.check])
            read = check(script_view, validated[spec.check])
            if spec.read(heard) == labels[label]:
                continue
            kind = "logic" if spec.read(read) != labels[label] else "vad" if lost else "asr"
            counts.setdefault(label, {}).setdefault(kind, 0)
            counts[label][kind] += 1
            rows.append({"call": call, "label": label, "expected": labels[label], "asr": spec.read(heard),
                         "script": spec.read(read), "class": kind, "asr_message": heard.message,
                         "asr_evidence": [e.as_dict().get("quote") for e in heard.evidence][:3],
                         "script_message": read.message, "lost_turns": lost})
    for row in rows:
        print(f"{row['call']} {row['label'][:28]:28s} want {row['expected']!s:5s} asr {row['asr']!s:5s} "
              f"script {row['script']!s:5s} {row['class']:5s} | {row['asr_message'][:110]}")
    print(json.dumps(counts, indent=1))
    if args.out:
        Path(args.out).write_text(json.dumps({"split": args.split, "classes": counts, "misses": rows,
                                              "load_average": [round(x, 1) for x in os.getloadavg()]},
                                             indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
