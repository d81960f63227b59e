"""The semantic checks' sentence embeddings kept in the database (revision 0017, ``embedding_cache``).

:class:`DatabaseVectorStore` is the :class:`~qa_toolkit.scoring.semantic.VectorStore` over that table: looked up
in batches by (model id, text hash), new vectors added with one multi-row insert. ``qa score auto`` fills it;
``qa score eval --db``, ``qa rubric tune --from-reviews`` and every later scoring run read it, so a sentence is
embedded once per database, whichever process meets it first. Only text as stored is embedded there (redacted at
import or transcription), and the table holds hashes and vectors, never the text. ``QA_EMBEDDING_CACHE=0`` leaves
the table alone (each process then keeps its own cache only).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from qa_toolkit.config import get_settings
from qa_toolkit.scoring import semantic
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import EmbeddingCacheEntry

LOOKUP_CHUNK = 500  # keys per SELECT ... IN (...)


class DatabaseVectorStore:
    """Embeddings by (model id, text hash) in a database's ``embedding_cache`` table."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def load(self, model: str, keys: Sequence[bytes]) -> dict[bytes, bytes]:
        """The stored vectors of these keys (the others are left out)."""
        table = EmbeddingCacheEntry
        found: dict[bytes, bytes] = {}
        with self.database.session() as session:
            for start in range(0, len(keys), LOOKUP_CHUNK):
                rows = session.execute(select(table.text_hash, table.vector).where(
                    table.model == model, table.text_hash.in_(keys[start:start + LOOKUP_CHUNK])))
                found.update((bytes(key), bytes(vector)) for key, vector in rows)
        return found

    def save(self, model: str, vectors: dict[bytes, bytes]) -> None:
        """Add new vectors; a key another process stored meanwhile is left as it is (keys in order, so two
        processes saving the same keys never wait on each other in a cycle)."""
        if not vectors:
            return
        table = EmbeddingCacheEntry.__table__
        insert = (postgresql.insert(table) if self.database.engine.dialect.name == "postgresql"
                  else sqlite.insert(table)).on_conflict_do_nothing()
        rows = [{"model": model, "text_hash": key, "vector": vectors[key]} for key in sorted(vectors)]
        with self.database.session() as session:
            session.execute(insert, rows)


@contextmanager
def persisted(database: Database | None) -> Iterator[None]:
    """Inside the block, the semantic checks read and fill ``database``'s embedding cache (nothing without a
    database, or with ``QA_EMBEDDING_CACHE=0``)."""
    use = database is not None and get_settings().embedding_cache
    with semantic.persisted(DatabaseVectorStore(database) if use and database is not None else None):
        yield
