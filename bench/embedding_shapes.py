"""Benchmark: what fixed-shape embedding costs, and whether a sentence's vector depends on its batch.

    .venv/bin/python bench/embedding_shapes.py              # 400 dev sentences, 2 alternating rounds
    .venv/bin/python bench/embedding_shapes.py --n 1000 --rounds 3

The semantic checks embed a sentence once (then read it from the caches), so the first batch it met decided its
vector. Sentence-transformers pads a batch to its longest text and runs products whose shapes follow the batch,
whose float32 sums round differently, so the same sentence got other float16 vectors beside other sentences, and a
similarity at a threshold could flip. ``semantic._fixed_shape_embed`` runs each text in a batch of one fixed
shape for its length. This measures, on the first ``--n`` unique sentences of chats_dev.jsonl (dev only), in one
process with the model loaded first and the rounds alternating:

* CPU (process) time per way: ``batched`` (sentence-transformers' ``encode``, batches of 64, what main ran) vs
  ``fixed`` (this code) vs ``one by one`` (a batch per text, no padding; ``--solo`` rounds only);
* batch dependence: each sentence of a random half embedded again inside another random batch, and 40 of them
  alone, and the rows whose float16 bits differ from the first run counted, for each way.

Writes bench/results/embedding_shapes.json with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "embedding_shapes.json"


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=400, help="unique dev sentences (default 400)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of each way (default 2)")
    parser.add_argument("--solo", type=int, default=1, help="rounds of one text per batch (default 1)")
    args = parser.parse_args()

    import numpy as np

    from qa_toolkit.scoring import semantic

    said: list[str] = []
    for line in (ROOT / "tests" / "data" / "labelled" / "chats_dev.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            for turn in json.loads(line)["turns"]:
                said += [turn["text"][s:e] for s, e in semantic.sentences(turn["text"])]
    texts = list(dict.fromkeys(said))[: args.n]
    model = semantic.encoder().model  # loaded outside the timed part

    def batched(batch: list[str]) -> np.ndarray:
        return model.encode(batch, batch_size=64, convert_to_numpy=True, normalize_embeddings=True,
                            show_progress_bar=False).astype(semantic.VECTOR_FORMAT)

    ways = {"batched": batched, "fixed": lambda batch: semantic._fixed_shape_embed(model, batch),
            "one_by_one": lambda batch: np.stack([batched([t])[0] for t in batch])}
    ways["fixed"](texts[:8])
    load = [round(os.getloadavg()[0], 1)]
    cpu_s: dict[str, list[float]] = {name: [] for name in ways}
    first: dict[str, np.ndarray] = {}
    for r in range(args.rounds):
        for name, way in ways.items():
            if name == "one_by_one" and r >= args.solo:
                continue
            c = cpu()
            vectors = way(texts)
            cpu_s[name].append(round(cpu() - c, 2))
            first.setdefault(name, vectors)
        load.append(round(os.getloadavg()[0], 1))
    rng = random.Random(7)
    half = rng.sample(range(len(texts)), len(texts) // 2)
    others = rng.sample(range(len(texts)), len(texts) // 2)
    mixed = list(dict.fromkeys(half + others))
    rng.shuffle(mixed)
    alone = half[:40]
    dependence = {}
    for name in ("batched", "fixed"):
        again = dict(zip(mixed, ways[name]([texts[i] for i in mixed])))
        moved = sum(int((again[i] != first[name][i]).any()) for i in half)
        by_itself = sum(int((ways[name]([texts[i]])[0] != first[name][i]).any()) for i in alone)
        dependence[name] = {"in_another_batch": f"{moved} of {len(half)}", "alone": f"{by_itself} of {len(alone)}"}
    differ = int((first["batched"] != first["fixed"]).any(axis=1).sum())
    best = {name: min(values) for name, values in cpu_s.items() if values}
    result = {
        "benchmark": "embedding_shapes", "sentences": len(texts), "split": "chats_dev.jsonl (dev)",
        "fixed_shape": {"rows": semantic.EMBED_ROWS, "token_step": semantic.EMBED_STEP},
        "cpu_s": cpu_s, "per_s_cpu_best": {name: round(len(texts) / s, 1) for name, s in best.items()},
        "fixed_vs_batched_cpu": round(best["fixed"] / best["batched"], 2),
        "batch_dependence_rows_differing": dependence,
        "fixed_vs_batched_rows_differing": f"{differ} of {len(texts)}",
        "threads": int(os.environ.get("QA_EMBEDDING_THREADS") or 1), "load": load,
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    RESULTS.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
