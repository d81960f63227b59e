"""Same audio, same transcript on another CPU (issue 16): the speech model's native kernels (the libraries choose
by the CPU: AVX-512, Intel MKL on Intel) against the pinned ones (``QA_CPU_KERNELS=avx2``: AVX2 without MKL), and
the pinned transcripts of this CPU against those recorded on other CPUs.

    python bench/cpu_kernels.py                 # native vs avx2 here; records this CPU's pinned hashes
    python bench/cpu_kernels.py --compare       # only this CPU's pinned transcripts against the recorded ones

Each kernel setting runs in a child process (the libraries read their kernel variables when they load). Per
setting: the five sample calls and the PII sample through a full ``qa transcribe batch`` with ``--redact-audio``
(fresh SQLite database; the SHA-256 of each file's stored turns, as ``bench/transcribe_determinism.py`` hashes
them; the PII spans' times; whether the redacted copy transcribed again, with the same kernels, still says one of
the spoken digit groups), in ABBA order (native, avx2, avx2, native) for the speed (process CPU seconds, the model
loaded before timing); and the WER of the labelled dev calls LC-D-001..013 (packed default, tiny.en).

The pinned hashes are recorded per CPU (vendor, family, model) in ``bench/data/pinned_transcripts.json``; a run
on another CPU compares its pinned hashes with every record there (``--compare`` does only that): when they agree
file by file, pinning makes machines agree. Figures only: hashes, times, counts. Writes
``bench/results/cpu_kernels_<vendor>_<family>_<model>.json`` (``--compare``: ``cpu_kernels_compare_...``).
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

RECORD = ROOT / "bench" / "data" / "pinned_transcripts.json"
SAMPLE_FOLDERS = (ROOT / "samples" / "calls", ROOT / "samples" / "pii_call")
DEV = ROOT / "tests" / "data" / "labelled" / "calls" / "dev" / "audio"
DEV_CALLS = [f"LC-D-{n:03d}" for n in range(1, 14)]
# The PII sample's spoken digit groups and the e-mail's name, in any form a transcript may write them.
SAID = ["4539", "1488", "0343", "6467", "0428", "123", "four five three nine", "one four eight eight",
        "six four six seven", "one two three", "lopez"]


def cpu_identity() -> dict[str, str]:
    """This CPU as the kernels see it: vendor, family, model, name and widest vector extension."""
    from qa_toolkit.transcribe.cpu_kernels import cpu_description, cpu_field

    return {"vendor": cpu_field("vendor_id"), "family": cpu_field("cpu family"), "model": cpu_field("model"),
            "model_name": cpu_field("model name"), "kernels_chosen_by": cpu_description()}


def cpu_key(cpu: dict[str, str]) -> str:
    return f"{cpu['vendor']}_{cpu['family']}_{cpu['model']}".lower().replace("genuine", "").replace("authentic", "")


def samples_part(model: str) -> dict[str, object]:
    """The sample calls and the PII sample through ``qa transcribe batch --redact-audio``: hashes, spans, speed."""
    from sqlalchemy import select

    from qa_toolkit.services import schema, transcription
    from qa_toolkit.services.transcription import TranscribeSettings
    from qa_toolkit.storage.database import open_database
    from qa_toolkit.storage.models import PIISpan, Recording
    from qa_toolkit.transcribe.pipeline import transcribe_file
    from transcribe_determinism import stored_hashes

    hashes: dict[str, str] = {}
    spans: list[list[object]] = []
    cpu_s = wall_s = audio_s = 0.0
    again_said: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = TranscribeSettings(model=model, workers=1, diarize=False, redact_audio=str(Path(tmp) / "redacted"))
        backend = settings.load_backend()
        for folder in SAMPLE_FOLDERS:
            url = f"sqlite:///{Path(tmp) / folder.name}.db"
            schema.init_database(url)
            database = open_database(url)
            wall, cpu = time.perf_counter(), time.process_time()
            report = transcription.run_batch(database, folder, settings)
            wall_s += time.perf_counter() - wall
            cpu_s += time.process_time() - cpu
            audio_s += report.audio_s
            assert all(o.status == "done" for o in report.outcomes), [o.reason for o in report.outcomes]
            with database.session() as session:
                spans += [[Path(path).name, s.kind, s.start_s, s.end_s] for path, s in session.execute(
                    select(Recording.path, PIISpan).join(PIISpan, PIISpan.interaction_id == Recording.interaction_id)
                    .order_by(Recording.path, PIISpan.start_s))]
            database.close()
            hashes.update(stored_hashes(url))
        again = transcribe_file(Path(tmp) / "redacted" / "call_06_card.mp3", backend).text.lower()
        again_said = [s for s in SAID if s in again]
    return {"hashes": hashes, "pii_spans": spans, "wall_s": round(wall_s, 2), "cpu_s": round(cpu_s, 2),
            "audio_s": round(audio_s, 2), "redacted_copy_still_says": again_said}


def wer_part(model: str) -> dict[str, object]:
    """WER of the labelled dev calls LC-D-001..013 (the default pipeline, text not redacted), and its speed."""
    from qa_toolkit.transcribe.evaluate import Evaluation, read_references, score
    from qa_toolkit.transcribe.faster_backend import load_backend
    from qa_toolkit.transcribe.pipeline import transcribe_file

    refs = read_references(DEV / "references.json")
    backend = load_backend("faster-whisper", model, "cpu", 1)
    files = [next(p for p in DEV.glob(f"{call}.*") if p.suffix in {".mp3", ".ogg", ".wav", ".flac"})
             for call in DEV_CALLS]
    scores, audio_s = [], 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    for path in files:
        transcript = transcribe_file(path, backend)
        audio_s += transcript.duration_s
        turns = [(t.speaker, t.text) for t in transcript.turns]
        scores.append(score(path.name, refs[path.name], " ".join(t for _, t in turns), turns))
    wall_s, cpu_s = time.perf_counter() - wall, time.process_time() - cpu
    return {"calls": len(files), "audio_s": round(audio_s, 1), "wer": round(Evaluation(scores).wer, 4),
            "wer_per_call": {s.file: round(s.wer, 4) for s in scores}, "wall_s": round(wall_s, 1),
            "cpu_s": round(cpu_s, 1)}


def redaction_speed(repeats: int = 3) -> dict[str, object]:
    """Audio redaction of the PII sample with its labelled spans, widened to the customer's pauses: finding the
    pauses (from the frame levels the pipeline keeps) and writing the redacted copy, audio seconds per second
    of CPU (process time, steadier than the wall clock on a shared machine; the fastest of ``repeats``; goal >= 50x
    real time)."""
    from qa_toolkit.transcribe.audio import decode
    from qa_toolkit.transcribe.audio_redact import MARGIN_S, redact_audio
    from qa_toolkit.transcribe.pauses import pauses, widened_to_pauses
    from qa_toolkit.transcribe.sounds import SoundFrames

    source = SAMPLE_FOLDERS[1] / "call_06_card.mp3"
    truth = json.loads(source.with_suffix(".truth.json").read_text())
    audio, frames = decode(source), SoundFrames()
    frames.add(audio.channels)
    best_pauses = best_write = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeats):
            started = time.process_time()
            quiet = pauses(frames.channel(1)[0])
            spans = [widened_to_pauses(s["start_s"] - MARGIN_S, s["end_s"] + MARGIN_S, quiet) for s in truth["spans"]]
            best_pauses = min(best_pauses, time.process_time() - started)
            started = time.process_time()
            written = redact_audio(source, Path(tmp) / source.name, spans, margin_s=0.0)
            best_write = min(best_write, time.process_time() - started)
    labelled = sum(s["end_s"] - s["start_s"] for s in truth["spans"])
    return {"audio_s": round(written.duration_s, 2), "pauses_cpu_s": round(best_pauses, 5),
            "write_cpu_s": round(best_write, 4),
            "x_real_time": round(written.duration_s / (best_pauses + best_write), 1),
            "muted_s": round(sum(e - s for s, e in written.intervals), 2), "labelled_s": round(labelled, 2)}


def run_child(kernels: str, part: str, model: str) -> dict[str, object]:
    """One part in a fresh process with ``QA_CPU_KERNELS=kernels`` and no kernel variable of its own."""
    from qa_toolkit.transcribe.cpu_kernels import AVX2_KERNELS

    env = {k: v for k, v in os.environ.items() if k not in AVX2_KERNELS}
    env.update(QA_CPU_KERNELS=kernels, QA_DATA_DIR=env.get("QA_DATA_DIR") or tempfile.mkdtemp(prefix="qa-bench-"))
    done = subprocess.run([sys.executable, __file__, "--child", kernels, "--part", part, "--model", model],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{kernels} {part} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    shown = ("wall_s", "cpu_s", "audio_s", "wer", "redacted_copy_still_says")
    print(f"{kernels:6} {part}: " + ", ".join(f"{k} {v}" for k, v in result.items() if k in shown), flush=True)
    return result


def compare(pinned: dict[str, str], cpu: dict[str, str]) -> list[dict[str, object]]:
    """This CPU's pinned hashes against every other CPU's recorded ones: files agreeing and differing."""
    records = json.loads(RECORD.read_text())["records"] if RECORD.exists() else []
    out = []
    for record in records:
        if record["cpu"] == cpu:
            continue
        same = sorted(n for n, h in pinned.items() if record["hashes"].get(n) == h)
        out.append({"recorded_on": record["cpu"], "recorded_commit": record.get("commit"), "agree": same,
                    "differ": sorted(n for n in pinned if n not in same)})
        print(f"pinned here vs {record['cpu']['model_name']} ({record['cpu']['kernels_chosen_by']}): "
              f"{len(same)}/{len(pinned)} files identical", flush=True)
    if not out:
        print("no other CPU recorded yet", flush=True)
    return out


def record(pinned: dict[str, str], cpu: dict[str, str], versions: dict[str, str]) -> None:
    """This CPU's pinned hashes in the record (replacing an earlier record of the same CPU)."""
    records = json.loads(RECORD.read_text())["records"] if RECORD.exists() else []
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True, check=False).stdout.strip()
    records = [r for r in records if r["cpu"] != cpu] + [
        {"cpu": cpu, "commit": commit, "versions": versions, "hashes": dict(sorted(pinned.items()))}]
    RECORD.write_text(json.dumps({"what": "SHA-256 of the stored turns of each sample call transcribed with "
                                          "QA_CPU_KERNELS=avx2 (tiny.en, packed default), per CPU: "
                                          "bench/cpu_kernels.py", "records": records}, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--compare", action="store_true", help="only this CPU's pinned transcripts vs the record")
    parser.add_argument("--no-wer", action="store_true", help="skip the dev calls' WER")
    parser.add_argument("--child", choices=["native", "avx2"], help=argparse.SUPPRESS)
    parser.add_argument("--part", choices=["samples", "wer"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = samples_part(args.model) if args.part == "samples" else wer_part(args.model)
        print(json.dumps(result))
        return
    from qa_toolkit.transcribe.provenance import package_versions

    cpu, load_start = cpu_identity(), [round(x, 1) for x in os.getloadavg()]
    out: dict[str, object] = {"cpu": cpu, "model": args.model, "load_average_start": load_start}
    if args.compare:
        pinned = run_child("avx2", "samples", args.model)
        out["pinned"] = pinned
        out["against_recorded"] = compare(pinned["hashes"], cpu)  # type: ignore[arg-type]
        name = f"cpu_kernels_compare_{cpu_key(cpu)}.json"
    else:
        order = ["native", "avx2", "avx2", "native"]  # ABBA: load drifting over the run falls on both alike
        samples = [(kernels, run_child(kernels, "samples", args.model)) for kernels in order]
        runs = {k: [r for kk, r in samples if kk == k] for k in ("native", "avx2")}
        out["samples"] = {k: {
            "hashes_same_both_runs": r[0]["hashes"] == r[1]["hashes"], "hashes": r[0]["hashes"],
            "pii_spans": r[0]["pii_spans"],
            "redacted_copy_still_says": sorted({s for x in r
                                                for s in x["redacted_copy_still_says"]}),  # type: ignore[attr-defined]
            "cpu_s": [x["cpu_s"] for x in r], "wall_s": [x["wall_s"] for x in r], "audio_s": r[0]["audio_s"]}
            for k, r in runs.items()}
        native, pinned = runs["native"][0]["hashes"], runs["avx2"][0]["hashes"]
        same = sorted(n for n in native if pinned.get(n) == native[n])  # type: ignore[attr-defined]
        out["files_same_native_and_avx2"] = same
        out["cpu_s_avx2_over_native"] = round(sum(out["samples"]["avx2"]["cpu_s"])  # type: ignore[index]
                                              / sum(out["samples"]["native"]["cpu_s"]), 3)  # type: ignore[index]
        out["audio_redaction"] = redaction_speed()
        print(f"audio redaction: {out['audio_redaction']}", flush=True)
        if not args.no_wer:
            out["dev_wer"] = {k: run_child(k, "wer", args.model) for k in ("native", "avx2")}
        out["against_recorded"] = compare(pinned, cpu)  # type: ignore[arg-type]
        versions = package_versions(("faster-whisper", "ctranslate2", "av", "numpy", "onnxruntime", "tokenizers"))
        record(pinned, cpu, versions)  # type: ignore[arg-type]
        name = f"cpu_kernels_{cpu_key(cpu)}.json"
    out["load_average_end"] = [round(x, 1) for x in os.getloadavg()]
    path = ROOT / "bench" / "results" / name
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
