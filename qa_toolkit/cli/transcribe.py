"""`qa transcribe`: Transcribe recorded calls with Whisper."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from qa_toolkit.cli.common import (
    AgentChannelOption,
    AsUserOption,
    DbOption,
    JsonOption,
    authorize,
    console,
    database_url,
    err_console,
    opened,
    print_json,
    print_table,
)
from qa_toolkit.config import get_settings
from qa_toolkit.errors import EXIT_PARTIAL, QAError
from qa_toolkit.services.roles import MANAGE

app = typer.Typer(help="Transcribe recorded calls with Whisper into speaker-labelled turns.", no_args_is_help=True)

ModelOption = Annotated[str | None, typer.Option(
    "--model", "-m", show_default=False,
    help="A CTranslate2 model directory, a packaged model (tiny.en, base) or a Whisper model name "
         "(downloaded where internet exists). Default: $QA_WHISPER_MODEL, else tiny.en.")]
BackendOption = Annotated[str, typer.Option(
    "--backend", help="faster-whisper (default; int8 on CPU, float16 on GPU) or openai-whisper.")]
LanguageOption = Annotated[str, typer.Option("--language", help="Spoken language code; 'auto' to detect.")]
VocabularyOption = Annotated[Path | None, typer.Option(
    "--vocabulary", show_default=False,
    help="File of domain terms (one per line: company, product, place names) given to Whisper as a prompt. "
         "Default: $QA_VOCABULARY_FILE.")]
CallPromptOption = Annotated[bool, typer.Option(
    "--call-prompt", help="Give Whisper a few lines of a support call (introduction, recording notice, verification, "
                          "hold, transfer) before every window, with the --vocabulary terms. Opt-in: see the README.")]
DeviceOption = Annotated[str, typer.Option("--device", help="auto, cpu or cuda.")]
DiarizeOption = Annotated[bool, typer.Option(
    "--diarize/--no-diarize",
    help="Mono calls: tell the speakers apart and label agent, customer, agent_2, other (needs the diarization "
         "extra); undecided calls keep 'unknown' and are tagged review-speakers.")]
RehearOption = Annotated[bool, typer.Option(
    "--rehear/--no-rehear",
    help="Mono calls whose words did not decide the roles: decode each voice's first seconds again with the "
         "packaged Whisper base (offline-models extra) and decide again; only a decision that agrees with the first "
         "words is taken. Off by default: it adds about 20-35 % of tiny.en's CPU time (README).")]

BeamOption = Annotated[int | None, typer.Option(
    "--beam-size", min=1, max=10, show_default=False,
    help="Beam search width. Default: 2 for stereo calls decoded packed, 5 for mono calls and with "
         "--no-pack-channels. 1 is greedy decoding (faster, WER a little worse); see the README. All are "
         "deterministic, and the width used is stored with each transcript.")]

RedactAudioOption = Annotated[Path | None, typer.Option(
    "--redact-audio", show_default=False,
    help="Write a copy of each recording into this folder with spoken personal data (cards, CVV, expiry, SSNs, "
         "phones, e-mails, accounts) silenced on every channel; same format, rate, channels and duration.")]
RedactMarginOption = Annotated[float, typer.Option(
    "--redact-margin", min=0.0, max=5.0,
    help="Seconds muted before and after each span in --redact-audio copies (then out to the speaker's nearest "
         "pause, at most 1.5 s more).")]
PackOption = Annotated[bool, typer.Option(
    "--pack-channels/--no-pack-channels",
    help="Stereo calls: pack both channels' speech (crosstalk left out) into Whisper windows decoded once each, "
         "beam 2 (the default: 1.34-1.45x less CPU than naive whole-channel decoding over the labelled test calls, "
         "at about 60 % of its WER; with --beam-size 1 1.57x at 0.6 WER points more; README Speed). "
         "--no-pack-channels decodes each channel on its own, beam 5 (the earlier default).")]

RedactToneOption = Annotated[bool, typer.Option(
    "--redact-tone", help="A 1 kHz tone over each span in --redact-audio copies instead of silence.")]


def _settings(model: str | None, backend: str, language: str, vocabulary: Path | None, agent_channel: str,
              device: str, workers: int = 1, filename_pattern: str | None = None,  # type: ignore[no-untyped-def]
              redact_audio: Path | None = None, redact_margin: float = 0.25, redact_tone: bool = False,
              diarize: bool = True, beam_size: int | None = None, pack_channels: bool = True,
              call_prompt: bool = False, rehear: bool = False):
    from qa_toolkit.services.transcription import TranscribeSettings
    from qa_toolkit.transcribe.faster_backend import BACKENDS
    from qa_toolkit.transcribe.vocabulary import read_vocabulary

    if backend not in BACKENDS:
        raise QAError(f"--backend {backend!r}: choose one of {', '.join(BACKENDS)}")
    if agent_channel not in ("left", "right"):
        raise QAError(f"--agent-channel {agent_channel!r}: choose left or right")
    if workers < 1:
        raise QAError(f"--workers {workers}: must be at least 1")
    if redact_audio is not None and redact_audio.exists() and not redact_audio.is_dir():
        raise QAError(f"--redact-audio {redact_audio}: not a folder")
    config = get_settings()
    model, vocabulary = model or config.whisper_model, vocabulary or config.vocabulary_file
    return TranscribeSettings(
        model=model, backend=backend, language=None if language == "auto" else language,
        vocabulary=read_vocabulary(vocabulary) if vocabulary else [], call_prompt=call_prompt,
        agent_channel=agent_channel,
        filename_pattern=filename_pattern, workers=workers, device=device,
        redact_audio=str(redact_audio) if redact_audio else None, redact_audio_margin_s=redact_margin,
        redact_audio_tone=redact_tone, diarize=_diarize(diarize), beam_size=beam_size, pack_channels=pack_channels,
        rehear=rehear)


def _diarize(wanted: bool) -> bool:
    """Diarize mono calls when asked and installed (a note on stderr when asked but not installed)."""
    from qa_toolkit.transcribe.diarize import available

    if wanted and not available():
        err_console.print("note: mono calls keep the speaker 'unknown': pip install 'qa-toolkit[diarization]' "
                          "to tell their speakers apart", highlight=False)
        return False
    return wanted


@app.command("file")
def file_(
    audio: Annotated[list[Path] | None, typer.Argument(
        help="Audio files (WAV, μ-law/A-law, MP3, OGG/Opus, M4A, FLAC).", show_default=False)] = None,
    model: ModelOption = None,
    backend: BackendOption = "faster-whisper",
    language: LanguageOption = "en",
    output_format: Annotated[str, typer.Option("--output-format", "-f", help="json, srt, vtt or txt.")] = "txt",
    output_dir: Annotated[Path | None, typer.Option(
        "--output-dir", "-o", help="Write NAME.<format> files here instead of printing.")] = None,
    store: Annotated[bool, typer.Option("--store/--no-store", help="Also store the transcripts in the database.")] = False,
    redact: Annotated[bool, typer.Option(
        "--redact/--no-redact",
        help="Replace card numbers, SSNs, e-mail addresses and phone numbers by placeholders in what is printed or "
             "written, as the database stores them; --no-redact gives what was said.")] = True,
    vocabulary: VocabularyOption = None,
    agent_channel: AgentChannelOption = "left",
    device: DeviceOption = "auto",
    redact_audio: RedactAudioOption = None,
    redact_margin: RedactMarginOption = 0.25,
    redact_tone: RedactToneOption = False,
    diarize: DiarizeOption = True,
    rehear: RehearOption = False,
    beam_size: BeamOption = None,
    pack_channels: PackOption = True,
    reproduce: Annotated[int | None, typer.Option(
        "--reproduce", metavar="INTERACTION", show_default=False,
        help="Transcribe a stored call's recording again with the options, model and settings stored with it "
             "and compare with the stored turns: exit 0 when identical, 4 when anything differs.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Transcribe audio files and print (or write) the transcripts; stereo calls get agent/customer turns.

    Decoding is deterministic: the same file, model and options give the same transcript, run after run.

    Example:

        qa transcribe file samples/calls/call_01_billing.wav --output-format srt
        qa transcribe file samples/pii_call/call_06_card.mp3 --redact-audio redacted/
        qa transcribe file --reproduce 12
    """
    if reproduce is not None:
        if audio:
            raise QAError("--reproduce INTERACTION takes no audio files: the stored recording is used")
        _reproduce(reproduce, db, as_json)
        return
    if not audio:
        raise QAError("give audio files to transcribe, or --reproduce INTERACTION")
    if as_json:
        raise QAError("--json goes with --reproduce: for transcripts as JSON use --output-format json")
    from qa_toolkit.services.transcription import RedactionError, redact_call
    from qa_toolkit.transcribe.audio import AudioError
    from qa_toolkit.transcribe.formats import FORMATS, render
    from qa_toolkit.transcribe.pipeline import transcribe_file

    if output_format not in FORMATS:
        raise QAError(f"--output-format {output_format!r}: choose one of {', '.join(FORMATS)}")
    settings = _settings(model, backend, language, vocabulary, agent_channel, device,
                         redact_audio=redact_audio, redact_margin=redact_margin, redact_tone=redact_tone, diarize=diarize,
                         beam_size=beam_size, pack_channels=pack_channels, rehear=rehear)
    stored = _store_files(audio, settings, db) if store else {}
    not_stored = [p for p, t in stored.items() if t is None]  # failed: the reason is printed, not written as done
    loaded = settings.load_backend()
    failed = 0
    for path in audio:
        if path in not_stored:
            failed += 1
            continue
        transcript = stored.get(path)
        if transcript is None:
            try:
                transcript = transcribe_file(path, loaded, settings.options(), agent_channel=settings.agent_channel,  # type: ignore[arg-type]
                                             diarize=settings.diarize, rehear=settings.rehearer())
                if redact or settings.redact_audio:
                    redacted, written = redact_call(path, transcript, settings)
                    if written:
                        err_console.print(f"Wrote {written} ({len(redacted.pii_spans)} span(s) silenced)",
                                          markup=False, highlight=False, soft_wrap=True)
                    transcript = redacted if redact else transcript
            except (AudioError, RedactionError) as exc:
                err_console.print(f"Error: {exc}", markup=False, highlight=False, soft_wrap=True)
                failed += 1
                continue
        text = render(transcript.redacted() if redact else transcript, output_format)
        if output_dir:
            output_dir.mkdir(parents=True, exist_ok=True)
            target = output_dir / f"{path.stem}.{output_format}"
            target.write_text(text, encoding="utf-8")
            err_console.print(f"Wrote {target} ({transcript.duration_s:.1f} s, RTF {transcript.rtf:.3f})")
        else:
            if len(audio) > 1 and output_format == "txt":
                console.print(f"[bold]{path}[/bold]")
            typer.echo(text, nl=False)
    if failed:
        raise typer.Exit(EXIT_PARTIAL if failed < len(audio) else 1)


EXIT_DIFFERS = 4


def _reproduce(interaction_id: int, db: str | None, as_json: bool) -> None:
    """Re-run a stored transcript and report any difference (exit 4 when there is one)."""
    from qa_toolkit.services.reproduce import reproduce

    with opened(db) as database:
        result = reproduce(database, interaction_id)
    if as_json:
        print_json(result.as_dict())
    else:
        packages = {c["package"] for c in result.packages}
        for change in result.environment:
            if change.split(" ", 1)[0] not in packages:
                err_console.print(f"note: changed since it was transcribed: {change}", markup=False,
                                  highlight=False, soft_wrap=True)
        if result.packages:
            err_console.print(packages_message(result.packages), markup=False, highlight=False, soft_wrap=True)
        if result.identical:
            console.print(f"Interaction {interaction_id} ({result.file}): reproduced, {result.turns_now} turns "
                          "identical", markup=False, highlight=False)
        else:
            print_table(f"Interaction {interaction_id} ({result.file}): {len(result.differences)} difference(s)",
                        ["turn", "field", "stored", "now"],
                        [(d["turn"], d["field"], _shown(d["stored"]), _shown(d["now"])) for d in result.differences])
    if not result.identical:
        raise typer.Exit(EXIT_DIFFERS)


def packages_message(changes: list[dict[str, str | None]]) -> str:
    """What to tell a user whose installed packages are not the ones a transcript was made with."""
    listed = ", ".join(f"{c['package']} {c['stored'] or '(not installed then)'} (now {c['now'] or 'not installed'})"
                       for c in changes)
    pins = " ".join(f"'{c['package']}=={c['stored']}'" for c in changes if c["stored"])
    return (f"warning: installed package versions differ from those stored with this transcript: {listed}. "
            "A transcript may differ for that reason alone"
            + (f"; to reproduce it exactly, install those versions: pip install {pins}" if pins else "") + ".")


def _shown(value: object) -> str:
    if isinstance(value, dict):
        return f"{value['speaker']} {value['start_s']}-{value['end_s']} s: {value['text']}"
    return "" if value is None else str(value)


def _store_files(paths: list[Path], settings, db: str | None) -> dict:  # type: ignore[no-untyped-def]
    """Register, transcribe and store each file; the fresh transcripts by path, None for a file that failed (its
    reason printed: a recording with no speech, hold music only, is stored as failed and must not exit 0)."""
    from qa_toolkit.services import transcription

    transcripts = {}
    with opened(db) as database:
        existing = [p for p in paths if p.is_file()]
        for path, row in zip(existing, transcription.register(database, existing), strict=True):
            outcome = transcription.process(database, row.id, settings)
            if outcome.status == "done":
                err_console.print(f"Stored {path} as interaction {outcome.interaction_id}"
                                  + (f"; redacted audio: {outcome.redacted_audio}" if outcome.redacted_audio else ""),
                                  markup=False, highlight=False, soft_wrap=True)
                transcripts[path] = outcome.transcript
            elif outcome.status == "failed":
                err_console.print(f"Error: {outcome.reason}", markup=False, highlight=False, soft_wrap=True)
                transcripts[path] = None
            else:
                err_console.print(f"{path}: already {row.status} (recording {row.id}), not stored again")
    return transcripts


@app.command("batch")
def batch(
    folder: Annotated[Path, typer.Argument(help="Folder with recordings (searched recursively).")],
    workers: Annotated[int, typer.Option("--workers", "-w", help="Files transcribed at once.")] = 1,
    since: Annotated[datetime | None, typer.Option(
        "--since", formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"], help="Only files modified on or after this date.")] = None,
    model: ModelOption = None,
    backend: BackendOption = "faster-whisper",
    language: LanguageOption = "en",
    vocabulary: VocabularyOption = None,
    agent_channel: AgentChannelOption = "left",
    filename_pattern: Annotated[str | None, typer.Option(
        "--filename-pattern", help="Metadata from file names, e.g. '{call_id}_{agent_id}_{started_at}.wav'.")] = None,
    device: DeviceOption = "auto",
    redact_audio: RedactAudioOption = None,
    redact_margin: RedactMarginOption = 0.25,
    redact_tone: RedactToneOption = False,
    diarize: DiarizeOption = True,
    rehear: RehearOption = False,
    beam_size: BeamOption = None,
    pack_channels: PackOption = True,
    call_prompt: CallPromptOption = False,
    db: DbOption = None,
    as_user: AsUserOption = None,
    as_json: JsonOption = False,
) -> None:
    """Transcribe every new recording in a folder into the database (one transaction per file).

    Files are recognised by content hash: renamed or re-copied files are not transcribed twice, and
    a batch that was killed picks up where it stopped. Exit code 3 when any file failed.

    Example:

        qa transcribe batch samples/calls --workers 2
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from qa_toolkit.services import transcription
    from qa_toolkit.transcribe.audio import declared_seconds

    settings = _settings(model, backend, language, vocabulary, agent_channel, device, workers, filename_pattern,
                         redact_audio, redact_margin, redact_tone, diarize, beam_size, pack_channels, call_prompt,
                         rehear=rehear)
    progress = Progress(TextColumn("[bold]transcribing"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.fields[hours]:.2f} of {task.fields[total_h]:.2f} h audio · "
                                   "RTF {task.fields[rtf]:.3f} · {task.fields[failed]} failed"),
                        TimeElapsedColumn(), TextColumn("ETA {task.fields[eta]}"),
                        console=err_console, transient=True, disable=as_json)
    state = {"audio": 0.0, "total": 0.0, "failed": 0, "started": time.perf_counter()}
    with opened(db) as database, progress:
        authorize(database, as_user, MANAGE, "transcribe calls into the database")
        task = progress.add_task("files", total=None, hours=0.0, total_h=0.0, rtf=0.0, failed=0, eta="-:--:--")

        def registered(n: int, audio_s: float) -> None:
            state["total"] = audio_s
            progress.update(task, total=n, total_h=audio_s / 3600)

        def done(outcome: transcription.FileOutcome) -> None:
            state["audio"] += outcome.duration_s
            if outcome.status != "done":  # failed, or another worker's: its declared seconds are not to come
                state["failed"] += outcome.status == "failed"
                state["total"] -= declared_seconds(outcome.path) or 0.0
            rate = batch_rate(state["audio"], time.perf_counter() - state["started"], state["total"])
            progress.update(task, advance=1, hours=state["audio"] / 3600, failed=state["failed"], **rate)
            if outcome.status == "failed" and not as_json:
                err_console.print(f"failed: {outcome.reason}", markup=False, highlight=False, soft_wrap=True)

        report = transcription.run_batch(database, folder, settings, since=since,
                                         on_registered=registered, on_file=done)
    review = sum(1 for o in report.outcomes if o.status == "done" and o.transcript is not None
                 and o.transcript.speakers and o.transcript.speakers.get("needs_review"))
    summary = {"files": len(report.outcomes), "done": report.count("done"), "failed": report.count("failed"),
               "skipped": report.count("skipped"), "busy": report.count("busy"), "audio_s": round(report.audio_s, 1),
               "audio_h": round(report.audio_s / 3600, 3), "seconds": round(report.seconds, 1),
               "rtf": round(report.rtf, 4), "failures": report.failures(), "speaker_review": review}
    if as_json:
        print_json({"summary": summary, "files": [o.as_dict() for o in report.outcomes]})
    else:
        print_table("Transcription batch", ["file", "status", "audio s", "interaction", "reason"],
                    [(Path(o.path).name, o.status, f"{o.duration_s:.1f}", o.interaction_id, o.reason)
                     for o in sorted(report.outcomes, key=lambda o: o.path)])
        console.print(f"{summary['files']} files: {summary['done']} done, {summary['failed']} failed"
                      f"{_kinds(report.failures())}, {summary['skipped']} already seen, {summary['busy']} busy "
                      f"elsewhere · {report.audio_s / 3600:.2f} h audio in {report.seconds:.1f} s · RTF {report.rtf:.3f}",
                      markup=False, highlight=False)
        if review:
            console.print(f"{review} mono call(s) need a person to tell who is speaking: tagged review-speakers")
    if summary["failed"]:
        raise typer.Exit(EXIT_PARTIAL)


def batch_rate(audio_s: float, elapsed_s: float, total_s: float) -> dict[str, object]:
    """The batch's real-time factor so far (wall-clock seconds per second of audio transcribed, as its end summary
    counts it) and the time left at that pace for the audio still to come (``total_s``: the files' declared
    seconds), as ``H:MM:SS``."""
    if audio_s <= 0:
        return {"rtf": 0.0, "eta": "-:--:--"}
    rtf = elapsed_s / audio_s
    left = round(max(0.0, total_s - audio_s) * rtf)
    return {"rtf": rtf, "eta": f"{left // 3600}:{left // 60 % 60:02d}:{left % 60:02d}"}


def _kinds(failures: dict[str, int]) -> str:
    """`` (truncated 2, silent 1)`` or nothing."""
    return f" ({', '.join(f'{kind} {n}' for kind, n in failures.items())})" if failures else ""


@app.command("status")
def status(
    state: Annotated[str | None, typer.Option("--status", help="Only pending, running, done or failed.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many recordings.")] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List recordings by status (pending, running, done, failed) with failure reasons.

    Example:

        qa transcribe status --status failed
    """
    from qa_toolkit.services import transcription

    with opened(db) as database:
        counts = transcription.status_counts(database)
        overall = transcription.summary(database)
        rows = transcription.list_recordings(database, status=state, limit=limit)
    if as_json:
        print_json({"counts": counts, "summary": overall, "recordings": rows})
        return
    console.print(" · ".join(f"{k}: {v}" for k, v in counts.items()))
    console.print(f"{overall['files']} files: {counts['done']} done, {counts['failed']} failed"
                  f"{_kinds(overall['failures'])} · {overall['audio_s'] / 3600:.2f} h audio transcribed"
                  + (f" · RTF {overall['rtf']:.3f}" if overall["rtf"] is not None else ""),
                  markup=False, highlight=False)
    print_table("Recordings", ["id", "file", "status", "audio s", "model", "RTF", "interaction", "reason"],
                [(r["id"], Path(r["file"]).name, r["status"] + (" (unassigned)" if r["unassigned"] else ""),
                  None if r["duration_s"] is None else f"{r['duration_s']:.1f}", r["model"], r["rtf"],
                  r["interaction_id"], r["reason"]) for r in rows])


@app.command("retry")
def retry(
    ids: Annotated[list[int] | None, typer.Argument(help="Recording ids (default: every failed one).")] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", help="Only failures of this kind: empty, unsupported, corrupt, truncated, silent, metadata, error.")] = None,
    db: DbOption = None,
    as_user: AsUserOption = None,
) -> None:
    """Put failed recordings back to pending, so the next batch (or worker) transcribes them again.

    Example:

        qa transcribe retry --kind metadata
    """
    from qa_toolkit.services import transcription

    with opened(db) as database:
        actor = authorize(database, as_user, MANAGE, "retry failed recordings")
        count = transcription.retry_failed(database, ids=ids, kind=kind, actor=actor)
    console.print(f"Re-queued {count} recording(s)")


@app.command("eval")
def eval_(
    references: Annotated[Path, typer.Option(
        "--references", "-r", help="JSON mapping audio files (relative to it) to reference transcripts.")],
    model: ModelOption = None,
    backend: BackendOption = "faster-whisper",
    language: LanguageOption = "en",
    vocabulary: VocabularyOption = None,
    agent_channel: AgentChannelOption = "left",
    device: DeviceOption = "auto",
    diarize: DiarizeOption = True,
    rehear: RehearOption = False,
    beam_size: BeamOption = None,
    pack_channels: PackOption = True,
    as_json: JsonOption = False,
) -> None:
    """Word/character error rates (jiwer), speaker attribution, speaker-attributed WER and DER against references.

    Text is normalised first (lower-case, punctuation removed, contractions expanded, numbers as
    words); see qa_toolkit/transcribe/evaluate.py. DER needs who spoke when: an "rttm" file named in the
    entry, or NAME.rttm beside the audio (tools/synth_calls.py writes one per call).

    Example:

        qa transcribe eval --references samples/calls/references.json
    """
    from qa_toolkit.transcribe.evaluate import evaluate_files

    settings = _settings(model, backend, language, vocabulary, agent_channel, device, diarize=diarize,
                         beam_size=beam_size, pack_channels=pack_channels, rehear=rehear)
    result = evaluate_files(references, settings.load_backend(), settings.options(), agent_channel=agent_channel,
                            diarize=settings.diarize, rehear=settings.rehearer())
    data = result.as_dict()
    if as_json:
        print_json({"model": settings.model_label, "backend": backend, **data})
        return
    pct = lambda v: "" if v is None else f"{100 * v:.1f}%"  # noqa: E731
    print_table(f"WER ({settings.model_label}, {backend})",
                ["file", "words", "WER", "CER", "sub", "del", "ins", "speaker acc.", "SA-WER", "DER"],
                [(f["file"], f["reference_words"], pct(f["wer"]), pct(f["cer"]), f["substitutions"],
                  f["deletions"], f["insertions"], pct(f["speaker_accuracy"]), pct(f["sa_wer"]), pct(f["der"]))
                 for f in data["files"]])
    o = data["overall"]
    console.print(f"overall WER {pct(o['wer'])} · CER {pct(o['cer'])} · {o['substitutions']} sub, "
                  f"{o['deletions']} del, {o['insertions']} ins of {o['reference_words']} words"
                  + (f" · speaker attribution {pct(o['speaker_accuracy'])}" if o["speaker_accuracy"] is not None else "")
                  + (f" · SA-WER {pct(o['sa_wer'])}" if o["sa_wer"] is not None else "")
                  + (f" · DER {pct(o['der'])}" if o["der"] is not None else ""))


@app.command("enqueue")
def enqueue(
    folder: Annotated[Path, typer.Argument(help="Folder with recordings (searched recursively).")],
    since: Annotated[datetime | None, typer.Option(
        "--since", formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"], help="Only files modified on or after this date.")] = None,
    model: ModelOption = None,
    language: LanguageOption = "en",
    vocabulary: VocabularyOption = None,
    agent_channel: AgentChannelOption = "left",
    filename_pattern: Annotated[str | None, typer.Option("--filename-pattern", help="See `qa transcribe batch`.")] = None,
    redact_audio: RedactAudioOption = None,
    redact_margin: RedactMarginOption = 0.25,
    redact_tone: RedactToneOption = False,
    db: DbOption = None,
    as_user: AsUserOption = None,
) -> None:
    """Queue every new recording of a folder as one procrastinate job per file (PostgreSQL only).

    Workers on any machine sharing the database (`qa transcribe worker`) pick the jobs up.

    Example:

        qa transcribe enqueue /srv/calls/2026-11-27 --db postgresql+psycopg://qa@dbhost/qa
    """
    from qa_toolkit.transcribe import queue

    settings = _settings(model, "faster-whisper", language, vocabulary, agent_channel, "auto", 1, filename_pattern,
                         redact_audio.resolve() if redact_audio else None, redact_margin, redact_tone)
    with opened(db) as database:
        authorize(database, as_user, MANAGE, "queue calls")
        queued, known = queue.enqueue_folder(database, folder, settings, since=since)
    console.print(f"Queued {queued} recording(s); {known} already done, failed or queued")


@app.command("worker")
def worker(
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", help="Jobs run at once by this worker.")] = 1,
    nightly: Annotated[Path | None, typer.Option(
        "--nightly-folder", show_default=False,
        help="Folder the periodic task enqueues every night at 01:00 (cron '0 1 * * *'). "
             "Default: $QA_NIGHTLY_FOLDER.")] = None,
    wait: Annotated[bool, typer.Option("--wait/--burst", help="Keep waiting for jobs, or stop when the queue is empty.")] = True,
    db: DbOption = None,
) -> None:
    """Run a procrastinate worker that transcribes queued recordings (PostgreSQL only).

    Start one per machine; jobs of a worker that died are retried by the others (stalled-job
    recovery), and storage is idempotent by content hash, so no file is lost or stored twice.

    Example:

        qa transcribe worker --concurrency 2 --db postgresql+psycopg://qa@dbhost/qa
    """
    from qa_toolkit.transcribe import queue

    queue.run_worker(database_url(db), concurrency=concurrency, nightly_folder=nightly, wait=wait)
