"""The web view: FastAPI, pages rendered on the server with Jinja2, a JSON twin of each page under /api.

Every handler opens a database session, asks :mod:`qa_toolkit.services.views` for the page's data
(role checks included) and renders it; there is no SQL here. Errors from the services become pages
(and JSON for /api): unknown or invisible ids 404, a page the role may not open 403, bad parameters
422 with the message.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from qa_toolkit.errors import NotFoundError, QAError
from qa_toolkit.services import accounts, views
from qa_toolkit.services.people import get_user
from qa_toolkit.services.roles import NotAllowedError
from qa_toolkit.storage.database import Database, open_database
from qa_toolkit.storage.models import User
from qa_toolkit.web import auth, charts

HERE = Path(__file__).parent
LOG = logging.getLogger("qa_toolkit.web")
PERIOD_HELP = "YYYY-MM or START..END (inclusive ISO dates); default: the month of the latest interaction"
Period = Annotated[str | None, Query(max_length=40, description=PERIOD_HELP)]
Rubric = Annotated[str | None, Query(max_length=200, description="Rubric name (default: the most used one)")]
AgentId = Annotated[str, PathParam(max_length=200, description="The agent's external id, e.g. a-17")]
EvaluationsPage = Annotated[int, Query(ge=1, le=100_000, alias="page", description="Which page of the agent's evaluations "
                                     "(newest first, 50 a page)")]
InteractionRef = Annotated[str, PathParam(max_length=400, description="External id, SOURCE:ID, or database id")]

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; "
       "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'")


class LoginRequired(Exception):
    """No valid session: pages redirect to the log-in form, /api answers 401."""


def _templates() -> Jinja2Templates:
    env = Environment(loader=PackageLoader("qa_toolkit.web", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.globals.update(line_chart=charts.line, bar_width=charts.bar_width)
    env.filters["num"] = lambda v, digits=1: "–" if v is None else f"{v:.{digits}f}"
    env.filters["pct"] = lambda v: "–" if v is None else f"{v:.0f} %"
    env.filters["when"] = lambda v: "" if v is None else (v.strftime("%Y-%m-%d %H:%M") if hasattr(v, "strftime")
                                                          else str(v))
    for name in env.list_templates(extensions=["html"]):  # compiled at start, not in the first request of each page
        env.get_template(name)
    return Jinja2Templates(env=env)


def _run_queue_ms() -> float:
    """How long this process's threads have waited for a CPU while ready to run, summed over threads, in ms
    (Linux's schedstat; 0 where it cannot be read). Server-Timing's ``wait``: on a shared machine, what a
    request's wall time (``app``) spent beyond its CPU (``cpu``) neither in I/O nor waiting for the database
    (more than the wall time when two threads wait at once)."""
    total = 0
    try:
        threads = os.listdir("/proc/self/task")
    except OSError:
        return 0.0
    for thread in threads:
        try:
            with open(f"/proc/self/task/{thread}/schedstat", "rb") as stats:
                total += int(stats.read().split()[1])
        except (OSError, ValueError, IndexError):
            continue  # a thread that ended meanwhile
    return total / 1e6


def _warm_up(db: Database) -> None:
    """Compile the main pages' statements before the first request (:func:`views.warm_up`); a failure here
    is logged and the server starts anyway (the first request then compiles them)."""
    try:
        with db.session() as session:
            views.warm_up(session)
    except Exception:  # noqa: BLE001 - never stop the server for a warm-up
        LOG.warning("warming up the page queries failed; the first requests will be slower", exc_info=True)


def create_app(database: Database | str, *, secret_key: str | None = None, https_only: bool = False,
               limiter: auth.LoginLimiter | None = None) -> FastAPI:
    """The web application over an open database (or a URL to open, checked to be at head).

    Args:
        secret_key: signs session cookies (default: :func:`auth.secret_key`).
        https_only: mark the session cookie Secure (set it when serving behind HTTPS).
        limiter: failed log-in limits (default: 5 per name and client, 20 per client, in 5 minutes).
    """
    db = open_database(database) if isinstance(database, str) else database
    templates = _templates()
    _warm_up(db)
    login_limiter = limiter or auth.LoginLimiter()
    app = FastAPI(title="qa-toolkit", version="1", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json",
                  description="Read-only JSON API of the qa-toolkit web view. Log in through /login (the session "
                              "cookie it sets authorises these calls); every endpoint applies the same role "
                              "checks as the pages.")
    app.state.database = db
    app.state.limiter = login_limiter
    app.add_middleware(SessionMiddleware, secret_key=secret_key or auth.secret_key(),
                       session_cookie=auth.SESSION_COOKIE, max_age=auth.SESSION_MAX_AGE, same_site="lax",
                       https_only=https_only)

    @app.middleware("http")
    async def timing_and_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        began, began_cpu, began_wait = time.perf_counter(), time.process_time(), _run_queue_ms()
        response = await call_next(request)
        response.headers["Server-Timing"] = (f"app;dur={(time.perf_counter() - began) * 1000:.1f}, "
                                             f"cpu;dur={(time.process_time() - began_cpu) * 1000:.1f}, "
                                             f"wait;dur={max(0.0, _run_queue_ms() - began_wait):.1f}")
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    import swagger_ui_bundle

    app.mount("/api/docs-assets", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")

    @contextmanager
    def opened() -> Iterator[Session]:
        with db.session() as session:
            yield session

    def current_user(request: Request, session: Session) -> User:
        name = request.session.get("user")
        if not name:
            raise LoginRequired()
        try:
            user = get_user(session, str(name))
        except NotFoundError:
            user = None
        if user is None or request.session.get("tag") != accounts.session_tag(user) or user.password_hash is None:
            request.session.clear()
            raise LoginRequired()
        return user

    def page(request: Request, name: str, user: User | None, status_code: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {
            "user": user, "menu": views.menu(user) if user else [], "csrf": auth.csrf_token(request),
            "path": request.url.path, **context}, status_code=status_code)

    # ------------------------------------------------------------ errors

    def _wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    def _error(request: Request, status: int, title: str, message: str) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=status)
        user = None
        name = request.session.get("user") if "session" in request.scope else None
        if name:
            with opened() as session:
                try:
                    user = current_user(request, session)
                    return page(request, "error.html", user, status, title=title, message=message)
                except LoginRequired:
                    pass
        return page(request, "error.html", user, status, title=title, message=message)

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse({"detail": "log in first: POST /login sets the session cookie"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> Response:
        return _error(request, 404, "Not found", str(exc))

    @app.exception_handler(NotAllowedError)
    async def not_allowed(request: Request, exc: NotAllowedError) -> Response:
        return _error(request, 403, "Not allowed", str(exc))

    @app.exception_handler(QAError)
    async def bad_request(request: Request, exc: QAError) -> Response:
        return _error(request, 422, "Cannot show this", str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body"))
            parts.append(f"{where}: {error.get('msg')}")
        return _error(request, 422, "Bad request", "; ".join(parts) or "bad request")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        LOG.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        message = "something went wrong on the server: the error is in its log"
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=500)
        return templates.TemplateResponse(request, "error.html", {"user": None, "menu": [], "csrf": "",
                                                                  "path": request.url.path, "title": "Server error",
                                                                  "message": message}, status_code=500)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _error(request, 404, "Not found", f"no page at {request.url.path}")
        return _error(request, exc.status_code, "Error", str(exc.detail))

    # ------------------------------------------------------------ log-in

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request, next: str | None = Query(None, max_length=500)) -> Response:  # noqa: A002
        return page(request, "login.html", None, next=auth.safe_next(next, ""), error=None)

    @app.post("/login", include_in_schema=False)
    def login(request: Request, username: Annotated[str, Form(max_length=200)],
              password: Annotated[str, Form(max_length=1000)], csrf_token: Annotated[str, Form(max_length=200)] = "",
              next: Annotated[str, Form(max_length=500)] = "") -> Response:  # noqa: A002
        if not auth.csrf_ok(request, csrf_token):
            return page(request, "login.html", None, 400, next=auth.safe_next(next, ""),
                        error="The form expired: please log in again.")
        client = request.client.host if request.client else "?"
        wait = login_limiter.retry_after(client, username)
        if wait > 0:
            response = page(request, "login.html", None, 429, next=auth.safe_next(next, ""),
                            error=f"Too many failed log-ins: try again in {int(wait) + 1} seconds.")
            response.headers["Retry-After"] = str(int(wait) + 1)
            return response
        with opened() as session:
            user = accounts.authenticate(session, username, password)
            if user is None:
                login_limiter.failed(client, username)
                return page(request, "login.html", None, 401, next=auth.safe_next(next, ""),
                            error="Wrong user name or password.")
            login_limiter.succeeded(client, username)
            request.session.clear()
            request.session.update({"user": user.name, "tag": accounts.session_tag(user)})
            auth.csrf_token(request)  # a fresh token for the logged-in session
            return RedirectResponse(auth.safe_next(next, views.home(user)), status_code=303)

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
        if auth.csrf_ok(request, csrf_token):
            request.session.clear()
        return RedirectResponse("/login", status_code=303)

    # ------------------------------------------------------------ pages

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def overview_page(request: Request, period: Period = None) -> Response:
        with opened() as session:
            user = current_user(request, session)
            if user.role not in views.PAGES["overview"]:
                return RedirectResponse(views.home(user), status_code=303)
            data = views.overview(session, user, views.period_of(session, period))
            return page(request, "overview.html", user, data=data)

    @app.get("/agents/{agent_id}", response_class=HTMLResponse, include_in_schema=False)
    def agent_page(request: Request, agent_id: AgentId, period: Period = None, rubric: Rubric = None,
                   page_number: EvaluationsPage = 1) -> Response:
        with opened() as session:
            user = current_user(request, session)
            chosen = views.period_of(session, period)
            data = views.agent_page(session, user, agent_id, chosen, rubric, page_number)
            return page(request, "agent.html", user, data=data, period_arg=period or "", rubric_arg=rubric or "")

    @app.get("/agents/{agent_id}/coaching.pdf", include_in_schema=False)
    def coaching_pdf(request: Request, agent_id: AgentId, period: Period = None, rubric: Rubric = None) -> Response:
        return _pdf(request, agent_id, period, rubric)

    @app.get("/interactions/{ref}", response_class=HTMLResponse, include_in_schema=False)
    def interaction_page(request: Request, ref: InteractionRef) -> Response:
        with opened() as session:
            user = current_user(request, session)
            return page(request, "interaction.html", user, data=views.interaction_page(session, user, ref))

    @app.get("/interactions/{ref}/audio", include_in_schema=False)
    def interaction_audio(request: Request, ref: InteractionRef) -> Response:
        return _audio(request, ref)

    @app.get("/training-gaps", response_class=HTMLResponse, include_in_schema=False)
    def gaps_page(request: Request, period: Period = None, rubric: Rubric = None) -> Response:
        with opened() as session:
            user = current_user(request, session)
            data = views.training_gaps(session, user, views.period_of(session, period), rubric)
            return page(request, "gaps.html", user, data=data)

    @app.get("/queue", response_class=HTMLResponse, include_in_schema=False)
    def queue_page(request: Request) -> Response:
        with opened() as session:
            user = current_user(request, session)
            return page(request, "queue.html", user, data=views.queue(session, user))

    @app.get("/calibration", response_class=HTMLResponse, include_in_schema=False)
    def calibrations_page(request: Request) -> Response:
        with opened() as session:
            user = current_user(request, session)
            return page(request, "calibrations.html", user, data=views.calibrations(session, user))

    @app.get("/calibration/{session_id}", response_class=HTMLResponse, include_in_schema=False)
    def calibration_page(request: Request, session_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)]) -> Response:
        with opened() as session:
            user = current_user(request, session)
            return page(request, "calibration.html", user, data=views.calibration_report(session, user, session_id))

    @app.get("/no-access", response_class=HTMLResponse, include_in_schema=False)
    def no_access(request: Request) -> Response:
        with opened() as session:
            user = current_user(request, session)
            return page(request, "error.html", user, 403, title="Nothing to show",
                        message=f"{user.name} ({user.role}) is not linked to an agent: ask an admin to link it.")

    def _pdf(request: Request, agent_id: str, period: str | None, rubric: str | None) -> Response:
        folder = tempfile.TemporaryDirectory(prefix="qa-web-")
        try:
            with opened() as session:
                user = current_user(request, session)
                path = views.coaching_pdf(session, user, agent_id, views.period_of(session, period),
                                          Path(folder.name), rubric)
        except BaseException:
            folder.cleanup()
            raise
        return FileResponse(path, media_type="application/pdf", filename=path.name,
                            background=BackgroundTask(folder.cleanup))

    def _audio(request: Request, ref: str) -> Response:
        with opened() as session:
            user = current_user(request, session)
            path, media_type = views.audio_file(session, user, ref)
        return FileResponse(path, media_type=media_type)

    # ------------------------------------------------------------ JSON API

    api = APIRouter(prefix="/api", tags=["web view"])

    def json_of(data: Any) -> JSONResponse:
        return JSONResponse(views.jsonable(data))

    @api.get("/me", summary="The logged-in user and the pages their role opens")
    def api_me(request: Request) -> JSONResponse:
        with opened() as session:
            user = current_user(request, session)
            return json_of({"name": user.name, "role": user.role, "team": user.team,
                            "agent": user.agent.external_id if user.agent else None,
                            "home": views.home(user), "pages": [p for p, _ in views.menu(user)]})

    @api.get("/overview", summary="IQS, pass rate and KPIs of a period, by team and queue, with a trend")
    def api_overview(request: Request, period: Period = None) -> JSONResponse:
        with opened() as session:
            user = current_user(request, session)
            return json_of(views.overview(session, user, views.period_of(session, period)))

    @api.get("/agents/{agent_id}", summary="An agent's coaching content and evaluations in a period")
    def api_agent(request: Request, agent_id: AgentId, period: Period = None, rubric: Rubric = None,
                  page_number: EvaluationsPage = 1) -> JSONResponse:
        with opened() as session:
            user = current_user(request, session)
            return json_of(views.agent_page(session, user, agent_id, views.period_of(session, period), rubric,
                                            page_number))

    @api.get("/agents/{agent_id}/coaching.pdf", summary="The agent's coaching PDF (as `qa report coaching` writes it)",
             response_class=FileResponse)
    def api_coaching_pdf(request: Request, agent_id: AgentId, period: Period = None, rubric: Rubric = None) -> Response:
        return _pdf(request, agent_id, period, rubric)

    @api.get("/interactions/{ref}", summary="An interaction's turns, evaluations and evidence")
    def api_interaction(request: Request, ref: InteractionRef) -> JSONResponse:
        with opened() as session:
            user = current_user(request, session)
            return json_of(views.interaction_page(session, user, ref))

    @api.get("/interactions/{ref}/audio", summary="A call's audio (the redacted copy where one exists)",
             response_class=FileResponse)
    def api_interaction_audio(request: Request, ref: InteractionRef) -> Response:
        return _audio(request, ref)

    @api.get("/training-gaps", summary="Training gaps of a period (a lead's team; everyone for trainers and admins)")
    def api_gaps(request: Request, period: Period = None, rubric: Rubric = None) -> JSONResponse:
        with opened() as session:
            user = current_user(request, session)
            return json_of(views.training_gaps(session, user, views.period_of(session, period), rubric))

    @api.get("/queue", summary="The logged-in reviewer's assignments")
    def api_queue(request: Request) -> JSONResponse:
        with opened() as session:
            user = current_user(request, session)
            return json_of(views.queue(session, user))

    @api.get("/calibration", summary="Calibration sessions the user may read")
    def api_calibrations(request: Request) -> JSONResponse:
        with opened() as session:
            user = current_user(request, session)
            return json_of(views.calibrations(session, user))

    @api.get("/calibration/{session_id}", summary="One calibration session's report")
    def api_calibration(request: Request, session_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)]) -> JSONResponse:
        with opened() as session:
            user = current_user(request, session)
            return json_of(views.calibration_report(session, user, session_id))

    @api.get("/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        response = get_swagger_ui_html(openapi_url="/api/openapi.json", title="qa-toolkit API",
                                       swagger_js_url="/api/docs-assets/swagger-ui-bundle.js",
                                       swagger_css_url="/api/docs-assets/swagger-ui.css",
                                       swagger_favicon_url="/api/docs-assets/favicon-32x32.png")
        response.headers["Content-Security-Policy"] = DOCS_CSP
        return response

    app.include_router(api)
    return app
