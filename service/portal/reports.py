"""Shoppers' reports in the portal: the province's queue with its decisions, and producers' answers."""

from datetime import date
from typing import Annotated, Any, Literal

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import access, reports, stores
from catalog.accounts import Account, Role
from catalog.certifications import Standing
from catalog.errors import CatalogError
from catalog.reports import Remedy, ReportPatch, ReportStatus
from catalog.stores import Store
from service import auth, errors
from service.api.ids import PathId
from service.i18n import N_
from service.pages.reports import KINDS
from service.portal import forms
from service.portal.context import render

STATUS_WORDS = {
    ReportStatus.NEW: N_("New"),
    ReportStatus.IN_REVIEW: N_("In review"),
    ReportStatus.RESOLVED: N_("Resolved"),
    ReportStatus.DISMISSED: N_("Dismissed"),
}
STANDING_WORDS = {
    Standing.VALID: N_("Valid"),
    Standing.NOT_YET_VALID: N_("Not yet valid"),
    Standing.EXPIRED: N_("Expired"),
    Standing.CLAIMED: N_("Claimed, not verified"),
    Standing.SELF_DECLARED: N_("Self-declared"),
    Standing.REJECTED: N_("Rejected"),
    Standing.REVOKED: N_("Revoked"),
}
REMEDY_WORDS = {
    Remedy.REVOKE_CERTIFICATION: N_("A certificate was revoked."),
    Remedy.WITHDRAW_PRODUCT: N_("The product was withdrawn."),
}
ADMIN = [auth.requires(Role.ADMIN)]
PRODUCER_OR_ADMIN = [auth.requires(Role.PRODUCER, Role.ADMIN)]
Show = Literal["open", "closed", "all"]


@get("/reports", guards=PRODUCER_OR_ADMIN, name="portal:reports")
async def queue(
    request: Request[Any, Any, Any],
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
    show: Annotated[Show, QueryParameter(description="open, closed or all")] = "open",
    done: Annotated[str | None, QueryParameter(max_length=20)] = None,
) -> Template:
    """Reports grouped by product, newest first, beside the product's current claims."""
    return await _page(request, db_session, account, today, show=show, notice=done)


async def _page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    account: Account,
    today: date,
    *,
    show: Show = "open",
    status_code: int = 200,
    errors: list[forms.FieldError] | None = None,
    notice: str | None = None,
) -> Template:
    admin = access.is_admin(account)
    # A producer sees its own products' reports only (an account without a producer matches none).
    groups = await reports.queue(session, which=show, producer_id=None if admin else (account.producer_id or -1))
    store_ids = {r.store_id for g in groups for r in g.reports if r.store_id is not None}
    shops: dict[int, Store] = {i: await stores.get(session, i) for i in store_ids}
    return render(
        request,
        "portal/reports.html",
        status_code=status_code,
        groups=groups,
        shops=shops,
        show=show,
        today=today,
        is_admin=admin,
        kinds=KINDS,
        statuses=STATUS_WORDS,
        standings=STANDING_WORDS,
        remedies=REMEDY_WORDS,
        revocable={g.product.id: reports.verified_claims(g.product) for g in groups},
        errors=errors or [],
        notice=notice,
    )


def _remedy(choice: str) -> tuple[Remedy | None, int | None]:
    """The remedy select: '', 'withdraw' or 'revoke:<certification id>'."""
    if choice == "withdraw":
        return Remedy.WITHDRAW_PRODUCT, None
    kind, _, cert_id = choice.partition(":")
    if kind == "revoke" and cert_id.isdigit():
        return Remedy.REVOKE_CERTIFICATION, int(cert_id)
    return None, None


@post("/reports/{report_id:int}/decide", guards=ADMIN, name="portal:decide-report")
async def decide(
    request: Request[Any, Any, Any],
    report_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
) -> Template | Redirect:
    """Review, resolve (perhaps revoking a certificate or withdrawing the product) or dismiss a report."""
    report = await reports.get(db_session, report_id)
    form = await request.form()
    remedy, cert_id = _remedy(str(form.get("remedy", "")))
    try:
        change = ReportPatch.model_validate(
            {
                "version": form.get("version"),
                "status": form.get("decision"),
                "note": forms.value(form, "note"),
                "remedy": remedy,
                "certification_id": cert_id,
            }
        )
        await reports.decide(db_session, report, change, actor=account)
    except (ValidationError, CatalogError) as exc:
        status = errors.status_for(exc) if isinstance(exc, CatalogError) else 400
        return await _page(request, db_session, account, today, status_code=status, errors=forms.errors_of(exc))
    return Redirect(f"/portal/reports?done={change.status.value if change.status else 'saved'}", status_code=303)


@post("/reports/{report_id:int}/answer", guards=PRODUCER_OR_ADMIN, name="portal:answer-report")
async def answer(
    request: Request[Any, Any, Any],
    report_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
) -> Template | Redirect:
    """The producer's answer to a report about its product."""
    report = await reports.get(db_session, report_id)
    text = str((await request.form()).get("answer", ""))
    try:
        await reports.answer(db_session, report, text, actor=account)
    except CatalogError as exc:
        return await _page(
            request, db_session, account, today, status_code=errors.status_for(exc), errors=forms.errors_of(exc)
        )
    return Redirect("/portal/reports?done=answered", status_code=303)
