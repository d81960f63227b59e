"""Stereo speed on realistic calls (issue 16 item 3): our pipeline (per channel: Silero VAD skips the
stretches where that side is silent, word timestamps, word merge, hallucination guard) and its
``--pack-channels`` path (both channels' speech, crosstalk cut, packed into windows decoded once each) vs
naive whole-channel decoding (no VAD, no word timestamps, turns by segment start, beam 5), same loaded model,
same calls, in one run; WER of each against the scripted text; time per stage of the full batch.

    python bench/transcribe_stereo.py                          # tiny.en, 3 labelled test calls
    python bench/transcribe_stereo.py --model base --calls 2
    python bench/transcribe_stereo.py --raw                    # + raw faster-whisper with our options (overhead)

The calls are the labelled call set's test split (synthesized 8 kHz telephone stereo, 40-110 s, agent left),
the first ``--calls`` of them. Nothing is tuned here. Times are wall-clock and CPU (process time, all
threads): the machine is shared, so the CPU ratio is the steadier one. Stage times come from a full
``qa transcribe batch`` into a fresh SQLite database, timed inside it (decode, VAD, crosstalk cut and packing,
ASR = the rest of the transcription, merge, redaction, database write = the rest). Writes
``bench/results/transcribe_stereo.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LABELLED = ROOT / "tests" / "data" / "labelled" / "calls"
CALLS = LABELLED / "test" / "audio"
RESULTS = ROOT / "bench" / "results" / "transcribe_stereo.json"


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def naive(audio, model):  # type: ignore[no-untyped-def]
    labelled = []
    for speaker, samples in zip(("agent", "customer"), audio.channels):
        segments, _ = model.transcribe(samples, language="en", beam_size=5, temperature=0.0, vad_filter=False,
                                       word_timestamps=False, condition_on_previous_text=False)
        labelled.extend((seg.start, speaker, seg.text.strip()) for seg in segments)
    return [(speaker, text) for _, speaker, text in sorted(labelled)]


def raw(audio, model, options):  # type: ignore[no-untyped-def]
    """Raw faster-whisper with exactly our decoding options on each channel (VAD, word timestamps, beam), nothing
    else: the baseline of the pipeline's overhead (guard, silence test, word merge, turns, timing)."""
    from qa_toolkit.transcribe.faster_backend import decoding_kwargs

    labelled = []
    for speaker, samples in zip(("agent", "customer"), audio.channels):
        segments, _ = model.transcribe(samples, **decoding_kwargs(options))
        labelled.extend((seg.start, speaker, seg.text.strip(), len(seg.words or [])) for seg in segments)
    return [(speaker, text) for _, speaker, text, _ in sorted(labelled)]


def ours(audio, backend, options=None):  # type: ignore[no-untyped-def]
    from qa_toolkit.transcribe.pipeline import transcribe_audio

    return [(t.speaker, t.text) for t in transcribe_audio(audio, backend, options).turns]


def ours_packed(audio, backend, options):  # type: ignore[no-untyped-def]
    """``--pack-channels``: both channels' speech, crosstalk cut, packed into windows decoded once each."""
    from dataclasses import replace

    return ours(audio, backend, replace(options, pack_channels=True))


def wer(turns_by_file: dict[str, list[tuple[str, str]]]) -> dict[str, float | None]:
    from qa_toolkit.transcribe.evaluate import Evaluation, read_references, score

    refs = read_references(CALLS / "references.json")
    evaluation = Evaluation([score(name, refs[name], " ".join(t for _, t in turns), turns)
                             for name, turns in turns_by_file.items()])
    return {"wer": round(evaluation.wer, 4), "speaker_accuracy": None if evaluation.speaker_accuracy is None
            else round(evaluation.speaker_accuracy, 4)}


class _Timer:
    """Wraps module functions to add up the wall-clock seconds spent in them."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._undo: list[tuple[object, str, object]] = []

    def wrap(self, module, name: str, stage: str) -> None:  # type: ignore[no-untyped-def]
        fn = getattr(module, name)

        def timed_fn(*args, **kwargs):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - started

        self._undo.append((module, name, fn))
        setattr(module, name, timed_fn)

    def restore(self) -> None:
        for module, name, fn in reversed(self._undo):
            setattr(module, name, fn)


def stages(files: list[Path], model: str, work: Path) -> dict[str, float]:
    """Seconds per stage of a full batch of ``files`` (fresh SQLite database), timed inside the pipeline."""
    from qa_toolkit.services import schema, transcription
    from qa_toolkit.services.transcription import TranscribeSettings
    from qa_toolkit.storage.database import open_database
    import faster_whisper.transcribe

    from qa_toolkit.transcribe import pipeline, stereo

    folder = work / "batch"
    folder.mkdir()
    for path in files:
        shutil.copy(path, folder / path.name)
        shutil.copy(path.with_suffix(".json"), folder / path.with_suffix(".json").name)
    url = f"sqlite:///{work / 'stages.db'}"
    schema.init_database(url)
    database = open_database(url)
    timer = _Timer()
    timer.wrap(stereo, "speech_chunks", "vad")
    timer.wrap(faster_whisper.transcribe, "get_speech_timestamps", "vad")
    timer.wrap(stereo, "without_crosstalk", "crosstalk_and_pack")
    timer.wrap(stereo, "pack", "crosstalk_and_pack")
    timer.wrap(pipeline, "merge_turns", "merge")
    timer.wrap(pipeline, "call_timing", "merge")
    try:
        report = transcription.run_batch(database, folder, TranscribeSettings(model=model, diarize=False))
    finally:
        timer.restore()
        database.close()
    total = {"decode": 0.0, "vad": 0.0, "crosstalk_and_pack": 0.0, "asr": 0.0, "merge": 0.0, "redaction": 0.0,
             "database_write": 0.0}
    for outcome in report.outcomes:
        t = outcome.transcript
        assert t is not None, outcome.reason
        total["decode"] += t.decode_s
        total["asr"] += t.transcribe_s
        total["redaction"] += t.redact_s
        total["database_write"] += max(0.0, outcome.seconds - t.decode_s - t.transcribe_s - t.redact_s)
    for stage, seconds in timer.seconds.items():
        total[stage] += seconds
    total["asr"] -= timer.seconds.get("vad", 0.0) + timer.seconds.get("crosstalk_and_pack", 0.0) \
        + timer.seconds.get("merge", 0.0)
    return {k: round(v, 3) for k, v in total.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--calls", type=int, default=3)
    parser.add_argument("--split", default="test", choices=["dev", "test"])
    parser.add_argument("--beam", type=int, default=None, help="our beam size (default: the pipeline's)")
    parser.add_argument("--no-stages", action="store_true", help="skip the time per stage (a full batch again)")
    parser.add_argument("--raw", action="store_true", help="also raw faster-whisper with our options per channel")
    parser.add_argument("--no-packed", action="store_true", help="skip our --pack-channels path")
    parser.add_argument("--cpu-threads", type=int, default=None, help="CTranslate2 threads (default: all cores)")
    args = parser.parse_args()
    global CALLS
    CALLS = LABELLED / args.split / "audio"
    os.environ.setdefault("QA_DATA_DIR", tempfile.mkdtemp(prefix="qa-bench-data-"))
    from qa_toolkit.transcribe.audio import decode
    from qa_toolkit.transcribe.faster_backend import load_backend

    files = sorted(p for p in CALLS.iterdir() if p.suffix in {".mp3", ".ogg"})[: args.calls]
    backend = load_backend("faster-whisper", args.model, "cpu", 1, args.cpu_threads)
    model = backend._model  # type: ignore[attr-defined]  # the very same loaded model
    load_before = [round(x, 1) for x in os.getloadavg()]
    decoded = {p.name: decode(p) for p in files}
    audio_s = sum(a.duration_s for a in decoded.values())
    ours(decoded[files[0].name], backend)  # warm up (first-call allocations) before timing
    runs = {}
    from qa_toolkit.transcribe.backend import TranscriptionOptions

    options = TranscriptionOptions() if args.beam is None else TranscriptionOptions(beam_size=args.beam)
    methods = [("naive_whole_channel", naive, model), ("ours_per_channel_vad", ours, backend)]
    if not args.no_packed:
        methods.append(("ours_packed", ours_packed, backend))
    if args.raw:
        methods.append(("raw_faster_whisper_same_options", raw, model))
    turns: dict[str, dict] = {name: {} for name, _, _ in methods}
    spent = {name: [0.0, 0.0] for name, _, _ in methods}
    for file, audio in decoded.items():  # call by call, the methods one after another: load drifts less between them
        for name, fn, arg in methods:
            turns[name][file], w, c = timed(fn, audio, arg) if fn is naive else timed(fn, audio, arg, options)
            spent[name][0] += w
            spent[name][1] += c
    for name, _, _ in methods:
        wall, cpu = spent[name]
        runs[name] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "rtf_wall": round(wall / audio_s, 4),
                      "rtf_cpu": round(cpu / audio_s, 4), **wer(turns[name])}
        print(name, json.dumps(runs[name]), flush=True)
    n, o, r = runs["naive_whole_channel"], runs["ours_per_channel_vad"], runs.get("raw_faster_whisper_same_options")
    p = runs.get("ours_packed")
    stage_s = None
    if not args.no_stages:
        with tempfile.TemporaryDirectory() as tmp:
            stage_s = stages(files, args.model, Path(tmp))
    result = {
        "model": args.model, "split": args.split, "our_beam_size": options.beam_size,
        "cpu_threads": backend.cpu_threads,  # type: ignore[attr-defined]
        "calls": [p.name for p in files], "audio_s": round(audio_s, 1),
        "machine": {"cpu_count": os.cpu_count(), "load_average_before": load_before,
                    "load_average": [round(x, 1) for x in os.getloadavg()]},
        **runs,
        "speedup_wall": round(n["wall_s"] / o["wall_s"], 3), "speedup_cpu": round(n["cpu_s"] / o["cpu_s"], 3),
        "wer_not_worse": (o["wer"] or 0) <= (n["wer"] or 0),
        "packed": None if p is None else {
            "speedup_wall": round(n["wall_s"] / p["wall_s"], 3), "speedup_cpu": round(n["cpu_s"] / p["cpu_s"], 3),
            "wer_not_worse": (p["wer"] or 0) <= (n["wer"] or 0),
            "vs_per_channel_wall": round(o["wall_s"] / p["wall_s"], 3),
            "vs_per_channel_cpu": round(o["cpu_s"] / p["cpu_s"], 3),
            "met": min(n["wall_s"] / p["wall_s"], n["cpu_s"] / p["cpu_s"]) >= 1.5 and (p["wer"] or 0) <= (n["wer"] or 0)},
        # goal: the pipeline costs at most 5 % more than raw faster-whisper with the same options
        "overhead_vs_raw_wall": round(o["wall_s"] / r["wall_s"] - 1, 4) if r else None,
        "overhead_vs_raw_cpu": round(o["cpu_s"] / r["cpu_s"] - 1, 4) if r else None,
        "met": min(n["wall_s"] / o["wall_s"], n["cpu_s"] / o["cpu_s"]) >= 1.5 and (o["wer"] or 0) <= (n["wer"] or 0),
        "stages_s": stage_s,
    }
    print(f"{args.model}: ours {o['wall_s']} s wall / {o['cpu_s']} s CPU (WER {o['wer']}) vs naive {n['wall_s']} s / "
          f"{n['cpu_s']} s (WER {n['wer']}) for {audio_s:.0f} s of stereo calls: {result['speedup_wall']}x wall, "
          f"{result['speedup_cpu']}x CPU; packed {result['packed']}; overhead vs raw {result['overhead_vs_raw_cpu']}; "
          f"stages {stage_s}")
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    existing[f"{args.model}, {args.split} split, beam {options.beam_size}"] = result
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
