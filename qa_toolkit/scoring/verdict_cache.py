"""What a check decided, in a form that can be kept and read back bit for bit, and the keys it is kept under.

A check is a pure function of an interaction view and its parameters, so its result can be reused whenever
the same check runs with the same parameters on the same view with the same code: a rescore after a new
rubric version then runs only the criteria whose check or parameters changed. A result is keyed by

* the *step*: :func:`step_key` of the check's name, its parameters (as JSON, plus each exemplar block's digest,
  which covers a trained classifier's file), the embedding model's id when the parameters hold exemplars, and
  :func:`code_digest` (every file of the installed package and the versions of the libraries the checks use:
  new code never reads an old result);
* the *content*: :func:`view_hash` of everything the checks read (turns, times, metadata, stored PII spans, the
  customer's other contacts).

Only the package's own checks are kept (a plugin's code is not in the digest), never the LLM judge (it has its
own cache, and "unavailable" must be asked again).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from qa_toolkit.scoring.view import InteractionView

LIBRARIES = ("numpy", "torch", "sentence-transformers", "transformers", "tokenizers", "vaderSentiment", "regex",
             "phonenumbers", "pydantic")  # their versions join the code digest (a result may depend on them)
UNCACHED = frozenset({"llm_judge"})


@dataclass(frozen=True, slots=True)
class Decided:
    """A check's result as stored with a verdict: status, message, evidence (dicts, measures last), confidence."""

    status: str
    message: str
    evidence: list[dict[str, Any]]
    confidence: float

    def encode(self) -> str:
        """JSON that :meth:`decode` reads back equal (floats round-trip exactly through ``repr``)."""
        return json.dumps([self.status, self.message, self.evidence, self.confidence], ensure_ascii=False,
                          separators=(",", ":"))

    @classmethod
    def decode(cls, text: str) -> Decided:
        """The result :meth:`encode` wrote."""
        status, message, evidence, confidence = json.loads(text)
        return cls(status, message, evidence, confidence)


@lru_cache(maxsize=8)
def code_digest(extra: str = "") -> bytes:
    """A hash of every file of the installed ``qa_toolkit`` package (sources and data, not caches), the versions
    of :data:`LIBRARIES`, and ``extra`` (settings a check reads, e.g. PII patterns); computed once per process."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.blake2b(digest_size=16)
    for file in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and p.suffix not in (".pyc", ".pyo")):
        h.update(file.relative_to(root).as_posix().encode("utf-8", "surrogatepass") + b"\x00")
        h.update(hashlib.blake2b(file.read_bytes(), digest_size=16).digest())
    for name in LIBRARIES:
        try:
            h.update(f"{name}=={version(name)}\x00".encode())
        except PackageNotFoundError:
            h.update(f"{name}: none\x00".encode())
    h.update(extra.encode("utf-8", "surrogatepass"))
    return h.digest()


def step_key(check: str, params: Any, blocks: list[Any], model: str, code: bytes) -> bytes:
    """The key of one check with its parameters (a pydantic model), exemplar blocks, embedding model id ("" when
    it reads no exemplars) and code digest."""
    h = hashlib.blake2b(digest_size=16)
    for part in (check, params.model_dump_json(), model):
        h.update(part.encode("utf-8", "surrogatepass") + b"\x1f")
    for block in blocks:
        h.update(block.digest)
    h.update(code)
    return h.digest()


def view_hash(view: InteractionView) -> bytes:
    """A hash of everything a check can read of ``view`` (its ``repr``: every field, floats and datetimes
    exactly, metadata in stored order)."""
    return hashlib.blake2b(repr(view).encode("utf-8", "surrogatepass"), digest_size=16).digest()
