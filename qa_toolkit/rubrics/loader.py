"""Reading rubric files: YAML (or JSON) with errors that name file, line and field, and a content hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from qa_toolkit import safe_yaml
from qa_toolkit.errors import QAError, located
from qa_toolkit.rubrics.model import Category, Criterion, Rubric, Scale, suggest

LIBRARY = Path(__file__).parent / "library"


class RubricError(QAError):
    """A rubric file is invalid; the message lists every problem as ``file:line: field: reason``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class LoadedRubric:
    """A validated rubric, its source text and the hash that identifies its content."""

    rubric: Rubric
    source: str
    content_hash: str
    path: Path | None = None

    @property
    def body(self) -> dict[str, Any]:
        """The rubric as plain JSON-ready data (what is stored)."""
        return body_of(self.rubric)


def body_of(rubric: Rubric) -> dict[str, Any]:
    """The rubric as plain JSON-ready data."""
    return rubric.model_dump(mode="json")


def content_hash(rubric: Rubric) -> str:
    """SHA-256 of the rubric's canonical JSON: comments and formatting do not change it."""
    canonical = json.dumps(body_of(rubric), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _lines(node: yaml.Node, path: tuple[Any, ...], out: dict[tuple[Any, ...], tuple[int, int]]) -> None:
    """Map each path to (line of its key, line of its value), 1-based."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            sub = (*path, key.value)
            out[sub] = (key.start_mark.line + 1, value.start_mark.line + 1)
            _lines(value, sub, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            out[(*path, i)] = (item.start_mark.line + 1, item.start_mark.line + 1)
            _lines(item, (*path, i), out)


def _field(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "rubric"


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    shapes: list[tuple[tuple[Any, ...], type[BaseModel]]] = [
        (("categories", int, "criteria", int, "scale"), Scale),
        (("categories", int, "criteria", int), Criterion),
        (("categories", int), Category),
        ((), Rubric),
    ]
    for shape, model in shapes:
        if len(shape) == len(loc) and all(s is int and isinstance(p, int) or s == p for s, p in zip(shape, loc)):
            return model
    return None


def _problem(name: str, lines: dict[tuple[Any, ...], tuple[int, int]], loc: tuple[Any, ...], message: str,
             *, key_line: bool = False) -> str:
    probe = loc
    while probe and probe not in lines:
        probe = probe[:-1]
    line = (lines[probe][0] if key_line else lines[probe][1]) if probe else 1
    return located(name, line, _field(loc), message)


def _pydantic_problems(name: str, exc: ValidationError, lines: dict[tuple[Any, ...], tuple[int, int]],
                       prefix: tuple[Any, ...] = (), fields: list[str] | None = None) -> list[str]:
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and p.startswith(("function-", "literal["))))
        loc = (*prefix, *loc)
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            model = _model_at(loc[:-1])
            choices = fields if fields is not None else list(model.model_fields) if model else []
            message = f"unknown field{suggest(str(loc[-1]), choices)}"
            problems.append(_problem(name, lines, loc, message, key_line=True))
            continue
        if error["type"] == "missing":
            message = "missing required field"
        elif error["type"] == "literal_error":
            value = str(error.get("input"))
            expected = [e.strip(" '") for e in error["ctx"]["expected"].replace(" or ", ",").split(",")]
            message = f"{value!r} is not one of {', '.join(expected)}{suggest(value, expected)}"
        problems.append(_problem(name, lines, loc, message))
    return problems


def _check_params(name: str, rubric: Rubric, lines: dict[tuple[Any, ...], tuple[int, int]]) -> list[str]:
    from qa_toolkit.scoring.checks import get_check

    problems: list[str] = []
    for i, category in enumerate(rubric.categories):
        for j, criterion in enumerate(category.criteria):
            if criterion.check is None:
                if criterion.params:
                    problems.append(_problem(name, lines, ("categories", i, "criteria", j, "params"),
                                             "params given but no check"))
                continue
            model = get_check(criterion.check).params
            where = ("categories", i, "criteria", j, "params")
            try:
                model.model_validate(criterion.params)
            except ValidationError as exc:
                problems += [f"{problem} (criterion {criterion.key})" for problem in _pydantic_problems(
                    name, exc, lines, where, fields=list(model.model_fields))]
                continue
            if criterion.check == "llm_judge":
                problems += _llm_problems(name, criterion, lines, (*where[:-1], "check"), where)
    return problems


def _llm_problems(name: str, criterion: Criterion, lines: dict[tuple[Any, ...], tuple[int, int]],
                  check_at: tuple[Any, ...], params_at: tuple[Any, ...]) -> list[str]:
    """An LLM judge needs an endpoint, and its fallback must be another known check with valid params."""
    from qa_toolkit.config import Settings
    from qa_toolkit.scoring.checks import check_names, get_check

    problems = []
    if not Settings().llm_base_url:
        problems.append(_problem(name, lines, check_at, "the llm_judge check needs an OpenAI-compatible endpoint: "
                                 f"set QA_LLM_BASE_URL and QA_LLM_MODEL (criterion {criterion.key})"))
    fallback = criterion.params.get("fallback")
    if fallback is None:
        return problems
    names = [n for n in check_names() if n != "llm_judge"]
    if fallback not in names:
        problems.append(_problem(name, lines, (*params_at, "fallback"), f"unknown check {fallback!r}"
                                 f"{suggest(str(fallback), names)} (criterion {criterion.key})"))
        return problems
    model = get_check(fallback).params
    try:
        model.model_validate(criterion.params.get("fallback_params") or {})
    except ValidationError as exc:
        problems += [f"{problem} (criterion {criterion.key})" for problem in _pydantic_problems(
            name, exc, lines, (*params_at, "fallback_params"), fields=list(model.model_fields))]
    return problems


def _inline_facts(data: Any, base: Path | None) -> None:
    """Replace ``params.facts_file`` (relative to the rubric file) by the facts it holds."""
    if not isinstance(data, dict):
        return
    for category in data.get("categories") or []:
        for criterion in (category or {}).get("criteria") or [] if isinstance(category, dict) else []:
            params = criterion.get("params") if isinstance(criterion, dict) else None
            if isinstance(params, dict) and "facts_file" in params:
                path = Path(params.pop("facts_file"))
                path = path if path.is_absolute() or base is None else base / path
                try:
                    _, facts = safe_yaml.load(path.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                    raise RubricError([f"{path}: cannot read facts file: {exc}"]) from None
                except safe_yaml.YamlProblem as exc:
                    raise RubricError([located(path, exc.line, exc.field or "facts", exc.reason)]) from None
                params["facts"] = [*(params.get("facts") or []), *(facts.get("facts", facts) if isinstance(facts, dict) else facts or [])]


def parse_rubric(source: str, name: str = "<rubric>", base: Path | None = None) -> LoadedRubric:
    """Validate rubric text (YAML or JSON).

    Raises:
        RubricError: every problem, each as ``file:line: field: reason`` with did-you-mean hints.
    """
    try:
        node, data = safe_yaml.load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise RubricError([f"{name}:{line}: not valid YAML: {getattr(exc, 'problem', exc)}"]) from None
    except safe_yaml.YamlProblem as exc:
        raise RubricError([located(name, exc.line, exc.field or "rubric", exc.reason)]) from None
    if node is None:
        raise RubricError([f"{name}:1: the file is empty"])
    lines: dict[tuple[Any, ...], tuple[int, int]] = {}
    _lines(node, (), lines)
    if not isinstance(data, dict):
        raise RubricError([f"{name}:1: a rubric is a mapping with name, channels and categories"])
    _inline_facts(data, base)
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        raise RubricError(_pydantic_problems(name, exc, lines)) from None
    problems = _check_params(name, rubric, lines)
    if problems:
        raise RubricError(problems)
    return LoadedRubric(rubric, source, content_hash(rubric))


def load_rubric(path: str | Path) -> LoadedRubric:
    """Read and validate a rubric file.

    Raises:
        RubricError: the file is missing or invalid (file, line, field and a hint in the message).
    """
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RubricError([f"{path}: no such file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RubricError([f"{path}: cannot read: {exc}"]) from None
    loaded = parse_rubric(source, str(path), path.parent)
    return LoadedRubric(loaded.rubric, source, loaded.content_hash, path)


def library() -> dict[str, Path]:
    """The rubrics shipped with qa-toolkit, by name."""
    return {p.stem: p for p in sorted(LIBRARY.glob("*.yaml"))}
