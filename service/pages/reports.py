"""The shoppers' "report a problem" form: plain HTML, no JavaScript, CSRF-checked, rate-limited, with a honeypot."""

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.config.csrf import CSRFConfig
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.middleware.base import MiddlewareProtocol
from litestar.middleware.csrf import CSRFMiddleware
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.types import ASGIApp, Receive, Scope, Send
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import products, reports, stores
from catalog.errors import CatalogError, RateLimited
from catalog.products import Product
from catalog.reports import MESSAGE_MAX_LENGTH, ReportDraft, ReportKind
from catalog.stores import Store
from service import client_addresses, errors
from service.i18n import N_
from service.pages import context
from service.settings import Settings

CSRF_COOKIE = "report_csrf"
# Bots fill every field; people never see this one (it is off-screen and skipped by keyboards and screen readers).
HONEYPOT = "leave_empty"
KINDS = {
    ReportKind.LABEL: N_("A label or certificate"),
    ReportKind.PACKAGING: N_("The packaging"),
    ReportKind.STORE: N_("The price or the shelf in a store"),
    ReportKind.OTHER: N_("Something else"),
}
FIELD_HELP = {
    "kind": N_("Choose what is wrong."),
    "message": N_("Write what is wrong, in at most 1,000 characters."),
    "contact": N_("Give a phone number or an e-mail address, or leave this empty."),
    "store_id": N_("Choose the store."),
    "certification_id": N_("Choose one of this product's labels, or none."),
    "product_id": N_("This product can no longer be reported."),
}


class ReportFormCSRF(MiddlewareProtocol):
    """Litestar's CSRF middleware keyed with the app's own secret, which is only known once the app runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._csrf: CSRFMiddleware | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the form's token against its cookie (and set the cookie on the form page)."""
        if self._csrf is None:
            settings: Settings = scope["litestar_app"].state.settings
            config = CSRFConfig(
                secret=settings.secret_key.get_secret_value(),
                cookie_name=CSRF_COOKIE,
                cookie_path="/p/",
                cookie_httponly=True,
                cookie_secure=settings.env == "production",
            )
            self._csrf = CSRFMiddleware(self.app, config)
        await self._csrf(scope, receive, send)


@dataclass(frozen=True)
class FormState:
    """What the form shows: the values sent back and the fields at fault."""

    values: dict[str, str]
    errors: dict[str, str]


async def _stores(session: AsyncSession, product: Product, preselect: str | None) -> tuple[list[Store], Store | None]:
    assert product.id is not None
    stocking = [store for _, store in await stores.listings_of_product(session, product.id)]
    chosen = next((s for s in stocking if s.slug == preselect), None)
    if preselect and chosen is None:
        try:
            chosen = await stores.get_by_slug(session, preselect)
        except CatalogError:
            chosen = None
        else:
            stocking.insert(0, chosen)
    return stocking, chosen


async def _form(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    product: Product,
    locale: str,
    today: date,
    *,
    state: FormState,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    retry_minutes: int | None = None,
) -> Template:
    stores, chosen = await _stores(session, product, request.query_params.get("store"))
    values = dict(state.values)
    if chosen is not None:
        values.setdefault("store_id", str(chosen.id))
    page = context.page(
        request,
        locale,
        "pages/report.html",
        status_code=status_code,
        product=product,
        today=today,
        stores=stores,
        certifications=product.certifications,
        kinds=KINDS,
        field_help=FIELD_HELP,
        values=values,
        errors=state.errors,
        honeypot=HONEYPOT,
        max_length=MESSAGE_MAX_LENGTH,
        retry_minutes=retry_minutes,
        expired=request.method == "GET" and request.query_params.get("expired") == "1",
        action=context.link(request, expired=None),
    )
    page.headers.update({"Cache-Control": "no-store", **(headers or {})})
    return page


@get("/p/{slug:str}/report", name="report-form", middleware=[ReportFormCSRF])
async def report_form(
    request: Request[Any, Any, Any],
    slug: FromPath[str],
    db_session: NamedDependency[AsyncSession],
    locale: NamedDependency[str],
    today: NamedDependency[date],
    store: Annotated[str | None, QueryParameter(max_length=100, description="The store, on a shelf tag")] = None,
) -> Template:
    """The form, for a product (and, from a shelf tag, its store)."""
    product = await products.get_published_by_slug(db_session, slug)
    return await _form(request, db_session, product, locale, today, state=FormState(values={}, errors={}))


def _values(form: Any) -> dict[str, str]:
    names = ("kind", "certification_id", "store_id", "message", "contact")
    return {name: str(form.get(name, ""))[: MESSAGE_MAX_LENGTH * 2] for name in names}


def _draft(product: Product, values: dict[str, str]) -> ReportDraft:
    fields: dict[str, Any] = {name: value for name, value in values.items() if value.strip()}
    if fields.get("kind") != ReportKind.LABEL:
        fields.pop("certification_id", None)  # a label chosen before switching to another kind is not meant
    return ReportDraft.model_validate({**fields, "product_id": product.id})


def expired_form(request: Request[Any, Any, Any], _exc: PermissionDeniedException) -> Redirect:
    """The form's CSRF token did not match its cookie (a stale or forged form): back to a fresh form, saying so."""
    return Redirect(f"{request.url.path}?expired=1", status_code=303)


@post(
    "/p/{slug:str}/report",
    name="report-send",
    middleware=[ReportFormCSRF],
    exception_handlers={PermissionDeniedException: expired_form},
)
async def send_report(
    request: Request[Any, Any, Any],
    slug: FromPath[str],
    db_session: NamedDependency[AsyncSession],
    locale: NamedDependency[str],
    today: NamedDependency[date],
    settings: NamedDependency[Settings],
) -> Template | Redirect:
    """File the report and thank the shopper; show the form again, marked, when something is missing."""
    product = await products.get_published_by_slug(db_session, slug)
    form = await request.form()
    thanks = Redirect(f"/p/{product.slug}/report/thanks", status_code=303)
    if str(form.get(HONEYPOT, "")).strip():
        return thanks  # a bot: it is thanked like a person, and nothing is stored
    values = _values(form)
    try:
        draft = _draft(product, values)
        await reports.file(
            db_session,
            draft,
            address_hash=client_addresses.daily_hash(request, settings.secret_key.get_secret_value()),
            lang=locale,
        )
    except ValidationError as exc:
        wrong = {str(error["loc"][0]) for error in exc.errors() if error["loc"]}
        state = FormState(values, {name: FIELD_HELP.get(name, FIELD_HELP["message"]) for name in wrong})
        return await _form(request, db_session, product, locale, today, state=state, status_code=400)
    except RateLimited as exc:
        return await _form(
            request,
            db_session,
            product,
            locale,
            today,
            state=FormState(values, {}),
            status_code=errors.status_for(exc),
            headers=errors.retry_headers(exc),
            retry_minutes=max(1, -(-exc.retry_after_s // 60)),
        )
    except CatalogError as exc:
        field = exc.field or "message"
        state = FormState(values, {field: FIELD_HELP.get(field, FIELD_HELP["message"])})
        return await _form(request, db_session, product, locale, today, state=state, status_code=400)
    return thanks


@get("/p/{slug:str}/report/thanks", name="report-thanks")
async def thanks_page(
    request: Request[Any, Any, Any],
    slug: FromPath[str],
    db_session: NamedDependency[AsyncSession],
    locale: NamedDependency[str],
) -> Template:
    """Thanks, in the shopper's language, and what happens next."""
    product = await products.get_published_by_slug(db_session, slug)
    return context.page(request, locale, "pages/report_thanks.html", product=product)
