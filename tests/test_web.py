"""The web view over HTTP (FastAPI's TestClient), on the demo data, on SQLite and PostgreSQL: log-in,
roles on every page and JSON endpoint, blind review, evidence, audio, PDFs, and bad input."""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select, text

from qa_toolkit.reports.period import parse_period
from qa_toolkit.services import dashboard, disputes, reports, views
from qa_toolkit.services.roles import Scope
from qa_toolkit.storage import rollups
from qa_toolkit.storage.database import Database, open_database
from qa_toolkit.storage.models import (
    CriterionResult,
    Evaluation,
    Interaction,
    OverviewFact,
    OverviewRollup,
    OverviewWeek,
)
from qa_toolkit.web.app import create_app
from qa_toolkit.web.auth import LoginLimiter
from web_support import HOSTILE, PASSWORDS, SAMPLES, seed_demo

PERIOD = "2026-10-01..2026-11-30"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo database, built once per engine for this module."""
    folder = tmp_path_factory.mktemp("web")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'qa.db'}"
        seed_demo(url, folder)
        yield url
        return
    base = request.getfixturevalue("pg_database_url")
    schema = f"w_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}?options=-csearch_path%3D{schema}"
    seed_demo(url, folder)
    yield url
    with engine.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(scope="module")
def demo_db(demo_url: str) -> Iterator[Database]:
    database = open_database(demo_url)
    yield database
    database.close()


@pytest.fixture
def web(demo_db: Database) -> TestClient:
    return TestClient(create_app(demo_db, secret_key="k" * 48), follow_redirects=False)


def csrf(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]


def log_in(client: TestClient, name: str, password: str | None = None, next_: str = "") -> object:
    return client.post("/login", data={"username": name, "password": password or PASSWORDS[name],
                                       "csrf_token": csrf(client), "next": next_})


def as_user(web: TestClient, name: str) -> TestClient:
    response = log_in(web, name)
    assert response.status_code == 303, response.text  # type: ignore[attr-defined]
    return web


# ---------------------------------------------------------------- log-in


def test_log_in_sets_a_safe_session_cookie_and_lands_on_the_role_home(web: TestClient) -> None:
    response = log_in(web, "lee")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"].lower()
    assert "qa_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert PASSWORDS["lee"] not in response.headers["set-cookie"] and "password" not in cookie
    for name, home in (("dana", "/agents/a-17"), ("maria", "/queue"), ("tina", "/"), ("ada", "/")):
        client = TestClient(web.app, follow_redirects=False)
        assert log_in(client, name).headers["location"] == home


def test_log_in_needs_the_forms_csrf_token_and_the_right_password(web: TestClient) -> None:
    web.get("/login")
    forged = web.post("/login", data={"username": "lee", "password": PASSWORDS["lee"], "csrf_token": "forged"})
    assert forged.status_code == 400 and "form expired" in forged.text
    assert web.get("/api/me").status_code == 401
    wrong = log_in(web, "lee", "not-the-password")
    assert wrong.status_code == 401 and "Wrong user name or password" in wrong.text
    assert log_in(web, "nobody", "whatever-password").status_code == 401  # same answer for unknown names
    assert log_in(web, "lee").status_code == 303
    assert web.get("/api/me").json()["name"] == "lee"


def test_failed_log_ins_are_rate_limited(demo_db: Database) -> None:
    client = TestClient(create_app(demo_db, secret_key="k" * 48, limiter=LoginLimiter(per_name=3, per_client=10)),
                        follow_redirects=False)
    for _ in range(3):
        assert log_in(client, "lee", "wrong-password-here").status_code == 401
    blocked = log_in(client, "lee")  # even the right password waits now
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert "Too many failed log-ins" in blocked.text
    assert log_in(client, "dana").status_code == 303  # another name from the same client is not blocked yet


def test_logging_out_needs_the_token_and_ends_the_session(web: TestClient) -> None:
    as_user(web, "lee")
    web.post("/logout", data={"csrf_token": "forged"})
    assert web.get("/api/me").status_code == 200
    page = web.get("/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    assert web.post("/logout", data={"csrf_token": token}).status_code == 303
    assert web.get("/api/me").status_code == 401


def test_pages_redirect_to_log_in_and_the_api_answers_401(web: TestClient) -> None:
    response = web.get("/agents/a-17?period=2026-11")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fagents%2Fa-17%3Fperiod%3D2026-11"
    for path in ("/api/me", "/api/overview", "/api/agents/a-17", "/api/interactions/c-1001", "/api/queue",
                 "/api/training-gaps", "/api/calibration", "/api/calibration/1", "/interactions/NW-2001/audio",
                 "/api/agents/a-17/coaching.pdf"):
        got = web.get(path)
        assert got.status_code in (401, 303), path
        assert PASSWORDS["lee"] not in got.text


def test_log_in_goes_back_to_the_page_asked_for_but_never_to_another_site(web: TestClient) -> None:
    assert log_in(web, "lee", next_="/agents/a-17").headers["location"] == "/agents/a-17"
    other = TestClient(web.app, follow_redirects=False)
    assert log_in(other, "lee", next_="//evil.example/x").headers["location"] == "/"
    other = TestClient(web.app, follow_redirects=False)
    assert log_in(other, "lee", next_="https://evil.example/").headers["location"] == "/"


def test_a_changed_password_ends_the_sessions_opened_with_the_old_one(demo_url: str, web: TestClient,
                                                                      demo_db: Database) -> None:
    from qa_toolkit.services import accounts

    as_user(web, "tina")
    assert web.get("/api/me").status_code == 200
    with demo_db.session() as session:
        accounts.set_password(session, "tina", "tina-new-pass-22", actor="tina")
    assert web.get("/api/me").status_code == 401
    with demo_db.session() as session:
        accounts.set_password(session, "tina", PASSWORDS["tina"], actor="ada")


# ---------------------------------------------------------------- roles


def test_an_agent_sees_only_their_own_evaluations_and_interactions(web: TestClient) -> None:
    as_user(web, "dana")
    page = web.get("/agents/a-17", params={"period": PERIOD})
    assert page.status_code == 200 and "Dana Park" in page.text
    data = web.get("/api/agents/a-17", params={"period": PERIOD}).json()
    assert data["agent"]["id"] == "a-17" and data["evaluations"]
    assert {e["kind"] for e in data["evaluations"]} <= {"auto", "review"}  # never calibration
    assert web.get("/interactions/c-1001").status_code == 200
    for path in ("/agents/a-45", "/api/agents/a-45", "/interactions/c-1003", "/api/interactions/c-1003",
                 "/interactions/c-1002", "/agents/a-45/coaching.pdf", "/api/interactions/2"):
        response = web.get(path)
        assert response.status_code == 404, path
        assert "José" not in response.text and "Sam Okafor" not in response.text
    for path in ("/training-gaps", "/api/training-gaps", "/api/overview", "/calibration", "/api/calibration",
                 "/queue", "/api/queue"):
        assert web.get(path).status_code == 403, path
    assert web.get("/").headers["location"] == "/agents/a-17"
    assert [p for p in web.get("/api/me").json()["pages"]] == ["/agents/a-17"]


def test_the_agent_page_lists_the_newest_evaluations_a_page_at_a_time(web: TestClient,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    as_user(web, "ada")
    everything = web.get("/api/agents/a-17", params={"period": PERIOD}).json()
    total = everything["evaluations_total"]
    assert total == len(everything["evaluations"]) >= 3 and everything["pages"] == 1
    starts = [e["started_at"] for e in everything["evaluations"]]
    assert starts == sorted(starts, reverse=True)  # newest first
    monkeypatch.setattr(views, "EVALUATIONS_PER_PAGE", 2)
    pages = [web.get("/api/agents/a-17", params={"period": PERIOD, "page": n}).json() for n in (1, 2)]
    assert [p["pages"] for p in pages] == [-(-total // 2)] * 2 and pages[0]["evaluations_total"] == total
    assert [e["id"] for p in pages for e in p["evaluations"]] == [e["id"] for e in everything["evaluations"]][:4]
    html = web.get("/agents/a-17", params={"period": PERIOD}).text
    assert 'id="older-evaluations"' in html and "page=2" in html and 'id="newer-evaluations"' not in html
    assert web.get("/api/agents/a-17", params={"period": PERIOD, "page": 0}).status_code == 422


def test_a_lead_sees_their_team_and_the_same_numbers_as_the_kpi_report(web: TestClient, demo_db: Database) -> None:
    as_user(web, "lee")
    data = web.get("/api/overview", params={"period": PERIOD}).json()
    assert data["scope"] == "team billing"
    assert [row["team"] for row in data["by_team"]] == ["billing"]
    assert {a["team"] for a in data["agents"]} == {"billing"}
    with demo_db.session() as session:
        kpis = {row.group: row for row in reports.kpi_report(session, period=parse_period(PERIOD), by="team")}
    billing = kpis["billing"]
    row = data["by_team"][0]
    assert row["contacts"] == billing.contacts == data["total"]["contacts"]
    assert row["csat"] == pytest.approx(billing.csat) and row["csat_n"] == billing.csat_n
    assert row["nps"] == pytest.approx(billing.nps)
    assert row["iqs"] == pytest.approx(billing.iqs) and row["iqs_n"] == billing.iqs_n
    assert row["escalation_rate"] == pytest.approx(billing.escalation_rate)
    assert sum(p["contacts"] for p in data["trend"]) == billing.contacts
    assert web.get("/agents/a-22", params={"period": PERIOD}).status_code == 200  # billing
    for path in ("/agents/a-45", "/api/agents/a-60", "/interactions/c-1003", "/api/interactions/c-1006"):
        assert web.get(path).status_code == 404, path
    gaps = web.get("/api/training-gaps", params={"period": PERIOD}).json()
    assert gaps["team"] == "billing"
    page = web.get("/", params={"period": PERIOD})
    assert "Overview" in page.text and "Dana Park" in page.text and "Kenji" not in page.text


def test_a_long_period_trends_by_week_with_the_same_totals(web: TestClient, demo_db: Database) -> None:
    """Over more than 62 days the trend is summed by week (Monday first) in the database: each week holds
    exactly the interactions (and automated scores) that started in it."""
    from collections import Counter
    from datetime import timedelta

    as_user(web, "ada")
    data = web.get("/api/overview", params={"period": "2026-06-01..2026-11-30"}).json()
    assert data["trend_step"] == "week" and data["trend"]
    with demo_db.session() as session:
        started = [s for s in session.scalars(select(Interaction.started_at)) if s is not None
                   and parse_period("2026-06-01..2026-11-30").contains(s)]
        scores = session.execute(select(Interaction.started_at, Evaluation.score).join(
            Evaluation, Evaluation.interaction_id == Interaction.id).where(
            Evaluation.kind == "auto", Evaluation.is_current.is_(True), Evaluation.score.is_not(None))).all()
    monday = lambda at: (at.date() - timedelta(days=at.weekday())).isoformat()  # noqa: E731
    expected = Counter(monday(s) for s in started)
    assert {p["start"]: p["contacts"] for p in data["trend"]} == dict(expected)
    assert data["total"]["contacts"] == len(started) == sum(p["contacts"] for p in data["trend"])
    period = parse_period("2026-06-01..2026-11-30")
    auto = [(monday(at), score) for at, score in scores if period.contains(at)]
    for point in data["trend"]:
        mine = [score for week, score in auto if week == point["start"]]
        assert point["iqs_n"] == len(mine)
        assert point["iqs"] == (pytest.approx(sum(mine) / len(mine)) if mine else None)


def test_an_admin_sees_everything(web: TestClient) -> None:
    as_user(web, "ada")
    data = web.get("/api/overview", params={"period": PERIOD}).json()
    assert {row["team"] for row in data["by_team"]} >= {"billing", "cards", "tech"}
    for path in ("/agents/a-45", "/interactions/c-1003", "/training-gaps", "/calibration", "/calibration/1",
                 "/api/agents/a-60", "/queue"):
        assert web.get(path, params={"period": PERIOD} if "agents" in path else None).status_code == 200, path


def test_a_trainer_reads_training_gaps_for_everyone(web: TestClient) -> None:
    as_user(web, "tina")
    gaps = web.get("/api/training-gaps", params={"period": PERIOD}).json()
    assert gaps["team"] is None and gaps["criteria"]
    assert all(row["failure_pct"] is None or 0 <= row["failure_pct"] <= 100 for row in gaps["criteria"])
    page = web.get("/training-gaps", params={"period": PERIOD})
    # the page escapes a label's apostrophe ("customer's" -> "customer&#x27;s")
    assert page.status_code == 200 and gaps["criteria"][0]["label"] in html.unescape(page.text)
    assert web.get("/queue").status_code == 200


def test_blind_review_hides_the_agent_and_every_score_until_submitted(web: TestClient) -> None:
    as_user(web, "maria")
    queue = web.get("/api/queue").json()["assignments"]
    blind = next(a for a in queue if a["interaction"] == "c-1003")
    assert blind["blind"] and blind["agent"] is None and blind["status"] == "assigned"
    data = web.get("/api/interactions/c-1003").json()
    assert data["blind"] is True and data["interaction"]["agent"] is None and data["evaluations"] == []
    page = web.get("/interactions/c-1003")
    assert page.status_code == 200 and "Ramírez" not in page.text and "a-45" not in page.text
    assert "hidden until you submit" in page.text
    submitted = web.get("/api/interactions/c-1001").json()  # maria's own submitted, non-blind review
    assert submitted["blind"] is False and {e["kind"] for e in submitted["evaluations"]} >= {"auto", "review"}
    assert web.get("/interactions/c-1004").status_code == 404  # not assigned to her
    assert web.get("/agents/a-45").status_code == 404
    # her calibration item is still open: the report (the others' scores) stays hidden
    assert web.get("/calibration/1").status_code == 404
    assert web.get("/api/calibration").json()["sessions"] == []


def test_a_lead_with_an_open_blind_review_sees_no_score_of_it_even_in_aggregates(web: TestClient) -> None:
    as_user(web, "leo")  # lead of cards, holds an open blind review of Kenji's c-1004
    data = web.get("/api/interactions/c-1004").json()
    assert data["blind"] is True and data["evaluations"] == [] and data["interaction"]["agent"] is None
    kenji = web.get("/api/agents/a-60", params={"period": PERIOD}).json()
    assert kenji["coaching"] is None and "c-1004" in kenji["blind"]
    assert all(row["score"] is None for row in kenji["evaluations"] if row["interaction"] == "c-1004")
    assert "open blind reviews" in html.unescape(web.get("/agents/a-60", params={"period": PERIOD}).text)
    assert web.get("/agents/a-60/coaching.pdf", params={"period": PERIOD}).status_code == 403
    gaps = web.get("/api/training-gaps", params={"period": PERIOD})
    assert gaps.status_code == 403 and "c-1004" in gaps.json()["detail"]
    jose = web.get("/api/agents/a-45", params={"period": PERIOD}).json()  # another cards agent: not affected
    assert jose["coaching"] is not None and jose["blind"] is None
    mine = web.get("/api/overview", params={"period": PERIOD}).json()["total"]
    trainer = TestClient(web.app, follow_redirects=False)
    as_user(trainer, "tina")
    everyone = next(r for r in trainer.get("/api/overview", params={"period": PERIOD}).json()["by_team"]
                    if r["team"] == "cards")
    assert mine["contacts"] == everyone["contacts"] and mine["iqs_n"] == everyone["iqs_n"] - 1


def test_a_reviewer_who_submitted_reads_the_calibration_report(web: TestClient) -> None:
    as_user(web, "sam")
    data = web.get("/api/calibration/1").json()
    assert data["gold"] == "lee" and {r["reviewer"] for r in data["reviewers"]} == {"sam"}
    page = web.get("/calibration/1")
    assert page.status_code == 200 and "Demo calibration" in page.text


# ---------------------------------------------------------------- what the pages show


def test_a_failed_criterion_links_to_its_evidence_in_the_transcript(web: TestClient, demo_db: Database) -> None:
    with demo_db.session() as session:
        row = session.execute(
            select(Interaction.external_id, CriterionResult.criterion_key, CriterionResult.evidence)
            .join(Evaluation, Evaluation.interaction_id == Interaction.id)
            .join(CriterionResult, CriterionResult.evaluation_id == Evaluation.id)
            .where(CriterionResult.status == "fail", Evaluation.kind == "auto", Interaction.channel == "chat")
            .order_by(Interaction.external_id, CriterionResult.id)).all()
    ref, key, evidence = next(r for r in row if any(isinstance(e, dict) and isinstance(e.get("turn"), int)
                                                     for e in r[2]))
    turn = next(e["turn"] for e in evidence if isinstance(e, dict) and isinstance(e.get("turn"), int))
    as_user(web, "ada")
    page = web.get(f"/interactions/{ref}")
    assert page.status_code == 200
    assert f'id="turn-{turn}"' in page.text and f'href="#turn-{turn}"' in page.text
    assert f'id="criterion-{key}"' in page.text and '<mark title="' in page.text and 'class="fail"' in page.text
    data = web.get(f"/api/interactions/{ref}").json()
    result = next(r for e in data["evaluations"] if e["kind"] == "auto" for r in e["results"] if r["criterion"] == key)
    assert result["status"] == "fail" and turn in result["evidence_turns"] and result["check_accuracy"] is None
    marked = [s for t in data["turns"] if t["index"] == turn for s in t["segments"] if s["criteria"]]
    assert any(f"{key}:fail" in s["criteria"] for s in marked)


def test_agent_page_shows_the_coaching_content_and_the_pdf_downloads(web: TestClient) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    as_user(web, "lee")
    data = web.get("/api/agents/a-17", params={"period": PERIOD}).json()
    coaching = data["coaching"]
    assert coaching["agent"]["name"] == "Dana Park" and coaching["interactions"] >= 3
    assert coaching["score"] is not None and 0 <= coaching["score"] <= 100
    assert len(coaching["trend"]) == 6 and coaching["trend"][-1]["agent"] == pytest.approx(coaching["score"])
    page = web.get("/agents/a-17", params={"period": PERIOD})
    assert f"{coaching['score']:.1f}" in page.text and "Download the coaching PDF" in page.text
    for gap in coaching["gaps"]:
        assert html.escape(gap["label"]) in html.unescape(page.text).replace("'", "&#x27;")
    pdf = web.get("/agents/a-17/coaching.pdf", params={"period": PERIOD})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and "coaching-a-17-2026-10-01.pdf" in pdf.headers["content-disposition"]
    text_of_pdf = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert "Dana Park" in text_of_pdf and f"{coaching['score']:.1f}" in text_of_pdf


def test_calls_play_their_audio_to_those_who_may_see_them_and_never_unredacted(web: TestClient) -> None:
    as_user(web, "dana")
    page = web.get("/interactions/NW-2001")
    assert "<audio controls" in page.text
    audio = web.get("/interactions/NW-2001/audio")
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/x-wav"
    assert audio.content == (SAMPLES / "calls" / "call_01_billing.wav").read_bytes()
    ranged = web.get("/interactions/NW-2001/audio", headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206 and len(ranged.content) == 100
    withheld = web.get("/api/interactions/NW-2002").json()
    assert withheld["audio"]["available"] is False and "redacted copy" in withheld["audio"]["reason"]
    assert web.get("/interactions/NW-2002/audio").status_code == 404
    redacted = web.get("/interactions/NW-2003/audio")  # a redacted copy exists: that, never the original
    assert redacted.status_code == 200
    assert redacted.content == (SAMPLES / "calls" / "call_01_billing.wav").read_bytes()
    assert redacted.content != (SAMPLES / "calls" / "call_03_overtalk.wav").read_bytes()
    assert web.get("/api/interactions/NW-2003").json()["audio"] == {"available": True, "redacted": True,
                                                                    "reason": None}
    kim = TestClient(web.app, follow_redirects=False)
    as_user(kim, "kim")
    assert kim.get("/interactions/NW-2001/audio").status_code == 404


def test_queue_and_calibration_pages(web: TestClient) -> None:
    as_user(web, "maria")
    page = web.get("/queue")
    assert page.status_code == 200 and "c-1003" in page.text and "hidden (blind)" in page.text
    lead = TestClient(web.app, follow_redirects=False)
    as_user(lead, "lee")
    sessions = lead.get("/api/calibration").json()["sessions"]
    assert sessions[0]["name"] == "Demo calibration" and set(sessions[0]["participants"]) == {"lee", "maria", "sam"}
    report = lead.get("/api/calibration/1").json()
    assert report["gold"] == "lee" and report["criteria"]
    assert 0 <= report["overall_agreement"] <= 100


# ---------------------------------------------------------------- bad input


def test_unknown_ids_get_a_404_page_and_bad_parameters_a_422_with_a_message(web: TestClient) -> None:
    as_user(web, "ada")
    page = web.get("/interactions/no-such-chat")
    assert page.status_code == 404 and "no interaction 'no-such-chat'" in html.unescape(page.text) and "<html" in page.text
    assert web.get("/api/interactions/no-such-chat").json() == {
        "detail": "no interaction 'no-such-chat' among those you may see"}
    assert web.get("/no/such/page").status_code == 404
    assert web.get("/api/no/such").json()["detail"].startswith("no page at")
    bad = web.get("/api/overview", params={"period": "2026-13"})
    assert bad.status_code == 422 and "2026-13" in bad.json()["detail"]
    page = web.get("/", params={"period": "banana"})
    assert page.status_code == 422 and "'banana'" in html.unescape(page.text) and "<html" in page.text
    assert web.get("/api/calibration/abc").status_code == 422
    assert "session_id" in web.get("/api/calibration/abc").json()["detail"]
    assert web.get("/api/calibration/99").status_code == 404
    long = web.get("/api/overview", params={"period": "x" * 100})
    assert long.status_code == 422 and "period" in long.json()["detail"]


def test_sql_injection_in_filters_has_no_effect(web: TestClient, demo_db: Database) -> None:
    with demo_db.session() as session:
        before = session.scalar(select(func.count()).select_from(Interaction))
    as_user(web, "lee")
    for path, params in (("/api/agents/a-17' OR '1'='1", None), ("/api/interactions/c-1001' OR 1=1 --", None),
                         ("/api/interactions/1 OR 1=1", None),
                         ("/api/overview", {"period": "2026-10'; DROP TABLE interactions; --"}),
                         ("/api/training-gaps", {"period": PERIOD, "rubric": "x' OR '1'='1"}),
                         ("/api/agents/a-17", {"period": PERIOD, "rubric": "support-chat'; DELETE FROM agents; --"})):
        response = web.get(path, params=params)
        assert response.status_code in (404, 422), (path, response.status_code)
        assert "Sam Okafor" not in response.text and "José" not in response.text
    with demo_db.session() as session:
        assert session.scalar(select(func.count()).select_from(Interaction)) == before
    assert web.get("/api/overview", params={"period": PERIOD}).json()["by_team"][0]["team"] == "billing"


def test_a_script_in_a_chat_message_is_shown_as_text(web: TestClient) -> None:
    as_user(web, "dana")
    page = web.get("/interactions/c-evil")
    assert page.status_code == 200
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page.text
    assert "<script" not in page.text and "onerror=\"window" not in page.text
    assert web.get("/api/interactions/c-evil").json()["turns"][0]["text"] == HOSTILE
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"


def test_the_api_is_documented_on_the_openapi_page(web: TestClient) -> None:
    schema = web.get("/api/openapi.json").json()
    assert {"/api/overview", "/api/agents/{agent_id}", "/api/interactions/{ref}", "/api/training-gaps",
            "/api/queue", "/api/calibration", "/api/calibration/{session_id}", "/api/me"} <= set(schema["paths"])
    period = next(p for p in schema["paths"]["/api/overview"]["get"]["parameters"] if p["name"] == "period")
    assert "YYYY-MM" in period["description"]
    docs = web.get("/api/docs")
    assert docs.status_code == 200 and "/api/docs-assets/swagger-ui-bundle.js" in docs.text
    assert web.get("/api/docs-assets/swagger-ui-bundle.js").status_code == 200  # served here, no CDN
    timing = dict(part.strip().split(";dur=") for part in docs.headers["Server-Timing"].split(","))
    assert set(timing) == {"app", "cpu", "wait"} and all(float(v) >= 0 for v in timing.values())


# ---------------------------------------------------------------- qa users set-password


def test_set_password_from_the_cli(db_url: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from qa_toolkit.cli import app
    from qa_toolkit.services import accounts

    runner = CliRunner()
    for args in (["users", "add", "ada", "--role", "admin"], ["users", "add", "lee", "--role", "lead",
                                                             "--team", "billing", "--as", "ada"]):
        assert runner.invoke(app, [*args, "--db", db_url]).exit_code == 0
    result = runner.invoke(app, ["users", "set-password", "lee", "--password-stdin", "--as", "ada", "--db", db_url],
                           input="a-long-password-1\n")
    assert result.exit_code == 0 and "Password set for lee" in result.output
    assert "a-long-password-1" not in result.output
    short = runner.invoke(app, ["users", "set-password", "ada", "--password-stdin", "--as", "ada", "--db", db_url],
                          input="short\n")
    assert short.exit_code == 1 and "too short" in short.output and "short\n" not in short.output.split("Error")[1]
    other = runner.invoke(app, ["users", "set-password", "ada", "--password-stdin", "--as", "lee", "--db", db_url],
                          input="another-long-password\n")
    assert other.exit_code == 1 and "only admins" in other.output
    prompted = runner.invoke(app, ["users", "set-password", "lee", "--as", "lee", "--db", db_url],
                             input="typed-twice-pass\ntyped-twice-pass\n")
    assert prompted.exit_code == 0
    listed = runner.invoke(app, ["users", "list", "--json", "--db", db_url])
    assert '"can_log_in": true' in listed.output and '"team": "billing"' in listed.output
    database = open_database(db_url)
    with database.session() as session:
        assert accounts.authenticate(session, "lee", "typed-twice-pass") is not None
        assert accounts.authenticate(session, "lee", "a-long-password-1") is None
        stored = session.scalar(text("SELECT password_hash FROM users WHERE name = 'lee'"))
        assert stored.startswith("$argon2id$") and "typed-twice-pass" not in stored
    database.close()


def test_the_overview_follows_every_change_of_the_data(web: TestClient, demo_db: Database) -> None:
    """The overview's aggregates are reused only while the data is unchanged."""
    from qa_toolkit.storage.models import Agent

    as_user(web, "lee")
    first = web.get("/api/overview", params={"period": PERIOD}).json()["total"]
    assert web.get("/api/overview", params={"period": PERIOD}).json()["total"] == first
    in_billing = (select(Interaction).join(Agent, Interaction.agent_id == Agent.id)
                  .where(Agent.team == "billing", Interaction.channel == "chat").order_by(Interaction.id))
    with demo_db.session() as session:
        happy = session.scalars(in_billing.where(Interaction.csat >= 4)).first()
        happy_id, happy_csat, happy.csat = happy.id, happy.csat, 1
    changed = web.get("/api/overview", params={"period": PERIOD}).json()["total"]
    assert changed["csat_n"] == first["csat_n"] and changed["csat"] < first["csat"]
    with demo_db.session() as session:
        session.get(Interaction, happy_id).csat = happy_csat
        chat = session.scalars(in_billing).first()
        version_id = session.scalar(select(Evaluation.rubric_version_id).where(Evaluation.interaction_id == chat.id))
        extra = Evaluation(interaction_id=chat.id, rubric_version_id=version_id, kind="review", score=13.0,
                           category_scores={})
        session.add(extra)
    after = web.get("/api/overview", params={"period": PERIOD}).json()["total"]
    assert after["review_n"] == first["review_n"] + 1 and after["csat"] == pytest.approx(first["csat"])
    with demo_db.session() as session:
        session.delete(session.get(Evaluation, extra.id))
    assert web.get("/api/overview", params={"period": PERIOD}).json()["total"] == first


def test_qa_serve_says_what_is_wrong_in_one_line(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from qa_toolkit.cli import app

    runner = CliRunner()
    missing = runner.invoke(app, ["serve", "--db", f"sqlite:///{tmp_path / 'none.db'}"])
    assert missing.exit_code == 1 and "no database at" in missing.output and "Traceback" not in missing.output
    assert "--port" in runner.invoke(app, ["serve", "--help"]).output
    assert runner.invoke(app, ["serve", "--port", "0"]).exit_code == 2


def test_a_server_error_is_a_page_without_a_traceback(demo_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    from qa_toolkit.services import views

    client = TestClient(create_app(demo_db, secret_key="k" * 48), follow_redirects=False,
                        raise_server_exceptions=False)
    as_user(client, "ada")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "overview", broken)
    api = client.get("/api/overview")
    assert api.status_code == 500 and "secret internals" not in api.text and "in its log" in api.json()["detail"]
    page = client.get("/")
    assert page.status_code == 500 and "Traceback" not in page.text and "Server error" in page.text


# ---------------------------------------------------------------- last: changes the demo data

def _rollup_tables(database: Database) -> list[Any]:
    with database.session() as session:
        return [sorted(tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in session.execute(
            select(*model.__table__.columns))) for model in (OverviewFact, OverviewRollup, OverviewWeek)]


def test_rollups_stay_exact_through_import_scoring_reviews_and_a_dispute(demo_db: Database) -> None:
    """The demo's writes through the services (chat import in batches, calls, automated scoring, reviews,
    calibration) and a dispute accepted with a rescore: the stored facts, daily and weekly sums equal a full
    recompute, and the overview from them equals grouping the tables. Last in this module: it changes the data."""
    with demo_db.session() as session:
        reviewed = session.scalars(select(Evaluation).join(Interaction).where(
            Interaction.external_id == "c-1001", Evaluation.kind == "review", Evaluation.is_current.is_(True))).one()
        dispute = disputes.raise_dispute(session, reviewed.id, "the customer got the refund", actor="dana")
    with demo_db.session() as session:
        disputes.resolve(session, dispute.id, "accepted", rescore=SAMPLES / "review" / "rescore.yaml", actor="ada")
    with demo_db.session() as session:
        assert session.get(Evaluation, reviewed.id).is_current is False  # type: ignore[union-attr]
        assert session.scalar(select(func.sum(OverviewRollup.contacts))) == session.scalar(
            select(func.count()).select_from(Interaction).where(Interaction.started_at.is_not(None))) > 10
        assert session.scalar(select(func.sum(OverviewWeek.reviewed))) >= 1
    stored = _rollup_tables(demo_db)
    with demo_db.engine.begin() as connection:  # every interaction noted as changed and folded again
        connection.execute(text("INSERT INTO rollup_changes (interaction_id) SELECT id FROM interactions"))
        rollups.refresh(connection)
    assert _rollup_tables(demo_db) == stored
    with demo_db.session() as session:
        for period in (parse_period(PERIOD), parse_period("2020-01-01..2030-12-31")):
            fast = dashboard.compute_overview(session, Scope(None, everyone=True), period)  # type: ignore[arg-type]
            slow = dashboard.scan_overview(session, Scope(None, everyone=True), period)  # type: ignore[arg-type]
            assert _close(fast.as_dict(), slow.as_dict()), str(period)


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) < 1e-9
    return bool(a == b)
