"""The product page as shoppers reach it: by shelf tag (/t/), canonically (/p/), in Vietnamese or English."""

import html
import json
import re
from datetime import date, timedelta

from babel.numbers import format_currency
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog.certifications import CertificationStatus
from catalog.scans import ScanEvent
from tests import build

Client = AsyncTestClient[Litestar]


def certification_items(page: str) -> dict[str, tuple[str, str]]:
    """Each listed certification's heading → (its standing class, its visible text)."""
    items = {}
    for standing, body in re.findall(r'<li class="cert (\w+)">(.*?)</li>', page, flags=re.S):
        heading = re.search(r"<strong>(.*?)</strong>", body, flags=re.S)
        assert heading is not None
        items[html.unescape(heading.group(1)).strip()] = (standing, visible_text(body))
    return items


def visible_text(markup: str) -> str:
    """Markup without tags, entities decoded and white space collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def json_ld(page: str) -> dict:
    """The page's schema.org block, parsed."""
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, flags=re.S)
    assert match is not None
    return json.loads(match.group(1))


async def test_scan_answers_in_vietnamese_by_default_with_the_store_price_in_dong(
    session: AsyncSession, client: Client
) -> None:
    product = await build.product(session)
    await build.certification(session, product)
    store = await build.store(session)
    await build.listing(session, store, product, price_vnd=185_000, shelf="A3")
    tag = await build.tag(session, product, store)
    await session.commit()

    response = await client.get(f"/t/{tag.code}")

    assert response.status_code == 200
    page = response.text
    assert '<html lang="vi">' in page
    price = format_currency(185_000, "VND", locale="vi")
    assert price == "185.000\N{NO-BREAK SPACE}₫"
    assert f'<p class="price">{price}</p>' in page
    assert "Kệ A3" in page and "Tại Siêu thị Xanh Tân Thành" in page
    assert "Không phát miễn phí túi ni lông khó phân hủy tại quầy" in page
    assert "OCOP 4 sao" in page
    assert response.headers["vary"] == "Cookie, Accept-Language"
    assert "set-cookie" not in response.headers


async def test_scan_answers_in_english_with_lang_query_or_accept_language(
    session: AsyncSession, client: Client
) -> None:
    product = await build.product(session)
    store = await build.store(session)
    await build.listing(session, store, product)
    tag = await build.tag(session, product, store)
    await session.commit()

    by_query = await client.get(f"/t/{tag.code}", params={"lang": "en"})
    by_header = await client.get(f"/t/{tag.code}", headers={"Accept-Language": "en-GB,en;q=0.9,vi;q=0.5"})

    for response in (by_query, by_header):
        assert response.status_code == 200
        assert '<html lang="en">' in response.text
        assert "Tan Tien shrimp paste" in response.text and "At Siêu thị Xanh Tân Thành" in response.text
        assert format_currency(185_000, "VND", locale="en") in response.text
    assert "lang=en" in by_query.headers["set-cookie"]
    assert "set-cookie" not in by_header.headers


async def test_language_chosen_with_lang_is_remembered_by_cookie(session: AsyncSession, client: Client) -> None:
    product = await build.product(session)
    await session.commit()

    await client.get(f"/p/{product.slug}", params={"lang": "en"})
    later = await client.get(f"/p/{product.slug}", headers={"Accept-Language": "vi"})

    assert '<html lang="en">' in later.text


async def test_every_page_links_to_itself_in_the_other_language(session: AsyncSession, client: Client) -> None:
    product = await build.product(session)
    tag = await build.tag(session, product)
    await session.commit()

    page = (await client.get(f"/t/{tag.code}")).text

    assert f'<a href="/t/{tag.code}?lang=en" lang="en"' in page
    assert '<span lang="vi" aria-current="true">Tiếng Việt</span>' in page


async def test_lower_case_and_look_alike_codes_reach_the_tag(session: AsyncSession, client: Client) -> None:
    product = await build.product(session)
    await build.tag(session, product, code="10AB23CD")
    await session.commit()

    response = await client.get("/t/loab23cd")

    assert response.status_code == 200
    assert "Mắm tôm chà Tân Tiến" in response.text


async def test_unknown_tag_is_a_404_page_in_the_visitors_language(client: Client) -> None:
    in_vietnamese = await client.get("/t/ZZZZZZZZ")
    in_english = await client.get("/t/not-a-code", headers={"Accept-Language": "en"})

    assert in_vietnamese.status_code == 404 and in_english.status_code == 404
    assert in_vietnamese.headers["content-type"].startswith("text/html")
    assert "<h1>Không tìm thấy</h1>" in in_vietnamese.text
    assert "<h1>Not found</h1>" in in_english.text


async def test_a_scan_is_recorded_anonymously_but_a_language_switch_is_not(
    session: AsyncSession, client: Client
) -> None:
    product = await build.product(session)
    store = await build.store(session)
    tag = await build.tag(session, product, store)
    await session.commit()

    await client.get(f"/t/{tag.code}")
    await client.get(f"/t/{tag.code}", params={"lang": "en"})
    # Counts are buffered off the request path (service/scan_counter.py); write them now rather than wait.
    flush_scans(client)

    events = (await session.execute(select(ScanEvent).where(col(ScanEvent.tag_id) == tag.id))).scalars().all()
    assert [(e.product_id, e.store_id, e.lang) for e in events] == [(product.id, store.id, "vi")]


async def test_the_page_still_answers_when_the_scan_cannot_be_recorded(session: AsyncSession, client: Client) -> None:
    product = await build.product(session)
    tag = await build.tag(session, product)
    await session.commit()
    await session.execute(text("DROP TABLE scan_event"))
    await session.commit()

    response = await client.get(f"/t/{tag.code}")

    assert response.status_code == 200
    assert "Mắm tôm chà Tân Tiến" in response.text
    # The count is kept for a later try, not lost with the failed write.
    assert flush_scans(client) == 0
    assert client.app.state.scans.waiting == 1


async def test_expired_and_claimed_certifications_are_never_shown_as_valid(
    session: AsyncSession, client: Client, today: date
) -> None:
    product = await build.product(session)
    await build.certification(session, product, valid_until=today + timedelta(days=400))
    await build.certification(
        session, product, ocop_stars=5, issued_on=date(2022, 11, 25), valid_until=today - timedelta(days=1)
    )
    await build.certification(session, product, scheme="VIETGAP", status=CertificationStatus.CLAIMED)
    await build.certification(
        session,
        product,
        scheme="SELF_CLAIM",
        status=CertificationStatus.CLAIMED,
        claim_text_vi="Thân thiện môi trường",
        certificate_no=None,
    )
    await session.commit()

    for lang, valid_words in (("vi", "còn hiệu lực"), ("en", "valid until")):
        page = (await client.get(f"/p/{product.slug}", params={"lang": lang})).text
        items = certification_items(page)
        standings = {standing for standing, _ in items.values()}
        assert standings == {"valid", "expired", "claimed", "self_declared"}
        for standing, words in items.values():
            assert (valid_words in words.lower()) == (standing == "valid"), words
        expired = next(words for standing, words in items.values() if standing == "expired")
        claimed = next(words for standing, words in items.values() if standing == "claimed")
        if lang == "en":
            assert "Expired on" in expired and "5 stars" in expired
            assert "Claimed by the producer, not verified" in claimed
            assert "Self-declared by the producer: not a certification" in page
        else:
            assert "Đã hết hạn ngày" in expired
            assert "Nhà sản xuất tự khai, chưa được xác minh" in claimed
        # The headline rating is the valid 4 stars, never the expired 5.
        summary = re.search(r'<section id="summary".*?</section>', page, flags=re.S)
        assert summary is not None and 'href="/labels/ocop"' in summary.group(0)
        assert "★★★★<" in summary.group(0) and "★★★★★" not in summary.group(0)
        assert [c["certificationRating"]["ratingValue"] for c in json_ld(page)["hasCertification"]] == [4]


async def test_a_script_in_a_product_name_renders_as_text(session: AsyncSession, client: Client) -> None:
    name = "Mắm <script>alert(1)</script> Tân Tiến"
    product = await build.product(session, name_vi=name, name_en=None)
    await session.commit()

    page = (await client.get(f"/p/{product.slug}")).text

    assert "<script>alert(1)</script>" not in page
    assert "<h1>Mắm &lt;script&gt;alert(1)&lt;/script&gt; Tân Tiến</h1>" in page
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in page
    assert json_ld(page)["name"] == name


async def test_product_page_carries_canonical_link_and_schema_org_product(
    session: AsyncSession, client: Client
) -> None:
    product = await build.product(session, gtin="09506000999906")
    store = await build.store(session)
    await build.listing(session, store, product, price_vnd=185_000)
    tag = await build.tag(session, product, store)
    await session.commit()

    page = (await client.get(f"/t/{tag.code}")).text

    assert f'<link rel="canonical" href="http://127.0.0.1:8000/p/{product.slug}">' in page
    data = json_ld(page)
    assert data["@type"] == "Product" and data["name"] == "Mắm tôm chà Tân Tiến"
    assert data["gtin14"] == "09506000999906"
    assert data["offers"]["lowPrice"] == 185_000 and data["offers"]["priceCurrency"] == "VND"
    assert data["manufacturer"]["name"] == "Hợp tác xã Thủy sản Tân Tiến"


async def test_packaging_gets_plain_badges(session: AsyncSession, client: Client) -> None:
    glass = await build.product(session)
    pouch = await build.product(session, name_vi="Khô cá lóc Tân Tiến", packaging=[build.PLASTIC_POUCH])
    await session.commit()

    glass_page = (await client.get(f"/p/{glass.slug}", params={"lang": "en"})).text
    pouch_page = (await client.get(f"/p/{pouch.slug}", params={"lang": "en"})).text

    glass_pack = visible_text(glass_page[glass_page.index('id="packaging"') : glass_page.index('id="buy"')])
    pouch_pack = visible_text(pouch_page[pouch_page.index('id="packaging"') : pouch_page.index('id="buy"')])
    assert "Pack: plastic-free" in glass_page
    assert "Pack: Hũ thủy tinh 250 g Glass Plastic-free Recyclable" in glass_pack
    assert "Closure: Nắp thiếc Steel / tinplate Plastic-free Recyclable" in glass_pack
    assert "Hard-to-degrade plastic" not in glass_pack
    assert "Pack: contains hard-to-degrade plastic" in pouch_page
    assert "Hard-to-degrade plastic" in pouch_pack and "Plastic-free" not in pouch_pack


async def test_greener_alternatives_come_from_the_tags_store(session: AsyncSession, client: Client) -> None:
    plain = await build.product(session, name_vi="Mắm ruốc thường", packaging=[build.PLASTIC_POUCH])
    here_better = await build.product(session, name_vi="Mắm ruốc hũ thủy tinh")
    elsewhere_better = await build.product(session, name_vi="Mắm ruốc hữu cơ")
    greener_but_no_substitute = await build.product(session, name_vi="Nước mắm hũ thủy tinh")
    for product, group in ((plain, "shrimp_paste"), (here_better, "shrimp_paste"), (elsewhere_better, "shrimp_paste")):
        product.substitute_group = group
    greener_but_no_substitute.substitute_group = "fish_sauce"
    await build.certification(session, elsewhere_better)
    here = await build.store(session)
    elsewhere = await build.store(session, name="Chợ Tân Thành")
    await build.listing(session, here, plain)
    await build.listing(session, here, here_better, price_vnd=65_000, shelf="B2")
    await build.listing(session, here, greener_but_no_substitute)
    await build.listing(session, elsewhere, elsewhere_better)
    tag = await build.tag(session, plain, here)
    await session.commit()

    in_store = (await client.get(f"/t/{tag.code}")).text
    anywhere = (await client.get(f"/p/{plain.slug}")).text

    greener_here = in_store[in_store.index('id="greener"') :]
    assert "Mắm ruốc hũ thủy tinh" in greener_here and "Mắm ruốc hữu cơ" not in greener_here
    # A fish sauce is not a substitute for shrimp paste, however green.
    assert "Nước mắm hũ thủy tinh" not in greener_here
    # Its price and shelf in this store.
    assert "65.000" in greener_here and "Kệ B2" in greener_here
    greener_anywhere = anywhere[anywhere.index('id="greener"') :]
    # Anywhere, the greenest shrimp pastes come first (the demo catalog has greener ones than a glass jar).
    assert "Mắm ruốc hữu cơ" in greener_anywhere and "Nước mắm hũ thủy tinh" not in greener_anywhere
    assert "Greener because" in greener_here or "Xanh hơn vì" in greener_here


async def test_where_to_buy_lists_every_store_with_its_price(session: AsyncSession, client: Client) -> None:
    product = await build.product(session)
    await build.listing(session, await build.store(session), product, price_vnd=185_000)
    await build.listing(session, await build.store(session, name="Chợ Tân Thành"), product, price_vnd=170_000)
    await session.commit()

    page = (await client.get(f"/p/{product.slug}")).text
    where = visible_text(page[page.index('id="buy"') : page.index('id="greener"')])

    assert "Siêu thị Xanh Tân Thành 185.000 ₫" in where and "Chợ Tân Thành 170.000 ₫" in where


async def test_a_tag_for_an_unpublished_product_is_not_found(session: AsyncSession, client: Client) -> None:
    product = await build.product(session, status="draft")
    tag = await build.tag(session, product)
    await session.commit()

    assert (await client.get(f"/t/{tag.code}")).status_code == 404
    assert (await client.get(f"/p/{product.slug}")).status_code == 404


def flush_scans(client: Client) -> int:
    """Write the app's buffered scan counts now, on the app's own event loop (the test client's portal)."""
    written: int = client.blocking_portal.call(client.app.state.scans.flush)
    return written
