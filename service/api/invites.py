"""Invitations (admins): an account for a producer or store, and the one-time link that sets its password."""

from datetime import datetime

from litestar import post
from litestar.di import NamedDependency
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import invites
from catalog.accounts import Account, AccountDraft, Role
from catalog.errors import NotFound
from catalog.invites import Invite
from service import auth
from service.api.ids import PathId
from service.settings import Settings

ADMIN = [auth.requires(Role.ADMIN)]


class InviteOut(BaseModel):
    """The invited account and the link to send it (shown once: only its hash is stored)."""

    account_id: int
    email: str
    role: Role
    producer_id: int | None
    store_id: int | None
    url: str
    expires_at: datetime

    @classmethod
    def of(cls, account: Account, invite: Invite, token: str, base_url: str) -> "InviteOut":
        """Shape an invitation with its absolute link."""
        return cls(
            account_id=account.id or 0,
            email=account.email,
            role=account.role,
            producer_id=account.producer_id,
            store_id=account.store_id,
            url=link(base_url, token),
            expires_at=invite.expires_at,
        )


def link(base_url: str, token: str) -> str:
    """The set-password page an invitation opens."""
    return f"{base_url}/portal/invite/{token}"


@post("/invites", operation_id="createInvite", tags=["accounts"], guards=ADMIN, security=auth.SECURITY,
      status_code=HTTP_201_CREATED)  # fmt: skip
async def create_invite(
    data: JSONBody[AccountDraft],
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
) -> InviteOut:
    """Create an account for a producer or store and a link, valid 7 days and once, with which it sets its password."""
    invited, invite, token = await invites.invite(db_session, data, actor_id=account.id)
    return InviteOut.of(invited, invite, token, settings.public_base_url)


@post("/accounts/{account_id:int}/invite", operation_id="reissueInvite", tags=["accounts"], guards=ADMIN,
      security=auth.SECURITY, status_code=HTTP_201_CREATED)  # fmt: skip
async def reissue_invite(
    account_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
) -> InviteOut:
    """A new link for an account (the first was lost or expired); earlier links stop working."""
    invited = await db_session.get(Account, account_id)
    if invited is None:
        raise NotFound(f"no account with id {account_id}", field="account_id")
    invite, token = await invites.reissue(db_session, invited, actor_id=account.id)
    return InviteOut.of(invited, invite, token, settings.public_base_url)
