"""Resolved, the agent's "not fixed" block: its threshold chosen leave-one-writer-out on dev.

    python bench/resolved_lowo.py --out bench/results/resolved_unfixed_lowo.json          # dev only

bench/threshold_lowo.py with resolved's block preset (``--label resolved --check resolution --block
unfixed_exemplars --rubric support-chat --off --tie high`` and its grid); any of its options may be given after them.
The exemplars were written by kind, not from dev sentences, so there is nothing to take out of the block per writer.
Run on dev only, never on a test split.
"""

from __future__ import annotations

import sys

from threshold_lowo import main

PRESET = ("--label", "resolved", "--check", "resolution", "--block", "unfixed_exemplars", "--rubric", "support-chat",
          "--grid", "0.5", "0.55", "0.6", "0.65", "0.7", "0.75", "--off", "--tie", "high")

if __name__ == "__main__":
    raise SystemExit(main([*PRESET, *sys.argv[1:]]))
