"""Shoppers' reports: anyone files one; the province reads the queue and decides."""

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import reports
from catalog.accounts import Account, Role
from catalog.pagination import Paginated
from catalog.reports import Remedy, Report, ReportDraft, ReportKind, ReportPatch, ReportStatus
from service import auth, client_addresses, i18n
from service.api import openapi
from service.api.ids import PathId
from service.pagination import PageNumber, PerPage
from service.settings import Settings


class ReportReceipt(BaseModel):
    """What the filer gets back: the report's number and where it stands (never the contact)."""

    id: int
    product_id: int
    kind: ReportKind
    certification_id: int | None
    store_id: int | None
    status: ReportStatus
    created_at: datetime

    @classmethod
    def of(cls, report: Report) -> "ReportReceipt":
        """Shape a freshly filed report."""
        return cls.model_validate(report, from_attributes=True)


class ReportOut(ReportReceipt):
    """A report as the province sees it, with the filer's contact when one was given."""

    message: str
    contact: str | None
    lang: str
    note: str | None
    remedy: Remedy | None
    producer_answer: str | None
    answered_at: datetime | None
    closed_at: datetime | None
    closed_by: int | None
    version: int

    @classmethod
    def of(cls, report: Report) -> "ReportOut":
        """Shape a report for an admin."""
        return cls.model_validate(report, from_attributes=True)


class ReportController(Controller):
    """POST is anonymous and rate-limited; reading and deciding are the province's."""

    path = "/reports"
    tags = ["reports"]

    @post(
        "/",
        operation_id="fileReport",
        status_code=HTTP_201_CREATED,
        responses={404: openapi.NOT_FOUND, 429: openapi.TOO_MANY_REPORTS},
    )
    async def file_report(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[ReportDraft],
        db_session: NamedDependency[AsyncSession],
        settings: NamedDependency[Settings],
    ) -> ReportReceipt:
        """Report what is wrong with a published product; 429 with Retry-After past the per-address or overall limit."""
        report = await reports.file(
            db_session,
            data,
            address_hash=client_addresses.daily_hash(request, settings.secret_key.get_secret_value()),
            lang=i18n.request_locale(request),
        )
        return ReportReceipt.of(report)

    @get("/", operation_id="listReports", guards=[auth.requires(Role.ADMIN)], security=auth.SECURITY)
    async def list_reports(
        self,
        db_session: NamedDependency[AsyncSession],
        page: PageNumber = 1,
        per_page: PerPage = 20,
        status: Annotated[ReportStatus | None, QueryParameter(description="Only reports in this status.")] = None,
        product_id: Annotated[int | None, QueryParameter(ge=1, le=2**31 - 1)] = None,
    ) -> Paginated[ReportOut]:
        """Reports, newest first, narrowed by status or product."""
        found, total = await reports.listing(
            db_session, status=status, product_id=product_id, page=page, per_page=per_page
        )
        return Paginated(items=[ReportOut.of(r) for r in found], total=total, page=page, per_page=per_page)

    @patch("/{report_id:int}", operation_id="decideReport", guards=[auth.requires(Role.ADMIN)], security=auth.SECURITY)
    async def decide(
        self,
        report_id: PathId,
        data: JSONBody[ReportPatch],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
    ) -> ReportOut:
        """Move a report on (new → in_review → resolved or dismissed, with a note); `remedy` revokes or withdraws."""
        report = await reports.get(db_session, report_id)
        return ReportOut.of(await reports.decide(db_session, report, data, actor=account))
