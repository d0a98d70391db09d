"""SQL browsing for the pages: folded word matching, day-dependent filters and greener alternatives."""

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from catalog import browse
from catalog.certifications import CertificationStatus
from tests import build


async def test_words_match_without_diacritics_or_case(session: AsyncSession, today: date) -> None:
    product = await build.product(session, name_vi="Khô cá đù Đầm Dơi")

    found = await browse.find(session, browse.Query(text="KHO CA DU dam doi"), today)

    assert [p.id for p in found.products] == [product.id]


async def test_percent_and_underscore_in_a_query_are_plain_characters(session: AsyncSession, today: date) -> None:
    found = await browse.find(session, browse.Query(text="%_"), today)

    assert found.total == 0


async def test_an_expired_rating_neither_filters_nor_counts_as_a_facet(session: AsyncSession, today: date) -> None:
    lapsed = await build.product(session, name_vi="Mắm còng Tân Tiến")
    await build.certification(session, lapsed, ocop_stars=5, valid_until=today - timedelta(days=1))
    await build.certification(session, lapsed, scheme="VN_ECOLABEL", valid_until=today - timedelta(days=1))

    found = await browse.find(session, browse.Query(text="mam cong tan tien"), today)
    starred = await browse.find(session, browse.Query(text="mam cong tan tien", min_stars=3), today)
    labelled = await browse.find(session, browse.Query(text="mam cong tan tien", labels=("VN_ECOLABEL",)), today)

    assert found.total == 1 and found.facets.stars == {} and found.facets.labels == {}
    assert starred.total == 0 and labelled.total == 0


async def test_a_claimed_label_does_not_make_a_product_greener(session: AsyncSession, today: date) -> None:
    plain = await build.product(session, name_vi="Mắm cá linh", packaging=[build.PLASTIC_POUCH])
    claimed = await build.product(session, name_vi="Mắm cá linh hữu cơ", packaging=[build.PLASTIC_POUCH])
    await build.certification(session, claimed, scheme="VN_ORGANIC", status=CertificationStatus.CLAIMED)

    assert browse.green_points(claimed, today) == browse.green_points(plain, today)
    assert claimed not in await browse.greener_alternatives(session, plain, today)


async def test_greener_alternatives_share_the_category_and_rank_greenest_first(
    session: AsyncSession, today: date
) -> None:
    plain = await build.product(session, name_vi="Nước mắm túi", packaging=[build.PLASTIC_POUCH])
    glass = await build.product(session, name_vi="Nước mắm chai thủy tinh")
    glass_ocop = await build.product(session, name_vi="Nước mắm OCOP chai thủy tinh")
    await build.certification(session, glass_ocop)
    other_shelf = await build.product(session, name_vi="Tôm khô hũ thủy tinh", category_code="dried_seafood")

    alternatives = await browse.greener_alternatives(session, plain, today, limit=50)

    assert alternatives.index(glass_ocop) < alternatives.index(glass)
    assert other_shelf not in alternatives and plain not in alternatives
    assert all(p.category_code == "sauces_fermented" for p in alternatives)
