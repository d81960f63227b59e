"""Hold music vs dead air on the labelled calls: what :mod:`qa_toolkit.transcribe.sounds` hears in each wordless stretch.

Each call's ground truth (``SPLIT/audio/ID.truth.json``) says where every hold ran and what played in it (``tones``,
``noise`` or ``silence``); every other stretch of at least ``--min-gap`` seconds between turns is dead air, and every
turn that long is speech (as a stretch of words the recognition lost would sound). The
recording is decoded as ``qa transcribe`` decodes it and each stretch classified (``music``, ``noise``, ``quiet``)
from the scripted times, so the figures are the classifier's alone, not the speech recognition's timing:

    .venv/bin/python bench/hold_sounds.py --split dev --results bench/results/hold_sounds_dev.json

The results file holds counts only: per truth kind, how many stretches were heard as each sound, and per kind the
range of dB over the floor and flatness (no text).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CALLS = ROOT / "tests" / "data" / "labelled" / "calls"


def stretches(truth: dict[str, Any], min_gap: float) -> list[tuple[float, float, str]]:
    """The call's holds (kind: the music that played), its dead air between turns (kind ``dead_air``) and its turns
    of at least ``min_gap`` seconds (kind ``speech``: what a stretch of words the recognition lost sounds like)."""
    holds = [(h["start_s"], h["end_s"], h.get("music", "tones")) for h in truth.get("holds", [])]
    turns = sorted((t["start_s"], t["end_s"]) for t in truth["turns"])
    out = list(holds)
    last_end = turns[0][1] if turns else 0.0
    for start, end in turns[1:]:
        if start - last_end >= min_gap and not any(s < start and e > last_end for s, e, _ in holds):
            out.append((last_end, start, "dead_air"))
        last_end = max(last_end, end)
    return out + [(t["start_s"], t["end_s"], "speech") for t in truth["turns"] if t["end_s"] - t["start_s"] >= min_gap]


def main() -> None:
    from qa_toolkit.transcribe.audio import AUDIO_EXTENSIONS, decode_windows
    from qa_toolkit.transcribe.pipeline import speakers_for
    from qa_toolkit.transcribe.sounds import SoundFrames, silence_sounds

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["dev", "test"])
    parser.add_argument("--min-gap", type=float, default=2.0, help="dead air: a gap between turns this long")
    parser.add_argument("--results", type=Path, help="write the counts here (JSON)")
    args = parser.parse_args()
    audio = CALLS / args.split / "audio"
    counts: dict[str, dict[str, int]] = {}
    ranges: dict[str, dict[str, list[float]]] = {}
    started, calls = time.process_time(), 0
    for path in sorted(p for p in audio.iterdir() if p.suffix.lower() in AUDIO_EXTENSIONS):
        truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
        found = stretches(truth, args.min_gap)
        if not found:
            continue
        frames, channels = SoundFrames(), 0
        for window in decode_windows(path):
            frames.add(window.channels)
            channels = window.channel_count
        heard = silence_sounds(frames, [(s, e) for s, e, _ in found], speakers_for(channels))
        calls += 1
        for (_, _, kind), sound in zip(found, heard, strict=True):
            counts.setdefault(kind, {}).setdefault(str(sound["sound"]), 0)
            counts[kind][str(sound["sound"])] += 1
            for key in ("over_floor_db", "change_db", "flatness"):
                low_high = ranges.setdefault(kind, {}).setdefault(key, [float("inf"), float("-inf")])
                low_high[0] = min(low_high[0], float(sound[key]))  # type: ignore[arg-type]
                low_high[1] = max(low_high[1], float(sound[key]))  # type: ignore[arg-type]
    held = sum(n for kind, c in counts.items() if kind in ("tones", "noise") for s, n in c.items()
               if s in ("music", "noise"))
    music = sum(sum(c.values()) for kind, c in counts.items() if kind in ("tones", "noise"))
    wrong = sum(n for kind, c in counts.items() if kind in ("silence", "dead_air") for s, n in c.items() if s != "quiet")
    quiet = sum(sum(c.values()) for kind, c in counts.items() if kind in ("silence", "dead_air"))
    spoken = counts.get("speech", {})
    result = {"split": args.split, "calls": calls, "min_gap_s": args.min_gap, "counts": counts, "ranges": ranges,
              "music_heard": f"{held}/{music}", "quiet_heard_as_sound": f"{wrong}/{quiet}",
              "speech_heard_as_music_or_noise": f"{spoken.get('music', 0) + spoken.get('noise', 0)}/"
                                                f"{sum(spoken.values())}",
              "cpu_s": round(time.process_time() - started, 1)}
    print(json.dumps(result, indent=1))
    if args.results:
        args.results.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
