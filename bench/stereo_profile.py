"""Where the stereo default's CPU goes, stage by stage (issue 16): process CPU time of every stage of
``transcribe_audio`` on labelled calls, each stage's own time (the stages it calls are counted apart).

    python bench/stereo_profile.py --split dev --calls 20            # writes bench/results/stereo_profile.json
    python bench/stereo_profile.py --split test --names LC-T-005,LC-T-014 --variant vad_skip_leaks=true

``--leak-margin`` sets ``stereo.LEAK_MARGIN_S`` for the run; WER against the split's references (pooled).
``--split test`` is the regression split: profile it only to find where a variant's CPU goes on calls the bench
flagged (never to tune on its transcripts). Each call's CPU, packed windows (count, seconds) and second looks
(count, seconds of audio decoded again) are recorded too (``per_call``).

Stages: Silero VAD (the channels' speech), the hold-music recovery (its own VAD), the crosstalk cut and packing,
the packed windows' batched pass (features, encoder, word alignment, the rest: beam search), the second looks
(a skipped stretch decoded again alone; the guard's re-decodes), the guard's own checks, crosstalk suppression,
merge (words, turns, call timing). Audio is decoded before timing (the bench's ratios start from decoded audio
too). ``--variant`` profiles the default with options changed (as in bench/transcribe_stereo.py). Process CPU
time, all threads: the machine is shared, so wall time says little.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LABELLED = ROOT / "tests" / "data" / "labelled" / "calls"
RESULTS = ROOT / "bench" / "results" / "stereo_profile.json"


class Profiler:
    """Wraps functions to add up process CPU seconds per stage; a stage's own time excludes the stages it calls."""

    def __init__(self) -> None:
        self.own: dict[str, float] = {}
        self.inclusive: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._stack: list[list[float]] = []  # [started, seconds of nested stages]
        self._undo: list[tuple[object, str, object]] = []
        self.counts: dict[str, float] = {}

    def count(self, what: str, amount: float) -> None:
        """Add ``amount`` to a tally (windows, seconds decoded again) of the call being profiled."""
        self.counts[what] = self.counts.get(what, 0.0) + amount

    def _enter(self) -> None:
        self._stack.append([time.process_time(), 0.0])

    def _leave(self, stage: str) -> None:
        started, nested = self._stack.pop()
        spent = time.process_time() - started
        self.own[stage] = self.own.get(stage, 0.0) + spent - nested
        self.inclusive[stage] = self.inclusive.get(stage, 0.0) + spent
        self.calls[stage] = self.calls.get(stage, 0) + 1
        if self._stack:
            self._stack[-1][1] += spent

    def wrap(self, owner: object, name: str, stage: str | Callable[[], str], lazy: bool = False) -> None:
        """Time ``owner.name`` as ``stage`` (a callable: decided at call time); ``lazy``: it returns an iterator,
        consumed inside the timing."""
        fn = getattr(owner, name)
        label = stage if callable(stage) else (lambda: stage)  # type: ignore[return-value]

        def timed(*args: Any, **kwargs: Any) -> Any:
            self._enter()
            found = label()
            try:
                result = fn(*args, **kwargs)
                return iter(list(result)) if lazy else result
            finally:
                self._leave(found)

        self._undo.append((owner, name, fn))
        setattr(owner, name, timed)

    def restore(self) -> None:
        for owner, name, fn in reversed(self._undo):
            setattr(owner, name, fn)


def instrument(profiler: Profiler) -> None:
    """Wrap the stages of the stereo path."""
    import faster_whisper.transcribe as fwt
    import faster_whisper.vad as fwv
    from faster_whisper.feature_extractor import FeatureExtractor

    from qa_toolkit.transcribe import crosstalk, faster_backend, pipeline, stereo

    in_guard: list[bool] = [False]  # set while the guard runs: its decodes are its re-decodes
    profiler.wrap(pipeline, "guard", "guard checks")
    timed_guard = pipeline.guard

    def guard(*args: Any, **kwargs: Any) -> Any:
        in_guard[0] = True
        try:
            return timed_guard(*args, **kwargs)
        finally:
            in_guard[0] = False

    pipeline.guard = guard
    profiler.wrap(fwv, "get_speech_timestamps", "vad")
    profiler.wrap(stereo, "recovered", "hold-music recovery (besides its VAD)")
    profiler.wrap(stereo, "without_crosstalk", "crosstalk cut and packing")
    profiler.wrap(stereo, "fewest_windows", "crosstalk cut and packing")
    profiler.wrap(stereo, "pack", "crosstalk cut and packing")
    profiler.wrap(faster_backend.FasterWhisperBackend, "transcribe_clips", "windows: beam search and the rest", lazy=True)
    profiler.wrap(faster_backend.FasterWhisperBackend, "transcribe",
                  lambda: "second looks: guard re-decodes" if in_guard[0] else "second looks: skipped stretches",
                  lazy=True)
    profiler.wrap(FeatureExtractor, "__call__", "features")
    fewest = stereo.fewest_windows

    def counted_windows(*args: Any, **kwargs: Any) -> Any:
        found = fewest(*args, **kwargs)
        profiler.count("windows", len(found))
        profiler.count("window_s", sum(b - a for w in found for _, a, b in w) / stereo.SAMPLE_RATE)
        return found

    stereo.fewest_windows = counted_windows
    profiler._undo.append((stereo, "fewest_windows", fewest))
    decode_one = faster_backend.FasterWhisperBackend.transcribe

    def counted_decode(self: Any, audio: Any, *args: Any, **kwargs: Any) -> Any:
        kind = "guard re-decodes" if in_guard[0] else "stretches or answers decoded again"
        profiler.count(kind, 1)
        profiler.count(f"{kind} s", len(audio) / stereo.SAMPLE_RATE)
        return decode_one(self, audio, *args, **kwargs)

    faster_backend.FasterWhisperBackend.transcribe = counted_decode  # type: ignore[method-assign]
    profiler._undo.append((faster_backend.FasterWhisperBackend, "transcribe", decode_one))
    profiler.wrap(fwt.WhisperModel, "encode", "encoder")
    profiler.wrap(fwt.WhisperModel, "add_word_timestamps", "word alignment")
    profiler.wrap(crosstalk, "suppress", "crosstalk suppression")
    for name in ("merge_turns", "call_timing", "channel_words"):
        profiler.wrap(pipeline, name, "merge")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--split", default="dev", choices=["dev", "test"],
                        help="test: the regression split, to locate a variant's CPU only (never tune on it)")
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--names", default="", help="only these calls (comma-separated stems, e.g. LC-T-005)")
    parser.add_argument("--first", type=int, default=0, help="skip this many calls")
    parser.add_argument("--variant", default="", metavar="OPTION=VALUE[,OPTION=VALUE]")
    parser.add_argument("--key", default=None, help="result key (default: split, calls, variant)")
    parser.add_argument("--leak-margin", type=float, default=None,
                        help="stereo.LEAK_MARGIN_S for this run (vad_skip_leaks: seconds of a leak the VAD still hears)")
    args = parser.parse_args()
    os.environ.setdefault("QA_DATA_DIR", tempfile.mkdtemp(prefix="qa-bench-data-"))
    from qa_toolkit.transcribe.audio import decode
    from qa_toolkit.transcribe.backend import TranscriptionOptions
    from qa_toolkit.transcribe.faster_backend import load_backend
    from qa_toolkit.transcribe.pipeline import transcribe_audio

    folder = LABELLED / args.split / "audio"
    files = sorted(p for p in folder.iterdir() if p.suffix in {".mp3", ".ogg"})
    if args.names:
        files = [p for p in files if p.stem in set(args.names.split(","))]
    files = files[args.first: args.first + args.calls]
    if args.leak_margin is not None:
        from qa_toolkit.transcribe import stereo

        stereo.LEAK_MARGIN_S = args.leak_margin
    from qa_toolkit.transcribe.evaluate import Evaluation, read_references, score

    references = read_references(folder / "references.json")
    scored = []
    options = TranscriptionOptions()
    if args.variant:
        options = replace(options, **{k: json.loads(v) for k, v in
                                      (item.split("=", 1) for item in args.variant.split(","))})
    backend = load_backend("faster-whisper", args.model, "cpu", 1)
    decoded = {p.name: decode(p) for p in files}
    transcribe_audio(decoded[files[0].name], backend, options)  # warm up
    load_before = [round(x, 1) for x in os.getloadavg()]
    profiler = Profiler()
    instrument(profiler)
    cpu, wall = time.process_time(), time.perf_counter()
    per_call: dict[str, dict[str, Any]] = {}
    turns: dict[str, list[tuple[str, str]]] = {}
    try:
        for name, audio in decoded.items():
            profiler.counts, started = {}, time.process_time()
            turns[name] = [(t.speaker, t.text) for t in transcribe_audio(audio, backend, options).turns]
            per_call[name] = {"cpu_s": round(time.process_time() - started, 2),
                              **{k: round(v, 1) for k, v in sorted(profiler.counts.items())}}
            print(name, per_call[name], flush=True)
    finally:
        profiler.restore()
    total_cpu, total_wall = time.process_time() - cpu, time.perf_counter() - wall
    for name, said in turns.items():  # WER pooled over the calls' reference words, scored after the timing
        scored.append(score(name, references[name], " ".join(t for _, t in said), said))
        per_call[name]["wer"] = round(scored[-1].wer, 4)
    audio_s = sum(a.duration_s for a in decoded.values())
    profiler.own["rest of the pipeline"] = total_cpu - sum(profiler.own.values())
    profiler.calls["rest of the pipeline"] = len(files)
    stages = {stage: {"cpu_s": round(s, 2), "share": round(s / total_cpu, 3), "calls": profiler.calls[stage],
                      "cpu_s_with_nested": round(profiler.inclusive.get(stage, s), 2)}
              for stage, s in sorted(profiler.own.items(), key=lambda kv: -kv[1])}
    result = {"model": args.model, "split": args.split, "calls": [p.name for p in files],
              "variant": args.variant or None, "audio_s": round(audio_s, 1), "cpu_s": round(total_cpu, 2),
              "wall_s": round(total_wall, 1), "rtf_cpu": round(total_cpu / audio_s, 4),
              "cpu_threads": backend.cpu_threads,  # type: ignore[attr-defined]
              "load_average_before": load_before, "load_average_after": [round(x, 1) for x in os.getloadavg()],
              "leak_margin_s": args.leak_margin, "wer": round(Evaluation(scored).wer, 4),
              "counts": {k: round(sum(c.get(k, 0) for c in per_call.values()), 1)
                         for k in sorted({k for c in per_call.values() for k in c if k not in ("cpu_s", "wer")})},
              "stages": stages, "per_call": per_call}
    for stage, row in stages.items():
        print(f"{stage:45s} {row['cpu_s']:8.2f} s {row['share']:6.1%} ({row['calls']} calls; "
              f"{row['cpu_s_with_nested']:.2f} s with the stages it calls)")
    print(f"total {total_cpu:.1f} s CPU, {total_wall:.1f} s wall, {audio_s:.0f} s of audio, WER {result['wer']}, "
          f"{result['counts']}")
    existing = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    chosen = f"calls {args.names}" if args.names else f"calls {args.first + 1}-{args.first + len(files)}"
    key = args.key or f"{args.model}, {args.split}, {chosen}" + (f", variant {args.variant}" if args.variant else "") \
        + (f", leak margin {args.leak_margin} s" if args.leak_margin is not None else "")
    existing[key] = result
    RESULTS.write_text(json.dumps(existing, indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)} key {key!r}")


if __name__ == "__main__":
    main()
