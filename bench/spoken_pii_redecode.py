"""The re-decode of answers (issue 14, :mod:`qa_toolkit.transcribe.redecode`) on cached spoken-PII transcripts:
span recall / precision per type with the customer's answers to questions for a number decoded again, for each initial
prompt tried, the answer windows' words replacing the first decode's ("replace") or the spans found in either
transcript ("union": a span of the re-decode that overlaps none of the first's kind in time is added), and the
seconds the re-decodes took against the first transcription's.

    python bench/spoken_pii_redecode.py --batches d10,d13 --cache DIR --model tiny.en

DIR is ``bench/spoken_pii.py --cache DIR``'s (transcripts made with its pinned decoding; only calls cached there
count). Writes ``bench/results/spoken_pii_redecode.json`` (``--out`` elsewhere).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import spoken_pii  # noqa: E402

from qa_toolkit.transcribe import redecode  # noqa: E402

# Prompts tried: the module's own per kind, none, and one for every kind at once.
VARIANTS: dict[str, dict[str, Any]] = {"per-kind prompt": {}, "no prompt": {"initial_prompt": None},
                                       "one digits prompt": {"initial_prompt": "4012 8888 8888 1881, 05/29, 737."}}
Found = list[tuple[str, tuple[float, float]]]


def _overlap(f: tuple[float, float], w: tuple[float, float]) -> bool:
    return f[0] < w[1] and w[0] < f[1]


def _score(calls: list[dict[str, Any]], found: dict[str, Found]) -> dict[str, Any]:
    counts = spoken_pii.Counts(by_batch=False)
    for call in calls:
        wanted = [(s["kind"], (s["start_s"], s["end_s"])) for s in call["spans"]]
        counts.add(call["file"], found[call["file"]], wanted, _overlap)
    return counts.report()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", default="d10,d13")
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--out", type=Path, default=spoken_pii.RESULTS.with_name("spoken_pii_redecode.json"))
    args = parser.parse_args()
    calls = [c for c in spoken_pii.load_set("dev", args.batches.split(","))
             if (args.cache / args.model / f"{c['file']}.pkl").exists()]
    first = {c["file"]: pickle.loads((args.cache / args.model / f"{c['file']}.pkl").read_bytes()) for c in calls}
    asr_s = sum(t.decode_s + t.transcribe_s for t in first.values())
    spans = {name: [(s.kind, (s.start_s, s.end_s)) for s in t.redacted().pii_spans] for name, t in first.items()}
    result: dict[str, Any] = {"machine": f"{os.cpu_count()} cores (shared)", "load_average": list(os.getloadavg()),
                              "model": args.model, "batches": args.batches, "calls": len(calls),
                              "asr_s": round(asr_s, 1), "first decode": _score(calls, spans)}
    options = redecode.redecode_options
    for name, changes in VARIANTS.items():
        def varied(o: Any, k: str, changes: dict[str, Any] = changes) -> Any:
            return replace(options(o, k), **changes)

        redecode.redecode_options = varied  # type: ignore[assignment]
        again: dict[str, Found] = {}
        seconds = 0.0
        for call in calls:
            transcript, took = spoken_pii.redecoded(first[call["file"]], call, args.model)
            seconds += took
            again[call["file"]] = [(s.kind, (s.start_s, s.end_s)) for s in transcript.redacted().pii_spans]
        union = {f: spans[f] + [a for a in again[f] if not any(a[0] == s[0] and _overlap(a[1], s[1]) for s in spans[f])]
                 for f in spans}
        result[name] = {"redecode_s": round(seconds, 1), "redecode_share_of_asr": round(seconds / asr_s, 3),
                        "replace": _score(calls, again), "union": _score(calls, union)}
        overall = {mode: result[name][mode]["per_type"]["all"] for mode in ("replace", "union")}
        print(f"{name}: {seconds:.0f} s", overall, file=sys.stderr)
    redecode.redecode_options = options
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
