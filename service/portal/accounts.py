"""Accounts in the portal: everyone changes their own password; the province switches accounts off and on."""

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import accounts
from catalog.accounts import Account, Role
from catalog.errors import CatalogError
from service import auth
from service.api.ids import PathId
from service.portal.context import render

ADMIN = [auth.requires(Role.ADMIN)]
ACCOUNTS_PAGE = 500
# Problems the password form can have, each shown in the page's language next to its field.
WRONG_CURRENT, TOO_SHORT, MISMATCH = "wrong_current", "too_short", "mismatch"


@get("/account", guards=[auth.requires(*Role)], name="portal:account")
async def account_page(request: Request[Any, Any, Any]) -> Template:
    """The signed-in account, and the form to change its password."""
    return render(request, "portal/account.html", notice=request.query_params.get("done"), problem=None)


@post("/account/password", guards=[auth.requires(*Role)], name="portal:change-password")
async def change_password(
    request: Request[Any, Any, Any],
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    tokens: NamedDependency[auth.TokenIssuer],
) -> Template | Redirect:
    """Change one's own password: other sessions end, this one continues with a new cookie."""
    form = await request.form()
    current, new = str(form.get("current_password", ""))[:1024], str(form.get("new_password", ""))[:1024]
    problem = None
    if len(new) < auth.MIN_PASSWORD_LENGTH:
        problem = TOO_SHORT
    elif new != str(form.get("confirm_password", ""))[:1024]:
        problem = MISMATCH
    else:
        try:
            await auth.change_password(db_session, account, current, new)
        except CatalogError:
            problem = WRONG_CURRENT
    if problem:
        return render(request, "portal/account.html", status_code=400, problem=problem, notice=None)
    return Redirect("/portal/account?done=password", status_code=303, cookies=[tokens.session_cookie(account)])


@get("/accounts", guards=ADMIN, name="portal:accounts")
async def list_accounts(request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Template:
    """Every account, with a switch to deactivate or reactivate it."""
    found, total = await accounts.list_all(db_session, 1, ACCOUNTS_PAGE)
    return render(request, "portal/accounts.html", accounts=found, total=total, notice=request.query_params.get("done"))


@post("/accounts/{account_id:int}/deactivate", guards=ADMIN, name="portal:deactivate-account")
async def deactivate(
    account_id: PathId, account: NamedDependency[Account], db_session: NamedDependency[AsyncSession]
) -> Redirect:
    """Switch an account off: it can no longer sign in, and its sessions end now."""
    await accounts.set_active(db_session, await accounts.get_any(db_session, account_id), False, actor=account)
    return Redirect("/portal/accounts?done=deactivated", status_code=303)


@post("/accounts/{account_id:int}/reactivate", guards=ADMIN, name="portal:reactivate-account")
async def reactivate(
    account_id: PathId, account: NamedDependency[Account], db_session: NamedDependency[AsyncSession]
) -> Redirect:
    """Switch an account back on; it signs in again with its password."""
    await accounts.set_active(db_session, await accounts.get_any(db_session, account_id), True, actor=account)
    return Redirect("/portal/accounts?done=reactivated", status_code=303)
