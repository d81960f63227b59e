"""Benchmark: what keeping the overview's rollups costs `qa import chats` (revision 0015).

The same synthetic file (bench/import_chats.py's generator, 20,000 conversations by default) is imported into
a fresh database, each run in a fresh child process, alternately:

  off:  the rollups are not folded at commit (the triggers still note each change: their cost is in both)
  on:   the rollups folded before each batch's commit, as `qa` does (this checkout's code)
  base off / base: both again with the code of another checkout (``--base DIR``, e.g. a worktree of the commit
        before a change; each variant is compared with the same code's "off", as other code may differ too)

Each variant keeps its fastest of ``--repeats`` runs (wall and CPU time of the importing process; on
PostgreSQL the server's own work is in the wall time only). After each "on" run the rollups are checked
against a full recompute (every interaction noted as changed and folded again: nothing may move).
Writes bench/results/rollup_cost.json.

    .venv/bin/python bench/rollup_cost.py --base /tmp/main-checkout --repeats 3
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
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_chats import _cpu_seconds, _drop_pg, _pg_database, generate  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "rollup_cost.json"


def _rollups(url: str) -> list[tuple[Any, ...]]:
    from sqlalchemy import select

    from qa_toolkit.storage.database import open_database
    from qa_toolkit.storage.models import OverviewRollup

    database = open_database(url)
    with database.engine.connect() as connection:
        rows = sorted(tuple(r) for r in connection.execute(select(OverviewRollup.__table__)))
    database.close()
    return rows


def _recomputed(url: str) -> list[tuple[Any, ...]]:
    """The rollups after noting every interaction as changed and folding them all again."""
    from sqlalchemy import text

    from qa_toolkit.storage import rollups
    from qa_toolkit.storage.database import open_database

    database = open_database(url)
    with database.engine.begin() as connection:
        connection.execute(text("INSERT INTO rollup_changes (interaction_id) SELECT id FROM interactions"))
        rollups.refresh(connection)
    database.close()
    return _rollups(url)


def phase(file: str, url: str, fold: bool) -> dict[str, Any]:
    from sqlalchemy import event

    from qa_toolkit.services import schema
    from qa_toolkit.services.chat_import import import_chats
    from qa_toolkit.storage import rollups
    from qa_toolkit.storage.database import open_database

    schema.init_database(url)
    database = open_database(url)
    if not fold:
        event.remove(database._sessions, "before_commit", rollups._before_commit)  # noqa: SLF001
    started, cpu = time.perf_counter(), _cpu_seconds()
    summary = import_chats(database, [file], source="bench", workers=1)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    database.close()
    totals = summary.totals()
    assert totals["rejected"] == 0 and totals["imported"] == totals["read"], totals
    exact = None
    if fold:
        before = _rollups(url)
        exact = bool(before) and before == _recomputed(url)
    import qa_toolkit

    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu, 2), "conversations": totals["imported"],
            "rollups_exact": exact, "code": str(Path(qa_toolkit.__file__).parents[1])}


def _child(code: Path, file: str, url: str, fold: bool) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run([sys.executable, __file__, "--phase", "on" if fold else "off", file, url], check=True,
                         capture_output=True, text=True, env=env, cwd=code)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--base", type=Path, help="a checkout whose code runs the 'base' variant")
    parser.add_argument("--phase", choices=["on", "off"], help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.args[0], args.args[1], args.phase == "on")))
        return
    here = Path(__file__).resolve().parents[1]
    variants = [("off", here, False), ("on", here, True)]
    if args.base:  # the other checkout with and without the fold: its own cost, whatever else differs in it
        variants += [("base off", args.base.resolve(), False), ("base", args.base.resolve(), True)]
    results: dict[str, Any] = {}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        file = str(Path(tmp) / "chats.jsonl")
        generate(Path(file), args.conversations, 42)
        for engine in args.engines.split(","):
            best: dict[str, dict[str, Any]] = {}
            for repeat in range(args.repeats):
                for name, code, fold in variants:
                    if engine == "sqlite":
                        pg_name, url = None, f"sqlite:///{tmp}/{name}-{repeat}.db"
                    else:
                        pg_name, url = _pg_database()
                    try:
                        run = _child(code, file, url, fold)
                    finally:
                        if pg_name:
                            _drop_pg(pg_name)
                        elif Path(url[10:]).exists():
                            Path(url[10:]).unlink()
                    print(engine, name, run, flush=True)
                    if name not in best or run["cpu_seconds"] < best[name]["cpu_seconds"]:
                        best[name] = run
            results[engine] = {}
            for name, run in best.items():  # each against the same code without the fold
                off = best["base off" if name.startswith("base") else "off"]
                results[engine][name] = {**run, "cpu_vs_off": round(run["cpu_seconds"] / off["cpu_seconds"], 3),
                                         "wall_vs_off": round(run["seconds"] / off["seconds"], 3)}
    payload = {"benchmark": "rollup_cost", "conversations": args.conversations, "repeats": args.repeats,
               "base": str(args.base) if args.base else None, "machine": platform.platform(), "cpus": os.cpu_count(),
               "load_average_before": load_before, "load_average": os.getloadavg(), "results": results}
    RESULTS.write_text(json.dumps(payload, indent=2) + "\n")
    print(json.dumps(payload, indent=2))


if __name__ == "__main__":
    main()
