import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

Client = AsyncTestClient[Litestar]
DEMO = "09506000134352"  # GS1 demonstration prefix 950: a fictional product of the demo catalog
BASE = "http://127.0.0.1:8000"
JSON = {"Accept": "application/json"}


async def _slug(client: Client, gtin: str) -> str:
    (product,) = (await client.get("/api/v1/products", params={"gtin": gtin})).json()["items"]
    return str(product["slug"])


async def test_a_demo_gtin_answers_its_product_page(client: Client) -> None:
    response = await client.get(f"/01/{DEMO}", follow_redirects=False)
    assert response.status_code == 200
    assert f'<link rel="canonical" href="{BASE}/p/{await _slug(client, DEMO)}">' in response.text
    assert "Túi mua sắm sinh học" in response.text
    assert "Accept" in response.headers["vary"]
    assert response.headers["link"] == f'</01/{DEMO}?linkType=all>; rel="linkset"; type="application/linkset+json"'


async def test_lot_and_serial_still_lead_to_the_product_page(client: Client) -> None:
    response = await client.get(f"/01/{DEMO}/10/LOT-2026%2F11/21/A7", follow_redirects=False)
    assert response.status_code == 200
    assert f'<link rel="canonical" href="{BASE}/p/{await _slug(client, DEMO)}">' in response.text


@pytest.mark.parametrize(
    ("short", "full"),
    # 416000336108 (GTIN-12 starting 4) and 02345673 (GTIN-8 starting 0) are restricted circulation: never links.
    [("9506000134352", DEMO), ("614141000036", "00614141000036"), ("50123452", "00000050123452")],
)
async def test_a_short_gtin_redirects_permanently_to_the_14_digit_form_keeping_the_rest(
    client: Client, short: str, full: str
) -> None:
    response = await client.get(f"/01/{short}/10/AB%2FC?17=201225&linkType=all", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["location"] == f"/01/{full}/10/AB%2FC?17=201225&linkType=all"


@pytest.mark.parametrize("short", ["416000336108", "02345673", "0416000336108", "00000000000000"])
async def test_restricted_circulation_and_all_zero_gtins_are_never_resolved(client: Client, short: str) -> None:
    response = await client.get(f"/01/{short}", follow_redirects=False)
    assert response.status_code == 404


async def test_wrong_check_digit_is_a_400_page_naming_the_expected_digit(client: Client) -> None:
    response = await client.get("/01/09506000134358", headers={"Accept": "text/html"}, follow_redirects=False)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "expected 2" in response.text


async def test_wrong_check_digit_is_a_400_naming_the_expected_digit(client: Client) -> None:
    response = await client.get("/01/09506000134358", headers=JSON, follow_redirects=False)
    assert response.status_code == 400
    (error,) = response.json()["extra"]
    assert error["key"] == "gtin"
    assert error["expected_check_digit"] == 2
    assert "expected 2" in response.json()["detail"]


@pytest.mark.parametrize(
    ("url", "key", "words"),
    [
        (f"/01/{DEMO}/", "path", "trailing"),
        (f"/01/{DEMO}/21/S1/10/L1", "lot", "out of order"),
        (f"/01/{DEMO}?17=201225&17=201226", "17", "more than once"),
        (f"/01/{DEMO}/10/L%C3%A91", "lot", "character set 82"),
        (f"/01/{DEMO}?10=L1", "10", "belongs in the path"),
    ],
)
async def test_malformed_links_are_a_400_saying_what_is_wrong(client: Client, url: str, key: str, words: str) -> None:
    response = await client.get(url, headers=JSON, follow_redirects=False)
    assert response.status_code == 400
    body = response.json()
    assert [e["key"] for e in body["extra"]] == [key]
    assert words in body["detail"]


async def test_an_in_store_number_is_not_published_even_though_the_product_exists(client: Client) -> None:
    assert (await client.get("/api/v1/products", params={"gtin": "2000000000015"})).json()["total"] == 1
    for path in ("/01/02000000000015", "/01/2000000000015"):
        response = await client.get(path, headers=JSON, follow_redirects=False)
        assert response.status_code == 404
        assert "not published" in response.json()["detail"]


async def test_an_unknown_gtin_is_a_404(client: Client) -> None:
    response = await client.get("/01/09506000199993", headers=JSON, follow_redirects=False)
    assert response.status_code == 404
    assert [e["key"] for e in response.json()["extra"]] == ["gtin"]


@pytest.mark.parametrize(
    ("query", "accept"),
    [("?linkType=all", "text/html"), ("", "application/linkset+json"), ("?linkType=linkset", "*/*")],
)
async def test_linkset_is_answered_for_link_type_all_or_its_media_type(client: Client, query: str, accept: str) -> None:
    response = await client.get(f"/01/{DEMO}{query}", headers={"Accept": accept}, follow_redirects=False)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/linkset+json"
    (entry,) = response.json()["linkset"]
    slug = await _slug(client, DEMO)
    assert entry["anchor"] == f"{BASE}/01/{DEMO}"
    assert {t["hreflang"][0] for t in entry["https://gs1.org/voc/pip"]} == {"vi", "en"}
    assert entry["https://gs1.org/voc/defaultLink"] == [
        {"href": f"{BASE}/p/{slug}", "title": entry["https://gs1.org/voc/pip"][0]["title"], "type": "text/html"}
    ]
    assert entry["https://gs1.org/voc/certificationInfo"]
    assert entry["https://gs1.org/voc/sustainabilityInfo"]


async def test_plain_json_accept_still_gets_the_page(client: Client) -> None:
    response = await client.get(f"/01/{DEMO}", headers={"Accept": "application/json"}, follow_redirects=False)
    assert response.status_code == 200
