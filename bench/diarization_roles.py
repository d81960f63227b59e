"""Role decisions on mono calls: decided right / wrong, flagged right / wrong, words to the right role, DER.

    nice .venv/bin/python bench/diarization_roles.py [--scripts bench/diarization/dev/roles_dev.yaml ...]
        [--hint none|truth|sidecar] --out bench/results/diarization_dev_r9_before.json
    nice .venv/bin/python bench/diarization_roles.py --labelled dev --hint none sidecar truth --out ...

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
rendered scripts; their words are cached the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import diarization as bench  # noqa: E402  (bench/diarization.py)

AUDIO = bench.CACHE / "roles"
SIGNALS = bench.CACHE / "signals-roles"
DEFAULT_SCRIPTS = [ROOT / "bench" / "diarization" / "dev" / "roles_dev.yaml"]


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


def collect(paths: list[Path]) -> list[dict]:
    """tiny.en words, the diarization and their CPU seconds for each call, cached per call."""
    from qa_toolkit.transcribe.backend import TranscriptionOptions
    from qa_toolkit.transcribe.diarize import diarize
    from qa_toolkit.transcribe.faster_backend import load_backend
    from qa_toolkit.transcribe.turns import channel_words

    SIGNALS.mkdir(parents=True, exist_ok=True)
    backend = None
    out = []
    for path, f in zip(paths, _loaded(paths), strict=True):
        cache = SIGNALS / (f["name"] + ".pkl")
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
        out.append({**f, **pickle.loads(cache.read_bytes()), "sidecar_first_speaker": sidecar_first_speaker(path)})
    return out


def first_speaker(turns: list[tuple[str, str]]) -> str:
    """Who a sidecar would say speaks first: the customer when they do, else the agent (an IVR is the agent's line)."""
    return "customer" if turns[0][0] == "customer" else "agent"


def measure(call: dict, hint: str) -> dict:
    """The attribution of the cached words by the code as it is now, against the call's truth."""
    from qa_toolkit.transcribe.evaluate import diarization_error
    from qa_toolkit.transcribe.speakers import SpeakerHints, attribute

    words, found = call["words"], call["diarization"]
    given = {"none": None, "truth": first_speaker(call["turns"]), "sidecar": call["sidecar_first_speaker"]}[hint]
    hints = SpeakerHints(first_speaker=given)
    ref_turns = [(bench.ROLE_ALIASES.get(s, s), t) for s, t in call["turns"]]
    grouped, attribution = attribute(words, found, hints)
    der = diarization_error(call["rttm"], [(s.start, s.end, str(s.speaker)) for s in found.segments])
    return {"file": call["name"], "hint": hints.first_speaker, "words": len(words),
            "needs_review": attribution.needs_review, "reason": attribution.reason,
            "confidence": round(attribution.confidence, 3), "speakers": attribution.speakers,
            "true_speakers": len({s for s, _ in call["turns"]}),
            "right_by_time": round(bench.right_by_time(grouped, call["rttm"]), 4),
            "best_guess_by_time": round(bench._best_guess(call["name"], words, found, hints, ref_turns, call["rttm"]), 4),
            "der_parts": {k: round(v, 3) for k, v in der.items()}, "evidence": attribution.evidence,
            "asr_cpu_s": round(call["asr_cpu_s"], 3), "diarize_cpu_s": round(call["diarize_cpu_s"], 3)}


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


def fit(rows: list[dict], c: float) -> dict:
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
    loo = [float(x[i] @ train(np.delete(x, i, 0), np.delete(y, i))) for i in range(len(known))]
    for r, s in zip(known, loo, strict=True):
        r["loo_log_odds"] = round(s, 3)
        r["loo_right"] = (s > 0) == bool(r["y"])
    return {"c": c, "pairs": len(known), "weights": {f: round(float(w), 3) for f, w in zip(FEATURES, weights, strict=True)},
            "loo_right": sum(r["loo_right"] for r in known),
            "loo_wrong_log_odds": sorted(round(abs(r["loo_log_odds"]), 3) for r in known if not r["loo_right"]),
            "loo_right_log_odds": sorted(round(abs(r["loo_log_odds"]), 3) for r in known if r["loo_right"])}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scripts", type=Path, nargs="+", default=DEFAULT_SCRIPTS)
    parser.add_argument("--hint", choices=["none", "truth", "sidecar"], nargs="+", default=["none", "truth"])
    parser.add_argument("--labelled", choices=["dev"],
                        help="the mono calls of the labelled call set's split instead of --scripts")
    parser.add_argument("--mixdown", action="store_true", help="with --labelled: its stereo calls, mixed down to mono")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--fit", type=float, metavar="C",
                        help="fit the role model (L2 strength C) on the calls' cached words instead of measuring")
    args = parser.parse_args()
    calls = collect(labelled_calls(args.labelled, stereo=args.mixdown) if args.labelled else render(args.scripts))
    if args.fit:
        rows = pair_rows(calls)
        result = fit(rows, args.fit)
        for r in rows:
            print(r["file"][:40], r.get("truth"), r["y"], r.get("loo_log_odds"), r["inputs"])
        print(json.dumps({k: v for k, v in result.items()}, indent=1))
        args.out.write_text(json.dumps({**result, "per_call": rows}, indent=2, default=str) + "\n")
        print(f"wrote {args.out}")
        return 0
    source = ({"labelled": args.labelled, "mixdown": args.mixdown} if args.labelled
              else {"scripts": [s.name for s in args.scripts]})
    result: dict = {**source, "load_average": os.getloadavg()}
    for hint in args.hint:
        rows = [measure(c, hint) for c in calls]
        result[f"hint_{hint}"] = {"summary": summary(rows), "per_call": rows}
        for r in rows:
            print(f"{hint:5s} {r['file'][:36]:36s} review {int(r['needs_review'])} conf {r['confidence']:.2f} "
                  f"spk {r['speakers']}/{r['true_speakers']} right {r['right_by_time']:.2f} "
                  f"guess {r['best_guess_by_time']:.2f} {r['reason'] or ''}"[:220])
        print(f"hint {hint}: {json.dumps(result[f'hint_{hint}']['summary'])}")
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
