"""Memory of long recordings (issue 20 item 12): peak memory of ``transcribe_file`` with tiny.en on long
silent and faintly noisy recordings, generated here, against decoding the whole file at once.

    python bench/audio_memory.py                        # 10 h silent FLAC, 1 h faint noise
    python bench/audio_memory.py --noise-minutes 600    # 10 h of faint noise too (VAD over 20 h: slow)

Each case runs in a fresh subprocess that loads tiny.en first; peak resident memory (VmHWM) is read
before and after. The baseline, measured in the same run, is the whole-file decode (``decode()``,
what the pipeline did before windows) of the noise file. Writes ``bench/results/audio_memory.json``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "audio_memory.json"

CHILD = """
import sys, time
from qa_toolkit.transcribe.audio import AudioError, decode
from qa_toolkit.transcribe.faster_backend import load_backend
from qa_toolkit.transcribe.pipeline import transcribe_file

def hwm():
    return next(int(l.split()[1]) // 1024 for l in open("/proc/self/status") if l.startswith("VmHWM"))

backend = load_backend("faster-whisper", "tiny.en", "cpu", 1)
before = hwm()
started = time.perf_counter()
outcome = ""
try:
    if sys.argv[2] == "whole":
        outcome = f"decoded {decode(sys.argv[1]).duration_s:.0f} s"
    else:
        t = transcribe_file(sys.argv[1], backend)
        outcome = f"{len(t.turns)} turns, {t.duration_s:.0f} s"
except AudioError as exc:
    outcome = f"AudioError {exc.kind}"
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


def measure(path: Path, mode: str) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", CHILD, str(path), mode], capture_output=True, text=True, check=True)
    before, after, seconds, outcome = out.stdout.strip().splitlines()[-1].split("\t")
    return {"file": path.name, "mode": mode, "model_loaded_mb": int(before), "peak_mb": int(after),
            "growth_mb": int(after) - int(before), "seconds": float(seconds), "outcome": outcome}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--silence-minutes", type=int, default=600)
    parser.add_argument("--noise-minutes", type=int, default=60)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        silent = write_audio(Path(tmp) / "silent.flac", args.silence_minutes * 60, None)
        noise = write_audio(Path(tmp) / "noise.wav", args.noise_minutes * 60, -50.0)
        print(f"generated {silent.stat().st_size >> 20} MB FLAC, {noise.stat().st_size >> 20} MB WAV "
              f"in {time.perf_counter() - started:.0f} s", flush=True)
        for path, mode in ((noise, "whole"), (noise, "windows"), (silent, "windows")):
            rows.append(measure(path, mode))
            print(json.dumps(rows[-1]), flush=True)
    baseline, noise_windows, silence = rows
    summary = {"silence_minutes": args.silence_minutes, "noise_minutes": args.noise_minutes,
               "baseline_whole_decode_growth_mb": baseline["growth_mb"],
               "noise_windows_growth_mb": noise_windows["growth_mb"], "silence_windows_growth_mb": silence["growth_mb"],
               "noise_peak_mb": noise_windows["peak_mb"], "silence_peak_mb": silence["peak_mb"],
               "ratio_whole_vs_windows_noise": round(baseline["growth_mb"] / max(1, noise_windows["growth_mb"]), 2)}
    print(json.dumps(summary, indent=2))
    RESULTS.write_text(json.dumps({"summary": summary, "runs": rows}, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
