"""One typed settings object, read from ``TRIBUNE_*`` environment variables."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_database_url() -> str:
    return f"sqlite:///{Path.cwd() / 'tribune.db'}"


class Settings(BaseSettings):
    """Every setting Tribune reads. Documented in ``docs/operations.md``."""

    model_config = SettingsConfigDict(env_prefix="TRIBUNE_", extra="ignore")

    database_url: str = Field(
        default_factory=_default_database_url,
        description="SQLAlchemy URL of the database; a SQLite file in the working directory "
        "by default, or postgresql+psycopg://user@host/db.",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=5000, ge=0, description="How long a SQLite connection waits for a lock."
    )
    link_max_chars: int = Field(
        default=5_000_000,
        gt=0,
        description="The longest text, in characters, the entity linker accepts in one call.",
    )


@cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
