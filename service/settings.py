"""Runtime configuration, read once from GREENSHELF_* variables."""

import ipaddress
import math
from collections import Counter
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-secret-do-not-use-in-production"
# Words that mark a value copied from an example rather than generated (deploy/env.example says "change-me").
PLACEHOLDER_WORDS = ("change", "example", "placeholder", "replace", "secret", "development", "password", "xxxx")
MIN_SECRET_BITS = 128


def is_loopback(host: str) -> bool:
    """Whether `host` (a name or an address) only reaches this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def estimated_bits(key: str) -> float:
    """A generous estimate of a key's entropy: its length times the Shannon entropy of its characters."""
    counts = Counter(key)
    per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values()) if key else 0.0
    return per_char * len(key)


def secret_key_problem(key: str) -> str | None:
    """Why `key` may not sign tokens for other machines, or None if it may."""
    lowered = key.lower()
    if key == DEVELOPMENT_SECRET or any(word in lowered for word in PLACEHOLDER_WORDS):
        return "is the development key or a placeholder"
    if estimated_bits(key) < MIN_SECRET_BITS:
        return f"looks guessable (under {MIN_SECRET_BITS} bits): generate one with `openssl rand -hex 32`"
    return None


class Settings(BaseSettings):
    """Runtime configuration, read once from GREENSHELF_* variables."""

    model_config = SettingsConfigDict(env_prefix="GREENSHELF_", extra="ignore")

    env: Literal["development", "production"] = Field(
        default="development", description="`production` refuses a weak secret key even on loopback."
    )
    database_url: str = Field(
        default="sqlite+aiosqlite:///./var/greenshelf.db",
        description="SQLAlchemy async URL: `sqlite+aiosqlite:///…` (default, a file under ./var/) or "
        "`postgresql+asyncpg://user@host/db`.",
    )
    meili_url: str = Field(
        default="http://127.0.0.1:7700", description="Meilisearch base URL; `make run` starts one locally."
    )
    meili_master_key: SecretStr | None = Field(
        default=None, description="Meilisearch master key (or an admin API key); none for a keyless dev instance."
    )
    meili_index: str = Field(
        default="products", description="Name of the products index (tests use a unique one per test)."
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Origin that printed QR codes point at; changing it orphans tags already printed.",
    )
    secret_key: SecretStr = Field(
        # HS256 wants a key of at least 32 bytes (RFC 7518 §3.2); PyJWT warns on every token below that.
        default=SecretStr(DEVELOPMENT_SECRET),
        min_length=32,
        description="Signs login tokens and CSRF cookies; at least 32 characters. The development key, a "
        "placeholder or a guessable key is refused unless the service listens on and is reached through loopback.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses of reverse proxies whose X-Forwarded-For/-Proto are believed "
        "(e.g. `127.0.0.1`); none by default, so a client cannot choose the address rate limits count.",
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
    page_cache_pages: int = Field(
        default=2000,
        ge=0,
        le=1_000_000,
        description="Rendered product and scan pages each process keeps (about 30 KB each) until the catalog "
        "changes; 0 renders every page afresh.",
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
    def _strong_secret_beyond_loopback(self) -> "Settings":
        self.public_base_url = self.public_base_url.rstrip("/")
        public_host = urlsplit(self.public_base_url).hostname or ""
        if self.env == "production" or not is_loopback(public_host):
            self.check_secret_key(f"the public URL {self.public_base_url}")
        return self

    def check_secret_key(self, reach: str) -> None:
        """Refuse a weak secret key for a service that `reach` makes reachable from other machines."""
        problem = secret_key_problem(self.secret_key.get_secret_value())
        if problem:
            raise ValueError(f"GREENSHELF_SECRET_KEY {problem}; refused for {reach} (`make run` generates one)")

    def check_listening(self, host: str) -> None:
        """Refuse to listen beyond loopback with a weak secret key."""
        if not is_loopback(host):
            self.check_secret_key(f"listening on {host}")

    @property
    def https(self) -> bool:
        """Whether the service is reached over https: cookies are then Secure and HSTS is sent."""
        return self.public_base_url.startswith("https://")

    @property
    def meili_key(self) -> str | None:
        """The Meilisearch key in plain text, for the client that sends it."""
        return self.meili_master_key.get_secret_value() if self.meili_master_key else None

    @property
    def proxies(self) -> list[str]:
        """The trusted reverse proxies, as a list."""
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]
