"""CSV that spreadsheets open safely: every CSV the toolkit exports is written through here.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by
Excel, LibreOffice and Google Sheets as a formula (CSV injection). As OWASP's guidance says, such a
cell is prefixed with a single quote, and the csv module quotes every cell that holds the separator
or a double quote. Numbers (int, float, Decimal) are written as they are: ``-3.5`` stays a number.

The import rejects file is not an export: it is meant to be re-imported as it was, so it is
written with the plain csv module.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The cell as a spreadsheet should read it: text that would start a formula gets a leading ``'``."""
    if value is None or isinstance(value, (bool, int, float, Decimal)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class Writer:
    """A :func:`csv.writer` whose rows pass through :func:`safe_cell`."""

    def __init__(self, stream: IO[str], **options: Any) -> None:
        options.setdefault("lineterminator", "\n")
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row."""
        self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write many rows."""
        for row in rows:
            self.writerow(row)


def write_dicts(stream: IO[str], rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> None:
    """A header line, then one line per row (missing keys and None as empty cells)."""
    writer = Writer(stream)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])
