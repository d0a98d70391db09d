import itertools
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog import greenness
from catalog.greenness import GreenFacts, Reason
from catalog.labels import SchemeKind
from catalog.products import Product

ECOLABEL = ("VN_ECOLABEL", SchemeKind.TYPE_I_ECOLABEL)
MSC = ("MSC", SchemeKind.THIRD_PARTY_SUSTAINABILITY)
GI = ("GI", SchemeKind.GEOGRAPHICAL_INDICATION)


async def _product(session: AsyncSession, code: str) -> Product:
    product = await session.scalar(select(Product).where(col(Product.code) == code))
    assert product is not None
    return product


def test_score_adds_label_points_ocop_stars_and_packaging_as_documented() -> None:
    green = GreenFacts(labels=frozenset({ECOLABEL, MSC, GI}), ocop_stars=4, plastic_free=True, reusable_packaging=True)
    assert greenness.score(green) == 3 + 2 + 0 + 2 + 2 + 1
    assert greenness.score(GreenFacts(hard_to_degrade_plastic=True)) == -1
    assert greenness.score(GreenFacts(ocop_stars=3)) == 1


def test_every_greener_product_gets_at_least_one_reason() -> None:
    options = itertools.product(
        [frozenset(), frozenset({ECOLABEL}), frozenset({MSC, GI})], [None, 3, 5], [False, True], [False, True]
    )
    facts = [
        GreenFacts(labels=labels, ocop_stars=stars, plastic_free=free, hard_to_degrade_plastic=not free and hard)
        for labels, stars, free, hard in options
    ]
    for candidate, than in itertools.product(facts, facts):
        if greenness.is_greener(candidate, than):
            assert greenness.reasons(candidate, than), (candidate, than)


def test_reasons_name_the_label_the_stars_and_the_packaging_won_on() -> None:
    candidate = GreenFacts(labels=frozenset({ECOLABEL, GI}), ocop_stars=4, plastic_free=True)
    than = GreenFacts(ocop_stars=None, hard_to_degrade_plastic=True)
    assert greenness.reasons(candidate, than) == [
        Reason("label", scheme="VN_ECOLABEL"),
        Reason("ocop_stars", scheme="OCOP", stars=4),
        Reason("plastic_free"),
        Reason("no_hard_to_degrade_plastic"),
    ]


async def test_expired_rating_and_self_declared_claim_earn_nothing(session: AsyncSession, today: date) -> None:
    # OCOP 3★ expired in 2024; a returnable glass bottle with a PP cap.
    fish_sauce = greenness.facts(await _product(session, "P054"), today)
    assert fish_sauce == GreenFacts(hard_to_degrade_plastic=True, reusable_packaging=True)
    bagasse_box = greenness.facts(await _product(session, "P069"), today)  # self-declared "eco" claim only
    assert bagasse_box.labels == frozenset()


async def test_a_renewed_rating_counts_with_its_new_stars(session: AsyncSession, today: date) -> None:
    beef_balls = greenness.facts(await _product(session, "P001"), today)  # 3★ expired, then 4★ valid to 2028
    assert beef_balls.ocop_stars == 4
    assert greenness.facts(await _product(session, "P001"), date(2028, 1, 23)).ocop_stars is None
