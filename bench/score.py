"""Benchmark: `qa score auto` with the shipped support-chat rubric on synthetic chats in SQLite.

    .venv/bin/python bench/score.py            # 100k interactions (~10 turns each)
    .venv/bin/python bench/score.py --n 20000  # quicker

Generates seeded synthetic chats (greetings, complaints, verification, account details, refunds,
escalations, the odd prohibited phrase and card number, timestamps, repeat contacts) straight into a
fresh SQLite database, stored as the chat importer stores them (PII redacted to placeholders, with
``pii_spans`` rows), publishes ``support-chat``, then, each in its own child process so peak RSS
is its own:

1. qa: ``qa score auto --rubric support-chat`` (all checks, the formula, batched inserts of
   evaluations and criterion results), on ``--n / 10`` interactions and then on all ``--n``:
   interactions/s and peak RSS at both sizes (memory should be flat in the number of interactions);
2. baseline: plain ``sqlite3`` reading the same interactions and turns in the same batches and
   writing one row per interaction (the I/O floor, no checks).

Prints interactions/s, peak RSS, and the ratio qa / baseline; target >= 2,000 interactions/s on a
2-core machine. Also the CPU time per interaction (all processes) and the rate it allows when the
cores are free, since a shared machine's wall-clock rate depends on what else runs. Writes
bench/results/score.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "score.json"
QA = [sys.executable, "-m", "qa_toolkit.cli"] if not (ROOT / ".venv" / "bin" / "qa").exists() else [
    str(ROOT / ".venv" / "bin" / "qa")]

OPENINGS = ["Hello, thanks for contacting us, my name is {name}. How can I help?", "Hi {customer}! How can I help?",
            "Good morning, welcome to Acme support.", "Reason?", "Thanks for reaching out, this is {name}."]
PROBLEMS = ["Hi, I was charged twice for my plan this month.", "My internet keeps dropping, I'm fed up!",
            "I can't log in to the app, this is ridiculous.", "Can I get a refund for last month?",
            "My card 4111 1111 1111 1111 was declined at checkout.", "Why did my bill go up?",
            "I want to cancel my subscription.", "Where is order 1234567812345678?"]
EMPATHY = ["I'm so sorry about that, I understand how frustrating it is.", "Let me check that.",
           "That must be annoying, let's get it sorted.", "Calm down, I'm looking."]
VERIFY = ["Could you confirm your date of birth for security?", "Please confirm the postcode on the account.",
          "Your account shows an outstanding amount of $120."]
DETAILS = ["Thanks, you're verified. Your balance is $312.40.", "I can see the charge of $49 twice on your account.",
           "Refunds are issued within 30 days.", "Refunds take 14 days.", "I'll transfer you to our billing team."]
FIXES = ["I've refunded the duplicate charge, it has been processed.", "I've reset your connection, it should work now.",
         "Your plan has been changed from next month.", "I've cancelled your subscription."]
REPLIES = ["12 March 1988", "SW1A 1AA", "ok", "Why?", "sure, one sec"]
ENDINGS = ["Great, thank you!", "Still not working.", "ok", "Thanks, that worked!", "Worst service ever."]
CLOSINGS = ["Is there anything else I can help with? Have a great day!", "Bye.", "Anything else?", "Done."]


def conversation(rng: random.Random, i: int) -> list[tuple[str, str]]:
    """About ten turns: customer problem, agent opening, empathy, verification, details, fix, ending."""
    name = rng.choice(["Dana", "José", "Zoë", "Li Lei", "Sam"])
    turns = [("customer", rng.choice(PROBLEMS)), ("agent", rng.choice(OPENINGS).format(name=name, customer="there")),
             ("agent", rng.choice(EMPATHY)), ("agent", rng.choice(VERIFY)), ("customer", rng.choice(REPLIES)),
             ("agent", rng.choice(DETAILS)), ("customer", rng.choice(REPLIES)), ("agent", rng.choice(FIXES)),
             ("customer", rng.choice(ENDINGS)), ("agent", rng.choice(CLOSINGS))]
    return turns


def generate(path: Path, n: int, seed: int) -> None:
    """A fresh database at head with ``n`` synthetic chats, written with plain executemany."""
    from qa_toolkit.services import rubrics, schema
    from qa_toolkit.storage.database import open_database

    url = f"sqlite:///{path}"
    schema.init_database(url)
    database = open_database(url)
    with database.session() as session:
        rubrics.publish_file(session, "support-chat", actor="bench")
    database.close()
    from qa_toolkit.ingest.pii import redact

    rng = random.Random(seed)
    start = datetime(2026, 9, 1, tzinfo=timezone.utc)
    batch_s: list[tuple] = []  # type: ignore[type-arg]
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.executemany("INSERT INTO agents (id, external_id, name, team, created_at) VALUES (?, ?, ?, ?, ?)",
                    [(a, f"a-{a}", f"Agent {a}", f"team-{a % 10}", start.isoformat()) for a in range(1, 201)])
    batch_i: list[tuple] = []  # type: ignore[type-arg]
    batch_t: list[tuple] = []  # type: ignore[type-arg]
    for i in range(1, n + 1):
        began = start + timedelta(seconds=rng.randrange(0, 60 * 86400))
        batch_i.append((i, "bench", f"c-{i}", "chat", rng.randrange(1, 201), f"cust-{rng.randrange(n // 3 + 1)}",
                        began.isoformat(sep=" "), rng.choice(["billing", "tech", "sales"]), "[]", "{}",
                        began.isoformat(sep=" "), began.isoformat(sep=" "), 1))
        offset = 0
        for index, (speaker, text) in enumerate(conversation(rng, i)):
            offset += rng.randrange(5, 90)
            redacted = redact(text)  # stored as the chat importer stores it: placeholders plus PII spans
            batch_s.extend((i, index, speaker, span.kind, span.start, span.end) for span in redacted.spans)
            batch_t.append((i, index, speaker, redacted.text,
                            (began + timedelta(seconds=offset)).isoformat(sep=" ")))
        if len(batch_i) >= 5000 or i == n:
            con.executemany("INSERT INTO interactions (id, source, external_id, channel, agent_id, "
                            "customer_external_id, started_at, queue, tags, metadata, created_at, updated_at, "
                            "pii_redacted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch_i)
            con.executemany("INSERT INTO turns (interaction_id, \"index\", speaker, text, at, internal) "
                            "VALUES (?, ?, ?, ?, ?, 0)", batch_t)
            con.executemany("INSERT INTO pii_spans (interaction_id, turn_index, speaker, kind, start, \"end\") "
                            "VALUES (?, ?, ?, ?, ?, ?)", batch_s)
            batch_i.clear()
            batch_t.clear()
            batch_s.clear()
    con.commit()
    con.close()


def child(kind: str, path: Path, limit: int, workers: int) -> dict:  # type: ignore[type-arg]
    """Run one measurement in a child process; returns its timing and peak RSS."""
    code = f"""
import json, resource, sys, time
sys.argv = ['bench']
kind, path, limit, workers = {kind!r}, {str(path)!r}, {limit}, {workers}
start = time.perf_counter()
if kind == 'qa':
    from qa_toolkit.services import scoring
    from qa_toolkit.storage.database import open_database
    db = open_database('sqlite:///' + path)
    runs = scoring.score_auto(db, rubric='support-chat', query=None if limit == 0 else f'id=' + '|'.join(
        f'c-{{i}}' for i in range(1, limit + 1)), workers=workers)
    count = runs[0].scored
else:
    import sqlite3
    con = sqlite3.connect(path)
    con.execute('CREATE TABLE IF NOT EXISTS baseline (interaction_id INTEGER, turns INTEGER, chars INTEGER)')
    last, count = 0, 0
    while True:
        ids = [r[0] for r in con.execute('SELECT id FROM interactions WHERE id > ? ORDER BY id LIMIT 1000', (last,))]
        if not ids or (limit and count >= limit):
            break
        marks = ','.join('?' * len(ids))
        rows = {{}}
        for iid, speaker, text, at in con.execute(
                f'SELECT interaction_id, speaker, text, at FROM turns WHERE interaction_id IN ({{marks}}) '
                'ORDER BY interaction_id, "index"', ids):
            rows.setdefault(iid, []).append((speaker, text, at))
        con.executemany('INSERT INTO baseline VALUES (?, ?, ?)',
                        [(i, len(t), sum(len(x[1]) for x in t)) for i, t in rows.items()])
        con.commit()
        count += len(ids)
        last = ids[-1]
elapsed = time.perf_counter() - start
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
peak = max(me.ru_maxrss, kids.ru_maxrss)
cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
print(json.dumps({{'count': count, 'seconds': elapsed, 'cpu_seconds': cpu, 'peak_rss_mb': peak / 1024}}))
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="synthetic interactions (default 100,000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--generate", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:  # in a child process, so this process stays small and its peak RSS is not inherited
        generate(Path(args.generate), args.n, args.seed)
        return
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "small.db", Path(tmp) / "large.db"
        t0 = time.perf_counter()
        for path, n in ((large, args.n), (small, max(1, args.n // 10))):
            subprocess.run([sys.executable, __file__, "--generate", str(path), "--n", str(n), "--seed",
                            str(args.seed)], check=True, cwd=ROOT)
        print(f"generated {args.n:,} + {args.n // 10:,} interactions in {time.perf_counter() - t0:.1f} s")
        base = child("baseline", large, 0, 1)
        qa_small = child("qa", small, 0, args.workers)
        qa_large = child("qa", large, 0, args.workers)
    rate = qa_large["count"] / qa_large["seconds"]
    base_rate = base["count"] / base["seconds"]
    result = {
        "benchmark": "score", "interactions": args.n, "turns_per_interaction": 10, "rubric": "support-chat",
        "workers": args.workers, "cpus": os.cpu_count(), "python": platform.python_version(),
        "qa": {"interactions": qa_large["count"], "seconds": round(qa_large["seconds"], 2),
               "interactions_per_s": round(rate), "peak_rss_mb": round(qa_large["peak_rss_mb"], 1),
               "cpu_ms_per_interaction": round(1000 * qa_large["cpu_seconds"] / qa_large["count"], 3),
               "cpu_bound_rate_on_free_cores": round(min(args.workers, os.cpu_count() or 1) * qa_large["count"]
                                                     / qa_large["cpu_seconds"])},
        "load_average_during_run": [round(x, 2) for x in os.getloadavg()],
        "qa_small": {"interactions": qa_small["count"], "seconds": round(qa_small["seconds"], 2),
                     "interactions_per_s": round(qa_small["count"] / qa_small["seconds"]),
                     "peak_rss_mb": round(qa_small["peak_rss_mb"], 1)},
        "baseline_sqlite3_read_write": {"interactions_per_s": round(base_rate), "seconds": round(base["seconds"], 2),
                                        "peak_rss_mb": round(base["peak_rss_mb"], 1)},
        "ratio_qa_to_baseline": round(rate / base_rate, 3),
        "target_interactions_per_s": 2000, "meets_target": rate >= 2000,
        "rss_growth_10x_data": round(qa_large["peak_rss_mb"] / qa_small["peak_rss_mb"], 2),
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"qa score auto: {rate:,.0f} interactions/s ({qa_large['count']:,} in {qa_large['seconds']:.1f} s), "
          f"peak RSS {qa_large['peak_rss_mb']:.0f} MB ({qa_small['peak_rss_mb']:.0f} MB at 1/10 of the data)")
    print(f"CPU {result['qa']['cpu_ms_per_interaction']} ms per interaction (all processes) -> "
          f"{result['qa']['cpu_bound_rate_on_free_cores']:,}/s if {args.workers} cores were free; "
          f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"baseline (sqlite3 read + 1 row write): {base_rate:,.0f} interactions/s; ratio qa/baseline "
          f"{rate / base_rate:.3f}; target 2,000/s: {'met' if rate >= 2000 else 'NOT met'}")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
