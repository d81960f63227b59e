"""The openai-whisper backend (extra ``[openai-whisper]``; PyTorch, float32 on CPU).

``model`` may be:

1. an openai-whisper checkpoint file (``.pt``), e.g. one written by ``qa models export-openai``;
2. a CTranslate2 Whisper directory, or a packaged model name (``tiny.en``, ``base``), converted
   in memory with :mod:`qa_toolkit.transcribe.ct2_export` (same weights as the default backend);
3. a Whisper model name, loaded with ``whisper.load_model(name)`` (downloads; needs internet).

The options mean what they mean for faster-whisper: ``vad_filter`` runs faster-whisper's Silero
VAD, transcribes only the speech (concatenated) and maps times back, exactly as faster-whisper
does; ``hotwords`` (which openai-whisper lacks) go in front of the prompt of every window.
"""

from __future__ import annotations

import base64
import gzip
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from qa_toolkit.errors import QAError
from qa_toolkit.transcribe.backend import Segment, TranscriptionOptions, Word
from qa_toolkit.transcribe.ct2_export import MISSING_EXTRA, OpenAICheckpoint, convert, import_torch

SAMPLE_RATE = 16_000


class OpenAIWhisperBackend:
    """A loaded openai-whisper model behind the :class:`~qa_toolkit.transcribe.backend.Backend` interface."""

    name = "openai-whisper"

    def __init__(self, model: Any, label: str, device: str = "cpu", source: Path | None = None) -> None:
        self.model, self.label, self.device, self.source = model, label, device, source
        # openai-whisper's word timestamps hook into the shared model: one transcription at a time
        self._lock = threading.Lock()

    def provenance(self) -> dict[str, object]:
        """Model, the hash of the files it was loaded from, device, torch threads and package versions."""
        from qa_toolkit.transcribe.provenance import REDACTION_PACKAGES, file_hash, model_hash, package_versions

        digest = None
        if self.source is not None:
            digest = model_hash(self.source) if self.source.is_dir() else file_hash(self.source)
        return {"backend": self.name, "model": self.label, "model_hash": digest, "device": self.device,
                "compute_type": "float16" if self.device != "cpu" else "float32",
                "cpu_threads": import_torch().get_num_threads(),
                "versions": package_versions(("openai-whisper", "torch", "numpy", "tiktoken", "faster-whisper",
                                              "onnxruntime", *REDACTION_PACKAGES))}

    def transcribe(self, audio: np.ndarray, options: TranscriptionOptions) -> Iterator[Segment]:
        """Transcribe 16 kHz mono float32 samples; segments in time order (computed at once)."""
        audio = np.asarray(audio, dtype=np.float32)
        speech_chunks = None
        if options.vad_filter:
            from faster_whisper.vad import collect_chunks, get_speech_timestamps

            speech_chunks = get_speech_timestamps(audio)
            if not speech_chunks:
                return
            audio = np.concatenate(collect_chunks(audio, speech_chunks)[0])
        if audio.size == 0:
            return
        prompt = " ".join(p.strip() for p in (options.hotwords, options.initial_prompt) if p) or None
        with self._lock:
            result = self._transcribe(audio, options, prompt)
        segments = [_segment(raw) for raw in result["segments"] if raw["text"].strip()]
        if speech_chunks is not None:
            from faster_whisper.transcribe import restore_speech_timestamps

            segments = list(restore_speech_timestamps(segments, speech_chunks, SAMPLE_RATE))
        yield from segments

    def _transcribe(self, audio: np.ndarray, options: TranscriptionOptions, prompt: str | None) -> dict[str, Any]:
        return self.model.transcribe(
            audio,
            language=options.language,
            word_timestamps=options.word_timestamps,
            beam_size=options.beam,
            best_of=options.best_of,
            patience=options.patience,
            length_penalty=None if options.length_penalty == 1.0 else options.length_penalty,
            temperature=tuple(options.temperature),
            compression_ratio_threshold=options.compression_ratio_threshold,
            logprob_threshold=options.log_prob_threshold,
            no_speech_threshold=options.no_speech_threshold,
            initial_prompt=prompt,
            carry_initial_prompt=bool(options.hotwords),
            condition_on_previous_text=options.condition_on_previous_text,
            fp16=self.device != "cpu",
            verbose=None,
        )


def _segment(raw: dict[str, Any]) -> Segment:
    words = [Word(start=float(w["start"]), end=float(w["end"]), word=w["word"].strip(),
                  probability=float(w["probability"])) for w in raw.get("words", [])]
    return Segment(start=float(raw["start"]), end=float(raw["end"]), text=raw["text"].strip(), words=words,
                   avg_logprob=float(raw["avg_logprob"]), no_speech_prob=float(raw["no_speech_prob"]),
                   compression_ratio=float(raw.get("compression_ratio", 0.0)))


def load_openai_backend(model: str | Path | None = None, device: str = "cpu") -> OpenAIWhisperBackend:
    """Load an openai-whisper model: a ``.pt`` checkpoint, a CTranslate2 directory or packaged
    model (converted in memory), or a Whisper model name (downloaded by openai-whisper).

    ``model`` None means the default model (tiny.en); ``device`` is ``cpu``, ``cuda`` or ``auto``.

    Raises:
        QAError: the extra is not installed, or ``model`` cannot be found or read.
    """
    try:
        import whisper
    except ImportError:
        raise QAError(MISSING_EXTRA) from None
    from qa_toolkit.transcribe.models import DEFAULT_MODEL, ModelNotFoundError, resolve_model

    if device == "auto":
        device = "cuda" if import_torch().cuda.is_available() else "cpu"
    spec = str(model or DEFAULT_MODEL)
    path = Path(spec).expanduser()
    if path.is_file():
        return OpenAIWhisperBackend(_from_checkpoint_file(path, device), path.stem, device, path)
    if path.is_dir():
        return OpenAIWhisperBackend(_from_checkpoint(convert(path), device), path.name, device, path)
    try:
        resolved = resolve_model(spec, allow_download=False)
    except ModelNotFoundError:
        resolved = None
    if resolved is not None and resolved.path is not None:
        return OpenAIWhisperBackend(_from_checkpoint(convert(resolved.path), device), spec, device, resolved.path)
    if spec in whisper.available_models():
        try:
            return OpenAIWhisperBackend(whisper.load_model(spec, device=device), spec, device)
        except OSError as exc:  # URLError and friends: no internet
            raise QAError(f"openai-whisper could not download model {spec!r} ({exc}): pass a checkpoint "
                          "(qa models export-openai CT2_DIR OUT.pt) or a CTranslate2 model directory") from None
    raise QAError(f"openai-whisper model {spec!r} not found: not a checkpoint file, not a CTranslate2 "
                  f"directory, not a packaged model and not one of {', '.join(whisper.available_models())}")


def _from_checkpoint_file(path: Path, device: str) -> Any:
    torch = import_torch()
    try:
        raw = torch.load(path, map_location=device, weights_only=True)
    except Exception as exc:  # noqa: BLE001 - torch raises many kinds for a bad file
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise QAError(f"{path}: not a readable openai-whisper checkpoint ({reason[:200]})") from None
    if not isinstance(raw, dict) or not {"dims", "model_state_dict"} <= raw.keys():
        raise QAError(f"{path}: not an openai-whisper checkpoint (expected the keys 'dims' and "
                      "'model_state_dict', as written by qa models export-openai)")
    state = {k: v.cpu().numpy() for k, v in raw["model_state_dict"].items()}
    return _from_checkpoint(OpenAICheckpoint(dims=raw["dims"], state_dict=state,
                                             alignment_heads=raw.get("alignment_heads") or []), device)


def _from_checkpoint(checkpoint: OpenAICheckpoint, device: str) -> Any:
    """Build the model like ``whisper.load_model`` does, then apply the word-timestamp heads."""
    torch = import_torch()
    from whisper.model import ModelDimensions, Whisper

    model = Whisper(ModelDimensions(**checkpoint.dims))
    try:
        model.load_state_dict({k: torch.from_numpy(np.asarray(a)) for k, a in checkpoint.state_dict.items()})
    except RuntimeError as exc:
        raise QAError(f"checkpoint does not fit its dims: {str(exc).splitlines()[0]}") from None
    if checkpoint.alignment_heads:
        mask = np.zeros((checkpoint.dims["n_text_layer"], checkpoint.dims["n_text_head"]), dtype=bool)
        for layer, head in checkpoint.alignment_heads:
            mask[layer, head] = True
        model.set_alignment_heads(base64.b85encode(gzip.compress(mask.tobytes())))
    return model.to(device)
