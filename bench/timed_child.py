"""The timed child process the scoring benchmarks share (score_throughput, verdict_cache, embed_ahead).

One step in a new process on a SQLite database: ``score`` (``scoring.score_auto`` of a rubric, optionally published
first) or ``import`` (``import_chats`` of a JSON Lines file, optionally embedding as it stores). Imports, the
rubric's publication and the model's load are outside the timed part; CPU time counts this process and its worker
processes (waited for). The figures come back as the child's last line, with rates per wall and CPU second.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import cProfile, json, pstats, resource, sys, time
job = json.loads(sys.stdin.read())
import qa_toolkit
assert qa_toolkit.__file__.startswith(job['tree']), qa_toolkit.__file__
from qa_toolkit.scoring import semantic
from qa_toolkit.services import scoring
from qa_toolkit.storage.database import open_database
if job['model']:
    semantic.encoder().embed(['load the model first'])  # outside the timed part, as the imports are
database = open_database('sqlite:///' + job['db'])
if job.get('body'):
    import yaml
    from qa_toolkit.rubrics.loader import parse_rubric
    from qa_toolkit.services import rubrics
    with database.session() as session:
        rubrics.publish(session, parse_rubric(yaml.safe_dump(job['body'], sort_keys=False)), actor='bench')
if job['step'] == 'import':
    from qa_toolkit.services.chat_import import import_chats
def cpu():  # this process and its workers (waited for)
    r, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime
profiler = cProfile.Profile() if job['profile'] else None
c0, w0 = cpu(), time.perf_counter()
if profiler:
    profiler.enable()
if job['step'] == 'import':
    summary = import_chats(database, [job['chats']], source='bench', workers=1, embed=job['embed'])
    done, extra = summary.totals()['imported'], {}
else:
    (run,) = scoring.score_auto(database, rubric=job['rubric'], workers=job['workers'], batch_size=job['batch'])
    done, extra = run.scored, {'mean_score': run.mean_score}
if profiler:
    profiler.disable()
wall, used = time.perf_counter() - w0, cpu() - c0
if profiler:
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats('tottime').print_stats(30)
    stats.sort_stats('cumulative').print_stats(40)
print(json.dumps({'scored': done, 'wall_s': wall, 'cpu_s': used, 'embedded': semantic.encoder().encoded, **extra}))
"""


def run_child(tree: Path, db: Path, *, step: str = "score", rubric: str = "", body: dict[str, Any] | None = None,
              chats: Path | None = None, embed: bool = False, profile: bool = False, workers: int = 1,
              batch: int = 1000, env: dict[str, str] | None = None) -> dict[str, Any]:
    """One timed step in a new process with ``tree`` on its path, on ``db`` (changed in place): ``score`` the rubric
    ``rubric`` (``body``: published first, under its name) or ``import`` ``chats`` (``embed``: into the embedding
    cache as stored). The model is loaded first unless the step needs none (the keyword rubric, a plain import)."""
    rubric = body["name"] if body else rubric
    model = embed if step == "import" else rubric != "bench-keyword"
    job = {"tree": str(tree), "db": str(db), "step": step, "rubric": rubric, "body": body, "embed": embed,
           "chats": str(chats) if chats else None, "model": model, "profile": profile, "workers": workers,
           "batch": batch}
    out = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(job), cwd=tree, capture_output=True, text=True,
                         env={**os.environ, **(env or {}), "PYTHONPATH": str(tree)})
    return child_result(out, f"{tree}, {step} {rubric}", profile)


def child_result(out: subprocess.CompletedProcess[str], what: str, profile: bool) -> dict[str, Any]:
    """A timed child's figures from its last line, with its rates per wall and CPU second and the load now (its
    profile printed)."""
    if out.returncode:
        raise SystemExit(f"child failed ({what}):\n{out.stderr[-4000:]}")
    if profile:
        print(out.stderr)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["per_s_wall"] = round(result["scored"] / result["wall_s"], 1)
    result["per_s_cpu"] = round(result["scored"] / result["cpu_s"], 1)
    result["load"] = round(os.getloadavg()[0], 1)
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in result.items()}


def revision() -> str:
    """This checkout's commit, with ``+changes`` when the package has uncommitted changes."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "qa_toolkit"], cwd=ROOT, check=True, capture_output=True,
                           text=True).stdout.strip()
    return head + ("+changes" if dirty else "")


def load_average() -> list[float]:
    """The load averages now (1, 5, 15 minutes)."""
    return [round(x, 1) for x in os.getloadavg()]


def write_results(path: Path, result: dict[str, Any], load_before: list[float]) -> None:
    """Write ``result`` with the machine's figures (the goal, CPUs, Python, the load before and after, when) to
    ``path`` as JSON."""
    result = {**result, "target_interactions_per_s": 2000, "cpus": os.cpu_count(),
              "python": platform.python_version(), "load_average_before": load_before,
              "load_average_after": load_average(),
              "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
