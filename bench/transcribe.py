"""Benchmark of the transcription pipeline (issue 5, parts a, b, d and the vocabulary), one run:

    python bench/transcribe.py                 # tiny.en, sample calls + ../shared speech
    python bench/transcribe.py --model base --repeats 1

(a) overhead: ``qa transcribe batch`` (hashing, metadata, decoding with PyAV, per-channel VAD +
    word timestamps, hallucination guard, crosstalk, turn merge, PII redaction, SQLite storage in one transaction
    per file) vs raw faster-whisper ``WhisperModel.transcribe`` of the same channels with the same model and
    exactly the same decoding options (decoded with faster-whisper's ``decode_audio``), nothing stored. The batch
    decodes each channel on its own at beam 5 here (``--no-pack-channels``), as raw faster-whisper does, and
    diarizes nothing: the packed default decodes less and is no measure of overhead. The two alternate (ABBA)
    ``--repeats`` times; wall-clock and process CPU time of each, overhead from the totals. Target: <= 5 %.
(b) stereo strategy: per-channel with VAD and word-timestamp merge (ours) vs naive whole-channel
    transcription without VAD and without word timestamps, turns merged by segment start, on the
    sample calls one by one (10-17 s each: shorter than Whisper's 30 s window, so VAD cannot save
    any decoding there) and on one call of realistic length (about 3 minutes; contact-center calls
    average 4-6) made by joining the five sample calls three times over (both channels, in order). Target: >= 1.5x faster at equal or better WER.
(d) ``--workers 1`` vs ``--workers 2`` on the batch (same files, fresh database each).
(e) domain vocabulary: WER on the sample calls without and with ``samples/calls/vocabulary.txt``.

Timings are the minimum over ``--repeats`` runs, with the model loaded once beforehand. Prints
realtime factors (processing seconds per audio second), ratios and WER; writes
``bench/results/transcribe.json``. Part (c), faster-whisper vs openai-whisper, is
``bench/transcribe_backends.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "transcribe.json"
CALLS = ROOT / "samples" / "calls"
SPEECH = ROOT.parent / "shared" / "data" / "speech"


def audio_files() -> tuple[list[Path], list[Path]]:
    calls = sorted(p for p in CALLS.iterdir() if p.suffix in {".wav", ".mp3", ".flac", ".ogg"})
    speech = sorted(p for p in SPEECH.iterdir() if p.suffix in {".wav", ".mp3", ".flac"}) if SPEECH.is_dir() else []
    return calls, speech


def stage(files: list[Path], folder: Path) -> Path:
    """Copy the files (and the call metadata) into a fresh folder for a batch."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for path in files:
        shutil.copy(path, folder / path.name)
    for extra in [*CALLS.glob("call_*.json"), CALLS / "manifest.csv"]:
        shutil.copy(extra, folder / extra.name)
    return folder


def run_batch(files: list[Path], work: Path, model: str, workers: int,
              **settings: object) -> tuple[float, float, float]:
    """Seconds for a full ``qa transcribe batch`` (in process) into a fresh SQLite database (staging the files and
    creating the database not counted); audio seconds; process CPU seconds of the batch.
    ``settings``: ``TranscribeSettings`` fields besides the model and workers."""
    from qa_toolkit.services import schema, transcription
    from qa_toolkit.services.transcription import TranscribeSettings
    from qa_toolkit.storage.database import open_database

    folder = stage(files, work / "batch")
    db_path = work / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db_path}"
    schema.init_database(url)
    database = open_database(url)
    settings = TranscribeSettings(model=model, workers=workers, **settings)  # type: ignore[arg-type]
    settings.load_backend()  # loaded before timing, like the baseline's model
    started, cpu = time.perf_counter(), time.process_time()
    report = transcription.run_batch(database, folder, settings)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    database.close()
    failed = [o for o in report.outcomes if o.status != "done"]
    assert not failed, failed
    return seconds, report.audio_s, cpu


def channel_layout(files: list[Path]) -> dict[Path, int]:
    from qa_toolkit.transcribe.audio import decode

    return {path: decode(path).channel_count for path in files}


def raw_faster_whisper(files: list[Path], layout: dict[Path, int], whisper_model, **options) -> float:  # type: ignore[no-untyped-def]
    """Seconds for plain faster-whisper on the same channels (decode_audio + transcribe, nothing stored)."""
    from faster_whisper import decode_audio

    started = time.perf_counter()
    for path in files:
        channels = decode_audio(str(path), split_stereo=True) if layout[path] == 2 else (decode_audio(str(path)),)
        for audio in channels:
            segments, _ = whisper_model.transcribe(audio, **options)
            list(segments)
    return time.perf_counter() - started


def naive_stereo(files: list[Path], whisper_model) -> tuple[float, dict[str, list[tuple[str, str]]]]:  # type: ignore[no-untyped-def]
    """Whole channels without VAD or word timestamps, turns ordered by segment start."""
    from faster_whisper import decode_audio

    started = time.perf_counter()
    out = {}
    for path in files:
        left, right = decode_audio(str(path), split_stereo=True)
        labelled = []
        for speaker, audio in (("agent", left), ("customer", right)):
            segments, _ = whisper_model.transcribe(audio, language="en", vad_filter=False, word_timestamps=False,
                                                   condition_on_previous_text=False)
            labelled.extend((seg.start, speaker, seg.text.strip()) for seg in segments)
        out[path.name] = [(speaker, text) for _, speaker, text in sorted(labelled)]
    return time.perf_counter() - started, out


def ours_stereo(files: list[Path], backend) -> tuple[float, dict[str, list[tuple[str, str]]]]:  # type: ignore[no-untyped-def]
    from qa_toolkit.transcribe.pipeline import transcribe_file

    started = time.perf_counter()
    out = {path.name: [(t.speaker, t.text) for t in transcribe_file(path, backend).turns] for path in files}
    return time.perf_counter() - started, out


def long_call(files: list[Path], times: int = 3):  # type: ignore[no-untyped-def]
    """The sample calls joined ``times`` over into one stereo call (16 kHz), with the joined reference turns."""
    import numpy as np

    from qa_toolkit.transcribe.audio import decode
    from qa_toolkit.transcribe.evaluate import Reference, read_references

    refs = read_references(CALLS / "references.json")
    files = files * times
    decoded = [decode(p) for p in files]
    channels = [np.concatenate([d.channels[i] for d in decoded]) for i in range(2)]
    turns = [turn for p in files for turn in (refs[p.name].turns or [])]
    audio = decoded[0]
    audio.channels = channels
    audio.declared_s = None
    return audio, Reference(" ".join(t for _, t in turns), turns)


def long_call_strategies(files: list[Path], backend, whisper_model) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from qa_toolkit.transcribe.evaluate import score
    from qa_toolkit.transcribe.pipeline import transcribe_audio

    audio, reference = long_call(files)
    started = time.perf_counter()
    ours = [(t.speaker, t.text) for t in transcribe_audio(audio, backend).turns]
    ours_s = time.perf_counter() - started
    started = time.perf_counter()
    labelled = []
    for speaker, samples in zip(("agent", "customer"), audio.channels):
        segments, _ = whisper_model.transcribe(samples, language="en", vad_filter=False, word_timestamps=False,
                                               condition_on_previous_text=False)
        labelled.extend((seg.start, speaker, seg.text.strip()) for seg in segments)
    naive = [(speaker, text) for _, speaker, text in sorted(labelled)]
    naive_s = time.perf_counter() - started
    ours_score = score("long", reference, " ".join(t for _, t in ours), ours)
    naive_score = score("long", reference, " ".join(t for _, t in naive), naive)
    return {
        "audio_s": round(audio.duration_s, 2),
        "per_channel_vad_word_merge": {"seconds": round(ours_s, 3), "rtf": round(ours_s / audio.duration_s, 4),
                                       "wer": round(ours_score.wer, 4), "speaker_accuracy": ours_score.speaker_accuracy},
        "naive_no_vad_segment_merge": {"seconds": round(naive_s, 3), "rtf": round(naive_s / audio.duration_s, 4),
                                       "wer": round(naive_score.wer, 4), "speaker_accuracy": naive_score.speaker_accuracy},
        "speedup": round(naive_s / ours_s, 3),
        "met": naive_s / ours_s >= 1.5 and ours_score.wer <= naive_score.wer,
    }


def wer_of(turns_by_file: dict[str, list[tuple[str, str]]]) -> dict[str, float | None]:
    from qa_toolkit.transcribe.evaluate import Evaluation, read_references, score

    refs = read_references(CALLS / "references.json")
    scores = [score(name, refs[name], " ".join(t for _, t in turns), turns) for name, turns in turns_by_file.items()]
    evaluation = Evaluation(scores)
    return {"wer": round(evaluation.wer, 4),
            "speaker_accuracy": None if evaluation.speaker_accuracy is None else round(evaluation.speaker_accuracy, 4)}


def overhead_rounds(files: list[Path], work: Path, model: str, layout: dict[Path, int], whisper_model,  # type: ignore[no-untyped-def]
                    repeats: int) -> dict[str, object]:
    """The batch, each channel on its own at beam 5, not diarized, against raw faster-whisper with exactly its
    decoding options, alternating (ABBA) ``repeats`` times: wall and CPU seconds per round, overhead of the totals."""
    from qa_toolkit.transcribe.backend import TranscriptionOptions
    from qa_toolkit.transcribe.faster_backend import decoding_kwargs

    options = decoding_kwargs(TranscriptionOptions(pack_channels=False).for_call(2))

    def batch() -> tuple[float, float, float]:
        return run_batch(files, work, model, 1, pack_channels=False, beam_size=5, diarize=False)

    def raw() -> tuple[float, float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        raw_faster_whisper(files, layout, whisper_model, **options)
        return time.perf_counter() - wall, 0.0, time.process_time() - cpu

    spent = {"batch": [0.0, 0.0], "raw": [0.0, 0.0]}
    rounds: list[dict[str, float]] = []
    audio_s = 0.0
    for r in range(repeats):
        row: dict[str, float] = {}
        for name, fn in ([("batch", batch), ("raw", raw)] if r % 2 == 0 else [("raw", raw), ("batch", batch)]):
            wall, audio, cpu = fn()
            audio_s = audio or audio_s
            row[f"{name}_wall_s"], row[f"{name}_cpu_s"] = round(wall, 3), round(cpu, 3)
            spent[name][0] += row[f"{name}_wall_s"]
            spent[name][1] += row[f"{name}_cpu_s"]
        rounds.append(row)
        print("(a) round", r + 1, json.dumps(row), flush=True)
    return {"audio_s": round(audio_s, 2), "beam_size": 5, "pack_channels": False, "diarize": False,
            "rounds": rounds, "batch_wall_s": round(spent["batch"][0], 3), "raw_wall_s": round(spent["raw"][0], 3),
            "batch_cpu_s": round(spent["batch"][1], 3), "raw_cpu_s": round(spent["raw"][1], 3),
            "overhead_wall": round(spent["batch"][0] / spent["raw"][0] - 1, 4),
            "overhead_cpu": round(spent["batch"][1] / spent["raw"][1] - 1, 4), "target": "<= 0.05",
            "met": max(spent["batch"][0] / spent["raw"][0], spent["batch"][1] / spent["raw"][1]) - 1 <= 0.05,
            "load_average": [round(x, 1) for x in os.getloadavg()]}


def best(repeats: int, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    results = [fn(*args, **kwargs) for _ in range(repeats)]
    return min(results, key=lambda r: r[0] if isinstance(r, tuple) else r)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--parts", default="abde", help="Which parts to run (letters of a, b, d, e).")
    args = parser.parse_args()
    os.environ.setdefault("QA_DATA_DIR", tempfile.mkdtemp(prefix="qa-bench-data-"))

    from qa_toolkit.transcribe.backend import TranscriptionOptions
    from qa_toolkit.transcribe.evaluate import evaluate_files
    from qa_toolkit.transcribe.faster_backend import load_backend
    from qa_toolkit.transcribe.vocabulary import initial_prompt, read_vocabulary

    calls, speech = audio_files()
    files = calls + speech
    backend = load_backend("faster-whisper", args.model)
    whisper_model = backend._model  # type: ignore[attr-defined]  # the very same loaded model
    layout = channel_layout(files)
    audio_s = sum(layout_duration(p) for p in files)
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results: dict[str, object] = existing.get(args.model, {})
    results.update({
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(), "python": sys.version.split()[0],
                    "device": "cpu", "compute_type": "int8"},
        "model": args.model, "repeats": args.repeats,
        "files": {"calls": [p.name for p in calls], "speech": [p.name for p in speech]},
    })
    with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp:
        work = Path(tmp)
        if "a" in args.parts:
            a = overhead_rounds(files, work, args.model, layout, whisper_model, args.repeats)
            results["a_pipeline_overhead"] = a
            print(f"(a) batch {a['batch_cpu_s']} s CPU / {a['batch_wall_s']} s wall vs raw faster-whisper "
                  f"{a['raw_cpu_s']} s / {a['raw_wall_s']} s over {args.repeats} rounds of {a['audio_s']} s audio: "
                  f"overhead {100 * a['overhead_cpu']:+.1f} % CPU, {100 * a['overhead_wall']:+.1f} % wall (target <= 5 %)")
        if "b" in args.parts:
            ours_s, ours_turns = best(args.repeats, ours_stereo, calls, backend)
            naive_s, naive_turns = best(args.repeats, naive_stereo, calls, whisper_model)
            ours_wer, naive_wer = wer_of(ours_turns), wer_of(naive_turns)
            call_audio = sum(layout_duration(p) for p in calls)
            speedup = naive_s / ours_s
            joined = long_call_strategies(calls, backend, whisper_model)
            results["b_stereo_strategy"] = {
                "target": ">= 1.5x faster at equal or better WER",
                "short_calls": {
                    "audio_s": round(call_audio, 2),
                    "per_channel_vad_word_merge": {"seconds": round(ours_s, 3), "rtf": round(ours_s / call_audio, 4),
                                                   **ours_wer},
                    "naive_no_vad_segment_merge": {"seconds": round(naive_s, 3),
                                                   "rtf": round(naive_s / call_audio, 4), **naive_wer},
                    "speedup": round(speedup, 3),
                    "met": speedup >= 1.5 and (ours_wer["wer"] or 0) <= (naive_wer["wer"] or 0)},
                "joined_call": joined,
            }
            print(f"(b) short calls: per-channel+VAD {ours_s:.2f} s (WER {ours_wer['wer']:.3f}, speaker acc. "
                  f"{ours_wer['speaker_accuracy']}) vs naive {naive_s:.2f} s (WER {naive_wer['wer']:.3f}, speaker acc. "
                  f"{naive_wer['speaker_accuracy']}): {speedup:.2f}x")
            o, n = joined["per_channel_vad_word_merge"], joined["naive_no_vad_segment_merge"]  # type: ignore[index]
            print(f"    joined {joined['audio_s']} s call: per-channel+VAD {o['seconds']} s (WER {o['wer']}, speaker acc. "
                  f"{o['speaker_accuracy']}) vs naive {n['seconds']} s (WER {n['wer']}, speaker acc. "
                  f"{n['speaker_accuracy']}): {joined['speedup']}x (target >= 1.5x)")
        if "d" in args.parts:
            one_s, audio_s, _ = best(args.repeats, run_batch, files, work, args.model, 1)
            two_s, _, _ = best(args.repeats, run_batch, files, work, args.model, 2)
            results["d_workers"] = {"audio_s": round(audio_s, 2), "workers_1_s": round(one_s, 3),
                                    "workers_2_s": round(two_s, 3), "workers_1_rtf": round(one_s / audio_s, 4),
                                    "workers_2_rtf": round(two_s / audio_s, 4), "speedup": round(one_s / two_s, 3),
                                    "cpu_count": os.cpu_count()}
            print(f"(d) --workers 1 {one_s:.2f} s (RTF {one_s / audio_s:.3f}) vs --workers 2 {two_s:.2f} s "
                  f"(RTF {two_s / audio_s:.3f}): {one_s / two_s:.2f}x on {os.cpu_count()} cores")
    if "e" in args.parts:
        terms = read_vocabulary(CALLS / "vocabulary.txt")
        without = evaluate_files(CALLS / "references.json", backend, TranscriptionOptions()).as_dict()["overall"]
        with_vocab = evaluate_files(CALLS / "references.json", backend,
                                    TranscriptionOptions(initial_prompt=initial_prompt(terms))).as_dict()["overall"]
        results["e_vocabulary"] = {"terms": terms, "without": without, "with": with_vocab}
        print(f"(e) sample-call WER without vocabulary {100 * without['wer']:.1f} %, with {100 * with_vocab['wer']:.1f} %")
        if speech:
            shared = evaluate_files(SPEECH / "references.json", backend).as_dict()["overall"]
            results["shared_speech_wer"] = shared
            print(f"shared speech WER ({args.model}): {100 * shared['wer']:.1f} % of {shared['reference_words']} words")
    existing[args.model] = results
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


def layout_duration(path: Path) -> float:
    from qa_toolkit.transcribe.audio import decode

    return decode(path).duration_s


if __name__ == "__main__":
    main()
