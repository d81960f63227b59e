"""Sentence embeddings computed ahead of scoring: when interactions are stored (chat import, transcription, with
``QA_EMBED_ON_INGEST=1``) or in a batch step of its own (``qa score embed``), into the database's embedding cache.

A first ``qa score auto`` then reads every vector from the cache instead of running the model, the step that took
86 % of its CPU time, and its verdicts are the same bit for bit: a sentence's vector is computed in batches of one
fixed shape for its length alone, whichever process computes it and whatever else it computes
(:func:`~qa_toolkit.scoring.semantic._fixed_shape_embed`). The sentences are those the semantic checks read: every
agent and customer turn the customer saw (internal notes left out), as stored (redacted); the table keeps hashes and
vectors, never the text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from qa_toolkit.config import get_settings
from qa_toolkit.errors import QAError
from qa_toolkit.scoring import semantic
from qa_toolkit.scoring.engine import ScoringPlan
from qa_toolkit.services.embedding_cache import persisted
from qa_toolkit.services.rubrics import latest_versions, rubric_of
from qa_toolkit.services.scoring import parse_query
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import Interaction, Turn

LOOKUP_CHUNK = 500  # interactions per SELECT ... IN (...)


@dataclass
class EmbedRun:
    """What embedding some stored interactions did."""

    interactions: int = 0
    sentences: int = 0  # distinct sentences per batch, summed (the published rubrics' exemplars included)
    computed: int = 0  # of them run through the model now (the rest were in the cache)

    def add(self, other: EmbedRun) -> None:
        """Count another batch in."""
        self.interactions += other.interactions
        self.sentences += other.sentences
        self.computed += other.computed

    def as_dict(self) -> dict[str, int]:
        """Plain data for ``--json``."""
        return {"interactions": self.interactions, "sentences": self.sentences, "computed": self.computed}


def wanted() -> bool:
    """Whether stored interactions are embedded as they are stored (``QA_EMBED_ON_INGEST``)."""
    return get_settings().embed_on_ingest


def check_ready() -> None:
    """Fail early, before anything is stored, when embeddings cannot be kept: the cache is off or the model absent.

    Raises:
        QAError: with what to do."""
    if not get_settings().embedding_cache:
        raise QAError("embedding ahead of scoring keeps vectors in the embedding cache: unset QA_EMBEDDING_CACHE=0 "
                      "(or QA_EMBED_ON_INGEST=1)")
    semantic.model_path()


def embed_exemplars(database: Database) -> EmbedRun:
    """Embed the exemplar sentences of every published rubric's latest version and keep its fitted classifiers
    (``model: linear``), so that no scoring process runs the model or a fit on them either (done once per
    database: a second call only looks them up)."""
    with database.session() as session:
        plans = [ScoringPlan(rubric_of(version)) for version in latest_versions(session)]
    blocks = list({block.digest: block for plan in plans for block in plan.blocks}.values())
    said = list(dict.fromkeys(sentence for block in blocks for sentence in (*block.positive, *block.negative)))
    with persisted(database):  # each exemplar whole, as a block embeds it (not split into sentences)
        computed = semantic.encoder().keep(said) if said else 0
        for block in blocks:
            if block.model == "linear":
                semantic.classifier(block)
    return EmbedRun(0, len(said), computed)


def embed_interactions(database: Database, ids: Sequence[int]) -> EmbedRun:
    """Embed the sentences of these stored interactions into ``database``'s embedding cache (those already there
    are left as they are)."""
    texts: list[str] = []
    with database.session() as session:
        for start in range(0, len(ids), LOOKUP_CHUNK):
            texts += session.scalars(select(Turn.text).where(
                Turn.interaction_id.in_(ids[start:start + LOOKUP_CHUNK]), Turn.internal.is_not(True),
                Turn.speaker.in_(("agent", "customer"))).order_by(Turn.interaction_id, Turn.index))
    with persisted(database):
        sentences, computed = semantic.store(texts)
    return EmbedRun(len(ids), sentences, computed)


def embed_stored(database: Database, *, since: datetime | None = None, query: str | None = None,
                 batch_size: int = 1000, on_start: Callable[[int], None] | None = None,
                 on_progress: Callable[[int], None] | None = None) -> EmbedRun:
    """``qa score embed``: embed every stored interaction matching ``query`` (see
    :func:`~qa_toolkit.services.scoring.parse_query`) and ``since``, in batches of ``batch_size``; a second run
    computes nothing.

    Args:
        on_start: called with the number of interactions to go through. on_progress: with each batch's size."""
    check_ready()
    conditions = parse_query(query)
    if since is not None:
        conditions.append(Interaction.started_at >= since)
    with database.session() as session:
        ids = list(session.scalars(select(Interaction.id).where(*conditions).order_by(Interaction.id)))
    if on_start:
        on_start(len(ids))
    run = embed_exemplars(database)
    for start in range(0, len(ids), batch_size):
        batch = ids[start:start + batch_size]
        run.add(embed_interactions(database, batch))
        if on_progress:
            on_progress(len(batch))
    return run
