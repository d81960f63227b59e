"""Benchmark: two runs of one command at the same time, on SQLite and PostgreSQL — nothing lost, nothing
duplicated (issue 20's goal), and what running them at once costs against one run alone.

    .venv/bin/python bench/concurrent_runs.py              # 2,000 chats, SQLite and PostgreSQL (~5 min here)
    .venv/bin/python bench/concurrent_runs.py --n 500 --engines sqlite

For each engine and each of ``qa import chats`` (one file of --n conversations), ``qa score auto``
(the review-test rubric) and ``qa review assign`` (a 100 % sample to three reviewers), on a fresh
database each time:

1. baseline: one run alone (wall time, what it stored);
2. two `qa` processes started together on the same work.

Then counts what the tables hold: lost (expected rows missing) and duplicated (rows beyond one per
conversation / interaction and rubric version / sampled item), whether the audit log agrees with the
table, exit codes and any traceback. Prints the wall-time ratio two-at-once / one-alone and writes
bench/results/concurrent_runs.json. PostgreSQL: $QA_BENCH_POSTGRES_URL (default
postgresql+psycopg://postgres@127.0.0.1:5432/postgres; a scratch database is created and dropped).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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


def prepare(url: str, step: str, chats: Path) -> None:
    """Everything a command needs before it runs."""
    from qa_toolkit.services import chat_import, people, review, rubrics
    from qa_toolkit.storage.database import open_database

    if step == "import":
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
}


def tally(url: str, step: str) -> dict[str, int]:
    """Rows stored, distinct keys among them, and what the audit log says was done."""
    from sqlalchemy import text

    from qa_toolkit.storage.database import open_database

    queries = {
        "import": ("SELECT count(*), count(DISTINCT external_id) FROM interactions", ""),
        "score auto": ("SELECT count(*), count(DISTINCT interaction_id) FROM evaluations "
                       "WHERE kind = 'auto' AND is_current = :true",
                       "SELECT count(*) FROM audit_events WHERE action = 'score.auto'"),
        "review assign": ("SELECT count(*), count(DISTINCT interaction_id) FROM review_assignments "
                          "WHERE status = 'assigned'",
                          "SELECT count(*) FROM audit_events WHERE action = 'assignment.assign'"),
    }
    database = open_database(url)
    try:
        with database.engine.connect() as connection:
            rows, distinct = connection.execute(text(queries[step][0]), {"true": True}).one()
            if step == "review assign":
                audited = connection.execute(text(queries[step][1])).scalar()
            else:  # the runs' own counts, as their audit events record them
                action = "score.auto" if step == "score auto" else "chats.import"
                events = [json.loads(a) if isinstance(a, str) else a for (a,) in connection.execute(
                    text("SELECT after FROM audit_events WHERE action = :action"), {"action": action})]
                audited = (sum(run["scored"] for after in events for run in after["runs"]) if step == "score auto"
                           else sum(after["imported"] for after in events))
    finally:
        database.close()
    return {"rows": rows, "distinct": distinct, "audited": audited}


def case(engine: str, step: str, n: int, folder: Path, chats: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"engine": engine, "command": f"qa {step}", "n": n}
    for label, count in (("one_alone", 1), ("two_at_once", 2)):
        with Scratch(engine, folder) as url:
            prepare(url, step, chats)
            wall, results = run(count, *COMMANDS[step](url, chats))
            counts = tally(url, step)
        out[label] = {"wall_s": round(wall, 2), "exit_codes": [r.returncode for r in results],
                      "tracebacks": sum("Traceback" in r.stderr for r in results),
                      "messages": [r.stderr.strip().splitlines()[-1] for r in results if r.returncode and r.stderr.strip()],
                      **counts, "lost": n - counts["distinct"], "duplicated": counts["rows"] - counts["distinct"],
                      "audit_agrees": counts["audited"] == counts["rows"]}
    out["ratio_two_vs_one"] = round(out["two_at_once"]["wall_s"] / out["one_alone"]["wall_s"], 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="conversations (default 2000)")
    parser.add_argument("--engines", default="sqlite,postgresql", help="sqlite,postgresql")
    options = parser.parse_args()
    cases = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        chats = write_chats(folder / "chats.jsonl", options.n)
        for engine in options.engines.split(","):
            for step in COMMANDS:
                result = case(engine, step, options.n, folder, chats)
                cases.append(result)
                two = result["two_at_once"]
                print(f"{engine:10} qa {step:13}  one alone {result['one_alone']['wall_s']:6.2f} s · two at once "
                      f"{two['wall_s']:6.2f} s (×{result['ratio_two_vs_one']}) · lost {two['lost']} · duplicated "
                      f"{two['duplicated']} · audit agrees {two['audit_agrees']} · exit {two['exit_codes']} · "
                      f"tracebacks {two['tracebacks']}", flush=True)
    RESULTS.write_text(json.dumps({"machine": platform.platform(), "cpus": os.cpu_count(), "cases": cases},
                                  indent=2) + "\n")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
