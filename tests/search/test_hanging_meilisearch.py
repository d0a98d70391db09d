"""A Meilisearch that accepts connections but never answers must not hold shoppers' pages hostage."""

import socket
import threading
from collections.abc import Iterator
from datetime import date

import pytest
from litestar.testing import AsyncTestClient

from service.app import create_app
from tests.conftest import make_settings


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback port that accepts TCP connections and never replies (a hung search engine)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


async def test_search_and_product_pages_fall_back_when_meilisearch_hangs(
    demo_db_url: str, silent_server: str, today: date
) -> None:
    app = create_app(make_settings(demo_db_url, meili_url=silent_server), today=lambda: today)
    async with AsyncTestClient(app) as client:
        found = (await client.get("/api/v1/search", params={"q": "nuoc mam"})).json()
        assert found["degraded"] is True
        assert any("Nước mắm" in hit["name_vi"] for hit in found["hits"])
        page = await client.get(f"/p/{found['hits'][0]['slug']}")
        assert page.status_code == 200
        assert (await client.get("/healthz")).json()["search"] == "degraded"
