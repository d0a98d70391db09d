from datetime import date, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, func, select

from catalog import accounts, certifications
from catalog.accounts import AccountDraft, Role
from catalog.audit import AuditEntry
from catalog.certifications import Certification, CertificationDraft, CertificationStatus
from catalog.errors import CatalogError, Conflict
from catalog.outbox import Outbox
from catalog.products import Product


async def _claim(session: AsyncSession, today: date, scheme: str = "VIETGAP", **fields: object) -> Certification:
    product = await session.scalar(select(Product).where(col(Product.code) == "P003"))
    assert product is not None and product.id is not None
    draft = CertificationDraft(
        scheme_code=scheme,
        issued_on=today - timedelta(days=10),
        valid_until=today + timedelta(days=365),
        evidence_url="https://example.vn/evidence.pdf",
        **fields,
    )
    return await certifications.claim(session, product.id, draft, actor_id=None)


async def _admin_id(session: AsyncSession) -> int:
    draft = AccountDraft(email="so@camau.gov.vn", role=Role.ADMIN)
    account = await accounts.create(session, draft, password_hash="h", actor_id=None)
    assert account.id is not None
    return account.id


async def _queued(session: AsyncSession, product_id: int) -> int:
    query = select(func.count()).select_from(Outbox).where(col(Outbox.entity_id) == product_id)
    return await session.scalar(query) or 0


async def test_verification_makes_a_claim_valid_and_records_who_and_when(session: AsyncSession, today: date) -> None:
    async with session.begin():
        admin = await _admin_id(session)
        cert = await _claim(session, today)
        assert not cert.is_valid_on(today)
        queued_before = await _queued(session, cert.product_id)
        await certifications.verify(session, cert, actor_id=admin)
    assert cert.status is CertificationStatus.VERIFIED
    assert cert.is_valid_on(today)
    assert cert.verified_by == admin and cert.verified_at is not None
    actions = (
        await session.execute(
            select(AuditEntry.action).where(
                col(AuditEntry.entity) == "certification", col(AuditEntry.entity_id) == cert.id
            )
        )
    ).scalars()
    assert sorted(actions) == ["claim", "verify"]
    assert await _queued(session, cert.product_id) == queued_before + 1


async def test_a_self_declared_claim_cannot_be_verified(session: AsyncSession, today: date) -> None:
    with pytest.raises(Conflict):
        async with session.begin():
            cert = await _claim(session, today, scheme="SELF_CLAIM", claim_text_vi="Thân thiện môi trường")
            await certifications.verify(session, cert, actor_id=None)


async def test_rejection_needs_a_reason_and_keeps_it(session: AsyncSession, today: date) -> None:
    async with session.begin():
        cert_id = (await _claim(session, today)).id or 0
    with pytest.raises(CatalogError) as error:
        async with session.begin():
            cert = await certifications.get(session, cert_id)
            await certifications.reject(session, cert, "   ", actor_id=None)
    assert error.value.field == "reason"
    async with session.begin():
        cert = await certifications.get(session, cert_id)
        await certifications.reject(session, cert, "Giấy chứng nhận đã hết hạn", actor_id=None)
    assert cert.status is CertificationStatus.REJECTED
    assert cert.status_reason == "Giấy chứng nhận đã hết hạn"
    assert not cert.is_valid_on(today)


async def test_a_decided_claim_cannot_be_verified_again(session: AsyncSession, today: date) -> None:
    with pytest.raises(Conflict) as error:
        async with session.begin():
            cert = await _claim(session, today)
            await certifications.reject(session, cert, "no evidence", actor_id=None)
            await certifications.verify(session, cert, actor_id=None)
    assert error.value.field == "status"


async def test_revoking_a_verification_makes_it_invalid(session: AsyncSession, today: date) -> None:
    async with session.begin():
        cert = await _claim(session, today)
        await certifications.verify(session, cert, actor_id=None)
        await certifications.revoke(session, cert, "certificate suspended by the issuer", actor_id=None)
    assert cert.status is CertificationStatus.REVOKED
    assert not cert.is_valid_on(today)


async def test_an_ocop_rating_recorded_by_the_province_counts_at_once(session: AsyncSession, today: date) -> None:
    async with session.begin():
        product = await session.scalar(select(Product).where(col(Product.code) == "P003"))
        assert product is not None and product.id is not None
        draft = CertificationDraft(scheme_code="OCOP", ocop_stars=5, issued_on=today - timedelta(days=1))
        cert = await certifications.record_ocop_rating(session, product.id, draft, actor_id=None)
    assert cert.status is CertificationStatus.VERIFIED and cert.is_valid_on(today)


async def test_the_queue_lists_open_claims_oldest_first(session: AsyncSession, today: date) -> None:
    async with session.begin():
        first = await _claim(session, today)
        second = await _claim(session, today, scheme="VN_ECOLABEL")
    found, total = await certifications.queue(session, CertificationStatus.CLAIMED, page=1, per_page=100)
    ids = [c.id for c in found]
    assert total >= 2 and ids.index(first.id) < ids.index(second.id)
