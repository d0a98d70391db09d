"""The province's dashboard: the plan's indicators with charts, the lists behind them, and the events register."""

from datetime import date
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import indicators, plans
from catalog.accounts import Account, Role
from catalog.errors import CatalogError
from catalog.plans import EventDraft
from service import auth, i18n
from service.pages import stats
from service.portal import forms
from service.portal.context import render

ADMIN = [auth.requires(Role.ADMIN)]
EVENT_FIELDS = ("held_on", "title", "organiser", "audience", "attendees")


@get("/province", guards=ADMIN, name="portal:province")
async def dashboard(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
    on: Annotated[date | None, QueryParameter(description="The day to compute on.")] = None,
) -> Template:
    """Indicators against the plan, charts, expiring certificates to act on, stores and events; export links."""
    return await _page(request, db_session, on or today, notice=request.query_params.get("done"))


@post("/province/events", guards=ADMIN, name="portal:add-event")
async def add_event(
    request: Request[Any, Any, Any],
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
) -> Template | Redirect:
    """Register an awareness event held."""
    form = await request.form()
    try:
        await plans.record_event(
            db_session, EventDraft.model_validate(forms.fields(form, EVENT_FIELDS)), actor_id=account.id
        )
    except (ValidationError, CatalogError) as exc:
        return await _page(request, db_session, today, status_code=400, errors=forms.errors_of(exc))
    return Redirect("/portal/province?done=event", status_code=303)


async def _page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    on: date,
    *,
    status_code: int = 200,
    errors: list[forms.FieldError] | None = None,
    notice: str | None = None,
) -> Template:
    locale = i18n.request_locale(request)
    report = await indicators.plan_report(session, on)
    return render(
        request,
        "portal/province.html",
        status_code=status_code,
        report=report,
        rows=stats.rows(report, locale),
        charts=stats.chart_set(report, locale),
        errors=errors or [],
        notice=notice,
    )
