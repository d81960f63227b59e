"""Rubric files: the shipped ones validate; every kind of invalid file gets its exact error."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qa_toolkit import safe_yaml
from qa_toolkit.rubrics import RubricError, library, load_rubric, parse_rubric
from qa_toolkit.rubrics.loader import content_hash

VALID = """\
name: mini
channels: [chat]
categories:
  - key: empathy
    weight: 2
    criteria:
      - key: greeting
        question: Did the agent greet?
        check: greeting
      - key: tone
        question: Tone?
        scale: 1-5
        allow_na: true
  - key: compliance
    criteria:
      - key: id_check
        question: Identity verified?
        check: identity_before_account
        critical: true
        allow_na: true
      - key: plan
        question: Payment plan?
        scale:
          points: {0: none, 1: offered, 2: agreed}
        mode: manual
"""


def test_shipped_rubrics_validate() -> None:
    shipped = library()
    assert set(shipped) == {"support-call", "support-chat", "collections-compliance"}
    for path in shipped.values():
        loaded = load_rubric(path)
        assert loaded.rubric.name == path.stem
        assert all(crit.question for _, crit in loaded.rubric.criteria())
    collections = load_rubric(shipped["collections-compliance"]).rubric
    assert collections.queues == ["collections"] and collections.applies_to("call", "collections")
    assert not collections.applies_to("call", "billing")


def test_valid_rubric_defaults_and_scales() -> None:
    rubric = parse_rubric(VALID, "mini.yaml").rubric
    tone = rubric.criterion("tone")[1]
    assert (tone.scale.min, tone.scale.max, tone.mode) == (1, 5, "manual")
    greeting = rubric.criterion("greeting")[1]
    assert (greeting.scale.describe(), greeting.mode, greeting.critical) == ("binary", "auto", "none")
    assert rubric.criterion("id_check")[1].critical == "fail_all"
    plan = rubric.criterion("plan")[1]
    assert plan.scale.labels == {0: "none", 1: "offered", 2: "agreed"} and plan.scale.allows(1)
    assert not plan.scale.allows(1.5)


def test_content_hash_ignores_comments_and_layout() -> None:
    a = parse_rubric(VALID)
    b = parse_rubric("# a comment\n" + VALID.replace("channels: [chat]", "channels:\n  - chat"))
    c = parse_rubric(VALID.replace("weight: 2", "weight: 3"))
    assert a.content_hash == b.content_hash == content_hash(a.rubric)
    assert c.content_hash != a.content_hash


@pytest.mark.parametrize(("edit", "error"), [
    (("check: greeting", "check: greting"),
     "mini.yaml:9: categories[0].criteria[0].check: unknown check 'greting' (did you mean 'greeting'?)"),
    (("check: greeting", "check: emphaty"),
     "mini.yaml:9: categories[0].criteria[0].check: unknown check 'emphaty' (did you mean 'empathy'?)"),
    (("critical: true", "critcal: true"),
     "mini.yaml:19: categories[1].criteria[0].critcal: unknown field (did you mean 'critical'?)"),
    (("  - key: empathy\n    weight: 2", "  - key: empathy\n    wieght: 2"),
     "mini.yaml:5: categories[0].wieght: unknown field (did you mean 'weight'?)"),
    (("channels: [chat]", "channels: [chat, sms]"), "mini.yaml:2: channels[1]: 'sms' is not one of call, chat, email"),
    (("scale: 1-5", "scale: 1-4"), "mini.yaml:12: categories[0].criteria[1].scale: unknown scale '1-4' "
                                   "(did you mean '1-5'?)"),
    (("weight: 2", "weight: -1"), "mini.yaml:5: categories[0].weight: Input should be greater than or equal to 0"),
    (("        question: Tone?\n", ""), "mini.yaml:10: categories[0].criteria[1].question: missing required field"),
    (("mode: manual", "mode: automatic"),
     "mini.yaml:25: categories[1].criteria[1].mode: 'automatic' is not one of auto, manual, auto_then_review "
     "(did you mean 'auto'?)"),
    (("mode: manual", "mode: auto"), "mini.yaml:21: categories[1].criteria[1]: mode auto needs a `check`"),
    (("key: tone", "key: greeting"), "mini.yaml:1: rubric: criterion key 'greeting' is used twice"),
    (("check: greeting", "check: greeting\n        params: {first_turn: 3}"),
     "mini.yaml:10: categories[0].criteria[0].params.first_turn: unknown field (did you mean 'first_turns'?)"),
    (("check: greeting", "check: greeting\n        params: {first_turns: many}"),
     "mini.yaml:10: categories[0].criteria[0].params.first_turns: Input should be a valid integer"),
    (("key: tone", "key: Tone Of Voice"), "mini.yaml:10: categories[0].criteria[1].key: String should match pattern"),
    (("name: mini", "name: mini\nextra: 1"), "mini.yaml:2: extra: unknown field"),
])
def test_invalid_rubric_errors_point_to_line_and_field(edit: tuple[str, str], error: str) -> None:
    source = VALID.replace(*edit, 1)
    assert source != VALID
    with pytest.raises(RubricError) as info:
        parse_rubric(source, "mini.yaml")
    assert any(problem.startswith(error) for problem in info.value.problems), info.value.problems


def test_every_problem_is_reported_at_once() -> None:
    source = VALID.replace("check: greeting", "check: greting").replace("critical: true", "critcal: true")
    with pytest.raises(RubricError) as info:
        parse_rubric(source, "mini.yaml")
    assert len(info.value.problems) == 2


@pytest.mark.parametrize(("source", "error"), [
    ("", "x.yaml:1: the file is empty"),
    ("name: [unclosed", "x.yaml:1: not valid YAML"),
    ("- just\n- a list\n", "x.yaml:1: a rubric is a mapping"),
])
def test_not_a_rubric_at_all(source: str, error: str) -> None:
    with pytest.raises(RubricError, match="^" + error.replace("[", r"\[")):
        parse_rubric(source, "x.yaml")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RubricError, match="nope.yaml: no such file"):
        load_rubric(tmp_path / "nope.yaml")


def test_facts_file_is_read_relative_to_the_rubric_and_inlined(tmp_path: Path) -> None:
    (tmp_path / "facts.yaml").write_text(
        "facts:\n  - {name: refund window, about: [refund], claim: '(\\d+) days', expected: [30]}\n")
    (tmp_path / "r.yaml").write_text(VALID.replace(
        "check: greeting", "check: accuracy\n        params: {facts_file: facts.yaml}"))
    loaded = load_rubric(tmp_path / "r.yaml")
    facts = loaded.rubric.criterion("greeting")[1].params["facts"]
    assert facts[0]["expected"] == [30]
    (tmp_path / "r2.yaml").write_text(VALID.replace(
        "check: greeting", "check: accuracy\n        params: {facts_file: missing.yaml}"))
    with pytest.raises(RubricError, match="missing.yaml: cannot read facts file"):
        load_rubric(tmp_path / "r2.yaml")


def test_fact_without_a_capturing_group_is_rejected() -> None:
    source = VALID.replace("check: greeting", "check: accuracy\n        params:\n          facts:\n"
                           "            - {name: x, about: [refund], claim: 'days', expected: [1]}")
    with pytest.raises(RubricError, match=r"params.facts\[0\].claim: the regex 'days' needs a group"):
        parse_rubric(source, "mini.yaml")


# ---------------------------------------------------------------- hostile YAML (issue 20, item 10)

BOMB = """name: bomb
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def _validate_capped(path: Path) -> subprocess.CompletedProcess[str]:
    """`qa rubric validate PATH` in a subprocess capped at 600 MiB of address space (the bomb needs over 4 GB)."""
    qa_bin = shutil.which("qa", path=str(Path(sys.executable).parent)) or "qa"
    limit = 600 << 20
    return subprocess.run([qa_bin, "rubric", "validate", str(path)], capture_output=True, text=True, timeout=120,
                          preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)), check=False)


def test_a_yaml_alias_bomb_is_refused_with_file_line_field_reason(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    assert len(BOMB) < 400
    done = _validate_capped(path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert f"{path}:7: f: expands to more than 100,000 values" in " ".join(done.stderr.split())


def test_python_tags_and_recursive_aliases_are_refused(tmp_path: Path) -> None:
    source = library()["support-chat"].read_text(encoding="utf-8")
    tagged = source.replace("name: support-chat", "name: !!python/object/apply:os.system [echo owned]", 1)
    assert tagged != source
    with pytest.raises(RubricError) as caught:
        parse_rubric(tagged, "tagged.yaml")
    line = tagged.splitlines().index("name: !!python/object/apply:os.system [echo owned]") + 1
    assert caught.value.problems == [f"tagged.yaml:{line}: name: tag !!python/object/apply:os.system is not allowed: "
                                     "plain YAML values only (strings, numbers, booleans, lists, mappings)"]
    with pytest.raises(RubricError, match=r"loop.yaml:1: a\[1\]: an alias inside the value it refers to"):
        parse_rubric("a: &x [1, *x]\n", "loop.yaml")
    with pytest.raises(RubricError, match=r"deep.yaml:1: rubric: nested too deeply"):
        parse_rubric("[" * 100_000, "deep.yaml")
    # anchors, aliases and merge keys used as intended still work
    assert safe_yaml.load("base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\nd: *b\n")[1] == {
        "base": {"x": 1}, "c": {"x": 1, "y": 2}, "d": {"x": 1}}
