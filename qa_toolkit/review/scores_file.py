"""Reading a reviewer's scores from a JSON or YAML file (``qa review submit``, ``qa review resolve --rescore``).

The file looks like::

    scores:            # criterion key -> value (number, scale label, or na)
      greeting: 1
      empathy: 4
      disclosure: na
    comments:          # optional, criterion key -> comment
      empathy: Acknowledged the double charge right away.
    comment: Good call overall.   # optional

Errors name the file, the line and the field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from qa_toolkit import safe_yaml
from qa_toolkit.errors import QAError, located
from qa_toolkit.review.criteria import ReviewCriterion, Scoresheet, validate


def _line_of(path: Path, text: str, section: str, key: str | None) -> int | None:
    """The 1-based line of ``section.key`` (or of ``section``) in the file, when it can be found."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    for key_node, value_node in root.value:
        if key_node.value != section:
            continue
        if key is None or not isinstance(value_node, yaml.MappingNode):
            return key_node.start_mark.line + 1
        for inner_key, _ in value_node.value:
            if inner_key.value == key:
                return inner_key.start_mark.line + 1
        return key_node.start_mark.line + 1
    return None


def load_scores(path: Path, criteria: list[ReviewCriterion], *, required: set[str] | None = None) -> Scoresheet:
    """Read and validate a scores file against the criteria.

    Raises:
        QAError: unreadable file, wrong shape, or a score the criteria reject — with file, line and field.
    """
    if not path.is_file():
        raise QAError(f"{path}: no such scores file")
    text = path.read_text(encoding="utf-8")
    try:
        data: Any = json.loads(text) if path.suffix.lower() == ".json" else safe_yaml.load(text)[1]
    except json.JSONDecodeError as exc:
        raise QAError(f"{path}: line {exc.lineno}: not valid JSON: {exc.msg}") from None
    except safe_yaml.YamlProblem as exc:
        raise QAError(located(path, exc.line, exc.field or "scores", exc.reason)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark else ""
        raise QAError(f"{path}: {where}not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("scores"), dict):
        raise QAError(f"{path}: expected a mapping with a `scores` mapping (criterion: value)")
    for section in ("comments",):
        if data.get(section) is not None and not isinstance(data[section], dict):
            raise QAError(f"{path}: line {_line_of(path, text, section, None)}: `{section}` must be a mapping")
    for section in ("scores", "comments"):
        for key, value in (data.get(section) or {}).items():
            try:
                if section == "scores":
                    validate({key: value}, criteria, required=set())
                else:
                    validate({}, criteria, comments={key: value}, required=set())
            except QAError as exc:
                line = _line_of(path, text, section, str(key))
                raise QAError(located(path, line, f"{section}.{key}", str(exc))) from None
    try:
        return validate(data["scores"], criteria, comments=data.get("comments"),
                        comment=data.get("comment"), required=required)
    except QAError as exc:
        raise QAError(f"{path}: scores: {exc}") from None
