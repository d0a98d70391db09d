import unicodedata
from datetime import date

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, func, select

from catalog import certifications, products
from catalog.audit import AuditEntry
from catalog.certifications import CertificationDraft, CertificationStatus
from catalog.errors import CatalogError, StaleVersion
from catalog.outbox import Outbox
from catalog.packaging import PackagingDraft, PackagingRole
from catalog.products import Product, ProductDraft, ProductPatch


async def _product(session: AsyncSession, code: str) -> Product:
    product = await session.scalar(select(Product).where(col(Product.code) == code))
    assert product is not None
    return product


async def test_new_product_is_stored_in_nfc_with_outbox_and_audit_rows(session: AsyncSession) -> None:
    async with session.begin():
        draft = ProductDraft(
            producer_id=(await _product(session, "P001")).producer_id,
            name_vi=unicodedata.normalize("NFD", "  Mắm   tôm chà Đầm Dơi "),
            category_code="sauces_fermented",
            gtin="8936012345674",
            packaging=[PackagingDraft(role=PackagingRole.PRIMARY, material_code="GLASS")],
        )
        product = await products.create(session, draft, actor_id=None)
    assert product.name_vi == unicodedata.normalize("NFC", "Mắm tôm chà Đầm Dơi")
    assert product.slug == "mam-tom-cha-dam-doi"
    assert product.gtin == "08936012345674"
    assert product.is_plastic_free
    outbox_rows = await session.scalar(
        select(func.count()).select_from(Outbox).where(col(Outbox.entity_id) == product.id)
    )
    audit_rows = await session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(col(AuditEntry.entity) == "product", col(AuditEntry.entity_id) == product.id)
    )
    assert outbox_rows == 1
    assert audit_rows == 1


async def test_unknown_category_is_refused_naming_the_field(session: AsyncSession) -> None:
    with pytest.raises(CatalogError) as error:
        async with session.begin():
            producer_id = (await _product(session, "P001")).producer_id
            draft = ProductDraft(producer_id=producer_id, name_vi="Thử", category_code="no_such_category")
            await products.create(session, draft, actor_id=None)
    assert error.value.field == "category_code"


async def test_patch_with_current_version_bumps_it(session: AsyncSession) -> None:
    async with session.begin():
        product = await _product(session, "P001")
        patched = await products.patch(session, product, ProductPatch(version=1, name_en="Beef balls"), actor_id=None)
    assert patched.version == 2
    assert patched.name_en == "Beef balls"


async def test_patch_with_stale_version_is_refused_with_the_current_one(session: AsyncSession) -> None:
    async with session.begin():
        product = await _product(session, "P001")
        await products.patch(session, product, ProductPatch(version=1, name_en="First"), actor_id=None)
    with pytest.raises(StaleVersion) as error:
        async with session.begin():
            product = await _product(session, "P001")
            await products.patch(session, product, ProductPatch(version=1, name_en="Second"), actor_id=None)
    assert error.value.current == 2


async def test_concurrent_patch_loses_at_the_database_not_just_in_memory(session: AsyncSession) -> None:
    async with session.begin():
        product = await _product(session, "P002")
        # Another writer bumps the version after we loaded the row.
        await session.execute(update(Product).where(col(Product.id) == product.id).values(version=5))
        with pytest.raises(StaleVersion) as error:
            await products.patch(session, product, ProductPatch(version=1, name_en="Late"), actor_id=None)
    assert error.value.current == 5


async def test_ocop_claim_without_expiry_gets_36_months(session: AsyncSession, today: date) -> None:
    async with session.begin():
        product = await _product(session, "P003")
        cert = await certifications.claim(
            session,
            product.id or 0,
            CertificationDraft(scheme_code="OCOP", ocop_stars=4, issued_on=date(2026, 3, 1)),
            actor_id=None,
        )
    assert cert.valid_until == date(2029, 2, 28)
    assert cert.status is CertificationStatus.CLAIMED
    assert not cert.is_valid_on(today)


async def test_self_declared_claims_cannot_be_loaded_as_verified(session: AsyncSession) -> None:
    with pytest.raises(CatalogError):
        async with session.begin():
            product = await _product(session, "P003")
            await certifications.claim(
                session,
                product.id or 0,
                CertificationDraft(scheme_code="SELF_CLAIM", claim_text_vi="Thân thiện môi trường"),
                actor_id=None,
                status=CertificationStatus.VERIFIED,
            )
