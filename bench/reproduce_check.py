"""Same script, same audio; same audio, same transcript, across processes (issue 16): the check a session runs
before it compares figures with an earlier session's.

    python bench/reproduce_check.py                       # 3 dev call scripts, rendered twice; 2 transcribed
    python bench/reproduce_check.py --scripts tests/data/labelled/calls/dev/scripts/LC-D-001.yaml --threads 1,2,4

Rendering: each script is rendered by ``tools/synth_calls.py`` in two separate processes into two folders and
the recordings compared byte for byte, and with the committed recording of the same name where there is one (the
labelled calls are committed; when it differs, how much: RMS of the decoded difference over the committed
audio's, per channel). Transcription: each rendered recording is transcribed with tiny.en (the default options)
in separate processes, twice with the default threads and once with each of ``--threads``; each transcript's
turns (speaker, start, end, text) and segments are hashed and compared. Writes ``bench/results/reproduce_check.json``
(``--out``) with the evidence of the run (audio SHA-256, package versions: ``provenance.evidence``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEV_SCRIPTS = ROOT / "tests" / "data" / "labelled" / "calls" / "dev" / "scripts"
DEFAULT_SCRIPTS = [DEV_SCRIPTS / f"LC-D-00{n}.yaml" for n in (1, 3, 5)]
RESULTS = ROOT / "bench" / "results" / "reproduce_check.json"


def transcript_hashes(path: Path, model: str, cpu_threads: int | None) -> dict[str, Any]:
    """SHA-256 of the transcript's turns and of its segments (canonical JSON), and the threads it ran with."""
    from qa_toolkit.transcribe.faster_backend import load_backend
    from qa_toolkit.transcribe.pipeline import transcribe_file

    backend = load_backend("faster-whisper", model, "cpu", 1, cpu_threads)
    transcript = transcribe_file(path, backend)
    turns = [[t.speaker, round(t.start_s, 3), round(t.end_s, 3), t.text] for t in transcript.turns]
    segments = [[side, round(s.start, 3), round(s.end, 3), s.text, [[w.word, round(w.start, 3), round(w.end, 3),
                                                                     round(w.probability, 5)] for w in s.words]]
                for side, segs in sorted(transcript.segments.items()) for s in segs]
    return {"turns_sha256": hashlib.sha256(json.dumps(turns).encode()).hexdigest(),
            "segments_sha256": hashlib.sha256(json.dumps(segments).encode()).hexdigest(),
            "turns": len(turns), "cpu_threads": backend.cpu_threads}  # type: ignore[attr-defined]


def in_new_process(path: Path, model: str, cpu_threads: int | None) -> dict[str, Any]:
    """:func:`transcript_hashes` in a fresh Python process (nothing cached from this one)."""
    command = [sys.executable, __file__, "--transcribe-one", str(path), "--model", model]
    if cpu_threads:
        command += ["--cpu-threads", str(cpu_threads)]
    run = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def decoded_difference(new: Path, committed: Path) -> list[float]:
    """Per channel, RMS of (new - committed) decoded samples over the committed audio's RMS."""
    import numpy as np

    from qa_toolkit.transcribe.audio import decode

    a, b = decode(new), decode(committed)
    out = []
    for x, y in zip(a.channels, b.channels, strict=True):
        n = min(len(x), len(y))
        out.append(round(float(np.sqrt(np.mean((x[:n] - y[:n]) ** 2)) / (np.sqrt(np.mean(y[:n] ** 2)) + 1e-12)), 5))
    return out


def render(scripts: list[Path], folder: Path) -> None:
    """Render ``scripts`` into ``folder`` with tools/synth_calls.py in a process of its own."""
    subprocess.run([sys.executable, str(ROOT / "tools" / "synth_calls.py"), *map(str, scripts), "--out", str(folder)],
                   check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scripts", type=Path, nargs="*", default=DEFAULT_SCRIPTS, help="call scripts to render")
    parser.add_argument("--transcribe", type=int, default=2, help="transcribe the first N rendered calls (0: none)")
    parser.add_argument("--threads", default="1", help="also transcribe with these CTranslate2 thread counts")
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--transcribe-one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cpu-threads", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    os.environ.setdefault("QA_DATA_DIR", tempfile.mkdtemp(prefix="qa-bench-data-"))
    if args.transcribe_one:
        print(json.dumps(transcript_hashes(args.transcribe_one, args.model, args.cpu_threads)))
        return
    from qa_toolkit.transcribe.provenance import evidence, file_hash

    import yaml

    result: dict[str, Any] = {"load_average": [round(x, 1) for x in os.getloadavg()], "cpu_count": os.cpu_count(),
                              "rendering": {}, "transcription": {}}
    with tempfile.TemporaryDirectory() as tmp:
        first, second = Path(tmp) / "first", Path(tmp) / "second"
        render(args.scripts, first)
        render(args.scripts, second)
        names = [yaml.safe_load(s.read_text(encoding="utf-8"))["file"] for s in args.scripts]
        for script, name in zip(args.scripts, names, strict=True):
            committed = script.parent.parent / "audio" / name
            same = (first / name).read_bytes() == (second / name).read_bytes()
            entry: dict[str, Any] = {"sha256": file_hash(first / name).removeprefix("sha256:"),
                                     "two_renders_identical": same}
            if committed.is_file():
                entry["committed_sha256"] = file_hash(committed).removeprefix("sha256:")
                entry["same_as_committed"] = entry["committed_sha256"] == entry["sha256"]
                if not entry["same_as_committed"]:
                    entry["decoded_rms_difference"] = decoded_difference(first / name, committed)
            result["rendering"][name] = entry
            print(name, json.dumps(entry), flush=True)
        threads = [int(t) for t in args.threads.split(",") if t]
        for name in names[: args.transcribe]:
            runs = [in_new_process(first / name, args.model, None) for _ in range(2)]
            runs += [in_new_process(first / name, args.model, t) for t in threads]
            keys = {(r["turns_sha256"], r["segments_sha256"]) for r in runs}
            result["transcription"][name] = {"runs": runs, "identical_processes": runs[0] == runs[1],
                                             "identical_all_threads": len(keys) == 1}
            print(name, json.dumps(result["transcription"][name]), flush=True)
        result["evidence"] = evidence(first / name for name in names)
    result["renders_identical"] = all(e["two_renders_identical"] for e in result["rendering"].values())
    result["transcripts_identical"] = all(t["identical_processes"] for t in result["transcription"].values())
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"renders identical {result['renders_identical']}, transcripts identical across processes "
          f"{result['transcripts_identical']}; wrote {args.out}")


if __name__ == "__main__":
    main()
