"""Settings, read from the environment (``QA_*``) or a ``.env`` file; ``--db`` overrides the URL."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """qa-toolkit settings.

    Attributes:
        database_url: SQLAlchemy URL. SQLite file by default (``qa.db`` in the working directory);
            ``postgresql+psycopg://user@host/dbname`` for teams and multi-machine batches.
        user: the acting user's name (reviewer, lead, ...), used for the audit trail.
        data_dir: where the toolkit keeps files of its own (rejected records, model cache).
    """

    model_config = SettingsConfigDict(env_prefix="QA_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///qa.db"
    user: str | None = None
    data_dir: Path = Field(default_factory=lambda: Path.home() / ".local" / "share" / "qa-toolkit")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process (read once)."""
    return Settings()
