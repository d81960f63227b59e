"""Prohibited language, leave-one-writer-out on dev: how the check does on a writer it never learnt from.

    python bench/prohibited_lowo.py --out bench/results/prohibited_lowo.json          # dev only
    python bench/prohibited_lowo.py --threshold 0.8 --grid 0.6 0.7 0.8 0.9             # one threshold, and a grid

Dev has fourteen writers (tests/data/labelled/README.md, ``DEV_WRITERS`` in tools/mine_exemplars.py). For each writer,
every sentence of the rubric's exemplar block that occurs in that writer's conversations is taken out of the block
(the block was mined from and picked in all of dev: leaving them in measures sentences it has seen; that figure is
``leaky``), the classifier is trained on the other writers (tools/train_classifier.py), and the real check runs
on the writer left out; counts are pooled over all. Designs:

- ``before``: the rubric's exemplar block alone (as shipped before the trained classifier), its threshold;
- ``after``: the block and the trained classifier over the embedding alone (``classifier: {model: trained}``), the
  classifier's threshold chosen by leave-one-writer-out *inside* the other writers (``--grid``), so the held-out
  writer picks nothing;
- ``cues``: the same with the tone cues of qa_toolkit/scoring/tone.py weighed beside the embedding;
- ``cues_ungated``: ``cues`` without the rubric's gates (polite closings spared, a second signal for what the
  classifier alone finds), the same classifier and threshold;
- ``cues_seconded_X`` (one per value of ``--seconded``): ``cues`` where a sentence the exemplar block alone finds,
  with no rude cue, needs the held-out classifier's probability X too (``block_needs_classifier``); ``cues_solo``:
  ``cues`` with neither second signal (the rubric's ``block_needs_classifier`` and ``classifier_needs_block`` off).

The phrase lists, patterns and tone cues were written on all of dev and cannot be taken apart by writer; ``rules_off``
repeats each design without the phrase lists and patterns (the blocks and the classifier alone), and
``without_newest_writer`` pools all but the newest writer, whose conversations the newest rules and cues were written
beside. Run on dev only, never on a test split.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

DEV = ROOT / "tests" / "data" / "labelled" / "chats_dev.jsonl"
LABEL = "prohibited_language_by_agent"
CHECK = "prohibited_language"
GRID = (0.5, 0.6, 0.7, 0.8, 0.9)
RULES = ("phrases", "regexes", "extra_phrases")
DESIGNS = ("leaky", "before", "before_rules_off", "after", "after_rules_off", "cues", "cues_rules_off", "cues_ungated")
UNGATED = {"spare_closings": False, "classifier_needs_block": None}  # the sixth session's gates off


def counts(pairs: list[tuple[bool, bool]]) -> dict[str, Any]:
    """Precision, recall, F1 and the confusion counts of (expected, predicted) pairs."""
    tp = sum(1 for e, p in pairs if e and p)
    fp = sum(1 for e, p in pairs if not e and p)
    fn = sum(1 for e, p in pairs if e and not p)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else 0.0
    return {"precision": None if precision is None else round(precision, 4),
            "recall": None if recall is None else round(recall, 4), "f1": round(f1, 4),
            "tp": tp, "fp": fp, "fn": fn, "tn": len(pairs) - tp - fp - fn}


def stripped(block: dict[str, Any], held: list[tuple[Any, dict[str, Any]]]) -> dict[str, Any]:
    """``block`` without the sentences that occur in the agent turns of ``held``."""
    said = "\n".join(t.text for view, _ in held for t in view.turns if t.speaker == "agent")
    return {**block, "positive": [s for s in block["positive"] if s not in said],
            "negative": [s for s in block.get("negative", ()) if s not in said]}


def verdicts(items: list[tuple[Any, dict[str, Any]]],
             params: dict[str, Any]) -> tuple[list[tuple[bool, bool]], list[dict[str, Any]]]:
    """(label, the check's verdict) per conversation, with ``params``; and the conversations where they differ (id,
    label, the check's evidence)."""
    from mine_exemplars import _pairs

    from qa_toolkit.scoring.evaluate import evaluate

    (report,) = evaluate(items, {CHECK: params})
    errors = [{"id": d["id"], "expected": d["expected"],
               "evidence": [f"{e.get('quote') or ''} ({e.get('note') or ''})" for e in d["evidence"]]}
              for d in sorted(report.disagreements, key=lambda d: d["id"])]
    return _pairs(report.metrics), errors


def predicted(items: list[tuple[Any, dict[str, Any]]], params: dict[str, Any]) -> list[tuple[bool, bool]]:
    """(label, the check's verdict) per conversation, with ``params``."""
    return verdicts(items, params)[0]


def trained_block(items: list[tuple[Any, dict[str, Any]]], params: dict[str, Any], seed: dict[str, Any],
                  folder: Path, name: str, cues: tuple[str, ...] = ()) -> str:
    """Train the classifier (with the tone ``cues``, if any) on ``items`` from ``seed`` and write it to ``folder``;
    its path."""
    from train_classifier import bags_of, classifier_file, train

    from qa_toolkit.scoring.checks import get_check

    checked = get_check(CHECK).params.model_validate({**params, "classifier": None})
    weights, bias, _, _ = train(list(seed["positive"]), list(seed["negative"]), bags_of(items, checked), cues=cues)
    path = folder / f"{name}.json"
    path.write_text(json.dumps(classifier_file(weights, bias, cues)), encoding="utf-8")
    return str(path)


class Trainer:
    """Classifiers trained without some writers, each trained once: leaving A out and then B inside it trains on
    the same conversations from the same seed as leaving B out and then A."""

    def __init__(self, by: dict[str, list[Any]], block: dict[str, Any], params: dict[str, Any], folder: Path) -> None:
        self.by, self.block, self.params, self.folder = by, block, params, folder
        self.paths: dict[tuple[frozenset[str], tuple[str, ...]], str] = {}

    def seed(self, without: frozenset[str]) -> dict[str, Any]:
        """The exemplar block without the sentences of the writers in ``without``."""
        return stripped(self.block, [item for name in sorted(without) for item in self.by[name]])

    def path(self, without: frozenset[str], cues: tuple[str, ...]) -> str:
        """The classifier trained on every writer but those in ``without``."""
        key = (without, cues)
        if key not in self.paths:
            teach = [item for name, items in self.by.items() if name not in without for item in items]
            self.paths[key] = trained_block(teach, self.params, self.seed(without), self.folder,
                                            f"{'-'.join(sorted(without))}-{len(cues)}", cues)
        return self.paths[key]


def held_threshold(name: str, trainer: Trainer, grid: tuple[float, ...], cues: tuple[str, ...]) -> float:
    """The classifier's threshold for writer ``name`` left out, chosen by leave-one-writer-out inside the others (with
    one threshold in ``grid``, that one: nothing to choose, nothing to train)."""
    if len(grid) == 1:
        return grid[0]
    inner: dict[float, list[tuple[bool, bool]]] = {t: [] for t in grid}
    for other in trainer.by:
        if other == name:
            continue
        without = frozenset({name, other})
        path, inner_seed = trainer.path(without, cues), trainer.seed(without)
        for t in grid:
            classifier = {"model": "trained", "weights": path, "threshold": t}
            inner[t] += predicted(trainer.by[other], {**trainer.params, "exemplars": inner_seed,
                                                      "classifier": classifier})
    return max(grid, key=lambda t: (counts(inner[t])["f1"], t))


def pairs_of(out: dict[str, Any], name: str, key: str) -> list[tuple[bool, bool]]:
    """(expected, predicted) pairs rebuilt from a writer's confusion counts for design ``key`` (order aside)."""
    c = out["writers"][name]["counts"][key]
    return [(True, True)] * c["tp"] + [(False, True)] * c["fp"] + [(True, False)] * c["fn"] + [(False, False)] * c["tn"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="?", default=str(DEV), help="the dev split (never a test split)")
    parser.add_argument("--rubric", default="support-chat")
    parser.add_argument("--grid", type=float, nargs="+", default=GRID)
    parser.add_argument("--threshold", type=float,
                        help="read the classifier at this threshold for every writer (no choice inside the others, "
                             "much faster); the figures at each threshold of --grid are reported as before")
    parser.add_argument("--seconded", type=float, nargs="*", default=(),
                        help="values of block_needs_classifier to measure beside the rubric's (designs cues_seconded_X)")
    parser.add_argument("--out", help="write the JSON here too")
    args = parser.parse_args(argv)
    seconded = {f"cues_seconded_{v}": v for v in args.seconded}
    designs = (*DESIGNS, "cues_solo", *seconded)

    from mine_exemplars import DEV_WRITERS, writer_of
    from train_classifier import rubric_block

    from qa_toolkit.scoring import tone
    from qa_toolkit.scoring.evaluate import read_labelled

    items = [(v, {LABEL: l[LABEL]}) for v, l in read_labelled(args.labels) if LABEL in l]
    params, block = rubric_block(args.rubric)
    params = {**params, "classifier": None}
    writers = [name for name, _ in DEV_WRITERS]
    by = {name: [item for item in items if writer_of(item[0].external_id) == name] for name in writers}
    off = dict.fromkeys(RULES, ())
    out: dict[str, Any] = {"conversations": len(items), "writers": {}, "grid": list(args.grid)}
    pooled: dict[str, list[tuple[bool, bool]]] = {k: [] for k in designs}
    grid_pooled: dict[str, dict[float, list[tuple[bool, bool]]]] = {d: {t: [] for t in args.grid}
                                                                    for d in ("after", "cues")}
    by_writer: dict[str, dict[float, dict[str, list[tuple[bool, bool]]]]] = {d: {t: {} for t in args.grid}
                                                                             for d in ("after", "cues")}
    with tempfile.TemporaryDirectory() as tmp:
        trainer = Trainer(by, block, params, Path(tmp))
        for name in writers:
            held, seed = by[name], stripped(block, by[name])
            found = {"leaky": predicted(held, {**params, "exemplars": block}),
                     "before": predicted(held, {**params, "exemplars": seed}),
                     "before_rules_off": predicted(held, {**params, **off, "exemplars": seed})}
            thresholds: dict[str, float] = {}
            errors: dict[str, list[dict[str, Any]]] = {}
            for design, cues in (("after", ()), ("cues", tone.NAMES)):
                threshold = held_threshold(name, trainer, (args.threshold,) if args.threshold else tuple(args.grid), cues)
                path = trainer.path(frozenset({name}), cues)
                classifier = {"model": "trained", "weights": path, "threshold": threshold}
                found[design], errors[design] = verdicts(held, {**params, "exemplars": seed, "classifier": classifier})
                found[f"{design}_rules_off"] = predicted(held, {**params, **off, "exemplars": seed,
                                                                "classifier": classifier})
                thresholds[design] = threshold
                if design == "cues":
                    found["cues_ungated"] = predicted(held, {**params, **UNGATED, "exemplars": seed,
                                                             "classifier": classifier})
                    found["cues_solo"] = predicted(held, {**params, "exemplars": seed, "classifier": classifier,
                                                          "classifier_needs_block": None,
                                                          "block_needs_classifier": None})
                    for key, value in seconded.items():
                        found[key] = predicted(held, {**params, "exemplars": seed, "classifier": classifier,
                                                      "block_needs_classifier": value})
                for t in args.grid:
                    grid_pooled[design][t] += predicted(held, {**params, "exemplars": seed,
                                                               "classifier": {**classifier, "threshold": t}})
            for key, pairs in found.items():
                pooled[key] += pairs
            out["writers"][name] = {"conversations": len(held), "thresholds": thresholds,
                                    "exemplars_left_out": [len(block["positive"]) - len(seed["positive"]),
                                                           len(block["negative"]) - len(seed["negative"])],
                                    **{key: counts(pairs)["f1"] for key, pairs in found.items()},
                                    "counts": {key: counts(pairs) for key, pairs in found.items()},
                                    "errors": errors}
            print(name, {k: v for k, v in out["writers"][name].items() if k not in ("counts", "errors")}, file=sys.stderr,
                  flush=True)
            for design in ("after", "cues"):
                for t in args.grid:
                    by_writer[design][t][name] = grid_pooled[design][t][-len(held):]
    out["pooled"] = {key: counts(pairs) for key, pairs in pooled.items()}
    for design, by_threshold in grid_pooled.items():
        out[f"{design}_at_each_threshold"] = {str(t): counts(pairs) for t, pairs in by_threshold.items()}
    # the same without the newest writer (whose conversations the newest rules and cues were written beside)
    newest = writers[-1]
    out["without_newest_writer"] = {"left_out": newest, **{
        f"{design}_at_each_threshold": {str(t): counts([p for name, pairs in by_writer[design][t].items()
                                                        if name != newest for p in pairs]) for t in args.grid}
        for design in ("after", "cues")}, "pooled": {
        key: counts([p for name in writers if name != newest for p in pairs_of(out, name, key)]) for key in designs}}
    out["summary"] = {"before_f1": out["pooled"]["before"]["f1"], "after_f1": out["pooled"]["after"]["f1"],
                      "cues_f1": out["pooled"]["cues"]["f1"], "leaky_f1": out["pooled"]["leaky"]["f1"],
                      "cues_ungated_f1": out["pooled"]["cues_ungated"]["f1"], "cues_solo_f1": out["pooled"]["cues_solo"]["f1"],
                      **{f"{key}_f1": out["pooled"][key]["f1"] for key in seconded}}
    text = json.dumps(out, indent=1)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
