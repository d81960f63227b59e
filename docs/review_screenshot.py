"""Regenerate docs/review-session.svg, the README's picture of a reviewer's session.

Run from the repository root: ``.venv/bin/python docs/review_screenshot.py``. It opens the review
app on the first shipped demo chat (PII redacted as on import) with the shipped support-chat rubric,
in blind mode, presses a few keys as a reviewer would, and saves Textual's SVG export of the screen.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from pathlib import Path

from qa_toolkit.ingest.pii import redact
from qa_toolkit.review.app import ReviewApp
from qa_toolkit.review.session import ReviewContext, TranscriptLine, timestamp
from qa_toolkit.rubrics import load_rubric
from qa_toolkit.rubrics.loader import LIBRARY
from qa_toolkit.services.review_scoring import criteria_of
from qa_toolkit.storage.models import RubricVersion

ROOT = Path(__file__).resolve().parents[1]


def demo_context() -> ReviewContext:
    chat = json.loads((ROOT / "samples" / "chats" / "chats.jsonl").read_text(encoding="utf-8").splitlines()[0])
    loaded = load_rubric(LIBRARY / "support-chat.yaml")
    version = RubricVersion(name="support-chat", version=1, body=loaded.body, channels=["chat", "email"])
    origin = datetime.fromisoformat(chat["turns"][0]["at"])
    transcript = [TranscriptLine(i, t["speaker"], timestamp(None, datetime.fromisoformat(t["at"]), origin),
                                 redact(t["text"]).text) for i, t in enumerate(chat["turns"])]
    return ReviewContext(assignment_id=3, interaction=chat["id"], channel="chat", rubric="support-chat v1",
                         criteria=criteria_of(version), transcript=transcript, blind=True,
                         agent=chat["agent"]["name"], auto_score=91.4)


async def main() -> None:
    app = ReviewApp(demo_context(), on_save=lambda sheet: None, on_submit=lambda sheet: (0, None))
    async with app.run_test(size=(132, 34)) as pilot:
        await pilot.press("1", "j", "1", "j", "1", "j", "j", "4", "c", *"Warm, uses the customer's name", "enter")
        await pilot.pause()
        app.save_screenshot("review-session.svg", str(ROOT / "docs"))


if __name__ == "__main__":
    asyncio.run(main())
