"""Limits that keep an import's memory and time bounded whatever the input holds.

A record past a limit is rejected with ``file:line: field: reason`` (the rest of the file is imported);
input past the decompressed-size limit ends that file there. Defaults suit real chat exports; each is
a ``qa import chats`` option.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from qa_toolkit.errors import QAError

MIB = 1 << 20
GIB = 1 << 30


@dataclass(frozen=True, slots=True)
class Limits:
    """How large and deep input may be.

    Attributes:
        max_depth: nesting of a record's objects and lists (JSON).
        max_record_bytes: a JSON Lines line, a record of a JSON document, a CSV line or field.
        max_turns: turns (messages) of one conversation.
        max_values: JSON values (objects, lists, strings, numbers, booleans, nulls) in one record: what parsing it
            builds, so what it costs in memory (up to about 350 bytes a value while it is parsed, redacted and stored).
        max_decompressed_bytes: what a ``.gz`` input may expand to; ``None``: :data:`GZIP_RATIO` times its
            compressed size read so far, and at least :data:`GZIP_FLOOR` (a gzip bomb expands about 1,000 times,
            chat exports 5 to 20 times).
    """

    max_depth: int = 100
    max_record_bytes: int = 16 * MIB
    max_turns: int = 50_000
    max_values: int = 1_000_000
    max_decompressed_bytes: int | None = None


GZIP_RATIO = 100
GZIP_FLOOR = 1 * GIB
DEFAULT = Limits()


_UNITS = {"": 1, "K": 1 << 10, "M": MIB, "G": GIB}


def parse_size(text: str, option: str) -> int:
    """Bytes from ``16M``, ``16MiB``, ``1G``, ``4096`` (binary units).

    Raises:
        QAError: not a size.
    """
    value = text.strip().upper().removesuffix("B").removesuffix("I")
    unit = value[-1:] if value[-1:] in ("K", "M", "G") else ""
    number = value.removesuffix(unit).strip()
    if not number.isdigit() or int(number) < 1:
        raise QAError(f"{option} {text}: not a size in bytes (such as 4096, 64K, 16M or 1G)")
    return int(number) * _UNITS[unit]


def size(value: int) -> str:
    """Bytes for messages: ``16 MiB``, ``1 GiB``, ``4,096 bytes``."""
    for unit, name in ((GIB, "GiB"), (MIB, "MiB"), (1 << 10, "KiB")):
        if value >= unit and value % unit == 0:
            return f"{value // unit:,} {name}"
    return f"{value:,} bytes"


def depth_over(value: object, limit: int) -> bool:
    """True when lists and dicts nest deeper than ``limit`` in ``value`` (walked without recursion, holding one
    iterator per open level)."""
    stack: list[Iterator[object]] = [iter((value,))]
    while stack:
        for item in stack[-1]:
            if isinstance(item, (dict, list)):
                if len(stack) > limit:
                    return True
                stack.append(iter(item.values() if isinstance(item, dict) else item))
                break
        else:
            stack.pop()
    return False
