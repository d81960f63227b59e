"""Command groups whose issue has not landed yet: they say so and exit 1."""

from __future__ import annotations

import typer

from qa_toolkit.errors import QAError


def placeholder(name: str, summary: str) -> typer.Typer:
    """A command group that only explains it is not available yet."""
    group = typer.Typer(help=f"{summary} (not yet available)", invoke_without_command=True)

    @group.callback()
    def _not_yet() -> None:
        raise QAError(f"`qa {name}` is not yet available in this version of qa-toolkit")

    return group
