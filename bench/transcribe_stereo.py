"""Stereo speed on realistic calls (issue 16 item 3): our default stereo path (both channels' speech, crosstalk
cut, packed into windows decoded once each, beam 2) and the earlier default (each channel on its own: Silero VAD
skips the stretches where that side is silent, beam 5) vs naive whole-channel decoding (no VAD, no word
timestamps, turns by segment start, beam 5), same loaded model, same calls, in one run; WER of each against the
scripted text; raw faster-whisper with the default's options per channel; the pipeline's overhead over raw
faster-whisper decoding the same way (CPU time, rounds in alternating order); time per stage of the full batch;
real-time factor of a second model.

    python bench/transcribe_stereo.py                                   # tiny.en, 3 labelled test calls
    python bench/transcribe_stereo.py --calls 6 --shared --overhead-calls 2 --repeats 3 --base-calls 1

The calls are the labelled call set's test split (synthesized 8 kHz telephone stereo, 40-110 s, agent left),
the first ``--calls`` of them; ``--shared`` adds ../shared/data/speech's stereo files (speed only: no reference
text). Nothing is tuned here. Times are wall-clock and CPU (process time, all threads): the machine is shared,
so the CPU ratio is the steadier one. Stage times come from a full ``qa transcribe batch`` into a fresh SQLite
database, timed inside it (decode, VAD, crosstalk cut and packing, ASR = the rest of the transcription, merge,
redaction, database write = the rest). Writes ``bench/results/transcribe_stereo.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
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
    timer.wrap(pipeline.Transcript, "redacted", "redaction")  # the batch redacts a copy: outcome.transcript is not it
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
        total["database_write"] += max(0.0, outcome.seconds - t.decode_s - t.transcribe_s)
    for stage, seconds in timer.seconds.items():
        total[stage] += seconds
    total["database_write"] -= timer.seconds.get("redaction", 0.0)
    total["asr"] -= timer.seconds.get("vad", 0.0) + timer.seconds.get("crosstalk_and_pack", 0.0) \
        + timer.seconds.get("merge", 0.0)
    return {k: round(v, 3) for k, v in total.items()}


def overhead(files: list[str], decoded: dict, backend, model, rounds: int) -> dict:  # type: ignore[no-untyped-def]
    """The pipeline (each channel on its own, the default's beam) against raw faster-whisper decoding each channel
    with exactly the same options, ``rounds`` times over ``files``, the two in alternating order (ABBA): CPU and
    wall per round, and the overhead of each round (CPU) with its spread."""
    from qa_toolkit.transcribe.backend import TranscriptionOptions

    same = TranscriptionOptions(pack_channels=False, beam_size=TranscriptionOptions().for_call(2).beam)
    pair = [("raw", lambda a: raw(a, model, same)), ("ours", lambda a: ours(a, backend, same))]
    per_round = []
    for r in range(rounds):
        spent = {"raw": [0.0, 0.0], "ours": [0.0, 0.0]}
        for i, file in enumerate(files):
            for name, fn in (pair if (r + i) % 2 == 0 else pair[::-1]):
                _, w, c = timed(fn, decoded[file])
                spent[name][0] += w
                spent[name][1] += c
        per_round.append({"raw_cpu_s": round(spent["raw"][1], 2), "ours_cpu_s": round(spent["ours"][1], 2),
                          "raw_wall_s": round(spent["raw"][0], 2), "ours_wall_s": round(spent["ours"][0], 2),
                          "overhead_cpu": round(spent["ours"][1] / spent["raw"][1] - 1, 4),
                          "overhead_wall": round(spent["ours"][0] / spent["raw"][0] - 1, 4)})
        print("overhead round", r + 1, json.dumps(per_round[-1]), flush=True)
    cpu = sorted(r["overhead_cpu"] for r in per_round)
    total_raw, total_ours = sum(r["raw_cpu_s"] for r in per_round), sum(r["ours_cpu_s"] for r in per_round)
    return {"calls": files, "rounds": per_round, "beam_size": same.beam_size,
            "overhead_cpu_total": round(total_ours / total_raw - 1, 4), "overhead_cpu_median": cpu[len(cpu) // 2],
            "overhead_cpu_min": cpu[0], "overhead_cpu_max": cpu[-1],
            "overhead_wall_total": round(sum(r["ours_wall_s"] for r in per_round)
                                         / sum(r["raw_wall_s"] for r in per_round) - 1, 4)}


def second_model(name: str, files: list[str], decoded: dict, audio_s: float) -> dict:  # type: ignore[no-untyped-def]
    """Naive vs the default with another model on ``files``: wall, CPU, real-time factor and WER of each."""
    from qa_toolkit.transcribe.faster_backend import load_backend

    backend = load_backend("faster-whisper", name, "cpu", 1)
    model = backend._model  # type: ignore[attr-defined]
    ours(decoded[files[0]], backend)  # warm up
    methods = [("naive_whole_channel", lambda a: naive(a, model)), ("ours_default", lambda a: ours(a, backend))]
    turns: dict[str, dict] = {n: {} for n, _ in methods}
    spent = {n: [0.0, 0.0] for n, _ in methods}
    for file in files:
        for n, fn in methods:
            turns[n][file], w, c = timed(fn, decoded[file])
            spent[n][0] += w
            spent[n][1] += c
    out = {n: {"wall_s": round(w, 2), "cpu_s": round(c, 2), "rtf_wall": round(w / audio_s, 4),
               "rtf_cpu": round(c / audio_s, 4), **wer(turns[n])} for n, (w, c) in spent.items()}
    n, o = out["naive_whole_channel"], out["ours_default"]
    return {"model": name, "calls": files, "audio_s": round(audio_s, 1), **out,
            "speedup_wall": round(n["wall_s"] / o["wall_s"], 3), "speedup_cpu": round(n["cpu_s"] / o["cpu_s"], 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--calls", type=int, default=3)
    parser.add_argument("--split", default="test", choices=["dev", "test"])
    parser.add_argument("--shared", action="store_true", help="add ../shared/data/speech's stereo files (speed only)")
    parser.add_argument("--no-stages", action="store_true", help="skip the time per stage (a full batch again)")
    parser.add_argument("--no-per-channel", action="store_true", help="skip the earlier default (per channel, beam 5)")
    parser.add_argument("--no-raw", action="store_true", help="skip raw faster-whisper with the default's options")
    parser.add_argument("--packed-beam", type=int, default=None,
                        help="add the packed path at this beam (every decode of the call), e.g. 1: greedy")
    parser.add_argument("--variant", action="append", default=[], metavar="OPTION=VALUE[,OPTION=VALUE]",
                        help="add the default with these options changed (JSON values), e.g. speech_pad_ms=400: "
                             "the packed path as it padded speech before this round; repeatable")
    parser.add_argument("--overhead-calls", type=int, default=0, help="calls for the overhead rounds (0: none)")
    parser.add_argument("--repeats", type=int, default=3, help="overhead rounds")
    parser.add_argument("--base-calls", type=int, default=0, help="calls for base's naive vs default (0: none)")
    parser.add_argument("--cpu-threads", type=int, default=None, help="CTranslate2 threads (default: all cores)")
    args = parser.parse_args()
    global CALLS
    CALLS = LABELLED / args.split / "audio"
    os.environ.setdefault("QA_DATA_DIR", tempfile.mkdtemp(prefix="qa-bench-data-"))
    from qa_toolkit.transcribe.audio import decode
    from qa_toolkit.transcribe.backend import TranscriptionOptions
    from qa_toolkit.transcribe.faster_backend import load_backend

    files = sorted(p for p in CALLS.iterdir() if p.suffix in {".mp3", ".ogg"})[: args.calls]
    shared = [p for p in sorted((ROOT.parent / "shared" / "data" / "speech").glob("*"))
              if args.shared and p.suffix in {".wav", ".mp3", ".flac"}]
    backend = load_backend("faster-whisper", args.model, "cpu", 1, args.cpu_threads)
    model = backend._model  # type: ignore[attr-defined]  # the very same loaded model
    load_before = [round(x, 1) for x in os.getloadavg()]
    started = time.perf_counter()
    decoded = {p.name: decode(p) for p in files}
    decoded.update({p.name: a for p in shared if (a := decode(p)).channel_count == 2})
    labelled = [p.name for p in files]
    audio_s = sum(a.duration_s for a in decoded.values())
    ours(decoded[files[0].name], backend)  # warm up (first-call allocations) before timing
    default = TranscriptionOptions().for_call(2)
    methods = [("naive_whole_channel", lambda a: naive(a, model)), ("ours_default", lambda a: ours(a, backend))]
    if not args.no_raw:
        methods.append(("raw_faster_whisper_same_options",
                        lambda a: raw(a, model, replace(default, pack_channels=False))))
    other_beam = f"ours_packed_beam_{args.packed_beam}"
    if args.packed_beam:
        beam_n = replace(default, beam_size=args.packed_beam)
        methods.append((other_beam, lambda a: ours(a, backend, beam_n)))
    variants: dict[str, TranscriptionOptions] = {}
    for spec in args.variant:
        changes = {k: json.loads(v) for k, v in (item.split("=", 1) for item in spec.split(","))}
        variants[f"ours_{'_'.join(f'{k}_{v}' for k, v in changes.items())}"] = replace(default, **changes)
    methods += [(name, lambda a, o=o: ours(a, backend, o)) for name, o in variants.items()]
    if not args.no_per_channel:
        methods.append(("ours_per_channel_beam5", lambda a: ours(a, backend, TranscriptionOptions(pack_channels=False))))
    turns: dict[str, dict] = {name: {} for name, _ in methods}
    spent = {name: [0.0, 0.0] for name, _ in methods}
    per_call: dict[str, dict] = {}
    for file, audio in decoded.items():  # call by call, the methods one after another: load drifts less between them
        for name, fn in methods:
            turns[name][file], w, c = timed(fn, audio)
            spent[name][0] += w
            spent[name][1] += c
            per_call.setdefault(file, {})[name] = {"wall_s": round(w, 2), "cpu_s": round(c, 2),
                                                   **(wer({file: turns[name][file]}) if file in labelled else {})}
        print(file, json.dumps(per_call[file]), flush=True)
    runs = {}
    for name, _ in methods:
        wall, cpu = spent[name]
        runs[name] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "rtf_wall": round(wall / audio_s, 4),
                      "rtf_cpu": round(cpu / audio_s, 4), **wer({f: turns[name][f] for f in labelled})}
        print(name, json.dumps(runs[name]), flush=True)
    n, o, r = runs["naive_whole_channel"], runs["ours_default"], runs.get("raw_faster_whisper_same_options")
    p, other = runs.get("ours_per_channel_beam5"), runs.get(other_beam)
    load_main = [round(x, 1) for x in os.getloadavg()]
    over = overhead([f.name for f in files[: args.overhead_calls]], decoded, backend, model, args.repeats) \
        if args.overhead_calls else None
    base = None
    if args.base_calls:
        base_files = [f.name for f in files[: args.base_calls]]
        base = second_model("base", base_files, decoded, sum(decoded[f].duration_s for f in base_files))
        print("base", json.dumps(base), flush=True)
    stage_s = None
    if not args.no_stages:
        with tempfile.TemporaryDirectory() as tmp:
            stage_s = stages(files, args.model, Path(tmp))
    result = {
        "model": args.model, "split": args.split, "default_options": {"pack_channels": default.pack_channels,
                                                                       "beam_size": default.beam_size},
        "cpu_threads": backend.cpu_threads,  # type: ignore[attr-defined]
        "calls": [f.name for f in files], "shared_files": [f for f in decoded if f not in labelled],
        "wer_over": labelled, "audio_s": round(audio_s, 1), "wall_s_total": round(time.perf_counter() - started, 1),
        "machine": {"cpu_count": os.cpu_count(), "load_average_before": load_before,
                    "load_average_after_main": load_main, "load_average": [round(x, 1) for x in os.getloadavg()]},
        **runs,
        "speedup_wall": round(n["wall_s"] / o["wall_s"], 3), "speedup_cpu": round(n["cpu_s"] / o["cpu_s"], 3),
        "wer_not_worse": (o["wer"] or 0) <= (n["wer"] or 0),
        "met": min(n["wall_s"] / o["wall_s"], n["cpu_s"] / o["cpu_s"]) >= 1.5 and (o["wer"] or 0) <= (n["wer"] or 0),
        "per_channel_beam5": None if p is None else {
            "speedup_wall": round(n["wall_s"] / p["wall_s"], 3), "speedup_cpu": round(n["cpu_s"] / p["cpu_s"], 3)},
        other_beam: None if other is None else {
            "speedup_wall": round(n["wall_s"] / other["wall_s"], 3), "speedup_cpu": round(n["cpu_s"] / other["cpu_s"], 3)},
        **{f"{name}_vs_naive": {"options": {k: v for k, v in o.as_dict().items() if v != default.as_dict()[k]},
                  "speedup_wall": round(n["wall_s"] / runs[name]["wall_s"], 3),
                  "speedup_cpu": round(n["cpu_s"] / runs[name]["cpu_s"], 3)} for name, o in variants.items()},
        "default_vs_raw_wall": None if r is None else round(o["wall_s"] / r["wall_s"] - 1, 4),
        "default_vs_raw_cpu": None if r is None else round(o["cpu_s"] / r["cpu_s"] - 1, 4),
        # goal: the pipeline costs at most 5 % more than raw faster-whisper decoding the same way
        "overhead": over, "base": base, "stages_s": stage_s, "per_call": per_call,
    }
    print(f"{args.model}: default {o['wall_s']} s wall / {o['cpu_s']} s CPU (WER {o['wer']}) vs naive {n['wall_s']} s / "
          f"{n['cpu_s']} s (WER {n['wer']}) for {audio_s:.0f} s of stereo calls: {result['speedup_wall']}x wall, "
          f"{result['speedup_cpu']}x CPU; per channel beam 5 {result['per_channel_beam5']}; overhead {over}; "
          f"stages {stage_s}")
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    key = f"{args.model}, {args.split} split, default (packed, beam {default.beam_size}), {len(files)} calls"
    existing[key + "".join(f" + variant {v}" for v in args.variant)] = result
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
