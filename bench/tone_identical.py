"""Check: the tone cues (``tone.fired``, regex by regex where a sentence holds the needed words) are exactly those
each cue's whole pattern (all its regexes in one alternation, as before) finds, on every sentence and whole turn of
the sets ``bench/score_identical.py`` scores (labelled chats dev, test..test4, the team's and the sample chats, the
labelled calls' scripted text dev and test) and, with ``--db``, of every interaction stored there (redacted text).

    .venv/bin/python bench/tone_identical.py [--db PATH.db]

The verdicts read the cues only through ``tone.fired``, so no differing sentence means no differing verdict from this
change. Counts only (a test split's sentences are never printed); exit status 1 when any differs.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "data" / "labelled"
CHATS = ("chats_dev.jsonl", "chats_test.jsonl", "chats_test2.jsonl", "chats_test3.jsonl", "chats_test4.jsonl",
         "team/kestrel.jsonl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="also every stored interaction of this SQLite file")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from calls_checks import scripted_items

    from qa_toolkit.scoring import semantic, tone
    from qa_toolkit.scoring.text import normalize

    whole = {name: re.compile("|".join(f"(?:{r})" for r in regexes)) for name, regexes in tone.CUES.items()}

    def before(sentence: str) -> tuple[str, ...]:
        said = normalize(sentence).strip()
        return tuple(name for name in tone.NAMES if whole[name].search(said))

    sets: dict[str, list[str]] = {}
    for path in [LABELLED / name for name in CHATS] + [ROOT / "samples" / "chats" / "chats.jsonl"]:
        sets[str(path.relative_to(ROOT))] = [turn["text"] for line in path.read_text(encoding="utf-8").splitlines()
                                             if line.strip() for turn in json.loads(line)["turns"]]
    for split in ("dev", "test"):
        sets[f"calls/{split}"] = [turn.text for view, _ in scripted_items(split) for turn in view.turns]
    if args.db:
        from sqlalchemy import select

        from qa_toolkit.services.scoring import load_views
        from qa_toolkit.storage.database import open_database
        from qa_toolkit.storage.models import Interaction

        database = open_database(f"sqlite:///{args.db}")
        with database.session() as session:
            views = load_views(session, list(session.scalars(select(Interaction.id))))
        sets[args.db] = [turn.text for view in views.values() for turn in view.turns]
    differ = 0
    for name, texts in sets.items():
        said = {text[s:e] for text in texts for s, e in semantic.sentences(text)} | set(texts)
        found = sum(before(sentence) != tone.fired(sentence) for sentence in said)
        differ += found
        print(f"{name}: {len(said):,} sentences and turns, {found} differ")
    print("IDENTICAL" if not differ else f"DIFFERENT: {differ}")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
