"""Signing in and out of the portal; the session is a cookie carrying the same JWT the API accepts."""

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import accounts
from catalog.accounts import Account, Role
from service import auth
from service.portal.context import render

HOME = "/portal"


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a portal path only, never another site."""
    if target and target.startswith(f"{HOME}/") and not target.startswith("//") and "\\" not in target:
        return target
    return HOME


@get("/login", name="portal:login")
async def login_page(
    request: Request[Any, Any, Any], next_: Annotated[str | None, QueryParameter(name="next", max_length=300)] = None
) -> Template:
    """The sign-in form."""
    return render(request, "portal/login.html", next=safe_next(next_), email="")


@post("/login", name="portal:sign-in")
async def sign_in(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    tokens: NamedDependency[auth.TokenIssuer],
    login_throttle: NamedDependency[auth.LoginThrottle],
) -> Redirect | Template:
    """Check the credentials; on success the session cookie is set and the account lands on its page."""
    form = await request.form()
    email, password = str(form.get("email", ""))[:254], str(form.get("password", ""))[:1024]
    address = auth.client_address(request)
    login_throttle.check(address, email)
    account = await auth.authenticate(db_session, email, password)
    target = safe_next(str(form.get("next", "")))
    if account is None:
        login_throttle.failed(address, email)
        return render(request, "portal/login.html", status_code=401, next=target, email=email, failed=True)
    return Redirect(target, status_code=303, cookies=[tokens.session_cookie(account)])


@post("/logout", name="portal:logout")
async def sign_out(request: Request[Any, Any, Any]) -> Redirect:
    """Forget the session cookie and revoke the token it carried (and every other token of the account)."""
    account: Account | None = request.user
    if account is not None:
        accounts.revoke_tokens(account)
    response = Redirect(f"{HOME}/login", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response


@get("/", guards=[auth.requires(*Role)], name="portal:home")
async def home(account: NamedDependency[Account]) -> Redirect:
    """Each role starts where its work is: products, the store's shelves, or the claims queue."""
    if account.role is Role.STORE:
        return Redirect(f"{HOME}/stores/{account.store_id}", status_code=303)
    if account.role is Role.ADMIN:
        return Redirect(f"{HOME}/claims", status_code=303)
    return Redirect(f"{HOME}/products", status_code=303)
