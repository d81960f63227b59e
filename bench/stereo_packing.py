"""Where the packed stereo path loses words (issue 16): per channel vs ``--pack-channels`` on labelled calls,
WER split into substitutions / deletions / insertions per speaker, and the deletions by where the word sat in
its packed window (a word's time is interpolated within its scripted turn).

    python bench/stereo_packing.py --split dev --calls 0:9 --beam 2            # transcribe (cached), analyse
    python bench/stereo_packing.py --fill 30 --gap 999 --tag fill30-nogap      # the packing before this round

Transcripts are cached per variant and call in ``--cache`` (re-runs only analyse); each variant's CPU seconds
are summed (they are taken at whatever load each call met: compare speed with bench/transcribe_stereo.py,
which interleaves the methods). Writes ``bench/results/stereo_packing.json`` (one key per split, beam, tag).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LABELLED = ROOT / "tests" / "data" / "labelled" / "calls"
RESULTS = ROOT / "bench" / "results" / "stereo_packing.json"
SR = 16_000


def transcribe(path: Path, backend, beam: int, packed: bool) -> dict:  # type: ignore[no-untyped-def]
    """One call through the pipeline: words per speaker, turns, CPU seconds and the packed windows."""
    import qa_toolkit.transcribe.stereo as stereo
    from qa_toolkit.transcribe.audio import decode
    from qa_toolkit.transcribe.backend import TranscriptionOptions
    from qa_toolkit.transcribe.pipeline import transcribe_audio

    audio = decode(path)
    seen: list = []
    original = stereo.windows
    stereo.windows = lambda chunks: seen.append(original(chunks)) or seen[-1]  # type: ignore[assignment]
    try:
        cpu = time.process_time()
        t = transcribe_audio(audio, backend, TranscriptionOptions(beam_size=beam, pack_channels=packed))
        cpu = time.process_time() - cpu
    finally:
        stereo.windows = original
    return {"cpu_s": cpu, "audio_s": audio.duration_s, "load": os.getloadavg()[0],
            "turns": [[turn.speaker, turn.text] for turn in t.turns],
            "words": {sp: [[w.start, w.end, w.word] for s in segs for w in s.words] for sp, segs in t.segments.items()},
            "windows": [[list(c) for c in window] for found in seen for window in found]}


def analyse(split: str, names: list[str], runs: dict[str, dict], layout: dict) -> dict:
    """WER with S/D/I per speaker, and deletions by position (5 s bins) in the packed windows of ``layout``."""
    import jiwer

    from qa_toolkit.transcribe.evaluate import normalize, read_references, score

    refs = read_references(LABELLED / split / "audio" / "references.json")
    totals = {"N": 0, "S": 0, "D": 0, "I": 0, "cpu_s": 0.0, "audio_s": 0.0}
    speakers: dict[str, dict[str, int]] = {}
    bins: dict[str, dict[str, int]] = {}
    for name in names:
        run = runs[name]
        file = next(k for k in refs if Path(k).stem == name)
        fs = score(file, refs[file], " ".join(t for _, t in run["turns"]), [tuple(t) for t in run["turns"]])
        for key, value in (("N", fs.reference_words), ("S", fs.substitutions), ("D", fs.deletions),
                           ("I", fs.insertions), ("cpu_s", run["cpu_s"]), ("audio_s", run["audio_s"])):
            totals[key] += value
        truth = json.loads((LABELLED / split / "audio" / f"{name}.truth.json").read_text())
        for k, speaker in enumerate(("agent", "customer")):
            said = [(t["start_s"] + (t["end_s"] - t["start_s"]) * (i + 0.5) / len(ws), w)
                    for t in truth["turns"] if t["speaker"] == speaker
                    for ws in [normalize(t["text"]).split()] for i, w in enumerate(ws)]
            if not said:
                continue
            heard = normalize(" ".join(w[2] for w in run["words"].get(speaker, []))) or "-"
            out = jiwer.process_words(" ".join(w for _, w in said), heard)
            s = speakers.setdefault(speaker, {"N": 0, "S": 0, "D": 0, "I": 0})
            for key, value in (("N", len(said)), ("S", out.substitutions), ("D", out.deletions), ("I", out.insertions)):
                s[key] += value
            status = ["hit"] * len(said)
            for chunk in out.alignments[0]:
                if chunk.type in ("delete", "substitute"):
                    span = range(chunk.ref_start_idx, chunk.ref_end_idx)
                    status[span.start:span.stop] = [chunk.type] * len(span)
            for (at, _), st in zip(said, status, strict=True):
                where = None
                for window in layout[name]:
                    offset = 0
                    for channel, a, b in window:
                        if channel == k and a / SR <= at <= b / SR:
                            where = (offset + at * SR - a) / SR
                        offset += b - a
                    if where is not None:
                        break
                five = None if where is None else int(where // 5) * 5
                key = "not in any window" if five is None else f"{five:02d}-{five + 5:02d} s"
                b = bins.setdefault(key, {"words": 0, "delete": 0, "substitute": 0, "hit": 0})
                b["words"] += 1
                b[st] += 1
    wer = (totals["S"] + totals["D"] + totals["I"]) / totals["N"]
    loads = [runs[name]["load"] for name in names]
    return {"wer": round(wer, 4), **{k: round(v, 1) if isinstance(v, float) else v for k, v in totals.items()},
            "load_average_range": [round(min(loads), 1), round(max(loads), 1)],
            "per_speaker": {sp: {**s, "wer": round((s["S"] + s["D"] + s["I"]) / s["N"], 4)}
                            for sp, s in speakers.items()},
            "deleted_by_window_position": {k: {"words": v["words"], "deleted": round(v["delete"] / v["words"], 3),
                                               "substituted": round(v["substitute"] / v["words"], 3)}
                                           for k, v in sorted(bins.items())}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["dev", "test"])
    parser.add_argument("--calls", default="0:6", help="slice of the split's calls (sorted by name)")
    parser.add_argument("--beam", type=int, default=2)
    parser.add_argument("--fill", type=float, default=None, help="packed window fill in seconds (stereo.FILL_S)")
    parser.add_argument("--gap", type=float, default=None, help="re-decode threshold in seconds (stereo.GAP_S)")
    parser.add_argument("--tag", default="current", help="name of the packed variant (cache and results key)")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/qa-stereo-packing"))
    args = parser.parse_args()
    os.environ.setdefault("QA_DATA_DIR", str(args.cache / "qa-data"))
    import qa_toolkit.transcribe.stereo as stereo
    from qa_toolkit.transcribe.faster_backend import load_backend

    stereo.FILL_S = args.fill or stereo.FILL_S
    stereo.GAP_S = args.gap or stereo.GAP_S
    lo, hi = (int(x) for x in args.calls.split(":"))
    files = sorted(p for p in (LABELLED / args.split / "audio").iterdir() if p.suffix in {".mp3", ".ogg"})[lo:hi]
    backend = None
    runs: dict[str, dict[str, dict]] = {}
    for variant, packed in (("per_channel", False), (f"packed_{args.tag}", True)):
        for path in files:
            cached = args.cache / f"{variant}-b{args.beam}" / f"{path.stem}.json"
            if not cached.exists():
                backend = backend or load_backend("faster-whisper", "tiny.en", "cpu", 1, None)
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_text(json.dumps(transcribe(path, backend, args.beam, packed)))
                print(variant, path.name, flush=True)
            runs.setdefault(variant, {})[path.stem] = json.loads(cached.read_text())
    names = [p.stem for p in files]
    layout = {n: runs[f"packed_{args.tag}"][n]["windows"] for n in names}
    result = {"split": args.split, "calls": names, "beam": args.beam, "model": "tiny.en",
              "fill_s": stereo.FILL_S, "gap_s": stereo.GAP_S,
              **{variant: analyse(args.split, names, found, layout) for variant, found in runs.items()}}
    print(json.dumps(result, indent=1))
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    existing[f"{args.split} {args.calls}, beam {args.beam}, {args.tag}"] = result
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")


if __name__ == "__main__":
    main()
