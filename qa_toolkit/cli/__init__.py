"""The ``qa`` command: a thin shell over :mod:`qa_toolkit.services`.

Exit codes: 0 ok, 1 user error (one line on stderr), 2 usage error, 3 partial success
(some records rejected). ``--verbose`` shows tracebacks.
"""

from __future__ import annotations

import traceback
from typing import Any

import typer
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from typer.core import TyperGroup

from qa_toolkit.errors import EXIT_USER_ERROR, QAError
from qa_toolkit.cli.common import err_console


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "input"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


class QAGroup(TyperGroup):
    """The top-level group: turns user errors into one line on stderr and a documented exit code."""

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except QAError as exc:
            self._fail(ctx, str(exc), exc.exit_code)
        except ValidationError as exc:
            self._fail(ctx, _validation_message(exc), EXIT_USER_ERROR)
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            if reason == "database is locked":  # SQLite's 30 s busy timeout ran out
                reason += (": another qa command kept writing to it for over 30 s; what this one "
                           "stored stays: run it again when the other one ends")
            self._fail(ctx, f"database error: {reason}", EXIT_USER_ERROR)

    @staticmethod
    def _fail(ctx: typer.Context, message: str, code: int) -> None:
        if (ctx.obj or {}).get("verbose"):
            err_console.print(traceback.format_exc(), markup=False, highlight=False)
        err_console.print(f"Error: {message}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(code)


app = typer.Typer(
    name="qa",
    cls=QAGroup,
    help="qa-toolkit: quality assurance for customer-service calls and chats.\n\n"
    "Transcribe calls, import chats, score them against rubrics, review samples, write reports.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main(
    ctx: typer.Context,
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show tracebacks on errors."),
) -> None:
    """qa-toolkit: quality assurance for customer-service calls and chats."""
    ctx.obj = {"verbose": verbose}


def _register() -> None:
    from qa_toolkit.cli import (agents, audit, db, export, imports, init, models, report, review, rubric, score, serve,
                                transcribe, users)

    init.register(app)
    serve.register(app)
    app.add_typer(db.app, name="db")
    app.add_typer(imports.app, name="import")
    app.add_typer(export.app, name="export")
    app.add_typer(transcribe.app, name="transcribe")
    app.add_typer(rubric.app, name="rubric")
    app.add_typer(score.app, name="score")
    app.add_typer(review.app, name="review")
    app.add_typer(report.app, name="report")
    app.add_typer(agents.app, name="agents")
    app.add_typer(users.app, name="users")
    app.add_typer(models.app, name="models")
    app.add_typer(audit.app, name="audit")


_register()
