"""Give stored calls the sounds in their silences as this version hears them, without transcribing them again.

``qa transcribe`` stores each silence's sound in the call's timing block (:mod:`qa_toolkit.transcribe.sounds`).
Calls transcribed before a change to that classifier keep the old sounds; this decodes each stored call's recording
(the path the database holds) and recomputes ``timing.sounds`` over the stored silences with the same functions the
pipeline calls, leaving words, turns and every other field alone. For benches only (a labelled split transcribed once,
measured with two versions of the checks):

    .venv/bin/python bench/resound.py --db sqlite:///calls-dev.db
"""

from __future__ import annotations

import argparse
from pathlib import Path


def main() -> None:
    from sqlalchemy import select

    from qa_toolkit.storage.database import open_database
    from qa_toolkit.storage.models import Interaction, Recording
    from qa_toolkit.transcribe.audio import decode_windows
    from qa_toolkit.transcribe.pipeline import speakers_for
    from qa_toolkit.transcribe.sounds import SoundFrames, silence_sounds

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database the calls were transcribed into")
    args = parser.parse_args()
    database = open_database(args.db, require_head=False)
    changed = same = 0
    with database.session() as session:
        rows = session.execute(select(Recording.path, Interaction).join(Interaction, Interaction.id ==
                                                                         Recording.interaction_id)).all()
        for path, interaction in rows:
            timing = dict(interaction.meta.get("timing") or {})
            frames, channels = SoundFrames(), 0
            for window in decode_windows(Path(path)):
                frames.add(window.channels)
                channels = window.channel_count
            sounds = silence_sounds(frames, timing.get("silences", []), speakers_for(channels))
            if sounds == timing.get("sounds"):
                same += 1
                continue
            interaction.meta = {**interaction.meta, "timing": {**timing, "sounds": sounds}}
            changed += 1
    print(f"{changed} calls given new sounds, {same} unchanged")


if __name__ == "__main__":
    main()
