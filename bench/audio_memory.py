"""Memory of long recordings (issue 20 item 12): peak memory of ``transcribe_file`` with tiny.en on long
silent and faintly noisy recordings, generated here, against decoding the whole file at once.

    python bench/audio_memory.py                        # 10 h silent FLAC, 1 h faint noise
    python bench/audio_memory.py --noise-minutes 600    # 10 h of faint noise too (VAD over 20 h: slow)
    python bench/audio_memory.py --noise-minutes 60,120,240 --silence-minutes 0 --no-whole   # the slope

Each case runs in a fresh subprocess that loads tiny.en first; peak resident memory (VmHWM) is read
before and after, and resident memory (VmRSS, VmHWM) after each window, with the audio position, so one
run shows whether memory grows with the length transcribed. The baseline, measured in the same run, is the
whole-file decode (``decode()``, what the pipeline did before windows) of the (first) noise file. Writes
``bench/results/audio_memory.json`` (``--out`` another file), with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "audio_memory.json"

CHILD = """
import json, sys, time
from qa_toolkit.transcribe.audio import AudioError, decode, decode_windows
from qa_toolkit.transcribe.faster_backend import load_backend
from qa_toolkit.transcribe.pipeline import transcribe_windows

def status(key):
    return next(int(l.split()[1]) // 1024 for l in open("/proc/self/status") if l.startswith(key))

def hwm():
    return status("VmHWM")

def watched(windows, trace):
    for window in windows:  # memory as each window is handed on: what the windows before it left behind
        trace.append((round(window.offset_s), status("VmRSS"), hwm(), round(time.perf_counter() - started)))
        if len(sys.argv) > 3:  # --trace: each point as it is measured, should the run not finish
            with open(sys.argv[3], "a") as out:
                print(json.dumps([sys.argv[1].rsplit("/", 1)[-1], *trace[-1]]), file=out)
        yield window

backend = load_backend("faster-whisper", "tiny.en", "cpu", 1)
before = hwm()
started = time.perf_counter()
outcome = ""
trace = []
try:
    if sys.argv[2] == "whole":
        outcome = f"decoded {decode(sys.argv[1]).duration_s:.0f} s"
    else:
        t = transcribe_windows(watched(decode_windows(sys.argv[1]), trace), backend, None, agent_channel="left",
                               mono_speaker="unknown", diarize=False, hints=None)
        outcome = f"{len(t.turns)} turns, {t.duration_s:.0f} s"
except AudioError as exc:
    outcome = f"AudioError {exc.kind}"
print(json.dumps(trace))
print(before, hwm(), round(time.perf_counter() - started, 1), outcome, sep="\\t")
"""


def write_audio(path: Path, seconds: int, level_db: float | None, rate: int = 8000) -> Path:
    """Stereo audio, a minute at a time: digital silence (FLAC) or faint noise at ``level_db`` dBFS."""
    import av

    rng = np.random.default_rng(5)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("flac" if path.suffix == ".flac" else "pcm_s16le", rate=rate, layout="stereo")
        for start in range(0, seconds, 60):
            n = rate * min(60, seconds - start)
            block = np.zeros((2, n), np.int16) if level_db is None else \
                (10 ** (level_db / 20) * 32767 * rng.standard_normal((2, n))).astype(np.int16)
            frame = av.AudioFrame.from_ndarray(block.T.reshape(1, -1).copy(), format="s16", layout="stereo")
            frame.sample_rate = rate
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def measure(path: Path, mode: str, trace: Path | None = None) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), mode, *([str(trace)] if trace else [])],
                         capture_output=True, text=True, check=True)
    *_, trace, last = out.stdout.strip().splitlines()
    before, after, seconds, outcome = last.split("\t")
    return {"file": path.name, "mode": mode, "model_loaded_mb": int(before), "peak_mb": int(after),
            "growth_mb": int(after) - int(before), "seconds": float(seconds), "outcome": outcome,
            "load_average_1min": round(os.getloadavg()[0], 1),
            "per_window": [dict(zip(("offset_s", "rss_mb", "hwm_mb", "elapsed_s"), row)) for row in json.loads(trace)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--silence-minutes", type=int, default=600, help="0: no silent file")
    parser.add_argument("--noise-minutes", default="60", help="minutes of faint noise; several: 60,120,240")
    parser.add_argument("--no-whole", action="store_true", help="skip the whole-file decode baseline")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--trace", type=Path, help="also append each window's memory to this file as it is measured "
                        "(JSON lines: file, offset_s, rss_mb, hwm_mb, elapsed_s)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        plan: list[tuple[Path, str]] = []
        for minutes in [int(m) for m in args.noise_minutes.split(",")]:
            started = time.perf_counter()
            noise = write_audio(Path(tmp) / f"noise-{minutes}min.wav", minutes * 60, -50.0)
            print(f"generated {noise.stat().st_size >> 20} MB WAV in {time.perf_counter() - started:.0f} s", flush=True)
            if not plan and not args.no_whole:
                plan.append((noise, "whole"))
            plan.append((noise, "windows"))
        if args.silence_minutes:
            silent = write_audio(Path(tmp) / "silent.flac", args.silence_minutes * 60, None)
            plan.append((silent, "windows"))
        for path, mode in plan:
            rows.append(measure(path, mode, args.trace))
            print(json.dumps({k: v for k, v in rows[-1].items() if k != "per_window"}), flush=True)
            for point in rows[-1]["per_window"][:: max(1, len(rows[-1]["per_window"]) // 12)]:
                print("   ", point, flush=True)
            write(args, rows)  # what is measured so far, should a later case not finish


def write(args: argparse.Namespace, rows: list[dict[str, object]]) -> None:
    noise = [r for r in rows if r["mode"] == "windows" and str(r["file"]).startswith("noise")]
    whole = next((r for r in rows if r["mode"] == "whole"), None)
    silence = next((r for r in rows if str(r["file"]).startswith("silent")), None)
    summary: dict[str, object] = {
        "silence_minutes": args.silence_minutes, "noise_minutes": args.noise_minutes,
        "noise_peak_mb_by_minutes": {str(r["file"]).split("-")[1].removesuffix("min.wav"): r["peak_mb"] for r in noise},
        "noise_windows_growth_mb": noise[0]["growth_mb"] if noise else None,
        "silence_peak_mb": silence["peak_mb"] if silence else None,
        "silence_windows_growth_mb": silence["growth_mb"] if silence else None,
    }
    if whole and noise:
        summary["baseline_whole_decode_growth_mb"] = whole["growth_mb"]
        summary["ratio_whole_vs_windows_noise"] = round(int(whole["growth_mb"]) / max(1, int(noise[0]["growth_mb"])), 2)
    print(json.dumps(summary, indent=2))
    args.out.write_text(json.dumps({"summary": summary, "runs": rows}, indent=2) + "\n")
    print(f"wrote {args.out}", flush=True)


if __name__ == "__main__":
    main()
