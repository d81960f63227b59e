"""The demo data for the web view's tests: what `make demo` builds, less the Whisper run.

The shipped sample chats are imported (plus one hostile chat whose message holds a ``<script>``),
one sample call is stored as a transcribed call with its real recording, the shipped rubrics are
published and everything is scored automatically; then a peer-review round (one review submitted,
one blind assignment left open), a calibration session scored by everyone, and passwords.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from qa_toolkit.services import accounts, calibration, chat_import, people, review, rubrics, scoring
from qa_toolkit.services.schema import init_database
from qa_toolkit.storage.database import open_database
from qa_toolkit.storage.models import Interaction, PIISpan, Recording, ReviewAssignment, Turn, User

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
PASSWORDS = {"ada": "ada-admin-pass-1", "lee": "lee-lead-pass-1", "dana": "dana-agent-pass-1",
             "kim": "kim-agent-pass-1", "maria": "maria-review-pass-1", "sam": "sam-review-pass-1",
             "tina": "tina-trainer-pass-1", "leo": "leo-lead-pass-12"}
HOSTILE = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\"> & \"quotes\""
CALL_TURNS = [
    ("agent", 0.0, 3.5, "Thank you for calling Northwind billing, this is Dana, how can I help you today?"),
    ("customer", 4.0, 9.0, "Hi, I was charged twice for my October invoice and I want a refund."),
    ("agent", 9.5, 14.0, "I'm sorry about that. Let me check your account."),
    ("customer", 14.5, 16.0, "Okay, thanks."),
    ("agent", 17.0, 23.0, "I can see the duplicate charge. I've issued the refund, it takes five business days."),
    ("customer", 23.5, 25.0, "Great, thank you so much."),
]


def _hostile_chat(folder: Path) -> Path:
    path = folder / "hostile.jsonl"
    path.write_text(json.dumps({
        "id": "c-evil", "agent": {"id": "a-17", "name": "Dana Park", "team": "billing"},
        "customer": {"id": "cust-evil"}, "started_at": "2026-11-20T10:00:00Z", "queue": "billing", "csat": 2,
        "turns": [{"speaker": "customer", "at": "2026-11-20T10:00:00Z", "text": HOSTILE},
                  {"speaker": "agent", "at": "2026-11-20T10:01:00Z",
                   "text": "Hello, thanks for reaching out. Sorry for the trouble, I'll check it."}]}) + "\n")
    return path


def _call(session, agents, *, external_id: str, wav: Path, pii: bool,  # type: ignore[no-untyped-def]
          redacted: Path | None = None) -> None:
    started = datetime(2026, 11, 18, 15, 0, tzinfo=timezone.utc)
    interaction = Interaction(source="calls", external_id=external_id, channel="call", agent=agents["a-17"],
                              started_at=started, ended_at=started + timedelta(seconds=25), duration_s=25.0,
                              queue="billing", customer_external_id=f"cust-{external_id}", pii_redacted=True,
                              meta={"redacted_audio": str(redacted)} if redacted else {})
    interaction.turns = [Turn(index=i, speaker=speaker, start_s=start, end_s=end, text=text)
                         for i, (speaker, start, end, text) in enumerate(CALL_TURNS)]
    session.add(interaction)
    session.flush()
    if pii:
        interaction.turns[1].text = "My card is [CARD] and I was charged twice."
        session.add(PIISpan(interaction_id=interaction.id, turn_index=1, speaker="customer", kind="card",
                            start=11, end=30))
    session.add(Recording(content_hash=external_id.ljust(64, "0"), path=str(wav), size_bytes=wav.stat().st_size,
                          status="done", attempts=1, duration_s=25.0, channels=2, timings={}, meta={},
                          interaction_id=interaction.id))


def seed_demo(url: str, folder: Path) -> None:
    """Build the demo database at ``url`` (fresh) with files in ``folder``."""
    init_database(url)
    database = open_database(url)
    try:
        with database.session() as session:
            people.add_agent(session, "a-daniel", "Daniel Moss", team="billing")
            people.add_agent(session, "a-maria", "Maria Lopez", team="cards")
        chat_import.import_chats(database, [str(SAMPLES / "chats" / "chats.jsonl"), str(_hostile_chat(folder))],
                                 source="demo")
        with database.session() as session:
            people.add_user(session, "ada", "admin")
            people.add_user(session, "lee", "lead", team="billing", actor="ada")
            people.add_user(session, "maria", "reviewer", actor="ada")
            people.add_user(session, "sam", "reviewer", agent_external_id="a-22", actor="ada")
            people.add_user(session, "dana", "agent", agent_external_id="a-17", actor="ada")
            people.add_user(session, "kim", "agent", agent_external_id="a-45", actor="ada")
            people.add_user(session, "tina", "trainer", actor="ada")
            people.add_user(session, "leo", "lead", team="cards", actor="ada")
            agents = {a.external_id: a for a in people.list_agents(session)}
            _call(session, agents, external_id="NW-2001", wav=SAMPLES / "calls" / "call_01_billing.wav", pii=False)
            _call(session, agents, external_id="NW-2002", wav=SAMPLES / "calls" / "call_03_overtalk.wav", pii=True)
            copy = folder / "redacted-NW-2003.wav"  # stands for the copy `--redact-audio` writes
            copy.write_bytes((SAMPLES / "calls" / "call_01_billing.wav").read_bytes())
            _call(session, agents, external_id="NW-2003", wav=SAMPLES / "calls" / "call_03_overtalk.wav", pii=True,
                  redacted=copy)
            for name in ("support-chat", "support-call"):
                rubrics.publish_file(session, name, actor="lee")
        scoring.score_auto(database, workers=1)
        with database.session() as session:
            # dana's c-1001 reviewed by maria; kim's (a-45) c-1003 assigned blind to maria and left open;
            # Kenji's (a-60, cards) c-1004 assigned blind to leo, the lead of cards, and left open
            for ref, reviewer, blind in (("c-1001", "maria", False), ("c-1003", "maria", True),
                                         ("c-1004", "leo", True)):
                version = scoring.latest_version_for(session, "support-chat")
                interaction = scoring.get_interaction(session, ref)
                user = session.scalar(select(User).where(User.name == reviewer))
                session.add(ReviewAssignment(interaction=interaction, rubric_version=version, reviewer=user,
                                             status="assigned", blind=blind, reason="demo"))
            session.flush()
            first = review.queue(session, "maria")[0]
            review.submit_file(session, first.id, SAMPLES / "review" / "maria.yaml", actor="maria")
            calibration.create(session, rubric="support-chat", interactions=["c-1005"], reviewers=["maria", "sam"],
                               gold="lee", name="Demo calibration", actor="lee")
        with database.session() as session:
            for who in ("lee", "sam"):
                for item in review.queue(session, who):
                    if item.calibration_session_id:
                        review.submit_file(session, item.id, SAMPLES / "review" / f"{who}.yaml", actor=who)
            for name, password in PASSWORDS.items():
                accounts.set_password(session, name, password, actor="ada")
    finally:
        database.close()
