"""Meilisearch that answers but refuses: reported as misconfigured, never mistaken for an outage; shoppers hold a
search-only key."""

import httpx
import httpx2
import pytest
from litestar.testing import AsyncTestClient
from meilisearch_python_sdk import errors

from search import client
from search.local_server import LocalMeili
from service.app import create_app
from tests.conftest import TODAY, make_settings
from tests.search.conftest import search_app

pytestmark = pytest.mark.meili


async def test_healthz_says_misconfigured_when_the_search_key_is_wrong_and_search_reports_it(
    demo_db_url: str, meili_server: LocalMeili, demo_index: str, capfd: pytest.CaptureFixture[str]
) -> None:
    settings = make_settings(
        demo_db_url,
        meili_url=meili_server.url,
        meili_master_key=meili_server.master_key,
        meili_search_key="not-a-key-this-meilisearch-knows",
        meili_index=demo_index,
    )
    async with AsyncTestClient(create_app(settings, today=lambda: TODAY)) as http:
        assert (await http.get("/healthz")).json() == {
            "status": "degraded",
            "database": "ok",
            "search": "misconfigured",
        }
        answer = await http.get("/api/v1/search", params={"q": "mật ong"})
    assert answer.status_code == 200
    assert answer.json()["degraded"] is True, "shoppers still get answers, from SQL"
    # The app's logging config writes to stderr (it replaces pytest's log capture handler).
    assert "ERROR" in (logged := capfd.readouterr().err) and "Meilisearch misconfigured" in logged


async def test_healthz_says_misconfigured_when_the_index_does_not_exist(
    demo_db_url: str, meili_server: LocalMeili, own_index: str
) -> None:
    async with AsyncTestClient(search_app(demo_db_url, meili_server, own_index)) as http:
        assert (await http.get("/healthz")).json()["search"] == "misconfigured"


async def test_healthz_says_degraded_only_when_meilisearch_cannot_be_reached(demo_db_url: str) -> None:
    settings = make_settings(demo_db_url, meili_master_key="a-master-key-for-nobody-listening")
    async with AsyncTestClient(create_app(settings, today=lambda: TODAY)) as http:
        assert (await http.get("/healthz")).json()["search"] == "degraded"


async def test_shoppers_search_with_a_key_that_can_search_but_not_write(
    demo_db_url: str, meili_server: LocalMeili, demo_index: str
) -> None:
    async with AsyncTestClient(search_app(demo_db_url, meili_server, demo_index)) as http:
        assert (await http.get("/healthz")).json()["search"] == "ok"
        body = (await http.get("/api/v1/search", params={"q": "mật ong"})).json()
        assert body["degraded"] is False and body["hits"]
    key = client.derived_search_key(meili_server.master_key)
    assert key != meili_server.master_key
    async with httpx.AsyncClient(base_url=meili_server.url, headers={"Authorization": f"Bearer {key}"}) as shopper:
        assert (await shopper.post(f"/indexes/{demo_index}/search", json={"q": "mật ong"})).status_code == 200
        assert (await shopper.post(f"/indexes/{demo_index}/documents", json=[{"id": 1}])).status_code == 403


def test_only_connection_errors_timeouts_and_gateway_pages_count_as_unavailable() -> None:
    request = httpx2.Request("POST", "http://127.0.0.1:7700/indexes/products/search")
    assert client.is_unavailable(errors.MeilisearchCommunicationError("connection refused"))
    assert client.is_unavailable(httpx2.ReadTimeout("slow", request=request))
    timed_out = errors.MeilisearchError("read timeout")
    timed_out.__cause__ = httpx2.ReadTimeout("slow", request=request)
    assert client.is_unavailable(timed_out), "the SDK's wrapping of a read timeout"
    wrong_key = httpx2.Response(403, json={"code": "invalid_api_key"}, request=request)
    assert not client.is_unavailable(errors.MeilisearchApiError("forbidden", wrong_key))
    bad_filter = httpx2.Response(400, json={"code": "invalid_search_filter"}, request=request)
    assert not client.is_unavailable(errors.MeilisearchApiError("bad request", bad_filter))
    gateway = httpx2.Response(502, json={}, request=request)
    assert client.is_unavailable(errors.MeilisearchApiError("bad gateway", gateway))
