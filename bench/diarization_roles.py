"""Role decisions on mono calls: decided right / wrong, flagged right / wrong, words to the right role, DER.

    nice .venv/bin/python bench/diarization_roles.py [--scripts bench/diarization/dev/roles_dev.yaml ...]
        [--hint none|truth|sidecar] --out bench/results/diarization_dev_r9_before.json
    nice .venv/bin/python bench/diarization_roles.py --labelled dev --hint none sidecar truth --out ...
    nice .venv/bin/python bench/diarization_roles.py --labelled dev --scripts bench/diarization/dev/*.yaml \
        --loo 0.3 --voices --hint none sidecar truth --out ...
    nice .venv/bin/python bench/diarization_roles.py --samples [DIR] [--voices] --hint none --out ...

Renders the given call scripts (mono mixdowns with exact truth, tools/synth_calls.py) into
bench/results/diarization-audio/roles/, transcribes each with tiny.en and diarizes it once (words, diarization
and the CPU seconds of each cached per call in bench/results/diarization-audio/signals-roles/, ignored by git),
then attributes the cached words with the code as it is now. So a before and an after run on the same cache
differ by the attribution alone.

Per call: whether it was decided or flagged, the best guess (roles decided anyway, see bench/diarization.py)
and the words on the right role by time (each word's role against who spoke at its middle in the RTTM; a
``unknown`` word is wrong); a decided call is *right* when at least 90 % of its words are on the right role by
time, a flagged call is *right to flag* when its best guess is under 90 %. ``--hint truth`` gives each call the
first speaker its script has (agent, or customer for a callback the customer answers; an IVR counts as the
agent's line), as a sidecar's ``first_speaker`` would; ``--hint sidecar`` the ``first_speaker`` the call's
metadata really has (none on most calls). ``--labelled dev`` measures the mono recordings of the labelled call
set's dev split (tests/data/labelled/calls/dev, issue 15: piper and espeak voices, line noise, mu-law) instead of
rendered scripts, or beside them when ``--scripts`` is given too; their words are cached the same way.
``--samples`` adds the shipped sample calls (samples/calls, or DIR: another rendering of its make_calls.sh) mixed down
to mono, their truth from each channel's speech, as bench/diarization.py measures the issue's goal on them.

``--loo C`` measures each call with the role model refitted (L2 ``C``) on every other call of the run, so no call
is decided by weights fitted on itself (leave one call out). ``--voices`` gives each labelled call its agent's
enrolled voice (and every other roster agent's, as ``qa agents enroll-voice`` would): the mean embedding of that
agent's own turns on the agent channel of up to ``VOICE_CALLS`` stereo dev calls, never the call measured.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import diarization as bench  # noqa: E402  (bench/diarization.py)

AUDIO = bench.CACHE / "roles"
SIGNALS = bench.CACHE / "signals-roles"
DEFAULT_SCRIPTS = [ROOT / "bench" / "diarization" / "dev" / "roles_dev.yaml"]
VOICE_CALLS = 3  # stereo calls per agent whose agent turns make the enrolled voice


def render(scripts: list[Path]) -> list[Path]:
    """The scripts' rendered calls (rendered again when a script is newer than them or a call is missing)."""
    import yaml

    AUDIO.mkdir(parents=True, exist_ok=True)
    names = [c["file"] for s in scripts for c in yaml.safe_load(s.read_text())["calls"]]
    have = [AUDIO / n for n in names if (AUDIO / n).is_file()]
    if len(have) < len(names) or min(p.stat().st_mtime for p in have) < max(s.stat().st_mtime for s in scripts):
        subprocess.run([sys.executable, str(ROOT / "tools" / "synth_calls.py"), *map(str, scripts), "--out", str(AUDIO)],
                       check=True, stdout=subprocess.DEVNULL)
    return [AUDIO / n for n in names]


def labelled_calls(split: str, *, stereo: bool = False) -> list[Path]:
    """The mono recordings of the labelled call set's ``split`` (a truth file whose channels are ``mono``), or with
    ``stereo`` its stereo ones (measured mixed down to mono, as ``bench/diarization.py --labelled`` does)."""
    out = []
    for truth_path in sorted((bench.LABELLED / split / "audio").glob("*.truth.json")):
        if ("mono" in json.loads(truth_path.read_text())["channels"]) != stereo:
            stem = truth_path.name.removesuffix(".truth.json")
            out.append(next(p for p in truth_path.parent.glob(stem + ".*") if p.suffix in (".mp3", ".ogg", ".wav")))
    return out


def _loaded(paths: list[Path]) -> list[dict]:
    """Each call's samples (a stereo recording mixed down to mono), its RTTM and its scripted turns."""
    import numpy as np

    from qa_toolkit.transcribe.audio import decode

    out = []
    for path in paths:
        truth = json.loads(path.with_suffix(".truth.json").read_text())
        out.append({"name": path.name, "samples": np.mean(np.stack(decode(path).channels), axis=0).astype(np.float32),
                    "rttm": bench.read_rttm(path.with_suffix(".rttm")),
                    "turns": [(t["speaker"], t["text"]) for t in truth["turns"]]})
    return out


def sidecar_first_speaker(path: Path) -> str | None:
    """The ``first_speaker`` of a recording's metadata sidecar (``ID.json``), None without one."""
    sidecar = path.with_suffix(".json")
    return json.loads(sidecar.read_text()).get("first_speaker") if sidecar.is_file() else None


def collect(paths: list[Path], extra: list[dict] | None = None) -> list[dict]:
    """tiny.en words, the diarization and their CPU seconds for each call, cached per call; ``extra``: calls already
    loaded (the shipped samples' mixdowns, :func:`shipped_samples`), measured after ``paths``."""
    from qa_toolkit.transcribe.backend import TranscriptionOptions
    from qa_toolkit.transcribe.diarize import diarize
    from qa_toolkit.transcribe.faster_backend import load_backend
    from qa_toolkit.transcribe.turns import channel_words

    SIGNALS.mkdir(parents=True, exist_ok=True)
    backend = None
    out = []
    for path, f in [*zip(paths, _loaded(paths), strict=True), *((c["path"], c) for c in extra or [])]:
        cache = SIGNALS / (f["name"].replace("/", "_") + ".pkl")
        if not cache.is_file() or cache.stat().st_mtime < path.stat().st_mtime:
            if backend is None:
                backend = load_backend("faster-whisper", "tiny.en", "cpu", 1)
                list(backend.transcribe(f["samples"], TranscriptionOptions()))  # warm up
                diarize(f["samples"])
            cpu = time.process_time()
            words = channel_words(list(backend.transcribe(f["samples"], TranscriptionOptions())))
            asr_cpu = time.process_time() - cpu
            found = diarize(f["samples"])
            cache.write_bytes(pickle.dumps({"words": words, "diarization": found, "asr_cpu_s": asr_cpu,
                                            "diarize_cpu_s": time.process_time() - cpu - asr_cpu}))
            print(f"{f['name']}: tiny.en {asr_cpu:.1f} s CPU", file=sys.stderr)
        out.append({**f, **pickle.loads(cache.read_bytes()), "sidecar_first_speaker": sidecar_first_speaker(path),
                    "sidecar": f.get("sidecar", path.with_suffix(".json")),
                    "labelled": path.is_relative_to(bench.LABELLED)})
    return out


def shipped_samples(folder: Path) -> list[dict]:
    """The shipped stereo sample calls (``folder``: samples/calls, or another rendering of make_calls.sh) mixed down
    to mono, truth from each channel's speech (bench/diarization.py), each with the sidecar that names its agent (its
    JSON sidecar, or a stand-in written from manifest.csv into the cache for the calls that have none). Calls of
    another folder are named ``shipped:FOLDER/NAME`` and cached apart."""
    import csv

    SIGNALS.mkdir(parents=True, exist_ok=True)
    manifest = {row["file"]: row for row in csv.DictReader((folder / "manifest.csv").open())}
    out = []
    for call in bench.sample_mixdowns(folder):
        path = folder / call["name"].removeprefix("shipped:")
        if folder.resolve() != bench.SAMPLES.resolve():
            call["name"] = f"shipped:{folder.name}/{path.name}"
        sidecar = path.with_suffix(".json")
        if not sidecar.is_file() and path.name in manifest:
            sidecar = SIGNALS / f"{call['name'].replace('/', '_')}.sidecar.json"
            sidecar.write_text(json.dumps({k: v for k, v in manifest[path.name].items() if k != "file" and v}))
        out.append({**call, "path": path, "sidecar": sidecar})
    return out


def first_speaker(turns: list[tuple[str, str]]) -> str | None:
    """Who a sidecar would say speaks first: the customer when they do, else the agent (an IVR is the agent's line);
    None on a call nobody speaks in (hold music only)."""
    return None if not turns else "customer" if turns[0][0] == "customer" else "agent"


def measure(call: dict, hint: str, voices: dict | None = None, weights: dict[str, float] | None = None) -> dict:
    """The attribution of the cached words by the code as it is now, against the call's truth (with the agent's
    enrolled voice and the others' from ``voices`` when the call has an agent there; the role model's weights
    replaced by ``weights`` when given)."""
    from qa_toolkit.transcribe import role_cues
    from qa_toolkit.transcribe.speakers import SpeakerHints

    words, found = call["words"], call["diarization"]
    given = {"none": None, "truth": first_speaker(call["turns"]), "sidecar": call["sidecar_first_speaker"]}[hint]
    others = dict(voices or {})
    agent_voice = others.pop(call_agent(call), None) if call_agent(call) else None
    hints = SpeakerHints(agent_voice=agent_voice, other_agent_voices=others if agent_voice is not None else {},
                         first_speaker=given)
    shipped = role_cues.WEIGHTS
    role_cues.WEIGHTS = weights or shipped
    try:
        return _measured(call, hints, agent_voice is not None)
    finally:
        role_cues.WEIGHTS = shipped


REHEAR: dict[str, Any] = {"on": False, "backend": None}  # --rehear: flagged calls' openings heard again with base


def _rehear_cached(call: dict) -> Any:
    """A transcribe function for :func:`qa_toolkit.transcribe.rehear.decide_again` whose segments are cached per
    call (with the CPU seconds of the decode) in ``SIGNALS``; a call whose cache is older than its words is decoded
    again."""
    from qa_toolkit.transcribe import rehear

    cache = SIGNALS / (call["name"].replace("/", "_") + f".rehear-{rehear.MODEL}-b{rehear.OPTIONS.beam}.pkl")

    def transcribe(audio: Any, options: Any) -> list:
        if cache.is_file():
            kept = pickle.loads(cache.read_bytes())
            if kept["samples"] == len(audio):
                call["rehear_cpu_s"] = kept["cpu_s"]
                return kept["segments"]
        if REHEAR["backend"] is None:
            from qa_toolkit.transcribe.faster_backend import load_backend

            REHEAR["backend"] = load_backend("faster-whisper", rehear.MODEL, "cpu", 1)
            list(REHEAR["backend"].transcribe(audio, options))  # warm up
        cpu = time.process_time()
        segments = list(REHEAR["backend"].transcribe(audio, options))
        call["rehear_cpu_s"] = time.process_time() - cpu
        cache.write_bytes(pickle.dumps({"samples": len(audio), "segments": segments, "cpu_s": call["rehear_cpu_s"]}))
        print(f"{call['name']}: {rehear.MODEL} re-heard {len(audio) / 16000:.1f} s, {call['rehear_cpu_s']:.1f} s CPU",
              file=sys.stderr)
        return segments

    return transcribe


def _measured(call: dict, hints: Any, voiced: bool) -> dict:
    from qa_toolkit.transcribe import rehear
    from qa_toolkit.transcribe.evaluate import diarization_error
    from qa_toolkit.transcribe.speakers import attribute

    words, found = call["words"], call["diarization"]
    ref_turns = [(bench.ROLE_ALIASES.get(s, s), t) for s, t in call["turns"]]
    grouped, attribution = attribute(words, found, hints)
    call["rehear_cpu_s"], reheard = 0.0, False
    if REHEAR["on"] and attribution.needs_review and rehear.wanted(attribution.reason, attribution.speakers):
        again = rehear.decide_again(call["samples"], words, found, hints, _rehear_cached(call), attribution)
        if again is not None:
            (grouped, attribution), reheard = again, True
    der = diarization_error(call["rttm"], [(s.start, s.end, str(s.speaker)) for s in found.segments])
    return {"file": call["name"], "labelled": call["labelled"], "hint": hints.first_speaker, "voice": voiced,
            "words": len(words),
            "needs_review": attribution.needs_review, "reason": attribution.reason,
            "confidence": round(attribution.confidence, 3), "speakers": attribution.speakers,
            "true_speakers": len({s for s, _ in call["turns"]}),
            "right_by_time": round(bench.right_by_time(grouped, call["rttm"]), 4),
            "best_guess_by_time": round(bench._best_guess(call["name"], words, found, hints, ref_turns, call["rttm"]), 4),
            "der_parts": {k: round(v, 3) for k, v in der.items()}, "evidence": attribution.evidence,
            "asr_cpu_s": round(call["asr_cpu_s"], 3), "diarize_cpu_s": round(call["diarize_cpu_s"], 3),
            "reheard": reheard, "rehear_cpu_s": round(call["rehear_cpu_s"], 3)}


def summary(rows: list[dict]) -> dict:
    """Decided right / wrong, flagged right / wrong, words on the right role by time, DER, diarization's CPU share."""
    decided = [r for r in rows if not r["needs_review"]]
    flagged = [r for r in rows if r["needs_review"]]
    words = sum(r["words"] for r in rows)
    decided_words = sum(r["words"] for r in decided)
    der_total = sum(r["der_parts"]["total"] for r in rows)
    return {
        "calls": len(rows),
        "decided_right": sum(r["right_by_time"] >= bench.GOOD_CALL for r in decided),
        "decided_wrong": [r["file"] for r in decided if r["right_by_time"] < bench.GOOD_CALL],
        "flagged_right": sum(r["best_guess_by_time"] < bench.GOOD_CALL for r in flagged),
        "flagged_wrong": [r["file"] for r in flagged if r["best_guess_by_time"] >= bench.GOOD_CALL],
        "words_right_by_time_all": round(sum(r["right_by_time"] * r["words"] for r in rows) / words, 4) if words else None,
        "words_right_by_time_decided": round(sum(r["right_by_time"] * r["words"] for r in decided) / decided_words, 4)
        if decided_words else None,
        "best_guess_by_time_all": round(sum(r["best_guess_by_time"] * r["words"] for r in rows) / words, 4)
        if words else None,
        "der": round(sum(r["der_parts"]["missed"] + r["der_parts"]["false_alarm"] + r["der_parts"]["confusion"]
                         for r in rows) / der_total, 4) if der_total else None,
        "speaker_count_right": sum(r["speakers"] == r["true_speakers"] for r in rows),
        "diarize_share_of_asr_cpu": round(sum(r["diarize_cpu_s"] for r in rows) / sum(r["asr_cpu_s"] for r in rows), 4),
        "reheard": sum(r["reheard"] for r in rows),
        "rehear_share_of_asr_cpu": round(sum(r["rehear_cpu_s"] for r in rows) / sum(r["asr_cpu_s"] for r in rows), 4),
    }


def pair_rows(calls: list[dict]) -> list[dict]:
    """Per call, the model's inputs for the two speakers who say most (A, B) and the truth: A is staff (agent or
    agent_2) and B the customer (y 1), or the other way round (y 0); None when the pair is not staff and customer."""
    from qa_toolkit.transcribe.speakers import role_inputs, words_to_speakers

    out = []
    for call in calls:
        words, found = call["words"], call["diarization"]
        owners = words_to_speakers(words, found)
        pair = role_inputs(words, owners)
        if pair is None:
            out.append({"file": call["name"], "y": None, "inputs": None})
            continue
        a, b, inputs = pair
        truth = {k: speaker_truth(words, owners, k, call["rttm"]) for k in (a, b)}
        staff = {k: truth[k] in ("agent", "agent_2") for k in (a, b)}
        y = 1 if staff[a] and truth[b] == "customer" else 0 if staff[b] and truth[a] == "customer" else None
        out.append({"file": call["name"], "a": a, "b": b, "truth": truth, "y": y, "inputs": inputs})
    return out


def speaker_truth(words: list, owners: list, speaker: int, rttm: list[tuple[float, float, str]]) -> str:
    """The role most of ``speaker``'s words have by time in the RTTM."""
    from collections import Counter

    votes: Counter[str] = Counter()
    for word, owner in zip(words, owners, strict=True):
        if owner != speaker:
            continue
        middle = (word.start + word.end) / 2
        inside = [who for s, e, who in rttm if s <= middle <= e] or [
            min(rttm, key=lambda t: min(abs(middle - t[0]), abs(middle - t[1])))[2]]
        votes[bench.ROLE_ALIASES.get(inside[0], inside[0])] += 1
    return votes.most_common(1)[0][0] if votes else "none"


def fit(rows: list[dict], c: float, *, loo: bool = True) -> dict:
    """Logistic regression (no intercept, L2 ``c``) on the pairs with a truth, each pair also mirrored (B, A);
    leave-one-call-out log odds for every pair."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from qa_toolkit.transcribe.role_cues import FEATURES

    known = [r for r in rows if r["y"] is not None]
    x = np.array([[r["inputs"][f] for f in FEATURES] for r in known])
    y = np.array([r["y"] for r in known])

    def train(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        model = LogisticRegression(C=c, fit_intercept=False, max_iter=1000)
        model.fit(np.vstack([xs, -xs]), np.r_[ys, 1 - ys])
        return model.coef_[0]

    weights = train(x, y)
    if not loo:
        return {"c": c, "pairs": len(known), "weights": dict(zip(FEATURES, map(float, weights), strict=True))}
    loo = [float(x[i] @ train(np.delete(x, i, 0), np.delete(y, i))) for i in range(len(known))]
    for r, s in zip(known, loo, strict=True):
        r["loo_log_odds"] = round(s, 3)
        r["loo_right"] = (s > 0) == bool(r["y"])
    return {"c": c, "pairs": len(known), "weights": {f: round(float(w), 3) for f, w in zip(FEATURES, weights, strict=True)},
            "loo_right": sum(r["loo_right"] for r in known),
            "loo_wrong_log_odds": sorted(round(abs(r["loo_log_odds"]), 3) for r in known if not r["loo_right"]),
            "loo_right_log_odds": sorted(round(abs(r["loo_log_odds"]), 3) for r in known if r["loo_right"])}


def sample_voices(calls: list[dict]) -> dict[str, dict[str, object]]:
    """For each shipped sample call, every sample agent's voice enrolled from the agent channel of that agent's other
    sample calls (never the call measured), as a team would enroll its agents from their stereo calls."""
    import numpy as np

    from qa_toolkit.transcribe.audio import decode
    from qa_toolkit.transcribe.diarize import embed_voice

    samples = [c for c in calls if c["name"].startswith("shipped:") and call_agent(c)]
    own = {c["name"]: embed_voice(decode(c["path"]).channels[0]) for c in samples}
    out: dict[str, dict[str, object]] = {}
    for call in samples:
        voices: dict[str, object] = {}
        for agent in sorted({call_agent(c) for c in samples}):
            vectors = [own[c["name"]] for c in samples if call_agent(c) == agent and c["name"] != call["name"]]
            if vectors:
                mean = np.mean(vectors, axis=0)
                voices[agent] = mean / np.linalg.norm(mean)
        out[call["name"]] = voices
    return out


def enrolled_voices(split: str, source: str = "turns") -> dict[str, object]:
    """Each roster agent's enrolled voice (unit vector) from up to ``VOICE_CALLS`` stereo calls of ``split`` (cached in
    SIGNALS). ``source``: ``turns``, the agent's own turns on the agent channel (as recordings of the agent alone would
    give); ``calls``, the calls given to ``qa agents enroll-voice`` as they are (the agent's whole channel, other staff
    on it included: :func:`qa_toolkit.services.voices.voice_from_files`); ``mixed``, each whole call mixed down, as
    enroll-voice took a stereo call before it kept to the agent's channel."""
    import numpy as np

    from qa_toolkit.errors import QAError
    from qa_toolkit.services.voices import voice_from_files
    from qa_toolkit.transcribe.audio import decode
    from qa_toolkit.transcribe.diarize import SAMPLE_RATE, embed_voice

    cache = SIGNALS / f"voices-{split}{'' if source == 'turns' else '-' + source}.pkl"
    if cache.is_file():
        return pickle.loads(cache.read_bytes())
    calls: dict[str, list[Path]] = {}
    for path in labelled_calls(split, stereo=True):
        agent = json.loads(path.with_suffix(".json").read_text()).get("agent_id")
        if agent:
            calls.setdefault(agent, []).append(path)
    voices = {}
    for agent, paths in sorted(calls.items()):
        vectors = []
        for path in paths:
            truth = json.loads(path.with_suffix(".truth.json").read_text())
            channels = decode(path).channels
            own = [channels[0][int(t["start_s"] * SAMPLE_RATE): int(t["end_s"] * SAMPLE_RATE)] for t in truth["turns"]
                   if t["speaker"] == "agent"]
            try:
                vectors.append(embed_voice(np.concatenate(own)) if source == "turns" else
                               voice_from_files([path], agent)[0] if source == "calls" else
                               embed_voice(np.mean(np.stack(channels), axis=0)))
            except (ValueError, QAError):  # under 2 s of the agent's speech on that channel
                continue
            if len(vectors) == VOICE_CALLS:
                break
        mean = np.mean(vectors, axis=0)
        voices[agent] = mean / np.linalg.norm(mean)
    cache.write_bytes(pickle.dumps(voices))
    return voices


def call_agent(call: dict) -> str | None:
    """The ``agent_id`` of a labelled call's sidecar (None for rendered scripts)."""
    sidecar = call.get("sidecar")
    return json.loads(sidecar.read_text()).get("agent_id") if sidecar and sidecar.is_file() else None


def loo_weights(calls: list[dict], c: float) -> list[dict[str, float] | None]:
    """For each call, the role model's weights fitted on every other call's pair (None: the shipped weights)."""
    rows = pair_rows(calls)
    out = []
    for i in range(len(calls)):
        others = [r for j, r in enumerate(rows) if j != i and r["y"] is not None]
        out.append(fit(others, c, loo=False)["weights"])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scripts", type=Path, nargs="+",
                        help=f"call scripts to render and measure (default {DEFAULT_SCRIPTS[0].name}, or none with "
                             f"--labelled)")
    parser.add_argument("--hint", choices=["none", "truth", "sidecar"], nargs="+", default=["none", "truth"])
    parser.add_argument("--labelled", choices=["dev"],
                        help="the mono calls of the labelled call set's split instead of --scripts")
    parser.add_argument("--mixdown", action="store_true", help="with --labelled: its stereo calls, mixed down to mono")
    parser.add_argument("--only", metavar="GLOB", help="only the labelled calls whose file name matches (LC-D-07*)")
    parser.add_argument("--samples", type=Path, nargs="?", const=bench.SAMPLES, metavar="DIR",
                        help="the shipped sample calls (samples/calls, or DIR: another rendering of make_calls.sh) "
                             "mixed down to mono too")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--loo", type=float, metavar="C",
                        help="measure each call with the role model refitted (L2 C) on all the other calls")
    parser.add_argument("--voices", nargs="?", const="turns", choices=["turns", "calls", "mixed"],
                        help="with --labelled: enroll each roster agent's voice from the split's stereo calls (turns: "
                             "the agent's own turns; calls: as enroll-voice takes them; mixed: both sides mixed); "
                             "with --samples: each sample agent's voice from their other sample calls")
    parser.add_argument("--rehear", action="store_true",
                        help="flagged calls' openings heard again with Whisper base (transcribe/rehear.py), cached")
    parser.add_argument("--rehear-beam", type=int, metavar="N", help="with --rehear: the beam width (default: rehear.py's)")
    parser.add_argument("--fit", type=float, metavar="C",
                        help="fit the role model (L2 strength C) on the calls' cached words instead of measuring")
    args = parser.parse_args()
    REHEAR["on"] = args.rehear
    if args.rehear_beam:
        from dataclasses import replace

        from qa_toolkit.transcribe import rehear

        rehear.OPTIONS = replace(rehear.OPTIONS, beam_size=args.rehear_beam)
    scripts = args.scripts or ([] if args.labelled or args.samples else DEFAULT_SCRIPTS)
    labelled = labelled_calls(args.labelled, stereo=args.mixdown) if args.labelled else []
    calls = collect([p for p in labelled if not args.only or fnmatch.fnmatch(p.name, args.only)]
                    + (render(scripts) if scripts else []), shipped_samples(args.samples) if args.samples else None)
    if args.fit:
        rows = pair_rows(calls)
        result = fit(rows, args.fit)
        for r in rows:
            print(r["file"][:40], r.get("truth"), r["y"], r.get("loo_log_odds"), r["inputs"])
        print(json.dumps({k: v for k, v in result.items()}, indent=1))
        args.out.write_text(json.dumps({**result, "per_call": rows}, indent=2, default=str) + "\n")
        print(f"wrote {args.out}")
        return 0
    source = {"labelled": args.labelled, "mixdown": args.mixdown, "only": args.only,
              "samples": str(args.samples) if args.samples else None, "scripts": [s.name for s in scripts],
              "loo_c": args.loo, "voices": args.voices, "rehear": args.rehear, "rehear_beam": args.rehear_beam}
    result: dict = {**source, "load_average": os.getloadavg()}
    weights = loo_weights(calls, args.loo) if args.loo else [None] * len(calls)
    voices = enrolled_voices(args.labelled, args.voices) if args.voices and args.labelled else None
    by_call = sample_voices(calls) if args.voices and args.samples else {}
    for hint in args.hint:
        rows = [measure(c, hint, by_call.get(c["name"], voices), w) for c, w in zip(calls, weights, strict=True)]
        groups = {"labelled": [r for r in rows if r["labelled"]],
                  "synthetic": [r for r in rows if not r["labelled"] and not r["file"].startswith("shipped:")],
                  "samples": [r for r in rows if r["file"].startswith("shipped:")]}
        result[f"hint_{hint}"] = {"summary": summary(rows), **{f"summary_{k}": summary(v) for k, v in groups.items()
                                                               if v and len(v) < len(rows)}, "per_call": rows}
        for r in rows:
            print(f"{hint:5s} {r['file'][:36]:36s} review {int(r['needs_review'])} conf {r['confidence']:.2f} "
                  f"spk {r['speakers']}/{r['true_speakers']} right {r['right_by_time']:.2f} "
                  f"guess {r['best_guess_by_time']:.2f} {'R ' if r['reheard'] else ''}{r['reason'] or ''}"[:220])
        for key, value in result[f"hint_{hint}"].items():
            if key.startswith("summary"):
                print(f"hint {hint} {key}: {json.dumps(value)}")
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
