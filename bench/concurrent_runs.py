"""Benchmark: runs of one command that are interrupted or overlap, on SQLite and PostgreSQL — nothing lost,
nothing duplicated (issue 20's goal), and what running two at once costs against one run alone.

    .venv/bin/python bench/concurrent_runs.py              # 2,000 chats and the 5 sample calls, both engines
    .venv/bin/python bench/concurrent_runs.py --n 500 --engines sqlite --steps import,"transcribe batch"

For each engine and each of ``qa import chats`` (one file of --n conversations), ``qa score auto``
(the review-test rubric), ``qa review assign`` (a 100 % sample to three reviewers) and ``qa transcribe
batch`` (the sample calls of samples/calls, tiny.en, one worker), on a fresh database each time:

1. baseline: one run alone (wall time, what it stored);
2. two `qa` processes started together on the same work;
3. one run killed with SIGKILL (its whole process group) as soon as it has stored its first rows (or at 0.9
   of the baseline's wall time, for a command that stores all in one transaction), then a rerun;
4. PostgreSQL only: the run's server backends ended (``pg_terminate_backend``) at the same point, then a rerun.

Then counts what the tables hold: lost (expected rows missing) and duplicated (rows beyond one per
conversation / interaction and rubric version / sampled item / recording), whether the audit log agrees with
the table, exit codes and any traceback; for 3 and 4 also what was stored when the run was stopped. Prints the
wall-time ratio two-at-once / one-alone and writes bench/results/concurrent_runs.json, with the load average.
PostgreSQL: $QA_BENCH_POSTGRES_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/postgres; a scratch
database is created and dropped).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "concurrent_runs.json"
RUBRIC = ROOT / "tests" / "data" / "review" / "review-test.yaml"
CALLS = ROOT / "samples" / "calls"
QA = str(Path(sys.executable).with_name("qa"))
PG_SERVER = os.environ.get("QA_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def write_chats(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(json.dumps({
                "id": f"c-{n:06d}", "channel": "chat", "agent": {"id": f"a-{n % 30}", "team": f"t{n % 3}"},
                "started_at": f"2026-10-{1 + n % 28:02d}T09:{n % 60:02d}:00Z",
                "turns": [{"speaker": "customer", "text": "I was charged twice"},
                          {"speaker": "agent", "text": "Hello, thanks for waiting." if n % 3 else "Let me look."},
                          {"speaker": "customer", "text": "Thanks"}]}) + "\n")
    return path


class Scratch:
    """A fresh database per case: a SQLite file, or a PostgreSQL database created and dropped."""

    def __init__(self, engine: str, folder: Path) -> None:
        self.engine, self.folder, self.name = engine, folder, f"qa_bench_{uuid.uuid4().hex[:10]}"

    def __enter__(self) -> str:
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        from qa_toolkit.services import schema

        if self.engine == "sqlite":
            self.url = f"sqlite:///{self.folder / (self.name + '.db')}"
        else:
            admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{self.name}"'))
            admin.dispose()
            self.url = make_url(PG_SERVER).set(database=self.name).render_as_string(hide_password=False)
        schema.init_database(self.url)
        return self.url

    def __exit__(self, *_: object) -> None:
        if self.engine == "postgresql":
            from sqlalchemy import create_engine, text

            admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
            admin.dispose()


def run(count: int, *args: str) -> tuple[float, list[subprocess.CompletedProcess[str]]]:
    """``count`` `qa` processes started together; wall time until the last ends, and their results."""
    start = time.perf_counter()
    procs = [subprocess.Popen([QA, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(count)]
    results = []
    for proc in procs:
        out, err = proc.communicate()
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return time.perf_counter() - start, results


def run_stopped(latest_s: float, stop: str, url: str, step: str,
                *args: str) -> tuple[float | None, subprocess.CompletedProcess[str]]:
    """One `qa` run stopped mid-run: as soon as its first rows are stored, or after ``latest_s`` seconds (a
    command that stores all in one transaction). ``kill`` sends SIGKILL to its process group (its worker
    processes too), ``backend`` ends its PostgreSQL server backends and lets it end as it can. Returns when it
    was stopped (None: it ended first) and the run's result."""
    from sqlalchemy import create_engine, text

    proc = subprocess.Popen([QA, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    watcher = create_engine(url)
    started, stopped_at = time.perf_counter(), None
    try:
        while proc.poll() is None:
            elapsed = time.perf_counter() - started
            with watcher.connect() as connection:
                rows = connection.execute(text(QUERIES[step][0]), {"true": True}).one()[0]
            if rows or elapsed >= latest_s:
                if stop == "kill":
                    os.killpg(proc.pid, signal.SIGKILL)
                elif not terminate_backends(url):
                    time.sleep(0.05)
                    continue  # not connected at this moment
                stopped_at = round(elapsed, 2)
                break
            time.sleep(0.1)
    finally:
        watcher.dispose()
    out, err = proc.communicate()
    return stopped_at, subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def terminate_backends(url: str) -> int:
    """End every server backend connected to ``url``'s database (but this one); how many were ended."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            return len(connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name "
                "AND pid <> pg_backend_pid()"), {"name": make_url(url).database}).all())
    finally:
        admin.dispose()


def write_calls(folder: Path, count: int) -> Path:
    """The first ``count`` sample calls (audio, sidecars, the manifest) in a folder of their own."""
    calls = folder / "calls"
    if not calls.exists():
        calls.mkdir()
        audio = sorted(p for p in CALLS.iterdir() if p.suffix in (".wav", ".mp3", ".flac", ".ogg", ".m4a"))[:count]
        for path in audio:
            shutil.copy(path, calls)
            if path.with_suffix(".json").exists():
                shutil.copy(path.with_suffix(".json"), calls)
        shutil.copy(CALLS / "manifest.csv", calls)
    return calls


def prepare(url: str, step: str, chats: Path) -> None:
    """Everything a command needs before it runs."""
    from qa_toolkit.services import chat_import, people, review, rubrics
    from qa_toolkit.storage.database import open_database

    if step in ("import", "transcribe batch"):
        return
    database = open_database(url)
    try:
        chat_import.import_chats(database, [str(chats)], source="bench")
        with database.session() as session:
            people.add_user(session, "ada", "admin")
            people.add_user(session, "lee", "lead", actor="ada")
            for name in ("r1", "r2", "r3"):
                people.add_user(session, name, "reviewer", actor="ada")
            rubrics.publish_file(session, RUBRIC, actor="lee")
        if step == "review assign":
            with database.session() as session:
                review.sample(session, rubric="review-test", percent=100, seed=1, actor="lee")
    finally:
        database.close()


COMMANDS = {
    "import": lambda url, chats: ["import", "chats", str(chats), "--source", "bench", "--json", "--db", url],
    "score auto": lambda url, _: ["score", "auto", "--rubric", "review-test", "--workers", "1", "--json",
                                  "--as", "lee", "--db", url],
    "review assign": lambda url, _: ["review", "assign", "--reviewers", "r1,r2,r3", "--seed", "3", "--json",
                                     "--as", "lee", "--db", url],
    "transcribe batch": lambda url, calls: ["transcribe", "batch", str(calls), "--model", "tiny.en", "--workers", "1",
                                            "--json", "--db", url],
}


QUERIES = {
        "import": ("SELECT count(*), count(DISTINCT external_id) FROM interactions", ""),
        "score auto": ("SELECT count(*), count(DISTINCT interaction_id) FROM evaluations "
                       "WHERE kind = 'auto' AND is_current = :true",
                       "SELECT count(*) FROM audit_events WHERE action = 'score.auto'"),
        "review assign": ("SELECT count(*), count(DISTINCT interaction_id) FROM review_assignments "
                          "WHERE status = 'assigned'",
                          "SELECT count(*) FROM audit_events WHERE action = 'assignment.assign'"),
        "transcribe batch": ("SELECT count(*), count(DISTINCT content_hash) FROM interactions WHERE channel = 'call'",
                             "SELECT count(*) FROM audit_events WHERE action = 'transcribe'"),
}


def tally(url: str, step: str) -> dict[str, int]:
    """Rows stored, distinct keys among them, and what the audit log says was done."""
    from sqlalchemy import text

    from qa_toolkit.storage.database import open_database

    queries = QUERIES
    database = open_database(url)
    try:
        with database.engine.connect() as connection:
            rows, distinct = connection.execute(text(queries[step][0]), {"true": True}).one()
            if step in ("review assign", "transcribe batch"):
                audited = connection.execute(text(queries[step][1])).scalar()
            else:  # the runs' own counts, as their audit events record them
                # each stored batch's audit event, in the batch's transaction: what a killed run stored, too
                action, key = ("score.auto.batch", "scored") if step == "score auto" else ("chats.import.batch",
                                                                                           "imported")
                events = [json.loads(a) if isinstance(a, str) else a for (a,) in connection.execute(
                    text("SELECT after FROM audit_events WHERE action = :action"), {"action": action})]
                audited = sum(after[key] for after in events)
    finally:
        database.close()
    return {"rows": rows, "distinct": distinct, "audited": audited}


def outcome(results: list[subprocess.CompletedProcess[str]], counts: dict[str, int], n: int) -> dict[str, Any]:
    """What the runs said (exit codes, tracebacks, the last line of each failing one) and what the tables hold."""
    return {"exit_codes": [r.returncode for r in results], "tracebacks": sum("Traceback" in r.stderr for r in results),
            "messages": [r.stderr.strip().splitlines()[-1] for r in results if r.returncode and r.stderr.strip()],
            **counts, "lost": n - counts["distinct"], "duplicated": counts["rows"] - counts["distinct"],
            "audit_agrees": counts["audited"] == counts["rows"]}


def case(engine: str, step: str, n: int, folder: Path, work: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"engine": engine, "command": f"qa {step}", "n": n}
    command = COMMANDS[step]
    for label, count in (("one_alone", 1), ("two_at_once", 2)):
        with Scratch(engine, folder) as url:
            prepare(url, step, work)
            wall, results = run(count, *command(url, work))
            out[label] = {"wall_s": round(wall, 2), **outcome(results, tally(url, step), n)}
    out["ratio_two_vs_one"] = round(out["two_at_once"]["wall_s"] / out["one_alone"]["wall_s"], 2)
    latest = out["one_alone"]["wall_s"] * 0.9
    for label, stop in (("killed_then_rerun", "kill"), ("backend_ended_then_rerun", "backend")):
        if stop == "backend" and engine != "postgresql":
            continue
        with Scratch(engine, folder) as url:
            prepare(url, step, work)
            stopped_at, stopped = run_stopped(latest, stop, url, step, *command(url, work))
            at_stop = tally(url, step)
            wall, rerun = run(1, *command(url, work))
            out[label] = {"stopped_after_s": stopped_at, "stopped_run": outcome([stopped], at_stop, n),
                          "rerun_wall_s": round(wall, 2), **outcome(rerun, tally(url, step), n)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="conversations (default 2000)")
    parser.add_argument("--calls", type=int, default=5, help="sample calls for transcribe batch (default 5)")
    parser.add_argument("--engines", default="sqlite,postgresql", help="sqlite,postgresql")
    parser.add_argument("--steps", default=",".join(COMMANDS), help=",".join(COMMANDS))
    options = parser.parse_args()
    cases = []
    started = time.perf_counter()
    loads = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        chats = write_chats(folder / "chats.jsonl", options.n)
        for engine in options.engines.split(","):
            for step in options.steps.split(","):
                calls = step == "transcribe batch"
                work = write_calls(folder, options.calls) if calls else chats
                n = len([p for p in work.iterdir() if p.suffix not in (".json", ".csv")]) if calls else options.n
                result = case(engine, step, n, folder, work)
                loads.append(os.getloadavg()[0])
                result["load_average_1min"] = round(loads[-1], 1)
                cases.append(result)
                two = result["two_at_once"]
                print(f"{engine:10} qa {step:16}  one alone {result['one_alone']['wall_s']:6.2f} s · two at once "
                      f"{two['wall_s']:6.2f} s (×{result['ratio_two_vs_one']}) · lost {two['lost']} · duplicated "
                      f"{two['duplicated']} · audit agrees {two['audit_agrees']} · exit {two['exit_codes']} · "
                      f"tracebacks {two['tracebacks']} · load {loads[-1]:.1f}", flush=True)
                write_results(options, loads, started, cases)  # what is measured so far, should a later case not end
                for label in ("killed_then_rerun", "backend_ended_then_rerun"):
                    if label in result:
                        got = result[label]
                        print(f"{'':10}    {label:<26} stored when stopped {got['stopped_run']['distinct']}/{n} "
                              f"(exit {got['stopped_run']['exit_codes']}, tracebacks {got['stopped_run']['tracebacks']})"
                              f" · after the rerun lost {got['lost']} · duplicated {got['duplicated']} · audit agrees "
                              f"{got['audit_agrees']} · rerun exit {got['exit_codes']}", flush=True)
    problems = write_results(options, loads, started, cases)
    print(f"problems: {problems or 'none'}")
    print(f"wrote {RESULTS.relative_to(ROOT)} in {time.perf_counter() - started:.0f} s")


def write_results(options: argparse.Namespace, loads: list[float], started: float,
                  cases: list[dict[str, Any]]) -> list[str]:
    """Write the results file; the cases where something was lost, duplicated, unaudited or a traceback."""
    problems = [f"{c['engine']} {c['command']} {label}" for c in cases for label in
                ("two_at_once", "killed_then_rerun", "backend_ended_then_rerun")
                if label in c and (c[label]["lost"] or c[label]["duplicated"] or c[label]["tracebacks"]
                                   or not c[label]["audit_agrees"])]
    RESULTS.write_text(json.dumps({
        "benchmark": "concurrent_runs", "machine": platform.platform(), "cpus": os.cpu_count(),
        "options": {"n": options.n, "calls": options.calls, "engines": options.engines, "steps": options.steps},
        "load_average_1min": {"min": round(min(loads), 1), "max": round(max(loads), 1)},
        "seconds": round(time.perf_counter() - started), "problems": problems, "cases": cases,
    }, indent=2) + "\n")
    return problems


if __name__ == "__main__":
    main()
