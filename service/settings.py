"""Runtime configuration, read once from GREENSHELF_* variables."""

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-secret-do-not-use-in-production"


class Settings(BaseSettings):
    """Runtime configuration, read once from GREENSHELF_* variables."""

    model_config = SettingsConfigDict(env_prefix="GREENSHELF_", extra="ignore")

    env: Literal["development", "production"] = Field(
        default="development", description="`production` refuses the development secret key."
    )
    database_url: str = Field(
        default="sqlite+aiosqlite:///./var/greenshelf.db",
        description="SQLAlchemy async URL: `sqlite+aiosqlite:///…` (default, a file under ./var/) or "
        "`postgresql+asyncpg://user@host/db`.",
    )
    meili_url: str = Field(
        default="http://127.0.0.1:7700", description="Meilisearch base URL; `make run` starts one locally."
    )
    meili_master_key: str | None = Field(
        default=None, description="Meilisearch master key (or an admin API key); none for a keyless dev instance."
    )
    meili_index: str = Field(
        default="products", description="Name of the products index (tests use a unique one per test)."
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Origin that printed QR codes point at; changing it orphans tags already printed.",
    )
    secret_key: str = Field(
        # HS256 wants a key of at least 32 bytes (RFC 7518 §3.2); PyJWT warns on every token below that.
        default=DEVELOPMENT_SECRET,
        min_length=32,
        description="Signs login tokens and CSRF cookies; at least 32 characters.",
    )
    default_locale: Literal["vi", "en"] = Field(default="vi", description="Language when a visitor states none.")
    meili_search_key: str | None = Field(
        default=None,
        description="Search-only Meilisearch key for shoppers' requests; by default one is derived from the master "
        "key and created by the app (the master key then serves only the indexer).",
    )
    sync_worker: bool = Field(
        default=True, description="Run the outbox worker that keeps the search index current inside the app."
    )
    sync_lease_seconds: float = Field(
        default=300.0,
        gt=0,
        description="How long a sync worker holds outbox rows; when a process dies, another takes them over after "
        "this. Keep it above the longest batch (a Meilisearch task wait is bounded at 60 s).",
    )

    open_data_dir: str = Field(
        default="./var/open-data",
        description="Where the open-data files (products.jsonl, products.csv) are built and served from.",
    )
    retention_days: int = Field(
        default=30,
        ge=1,
        le=3650,
        description="Days finished outbox rows and raw scan events are kept; older outbox rows are pruned, older "
        "scan events rolled up into daily counts.",
    )

    evidence_dir: Path = Field(
        default=Path("./var/evidence"),
        description="Where uploaded evidence files are kept, by content hash (private: never served statically).",
    )

    @model_validator(mode="after")
    def _no_dev_secret_in_production(self) -> "Settings":
        if self.env == "production" and self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError("GREENSHELF_SECRET_KEY must be set in production")
        self.public_base_url = self.public_base_url.rstrip("/")
        return self
