"""Search, store, producer, home and error pages, as a shopper without JavaScript uses them."""

import re
from datetime import date, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from tests import build
from tests.service.test_pages_product import visible_text

Client = AsyncTestClient[Litestar]


def result_names(page: str) -> list[str]:
    """The product names listed as results, in order."""
    cards = page[page.index('role="status"') :]
    return [visible_text(name) for name in re.findall(r'<li class="card">\s*<a href="[^"]+">(.*?)</a>', cards)]


async def test_search_matches_words_typed_without_diacritics(client: Client) -> None:
    page = (await client.get("/search", params={"q": "mat ong"})).text

    names = result_names(page)
    assert names and all("Mật ong" in name or "mật ong" in name for name in names)
    assert 'value="mat ong"' in page


async def test_search_filters_by_valid_label_category_and_plastic_free(client: Client) -> None:
    everything = (await client.get("/search", params={"q": "mam"})).text
    plastic_free = (await client.get("/search", params={"q": "mam", "plastic_free": "true"})).text
    sauces = (await client.get("/search", params={"q": "mam", "category": "sauces_fermented"})).text

    assert 0 < len(result_names(plastic_free)) < len(result_names(everything))
    assert re.search(r'name="plastic_free" value="true" checked> Bao bì không nhựa \((\d+)\)', plastic_free)
    assert '<option value="sauces_fermented" selected>' in sauces


async def test_an_empty_choice_in_the_filter_form_means_any(client: Client) -> None:
    response = await client.get("/search", params={"q": "", "category": "", "store": "", "min_stars": "", "page": "1"})

    assert response.status_code == 200
    assert "78 sản phẩm" in response.text


async def test_search_label_filter_counts_only_valid_labels(session: AsyncSession, client: Client, today: date) -> None:
    expired = await build.product(session, name_vi="Tôm khô Rạch Gốc lô cũ")
    await build.certification(session, expired, scheme="VIETGAP", valid_until=today - timedelta(days=1))
    current = await build.product(session, name_vi="Tôm khô Rạch Gốc lô mới")
    await build.certification(session, current, scheme="VIETGAP", valid_until=today + timedelta(days=30))
    await session.commit()

    page = (await client.get("/search", params={"q": "tom kho rach goc lo", "labels": "VIETGAP"})).text

    assert result_names(page) == ["Tôm khô Rạch Gốc lô mới"]


async def test_search_pages_through_results_with_plain_links(client: Client) -> None:
    first = (await client.get("/search", params={"lang": "en"})).text
    second = (await client.get("/search", params={"lang": "en", "page": "2"})).text

    assert "78 products found" in first and "Page 1 of 4" in first
    assert '<a href="/search?lang=en&amp;page=2" rel="next">Next</a>' in first
    assert len(result_names(first)) == 20
    assert set(result_names(first)).isdisjoint(result_names(second))


async def test_a_bad_filter_value_is_a_400_page_in_the_visitors_language(client: Client) -> None:
    response = await client.get("/search", params={"min_stars": "7"}, headers={"Accept-Language": "en"})

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Address not understood</h1>" in response.text


async def test_store_page_shows_its_bag_policy_and_products_with_prices(session: AsyncSession, client: Client) -> None:
    product = await build.product(session)
    store = await build.store(session)
    await build.listing(session, store, product, price_vnd=185_000)
    await session.commit()

    page = visible_text((await client.get(f"/s/{store.slug}", params={"lang": "en"})).text)

    assert "No free hard-to-degrade plastic bags at the till" in page
    assert "Sells reusable shopping bags" in page
    assert "In effect since June 5, 2026." in page
    assert "Tan Tien shrimp paste Hợp tác xã Thủy sản Tân Tiến ₫185,000" in page


async def test_producer_page_lists_its_products_and_where_it_is(session: AsyncSession, client: Client) -> None:
    maker = await build.producer(session, legacy_address="Xã Tân Tiến, huyện Đầm Dơi, Cà Mau")
    await build.product(session, maker=maker)
    await session.commit()

    page = visible_text((await client.get(f"/producers/{maker.slug}")).text)

    assert "Hợp tác xã Thủy sản Tân Tiến" in page and "Hợp tác xã" in page
    assert "Ấp Tân Hòa, Xã Tân Tiến, Cà Mau" in page
    assert "Địa chỉ trước sáp nhập 2025: Xã Tân Tiến, huyện Đầm Dơi, Cà Mau" in page
    assert "Mắm tôm chà Tân Tiến" in page


async def test_home_page_has_a_search_box_and_links_to_every_store(client: Client) -> None:
    page = (await client.get("/")).text

    assert '<form class="search big" action="/search" method="get" role="search">' in page
    assert len(re.findall(r'<a href="/s/[a-z0-9-]+">', page)) == 8


async def test_unknown_paths_are_pages_but_the_api_stays_json(client: Client) -> None:
    page = await client.get("/khong-co", headers={"Accept-Language": "en"})
    api = await client.get("/api/v1/khong-co")
    unknown_store = await client.get("/s/khong-co")

    assert page.status_code == 404 and "<h1>Not found</h1>" in page.text
    assert api.status_code == 404 and api.json() == {"status_code": 404, "detail": "Not Found"}
    assert unknown_store.status_code == 404 and "<h1>Không tìm thấy</h1>" in unknown_store.text


async def test_a_failing_database_shows_a_500_page_in_the_visitors_language(
    session: AsyncSession, client: Client
) -> None:
    product = await build.product(session)
    await session.commit()
    await session.execute(text("DROP TABLE listing"))
    await session.commit()

    response = await client.get(f"/p/{product.slug}", headers={"Accept-Language": "en"})

    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in response.text
    assert response.headers["vary"] == "Cookie, Accept-Language"


async def test_stylesheet_is_served_locally_and_cached_for_long(client: Client) -> None:
    page = (await client.get("/")).text
    href = re.search(r'<link rel="stylesheet" href="(/static/css/site\.css\?v=\w+)">', page)
    assert href is not None

    response = await client.get(href.group(1))

    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")
    assert "max-age=31536000" in response.headers["cache-control"]
