"""`qa serve`: the web view for team leads, agents, reviewers and trainers."""

from __future__ import annotations

from typing import Annotated

import typer

from qa_toolkit.cli.common import DbOption, console, database_url
from qa_toolkit.errors import QAError


def register(app: typer.Typer) -> None:
    """Add ``qa serve`` to the top-level command."""

    @app.command("serve")
    def serve(
        db: DbOption = None,
        host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: every interface; put it "
                                          "behind an HTTPS proxy then).")] = "127.0.0.1",
        port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
        https_only: Annotated[bool, typer.Option("--https-only", help="Send the session cookie over HTTPS "
                                                 "only (set it behind an HTTPS proxy).")] = False,
    ) -> None:
        """Serve the web view: overview, agent pages with coaching, interactions with evidence, training
        gaps, review queues and calibration, with a JSON API under /api (docs at /api/docs).

        Users log in with the password set by `qa users set-password`; each sees what their role
        allows (agents their own evaluations, leads their team, admins everything).

        Example:

            qa users set-password lee --as lee
            qa serve --db sqlite:///demo/qa.db --port 8000
        """
        try:
            import uvicorn

            from qa_toolkit.web.app import create_app
        except ImportError as exc:
            raise QAError(f"the web view needs its extra: pip install 'qa-toolkit[web]' ({exc.name} is missing)") from None
        url = database_url(db)
        web = create_app(url, https_only=https_only)
        console.print(f"qa-toolkit web view on http://{host}:{port}/ (API docs: /api/docs); Ctrl+C stops it")
        uvicorn.run(web, host=host, port=port, log_level="warning", proxy_headers=False, server_header=False)
