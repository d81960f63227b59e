"""Build the labelled call set: render the call scripts and write each split's labels.jsonl.

    python tests/data/labelled/calls/build.py                  # render every call, then write the labels
    python tests/data/labelled/calls/build.py --only LC-T-004  # render one call again, then the labels
    python tests/data/labelled/calls/build.py --labels-only    # labels and references from the committed truth
    python tests/data/labelled/calls/build.py --check          # validate only; exit 1 if anything is out of date
    python tests/data/labelled/calls/build.py --stats          # calls per domain, class balance, audio size

Layout, per split (``dev``, ``test``, ``test2`` .. ``test4``)::

    SPLIT/scripts/LC-D-001.yaml   one call script for tools/synth_calls.py (call id = file name)
    SPLIT/hand_labels.yaml        per call id: domain, styles, holds_announced, labels (by hand), note
    SPLIT/audio/                  what the synthesizer writes: the recording, NAME.json (metadata sidecar),
                                  NAME.truth.json (ground truth), NAME.rttm, and references.json
                                  (the scripted text for ``qa transcribe eval``, speakers named by channel)
    SPLIT/labels.jsonl            {"source": "call", "id": ..., "labels": {...}}, one call a line

What this script decides and nothing more: it renders (``tools/synth_calls.py``), checks every hand
label's type and its consistency with the ground truth (a hold label exactly when the script has
holds; a disclosure label that agrees with where the ``{disclosure:...}`` span was said), and computes
the timing labels from ``NAME.truth.json`` by their definitions (README.md):

- ``talk_ratio_agent``: the agents' speech (agent, agent_2, supervisor) over the agents' and the
  customer's speech, each turn from its start to its end;
- ``longest_silence_s``: the longest stretch, between the first and the last turn, in which nobody
  speaks (an IVR prompt is speech) and no announced hold runs; an unannounced hold is silence;
- ``overtalk_s``: the time an agent and the customer speak at once;
- ``max_agent_response_gap_seconds``: the longest wait from the end of the customer's first
  unanswered turn to the start of an agent's next turn (0 when the agent starts before it ends).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
SPLITS = {"dev": "LC-D-", "test": "LC-T-", "test2": "LC-U-", "test3": "LC-V-", "test4": "LC-W-"}  # test2..test4: fresh, unseen (README)
SOURCE = "call"  # what `qa transcribe` stores calls under (qa_toolkit.services.transcription.SOURCE)
AGENTS = ("agent", "agent_2", "supervisor")  # people on the agent's side
CUSTOMER = "customer"
IVR = "ivr"  # a recorded prompt on the agent's line: speech, but nobody's talk
BOOL = ("greeting", "closing", "disclosure_given", "prohibited_language_by_agent", "resolved", "escalated")
BOOL_OR_NULL = ("empathy_when_needed", "identity_verified_before_account_details", "hold_etiquette")
SENTIMENTS = ("positive", "neutral", "negative")
DOMAINS = ("banking", "telecom", "retail", "travel", "collections", "insurance", "utilities", "saas",
           "pharmacy", "car_rental", "gym", "government", "mortgage", "parcel_lockers", "food_delivery",
           "hotel", "streaming", "home_repairs", "education", "healthcare", "charity", "ev_charging", "bike_share",
           "vet", "removals", "property", "dental", "ferry", "solar", "childcare", "library", "recruitment",
           "opticians", "event_tickets", "self_storage", "car_garage", "funeral", "coworking", "pest_control",
           "driving_school")
DISCLOSURE_WITHIN_S = 30.0
DISCLOSURE_WITHIN_TURNS = 4
TIMING_LABELS = ("max_agent_response_gap_seconds", "talk_ratio_agent", "longest_silence_s", "overtalk_s")


class SourceError(ValueError):
    """A problem in a script or a hand label, with where it is."""


def _synth() -> Any:
    spec = importlib.util.spec_from_file_location("synth_calls", ROOT / "tools" / "synth_calls.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("synth_calls", module)
    spec.loader.exec_module(module)
    return module


# --- timing labels from the ground truth ----------------------------------------------------------------


def _union(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _intersection(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> float:
    total, i, j = 0.0, 0, 0
    while i < len(a) and j < len(b):
        total += max(0.0, min(a[i][1], b[j][1]) - max(a[i][0], b[j][0]))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def timing_labels(truth: dict[str, Any], holds_announced: list[bool]) -> dict[str, float]:
    """The four timing labels of one call from its ``NAME.truth.json`` (seconds rounded to 0.01)."""
    turns = sorted(truth["turns"], key=lambda t: (t["start_s"], t["end_s"]))
    agent = [(t["start_s"], t["end_s"]) for t in turns if t["speaker"] in AGENTS]
    customer = [(t["start_s"], t["end_s"]) for t in turns if t["speaker"] == CUSTOMER]
    agent_talk = sum(e - s for s, e in agent)
    customer_talk = sum(e - s for s, e in customer)
    ratio = agent_talk / (agent_talk + customer_talk) if agent_talk + customer_talk else 0.0

    covered = _union([(t["start_s"], t["end_s"]) for t in turns]
                     + [(h["start_s"], h["end_s"]) for h, announced in zip(truth["holds"], holds_announced)
                        if announced])
    first, last = turns[0]["start_s"], max(t["end_s"] for t in turns)
    silence, cursor = 0.0, first
    for start, end in covered:
        if start > cursor:
            silence = max(silence, min(start, last) - cursor)
        cursor = max(cursor, end)

    longest_wait, waiting_since = 0.0, None
    for turn in turns:
        if turn["speaker"] == CUSTOMER and waiting_since is None:
            waiting_since = turn["end_s"]
        elif turn["speaker"] in AGENTS and waiting_since is not None:
            longest_wait = max(longest_wait, turn["start_s"] - waiting_since)
            waiting_since = None
    return {"max_agent_response_gap_seconds": round(longest_wait, 2), "talk_ratio_agent": round(ratio, 3),
            "longest_silence_s": round(silence, 2),
            "overtalk_s": round(_intersection(_union(agent), _union(customer)), 2)}


def disclosure_in_time(truth: dict[str, Any]) -> bool:
    """Whether a ``{disclosure:...}`` span was said on the agent's line within 30 s or its first 4 turns.

    Raises:
        SourceError: a disclosure within one limit but not the other (a call must not hang on the "or").
    """
    agent_side = [n for n, t in enumerate(truth["turns"]) if t["side"] == "left"]
    in_time = False
    for span in truth["spans"]:
        if span["kind"] != "disclosure" or span["turn"] not in agent_side:
            continue
        early_s = span["start_s"] <= DISCLOSURE_WITHIN_S
        early_turn = agent_side.index(span["turn"]) < DISCLOSURE_WITHIN_TURNS
        if early_s != early_turn:
            raise SourceError(f"the disclosure at {span['start_s']} s in agent-side turn "
                              f"{agent_side.index(span['turn']) + 1} is within one limit only (30 s, 4 turns)")
        in_time = in_time or early_s
    return in_time


# --- hand labels ---------------------------------------------------------------------------------------


def check_hand_labels(entry: dict[str, Any], truth: dict[str, Any], roster: dict[str, Any]) -> dict[str, Any]:
    """The hand labels of one call, validated against their definitions' types and the ground truth."""
    if entry.get("domain") not in DOMAINS:
        raise SourceError(f"domain: one of {', '.join(DOMAINS)}")
    if not isinstance(entry.get("styles"), list) or not entry["styles"]:
        raise SourceError("styles: a list of what the call shows")
    agent = (truth.get("metadata") or {}).get("agent_id")
    if agent not in roster:
        raise SourceError(f"metadata.agent_id: {agent!r} is not in roster.yaml")
    labels = dict(entry.get("labels") or {})
    for key in BOOL:
        if not isinstance(labels.get(key), bool):
            raise SourceError(f"labels.{key}: true or false required")
    for key in BOOL_OR_NULL:
        if key not in labels or labels[key] not in (True, False, None):
            raise SourceError(f"labels.{key}: true, false or null required")
    if labels.get("customer_sentiment_end") not in SENTIMENTS:
        raise SourceError(f"labels.customer_sentiment_end: one of {', '.join(SENTIMENTS)}")
    unknown = set(labels) - set(BOOL) - set(BOOL_OR_NULL) - {"customer_sentiment_end"}
    if unknown:
        raise SourceError(f"labels: {', '.join(sorted(unknown))} not hand labels of calls (timing labels are "
                          "computed; unredacted_pii is left out on calls)")
    if labels["escalated"] and labels["resolved"]:
        raise SourceError("labels.resolved: an escalated call is not resolved (LABELS.md)")
    announced = entry.get("holds_announced", [])
    if not isinstance(announced, list) or len(announced) != len(truth["holds"]) \
            or not all(isinstance(a, bool) for a in announced):
        raise SourceError(f"holds_announced: one true/false per hold of the script ({len(truth['holds'])})")
    if (labels["hold_etiquette"] is None) != (not truth["holds"]):
        raise SourceError("labels.hold_etiquette: null exactly when the agent never puts the customer on hold")
    if labels["hold_etiquette"] and not all(announced):
        raise SourceError("labels.hold_etiquette: true, but a hold was not announced")
    if labels["disclosure_given"] != disclosure_in_time(truth):
        raise SourceError(f"labels.disclosure_given: {labels['disclosure_given']}, but the script's "
                          f"{{disclosure:...}} span says {not labels['disclosure_given']}")
    if not any(t["speaker"] == CUSTOMER for t in truth["turns"]):
        raise SourceError("the customer never speaks")
    return labels


def labels_of_split(split: str, roster: dict[str, Any]) -> list[dict[str, Any]]:
    """Every call of a split as a labels.jsonl record, in call-id order (raises SourceError with where)."""
    folder = HERE / split
    hand = yaml.safe_load((folder / "hand_labels.yaml").read_text(encoding="utf-8")) or {}
    scripts = sorted((folder / "scripts").glob("*.yaml"))
    ids = [p.stem for p in scripts]
    if sorted(hand) != ids:
        missing, extra = sorted(set(ids) - set(hand)), sorted(set(hand) - set(ids))
        raise SourceError(f"{split}/hand_labels.yaml: no labels for {missing}, labels without a script {extra}")
    synth = _synth()
    expected = {f"{i}{suffix}" for i in ids for suffix in (".json", ".truth.json", ".rttm")} | {"references.json"}
    expected |= {synth.load_scripts(p)[0].file for p in scripts}
    stale = sorted(p.name for p in (folder / "audio").glob("*") if p.name not in expected)
    if stale:
        raise SourceError(f"{split}/audio: files no script makes: {', '.join(stale)} (delete them)")
    records = []
    for path in scripts:
        call_id = path.stem
        where = f"{split}/{path.name}"
        try:
            if not call_id.startswith(SPLITS[split]):
                raise SourceError(f"call id must start with {SPLITS[split]!r}")
            (script,) = synth.load_scripts(path)
            if script.metadata.get("call_id") != call_id or Path(script.file).stem != call_id:
                raise SourceError("metadata.call_id and the file's name must be the script's name")
            truth_path = folder / "audio" / f"{call_id}.truth.json"
            if not truth_path.exists():
                raise SourceError(f"{truth_path.relative_to(HERE)} missing: render it (build.py --only {call_id})")
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            said = [synth.plain_text(u.text).strip() for u in script.utterances if u.text]
            if [t["text"] for t in truth["turns"]] != said or truth["metadata"] != json.loads(
                    json.dumps(script.metadata, default=str)):
                raise SourceError("the ground truth is older than the script: render it (build.py --only "
                                  f"{call_id})")
            if not 30 <= truth["duration_s"] <= 120:
                raise SourceError(f"{truth['duration_s']} s long (30-120 s wanted)")
            labels = check_hand_labels(hand[call_id], truth, roster)
        except SourceError as exc:
            raise SourceError(f"{where}: {exc}") from None
        labels.update(timing_labels(truth, hand[call_id].get("holds_announced", [])))
        records.append({"source": SOURCE, "id": call_id, "labels": labels})
    return records


def references(split: str) -> str:
    """The split's ``qa transcribe eval`` references file: each call's scripted text, its turns named by the
    channel they are on (``agent`` left, ``customer`` right), as ``qa transcribe`` names a stereo call's speakers
    (a colleague, a team lead or an IVR prompt on the agent's line is ``agent``)."""
    out: dict[str, Any] = {}
    for path in sorted((HERE / split / "scripts").glob("*.yaml")):
        truth_path = HERE / split / "audio" / f"{path.stem}.truth.json"
        if not truth_path.exists():
            continue
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        turns = [{"speaker": "customer" if t["side"] == "right" else "agent", "start_s": t["start_s"],
                  "text": t["text"]} for t in truth["turns"]]
        out[truth["file"]] = {"text": " ".join(t["text"] for t in turns), "turns": turns}
    return json.dumps({"references": out}, indent=2) + "\n"


def render(split: str, only: set[str] | None) -> None:
    """Render a split's scripts (all, or the call ids in ``only``) into SPLIT/audio."""
    synth = _synth()
    for path in sorted((HERE / split / "scripts").glob("*.yaml")):
        if only is not None and path.stem not in only:
            continue
        for script in synth.load_scripts(path):
            result = synth.synthesize(script, HERE / split / "audio")
            print(f"{split}/{result['file']}: {result['duration_s']:.1f} s, {len(result['turns'])} turns",
                  file=sys.stderr)


def stats() -> str:
    """A Markdown summary of the committed set: calls per domain and split, each label's classes, audio size."""
    lines = ["| | " + " | ".join(SPLITS) + " |", "|---|" + "---|" * len(SPLITS)]
    per: dict[str, dict[str, Any]] = {}
    for split in SPLITS:
        hand = yaml.safe_load((HERE / split / "hand_labels.yaml").read_text(encoding="utf-8"))
        records = [json.loads(x) for x in (HERE / split / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
        audio = [p for p in (HERE / split / "audio").iterdir() if p.suffix in (".mp3", ".ogg", ".wav", ".flac")]
        durations = [json.loads((HERE / split / "audio" / f"{r['id']}.truth.json").read_text())["duration_s"]
                     for r in records]
        per[split] = {"hand": hand, "records": records, "bytes": sum(p.stat().st_size for p in audio),
                      "seconds": sum(durations), "min": min(durations), "max": max(durations)}
    rows: list[tuple[str, Any]] = [("calls", lambda d: str(len(d["records"])))]
    for domain in DOMAINS:
        rows.append((domain, lambda d, x=domain: str(sum(1 for h in d["hand"].values() if h["domain"] == x))))
    for key in BOOL + BOOL_OR_NULL + ("customer_sentiment_end",):
        def classes(d: dict[str, Any], k: str = key) -> str:
            counts: dict[str, int] = {}
            for r in d["records"]:
                name = json.dumps(r["labels"][k]).strip('"')
                counts[name] = counts.get(name, 0) + 1
            return " / ".join(f"{n} {c}" for n, c in sorted(counts.items()))
        rows.append((f"`{key}`", classes))
    for key in TIMING_LABELS:
        def spread(d: dict[str, Any], k: str = key) -> str:
            values = sorted(r["labels"][k] for r in d["records"])
            return f"{values[0]} .. {values[-1]} (median {values[len(values) // 2]})"
        rows.append((f"`{key}`", spread))
    rows.append(("audio", lambda d: f"{d['bytes'] / 1e6:.1f} MB, {d['seconds'] / 60:.1f} min "
                                    f"({d['min']:.0f}-{d['max']:.0f} s a call)"))
    lines += [f"| {name} | " + " | ".join(cell(per[s]) for s in SPLITS) + " |" for name, cell in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="CALL_ID", help="render only these calls")
    parser.add_argument("--labels-only", action="store_true", help="render nothing; labels from the committed truth")
    parser.add_argument("--check", action="store_true", help="validate; fail if a labels file is out of date")
    parser.add_argument("--stats", action="store_true", help="print the committed set's class balance (Markdown)")
    args = parser.parse_args(argv)
    if args.stats:
        print(stats())
        return 0
    roster = yaml.safe_load((HERE.parent / "roster.yaml").read_text(encoding="utf-8"))
    if not (args.check or args.labels_only):
        try:
            for split in SPLITS:
                render(split, set(args.only) if args.only else None)
        except _synth().ScriptError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    stale = False
    for split in SPLITS:
        if not (HERE / split / "scripts").is_dir():
            continue
        try:
            records = labels_of_split(split, roster)
        except SourceError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        built = {HERE / split / "labels.jsonl": "".join(json.dumps(r) + "\n" for r in records),
                 HERE / split / "audio" / "references.json": references(split)}
        for out, text in built.items():
            if args.check:
                if (out.read_text(encoding="utf-8") if out.exists() else "") != text:
                    print(f"{out.relative_to(HERE)} is out of date: run python {Path(__file__).name} "
                          "--labels-only", file=sys.stderr)
                    stale = True
            else:
                out.write_text(text, encoding="utf-8")
        print(f"{split}: {len(records)} calls")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
