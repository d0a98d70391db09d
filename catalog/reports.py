"""Shoppers' reports of what is wrong with a product page, and the province's handling of them.

A report never changes what the public sees: only an admin's decision does, through the existing audited actions
(revoking a certificate, withdrawing a product). The filer stays anonymous: no address is stored, only a salted,
daily-rotated hash of it, kept while the rate limit needs it and then erased.
"""

import math
import re
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from pydantic import field_validator
from sqlalchemy import func, or_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from catalog import access, audit, certifications, products, stores, text, versions
from catalog.accounts import Account
from catalog.certifications import Certification, CertificationStatus
from catalog.clock import utcnow
from catalog.columns import enum_column, utc_datetime
from catalog.errors import CatalogError, Conflict, NotFound, PermissionDenied, RateLimited, StaleVersion
from catalog.pagination import paginate
from catalog.products import Product, ProductPatch, ProductStatus

MESSAGE_MAX_LENGTH = 1000
CONTACT_MAX_LENGTH = 200
NOTE_MAX_LENGTH = 1000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ().-]+$")
_PHONE_DIGITS = (8, 15)


class ReportKind(StrEnum):
    """What the shopper says is wrong."""

    LABEL = "label"  # a label or certificate
    PACKAGING = "packaging"
    STORE = "store"  # the price or the shelf in a store
    OTHER = "other"


class ReportStatus(StrEnum):
    """Where a report stands: new → in review → resolved or dismissed (with a note)."""

    NEW = "new"
    IN_REVIEW = "in_review"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


OPEN = (ReportStatus.NEW, ReportStatus.IN_REVIEW)
CLOSED = (ReportStatus.RESOLVED, ReportStatus.DISMISSED)


class Remedy(StrEnum):
    """What an admin did about a resolved report, through the catalog's own audited actions."""

    REVOKE_CERTIFICATION = "revoke_certification"
    WITHDRAW_PRODUCT = "withdraw_product"


class Report(SQLModel, table=True):
    """One shopper's report about a published product, for the province's queue."""

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", index=True, ondelete="CASCADE")
    kind: ReportKind = enum_column(ReportKind)
    certification_id: int | None = Field(default=None, foreign_key="certification.id", ondelete="SET NULL")
    store_id: int | None = Field(default=None, foreign_key="store.id", ondelete="SET NULL")
    message: str = Field(max_length=MESSAGE_MAX_LENGTH)
    # Personal data: stored only when given, shown only to admins, never in the audit log.
    contact: str | None = Field(default=None, max_length=CONTACT_MAX_LENGTH)
    lang: str = Field(default="vi", max_length=5)
    status: ReportStatus = enum_column(ReportStatus, default=ReportStatus.NEW, index=True)
    note: str | None = Field(default=None, max_length=NOTE_MAX_LENGTH)
    remedy: Remedy | None = enum_column(Remedy, nullable=True, default=None)
    producer_answer: str | None = Field(default=None, max_length=NOTE_MAX_LENGTH)
    answered_at: datetime | None = utc_datetime(nullable=True, default=None)
    # HMAC of the filer's address with a daily key; erased once the rate-limit window has passed.
    address_hash: str | None = Field(default=None, max_length=64, index=True)
    created_at: datetime = utc_datetime(default_factory=utcnow, index=True)
    closed_at: datetime | None = utc_datetime(nullable=True, default=None)
    closed_by: int | None = Field(default=None, foreign_key="account.id")
    version: int = 1

    @property
    def is_open(self) -> bool:
        """Still waiting for the province's decision."""
        return self.status in OPEN


def aware(moment: datetime) -> datetime:
    """A stored instant as aware UTC (SQLite hands timestamps back without their offset)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _clean(value: object) -> object:
    return text.clean_optional(value) if isinstance(value, str) else value


class ReportDraft(SQLModel):
    """Validated input for a report, shared by the API and the shoppers' form."""

    product_id: int = Field(ge=1, le=2**31 - 1)
    kind: ReportKind
    certification_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    store_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    message: str = Field(min_length=1, max_length=MESSAGE_MAX_LENGTH)
    contact: str | None = Field(default=None, max_length=CONTACT_MAX_LENGTH)

    _normalise = field_validator("message", "contact", mode="before")(_clean)

    @field_validator("contact")
    @classmethod
    def _phone_or_email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        digits = sum(ch.isdigit() for ch in value)
        if _EMAIL.match(value) or (_PHONE.match(value) and _PHONE_DIGITS[0] <= digits <= _PHONE_DIGITS[1]):
            return value
        raise ValueError("contact must be a phone number or an e-mail address")


class ReportPatch(SQLModel):
    """An admin's decision on a report; `version` must match the stored one."""

    version: int = Field(ge=1, le=2**31 - 1)
    status: ReportStatus | None = None
    note: str | None = Field(default=None, max_length=NOTE_MAX_LENGTH)
    remedy: Remedy | None = None
    # Which certificate to revoke; defaults to the one the shopper named.
    certification_id: int | None = Field(default=None, ge=1, le=2**31 - 1)

    _normalise = field_validator("note", mode="before")(_clean)


@dataclass(frozen=True)
class Limits:
    """How many reports are accepted within `window`: from one address, and from everyone together."""

    per_address: int = 10
    overall: int = 300
    window: timedelta = timedelta(hours=1)


LIMITS = Limits()


def snapshot(report: Report) -> dict[str, Any]:
    """The report as the audit log keeps it: without the contact or the address hash."""
    return report.model_dump(mode="json", exclude={"contact", "address_hash"})


async def _check_rate(session: AsyncSession, address_hash: str | None, now: datetime, limits: Limits) -> None:
    since = now - limits.window
    recent = select(Report.created_at).where(col(Report.created_at) > since)
    checks = [(recent, limits.overall)]
    if address_hash is not None:
        checks.insert(0, (recent.where(col(Report.address_hash) == address_hash), limits.per_address))
    for query, limit in checks:
        count = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
        if count >= limit:
            oldest = await session.scalar(select(func.min(query.subquery().c.created_at)))
            wait = (aware(oldest) + limits.window - now).total_seconds() if oldest is not None else 60
            raise RateLimited("too many reports; try again later", retry_after_s=max(1, math.ceil(wait)))


async def file(
    session: AsyncSession,
    draft: ReportDraft,
    *,
    address_hash: str | None,
    lang: str = "vi",
    now: datetime | None = None,
    limits: Limits = LIMITS,
) -> Report:
    """Record a shopper's report about a published product; refuse it past the rate limits (RateLimited)."""
    now = now or utcnow()
    await _check_rate(session, address_hash, now, limits)
    product = await products.get_published(session, draft.product_id)
    if draft.certification_id is not None:
        if draft.kind is not ReportKind.LABEL:
            raise CatalogError("certification_id applies only to a report of kind 'label'", field="certification_id")
        cert = await session.get(Certification, draft.certification_id)
        if cert is None or cert.product_id != product.id:
            raise CatalogError(
                f"product {product.id} has no certification {draft.certification_id}", field="certification_id"
            )
    if draft.store_id is not None:
        await stores.get(session, draft.store_id)
    elif draft.kind is ReportKind.STORE:
        raise CatalogError("say which store the price or shelf is wrong in (store_id)", field="store_id")
    # The hash is only needed while it can still count against a limit.
    await session.execute(
        update(Report)
        .where(col(Report.address_hash).is_not(None), col(Report.created_at) <= now - limits.window)
        .values(address_hash=None)
        .execution_options(synchronize_session=False)
    )
    report = Report.model_validate(
        draft.model_dump(), update={"address_hash": address_hash, "lang": lang, "created_at": now}
    )
    session.add(report)
    await session.flush()
    audit.record(session, actor_id=None, entity="report", entity_id=report.id, action="file", after=snapshot(report))
    return report


async def get(session: AsyncSession, report_id: int) -> Report:
    """One report, or NotFound."""
    report = await session.get(Report, report_id)
    if report is None:
        raise NotFound(f"no report with id {report_id}", field="report_id")
    return report


_TRANSITIONS = {
    ReportStatus.NEW: {ReportStatus.IN_REVIEW, ReportStatus.RESOLVED, ReportStatus.DISMISSED},
    ReportStatus.IN_REVIEW: {ReportStatus.RESOLVED, ReportStatus.DISMISSED},
}


async def decide(session: AsyncSession, report: Report, change: ReportPatch, *, actor: Account) -> Report:
    """An admin moves a report on; resolving may revoke a certificate or withdraw the product, both audited."""
    if not access.is_admin(actor):
        raise PermissionDenied("only the province decides on reports", field="status")
    assert report.id is not None
    if change.version != report.version:
        raise StaleVersion(change.version, report.version)
    status = change.status or report.status
    note = change.note if "note" in change.model_fields_set else report.note
    if status == report.status and note == report.note and change.remedy is None:
        return report  # saved unchanged: nothing changes
    if not report.is_open:
        raise Conflict(f"the report is already {report.status.value}", field="status")
    if status != report.status and status not in _TRANSITIONS.get(report.status, set()):
        raise Conflict(f"a {report.status.value} report cannot become {status.value}", field="status")
    if status in CLOSED and not note:
        raise CatalogError(f"a note is required to mark a report {status.value}", field="note")
    if change.remedy is not None and status is not ReportStatus.RESOLVED:
        raise CatalogError("a remedy is taken only when resolving a report", field="remedy")
    if change.remedy is Remedy.REVOKE_CERTIFICATION:
        await _revoke(session, report, change.certification_id or report.certification_id, note or "", actor)
    elif change.remedy is Remedy.WITHDRAW_PRODUCT:
        await _withdraw(session, report.product_id, actor)
    before = snapshot(report)
    report.version = await versions.claim_next(session, Report, report.id, change.version)
    if status != report.status and status in CLOSED:
        report.closed_at, report.closed_by = utcnow(), actor.id
    report.status, report.note = status, note
    report.remedy = change.remedy or report.remedy
    await session.flush()
    action = {ReportStatus.RESOLVED: "resolve", ReportStatus.DISMISSED: "dismiss"}.get(status, "review")
    audit.record(
        session,
        actor_id=actor.id,
        entity="report",
        entity_id=report.id,
        action=action,
        before=before,
        after=snapshot(report),
    )
    return report


async def _revoke(session: AsyncSession, report: Report, cert_id: int | None, reason: str, actor: Account) -> None:
    if cert_id is None:
        raise CatalogError("say which certificate to revoke (certification_id)", field="certification_id")
    cert = await certifications.get(session, cert_id)
    if cert.product_id != report.product_id:
        raise CatalogError(f"certification {cert_id} is not this product's", field="certification_id")
    await certifications.revoke(session, cert, reason, actor_id=actor.id)


async def _withdraw(session: AsyncSession, product_id: int, actor: Account) -> None:
    product = await products.get(session, product_id)
    if product.status is ProductStatus.WITHDRAWN:
        return
    await products.patch(
        session, product, ProductPatch(version=product.version, status=ProductStatus.WITHDRAWN), actor_id=actor.id
    )


async def answer(session: AsyncSession, report: Report, reply: str, *, actor: Account) -> Report:
    """The producer (or an admin) answers a report about its product; the province reads the answer."""
    product = await products.get(session, report.product_id)
    access.require_can_edit_product(actor, product)
    cleaned = text.clean_optional(reply)
    if cleaned is None:
        raise CatalogError("write an answer", field="answer")
    if len(cleaned) > NOTE_MAX_LENGTH:
        raise CatalogError(f"the answer is longer than {NOTE_MAX_LENGTH} characters", field="answer")
    if cleaned == report.producer_answer:
        return report
    assert report.id is not None
    before = snapshot(report)
    report.version = await versions.claim_next(session, Report, report.id, report.version)
    report.producer_answer, report.answered_at = cleaned, utcnow()
    await session.flush()
    audit.record(
        session,
        actor_id=actor.id,
        entity="report",
        entity_id=report.id,
        action="answer",
        before=before,
        after=snapshot(report),
    )
    return report


@dataclass(frozen=True)
class ProductReports:
    """One product's reports, newest first, with the product and its current claims."""

    product: Product
    reports: list[Report]


def _statuses(which: str) -> tuple[ReportStatus, ...]:
    return {"open": OPEN, "closed": CLOSED}.get(which, tuple(ReportStatus))


async def listing(
    session: AsyncSession,
    *,
    status: ReportStatus | None = None,
    product_id: int | None = None,
    page: int = 1,
    per_page: int = 20,
) -> tuple[list[Report], int]:
    """One page of reports, newest first, narrowed by status or product; and the total."""
    query = select(Report)
    if status is not None:
        query = query.where(col(Report.status) == status)
    if product_id is not None:
        query = query.where(col(Report.product_id) == product_id)
    found = await paginate(
        session, query.order_by(col(Report.created_at).desc(), col(Report.id).desc()), page, per_page
    )
    return found.items, found.total


async def queue(
    session: AsyncSession, *, which: str = "open", producer_id: int | None = None, limit: int = 200
) -> list[ProductReports]:
    """Reports grouped by product, the product with the newest report first: the province's (or a producer's) queue.

    Args:
        which: "open", "closed" or "all".
        producer_id: only reports about this producer's products.
        limit: at most this many reports, the newest.
    """
    query = select(Report).where(col(Report.status).in_(_statuses(which)))
    if producer_id is not None:
        query = query.where(
            col(Report.product_id).in_(select(Product.id).where(col(Product.producer_id) == producer_id))
        )
    rows = await session.execute(query.order_by(col(Report.created_at).desc(), col(Report.id).desc()).limit(limit))
    groups: dict[int, list[Report]] = {}
    for report in rows.scalars():
        groups.setdefault(report.product_id, []).append(report)
    return [ProductReports(product=await products.get(session, pid), reports=found) for pid, found in groups.items()]


async def count_open(session: AsyncSession, *, at: datetime) -> int:
    """Reports filed by `at` and not yet resolved or dismissed at that instant (for the province's indicators)."""
    return (
        await session.scalar(
            select(func.count())
            .select_from(Report)
            .where(
                col(Report.created_at) <= at,
                or_(col(Report.closed_at).is_(None), col(Report.closed_at) > at),
            )
        )
        or 0
    )


async def median_days_to_resolution(
    session: AsyncSession, *, closed_from: datetime | None = None, closed_before: datetime | None = None
) -> float | None:
    """Median days from filing to resolution or dismissal, over reports closed in [from, before); None if none."""
    query = select(Report.created_at, Report.closed_at).where(col(Report.closed_at).is_not(None))
    if closed_from is not None:
        query = query.where(col(Report.closed_at) >= closed_from)
    if closed_before is not None:
        query = query.where(col(Report.closed_at) < closed_before)
    rows = (await session.execute(query)).tuples()
    spans = [(aware(closed) - aware(created)).total_seconds() / 86400 for created, closed in rows]
    return statistics.median(spans) if spans else None


def verified_claims(product: Product) -> list[Certification]:
    """The product's certificates an admin could revoke while resolving a report."""
    return [c for c in product.certifications if c.status is CertificationStatus.VERIFIED]
