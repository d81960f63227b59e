"""constraints.txt pins every package of the test and demo environments, and the Makefile installs with it
(a fresh clone resolves the versions the tests passed with: tools/freeze_constraints.py)."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from freeze_constraints import canonical, freeze, pins  # noqa: E402

CONSTRAINTS = ROOT / "constraints.txt"


def _pinned() -> dict[str, str]:
    lines = [ln for ln in CONSTRAINTS.read_text().splitlines() if ln and not ln.startswith("#")]
    return dict(ln.split("==", 1) for ln in lines)


def test_pins_are_name_equals_version_sorted_without_the_project_or_local_labels() -> None:
    freeze_output = ("Torch==2.13.0+cpu\n-e /work/qa-toolkit\nqa_toolkit==0.1.0\nNumPy==2.2.6\n"
                     "ruamel.yaml.clib==0.2.12\n# Editable install with no version control (qa-toolkit==0.1.0)\n")
    assert pins(freeze_output) == ["numpy==2.2.6", "ruamel-yaml-clib==0.2.12", "torch==2.13.0"]
    with pytest.raises(ValueError, match="cannot pin 'foo @ file:///tmp/foo.whl'"):
        pins("foo @ file:///tmp/foo.whl\n")


def test_every_requirement_of_every_extra_is_pinned_within_its_range() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = _pinned()
    requirements = [Requirement(r) for r in project["dependencies"]]
    requirements += [Requirement(r) for extra in project["optional-dependencies"].values() for r in extra]
    assert len(requirements) > 40
    for requirement in requirements:
        name = canonical(requirement.name)
        assert name in pinned, f"{name} is not in constraints.txt: refresh it (make constraints)"
        assert requirement.specifier.contains(pinned[name], prereleases=True), (name, pinned[name])
    assert pinned["torch"] == "2.13.0" and "qa-toolkit" not in pinned and pinned["pip"]


def test_the_makefile_installs_every_package_with_the_constraints() -> None:
    makefile = (ROOT / "Makefile").read_text()
    installs = [ln.strip() for ln in makefile.splitlines() if re.search(r"\$\(PIP\) install", ln)]
    assert len(installs) == 7
    assert all("$(PIN)" in ln for ln in installs), [ln for ln in installs if "$(PIN)" not in ln]
    assert "CONSTRAINTS ?= constraints.txt" in makefile and "PIN := $(if $(CONSTRAINTS),-c $(CONSTRAINTS))" in makefile
    assert re.search(r"^\$\(VENV\)/\.installed-test: pyproject\.toml \$\(CONSTRAINTS\)", makefile, re.M)


def test_this_environment_is_the_pinned_one() -> None:
    """What the tests run in is what constraints.txt says, package for package (a venv built by `make test`)."""
    if not Path(sys.prefix, "pyvenv.cfg").is_file():
        pytest.skip("not in a virtual environment: nothing says this one was installed with constraints.txt")
    installed = dict(line.split("==", 1) for line in pins(freeze()))
    pinned = _pinned()
    assert {n: v for n, v in installed.items() if pinned.get(n) != v} == {}, \
        "installed, not as pinned (stale .venv: make test reinstalls; a new dependency: make constraints)"
    assert sorted(set(pinned) - set(installed)) == []
