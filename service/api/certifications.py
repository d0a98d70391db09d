"""The province's verification queue: verify, reject or revoke certification claims."""

from datetime import date
from typing import Annotated

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import certifications
from catalog.accounts import Account, Role
from catalog.certifications import REASON_MAX_LENGTH, CertificationStatus
from catalog.columns import MAX_ID
from catalog.pagination import Paginated
from service import auth
from service.api.ids import PathId
from service.api.shapes import ClaimOut
from service.pagination import PageNumber, PerPage


class Reason(BaseModel):
    """Why a claim is refused or a verification withdrawn; the producer reads it."""

    reason: str = Field(min_length=1, max_length=REASON_MAX_LENGTH)
    version: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="The claim's version the decision was made on"
    )


class Verification(BaseModel):
    """An admin's verification; a claim without evidence needs `without_evidence: true` and a `note`."""

    version: int | None = Field(
        default=None, ge=1, le=MAX_ID, description="The claim's version the decision was made on"
    )
    note: str | None = Field(default=None, max_length=REASON_MAX_LENGTH, description="How the claim was checked")
    without_evidence: bool = False


class CertificationController(Controller):
    """Admins only: the queue of claims and the decisions on them."""

    path = "/certifications"
    tags = ["certifications"]
    guards = [auth.requires(Role.ADMIN)]
    security = auth.SECURITY

    @get("/", operation_id="listCertifications")
    async def list_certifications(
        self,
        db_session: NamedDependency[AsyncSession],
        today: NamedDependency[date],
        status: Annotated[CertificationStatus, QueryParameter(description="Defaults to the open claims.")] = (
            CertificationStatus.CLAIMED
        ),
        page: PageNumber = 1,
        per_page: PerPage = 20,
    ) -> Paginated[ClaimOut]:
        """Certifications in one status, oldest first: by default the claims waiting for a decision."""
        found, total = await certifications.queue(db_session, status, page, per_page)
        return Paginated(items=[ClaimOut.of(c, today) for c in found], total=total, page=page, per_page=per_page)

    @post("/{certification_id:int}/verify", operation_id="verifyCertification", status_code=HTTP_200_OK)
    async def verify(
        self,
        certification_id: PathId,
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
        today: NamedDependency[date],
        data: JSONBody[Verification | None] = None,
    ) -> ClaimOut:
        """Accept a claim after checking its evidence; self-declared claims cannot be verified (409), a stale
        `version` answers 409, and a claim without evidence needs `without_evidence` and a `note` (400)."""
        cert = await certifications.get(db_session, certification_id)
        decision = data or Verification()
        verified = await certifications.verify(
            db_session,
            cert,
            actor_id=account.id,
            version=decision.version,
            note=decision.note,
            without_evidence=decision.without_evidence,
        )
        return ClaimOut.of(verified, today)

    @post("/{certification_id:int}/reject", operation_id="rejectCertification", status_code=HTTP_200_OK)
    async def reject(
        self,
        certification_id: PathId,
        data: JSONBody[Reason],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
        today: NamedDependency[date],
    ) -> ClaimOut:
        """Refuse a claim, saying why."""
        cert = await certifications.get(db_session, certification_id)
        return ClaimOut.of(
            await certifications.reject(db_session, cert, data.reason, actor_id=account.id, version=data.version), today
        )

    @post("/{certification_id:int}/revoke", operation_id="revokeCertification", status_code=HTTP_200_OK)
    async def revoke(
        self,
        certification_id: PathId,
        data: JSONBody[Reason],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
        today: NamedDependency[date],
    ) -> ClaimOut:
        """Withdraw a verification (a suspended or false certificate), saying why."""
        cert = await certifications.get(db_session, certification_id)
        return ClaimOut.of(
            await certifications.revoke(db_session, cert, data.reason, actor_id=account.id, version=data.version), today
        )
