"""The green summary at the top of product pages, label guides, units in the page's language, error pages."""

import re
from datetime import date, timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.certifications import CertificationStatus
from catalog.packaging import PackagingDraft, PackagingRole
from tests import build
from tests.service.test_pages_product import visible_text

Client = AsyncTestClient[Litestar]


def summary_of(page: str) -> str:
    """The summary section's markup; it must come right after the name (and the store's price)."""
    match = re.search(r'<section id="summary".*?</section>', page, flags=re.S)
    assert match is not None, "no summary section"
    return match.group(0)


async def test_summary_shows_valid_labels_as_chips_linking_to_guides_and_leaves_out_expired_and_claimed(
    session: AsyncSession, client: Client, today: date
) -> None:
    product = await build.product(session, packaging=[build.PLASTIC_POUCH])
    # Issued a month ago: valid today under any scheme's validity period (certificate date rule).
    issued, later = today - timedelta(days=30), today + timedelta(days=300)
    await build.certification(
        session, product, scheme="EU_ORGANIC", ocop_stars=None, issued_on=issued, valid_until=later
    )
    await build.certification(
        session, product, scheme="BAP", ocop_stars=None, stars=2, issued_on=issued, valid_until=later
    )
    await build.certification(session, product, ocop_stars=4, valid_until=today - timedelta(days=1))
    await build.certification(session, product, scheme="VIETGAP", ocop_stars=None, status=CertificationStatus.CLAIMED)
    await session.commit()

    summary = summary_of((await client.get(f"/p/{product.slug}", params={"lang": "en"})).text)

    chips = re.findall(r'<a href="(/labels/\w+)">(.*?)</a>', summary)
    assert [href for href, _ in chips] == ["/labels/eu_organic", "/labels/bap"], summary
    assert visible_text(chips[1][1]) == "BAP 2 ★ 2 stars"
    text = visible_text(summary)
    assert "Pack: contains hard-to-degrade plastic −1" in text
    assert "EU organic: valid today +3" in text and "BAP: valid today +2" in text
    assert "OCOP ★★★★ 4 stars expired on" in text
    assert "VietGAP" not in text
    # 3 + 2 − 1: the expired OCOP rating and the unverified claim count for nothing.
    assert "4 green points" in text


async def test_summary_says_an_undeclared_pack_is_unknown_and_scores_it_as_the_worst_declared_pack(
    session: AsyncSession, client: Client
) -> None:
    product = await build.product(session, packaging=[])
    await build.certification(session, product)
    await session.commit()

    vi = visible_text(summary_of((await client.get(f"/p/{product.slug}", params={"lang": "vi"})).text))
    en = visible_text(summary_of((await client.get(f"/p/{product.slug}", params={"lang": "en"})).text))

    assert "Pack: not declared, so unknown −1" in en and "plastic-free" not in en
    assert "Bao bì: chưa khai báo, nên chưa rõ" in vi
    # The greenness rule, which alternatives are ranked by: the verified OCOP 4-star rating earns 2, and an
    # undeclared pack scores as the worst declared one (−1), so hiding a pack never beats declaring a PP cap.
    assert "1 green point" in en


async def test_on_a_tag_page_the_summary_follows_the_name_and_the_store_price(
    session: AsyncSession, client: Client
) -> None:
    product = await build.product(session)
    await build.certification(session, product)
    store = await build.store(session)
    await build.listing(session, store, product, price_vnd=185_000, shelf="A3")
    tag = await build.tag(session, product, store)
    await session.commit()

    page = (await client.get(f"/t/{tag.code}")).text

    order = [page.index(marker) for marker in ("<h1>", 'class="price"', 'id="summary"', 'class="maker"', 'id="labels"')]
    assert order == sorted(order)
    assert "Bao bì: không nhựa" in visible_text(summary_of(page))


async def test_certificates_in_the_detailed_list_link_to_their_guides(session: AsyncSession, client: Client) -> None:
    product = await build.product(session)
    await build.certification(session, product)
    await session.commit()

    page = (await client.get(f"/p/{product.slug}")).text

    assert re.search(r'<li class="cert valid">\s*<strong><a href="/labels/ocop">', page)


@pytest.mark.parametrize("lang", ["vi", "en"])
async def test_every_label_scheme_has_a_guide_page_in_both_languages(client: Client, lang: str) -> None:
    schemes = (await client.get("/api/v1/label-schemes")).json()
    index = (await client.get("/labels", params={"lang": lang})).text

    assert len(schemes) == 21
    for scheme in schemes:
        code = scheme["code"]
        response = await client.get(f"/labels/{code.lower()}", params={"lang": lang})
        assert response.status_code == 200, code
        assert f'<html lang="{lang}">' in response.text
        assert f'href="/labels/{code.lower()}"' in index
        heading = "What it certifies" if lang == "en" else "Nhãn chứng nhận điều gì"
        assert heading in response.text and "No guide has been written" not in response.text, code


async def test_the_ocop_guide_says_it_is_not_environmental_and_lists_valid_holders_only(
    session: AsyncSession, client: Client, today: date
) -> None:
    holder = await build.product(session, name_vi="Mắm tôm Ông Đốc")
    await build.certification(session, holder, valid_until=today + timedelta(days=30))
    lapsed = await build.product(session, name_vi="Mắm tôm Sông Ông Đốc hết hạn")
    await build.certification(session, lapsed, valid_until=today - timedelta(days=1))
    await session.commit()

    en = (await client.get("/labels/ocop", params={"lang": "en"})).text
    vi = (await client.get("/labels/OCOP", params={"lang": "vi"})).text

    assert "OCOP is not an environmental label" in en
    assert "OCOP không phải nhãn môi trường" in vi
    assert f'href="/p/{holder.slug}"' in en and f'href="/p/{lapsed.slug}"' not in en


async def test_an_unknown_label_guide_answers_404_in_the_page_language(client: Client) -> None:
    response = await client.get("/labels/nope", params={"lang": "vi"})

    assert response.status_code == 404
    assert "Chúng tôi không có hướng dẫn nào cho nhãn tên nope." in response.text


@pytest.mark.parametrize(
    ("quantity", "unit", "vi", "en"),
    [
        (30, "bag", "30 túi", "30 bags"),
        (1, "bag", "1 túi", "1 bag"),
        (50, "box", "50 hộp", "50 boxes"),
        (1, "unit", "1 cái", "1 unit"),
        (1.8, "l", "1,8 L", "1.8 L"),
        (500, "g", "500 g", "500 g"),
    ],
)
async def test_net_quantities_are_translated_and_pluralised(
    session: AsyncSession, client: Client, quantity: float, unit: str, vi: str, en: str
) -> None:
    product = await build.product(session, net_quantity=quantity, net_quantity_unit=unit)
    await session.commit()

    for lang, expected in (("vi", vi), ("en", en)):
        page = (await client.get(f"/p/{product.slug}", params={"lang": lang})).text
        maker = re.search(r'<p class="maker">(.*?)</p>', page, flags=re.S)
        assert maker is not None
        assert visible_text(maker.group(1)).endswith(f"· {expected}"), (lang, visible_text(maker.group(1)))


async def test_a_missing_shelf_tag_is_explained_in_vietnamese_on_a_vietnamese_page(client: Client) -> None:
    response = await client.get("/t/ZZZZZZZZ", headers={"Accept-Language": "vi"})

    assert response.status_code == 404
    page = response.text
    assert "Không có thẻ kệ nào mang mã ZZZZZZZZ." in page
    # The domain's English words only appear as a labelled technical detail, marked as English.
    assert re.search(r'<code lang="en">no shelf tag', page)
    assert "Chi tiết kỹ thuật (tiếng Anh)" in page


async def test_a_wrong_check_digit_is_explained_in_the_page_language(client: Client) -> None:
    vi = await client.get("/01/09506000134353", headers={"Accept-Language": "vi"})
    en = await client.get("/01/09506000134353", params={"lang": "en"})

    assert vi.status_code == en.status_code == 400
    assert "đúng ra phải là 2" in vi.text
    assert "it should be 2" in en.text


async def test_a_paper_pack_is_called_plastic_free_with_its_points(session: AsyncSession, client: Client) -> None:
    product = await build.product(
        session, packaging=[PackagingDraft(role=PackagingRole.PRIMARY, material_code="PAPER")]
    )
    await session.commit()

    assert "Pack: plastic-free +2" in visible_text(
        summary_of((await client.get(f"/p/{product.slug}", params={"lang": "en"})).text)
    )
