"""Check: automated scoring gives bit-identical verdicts and evidence in this tree and in a base revision.

    .venv/bin/python bench/score_identical.py --base main        # or any revision, e.g. a487118

A speed change to the scoring must not change one verdict. This exports the base revision (``git archive``)
and, in one child process per tree (``PYTHONPATH`` set to that tree), scores the same conversations with the
same shipped rubrics (support-chat, support-call, collections-compliance; each tree's own copy), two ways:

* ``eval``: every conversation as read from its file (raw text, no stored PII spans) through
  ``ScoringPlan.evaluate_many`` with every rubric, whatever its channels (what ``qa score eval`` runs);
* ``auto``: the chats imported into a fresh SQLite database with ``import_chats`` (redacted, PII spans stored),
  every rubric published, ``score_auto`` (one process), and the stored criterion results read back.

Conversations: the labelled chats (dev, test, test2, test3, test4), the simulated team's chats (kestrel), the
sample chats, and the labelled calls' scripted text (dev, test; ``eval`` only: calls are stored by
transcription, not import). Each verdict (status, value, message, evidence, confidence) and each evaluation's
score, category scores and critical flag are compared as JSON; the counts, a hash of this tree's outcomes and
the first differences (on the dev, team and sample sets only: a test split's are counted, never shown) are
printed, and the exit status is 1 when anything differs. The embedding cache is shared by both trees through
one SQLite file (vectors are rounded to float16 either way), so the second tree embeds nothing new.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LABELLED = Path("tests") / "data" / "labelled"
CHATS = (LABELLED / "chats_dev.jsonl", LABELLED / "chats_test.jsonl", LABELLED / "chats_test2.jsonl",
         LABELLED / "chats_test3.jsonl", LABELLED / "chats_test4.jsonl", LABELLED / "team" / "kestrel.jsonl",
         Path("samples") / "chats" / "chats.jsonl")
CALL_SPLITS = ("dev", "test")
RUBRICS = ("support-chat", "support-call", "collections-compliance")


def _views(path: Path) -> list[Any]:
    """Every conversation of a canonical JSONL file as a view (labelled or not)."""
    from qa_toolkit.ingest.model import validate
    from qa_toolkit.scoring.evaluate import view_from_conversation

    views = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            parsed = validate(json.loads(line), file=str(path), line=number, raw=line)
            assert parsed.conversation is not None, parsed.error
            views.append(view_from_conversation(parsed.conversation))
    return views


def _outcome(out: Any) -> dict[str, Any]:
    return {"score": out.score, "critical_failed": out.critical_failed, "categories": out.categories,
            "verdicts": [{"key": v.key, "status": v.status, "value": v.value, "normalized": v.normalized,
                          "message": v.message, "evidence": v.evidence, "confidence": v.confidence}
                         for v in out.verdicts]}


def dump(tree: Path, out: Path, cache_url: str) -> None:
    """In a child process whose PYTHONPATH is ``tree``: every outcome, one JSON line each, to ``out``."""
    import qa_toolkit

    assert Path(qa_toolkit.__file__).resolve().is_relative_to(tree.resolve()), qa_toolkit.__file__
    sys.path.insert(0, str(ROOT / "bench"))
    from calls_checks import scripted_items  # the calls' scripted text, as bench/calls_checks.py reads it

    from qa_toolkit.rubrics import load_rubric
    from qa_toolkit.scoring.engine import ScoringPlan
    from qa_toolkit.services import embedding_cache, rubrics, schema, scoring
    from qa_toolkit.services.chat_import import import_chats
    from qa_toolkit.services.rubrics import resolve_file
    from qa_toolkit.storage.database import open_database
    from qa_toolkit.storage.models import CriterionResult, Evaluation, Interaction, RubricVersion
    from sqlalchemy import select

    cache = open_database(cache_url)
    plans = {name: ScoringPlan(load_rubric(resolve_file(name)).rubric) for name in RUBRICS}
    sets = [(str(path), _views(tree / path)) for path in CHATS]
    sets += [(f"calls/{split}", [view for view, _ in scripted_items(split)]) for split in CALL_SPLITS]
    with out.open("w", encoding="utf-8") as handle:
        for name, views in sets:
            for rubric, plan in plans.items():
                with embedding_cache.persisted(cache):
                    outcomes = plan.evaluate_many(views)
                for view, outcome in zip(views, outcomes):
                    handle.write(json.dumps({"path": "eval", "set": name, "rubric": rubric, "id": view.external_id,
                                             **_outcome(outcome)}, ensure_ascii=False) + "\n")
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/auto.db"
            schema.init_database(url)
            database = open_database(url)
            for i, path in enumerate(CHATS):
                import_chats(database, [str(tree / path)], source=f"s{i}", workers=1)
            with database.session() as session:
                for rubric in RUBRICS:
                    rubrics.publish_file(session, rubric, actor="bench")
            with embedding_cache.persisted(cache):  # the shared vectors first, then the database's own
                scoring.score_auto(database, workers=1)
            with database.session() as session:
                rows = session.execute(
                    select(Interaction.source, Interaction.external_id, RubricVersion.name, Evaluation.score,
                           Evaluation.critical_failed, Evaluation.category_scores, CriterionResult.criterion_key,
                           CriterionResult.status, CriterionResult.value, CriterionResult.normalized,
                           CriterionResult.message, CriterionResult.evidence, CriterionResult.confidence)
                    .join(Evaluation, Evaluation.interaction_id == Interaction.id)
                    .join(RubricVersion, Evaluation.rubric_version_id == RubricVersion.id)
                    .join(CriterionResult, CriterionResult.evaluation_id == Evaluation.id)
                    .order_by(Interaction.source, Interaction.external_id, RubricVersion.name, CriterionResult.id))
                grouped: dict[tuple[str, str, str], dict[str, Any]] = {}
                for src, ext, rubric, score, critical, categories, *verdict in rows:
                    item = grouped.setdefault((src, ext, rubric), {
                        "path": "auto", "set": str(CHATS[int(src[1:])]), "rubric": rubric, "id": ext, "score": score,
                        "critical_failed": critical, "categories": categories, "verdicts": []})
                    item["verdicts"].append(dict(zip(("key", "status", "value", "normalized", "message", "evidence",
                                                      "confidence"), verdict)))
            database.close()
            for item in grouped.values():
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    cache.close()


def _load(path: Path) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        out[(item["path"], item["set"], item["rubric"], item["id"])] = item
    return out


def _is_test(name: str) -> bool:
    """A test split (chats_test*.jsonl, calls/test*): its disagreements are counted, never printed."""
    return "test" in Path(name).name


def compare(base: Path, new: Path, show: int = 5) -> dict[str, Any]:
    """Counts of evaluations, verdicts and evidence items, and how many differ (the first differences printed for the
    dev, team and sample sets only), and a hash of this tree's outcomes."""
    old, now = _load(base), _load(new)
    counts: dict[str, Any] = {"evaluations": len(now), "missing": sorted(map(str, set(old) ^ set(now)))[:show],
                              "verdicts": 0, "evidence_items": 0, "differing_evaluations": 0,
                              "differing_verdicts": 0, "by_path": {}}
    outcomes = json.dumps([now[k] for k in sorted(now)], sort_keys=True).encode()
    counts["new_sha256"] = hashlib.sha256(outcomes).hexdigest()[:16]
    shown = 0
    for key in sorted(set(old) & set(now)):
        a, b = old[key], now[key]
        path = counts["by_path"].setdefault(key[0], {"evaluations": 0, "verdicts": 0, "differing": 0})
        path["evaluations"] += 1
        path["verdicts"] += len(b["verdicts"])
        counts["verdicts"] += len(b["verdicts"])
        counts["evidence_items"] += sum(len(v["evidence"] or []) for v in b["verdicts"])
        if a == b:
            continue
        counts["differing_evaluations"] += 1
        path["differing"] += 1
        va = {v["key"]: v for v in a["verdicts"]}
        for v in b["verdicts"]:
            if va.get(v["key"]) != v:
                counts["differing_verdicts"] += 1
                if shown < show and not _is_test(key[1]):  # test splits: counted, never shown
                    shown += 1
                    print(f"DIFF {key} {v['key']}:\n  base {json.dumps(va.get(v['key']))[:600]}\n"
                          f"  new  {json.dumps(v)[:600]}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="main", help="the git revision to compare with (default main)")
    parser.add_argument("--keep", metavar="DIR", help="keep the dumps (base.jsonl, new.jsonl) in DIR")
    parser.add_argument("--vectors", metavar="PATH", help="the shared embedding cache's SQLite file (kept; reused "
                                                          "when it exists, at this code's schema head)")
    parser.add_argument("--dump", nargs=3, metavar=("TREE", "OUT", "CACHE_URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dump:
        dump(Path(args.dump[0]), Path(args.dump[1]), args.dump[2])
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        base_tree = Path(tmp) / "base"
        base_tree.mkdir()
        archive = subprocess.run(["git", "archive", args.base], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base_tree)], input=archive, check=True)
        revision = subprocess.run(["git", "rev-parse", "--short", args.base], cwd=ROOT, check=True,
                                  capture_output=True, text=True).stdout.strip()
        vectors = Path(args.vectors) if args.vectors else Path(tmp) / "vectors.db"
        cache_url = f"sqlite:///{vectors}"
        if not vectors.exists():
            subprocess.run([sys.executable, "-c", "import sys; from qa_toolkit.services import schema; "
                            "schema.init_database(sys.argv[1])", cache_url], check=True, cwd=tmp,
                           env={**os.environ, "PYTHONPATH": str(ROOT)})
        for tree, name in ((base_tree, "base"), (ROOT, "new")):
            subprocess.run([sys.executable, __file__, "--dump", str(tree), str(work / f"{name}.jsonl"), cache_url],
                           check=True, cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)})
        counts = compare(work / "base.jsonl", work / "new.jsonl")
    print(json.dumps({"base": revision, **counts}, indent=1))
    same = not counts["differing_evaluations"] and not counts["missing"]
    print(f"{'IDENTICAL' if same else 'DIFFERENT'}: {counts['evaluations']:,} evaluations, "
          f"{counts['verdicts']:,} verdicts, {counts['evidence_items']:,} evidence items vs {revision}")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
