"""YAML for files people write (rubrics, facts): plain values only, and bounded however the file is crafted.

PyYAML's ``safe_load`` already refuses ``!!python/object`` tags, but with a traceback-shaped error, and it
lets aliases repeat their anchor's content without bound (a 400-byte "billion laughs" file expands to
billions of values once validated). :func:`load` composes the document, checks every node (tags, how
many values it expands to, recursive aliases, nesting) and only then builds the Python values; each
problem is a :class:`YamlProblem` with the line and field at fault.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

MAX_VALUES = 100_000
PLAIN_TAGS = frozenset(tag for tag in yaml.SafeLoader.yaml_constructors if tag is not None) | {"tag:yaml.org,2002:merge"}


class YamlProblem(Exception):
    """Why a YAML document was refused: ``line`` (1-based), ``field`` (a dotted path, or empty) and ``reason``."""

    def __init__(self, line: int, field: str, reason: str) -> None:
        super().__init__(f"{line}: {field}: {reason}")
        self.line = line
        self.field = field
        self.reason = reason


def load(text: str, max_values: int = MAX_VALUES) -> tuple[yaml.Node | None, Any]:
    """The composed node tree and the Python values of a one-document YAML ``text``.

    Raises:
        yaml.YAMLError: not valid YAML.
        YamlProblem: a tag other than YAML's plain ones, more than ``max_values`` values once aliases are
            expanded, an alias inside its own anchor, or nesting too deep to read.
    """
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise YamlProblem(loader.line + 1, "", "nested too deeply") from None
        if node is None:
            return None, None
        _check(node, max_values)
        return node, loader.construct_document(node)
    finally:
        loader.dispose()


def _children(node: yaml.Node, path: str) -> Iterator[tuple[yaml.Node, str]]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else "?"
            yield key, path
            yield value, f"{path}.{name}" if path else str(name)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            yield item, f"{path}[{i}]"


def _check(root: yaml.Node, max_values: int) -> None:
    """Walk each node once (post-order, without recursion), counting the values it expands to."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, str, bool]] = [(root, "", False)]
    while stack:
        node, path, done = stack.pop()
        key = id(node)
        line = node.start_mark.line + 1
        if done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child, _ in _children(node, path))
            if sizes[key] > max_values:
                raise YamlProblem(line, path, f"expands to more than {max_values:,} values: aliases (*name) repeat "
                                              "their anchor's content, here too many times")
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise YamlProblem(line, path, "an alias inside the value it refers to (recursive alias)")
        if node.tag not in PLAIN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            raise YamlProblem(line, path, f"tag {tag} is not allowed: plain YAML values only "
                                          "(strings, numbers, booleans, lists, mappings)")
        open_nodes.add(key)
        stack.append((node, path, True))
        stack.extend(reversed([(child, child_path, False) for child, child_path in _children(node, path)]))
