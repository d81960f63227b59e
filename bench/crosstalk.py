"""Crosstalk suppression (qa_toolkit/transcribe/crosstalk.py): its effect on WER, speaker-attributed WER and
overtalk on the labelled calls, each call transcribed once (tiny.en) and the suppression applied to the
same segments, so the two columns differ by the suppression only.

    .venv/bin/python bench/crosstalk.py --split dev            # tune on dev
    .venv/bin/python bench/crosstalk.py --split test           # measure once

Writes ``bench/results/crosstalk_SPLIT.json``: per call the words dropped per side, WER, SA-WER and
overtalk seconds without and with suppression, and the totals; the load average of the run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LABELLED = ROOT / "tests" / "data" / "labelled" / "calls"


def main() -> None:
    from qa_toolkit.transcribe import crosstalk
    from qa_toolkit.transcribe.audio import decode
    from qa_toolkit.transcribe.backend import TranscriptionOptions
    from qa_toolkit.transcribe.evaluate import Evaluation, read_references, score
    from qa_toolkit.transcribe.faster_backend import load_backend
    from qa_toolkit.transcribe.pipeline import transcribe_audio
    from qa_toolkit.transcribe.turns import call_timing, channel_words, merge_turns

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["dev", "test"])
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--only", nargs="*", help="call ids (LC-D-005 ...)")
    args = parser.parse_args()
    refs_path = LABELLED / args.split / "audio" / "references.json"
    references = read_references(refs_path)
    backend = load_backend("faster-whisper", args.model)
    options = TranscriptionOptions(crosstalk=False)
    before, after, rows = [], [], []
    for name, reference in sorted(references.items()):
        if args.only and Path(name).stem not in args.only:
            continue
        audio = decode(refs_path.parent / name)
        transcript = transcribe_audio(audio, backend, options)
        speakers = ["agent", "customer"]
        channels = dict(zip(speakers, audio.channels, strict=True))
        segments = {s: transcript.segments.get(s, []) for s in speakers}
        cleaned, flags = crosstalk.suppress(segments, channels)
        words = {s: channel_words(segs) for s, segs in cleaned.items()}
        turns = merge_turns(words)
        timing = call_timing(words, transcript.duration_s)
        pairs_before = [(t.speaker, t.text) for t in transcript.turns]
        pairs_after = [(t.speaker, t.text) for t in turns]
        b = score(name, reference, " ".join(t for _, t in pairs_before), pairs_before)
        a = score(name, reference, " ".join(t for _, t in pairs_after), pairs_after)
        before.append(b)
        after.append(a)
        dropped = {s: sum(len(seg.words) for seg in segments[s]) - sum(len(seg.words) for seg in cleaned[s])
                   for s in speakers}
        row = {"call": Path(name).stem, "dropped_words": dropped,
               "wer": [round(b.wer, 4), round(a.wer, 4)], "sa_wer": [round(b.sa_wer or 0, 4), round(a.sa_wer or 0, 4)],
               "overtalk_s": [round(transcript.timing.overtalk_s, 2), round(timing.overtalk_s, 2)],
               "dropped": [replace_flag(f) for f in flags][:6]}
        rows.append(row)
        print(json.dumps(row), flush=True)
    result = {
        "what": "crosstalk suppression on the labelled calls, each transcribed once with "
                f"{args.model} (crosstalk off) and the suppression applied to the same segments",
        "split": args.split, "model": args.model, "load_average": [round(x, 1) for x in os.getloadavg()],
        "overall": {"wer": [round(Evaluation(before).wer, 4), round(Evaluation(after).wer, 4)],
                    "sa_wer": [round(Evaluation(before).sa_wer or 0, 4), round(Evaluation(after).sa_wer or 0, 4)],
                    "dropped_words": {s: sum(r["dropped_words"][s] for r in rows) for s in ("agent", "customer")},
                    "overtalk_s": [round(sum(r["overtalk_s"][0] for r in rows), 2),
                                   round(sum(r["overtalk_s"][1] for r in rows), 2)]},
        "calls": rows,
    }
    print(json.dumps(result["overall"]))
    if not args.only:
        out = ROOT / "bench" / "results" / f"crosstalk_{args.split}.json"
        out.write_text(json.dumps(result, indent=1) + "\n")


def replace_flag(flag: dict[str, object]) -> str:
    return f"{flag['speaker']} {flag['start_s']}-{flag['end_s']}: {flag['flags'][0]}"  # type: ignore[index]


if __name__ == "__main__":
    main()
