"""A thin async wrapper over the Meilisearch client: construction, health, and waiting for tasks."""

import hashlib
import hmac
import logging

import httpx2
from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchError,
    MeilisearchTimeoutError,
)

# Indexing waits longer than a shopper would: a batch may take seconds under load.
REQUEST_TIMEOUT_S = 5
# Short on purpose: a shopper's search or alternatives fall back to SQL quickly when Meilisearch hangs.
SHOPPER_TIMEOUT_S = 1.5
TASK_TIMEOUT_S = 60.0
# The shoppers' search-only key has this fixed uid (any UUID v4); Meilisearch derives the key's value from it.
SEARCH_KEY_UID = "3f6c2b9e-8d1a-4c57-9e2f-6a1b0c7d5e43"

# Everything a Meilisearch call can raise: callers catch these, then ask `is_unavailable` what it means.
# The SDK speaks httpx2; it wraps connection failures, and re-raises httpx2's errors when a reply is not JSON.
ERRORS: tuple[type[BaseException], ...] = (MeilisearchError, httpx2.HTTPError, OSError)
# Proxies in front of Meilisearch answer these while it is down or restarting.
_GATEWAY_STATUSES = frozenset({502, 503, 504})


def is_unavailable(exc: BaseException) -> bool:
    """True only for connection errors and timeouts: waiting helps. A wrong key, a bad filter or a missing index is
    a misconfiguration that waiting never fixes, and must be reported rather than silently served from SQL."""
    if isinstance(exc, MeilisearchCommunicationError | MeilisearchTimeoutError | httpx2.TransportError | OSError):
        return True
    if isinstance(exc, MeilisearchApiError | SearchRefused):
        return exc.status_code in _GATEWAY_STATUSES
    if isinstance(exc, httpx2.HTTPStatusError):
        return exc.response.status_code in _GATEWAY_STATUSES
    # The SDK turns a read timeout into a bare MeilisearchError whose cause is httpx2's timeout.
    return isinstance(exc, MeilisearchError) and isinstance(exc.__cause__, httpx2.TransportError)


class SearchRefused(MeilisearchError):
    """Meilisearch (or a proxy before it) answered a search with an error status (shopper_client.py)."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(f"search answered {status_code}: {message}")
        self.status_code = status_code


class TaskFailed(Exception):
    """Meilisearch answered, but refused the work (bad document, bad setting)."""


def make_client(url: str, api_key: str | None, timeout_s: float = REQUEST_TIMEOUT_S) -> AsyncClient:
    """An async client for the configured Meilisearch; no request is made here."""
    # Measured (bench/): with gzip, Meilisearch sends a compressed reply's last chunk as its own small segment,
    # which waits on the client's delayed ACK (~40 ms) on every other request. Uncompressed replies arrive at once,
    # and compression buys nothing between the app and its search engine.
    return AsyncClient(url, api_key, timeout=timeout_s, custom_headers={"Accept-Encoding": "identity"})


def derived_search_key(master_key: str) -> str:
    """The value Meilisearch gives the key with uid SEARCH_KEY_UID: HMAC-SHA256 of the uid under the master key.

    Known without asking, so shoppers' requests never hold the master key even before Meilisearch is reachable.
    """
    return hmac.new(master_key.encode(), SEARCH_KEY_UID.encode(), hashlib.sha256).hexdigest()


async def ensure_search_key(indexer: AsyncClient) -> None:
    """Create the search-only key (action `search` on every index) unless this Meilisearch already has it."""
    body = {
        "uid": SEARCH_KEY_UID,
        "name": "greenshelf-search",
        "description": "Green Shelf shoppers' searches (created by the app)",
        "actions": ["search"],
        "indexes": ["*"],
        "expiresAt": None,
    }
    try:
        response = await indexer.http_client.post("keys", json=body)
    except httpx2.TransportError as exc:
        raise MeilisearchCommunicationError(str(exc)) from exc
    if response.status_code == 409:  # api_key_already_exists
        return
    if response.status_code >= 400:
        raise MeilisearchApiError(response.text, response)


def log_fallback(log: logging.Logger, what: str, exc: BaseException) -> None:
    """Say why an answer came from SQL: a warning while Meilisearch is away, an error when it refuses us."""
    if is_unavailable(exc):
        log.warning("%s answered from SQL: Meilisearch unavailable (%s)", what, exc)
    else:
        log.error("%s answered from SQL: Meilisearch misconfigured (%s); check the key and the index", what, exc)


async def wait_for_task(client: AsyncClient, task_uid: int, timeout_s: float = TASK_TIMEOUT_S) -> None:
    """Wait until Meilisearch has processed a task; raise TaskFailed if it failed or was canceled."""
    result = await client.wait_for_task(task_uid, timeout_in_ms=int(timeout_s * 1000))
    if result.status != "succeeded":
        raise TaskFailed(f"task {task_uid} {result.status}: {result.error}")
