"""Settings, read from the environment (``QA_*``) or a ``.env`` file; ``--db`` overrides the URL."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """qa-toolkit settings.

    Attributes:
        database_url: SQLAlchemy URL. SQLite file by default (``qa.db`` in the working directory);
            ``postgresql+psycopg://user@host/dbname`` for teams and multi-machine batches.
        user: the acting user's name (reviewer, lead, ...), used for the audit trail.
        data_dir: where the toolkit keeps files of its own (rejected records, model cache).
        whisper_model: default ``--model`` of ``qa transcribe`` and of the queue's nightly task (None: tiny.en).
        cpu_kernels: ``avx2`` pins the speech model's CPU kernels to AVX2 without Intel MKL on x86-64 CPUs that
            have it, so the same audio gives the same transcript on every machine of a batch
            (``QA_CPU_KERNELS=avx2``); ``native`` (default) lets CTranslate2 and oneDNN choose by the CPU.
        vocabulary_file: default ``--vocabulary`` (domain terms given to Whisper as a prompt).
        model_cache: where packaged models are joined (default: ``<data_dir>/models``).
        nightly_folder: the folder the queue workers' nightly task enqueues at 01:00.
        queue_stalled_after: seconds without a heartbeat before a worker's job is retried elsewhere.
        report_font: a TrueType font to embed in PDF reports instead of DejaVu Sans.
        phone_regions: where phone numbers written without a country code are from, for PII redaction
            (``QA_PHONE_REGIONS=US,GB``; ISO 3166-1 region codes). Numbers with ``+`` are found anyway.
        pii_card_keep_last: digits of a card number its placeholder keeps (``QA_PII_CARD_KEEP_LAST=4``:
            ``[CARD ending 1111]``); 0 keeps none.
        pii_account_patterns: regular expressions for account numbers, over the normalised text (spoken
            digits as digits); group 1, when there is one, is the number. A JSON list
            (``QA_PII_ACCOUNT_PATTERNS='["(?i)member id (\\d{8})"]'``); unset: "account number" followed by
            6-16 digits.
        llm_base_url: an OpenAI-compatible endpoint for ``llm_judge`` checks (llama.cpp server, Ollama, vLLM:
            ``http://127.0.0.1:8080/v1``); None: LLM checks are not configured.
        llm_model: the model name sent to it. llm_api_key: its key, if it needs one.
        llm_response_format: ``json_schema`` (OpenAI, vLLM, llama-server) or ``json_object`` (llama-cpp-python's
            server, which takes the schema inside ``json_object``).
        llm_timeout: seconds per request; llm_retries: retries with exponential backoff; llm_concurrency:
            requests in flight at once.
        embedding_cache: keep the semantic checks' sentence embeddings in the database (vectors and text
            hashes, no text), so a sentence is embedded once per database (``QA_EMBEDDING_CACHE=0``: off).
        verdict_cache: keep each check's result per interaction in the database, so a rescore under a new rubric
            version runs only the criteria whose check, parameters or code changed (``QA_VERDICT_CACHE=0``: off).
        embed_on_ingest: embed the sentences of interactions as they are stored (chat import, transcription) into the
            embedding cache, so the first ``qa score auto`` reads them instead of running the model
            (``QA_EMBED_ON_INGEST=1``; off: scoring embeds them, or run ``qa score embed`` before it).
    """

    model_config = SettingsConfigDict(env_prefix="QA_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///qa.db"
    user: str | None = None
    data_dir: Path = Field(default_factory=lambda: Path.home() / ".local" / "share" / "qa-toolkit")
    whisper_model: str | None = None
    cpu_kernels: Literal["avx2", "native"] = "native"
    vocabulary_file: Path | None = None
    model_cache: Path | None = None
    nightly_folder: Path | None = None
    queue_stalled_after: float = Field(default=60.0, gt=0)
    report_font: Path | None = None
    phone_regions: Annotated[tuple[str, ...], NoDecode] = ("US",)
    pii_card_keep_last: int = Field(default=0, ge=0, le=4)
    pii_account_patterns: tuple[str, ...] | None = None

    @field_validator("pii_account_patterns")
    @classmethod
    def _compiled(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        import re

        for pattern in value or ():
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from None
        return value
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = None
    llm_response_format: Literal["json_schema", "json_object"] = "json_schema"
    llm_timeout: float = Field(default=60.0, gt=0)
    llm_retries: int = Field(default=2, ge=0)
    llm_concurrency: int = Field(default=4, ge=1)
    embedding_cache: bool = True
    verdict_cache: bool = True
    embed_on_ingest: bool = False

    @field_validator("phone_regions", mode="before")
    @classmethod
    def _known_regions(cls, value: Any) -> Any:
        parts = value.split(",") if isinstance(value, str) else value
        value = [str(part).strip().upper() for part in parts if str(part).strip()]
        if not value:
            raise ValueError("name at least one region, e.g. US")
        import phonenumbers

        unknown = [region for region in value if region not in phonenumbers.SUPPORTED_REGIONS]
        if unknown:
            hint = " (the United Kingdom is GB)" if "UK" in unknown else ""
            raise ValueError(f"{', '.join(unknown)}: not a region code (ISO 3166-1 alpha-2, e.g. US, GB, DE){hint}")
        return tuple(value)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (read once)."""
    return Settings()
