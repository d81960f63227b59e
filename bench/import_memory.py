"""Benchmark: peak memory of `qa import chats` against input size (issue 20 item 12, import part).

    python bench/import_memory.py                           # 100k conversations, one of 2M turns (JSONL, CSV)
    python bench/import_memory.py --conversations 1000000   # the issue's 1M conversations (minutes)
    python bench/import_memory.py --raised                  # also the 2M-turn conversation with the limits raised

Each case is a fresh `qa import chats` subprocess into a fresh SQLite database; its peak resident memory
(``ru_maxrss`` from ``wait4``: the largest process of its tree) is compared with the baseline measured in
the same run, a file of 1,000 small conversations. Cases:

- many conversations (2 turns each): memory must stay flat as the count grows;
- one conversation of 2M turns as one JSON Lines line (90 MB) and as 2M CSV rows: with the default limits
  it is rejected (``--max-record-bytes``, ``--max-turns``) with memory bounded; with ``--raised`` it is
  imported, which shows what holding it costs;
- the largest line ``--max-record-bytes`` lets through: 16 MiB of the smallest turns, and 16 MiB of 1.6M tiny
  objects in ``metadata``: both rejected by ``--max-values`` (1M values) before anything is built;
- the most values ``--max-values`` lets through, in the costliest shapes: tiny objects, and chains of one-key
  objects 50 deep, in ``metadata`` (imported): what one record can cost;
- a 200 MiB line inside a 200 KB ``.jsonl.gz`` between two valid records.

Writes ``bench/results/import_memory.json``. Goal: every case with the default limits <= 500 MB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "import_memory.json"
QA = str(Path(sys.executable).with_name("qa"))
GOAL_MB = 500


def conversation(cid: int) -> bytes:
    return (b'{"id":"c-%d","agent":{"id":"a-%d"},"started_at":"2026-10-01T10:00:00Z","turns":['
            b'{"speaker":"customer","text":"Hi, I was charged twice this month."},'
            b'{"speaker":"agent","text":"Sorry about that, let me check your account."}]}\n' % (cid, cid % 200))


def write_many(path: Path, count: int) -> None:
    with path.open("wb") as out:
        for start in range(0, count, 10_000):
            out.write(b"".join(conversation(i) for i in range(start, min(count, start + 10_000))))


def write_long_jsonl(path: Path, turns: int) -> None:
    turn = b'{"speaker":"agent","text":"ok"},'
    with path.open("wb") as out:
        out.write(conversation(0))
        out.write(b'{"id":"long","agent":{"id":"a-1"},"turns":[')
        for start in range(0, turns - 1, 100_000):
            out.write(turn * min(100_000, turns - 1 - start))
        out.write(b'{"speaker":"customer","text":"bye"}]}\n')
        out.write(conversation(1))


def write_long_csv(path: Path, turns: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("conversation_id,agent_id,speaker,text\nfirst,a-1,customer,hello\n")
        for start in range(0, turns, 100_000):
            out.write("long,a-1,agent,ok\n" * min(100_000, turns - start))
        out.write("last,a-1,customer,bye\n")


def write_worst(path: Path, size: int = 16 << 20, turn: bytes = b'{"speaker":"agent","text":"ok"},',
                key: bytes = b"turns") -> None:
    """A line just under ``--max-record-bytes`` holding the smallest objects it can: the most values parsed per
    byte; in ``turns`` (rejected by ``--max-turns`` after parsing) or in ``metadata`` (imported)."""
    count = (size - 200) // len(turn)
    items = turn * (count - 1) + turn.rstrip(b",")
    if key == b"turns":
        body = b'"turns":[' + items + b"]"
    else:
        body = b'"turns":[{"speaker":"agent","text":"hi"}],"metadata":{"x":[' + items + b"]}"
    path.write_bytes(b'{"id":"w","agent":{"id":"a-1"},' + body + b"}\n")


def write_values(path: Path, values: int, item: bytes, per_item: int) -> None:
    """One record of ``values`` JSON values or just under: copies of ``item`` (``per_item`` values each) in
    ``metadata``, beside the 10 values of a minimal record."""
    count = (values - 10) // per_item
    path.write_bytes(b'{"id":"v","agent":{"id":"a-1"},"turns":[{"speaker":"agent","text":"hi"}],"metadata":{"x":['
                     + b",".join([item] * count) + b"]}}\n")


def write_huge_gz(path: Path, size: int) -> None:
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(conversation(0))
        out.write(b'{"id":"huge","agent":{"id":"a-1"},"turns":[{"speaker":"agent","text":"')
        for _ in range(size // (1 << 20)):
            out.write(b"x" * (1 << 20))
        out.write(b'"}]}\n')
        out.write(conversation(1))


def run_case(folder: Path, name: str, path: Path, *options: str) -> dict[str, object]:
    db = folder / f"{name}.db"
    url = f"sqlite:///{db}"
    subprocess.run([QA, "init", "--db", url], check=True, capture_output=True)
    started = time.perf_counter()
    with (folder / "out").open("wb") as stdout, (folder / "err").open("wb") as stderr:
        child = subprocess.Popen([QA, "import", "chats", str(path), "--db", url, "--json", *options],
                                 stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)  # the rusage of this child alone (and what it reaped)
        child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    peak_kb = usage.ru_maxrss
    out, err = (folder / "out").read_bytes(), (folder / "err").read_bytes()
    totals = json.loads(out)["totals"] if out.strip() else {}
    errors = [line for line in err.decode(errors="replace").splitlines() if ": " in line][:2]
    return {"case": name, "input_mb": round(path.stat().st_size / (1 << 20), 1), "options": list(options),
            "exit": child.returncode, "imported": totals.get("imported"), "rejected": totals.get("rejected"),
            "peak_rss_mb": round(peak_kb / 1024, 1), "seconds": round(seconds, 1), "errors": errors,
            "traceback": "Traceback" in err.decode(errors="replace")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--turns", type=int, default=2_000_000, help="turns of the one long conversation")
    parser.add_argument("--values", type=int, default=1_000_000, help="values of the largest records let through "
                        "(the default --max-values)")
    parser.add_argument("--raised", action="store_true", help="also import the long conversation with limits raised")
    args = parser.parse_args()
    cases: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="qa-import-memory-") as tmp:
        folder = Path(tmp)
        plan: list[tuple[str, Path, tuple[str, ...]]] = []
        small = folder / "baseline.jsonl"
        write_many(small, 1000)
        plan.append(("baseline: 1,000 conversations", small, ()))
        many = folder / "many.jsonl"
        write_many(many, args.conversations)
        plan.append((f"{args.conversations:,} conversations", many, ()))
        long_jsonl = folder / "long.jsonl"
        write_long_jsonl(long_jsonl, args.turns)
        plan.append((f"one conversation of {args.turns:,} turns, JSONL (default limits)", long_jsonl, ()))
        long_csv = folder / "long.csv"
        write_long_csv(long_csv, args.turns)
        plan.append((f"one conversation of {args.turns:,} turns, CSV (default limits)", long_csv, ()))
        worst = folder / "worst.jsonl"
        write_worst(worst)
        plan.append(("largest line --max-record-bytes lets through: 16 MiB of tiny turns", worst, ()))
        objects = folder / "objects.jsonl"
        write_worst(objects, turn=b'{"k":"v"},', key=b"metadata")
        plan.append(("16 MiB of 1.6M tiny objects in metadata", objects, ()))
        most = folder / "most.jsonl"
        write_values(most, args.values, b'{"k":"v"}', 2)
        plan.append((f"{args.values:,} values as tiny objects in metadata", most, ()))
        chains = folder / "chains.jsonl"
        write_values(chains, args.values, b'{"k":' * 50 + b"0" + b"}" * 50, 51)
        plan.append((f"{args.values:,} values as one-key objects 50 deep", chains, ()))
        huge = folder / "huge.jsonl.gz"
        write_huge_gz(huge, 200 << 20)
        plan.append(("a 200 MiB line in a .jsonl.gz", huge, ()))
        if args.raised:
            raised = ("--max-record-bytes", "1G", "--max-turns", str(args.turns + 1))
            plan.append((f"one conversation of {args.turns:,} turns, JSONL (limits raised)", long_jsonl, raised))
        for name, path, options in plan:
            case = run_case(folder, name.split(":")[0].replace(" ", "_")[:40], path, *options)
            case["case"] = name
            cases.append(case)
            print(f"{name:<62} {case['input_mb']:>8} MB in  peak {case['peak_rss_mb']:>7} MB  "
                  f"{case['seconds']:>6} s  exit {case['exit']}  imported {case['imported']}  rejected {case['rejected']}",
                  flush=True)
    base = float(cases[0]["peak_rss_mb"])  # type: ignore[arg-type]
    for case in cases:
        case["ratio_vs_baseline"] = round(float(case["peak_rss_mb"]) / base, 2)  # type: ignore[arg-type]
    print("\nratio of peak RSS to the baseline's:")
    for case in cases:
        print(f"  {case['case']:<62} {case['ratio_vs_baseline']:>5}x")
    default_cases = [c for c in cases if not c["options"]]
    result = {
        "benchmark": "import_memory", "goal_peak_rss_mb": GOAL_MB, "cases": cases,
        "within_goal": all(float(c["peak_rss_mb"]) <= GOAL_MB for c in default_cases),  # type: ignore[arg-type]
        "load_average_1min": round(os.getloadavg()[0], 1),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}; every default-limit case <= {GOAL_MB} MB: {result['within_goal']}")


if __name__ == "__main__":
    main()
