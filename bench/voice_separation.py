"""Can a voice-based diarizer tell a stereo call's two sides apart once mixed down? Each side's voice, measured.

    nice .venv/bin/python bench/voice_separation.py [--samples DIR] [--labelled dev] \
        --out bench/results/voice_separation_samples.json

For every shipped sample call (samples/calls) and, with ``--labelled dev``, the labelled dev split's stereo calls:
each channel's speech (by energy, bench/diarization.py), its median pitch (librosa's YIN over voiced 25 ms frames),
its Resemblyzer voice (the unit mean of 1.5 s windows, as the diarizer embeds them) and the cosine similarity of
the agent's voice to the customer's. The diarizer joins windows whose voices are closer than its cut
(``DISTANCE_THRESHOLD`` 0.3 cosine distance: similarity above 0.7 between windows); two sides whose mean voices are
as alike as one speaker's own are one voice to it, whatever the words say. Same-speaker reference: the
similarity of the agent's first half to its second half on the same call.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
warnings.filterwarnings("ignore")

import diarization as bench  # noqa: E402  (bench/diarization.py)

from qa_toolkit.transcribe.audio import decode  # noqa: E402
from qa_toolkit.transcribe.diarize import SAMPLE_RATE, embed_windows, windows  # noqa: E402


def pitch(samples: np.ndarray, regions: list[tuple[float, float]]) -> float:
    """Median F0 (Hz) of the voiced frames inside ``regions``."""
    import librosa

    speech = np.concatenate([samples[int(s * SAMPLE_RATE): int(e * SAMPLE_RATE)] for s, e in regions])
    f0, voiced, _ = librosa.pyin(speech, fmin=60, fmax=400, sr=SAMPLE_RATE, frame_length=1024)
    return round(float(np.nanmedian(f0[voiced])), 1) if voiced.any() else float("nan")


def side(samples: np.ndarray) -> dict:
    """One channel's speech regions, pitch, window voices and mean voice."""
    regions = bench.energy_speech(samples)
    vectors = embed_windows(samples, windows(regions))
    mean = vectors.mean(axis=0)
    return {"regions": regions, "f0": pitch(samples, regions), "vectors": vectors, "voice": mean / np.linalg.norm(mean)}


def measure(name: str, path: Path) -> dict:
    """Both sides of one stereo call: pitch, voice similarity, and the agent's own half-to-half similarity."""
    agent, customer = (side(ch) for ch in decode(path).channels[:2])
    half = len(agent["vectors"]) // 2
    a, b = (agent["vectors"][:half].mean(axis=0), agent["vectors"][half:].mean(axis=0))
    cross = agent["vectors"] @ customer["vectors"].T
    return {"call": name, "agent_f0_hz": agent["f0"], "customer_f0_hz": customer["f0"],
            "agent_vs_customer": round(float(agent["voice"] @ customer["voice"]), 3),
            "agent_half_vs_half": round(float(a @ b / np.linalg.norm(a) / np.linalg.norm(b)), 3),
            "windows_closer_than_cut": round(float((cross > 1 - 0.3).mean()), 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=Path, default=bench.SAMPLES, metavar="DIR",
                        help="the sample calls' folder (default samples/calls; or another rendering of make_calls.sh)")
    parser.add_argument("--labelled", choices=["dev"], help="also the labelled call set's stereo calls of this split")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    calls = [(f"shipped:{p.name}", p) for p in sorted(args.samples.glob("call_*"))
             if p.suffix in (".wav", ".mp3", ".flac", ".ogg")]
    if args.labelled:
        from diarization_roles import labelled_calls

        calls += [(f"labelled:{p.name}", p) for p in labelled_calls(args.labelled, stereo=True)]
    rows = []
    for name, path in calls:
        rows.append(measure(name, path))
        print(json.dumps(rows[-1]), file=sys.stderr)
    groups = {"samples": [r for r in rows if r["call"].startswith("shipped:")],
              "labelled": [r for r in rows if r["call"].startswith("labelled:")]}
    def median(values: list[float], digits: int = 3) -> float:
        return round(float(np.median(values)), digits)

    summary = {k: {"calls": len(v), "agent_vs_customer_median": median([r["agent_vs_customer"] for r in v]),
                   "agent_half_vs_half_median": median([r["agent_half_vs_half"] for r in v]),
                   "f0_gap_hz_median": median([abs(r["agent_f0_hz"] - r["customer_f0_hz"]) for r in v], 1),
                   "windows_closer_than_cut_median": median([r["windows_closer_than_cut"] for r in v])}
               for k, v in groups.items() if v}
    args.out.write_text(json.dumps({"summary": summary, "per_call": rows}, indent=2) + "\n")
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
