"""The shoppers' Meilisearch client: searches only, over aiohttp, JSON by msgspec.

A shopper's search is the app's hottest call. Measured (issue 15, same Meilisearch, same body): the SDK's search
through httpx2 and its result models takes about 1.8 ms of CPU, this about 0.7 ms; aiohttp parses HTTP in C, and
the hits stay plain dicts (engine.py and alternatives.py read a few fields of each). Indexing, settings, keys and
tasks keep the SDK (search/client.py): they are rare and want its typed models.

Failures are raised as the SDK's errors, so callers keep one list (client.ERRORS) and one question
(client.is_unavailable).
"""

import asyncio
from collections.abc import Mapping
from typing import Any, Literal

import aiohttp
import msgspec
from meilisearch_python_sdk.errors import MeilisearchCommunicationError, MeilisearchTimeoutError

from search.client import ERRORS, SearchRefused, is_unavailable

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(dict[str, Any]).decode


class ShopperClient:
    """POST /indexes/{uid}/search with the shoppers' key and a short timeout; no request is made here."""

    def __init__(self, url: str, api_key: str | None, *, timeout_s: float) -> None:
        self._url = url.rstrip("/")
        self._headers = {
            "Content-Type": "application/json",
            # Compression buys nothing on this hop and delays the reply's last segment (see client.make_client).
            "Accept-Encoding": "identity",
            **({"Authorization": f"Bearer {api_key}"} if api_key else {}),
        }
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def search(self, index_uid: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """Meilisearch's answer as JSON (`hits`, `totalHits`, `facetDistribution`, …)."""
        try:
            async with self._http().post(f"{self._url}/indexes/{index_uid}/search", data=_encode(body)) as response:
                payload = await response.read()
                status = response.status
        except TimeoutError as exc:
            raise MeilisearchTimeoutError(f"no answer from Meilisearch in {self._timeout.total} s") from exc
        except aiohttp.ClientError as exc:
            raise MeilisearchCommunicationError(f"{type(exc).__name__}: {exc}") from exc
        if status >= 400:
            raise SearchRefused(status, payload.decode("utf-8", "replace")[:500])
        try:
            return _decode(payload)
        except msgspec.DecodeError as exc:
            # A proxy's error page in front of Meilisearch, say: it did not answer as Meilisearch.
            raise SearchRefused(status, f"not JSON: {payload[:200]!r}") from exc

    async def aclose(self) -> None:
        """Close the connection pool (the app stops); a pool made in another event loop can only be dropped."""
        if self._session is not None and self._loop is asyncio.get_running_loop():
            await self._session.close()
        self._session = None

    def _http(self) -> aiohttp.ClientSession:
        # Made on first use: aiohttp binds a session to the running event loop.
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._loop = loop
            self._session = aiohttp.ClientSession(
                headers=self._headers, timeout=self._timeout, auto_decompress=False, raise_for_status=False
            )
        return self._session


Health = Literal["ok", "degraded", "misconfigured"]


async def health(client: ShopperClient, index_uid: str) -> Health:
    """`ok` when the shoppers' authenticated search of the index works; `degraded` while Meilisearch is unreachable;
    `misconfigured` when it answers but refuses (wrong key, missing index)."""
    # The keyless /health endpoint would say "available" to a client holding a wrong key.
    try:
        await client.search(index_uid, {"q": "", "limit": 0})
    except ERRORS as exc:
        return "degraded" if is_unavailable(exc) else "misconfigured"
    return "ok"
