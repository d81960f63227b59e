"""The web view in a real browser: Playwright drives Debian's chromium against `qa serve` on the demo data.

Skipped, saying why, where chromium is absent (``apt-get install chromium``; ``.ci/run`` installs it).
Screenshots at desktop size and 375 px wide go to ``test-artifacts/web/`` (``$QA_TEST_ARTIFACTS``).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from web_support import HOSTILE, PASSWORDS, ROOT, seed_demo

CHROMIUM = Path(os.environ.get("QA_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("QA_TEST_ARTIFACTS", ROOT / "test-artifacts")) / "web"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 375, "height": 740}
PERIOD = "2026-10-01..2026-11-30"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None,
                                reason=f"no chromium at {CHROMIUM}: the browser tests need Debian's chromium "
                                       "(apt-get install chromium; .ci/run installs it) or QA_CHROMIUM=/path")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`qa serve`'s app under uvicorn in a thread, on a temporary SQLite database with the demo data."""
    import uvicorn

    from qa_toolkit.web.app import create_app

    folder = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{folder / 'qa.db'}"
    seed_demo(url, folder)
    port = _free_port()
    config = uvicorn.Config(create_app(url, secret_key="b" * 48), host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start within 20 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uv.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def browser(playwright_instance, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fresh headless chromium (its own user-data dir) at desktop size."""
    context = playwright_instance.chromium.launch_persistent_context(
        str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=FLAGS, viewport=DESKTOP)
    context.set_default_timeout(15000)
    yield context
    context.close()


def log_in(context, base: str, name: str):  # type: ignore[no-untyped-def]
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORDS[name])
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def shoot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Save a full-page screenshot at desktop size and at 375 px wide, and check nothing overflows the phone."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(ARTIFACTS / f"{name}-375px.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size(DESKTOP)
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide on a 375 px screen"
    assert (ARTIFACTS / f"{name}-375px.png").stat().st_size > 5000


def test_a_lead_logs_in_sees_the_team_overview_and_opens_an_agent(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = log_in(browser, server, "lee")
    assert page.url == f"{server}/"
    page.goto(f"{server}/?period={PERIOD}")
    assert page.locator("h1").inner_text().startswith("Overview")
    assert page.locator("#by-team tbody tr").count() == 1
    assert page.locator("#by-team tbody tr td").first.inner_text() == "billing"
    assert page.locator("nav a").all_inner_texts() == ["Overview", "Training gaps", "Review queue", "Calibration"]
    assert page.locator("figure.chart polyline").count() >= 1
    shoot(page, "overview-lead")
    page.click("text=Dana Park")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/agents/a-17")
    assert "Dana Park" in page.locator("h1").inner_text()
    page.goto(f"{server}/agents/a-17?period={PERIOD}")
    assert page.locator("#agent-score").inner_text() != "–"
    assert page.locator("#evaluations tbody tr").count() >= 3
    shoot(page, "agent-page")
    with page.expect_download() as download:
        page.click("text=Download the coaching PDF")
    path = download.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")
    page.goto(f"{server}/agents/a-45")
    assert "Not found" in page.locator("h1").inner_text()


def test_click_from_a_failed_criterion_to_its_evidence(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = log_in(browser, server, "ada")
    page.goto(f"{server}/agents/a-17?period={PERIOD}")
    evidence = page.locator("ul.evidence a").first
    target = evidence.get_attribute("href")
    assert target and "#criterion-" in target
    evidence.click()
    page.wait_for_load_state("networkidle")
    criterion = target.split("#criterion-")[1]
    assert page.url.endswith(f"#criterion-{criterion}")
    row = page.locator(f"tr.fail:has(#criterion-{criterion})").first
    assert row.locator(".status").inner_text().startswith("fail")
    link = row.locator("a.evidence-link").first
    turn = link.get_attribute("href")
    assert turn and turn.startswith("#turn-")
    link.click()
    assert page.evaluate("document.querySelector(':target').id") == turn[1:]
    turn_box = page.locator(turn)
    assert turn_box.is_visible() and turn_box.locator("mark").count() >= 1
    in_view = page.evaluate("(sel) => { const r = document.querySelector(sel).getBoundingClientRect(); "
                            "return r.top >= 0 && r.top < window.innerHeight; }", turn)
    assert in_view
    shoot(page, "interaction-evidence")


def test_an_agent_sees_their_own_page_only(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = log_in(browser, server, "dana")
    assert page.url.endswith("/agents/a-17")
    assert page.locator("nav a").all_inner_texts() == ["My evaluations"]
    page.goto(f"{server}/")
    assert page.url.endswith("/agents/a-17")
    for path in ("/agents/a-45", "/interactions/c-1003"):
        response = page.goto(f"{server}{path}")
        assert response.status == 404 and "Not found" in page.locator("h1").inner_text()
    response = page.goto(f"{server}/training-gaps")
    assert response.status == 403
    page.goto(f"{server}/interactions/NW-2001")
    assert page.locator("audio").count() == 1
    shoot(page, "call-agent")


def test_an_admin_sees_every_team_training_gaps_and_calibration(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = log_in(browser, server, "ada")
    page.goto(f"{server}/?period={PERIOD}")
    teams = page.locator("#by-team tbody tr td:first-child").all_inner_texts()
    assert {"billing", "cards", "tech"} <= set(teams)
    page.click("nav >> text=Training gaps")
    page.goto(f"{server}/training-gaps?period={PERIOD}")
    assert page.locator("#gap-criteria tbody tr").count() >= 3
    shoot(page, "training-gaps")
    page.click("nav >> text=Calibration")
    page.click("text=Demo calibration")
    assert page.locator("#reviewers tbody tr").count() >= 1
    shoot(page, "calibration")


def test_a_blind_reviewer_sees_the_queue_without_agents_or_scores(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = log_in(browser, server, "maria")
    assert page.url.endswith("/queue")
    row = page.locator("#queue tr:has-text('c-1003')")
    assert "hidden (blind)" in row.inner_text()
    row.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert "blind review" in page.locator("p.meta").inner_text()
    assert page.locator("article.evaluation").count() == 0
    shoot(page, "queue-blind")


def test_a_script_in_a_chat_message_does_not_run(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    page = log_in(browser, server, "dana")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server}/interactions/c-evil")
    page.wait_for_load_state("networkidle")
    assert page.locator("#turn-0 .text").inner_text() == HOSTILE
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator(".turns script, .turns img").count() == 0
    assert dialogs == []
