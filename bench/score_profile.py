"""Profile summary: where a scoring run's CPU goes, from a cProfile dump, as figures only (no text, no PII).

    .venv/bin/python bench/score_profile.py run.prof --interactions 700            # prints the summary
    .venv/bin/python bench/score_profile.py run.prof --interactions 700 --out bench/results/NAME.json

The dump is any ``cProfile.Profile(time.process_time)`` of a scoring run saved with ``dump_stats`` (for example
``ScoringPlan.evaluate_many`` on a batch of stored views, or ``scoring.score_auto``). Written: the cumulative CPU
seconds of the phases (the batch's semantic tables, the checks, the phrase searches, the needed-word index, the
block look-ups, the tone cues, VADER, regex and SQL statement compiles, loading and storing when profiled), their
shares of the outermost one found, each check's own cumulative time, the calls of each, and the top functions by
own time as file:function names. cProfile inflates small Python calls: read shares, not absolute times.
"""

from __future__ import annotations

import argparse
import json
import pstats
from pathlib import Path
from typing import Any

# phases and parts: (label, file:function) whose cumulative profiled time is reported; the first found is the whole
PARTS = (
    ("score_auto", "scoring.py:score_auto"),
    ("evaluate_many", "engine.py:evaluate_many"),
    ("load_views", "scoring.py:load_views"),
    ("semantic_prefetch", "semantic.py:prefetch"),
    ("checks_decide", "engine.py:decide"),
    ("store_verdicts", "scoring.py:_store"),
    ("verdict_cache_save", "verdict_cache.py:_save"),
    ("text_first", "text.py:first"),
    ("text_find", "text.py:find"),
    ("needed_words_present", "literals.py:present"),
    ("semantic_match", "semantic.py:match"),
    ("semantic_matches", "semantic.py:matches"),
    ("tone_fired", "tone.py:fired"),
    ("vader_sentiment", "empathy.py:sentiment"),
    ("regex_compile", "__init__.py:_compile"),
    ("sqlalchemy_compile", "elements.py:_compiler"),
)
CHECKS = ("phrases.py:greeting", "phrases.py:closing", "phrases.py:prohibited_language", "timing.py:hold_etiquette",
          "empathy.py:empathy", "empathy.py:customer_sentiment", "accuracy.py:accuracy", "resolution.py:resolution",
          "resolution.py:escalation", "resolution.py:fcr", "timing.py:response_time",
          "ordering.py:identity_before_account", "compliance.py:pii_exposure")


def summarise(path: Path, interactions: int, top: int = 15) -> dict[str, Any]:
    """The figures of the cProfile dump at ``path`` (a run over ``interactions`` interactions)."""
    by_name: dict[str, list[float]] = {}
    for (file, _, function), (_, calls, own, cumulative, _) in pstats.Stats(str(path)).stats.items():  # type: ignore[attr-defined]
        name = f"{Path(file).name}:{function}" if "/" in file else f"{file}:{function}"
        found = by_name.setdefault(name, [0, 0.0, 0.0])
        found[0] += calls
        found[1] += own
        found[2] = max(found[2], cumulative)  # a name in two files (e.g. "present"): the larger
    parts = {label: round(by_name[name][2], 2) for label, name in PARTS if name in by_name}
    whole = next(iter(parts.values()), 0.0)
    return {"interactions": interactions, "profiled_cpu_s": whole,
            "profiled_ms_per_interaction": round(1000 * whole / interactions, 2) if interactions else None,
            "cumulative_s": parts,
            "shares": {label: round(value / whole, 3) for label, value in parts.items()} if whole else {},
            "checks_cumulative_s": {name.split(":")[1]: round(by_name[name][2], 2) for name in CHECKS
                                    if name in by_name},
            "calls": {label: int(by_name[name][0]) for label, name in PARTS if name in by_name},
            "top_own_time": [{"function": name, "own_s": round(value[1], 2), "calls": int(value[0])}
                             for name, value in sorted(by_name.items(), key=lambda item: -item[1][1])[:top]]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dump", type=Path, help="a cProfile dump (dump_stats) of a scoring run")
    parser.add_argument("--interactions", type=int, required=True, help="how many interactions the run scored")
    parser.add_argument("--out", type=Path, help="write the summary here as JSON (else print it)")
    args = parser.parse_args()
    summary = summarise(args.dump, args.interactions)
    text = json.dumps(summary, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
