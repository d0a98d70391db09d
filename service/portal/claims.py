"""The province's queue in the portal: claims waiting for a decision, with their evidence."""

from datetime import date
from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import certifications, evidence, products
from catalog.accounts import Account, Role
from catalog.certifications import CertificationStatus
from catalog.errors import CatalogError
from service import auth
from service.api.evidence import file_path
from service.api.ids import PathId
from service.errors import status_for
from service.portal import forms
from service.portal.context import render

ADMIN = [auth.requires(Role.ADMIN)]
QUEUE_PAGE = 100


@get("/claims", guards=ADMIN, name="portal:claims")
async def queue(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession], today: NamedDependency[date]
) -> Template:
    """Open claims, oldest first, each with its product, certificate and evidence link."""
    return await _page(request, db_session, today, notice=request.query_params.get("done"))


@post("/claims/{certification_id:int}/verify", guards=ADMIN, name="portal:verify")
async def verify(
    request: Request[Any, Any, Any],
    certification_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
) -> Template | Redirect:
    """Accept a claim: it shows as valid wherever consumers look."""
    cert = await certifications.get(db_session, certification_id)
    form = await request.form()
    version = str(form.get("version", ""))
    try:
        await certifications.verify(
            db_session,
            cert,
            actor_id=account.id,
            version=int(version) if version.isdigit() else None,
            note=forms.value(form, "note"),
            without_evidence="without_evidence" in form,
        )
    except CatalogError as exc:
        return await _page(request, db_session, today, status_code=status_for(exc), errors=forms.errors_of(exc))
    return Redirect("/portal/claims?done=verified", status_code=303)


@post("/claims/{certification_id:int}/reject", guards=ADMIN, name="portal:reject")
async def reject(
    request: Request[Any, Any, Any],
    certification_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
) -> Template | Redirect:
    """Refuse a claim with the reason the producer will read."""
    cert = await certifications.get(db_session, certification_id)
    form = await request.form()
    version = str(form.get("version", ""))
    try:
        await certifications.reject(
            db_session,
            cert,
            str(form.get("reason", "")),
            actor_id=account.id,
            version=int(version) if version.isdigit() else None,
        )
    except CatalogError as exc:
        return await _page(request, db_session, today, status_code=status_for(exc), errors=forms.errors_of(exc))
    return Redirect("/portal/claims?done=rejected", status_code=303)


async def _page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    today: date,
    *,
    status_code: int = 200,
    errors: list[forms.FieldError] | None = None,
    notice: str | None = None,
) -> Template:
    found, total = await certifications.queue(session, CertificationStatus.CLAIMED, 1, QUEUE_PAGE)
    claims = [(cert, await products.get(session, cert.product_id)) for cert in found]
    files = await evidence.of_certifications(session, [cert.id for cert in found if cert.id is not None])
    return render(
        request,
        "portal/claims.html",
        status_code=status_code,
        claims=claims,
        files=files,
        evidence_url=file_path,
        total=total,
        today=today,
        errors=errors or [],
        notice=notice,
    )
