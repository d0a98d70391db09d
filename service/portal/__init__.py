"""The web portal for producers, stores and the province: server-rendered forms, no build step.

Forms are CSRF-protected by Litestar's CSRF middleware on this router only (the JSON API under /api uses bearer
tokens, which browsers never attach on their own). Errors become pages, not JSON, and an expired or missing
session sends the visitor to the sign-in form.
"""

from typing import Any
from urllib.parse import quote

from litestar import Request, Response, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException, TooManyRequestsException
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.response import Redirect

from catalog.errors import CatalogError
from service import auth, errors
from service.portal import accounts, claims, onboarding, products, province, reports, session, stores
from service.portal.context import render
from service.settings import Settings

CSRF_COOKIE = "portal_csrf"


def router(settings: Settings) -> Router:
    """Everything under /portal, with CSRF checks on every form post."""
    csrf = CSRFConfig(
        secret=settings.secret_key.get_secret_value(),
        cookie_name=CSRF_COOKIE,
        cookie_path=auth.PORTAL_PATH,
        cookie_httponly=True,
        cookie_secure=settings.https,
    )
    return Router(
        path=auth.PORTAL_PATH,
        route_handlers=[
            session.login_page,
            session.sign_in,
            session.sign_out,
            session.home,
            products.list_products,
            products.new_product,
            products.create_product,
            products.edit_product,
            products.save_product,
            products.claim,
            stores.show_store,
            stores.save_store,
            stores.save_store_record,
            stores.add_listing,
            stores.save_listing,
            stores.print_tags,
            stores.invite_store,
            onboarding.list_producers,
            onboarding.create_producer,
            onboarding.show_producer,
            onboarding.save_producer,
            onboarding.invite_producer,
            onboarding.confirm_prefixes,
            onboarding.list_stores,
            onboarding.create_store,
            onboarding.invite_page,
            onboarding.accept_invite,
            claims.queue,
            claims.verify,
            claims.reject,
            province.dashboard,
            province.add_event,
            reports.queue,
            reports.decide,
            reports.answer,
            accounts.account_page,
            accounts.change_password,
            accounts.list_accounts,
            accounts.deactivate,
            accounts.reactivate,
        ],
        middleware=[DefineMiddleware(CSRFMiddleware, config=csrf)],
        exception_handlers={
            NotAuthorizedException: to_sign_in,
            TooManyRequestsException: too_many_attempts,
            PermissionDeniedException: forbidden,
            CatalogError: catalog_error_page,
        },
        cache_control=CacheControlHeader(no_store=True),
        include_in_schema=False,
    )


def to_sign_in(request: Request[Any, Any, Any], _exc: NotAuthorizedException) -> Response[Any]:
    """No (or an expired) session: sign in, then come back here."""
    back = request.url.path if request.method == "GET" else session.HOME
    return Redirect(f"{auth.PORTAL_PATH}/login?next={quote(back)}", status_code=303)


def too_many_attempts(request: Request[Any, Any, Any], exc: TooManyRequestsException) -> Response[Any]:
    """The sign-in form again, saying to wait; Retry-After says how long."""
    page = render(request, "portal/login.html", status_code=429, next=session.HOME, email="", throttled=True)
    page.headers.update(exc.headers or {})
    return page


def forbidden(request: Request[Any, Any, Any], _exc: PermissionDeniedException) -> Response[Any]:
    """A refused form (its CSRF token failed) or a page for another role."""
    return render(request, "portal/error.html", status_code=403)


def catalog_error_page(request: Request[Any, Any, Any], exc: CatalogError) -> Response[Any]:
    """Not found, not yours, or a rule broken outside a form that could show it."""
    return render(request, "portal/error.html", status_code=errors.status_for(exc), detail=str(exc))
