"""One typed settings object, read from ``TRIBUNE_*`` environment variables."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from tribune import __version__


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
    allow_private_networks: bool = Field(
        default=False,
        description="Let outbound HTTP reach private and loopback addresses (tests and the demo "
        "only); link-local and metadata addresses stay refused.",
    )
    fetch_max_bytes: int = Field(
        default=10_000_000, gt=0, description="The largest response body, counted decompressed."
    )
    fetch_timeout_s: float = Field(
        default=30.0,
        gt=0,
        description="Time allowed for one request (each redirect is one), from when it is sent: "
        "waiting for a free slot does not count.",
    )
    fetch_max_redirects: int = Field(default=5, ge=0, description="Redirects followed at most.")
    fetch_concurrency: int = Field(default=16, gt=0, description="Fetches in flight at most.")
    fetch_per_host: int = Field(
        default=2, ge=1, le=4, description="Fetches in flight at most per host:port."
    )
    user_agent: str = Field(
        default=f"Tribune/{__version__} (newswire of political organisations)",
        description="The User-Agent of every outbound request.",
    )
    scheduler_tick_s: float = Field(
        default=5.0,
        gt=0,
        description="How often the scheduler of `tribune serve` looks for due sources, in "
        "seconds; its database lease lives three ticks.",
    )
    extract_workers: int = Field(
        default=0,
        ge=0,
        description="Processes that extract article pages during a poll; 0 means one per CPU "
        "core, 1 extracts in the polling process itself.",
    )
    page_backfill_pages: int = Field(
        default=5,
        ge=1,
        description="Listing pages a page source reads on its first poll (later polls read "
        "the first page only).",
    )
    public_url: str = Field(
        default="",
        description="The site's public base URL (https://news.example.org) for feeds, sitemaps "
        "and links; empty means the URL each request came in on.",
    )
    link_max_chars: int = Field(
        default=5_000_000,
        gt=0,
        description="The longest text, in characters, the entity linker accepts in one call.",
    )
    api_rate_limit_per_minute: int = Field(
        default=600,
        ge=0,
        description="Requests one client of the JSON API may make per minute (anonymous clients "
        "counted by address, token holders by token, editors by user); 0 turns the limit off.",
    )


@cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
