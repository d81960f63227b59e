"""Benchmark of the web view (issue 18): server time of the overview and of an agent page over 100k interactions.

Data (seeded, as in bench/reports.py): 500 agents in 25 teams of 20, 200 chats each (100,000
interactions of 6 turns over six months, May to October 2026), each scored against the shipped
``support-chat`` rubric with pass/fail verdicts and quoted evidence; on SQLite and on PostgreSQL.

`qa serve`'s app runs under uvicorn in this process; pages are fetched over HTTP by a logged-in
admin (who sees everyone) and a lead (who sees a team of 20), and the server time is the app's own
``Server-Timing`` header (routing, role checks, database, rendering). Each page is fetched
``--repeats`` times after one warm-up; the median and the worst are reported. Measured:

  overview (month)     /?period=2026-10            the default view: the latest month (~17k interactions)
  overview (100k)      /?period=2026-05..2026-10   every one of the 100,000 interactions
  agent page           /agents/ag-007?period=2026-10   coaching content, evaluations, KPIs against the team
      cold: the first page after a server start (a new app and engine, an empty page cache) and a log-in,
      as after any change of the data (the start's warm-up has compiled the statements over the year 1,
      no data: its cost is reported apart); warm: the same page again (the overview cached; the agent page's
      team side cached, as for the next agent of the same team, the agent's own part read afresh)
  baseline: log-in page   /login                   the floor of a request through the same stack
  baseline: kpi report    ``reports.kpi_report(by=team)`` + ``by=queue`` for 2026-10, what
                          ``qa report kpis`` computes (the overview before it aggregated in SQL)

Goals: overview < 300 ms, agent page < 150 ms. Writes bench/results/web.json.

    .venv/bin/python bench/web.py                       # SQLite and PostgreSQL (seeding takes minutes; COPY on PostgreSQL)
    .venv/bin/python bench/web.py --engines sqlite --agents 100   # quicker
    .venv/bin/python bench/web.py --keep /tmp/qa-bench-web   # seed once, measure again on the kept data
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
RESULTS = ROOT / "bench" / "results" / "web.json"
PG_SERVER = os.environ.get("QA_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = "bench-admin-password"


def _copy(session: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    """Write ``rows`` into ``model``'s table with PostgreSQL's COPY (minutes faster than INSERTs at 2M rows)."""
    from sqlalchemy import JSON

    table = model.__table__
    names = [c.name for c in table.columns if c.name in rows[0] or c.key in rows[0]]
    keys = [c.key if c.key in rows[0] else c.name for c in table.columns if c.name in names]
    json_columns = {c.name for c in table.columns if isinstance(c.type, JSON)}
    cursor = session.connection().connection.driver_connection.cursor()
    columns = ", ".join(f'"{n}"' for n in names)
    with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[k]) if n in json_columns else row[k] for n, k in zip(names, keys)])


def _prepare(url: str, agents: int, per_agent: int, teams: int) -> None:
    from reports import seed

    seed(url, agents, per_agent, random.Random(18), teams=teams,
         write=_copy if url.startswith("postgresql") else None)
    _users(url, teams)


def _users(url: str, teams: int) -> None:
    """The benchmark's admin and lead (of ag-007's team) with their passwords; planner statistics."""
    from qa_toolkit.services import accounts, people
    from qa_toolkit.storage.database import open_database

    database = open_database(url)
    with database.session() as session:
        people.add_user(session, "ada", "admin")
        people.add_user(session, "lee", "lead", team=f"team-{6 % teams + 1:02d}", actor="ada")  # ag-007's team
        for name in ("ada", "lee"):
            accounts.set_password(session, name, PASSWORD, actor="ada")
    if database.engine.dialect.name == "postgresql":
        with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            from sqlalchemy import text

            connection.execute(text("VACUUM ANALYZE"))
    else:
        with database.engine.begin() as connection:
            from sqlalchemy import text

            connection.execute(text("ANALYZE"))
    database.close()


def _seeded(url: str, interactions: int) -> bool:
    """Whether ``url`` holds this benchmark's data already (``--keep``): at the latest revision, with the
    expected number of interactions and the benchmark's users."""
    from sqlalchemy import func, select

    from qa_toolkit.errors import QAError
    from qa_toolkit.storage.database import open_database
    from qa_toolkit.storage.models import Interaction, User

    try:
        database = open_database(url)
    except QAError:
        return False
    try:
        with database.session() as session:
            return (session.scalar(select(func.count()).select_from(Interaction)) == interactions
                    and session.scalar(select(func.count()).select_from(User)) == 2)
    finally:
        database.close()


def _serve(url: str) -> tuple[Any, threading.Thread, str]:
    import socket

    import uvicorn

    from qa_toolkit.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(url, secret_key="s" * 48), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def _server_ms(response: Any, metric: str = "app") -> float:
    """A metric of the app's ``Server-Timing`` header: ``app`` (wall), ``cpu`` (the server process's CPU time
    while it handled the request; this process's client only waits meanwhile) or ``wait`` (the time its threads
    were ready to run but waited for a CPU, summed over threads: on this shared machine, most of the wall time,
    and more than it when two threads wait at once)."""
    found = {name.strip(): float(dur) for name, dur in (part.split(";dur=") for part in
                                                       response.headers["server-timing"].split(","))}
    return found[metric]


def _logged_in(base: str, user: str) -> Any:
    import re

    import httpx

    client = httpx.Client(base_url=base, follow_redirects=False, timeout=300)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
    assert client.post("/login", data={"username": user, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 303
    return client


def _row(path: str, server: list[float], wall: list[float], first: Any, cpu: list[float],
         wait: list[float]) -> dict[str, Any]:
    return {"path": path, "server_ms_median": round(statistics.median(server), 1),
            "server_ms_max": round(max(server), 1), "server_cpu_ms_median": round(statistics.median(cpu), 1),
            "server_wait_ms_median": round(statistics.median(wait), 1),
            "wall_ms_median": round(statistics.median(wall), 1),
            "first_ms": round(_server_ms(first), 1), "bytes": len(first.content)}


def _measure(client: Any, path: str, repeats: int) -> dict[str, Any]:
    """Server time of ``path`` warm: the page cache holds the overview, the team side of the agent page."""
    first = client.get(path)
    assert first.status_code == 200, (path, first.status_code, first.text[:300])
    server, wall, cpu, wait = [], [], [], []
    for _ in range(repeats):
        began = time.perf_counter()
        response = client.get(path)
        wall.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200
        server.append(_server_ms(response))
        cpu.append(_server_ms(response, "cpu"))
        wait.append(_server_ms(response, "wait"))
    return _row(path, server, wall, first, cpu, wait)


def _measure_cold(url: str, user: str, path: str, repeats: int) -> dict[str, Any]:
    """Server time of ``path`` cold: each time the first page after a server start (a new app, engine and
    empty page cache) and a log-in."""
    from qa_toolkit.services import page_cache

    server_ms, wall, cpu, wait, first = [], [], [], [], None
    for _ in range(repeats):
        page_cache.clear()
        server, thread, base = _serve(url)
        try:
            with closing(_logged_in(base, user)) as client:
                began = time.perf_counter()
                response = client.get(path)
                wall.append((time.perf_counter() - began) * 1000)
                assert response.status_code == 200, (path, response.status_code, response.text[:300])
                server_ms.append(_server_ms(response))
                cpu.append(_server_ms(response, "cpu"))
                wait.append(_server_ms(response, "wait"))
                first = first or response
        finally:
            server.should_exit = True
            thread.join(10)
            server.config.app.state.database.close()
    return _row(path, server_ms, wall, first, cpu, wait)


def _service_cpu(url: str, repeats: int, teams: int) -> dict[str, Any]:
    """CPU time of each page's service call in this process (time.process_time): what a request costs
    the server when the machine is not shared (the wall-clock times above include waiting for a CPU)."""
    from qa_toolkit.reports.period import parse_period
    from qa_toolkit.services import page_cache, people, views
    from qa_toolkit.storage.database import open_database

    database = open_database(url)
    calls = {"overview (month, admin, cold)": ("ada", lambda s, u: views.overview(s, u, parse_period("2026-10")), True),
             "overview (all, admin, cold)": ("ada", lambda s, u: views.overview(
                 s, u, parse_period("2026-05-01..2026-10-31")), True),
             "overview (all, lead, cold)": ("lee", lambda s, u: views.overview(
                 s, u, parse_period("2026-05-01..2026-10-31")), True),
             "overview (all, admin, warm)": ("ada", lambda s, u: views.overview(
                 s, u, parse_period("2026-05-01..2026-10-31")), False),
             "agent page (lead, cold)": ("lee", lambda s, u: views.agent_page(s, u, "ag-007", parse_period("2026-10")),
                                         True),
             "agent page (lead, warm)": ("lee", lambda s, u: views.agent_page(s, u, "ag-007", parse_period("2026-10")),
                                         False)}
    rows = {}
    for name, (who, call, cold) in calls.items():
        times = []
        for _ in range(repeats):
            if cold:
                page_cache.clear()
            with database.session() as session:
                user = people.get_user(session, who)
                began = time.process_time()
                call(session, user)
                times.append((time.process_time() - began) * 1000)
        rows[name] = {"cpu_ms_median": round(statistics.median(times), 1), "cpu_ms_min": round(min(times), 1)}
    database.close()
    return rows


def _warm_up_cost(url: str, repeats: int) -> dict[str, Any]:
    """What a server start spends on :func:`views.warm_up` (compiling the pages' statements on its new engine
    before the first request, see the cold pages above): wall and CPU time, a new engine each time."""
    from qa_toolkit.services import views
    from qa_toolkit.storage.database import open_database

    wall, cpu = [], []
    for _ in range(repeats):
        database = open_database(url)
        began, began_cpu = time.perf_counter(), time.process_time()
        with database.session() as session:
            views.warm_up(session)
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        database.close()
    return {"wall_ms_median": round(statistics.median(wall), 1), "cpu_ms_median": round(statistics.median(cpu), 1)}


def _kpi_baseline(url: str, repeats: int) -> dict[str, Any]:
    from qa_toolkit.reports.period import parse_period
    from qa_toolkit.services import reports
    from qa_toolkit.storage.database import open_database

    database = open_database(url)
    times = []
    for _ in range(max(1, repeats // 5)):
        with database.session() as session:
            began = time.perf_counter()
            reports.kpi_report(session, period=parse_period("2026-10"), by="team")
            reports.kpi_report(session, period=parse_period("2026-10"), by="queue")
            times.append((time.perf_counter() - began) * 1000)
    database.close()
    return {"server_ms_median": round(statistics.median(times), 1), "server_ms_max": round(max(times), 1)}


def run_engine(engine: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    began = time.perf_counter()
    reused = args.keep and _seeded(url, args.agents * args.per_agent)
    if not reused:
        _prepare(url, args.agents, args.per_agent, args.teams)
    seeded = time.perf_counter() - began
    load_before = os.getloadavg()
    rows: dict[str, Any] = {}
    for user in ("ada", "lee"):
        who = "admin, everyone" if user == "ada" else f"lead, team of {args.agents // args.teams}"
        everything = f"all {args.agents * args.per_agent:,}"
        pages = [(f"overview ({label}, {who}", f"/?period={period}")
                 for label, period in (("month", "2026-10"), (everything, "2026-05-01..2026-10-31"))]
        pages.append((f"agent page ({who}", "/agents/ag-007?period=2026-10"))
        for name, path in pages:
            rows[f"{name}, cold)"] = _measure_cold(url, user, path, args.repeats)
        server, thread, base = _serve(url)
        try:
            with closing(_logged_in(base, user)) as client:
                for name, path in pages:
                    rows[f"{name}, warm)"] = _measure(client, path, args.repeats)
                if user == "ada":
                    rows["baseline: log-in page"] = _measure(client, "/login", args.repeats)
                    check = client.get("/api/overview?period=2026-05-01..2026-10-31").json()
                    assert check["total"]["contacts"] == args.agents * args.per_agent, check["total"]
        finally:
            server.should_exit = True
            thread.join(10)
    rows["baseline: kpi report (month)"] = _kpi_baseline(url, args.repeats)
    cpu = _service_cpu(url, args.repeats, args.teams)
    warm_up = _warm_up_cost(url, args.repeats)
    floor = rows["baseline: log-in page"]["server_ms_median"] or 0.1
    kpi_ms = rows["baseline: kpi report (month)"]["server_ms_median"]
    for name, row in rows.items():
        goal = 300.0 if name.startswith("overview") else 150.0 if name.startswith("agent page") else None
        if goal is not None:
            row.update(goal_ms=goal, meets_goal=row["server_ms_median"] < goal,
                       ratio_to_login_page=round(row["server_ms_median"] / floor, 1),
                       ratio_to_kpi_report=round(row["server_ms_median"] / kpi_ms, 4))
    return {"engine": engine, "seed_s": None if reused else round(seeded, 1), "reused_data": bool(reused),
            "pages": rows, "service_cpu": cpu, "server_start_warm_up": warm_up, "load_average_before": load_before, "load_average": os.getloadavg()}


def _print(result: dict[str, Any]) -> None:
    origin = "data kept from an earlier run" if result["reused_data"] else f"seeded in {result['seed_s']} s"
    print(f"\n{result['engine']} ({origin})")
    for name, row in result["pages"].items():
        goal = f"  goal < {row['goal_ms']:.0f} ms: {'met' if row['meets_goal'] else 'NOT met'}" if "goal_ms" in row else ""
        cpu = (f"  CPU {row['server_cpu_ms_median']:7.1f} ms  waiting for a CPU {row['server_wait_ms_median']:7.1f} ms"
               if "server_cpu_ms_median" in row else "")
        print(f"  {name:52s} median {row['server_ms_median']:8.1f} ms  max {row['server_ms_max']:8.1f} ms{cpu}{goal}")
    for name, row in result["service_cpu"].items():
        print(f"  CPU of the service call: {name:28s} median {row['cpu_ms_median']:8.1f} ms  min {row['cpu_ms_min']:8.1f} ms")
    warm = result["server_start_warm_up"]
    print(f"  a server start's warm-up (compiling the pages' statements): wall {warm['wall_ms_median']:.1f} ms, "
          f"CPU {warm['cpu_ms_median']:.1f} ms")
    print(f"  load average before: {', '.join(f'{v:.1f}' for v in result['load_average_before'])}; "
          f"at the end: {', '.join(f'{v:.1f}' for v in result['load_average'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--agents", type=int, default=500)
    parser.add_argument("--per-agent", type=int, default=200)
    parser.add_argument("--teams", type=int, default=25)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--keep", metavar="DIR", type=Path,
                        help="keep the seeded data (SQLite file in DIR, PostgreSQL database qa_bench_web_AGENTSxN) "
                             "and measure on it again next time instead of seeding (seeding takes minutes)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="the results file (default: %(default)s); the "
                        "results of engines not measured in this run are kept from it")
    args = parser.parse_args()

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    results = []
    size = f"{args.agents}x{args.per_agent}"
    with tempfile.TemporaryDirectory() as tmp:
        for engine in args.engines.split(","):
            if engine == "sqlite":
                folder = args.keep or Path(tmp)
                folder.mkdir(parents=True, exist_ok=True)
                path = folder / f"web-{size}.db"
                if args.keep and path.exists() and not _seeded(f"sqlite:///{path}", args.agents * args.per_agent):
                    path.unlink()
                results.append(run_engine(engine, f"sqlite:///{path}", args))
                _print(results[-1])
                continue
            name = f"qa_bench_web_{size}" if args.keep else f"qa_bench_web_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
            url = make_url(PG_SERVER).set(database=name).render_as_string(hide_password=False)
            with admin.connect() as connection:
                exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
                if exists and not _seeded(url, args.agents * args.per_agent):
                    connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
                    exists = None
                if not exists:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
            try:
                results.append(run_engine(engine, url, args))
                _print(results[-1])
            finally:
                if not args.keep:
                    with admin.connect() as connection:
                        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()
    if args.out.exists():  # an engine measured in an earlier run (--engines) keeps its results
        ran = {r["engine"] for r in results}
        earlier = [r for r in json.loads(args.out.read_text()).get("results", []) if r["engine"] not in ran]
        results = earlier + results
    payload = {"benchmark": "web", "interactions": args.agents * args.per_agent, "agents": args.agents,
               "teams": args.teams, "repeats": args.repeats, "machine": platform.platform(),
               "cpus": os.cpu_count(), "note": "server time = the app's Server-Timing header; the machine was shared",
               "results": results}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
