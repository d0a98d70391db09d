"""The shoppers' search client (search/shopper_client.py) fails the way the fallback expects.

Connection failures, timeouts and a proxy's gateway page mean "unavailable" (search answers from SQL, degraded);
any other refusal means misconfigured. The servers here stand for what sits outside our control: a port nobody
listens on, a Meilisearch that hangs, a proxy in front of it.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest

from search import client
from search.local_server import LocalMeili, free_loopback_port
from search.shopper_client import ShopperClient

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def serving(handle: Handler) -> AsyncIterator[str]:
    """A server running `handle` per connection; its connections end with it, before the test's loop closes."""
    handlers: set[asyncio.Task[None]] = set()

    async def tracked(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.add(asyncio.current_task())  # type: ignore[arg-type]
        try:
            await handle(reader, writer)
        finally:
            writer.close()

    server = await asyncio.start_server(tracked, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        for handler in handlers:
            handler.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)
        await server.wait_closed()


def answering(status: str, body: bytes, content_type: str) -> Handler:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n"
        writer.write(head.encode() + body)
        await writer.drain()

    return handle


async def _error_of(url: str, timeout_s: float = 2.0) -> BaseException:
    shopper = ShopperClient(url, "key", timeout_s=timeout_s)
    try:
        with pytest.raises(client.ERRORS) as raised:
            await shopper.search("products", {"q": "mắm"})
    finally:
        await shopper.aclose()
    return raised.value


async def test_nobody_listening_is_unavailable() -> None:
    assert client.is_unavailable(await _error_of(f"http://127.0.0.1:{free_loopback_port()}"))


async def test_a_meilisearch_that_never_answers_times_out_as_unavailable() -> None:
    async def hang(reader: asyncio.StreamReader, _writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client gives up and hangs up

    async with serving(hang) as url:
        error = await _error_of(url, timeout_s=0.3)
    assert client.is_unavailable(error)


@pytest.mark.parametrize(
    ("status", "body", "content_type", "unavailable"),
    [
        ("502 Bad Gateway", b"<html>nginx: upstream down</html>", "text/html", True),
        ("503 Service Unavailable", b"<html>restarting</html>", "text/html", True),
        ("400 Bad Request", b'{"code": "invalid_search_filter"}', "application/json", False),
        ("200 OK", b"<html>a captive portal, not Meilisearch</html>", "text/html", False),
    ],
)
async def test_a_proxys_gateway_page_is_unavailable_and_any_other_refusal_is_not(
    status: str, body: bytes, content_type: str, unavailable: bool
) -> None:
    async with serving(answering(status, body, content_type)) as url:
        error = await _error_of(url)
    assert isinstance(error, client.SearchRefused)
    assert client.is_unavailable(error) is unavailable


async def test_a_wrong_key_is_refused_not_unavailable(meili_server: LocalMeili, demo_index: str) -> None:
    error = await _error_of(meili_server.url)
    assert isinstance(error, client.SearchRefused) and error.status_code == 403
    assert not client.is_unavailable(error)


async def test_a_search_answers_meilisearchs_json(meili_server: LocalMeili, demo_index: str) -> None:
    shopper = ShopperClient(meili_server.url, meili_server.master_key, timeout_s=2)
    try:
        found = await shopper.search(demo_index, {"q": "mật ong", "limit": 3, "attributesToRetrieve": ["slug"]})
    finally:
        await shopper.aclose()
    assert found["hits"] and all(set(hit) == {"slug"} for hit in found["hits"])
    assert found["estimatedTotalHits"] >= len(found["hits"])
