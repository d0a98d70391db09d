"""Certifications: a product's claim to carry a label scheme, and whether it holds on a given day."""

import calendar
from datetime import date, datetime, timedelta
from enum import StrEnum

from pydantic import ValidationInfo, field_validator
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, Relationship, SQLModel, col, select

from catalog import audit, outbox, text, versions
from catalog.clock import utcnow
from catalog.columns import MINIMUM_ZERO, enum_column, utc_datetime
from catalog.errors import CatalogError, Conflict, NotFound, StaleVersion
from catalog.labels import OCOP, LabelScheme
from catalog.pagination import paginate
from catalog.text import OptionalText, Text

OCOP_MIN_STARS = 3
OCOP_MAX_STARS = 5
REASON_MAX_LENGTH = 500


class CertificationStatus(StrEnum):
    """Where a claim stands in the verification workflow."""

    CLAIMED = "claimed"
    VERIFIED = "verified"
    REJECTED = "rejected"
    REVOKED = "revoked"


class Standing(StrEnum):
    """Where a certification stands for a shopper on a given day; pages word each one honestly."""

    VALID = "valid"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    CLAIMED = "claimed"
    SELF_DECLARED = "self_declared"
    REJECTED = "rejected"
    REVOKED = "revoked"


class CertificationBase(SQLModel):
    """A certification's fields with their bounds: the table and the draft derive from these."""

    scheme_code: Text = Field(foreign_key="label_scheme.code", min_length=1, max_length=40, index=True)
    certificate_no: OptionalText = Field(default=None, max_length=120)
    decision_no: OptionalText = Field(default=None, max_length=120)
    issuing_body: OptionalText = Field(default=None, max_length=300)
    ocop_stars: int | None = Field(default=None, ge=OCOP_MIN_STARS, le=OCOP_MAX_STARS)
    stars: int | None = Field(default=None, ge=1, le=5, description="Star grade of non-OCOP schemes (BAP, energy)")
    score_points: int | None = Field(default=None, ge=0, schema_extra=MINIMUM_ZERO, le=100)
    issued_on: date | None = None
    valid_until: date | None = None
    evidence_url: OptionalText = Field(default=None, max_length=500)
    claim_text_vi: OptionalText = Field(default=None, max_length=500)
    claim_text_en: OptionalText = Field(default=None, max_length=500)
    note: OptionalText = Field(default=None, max_length=1000)
    illustrative: bool = Field(default=False, description="Numbers and dates are demo values, not real ones")

    @field_validator("evidence_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("evidence_url must be an http(s) URL")
        return value

    @field_validator("valid_until")
    @classmethod
    def _after_issue(cls, value: date | None, info: ValidationInfo) -> date | None:
        issued_on = info.data.get("issued_on")
        if value is not None and issued_on is not None and value < issued_on:
            raise ValueError("valid_until must not be before issued_on")
        return value


class Certification(CertificationBase, table=True):
    """A claim that a product carries a scheme; only verified, unexpired ones count for consumers."""

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", index=True, ondelete="CASCADE")
    status: CertificationStatus = enum_column(CertificationStatus, default=CertificationStatus.CLAIMED)
    status_reason: str | None = Field(default=None, max_length=500)
    verified_by: int | None = Field(default=None, foreign_key="account.id")
    verified_at: datetime | None = utc_datetime(nullable=True, default=None)
    # Decisions name the version they were made on, so two admins deciding at once cannot both win.
    version: int = 1
    created_at: datetime = utc_datetime(default_factory=utcnow)

    scheme: LabelScheme = Relationship(sa_relationship_kwargs={"lazy": "joined", "innerjoin": True})

    def is_valid_on(self, day: date) -> bool:
        """True when a consumer may be told this certification holds on `day`."""
        if self.status is not CertificationStatus.VERIFIED or self.lacks_issue_date:
            return False
        if self.issued_on is not None and day < self.issued_on:
            return False
        return self.valid_until is None or day <= self.valid_until

    @property
    def lacks_issue_date(self) -> bool:
        """Under a scheme with a validity period, no issue date means no knowable validity: it never counts."""
        scheme = self.__dict__.get("scheme")  # unit tests build bare rows without their scheme
        return self.issued_on is None and scheme is not None and bool(scheme.validity_months)

    def is_expired_on(self, day: date) -> bool:
        """True when the certificate was verified but its validity ended before `day`."""
        return self.status is CertificationStatus.VERIFIED and self.valid_until is not None and day > self.valid_until

    def standing_on(self, day: date) -> Standing:
        """How this claim stands on `day`: only VALID may be presented as holding."""
        if self.status is CertificationStatus.REJECTED:
            return Standing.REJECTED
        if self.status is CertificationStatus.REVOKED:
            return Standing.REVOKED
        if self.scheme.is_self_declared:
            return Standing.SELF_DECLARED
        if self.status is CertificationStatus.CLAIMED or self.lacks_issue_date:
            return Standing.CLAIMED
        if self.is_expired_on(day):
            return Standing.EXPIRED
        return Standing.VALID if self.is_valid_on(day) else Standing.NOT_YET_VALID


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_valid_until(issued_on: date, validity_months: int) -> date:
    """Last valid day of a certificate issued on `issued_on` (OCOP: 36 months from the decision)."""
    return add_months(issued_on, validity_months) - timedelta(days=1)


def dated_validity(scheme: LabelScheme, issued_on: date | None, valid_until: date | None) -> date | None:
    """The certificate date rule: a scheme with a validity period needs `issued_on`, and `valid_until`
    defaults to, and may not pass, issued_on + that period (a certificate never holds for ever)."""
    if not scheme.validity_months:
        return valid_until
    if issued_on is None:
        raise CatalogError(
            f"a {scheme.code} certificate is valid for {scheme.validity_months} months: issued_on is required",
            field="issued_on",
        )
    cap = default_valid_until(issued_on, scheme.validity_months)
    return cap if valid_until is None or valid_until > cap else valid_until


def valid_labels(certifications: list[Certification], on: date) -> list[Certification]:
    """The certifications a consumer may be shown as valid on `on`."""
    return [c for c in certifications if c.is_valid_on(on)]


def ocop_stars_on(certifications: list[Certification], on: date) -> int | None:
    """The highest OCOP star rank valid on `on`, if any."""
    stars = [c.ocop_stars for c in certifications if c.ocop_stars is not None and c.is_valid_on(on)]
    return max(stars) if stars else None


class CertificationDraft(CertificationBase):
    """Validated input for a certification claim."""


async def claim(
    session: AsyncSession,
    product_id: int,
    draft: CertificationDraft,
    *,
    actor_id: int | None,
    status: CertificationStatus = CertificationStatus.CLAIMED,
    allow_undated: bool = False,
) -> Certification:
    """Record a claim that a product carries a scheme; its validity follows the certificate date rule.

    `allow_undated` is for historical records (the seeds): an undated certificate under a scheme with a
    validity period is kept, but only as an unverified claim, since nobody can say until when it holds."""
    scheme = await session.get(LabelScheme, draft.scheme_code)
    if scheme is None:
        raise CatalogError(f"unknown label scheme {draft.scheme_code!r}", field="scheme_code")
    if draft.ocop_stars is not None and scheme.code != OCOP:
        raise CatalogError("ocop_stars only applies to the OCOP scheme", field="ocop_stars")
    if scheme.code == OCOP and draft.ocop_stars is None:
        raise CatalogError("an OCOP certification needs ocop_stars (3 to 5)", field="ocop_stars")
    if scheme.is_self_declared and status is CertificationStatus.VERIFIED:
        raise Conflict("a self-declared claim cannot be verified", field="status")
    if allow_undated and scheme.validity_months and draft.issued_on is None:
        valid_until, status = None, CertificationStatus.CLAIMED
    else:
        valid_until = dated_validity(scheme, draft.issued_on, draft.valid_until)
    cert = Certification.model_validate(
        draft.model_dump(), update={"product_id": product_id, "valid_until": valid_until, "status": status}
    )
    session.add(cert)
    await session.flush()
    await session.refresh(cert, ["scheme"])
    assert cert.id is not None
    audit.record(
        session,
        actor_id=actor_id,
        entity="certification",
        entity_id=cert.id,
        action="claim",
        after=audit.snapshot(cert),
    )
    outbox.record_change(session, "product", product_id, outbox.Operation.UPSERT)
    return cert


async def get(session: AsyncSession, certification_id: int) -> Certification:
    """One certification in any status, or NotFound."""
    cert = await session.get(Certification, certification_id)
    if cert is None:
        raise NotFound(f"no certification with id {certification_id}", field="certification_id")
    return cert


async def verify(
    session: AsyncSession,
    cert: Certification,
    *,
    actor_id: int | None,
    version: int | None = None,
    note: str | None = None,
    without_evidence: bool = False,
) -> Certification:
    """An admin checked the evidence: the claim now counts wherever consumers look (while its dates hold).

    A claim with no evidence is verified only when the admin says so explicitly and writes down why (`note`)."""
    if cert.scheme.is_self_declared:
        raise Conflict("a self-declared claim has no certificate to verify", field="scheme_code")
    if cert.status is not CertificationStatus.CLAIMED:
        raise Conflict(f"only a claimed certification can be verified; this one is {cert.status.value}", field="status")
    if cert.lacks_issue_date:
        raise CatalogError(
            f"a {cert.scheme_code} certificate needs its issue date before it can be verified", field="issued_on"
        )
    note = text.clean_optional(note)
    if cert.evidence_url is None and not await _has_evidence_files(session, cert):
        if not without_evidence:
            raise CatalogError(
                "this claim has no evidence: confirm that you verify it without evidence", field="without_evidence"
            )
        if note is None:
            raise CatalogError("say how you checked a claim that has no evidence", field="note")
    return await _set_status(
        session, cert, CertificationStatus.VERIFIED, reason=note, action="verify", actor_id=actor_id, version=version
    )


async def _has_evidence_files(session: AsyncSession, cert: Certification) -> bool:
    from catalog import evidence  # late: evidence files belong to certifications and import this module

    assert cert.id is not None
    return bool(await evidence.of_certification(session, cert.id))


async def reject(
    session: AsyncSession, cert: Certification, reason: str, *, actor_id: int | None, version: int | None = None
) -> Certification:
    """An admin found the claim unsupported; the reason is kept for the producer."""
    if cert.status is not CertificationStatus.CLAIMED:
        raise Conflict(f"only a claimed certification can be rejected; this one is {cert.status.value}", field="status")
    return await _set_status(
        session, cert, CertificationStatus.REJECTED, reason=reason, action="reject", actor_id=actor_id, version=version
    )


async def revoke(
    session: AsyncSession, cert: Certification, reason: str, *, actor_id: int | None, version: int | None = None
) -> Certification:
    """An admin (the province) withdraws a verification (the certificate was suspended or found false)."""
    if cert.status is not CertificationStatus.VERIFIED:
        raise Conflict(f"only a verified certification can be revoked; this one is {cert.status.value}", field="status")
    return await _set_status(
        session, cert, CertificationStatus.REVOKED, reason=reason, action="revoke", actor_id=actor_id, version=version
    )


async def _set_status(
    session: AsyncSession,
    cert: Certification,
    status: CertificationStatus,
    *,
    reason: str | None,
    action: str,
    actor_id: int | None,
    version: int | None = None,
) -> Certification:
    assert cert.id is not None
    if version is not None and version != cert.version:
        raise StaleVersion(version, cert.version)
    reason = text.clean_optional(reason)
    if status is not CertificationStatus.VERIFIED and reason is None:
        raise CatalogError(f"a reason is required to {action} a certification", field="reason")
    if reason is not None and len(reason) > REASON_MAX_LENGTH:
        raise CatalogError(f"the reason is longer than {REASON_MAX_LENGTH} characters", field="reason")
    # The guarded version bump makes the decision atomic: of two admins deciding at once, one gets StaleVersion.
    next_version = await versions.claim_next(session, Certification, cert.id, cert.version)
    before = audit.snapshot(cert)
    cert.status = status
    cert.status_reason = reason
    cert.version = next_version
    if status is CertificationStatus.VERIFIED:
        cert.verified_by, cert.verified_at = actor_id, utcnow()
    await session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        entity="certification",
        entity_id=cert.id,
        action=action,
        before=before,
        after=audit.snapshot(cert),
    )
    outbox.record_change(session, "product", cert.product_id, outbox.Operation.UPSERT)
    return cert


async def record_ocop_rating(
    session: AsyncSession, product_id: int, draft: CertificationDraft, *, actor_id: int | None
) -> Certification:
    """The province records its own OCOP rating decision: claimed and verified by the same admin in one step."""
    if draft.scheme_code != OCOP:
        raise CatalogError("an OCOP rating must use the OCOP scheme", field="scheme_code")
    cert = await claim(session, product_id, draft, actor_id=actor_id)
    return await verify(
        session, cert, actor_id=actor_id, without_evidence=True, note=draft.note or "the province's own rating decision"
    )


async def queue(
    session: AsyncSession, status: CertificationStatus, page: int, per_page: int
) -> tuple[list[Certification], int]:
    """Certifications in one status, oldest first: the admin's verification queue."""
    query = select(Certification).where(col(Certification.status) == status)
    found = await paginate(
        session, query.order_by(col(Certification.created_at), col(Certification.id)), page, per_page
    )
    return found.items, found.total
