"""Same audio, same transcript (issue 16): transcribe a folder several times with --workers 1 and 2 and
compare what is stored, byte for byte, file by file.

    python bench/transcribe_determinism.py                                  # sample calls, 5 runs x workers 1, 2
    python bench/transcribe_determinism.py --folder tests/data/labelled/calls/test/audio --runs 2 --workers 1
    python bench/transcribe_determinism.py --no-pack-channels --runs 2          # each channel on its own, beam 5

Each run is a full ``qa transcribe batch`` (in process) into a fresh SQLite database: decode, VAD,
Whisper, hallucination guard, turn merge, redaction, storage. Every stored turn (speaker, start, end,
text) of a file is hashed; a file is reproducible when all runs give the same hash. Writes
``bench/results/transcribe_determinism[_NAME].json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def stored_hashes(url: str) -> dict[str, str]:
    """File name → SHA-256 of its stored turns as canonical JSON."""
    from sqlalchemy import select

    from qa_toolkit.storage.database import open_database
    from qa_toolkit.storage.models import Recording, Turn

    database = open_database(url)
    turns: dict[str, list[list[object]]] = {}
    with database.session() as session:
        for path, index, speaker, start, end, text in session.execute(
                select(Recording.path, Turn.index, Turn.speaker, Turn.start_s, Turn.end_s, Turn.text)
                .join(Turn, Turn.interaction_id == Recording.interaction_id).order_by(Recording.path, Turn.index)):
            turns.setdefault(Path(path).name, []).append([index, speaker, start, end, text])
    database.close()
    return {name: hashlib.sha256(json.dumps(t).encode()).hexdigest() for name, t in turns.items()}


def one_run(folder: Path, work: Path, model: str, workers: int, backend: str = "faster-whisper",
            pack_channels: bool = True) -> tuple[dict[str, str], float, float]:
    from qa_toolkit.services import schema, transcription
    from qa_toolkit.services.transcription import TranscribeSettings
    from qa_toolkit.storage.database import open_database

    db = work / f"run-{time.monotonic_ns()}.db"
    url = f"sqlite:///{db}"
    schema.init_database(url)
    database = open_database(url)
    started = time.perf_counter()
    report = transcription.run_batch(database, folder, TranscribeSettings(model=model, workers=workers, diarize=False,
                                                                         backend=backend, pack_channels=pack_channels))
    seconds = time.perf_counter() - started
    database.close()
    failed = [o.path for o in report.outcomes if o.status != "done"]
    if failed:
        raise SystemExit(f"files failed: {failed}")
    return stored_hashes(url), seconds, report.audio_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=ROOT / "samples" / "calls")
    parser.add_argument("--runs", type=int, default=5, help="runs per --workers value")
    parser.add_argument("--workers", default="1,2", help="comma-separated --workers values")
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--backend", default="faster-whisper", help="faster-whisper or openai-whisper")
    parser.add_argument("--name", default=None, help="results file suffix (default: the folder's name)")
    parser.add_argument("--pack-channels", action=argparse.BooleanOptionalAction, default=True,
                        help="stereo calls packed, beam 2 (the default), or each channel on its own, beam 5")
    args = parser.parse_args()
    runs: list[dict[str, object]] = []
    load_start = [round(x, 1) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (int(w) for w in args.workers.split(",")):
            for run in range(args.runs):
                hashes, seconds, audio_s = one_run(args.folder, Path(tmp), args.model, workers, args.backend,
                                                   args.pack_channels)
                runs.append({"workers": workers, "run": run, "seconds": round(seconds, 1), "hashes": hashes})
                print(f"workers {workers} run {run + 1}: {len(hashes)} files, {audio_s:.0f} s audio in {seconds:.1f} s",
                      flush=True)
    files = sorted({name for r in runs for name in r["hashes"]})  # type: ignore[attr-defined]
    per_file = {name: len({r["hashes"].get(name) for r in runs}) == 1 for name in files}  # type: ignore[attr-defined]
    identical = sum(per_file.values())
    print(f"{identical}/{len(files)} files byte-identical over {len(runs)} runs "
          f"(workers {args.workers}, {args.runs} runs each, {args.model}, {args.backend})")
    for name, same in per_file.items():
        if not same:
            print(f"  differs: {name}")
    name = args.name or args.folder.name + ("" if args.backend == "faster-whisper" else f"_{args.backend}") \
        + ("" if args.pack_channels else "_per_channel")
    out = ROOT / "bench" / "results" / f"transcribe_determinism{'' if name == 'calls' else '_' + name}.json"
    out.write_text(json.dumps({"folder": str(args.folder.relative_to(ROOT)) if args.folder.is_relative_to(ROOT)
                               else str(args.folder), "model": args.model, "backend": args.backend, "workers": args.workers,
                               "pack_channels": args.pack_channels, "load_average_start": load_start,
                               "load_average_end": [round(x, 1) for x in os.getloadavg()],
                               "runs_per_workers": args.runs, "files": len(files), "identical_files": identical,
                               "differing": [n for n, s in per_file.items() if not s], "runs": runs},
                              indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
