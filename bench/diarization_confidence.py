"""Acoustic confidence of a mono call's speaker attribution, calibrated on the dev calls only.

    nice .venv/bin/python bench/diarization_confidence.py [--split dev] [--out bench/results/diarization_confidence_acoustic.json]

Each call (the labelled call set's split mixed down to mono, with ``first_speaker: agent``, and the synthetic
calls of bench/diarization/<split>/, no hints) is transcribed with tiny.en and diarized once; the words and
the diarization are cached in bench/results/diarization-audio/signals-<split>/ (ignored by git) so the
signals can be studied without running the models again. Per call it records the attribution as main
decides it, the best guess's share of words on the right role (see bench/diarization.py), and the acoustic
signals of :func:`qa_toolkit.transcribe.diarize.confidence` (no words are read). A call is *wrong* when its
best guess puts under 90 % of the words on the right role.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import diarization as bench  # noqa: E402  (bench/diarization.py)

CACHE = ROOT / "bench" / "results" / "diarization-audio"


def collect(split: str, reverse: bool = False, labelled_hint: str | None = "agent") -> list[dict]:
    """tiny.en words and the diarization of each call of ``split``, cached per call."""
    from qa_toolkit.transcribe.backend import TranscriptionOptions
    from qa_toolkit.transcribe.diarize import diarize
    from qa_toolkit.transcribe.faster_backend import load_backend
    from qa_toolkit.transcribe.turns import channel_words

    cache = CACHE / f"signals-{split}"
    cache.mkdir(parents=True, exist_ok=True)
    calls = [dict(f, hint=labelled_hint) for f in bench.labelled_mixdowns(split)]
    calls += [dict(f, hint=None) for f in bench.rendered(bench.render(split))]
    backend = None
    out = []
    for f in reversed(calls) if reverse else calls:
        path = cache / (f["name"].replace(":", "_") + ".pkl")
        if not path.is_file():
            backend = backend or load_backend("faster-whisper", "tiny.en", "cpu", 1)
            cpu = time.process_time()
            words = channel_words(list(backend.transcribe(f["samples"], TranscriptionOptions())))
            found = diarize(f["samples"])
            path.write_bytes(pickle.dumps({"words": words, "diarization": found}))
            print(f"{f['name']}: {time.process_time() - cpu:.1f} s CPU", file=sys.stderr)
        cached = pickle.loads(path.read_bytes())
        out.append({"name": f["name"], "hint": f["hint"], "turns": f["turns"], "rttm": f["rttm"], **cached})
    return out


def measure(call: dict) -> dict:
    """The attribution main gives the call, its best guess's accuracy and the acoustic signals."""
    from qa_toolkit.transcribe.evaluate import Reference, score
    from qa_toolkit.transcribe.speakers import SpeakerHints, attribute, words_to_speakers
    from qa_toolkit.transcribe.turns import merge_turns

    words, found = call["words"], call["diarization"]
    hints = SpeakerHints(first_speaker=call["hint"])
    ref_turns = [(bench.ROLE_ALIASES.get(s, s), t) for s, t in call["turns"]]
    grouped, attribution = attribute(words, found, hints)
    turns = [(t.speaker.split("#")[0], t.text) for t in merge_turns(grouped)]
    result = score(call["name"], Reference(" ".join(t for _, t in ref_turns), ref_turns), " ".join(t for _, t in turns),
                   turns)
    signals = explore(found, words_to_speakers(words, found), words)
    return {"file": call["name"], "hint": call["hint"], "role_accuracy": round(result.speaker_accuracy or 0.0, 4),
            "best_guess_accuracy": round(bench._best_guess(call["name"], words, found, hints, ref_turns), 4),
            "right_by_time": round(bench.right_by_time(grouped, call["rttm"]), 4),
            "best_guess_by_time": round(bench._best_guess(call["name"], words, found, hints, ref_turns, call["rttm"]), 4),
            "needs_review": attribution.needs_review, "reason": attribution.reason, "speakers": attribution.speakers,
            "true_speakers": len({s for s, _ in call["turns"]}), "words": len(words),
            "signals": {k: round(v, 4) for k, v in signals.items()}}


def summary(rows: list[dict]) -> dict:
    """Per group (labelled, synthetic): calls flagged, true / false alarms and silently wrong calls by time (a call
    whose best guess puts under 90 % of its words on the right role by time is wrong), words right by time on the
    decided calls."""
    out = {}
    for group, selected in (("labelled", [r for r in rows if r["file"].startswith("labelled:")]),
                            ("synthetic", [r for r in rows if not r["file"].startswith("labelled:")])):
        decided = [r for r in selected if not r["needs_review"]]
        words = sum(r["words"] for r in decided)
        out[group] = {
            "calls": len(selected), "flagged": len(selected) - len(decided),
            "true_alarms_by_time": sum(r["needs_review"] and r["best_guess_by_time"] < bench.GOOD_CALL for r in selected),
            "false_alarms_by_time": sum(r["needs_review"] and r["best_guess_by_time"] >= bench.GOOD_CALL
                                        for r in selected),
            "silent_wrong_by_time": [r["file"] for r in decided if r["right_by_time"] < bench.GOOD_CALL],
            "right_by_time_decided_calls": round(sum(r["right_by_time"] * r["words"] for r in decided) / words, 4)
            if words else None}
    return out


def explore(found, owners, words) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Candidate signals (exploration)."""
    import numpy as np

    out: dict[str, float] = {}
    if len(found.voices) < 2 or not len(found.spans):
        return out
    ids = sorted(found.voices)
    centres = np.stack([found.voices[k] for k in ids])
    sims = found.vectors @ centres.T
    own = np.array([ids.index(int(k)) for k in found.labels])
    sim_own = sims[np.arange(len(own)), own]
    masked = sims.copy()
    masked[np.arange(len(own)), own] = -9
    margin = sim_own - masked.max(axis=1)
    talk = {k: sum(1 for o in owners if o == k) for k in ids}
    top = sorted(ids, key=lambda k: -talk[k])[:2]
    a, b = (found.voices[k] for k in top)
    out["sep_top2"] = float(1 - a @ b)
    spread = [float(1 - sim_own[found.labels == k].mean()) for k in top]
    out["spread_top2"] = float(np.mean(spread))
    out["fisher"] = out["sep_top2"] / max(out["spread_top2"], 1e-6)
    centres_t = np.array([(s + e) / 2 for s, e in found.spans])
    mids = np.array([(w.start + w.end) / 2 for w in words])
    if len(mids):
        order = np.argsort(centres_t)
        j = np.searchsorted(centres_t[order], mids).clip(1, len(order) - 1)
        left, right = order[j - 1], order[j]
        near = np.where(np.abs(centres_t[left] - mids) <= np.abs(centres_t[right] - mids), left, right)
        wm = margin[near]
        for t in (0.03, 0.06, 0.1, 0.15):
            out[f"low_{t}"] = float((wm < t).mean())
        out["word_margin_mean"] = float(wm.mean())
        out["word_margin_p20"] = float(np.percentile(wm, 20))
    out["win_margin_mean"] = float(margin.mean())
    said = [(w, o) for w, o in zip(words, owners) if o is not None]
    changes = [(p[0], q[0]) for p, q in zip(said, said[1:]) if p[1] != q[1]]
    out["changes_per_word"] = len(changes) / max(len(said), 1)
    out["fast_changes"] = sum(1 for p, q in changes if q.start - p.end < 0.1) / max(len(changes), 1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--reverse", action="store_true", help="collect from the last call (a second process beside)")
    parser.add_argument("--no-hint", action="store_true",
                        help="the labelled calls without first_speaker: agent (the words and voices decide alone)")
    args = parser.parse_args()
    rows = [measure(c) for c in collect(args.split, args.reverse, None if args.no_hint else "agent")]
    out = args.out or ROOT / "bench" / "results" / f"diarization_confidence_acoustic_{args.split}.json"
    totals = summary(rows)
    out.write_text(json.dumps({"split": args.split, "labelled_hint": None if args.no_hint else "agent",
                               "load_average": os.getloadavg(), "summary": totals, "per_call": rows}, indent=2) + "\n")
    for r in rows:
        print(f"{r['file'][:36]:36s} guess {r['best_guess_accuracy']:.2f} right {r['role_accuracy']:.2f} "
              f"by time {r['best_guess_by_time']:.2f} / {r['right_by_time']:.2f} "
              f"review {int(r['needs_review'])} " + " ".join(f"{k} {v:.3f}" for k, v in r["signals"].items()))
    for group, t in totals.items():
        print(f"{group}: {t}")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
