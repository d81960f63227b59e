"""The verdict cache (revision 0019): a rescore under a new rubric version runs only the criteria whose check or
parameters changed, a changed interaction is scored again, and scores and evidence are identical to scoring without
the cache (40 dev chats, the shipped support-chat rubric's checks with trimmed exemplar lists, SQLite and PostgreSQL;
``bench/verdict_cache.py`` compares the whole rubric on 1,000 chats)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select, update

from qa_toolkit.config import get_settings
from qa_toolkit.rubrics import load_rubric
from qa_toolkit.rubrics.loader import body_of, parse_rubric
from qa_toolkit.rubrics.model import Rubric
from qa_toolkit.scoring import engine, semantic
from qa_toolkit.scoring.engine import ScoringPlan
from qa_toolkit.scoring.verdict_cache import Decided, view_hash
from qa_toolkit.scoring.view import ContactRef, InteractionView, PiiSpan, TurnView
from qa_toolkit.services import rubrics, scoring
from qa_toolkit.services.chat_import import import_chats
from qa_toolkit.services.rubrics import resolve_file
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import (
    CriterionResult,
    Evaluation,
    Interaction,
    RubricVersion,
    Turn,
    VerdictCacheEntry,
)

DEV = Path(__file__).resolve().parent / "data" / "labelled" / "chats_dev.jsonl"
CHATS = 40


def test_a_kept_result_reads_back_equal() -> None:
    decided = Decided("fail", "no “sorry” — only 0.1 + 0.2 away", [
        {"turn": 3, "speaker": "agent", "quote": "Désolé, ça arrive…", "at_s": 0.1 + 0.2, "similarity": 0.8125},
        {"measures": {"gap_s": [1.5, None, 1e-7], "n": 2, "ok": True}}], 0.333)
    again = Decided.decode(decided.encode())
    assert again == decided
    assert again.evidence[0]["at_s"] == 0.30000000000000004 and again.evidence[1]["measures"]["gap_s"][2] == 1e-7


def _view(**changes: Any) -> InteractionView:
    fields: dict[str, Any] = {
        "external_id": "c-1", "channel": "chat", "started_at": None, "queue": "billing", "topic": None,
        "customer_id": "cu-1", "meta": {"a": 1},
        "turns": (TurnView(0, "customer", "Hi, my card was charged twice."), TurnView(1, "agent", "Sorry, checking.")),
        "pii_spans": None, "other_contacts": ()}
    return InteractionView(**{**fields, **changes})


def test_the_content_hash_changes_with_anything_a_check_reads() -> None:
    base = view_hash(_view())
    assert view_hash(_view()) == base
    changed = [
        _view(turns=(TurnView(0, "customer", "Hi, my card was charged twice!"),
                     TurnView(1, "agent", "Sorry, checking."))),
        _view(turns=(TurnView(0, "customer", "Hi, my card was charged twice.", 0.0),
                     TurnView(1, "agent", "Sorry, checking."))),
        _view(turns=(TurnView(0, "agent", "Hi, my card was charged twice."), TurnView(1, "agent", "Sorry, checking."))),
        _view(meta={"a": 2}), _view(channel="call"), _view(queue="cards"),
        _view(pii_spans=(PiiSpan("card", 0, 3, 7, "customer"),)),
        _view(other_contacts=(ContactRef("c-0", None),))]
    assert len({view_hash(v) for v in changed} | {base}) == len(changed) + 1


@lru_cache(maxsize=1)
def _shipped() -> str:
    return json.dumps(body_of(load_rubric(resolve_file("support-chat")).rubric))


def _trimmed(node: Any) -> Any:
    """Every exemplar block cut to its first few sentences (the same checks and block kinds, embedded in seconds)."""
    if isinstance(node, dict):
        return {k: v[:4] if k in ("positive", "negative") and isinstance(v, list) else _trimmed(v)
                for k, v in node.items()}
    return [_trimmed(v) for v in node] if isinstance(node, list) else node


def _support_chat() -> dict[str, Any]:
    """The shipped support-chat rubric, every criterion and check as shipped, exemplar lists trimmed."""
    return _trimmed(json.loads(_shipped()))


def _criterion(body: dict[str, Any], key: str) -> dict[str, Any]:
    return next(c for cat in body["categories"] for c in cat["criteria"] if c["key"] == key)


def _weighted(body: dict[str, Any]) -> dict[str, Any]:
    """A new version that changes a weight, no check's parameters."""
    body = copy.deepcopy(body)
    _criterion(body, "customer_satisfied")["weight"] = 1.0
    return body


def _threshold(body: dict[str, Any]) -> dict[str, Any]:
    """A new version that changes one criterion's parameters (a semantic block's threshold)."""
    body = copy.deepcopy(body)
    _criterion(body, "customer_satisfied")["params"]["positive_exemplars"]["threshold"] = 0.6
    return body


def test_step_keys_follow_the_parameters_not_the_rubric() -> None:
    body = _support_chat()
    keys = [ScoringPlan(Rubric.model_validate(b)).step_keys()
            for b in (body, _weighted(body), _threshold(body))]
    assert keys[0] == keys[1] and all(k is not None for k in keys[0])
    steps = [crit.key for _, crit, _, _ in ScoringPlan(Rubric.model_validate(body)).steps]
    differs = [steps[i] for i, (a, b) in enumerate(zip(keys[0], keys[2])) if a != b]
    assert differs == ["customer_satisfied"]
    assert len(set(keys[0])) == len(keys[0])  # every step its own key
    assert ScoringPlan(Rubric.model_validate(body)).step_keys("other PII settings") != keys[0]


@pytest.fixture(autouse=True)
def fresh_process() -> Iterator[None]:
    pytest.importorskip("sentence_transformers", reason="semantic checks need the `semantic` extra")
    pytest.importorskip(semantic.MODEL_PACKAGE, reason="the packaged all-MiniLM-L6-v2 is missing")
    semantic.forget()
    yield
    semantic.forget()


def _publish(db: Database, name: str, body: dict[str, Any]) -> None:
    with db.session() as session:
        rubrics.publish(session, parse_rubric(yaml.safe_dump({**body, "name": name}, sort_keys=False)), actor="lee")


def _stored(db: Database, name: str, version: int) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Every stored verdict of one rubric version, as JSON text (what the database holds), and the scores."""
    with db.session() as session:
        rows = session.execute(
            select(Interaction.external_id, CriterionResult.criterion_key, CriterionResult.status,
                   CriterionResult.value, CriterionResult.normalized, CriterionResult.message,
                   CriterionResult.evidence, CriterionResult.confidence, Evaluation.score, Evaluation.critical_failed,
                   Evaluation.category_scores)
            .join(Evaluation, Evaluation.interaction_id == Interaction.id)
            .join(CriterionResult, CriterionResult.evaluation_id == Evaluation.id)
            .join(RubricVersion, RubricVersion.id == Evaluation.rubric_version_id)
            .where(RubricVersion.name == name, RubricVersion.version == version)).all()
    return {(ext, key): (status, value, normalized, message, json.dumps(evidence, sort_keys=True), confidence, score,
                         critical, json.dumps(categories, sort_keys=True))
            for ext, key, status, value, normalized, message, evidence, confidence, score, critical, categories in rows}


def _score(db: Database, name: str, monkeypatch: pytest.MonkeyPatch, cache: bool) -> int:
    """Score with or without the cache; the checks that ran."""
    monkeypatch.setenv("QA_VERDICT_CACHE", "1" if cache else "0")
    get_settings.cache_clear()
    ran = 0
    decide = engine.decide

    def counted(*args: Any) -> Decided:
        nonlocal ran
        ran += 1
        return decide(*args)

    monkeypatch.setattr(engine, "decide", counted)  # counts the real checks' runs; they still run
    (run,) = scoring.score_auto(db, rubric=name)
    assert run.scored == CHATS
    monkeypatch.setattr(engine, "decide", decide)
    return ran


def test_a_rescore_runs_only_what_changed_and_stores_the_same(db: Database, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()][:CHATS]
    chats = tmp_path / "dev.jsonl"
    chats.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    import_chats(db, [str(chats)], source="dev")
    body = _support_chat()
    steps = len(ScoringPlan(Rubric.model_validate(body)).steps)
    bodies = [body, _weighted(body), _threshold(body), _weighted(_threshold(body))]
    for n, variant in enumerate(bodies):  # the same versions, scored without the cache: the reference
        _publish(db, "plain", variant)
        assert _score(db, "plain", monkeypatch, cache=False) == CHATS * steps
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(VerdictCacheEntry)) == 0  # off: left alone

    _publish(db, "cached", bodies[0])
    assert _score(db, "cached", monkeypatch, cache=True) == CHATS * steps  # first scoring: every check runs
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(VerdictCacheEntry)) == CHATS * steps
    _publish(db, "cached", bodies[1])  # a weight changed
    before = semantic.encoder().encoded
    assert _score(db, "cached", monkeypatch, cache=True) == 0  # no check ran again
    assert semantic.encoder().encoded == before  # nor was a sentence embedded or looked up
    _publish(db, "cached", bodies[2])  # one criterion's threshold changed
    assert _score(db, "cached", monkeypatch, cache=True) == CHATS  # only that criterion ran, on every chat

    with db.session() as session:  # one chat's text changed since: scored again, the others read back
        interaction = session.scalar(select(Interaction.id).where(Interaction.external_id == lines[0]["id"]))
        session.execute(update(Turn).where(Turn.interaction_id == interaction, Turn.index == 0)
                        .values(text="I was charged twice and nobody has helped me at all."))
    _publish(db, "cached", bodies[3])
    assert _score(db, "cached", monkeypatch, cache=True) == steps
    _publish(db, "after", bodies[3])  # the reference for the changed chat: scored without the cache
    _score(db, "after", monkeypatch, cache=False)

    for version in (1, 2, 3):  # identical: status, value, message, evidence, similarity, confidence, scores
        cached, plain = _stored(db, "cached", version), _stored(db, "plain", version)
        assert len(cached) == CHATS * steps and cached == plain
    assert _stored(db, "cached", 4) == _stored(db, "after", 1)
    assert _stored(db, "cached", 4) != _stored(db, "plain", 4)  # the changed chat did not keep its old verdicts
