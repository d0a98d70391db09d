"""A thin async wrapper over the Meilisearch client: construction, health, and waiting for tasks."""

import httpx2
from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.errors import MeilisearchError

# Indexing waits longer than a shopper would: a batch may take seconds under load.
REQUEST_TIMEOUT_S = 5
# Short on purpose: a shopper's search or alternatives fall back to SQL quickly when Meilisearch hangs.
SHOPPER_TIMEOUT_S = 1.5
TASK_TIMEOUT_S = 60.0

# What "Meilisearch cannot serve us right now" looks like: refused connections, timeouts, 5xx pages and API errors
# (a missing index included). The SDK speaks httpx2 and re-raises its errors when a reply is not JSON.
UNAVAILABLE: tuple[type[BaseException], ...] = (MeilisearchError, httpx2.HTTPError, OSError)


class TaskFailed(Exception):
    """Meilisearch answered, but refused the work (bad document, bad setting)."""


def make_client(url: str, api_key: str | None, timeout_s: float = REQUEST_TIMEOUT_S) -> AsyncClient:
    """An async client for the configured Meilisearch; no request is made here."""
    # Measured (bench/): with gzip, Meilisearch sends a compressed reply's last chunk as its own small segment,
    # which waits on the client's delayed ACK (~40 ms) on every other request. Uncompressed replies arrive at once,
    # and compression buys nothing between the app and its search engine.
    return AsyncClient(url, api_key, timeout=timeout_s, custom_headers={"Accept-Encoding": "identity"})


async def is_available(client: AsyncClient) -> bool:
    """True when Meilisearch answers its health check."""
    try:
        health = await client.health()
    except UNAVAILABLE:
        return False
    return health.status == "available"


async def wait_for_task(client: AsyncClient, task_uid: int, timeout_s: float = TASK_TIMEOUT_S) -> None:
    """Wait until Meilisearch has processed a task; raise TaskFailed if it failed or was canceled."""
    result = await client.wait_for_task(task_uid, timeout_in_ms=int(timeout_s * 1000))
    if result.status != "succeeded":
        raise TaskFailed(f"task {task_uid} {result.status}: {result.error}")
