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

Reproducibility evidence, in ``[split][column]._run``: ``audio_now``, the SHA-256 of each of the split's audio files
as they are now and the package versions of this run (espeak-ng's too); ``transcribed``, what the stored
transcripts were made from (one digest over the recordings' stored SHA-256, the files whose audio changed since,
the environments: model hash, threads, package versions, with a count of recordings each), so that two runs'
figures can be told apart by audio or environment (``qa_toolkit.transcribe.provenance.evidence_changes``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
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


def _in_range(call: str, calls: str | None) -> bool:
    """Whether ``call`` is in ``FIRST..LAST`` (every call when None)."""
    if not calls:
        return True
    first, _, last = calls.partition("..")
    return first <= call <= (last or first)


def stored_wer(url: str, split: str, calls: str | None = None) -> float:
    """Word error rate of the stored (redacted) transcripts against the scripts, over the whole split (or the
    ``calls`` FIRST..LAST)."""
    from sqlalchemy import create_engine, text

    from qa_toolkit.transcribe.evaluate import read_references, score

    references = read_references(CALLS / split / "audio" / "references.json")
    with create_engine(url).connect() as db:
        rows = db.execute(text("SELECT i.external_id, t.text FROM turns t JOIN interactions i ON i.id = "
                               "t.interaction_id WHERE i.source = 'call' ORDER BY i.id, t.\"index\""))
        said: dict[str, list[str]] = {}
        for call, line in rows:
            said.setdefault(call, []).append(line)
    scores = [score(name, ref, " ".join(said.get(Path(name).stem, []))) for name, ref in references.items()
              if _in_range(Path(name).stem, calls)]
    return sum(s.substitutions + s.deletions + s.insertions for s in scores) / sum(s.reference_words for s in scores)


def audio_files(split: str) -> list[Path]:
    """The split's recordings (``qa transcribe batch SPLIT/audio`` transcribes these)."""
    from qa_toolkit.transcribe.audio import AUDIO_EXTENSIONS

    return sorted(p for p in (CALLS / split / "audio").iterdir() if p.suffix.lower() in AUDIO_EXTENSIONS)


def transcribed_from(url: str, now: dict[str, str]) -> dict[str, Any]:
    """What the stored calls were transcribed from: a digest over the recordings' stored SHA-256 (as
    :func:`~qa_toolkit.transcribe.provenance.evidence` makes one over files), the files whose audio is not what
    was transcribed (``now``: file name → SHA-256 today), and each environment with its count of recordings."""
    import hashlib

    from sqlalchemy import create_engine, text

    stored: dict[str, str] = {}
    environments: dict[str, dict[str, Any]] = {}
    with create_engine(url).connect() as db:
        rows = db.execute(text("SELECT r.path, r.content_hash, r.provenance FROM recordings r JOIN interactions i "
                               "ON i.id = r.interaction_id WHERE i.source = 'call'"))
        for path, digest, provenance in rows:
            stored[Path(path).name] = digest
            made = json.loads(provenance) if isinstance(provenance, str) else dict(provenance or {})
            made = {k: made.get(k) for k in ("backend", "model", "model_hash", "compute_type", "cpu_threads",
                                              "versions")}
            environments.setdefault(json.dumps(made, sort_keys=True), {**made, "recordings": 0})["recordings"] += 1
    ordered = dict(sorted(stored.items()))
    every = hashlib.sha256("".join(f"{name} {digest}\n" for name, digest in ordered.items()).encode()).hexdigest()
    return {"recordings": len(stored), "audio_set_sha256": every,
            "audio_changed_since": sorted(name for name, digest in ordered.items() if now.get(name) != digest),
            "environments": sorted(environments.values(), key=lambda e: -e["recordings"])}


def _summary(reports: list[Any]) -> dict[str, Any]:
    return {r.label: {k: v for k, v in r.as_dict().items() if k in KEEP} for r in reports}


def main() -> None:
    from qa_toolkit.scoring.evaluate import evaluate
    from qa_toolkit.services.scoring import rubric_check_params
    from qa_toolkit.services.stored_eval import evaluate_stored
    from qa_toolkit.storage.database import open_database
    from qa_toolkit.transcribe.provenance import evidence

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", required=True, choices=["dev", "test", "test2", "test3", "test4"])
    parser.add_argument("--db", help="database the split was transcribed into")
    parser.add_argument("--column", required=True, help="where to write the figures (before, after, ...)")
    parser.add_argument("--script", action="store_true", help="also the checks on the scripts' own text")
    parser.add_argument("--note", default="", help="what the column is (which checks, which transcripts)")
    parser.add_argument("--calls", metavar="FIRST..LAST", help="only these call ids, e.g. LC-D-029..LC-D-048 (the "
                        "scripts' text, the stored WER and the checks on the database)")
    parser.add_argument("--results", type=Path, default=RESULTS, help=f"results file (default {RESULTS.name})")
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path.cwd()).stdout.strip()
    data = json.loads(args.results.read_text(encoding="utf-8")) if args.results.exists() else {}
    split = data.setdefault(args.split, {})
    if args.db:
        labels = CALLS / args.split / "labels.jsonl"
        if args.calls:  # only these calls' labels: the database's other calls are not scored
            kept = [line for line in labels.read_text(encoding="utf-8").splitlines()
                    if line.strip() and _in_range(json.loads(line)["id"], args.calls)]
            labels = Path(tempfile.mkdtemp()) / "labels.jsonl"
            labels.write_text("\n".join(kept) + "\n", encoding="utf-8")
        result = evaluate_stored(open_database(args.db, require_head=False), labels, rubric="support-call")
        split[args.column] = {label["label"]: {k: v for k, v in label.items() if k in KEEP}
                              for label in result["labels"]}
        split[args.column]["_run"] = {"checks_commit": commit, "note": args.note, "calls": result["conversations"],
                                      "load_average": [round(x, 1) for x in os.getloadavg()],
                                      "wer_stored": round(stored_wer(args.db, args.split, args.calls), 4),
                                      "call_ids": args.calls or "all"}
        now = evidence(audio_files(args.split))
        split[args.column]["_run"].update(audio_now=now, transcribed=transcribed_from(args.db, now["audio_sha256"]))
    if args.script:
        params = rubric_check_params("support-call", None)
        items = scripted_items(args.split)
        items = [(view, labels) for view, labels in items if _in_range(view.external_id, args.calls)]
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
