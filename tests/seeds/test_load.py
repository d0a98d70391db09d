from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, func, select

from catalog import gtin
from catalog.certifications import Certification, CertificationStatus
from catalog.producers import Producer
from catalog.products import Product
from catalog.stores import Listing, Store
from seeds import load


async def _counts(session: AsyncSession) -> dict[str, int]:
    counts = {}
    for table in (Product, Producer, Store, Listing, Certification):
        counts[table.__name__] = await session.scalar(select(func.count()).select_from(table)) or 0
    return counts


async def test_demo_catalog_has_the_seed_counts(session: AsyncSession) -> None:
    counts = await _counts(session)
    assert counts["Product"] == 78
    assert counts["Producer"] == 42
    assert counts["Store"] == 8
    assert counts["Listing"] == 78


async def test_loading_the_demo_twice_adds_nothing(session: AsyncSession) -> None:
    before = await _counts(session)
    await session.commit()
    async with session.begin():
        report = await load.load_demo(session)
    assert report.added == {}
    assert await _counts(session) == before


async def test_expired_ocop_ratings_stay_expired_and_valid_ones_stay_valid(session: AsyncSession, today: date) -> None:
    ocop = (
        (await session.execute(select(Certification).where(col(Certification.scheme_code) == "OCOP"))).scalars().all()
    )
    assert len(ocop) == 70
    assert all(c.status is CertificationStatus.VERIFIED for c in ocop)
    assert sum(c.is_valid_on(today) for c in ocop) == 20
    assert sum(c.is_expired_on(today) for c in ocop) == 50


async def test_self_declared_claims_stay_claims(session: AsyncSession, today: date) -> None:
    claims = (
        (await session.execute(select(Certification).where(col(Certification.scheme_code) == "SELF_CLAIM")))
        .scalars()
        .all()
    )
    assert claims
    assert all(c.status is CertificationStatus.CLAIMED and not c.is_valid_on(today) for c in claims)


async def test_illustrative_certificate_numbers_are_marked(session: AsyncSession) -> None:
    cert = await session.scalar(select(Certification).where(col(Certification.certificate_no) == "OCOP-CM-2022-3S-001"))
    assert cert is not None and cert.illustrative


async def test_fictional_products_get_publishable_demo_gtins_and_real_ones_keep_in_store_numbers(
    session: AsyncSession,
) -> None:
    rows = (await session.execute(select(Product))).scalars().all()
    fictional = [p for p in rows if p.fictional]
    real = [p for p in rows if not p.fictional]
    assert len(fictional) == 12
    assert {p.gtin for p in fictional if p.gtin and p.gtin.startswith("0950")} == {p.gtin for p in fictional}
    assert "09506000134352" in {p.gtin for p in fictional}
    assert all(gtin.to_gtin14(p.gtin or "") == p.gtin and p.gtin_is_public for p in fictional)
    assert all(p.gtin and not p.gtin_is_public for p in real)
