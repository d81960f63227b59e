"""Benchmark: `qa import chats` on a synthetic canonical JSONL file vs sqlite-utils ``insert_all``.

    python bench/import_chats.py                      # 100k conversations (~1M turns), SQLite + PostgreSQL
    python bench/import_chats.py --conversations 20000 --no-postgres
    python bench/import_chats.py --repeats 3          # each side's fastest of 3, run alternately

Generates a seeded synthetic file (about 10 turns per conversation, ~3% of turns with a card number,
e-mail address or phone number), then, each in a fresh child process so peak RSS is its own:

1. qa: ``import_chats`` into a fresh SQLite database (streaming parse, validation, PII redaction on,
   content hash, batched Core inserts of interactions, turns and PII spans);
2. baseline: the same file read line by line with ``json.loads`` and the same turn rows inserted with
   sqlite-utils ``insert_all`` (batch size 1000) into a fresh SQLite file;
3. qa into a fresh PostgreSQL database (``QA_BENCH_POSTGRES_URL``, default the local server), unless ``--no-postgres``.

With ``--repeats N``, qa and the baseline run N times each, alternately, and each keeps its fastest run
(the ratio of each pair is written too). Prints conversations/s, turns/s, peak RSS and the ratio qa / sqlite-utils (turns/s; also by CPU
time, which a busy machine disturbs less than wall-clock time; qa's CPU time includes its worker
processes), and writes ``bench/results/import_chats.json``. Targets: ratio >= 1.0 with redaction on, peak RSS < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "import_chats.json"
PG_URL = os.environ.get("QA_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

CUSTOMER = [
    "Hi, I was charged twice for my plan this month.", "My internet keeps dropping every evening.",
    "I can't log in to the app, the reset e-mail never arrives.", "Can I get a refund for last month?",
    "My card was declined at checkout, why?", "The engineer didn't show up yesterday.",
    "How do I change my payment method?", "Thanks, that worked!", "That's all, thank you.",
    "Why did my bill go up?", "I want to cancel my subscription.", "Still not working, this is frustrating.",
]
AGENT = [
    "Hello, thanks for contacting support, my name is {name}. How can I help?",
    "I'm sorry about that, let me check your account.", "Could you confirm the e-mail address on the account?",
    "Thanks, you're verified. I can see the issue now.", "I've issued a refund, you'll see it in 3-5 business days.",
    "Could you restart the router and tell me what the light shows?", "Is there anything else I can help you with?",
    "Have a great day!", "I've escalated this to our billing team.", "The new plan starts on your next bill.",
]
PII = [
    "my card is 4539 1488 0343 6467", "you can reach me at {first}.{last}@example.com",
    "call me on (212) 555-0187 please", "my SSN is 078-05-1120",
]
FIRST = ["Dana", "Sam", "Zoë", "José", "Priya", "Kenji", "Marta", "Anders", "Wei", "Olu", "Greg", "Ruth"]
LAST = ["Park", "Okafor", "Müller", "Ramírez", "Raghunathan", "Watanabe", "Kowalska", "Øberg", "Chen", "Hall"]


def generate(path: Path, conversations: int, seed: int) -> int:
    """Write the synthetic JSONL file; return the number of turns."""
    rng = random.Random(seed)
    agents = [{"id": f"a-{i:03d}", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
               "team": rng.choice(["billing", "tech", "cards"])} for i in range(200)]
    start = datetime(2026, 10, 1, tzinfo=timezone.utc)
    turns_total = 0
    with open(path, "w", encoding="utf-8") as out:
        for n in range(conversations):
            agent = rng.choice(agents)
            at = start + timedelta(seconds=rng.randrange(31 * 86400))
            turns = []
            for i in range(rng.randint(4, 16)):
                speaker = "customer" if i % 2 == 0 else "agent"
                text = rng.choice(CUSTOMER if speaker == "customer" else AGENT).format(name=agent["name"].split()[0])
                if rng.random() < 0.03:
                    text += ", " + rng.choice(PII).format(first=rng.choice(FIRST).lower(), last=rng.choice(LAST).lower())
                turns.append({"speaker": speaker, "at": at.isoformat().replace("+00:00", "Z"), "text": text})
                at += timedelta(seconds=rng.randint(5, 120))
            turns_total += len(turns)
            record = {"id": f"c-{n:07d}", "channel": "chat", "agent": agent, "customer": {"id": f"cust-{rng.randrange(40000)}"},
                      "queue": agent["team"], "csat": rng.randint(1, 5), "resolved": rng.random() < 0.8,
                      "tags": rng.sample(["refund", "outage", "login", "billing", "card"], 2), "turns": turns}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return turns_total


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _cpu_seconds() -> float:
    """This process's CPU time and that of its finished children (qa's worker processes)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _children_peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child (Linux: KiB)


def phase_qa(file: str, url: str) -> dict[str, float]:
    from qa_toolkit.services import schema
    from qa_toolkit.services.chat_import import import_chats
    from qa_toolkit.storage.database import open_database

    schema.init_database(url)
    database = open_database(url)
    started, cpu = time.perf_counter(), _cpu_seconds()
    summary = import_chats(database, [file], source="bench")
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    database.close()
    totals = summary.totals()
    assert totals["rejected"] == 0 and totals["imported"] == totals["read"], totals
    return {"seconds": seconds, "cpu_seconds": cpu, "conversations": totals["imported"], "peak_rss_mb": _peak_rss_mb(),
            "worker_peak_rss_mb": _children_peak_rss_mb()}


def phase_baseline(file: str, db_path: str) -> dict[str, float]:
    import sqlite_utils

    def rows():
        with open(file, encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                for index, turn in enumerate(record["turns"]):
                    yield {"conversation_id": record["id"], "index": index, "speaker": turn["speaker"],
                           "at": turn.get("at"), "text": turn["text"]}

    db = sqlite_utils.Database(db_path)
    started, cpu = time.perf_counter(), _cpu_seconds()
    db["turns"].insert_all(rows(), batch_size=1000)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return {"seconds": seconds, "cpu_seconds": cpu, "turns": db["turns"].count, "peak_rss_mb": _peak_rss_mb()}


def _child(phase: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--phase", phase, *args], check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _pg_database() -> tuple[str, str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"qa_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return name, make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def _drop_pg(name: str) -> None:
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL line")
    parser.add_argument("--repeats", type=int, default=1,
                        help="run qa and the baseline this many times each, alternately, and keep each one's fastest run")
    parser.add_argument("--phase", choices=["qa", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("args", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.phase == "qa":
        print(json.dumps(phase_qa(*options.args)))
        return
    if options.phase == "baseline":
        print(json.dumps(phase_baseline(*options.args)))
        return

    with tempfile.TemporaryDirectory(prefix="qa-bench-") as tmp:
        file = Path(tmp) / "chats.jsonl"
        t0 = time.perf_counter()
        turns = generate(file, options.conversations, options.seed)
        size_mb = file.stat().st_size / 1e6
        print(f"generated {options.conversations:,} conversations, {turns:,} turns, {size_mb:.0f} MB "
              f"in {time.perf_counter() - t0:.1f}s")
        qa_runs, base_runs = [], []
        for run in range(options.repeats):  # alternately, so a slow spell of the machine hits both
            qa_runs.append(_child("qa", str(file), f"sqlite:///{Path(tmp) / f'qa{run}.db'}"))
            base_runs.append(_child("baseline", str(file), str(Path(tmp) / f"baseline{run}.db")))
            for leftover in Path(tmp).glob("*.db*"):
                leftover.unlink()
        qa, base = (min(runs, key=lambda r: r["seconds"]) for runs in (qa_runs, base_runs))
        assert base["turns"] == turns, (base["turns"], turns)
        pg = None
        if not options.no_postgres:
            name, url = _pg_database()
            try:
                pg = _child("qa", str(file), url)
            finally:
                _drop_pg(name)

    def line(label: str, result: dict[str, float]) -> dict[str, float]:
        row = {"seconds": round(result["seconds"], 2), "cpu_seconds": round(result["cpu_seconds"], 2),
               "conversations_per_s": round(options.conversations / result["seconds"]),
               "turns_per_s": round(turns / result["seconds"]), "peak_rss_mb": round(result["peak_rss_mb"], 1)}
        if result.get("worker_peak_rss_mb"):
            row["worker_peak_rss_mb"] = round(result["worker_peak_rss_mb"], 1)
        print(f"{label:<34} {row['seconds']:>7.1f}s wall {row['cpu_seconds']:>7.1f}s CPU "
              f"{row['conversations_per_s']:>8,} conv/s {row['turns_per_s']:>9,} turns/s  "
              f"peak RSS {row['peak_rss_mb']:>5.0f} MB"
              + (f" (+ {row['worker_peak_rss_mb']:.0f} MB per worker process)" if "worker_peak_rss_mb" in row else ""))
        return row

    print()
    rows = {"qa_sqlite": line("qa import chats (SQLite, redact)", qa),
            "sqlite_utils_insert_all": line("sqlite-utils insert_all (turns)", base)}
    if pg is not None:
        rows["qa_postgresql"] = line("qa import chats (PostgreSQL)", pg)
    ratio = round(rows["qa_sqlite"]["turns_per_s"] / rows["sqlite_utils_insert_all"]["turns_per_s"], 2)
    cpu_ratio = round(rows["sqlite_utils_insert_all"]["cpu_seconds"] / rows["qa_sqlite"]["cpu_seconds"], 2)
    print(f"\nratio qa / sqlite-utils (turns/s, wall clock): {ratio:.2f}  (target >= 1.0); "
          f"by CPU time: {cpu_ratio:.2f}\nqa peak RSS {rows['qa_sqlite']['peak_rss_mb']:.0f} MB (target < 300 MB); "
          f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "benchmark": "import_chats", "conversations": options.conversations, "turns": turns, "file_mb": round(size_mb, 1),
        "seed": options.seed, "redaction": True, "repeats": options.repeats, "results": rows,
        "ratio_qa_over_sqlite_utils": ratio,
        "ratio_per_run": [round(b["seconds"] / q["seconds"], 2) for q, b in zip(qa_runs, base_runs)],
        "ratio_by_cpu_time": cpu_ratio, "load_average_1min": round(os.getloadavg()[0], 1),
        "targets": {"ratio": 1.0, "peak_rss_mb": 300}, "machine": {"python": platform.python_version(),
                                                                   "cpus": os.cpu_count(), "platform": platform.platform()},
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
