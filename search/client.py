"""A thin async wrapper over the Meilisearch client: construction and health."""

import httpx
from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.errors import MeilisearchError

# Short on purpose: a consumer's search must fall back to SQL quickly while Meilisearch is down.
REQUEST_TIMEOUT_S = 5


def make_client(url: str, api_key: str | None) -> AsyncClient:
    """An async client for the configured Meilisearch; no request is made here."""
    return AsyncClient(url, api_key, timeout=REQUEST_TIMEOUT_S)


async def is_available(client: AsyncClient) -> bool:
    """True when Meilisearch answers its health check."""
    try:
        health = await client.health()
    except (MeilisearchError, httpx.HTTPError, OSError):
        return False
    return health.status == "available"
