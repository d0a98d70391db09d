"""Accounts, for the province: who can sign in, and switching an account off (and on again)."""

from datetime import datetime

from litestar import Controller, get, post
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import accounts
from catalog.accounts import Account, Role
from catalog.pagination import Paginated
from service import auth
from service.api.ids import PathId
from service.api.shapes import AccountOut
from service.pagination import PageNumber, PerPage


class AccountListItem(AccountOut):
    """An account as admins see it: whether it may sign in, and since when it exists."""

    active: bool
    created_at: datetime

    @classmethod
    def of(cls, account: Account) -> "AccountListItem":
        """Shape an account; never its password hash."""
        return cls.model_validate(account, from_attributes=True)


class AccountController(Controller):
    """Admins list accounts and deactivate or reactivate them; deactivation revokes every token at once."""

    path = "/accounts"
    tags = ["accounts"]
    guards = [auth.requires(Role.ADMIN)]
    security = auth.SECURITY

    @get("/", operation_id="listAccounts")
    async def list_accounts(
        self, db_session: NamedDependency[AsyncSession], page: PageNumber = 1, per_page: PerPage = 50
    ) -> Paginated[AccountListItem]:
        """Every account by e-mail, active or not."""
        found, total = await accounts.list_all(db_session, page, per_page)
        return Paginated(items=[AccountListItem.of(a) for a in found], total=total, page=page, per_page=per_page)

    @post("/{account_id:int}/deactivate", operation_id="deactivateAccount", status_code=200)
    async def deactivate(
        self, account_id: PathId, account: NamedDependency[Account], db_session: NamedDependency[AsyncSession]
    ) -> AccountListItem:
        """Stop an account from signing in; its tokens stop working at once. Your own cannot be deactivated."""
        target = await accounts.get_any(db_session, account_id)
        return AccountListItem.of(await accounts.set_active(db_session, target, False, actor=account))

    @post("/{account_id:int}/reactivate", operation_id="reactivateAccount", status_code=200)
    async def reactivate(
        self, account_id: PathId, account: NamedDependency[Account], db_session: NamedDependency[AsyncSession]
    ) -> AccountListItem:
        """Let an account sign in again (with a new sign-in; tokens from before stay revoked)."""
        target = await accounts.get_any(db_session, account_id)
        return AccountListItem.of(await accounts.set_active(db_session, target, True, actor=account))
