from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, func, select

from catalog import accounts, indicators, reports
from catalog.accounts import Account, AccountDraft, Role
from catalog.audit import AuditEntry
from catalog.certifications import CertificationStatus
from catalog.errors import CatalogError, Conflict, NotFound, PermissionDenied, RateLimited, StaleVersion
from catalog.outbox import Outbox
from catalog.products import Product, ProductStatus
from catalog.reports import Limits, Remedy, Report, ReportDraft, ReportKind, ReportPatch, ReportStatus

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


async def _product(session: AsyncSession, code: str = "P001") -> Product:
    product = await session.scalar(select(Product).where(col(Product.code) == code))
    assert product is not None and product.id is not None
    return product


async def _account(session: AsyncSession, role: Role = Role.ADMIN, **tenant: int) -> Account:
    draft = AccountDraft(email=f"{role.value}{tenant}@camau.gov.vn".replace(" ", ""), role=role, **tenant)
    return await accounts.create(session, draft, password_hash="h", actor_id=None)


def _draft(product: Product, **fields: object) -> ReportDraft:
    values: dict[str, object] = {"product_id": product.id, "kind": "packaging", "message": "Bao bì là túi nhựa"}
    return ReportDraft.model_validate({**values, **fields})


async def _file(session: AsyncSession, product: Product, address: str | None = "a", **fields: object) -> Report:
    return await reports.file(session, _draft(product, **fields), address_hash=address, now=NOW)


async def test_a_report_is_stored_as_new_with_an_audit_entry_and_no_search_change(session: AsyncSession) -> None:
    async with session.begin():
        product = await _product(session)
        outbox_before = await session.scalar(select(func.count()).select_from(Outbox))
        report = await _file(
            session, product, contact="0912 345 678", message="Nha\u0303n  OCOP đã he\u0302\u0301t hạn"
        )
    assert report.status is ReportStatus.NEW and report.version == 1
    assert report.message == "Nhãn OCOP đã hết hạn"  # NFC composed, inner spaces collapsed
    assert await session.scalar(select(func.count()).select_from(Outbox)) == outbox_before
    entry = await session.scalar(select(AuditEntry).where(col(AuditEntry.entity) == "report"))
    assert entry is not None and entry.action == "file" and entry.actor_id is None
    assert entry.after is not None and "contact" not in entry.after and "address_hash" not in entry.after


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"message": "x" * 1001}, "message"),
        ({"message": "   "}, "message"),
        ({"contact": "call me maybe"}, "contact"),
        ({"kind": "rumour"}, "kind"),
    ],
)
def test_drafts_refuse_bad_fields(fields: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError) as caught:
        ReportDraft.model_validate({"product_id": 1, "kind": "other", "message": "sai", **fields})
    assert field in str(caught.value)


def test_contacts_may_be_a_phone_number_or_an_email_address() -> None:
    for contact in ("+84 912 345 678", "0290.3831.234", "ban.doc@example.vn"):
        assert ReportDraft(product_id=1, kind=ReportKind.OTHER, message="sai", contact=contact).contact == contact


async def test_reports_name_a_label_of_that_product_and_a_store_that_exists(session: AsyncSession) -> None:
    async with session.begin():
        product, other = await _product(session), await _product(session, "P003")
        cert = product.certifications[0]
        with pytest.raises(CatalogError) as wrong_product:
            await _file(session, other, kind="label", certification_id=cert.id)
        assert wrong_product.value.field == "certification_id"
        with pytest.raises(CatalogError) as not_a_label_report:
            await _file(session, product, kind="packaging", certification_id=cert.id)
        assert not_a_label_report.value.field == "certification_id"
        with pytest.raises(CatalogError) as no_store:
            await _file(session, product, kind="store")
        assert no_store.value.field == "store_id"
        with pytest.raises(NotFound):
            await _file(session, product, kind="store", store_id=99999)
        assert (await _file(session, product, kind="label", certification_id=cert.id)).certification_id == cert.id


async def test_unpublished_products_cannot_be_reported(session: AsyncSession) -> None:
    async with session.begin():
        product = await _product(session)
        product.status = ProductStatus.WITHDRAWN
        await session.flush()
        with pytest.raises(NotFound):
            await _file(session, product)


async def test_one_address_is_limited_then_everyone_together(session: AsyncSession) -> None:
    limits = Limits(per_address=2, overall=3, window=timedelta(hours=1))
    async with session.begin():
        product = await _product(session)
        for minute in range(2):
            await reports.file(
                session, _draft(product), address_hash="a", now=NOW + timedelta(minutes=minute), limits=limits
            )
        with pytest.raises(RateLimited) as per_address:
            await reports.file(
                session, _draft(product), address_hash="a", now=NOW + timedelta(minutes=5), limits=limits
            )
        # The oldest counted report leaves the window 55 minutes later.
        assert per_address.value.retry_after_s == 55 * 60
        await reports.file(session, _draft(product), address_hash="b", now=NOW + timedelta(minutes=6), limits=limits)
        with pytest.raises(RateLimited):
            await reports.file(
                session, _draft(product), address_hash="c", now=NOW + timedelta(minutes=7), limits=limits
            )
        later = NOW + timedelta(hours=1, minutes=3)
        assert (await reports.file(session, _draft(product), address_hash="a", now=later, limits=limits)).id


async def test_address_hashes_are_erased_once_the_window_has_passed(session: AsyncSession) -> None:
    async with session.begin():
        product = await _product(session)
        first = await _file(session, product, address="old")
        await reports.file(session, _draft(product), address_hash="new", now=NOW + timedelta(hours=2))
        await session.refresh(first)
    assert first.address_hash is None


async def test_admin_reviews_then_resolves_with_a_note_and_each_step_is_audited(session: AsyncSession) -> None:
    async with session.begin():
        admin = await _account(session)
        report = await _file(session, await _product(session))
        await reports.decide(session, report, ReportPatch(version=1, status=ReportStatus.IN_REVIEW), actor=admin)
        with pytest.raises(CatalogError) as no_note:
            await reports.decide(session, report, ReportPatch(version=2, status=ReportStatus.RESOLVED), actor=admin)
        assert no_note.value.field == "note"
        done = ReportPatch(version=2, status=ReportStatus.RESOLVED, note="Đã liên hệ nhà sản xuất")
        await reports.decide(session, report, done, actor=admin)
        with pytest.raises(Conflict):
            await reports.decide(session, report, ReportPatch(version=3, status=ReportStatus.NEW), actor=admin)
        again = ReportPatch(version=3, status=ReportStatus.RESOLVED, note="khác", remedy=Remedy.WITHDRAW_PRODUCT)
        with pytest.raises(Conflict):
            await reports.decide(session, report, again, actor=admin)
    assert report.status is ReportStatus.RESOLVED and report.closed_by == admin.id and report.closed_at is not None
    actions = (
        await session.execute(
            select(AuditEntry.action).where(col(AuditEntry.entity) == "report").order_by(col(AuditEntry.id))
        )
    ).scalars()
    assert list(actions) == ["file", "review", "resolve"]


async def test_a_stale_version_is_refused_and_an_unchanged_decision_changes_nothing(session: AsyncSession) -> None:
    async with session.begin():
        admin = await _account(session)
        report = await _file(session, await _product(session))
        await reports.decide(session, report, ReportPatch(version=1, status=ReportStatus.IN_REVIEW), actor=admin)
        with pytest.raises(StaleVersion):
            await reports.decide(
                session, report, ReportPatch(version=1, status=ReportStatus.DISMISSED, note="x"), actor=admin
            )
        await reports.decide(session, report, ReportPatch(version=2, status=ReportStatus.IN_REVIEW), actor=admin)
    assert report.version == 2


async def test_only_admins_decide(session: AsyncSession) -> None:
    async with session.begin():
        product = await _product(session)
        producer = await _account(session, Role.PRODUCER, producer_id=product.producer_id)
        report = await _file(session, product)
        with pytest.raises(PermissionDenied):
            await reports.decide(session, report, ReportPatch(version=1, status=ReportStatus.IN_REVIEW), actor=producer)


async def test_resolving_can_revoke_the_named_certificate(session: AsyncSession) -> None:
    async with session.begin():
        admin = await _account(session)
        product = await _product(session)
        cert = next(c for c in product.certifications if c.status is CertificationStatus.VERIFIED)
        report = await _file(session, product, kind="label", certification_id=cert.id)
        change = ReportPatch(
            version=1,
            status=ReportStatus.RESOLVED,
            note="Giấy chứng nhận đã bị thu hồi",
            remedy=Remedy.REVOKE_CERTIFICATION,
        )
        await reports.decide(session, report, change, actor=admin)
    assert cert.status is CertificationStatus.REVOKED and cert.status_reason == "Giấy chứng nhận đã bị thu hồi"
    assert report.remedy is Remedy.REVOKE_CERTIFICATION
    revoked = await session.scalar(
        select(AuditEntry).where(col(AuditEntry.entity) == "certification", col(AuditEntry.action) == "revoke")
    )
    assert revoked is not None and revoked.actor_id == admin.id


async def test_resolving_can_withdraw_the_product(session: AsyncSession) -> None:
    async with session.begin():
        admin = await _account(session)
        product = await _product(session)
        report = await _file(session, product)
        change = ReportPatch(
            version=1, status=ReportStatus.RESOLVED, note="Sản phẩm giả", remedy=Remedy.WITHDRAW_PRODUCT
        )
        await reports.decide(session, report, change, actor=admin)
        with pytest.raises(CatalogError) as remedy_on_dismiss:
            other = await _file(session, await _product(session, "P003"))
            dismiss = ReportPatch(version=1, status=ReportStatus.DISMISSED, note="x", remedy=Remedy.WITHDRAW_PRODUCT)
            await reports.decide(session, other, dismiss, actor=admin)
        assert remedy_on_dismiss.value.field == "remedy"
    assert product.status is ProductStatus.WITHDRAWN


async def test_the_producer_answers_reports_about_its_own_products_only(session: AsyncSession) -> None:
    async with session.begin():
        product, other = await _product(session), await _product(session, "P003")
        producer = await _account(session, Role.PRODUCER, producer_id=product.producer_id)
        mine, theirs = await _file(session, product), await _file(session, other)
        await reports.answer(session, mine, "Chúng tôi đã đổi bao bì từ tháng 10", actor=producer)
        with pytest.raises((PermissionDenied, NotFound)):
            await reports.answer(session, theirs, "không phải của tôi", actor=producer)
    assert mine.producer_answer == "Chúng tôi đã đổi bao bì từ tháng 10" and mine.version == 2


async def test_the_queue_groups_by_product_with_the_newest_report_first(session: AsyncSession) -> None:
    async with session.begin():
        a, b = await _product(session), await _product(session, "P003")
        await reports.file(session, _draft(a), address_hash=None, now=NOW)
        await reports.file(session, _draft(b), address_hash=None, now=NOW + timedelta(minutes=1))
        await reports.file(session, _draft(a), address_hash=None, now=NOW + timedelta(minutes=2))
        groups = await reports.queue(session)
        own = await reports.queue(session, producer_id=b.producer_id)
    assert [g.product.id for g in groups] == [a.id, b.id]
    assert [len(g.reports) for g in groups] == [2, 1]
    assert groups[0].reports[0].created_at > groups[0].reports[1].created_at
    assert [g.product.id for g in own] == [b.id]


async def test_open_count_and_median_days_to_resolution(session: AsyncSession) -> None:
    async with session.begin():
        admin = await _account(session)
        product = await _product(session)
        created = [await _file(session, product, address=None) for _ in range(4)]
        assert await reports.median_days_to_resolution(session) is None
        for report, days in zip(created[:3], (1, 2, 6), strict=True):
            done = ReportPatch(version=1, status=ReportStatus.DISMISSED, note="Không đúng")
            await reports.decide(session, report, done, actor=admin)
            report.closed_at = NOW + timedelta(days=days)
        await session.flush()
        assert await reports.count_open(session, at=NOW + timedelta(days=3)) == 2
        assert await reports.count_open(session, at=NOW + timedelta(days=7)) == 1
        assert await reports.count_open(session, at=NOW - timedelta(days=1)) == 0
        assert await reports.median_days_to_resolution(session) == 2
        assert await reports.median_days_to_resolution(session, closed_from=NOW + timedelta(days=2)) == 4


async def test_the_provinces_indicators_count_open_reports_and_days_to_settle_them(session: AsyncSession) -> None:
    async with session.begin():
        admin = await _account(session)
        product = await _product(session)
        created = [await _file(session, product, address=None) for _ in range(3)]
        for report, days in zip(created[:2], (1, 5), strict=True):
            await reports.decide(
                session, report, ReportPatch(version=1, status=ReportStatus.RESOLVED, note="Đã xử lý"), actor=admin
            )
            report.closed_at = NOW + timedelta(days=days)
        await session.flush()
        # Filed on 25 November (16:30 in Vietnam); one settled a day later, one five days later.
        found = {
            day: {i.key: i.value for i in (await indicators.plan_report(session, day)).indicators}
            for day in (date(2026, 11, 24), date(2026, 11, 27), date(2026, 12, 1))
        }
    assert (found[date(2026, 11, 24)]["open_reports"], found[date(2026, 11, 24)]["median_days_to_resolution"]) == (
        0,
        None,
    )
    assert (found[date(2026, 11, 27)]["open_reports"], found[date(2026, 11, 27)]["median_days_to_resolution"]) == (2, 1)
    assert (found[date(2026, 12, 1)]["open_reports"], found[date(2026, 12, 1)]["median_days_to_resolution"]) == (1, 3)
