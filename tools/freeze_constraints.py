"""Write ``constraints.txt``: every package version of an environment, so that a fresh clone installs the same ones.

    make constraints                                   # freezes .venv into constraints.txt
    python tools/freeze_constraints.py --out FILE      # this interpreter's environment

``pip freeze --all`` of the running Python, without qa-toolkit itself (installed editable) and with torch's local
build label dropped (``torch==2.13.0+cpu`` -> ``torch==2.13.0``, which the Makefile's CPU install satisfies, as its
own ``torch==2.13.0`` pin does). The Makefile passes the file to every ``pip install`` (``-c``): pip then resolves
nothing afresh, so ctranslate2, onnxruntime, numpy or PyAV cannot move under the transcripts between machines.
Refresh it from an environment resolved without it (README, Tests): ``make clean && make test CONSTRAINTS=`` then
``make constraints``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OWN = "qa-toolkit"
HEADER = """\
# Every package version of the test and demo environments (make test / make demo install with -c constraints.txt),
# frozen from a .venv that passed the tests. Refresh: make clean && make test CONSTRAINTS= && make constraints
# (tools/freeze_constraints.py). Generated: do not edit by hand.
"""
_LINE = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;#]+)$")


def canonical(name: str) -> str:
    """A distribution name as pip compares them (PEP 503): lower case, runs of ``-_.`` as one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(freeze: str) -> list[str]:
    """``name==version`` lines of ``pip freeze`` output, sorted by name, without qa-toolkit and local labels.

    Raises:
        ValueError: a line that pins nothing (a direct URL or VCS install, which a constraints file cannot hold).
    """
    out: dict[str, str] = {}
    for line in freeze.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("-e "):
            continue
        match = _LINE.match(line)
        if match is None:
            raise ValueError(f"pip freeze: cannot pin {line!r} (not name==version)")
        name = canonical(match["name"])
        if name != OWN:
            out[name] = f"{name}=={match['version'].split('+', 1)[0]}"
    return [out[name] for name in sorted(out)]


def freeze(python: str = sys.executable) -> str:
    """``pip freeze --all --exclude-editable`` of ``python``'s environment."""
    run = subprocess.run([python, "-m", "pip", "--disable-pip-version-check", "freeze", "--all",
                          "--exclude-editable"], capture_output=True, text=True, check=True)
    return run.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=sys.executable, help="the environment's interpreter (default: this one)")
    parser.add_argument("--out", type=Path, default=ROOT / "constraints.txt")
    args = parser.parse_args()
    lines = pins(freeze(args.python))
    args.out.write_text(HEADER + "".join(f"{line}\n" for line in lines))
    print(f"{args.out}: {len(lines)} packages pinned")


if __name__ == "__main__":
    main()
