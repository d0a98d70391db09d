"""Invitations: a one-time, expiring link with which a new producer or store account sets its own password.

Only the SHA-256 of the token is stored, so a copy of the database cannot be used to take over an invited account.
There is no mail server: the admin copies the link and sends it however the cooperative is reached.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from catalog import accounts, audit
from catalog.accounts import Account, AccountDraft
from catalog.clock import utcnow
from catalog.columns import utc_datetime
from catalog.errors import NotFound

VALID_FOR = timedelta(days=7)
# An account created by invitation cannot sign in until the invitee sets a password: no hash matches this.
NO_PASSWORD = "!invited"


class Invite(SQLModel, table=True):
    """A pending (or used) invitation for one account."""

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True, ondelete="CASCADE")
    token_sha256: str = Field(max_length=64, unique=True)
    expires_at: datetime = utc_datetime()
    used_at: datetime | None = utc_datetime(nullable=True, default=None)
    created_by: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = utc_datetime(default_factory=utcnow)


def _aware(moment: datetime) -> datetime:
    # Stored as UTC; a backend that hands back naive timestamps still means UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def invite(
    session: AsyncSession, draft: AccountDraft, *, actor_id: int | None, now: datetime | None = None
) -> tuple[Account, Invite, str]:
    """Create an account without a password and an invitation for it; the token is returned once, never stored."""
    account = await accounts.create(session, draft, password_hash=NO_PASSWORD, actor_id=actor_id)
    row, token = await reissue(session, account, actor_id=actor_id, now=now)
    return account, row, token


async def reissue(
    session: AsyncSession, account: Account, *, actor_id: int | None, now: datetime | None = None
) -> tuple[Invite, str]:
    """A fresh invitation for an existing account (the old link was lost or expired); earlier links stop working."""
    now = now or utcnow()
    for old in await session.scalars(
        select(Invite).where(col(Invite.account_id) == account.id, col(Invite.used_at).is_(None))
    ):
        old.expires_at = min(_aware(old.expires_at), now)
    token = secrets.token_urlsafe(32)
    row = Invite(
        account_id=account.id or 0, token_sha256=_digest(token), expires_at=now + VALID_FOR, created_by=actor_id
    )
    session.add(row)
    await session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        entity="account",
        entity_id=account.id,
        action="invite",
        after={"invite_id": row.id, "expires_at": row.expires_at.isoformat()},
    )
    return row, token


async def open_invite(session: AsyncSession, token: str, *, now: datetime | None = None) -> tuple[Invite, Account]:
    """The unused, unexpired invitation a token names, with its account; NotFound otherwise (no reason given)."""
    now = now or utcnow()
    row = await session.scalar(select(Invite).where(col(Invite.token_sha256) == _digest(token)))
    account = await session.get(Account, row.account_id) if row is not None else None
    if row is None or account is None or row.used_at is not None or _aware(row.expires_at) <= now or not account.active:
        raise NotFound("this invitation link is unknown, used or expired; ask for a new one", field="token")
    return row, account


async def accept(session: AsyncSession, token: str, password_hash: str, *, now: datetime | None = None) -> Account:
    """Set the invited account's password and use the invitation up."""
    now = now or utcnow()
    row, account = await open_invite(session, token, now=now)
    row.used_at = now
    accounts.set_password_hash(account, password_hash)
    await session.flush()
    audit.record(session, actor_id=account.id, entity="account", entity_id=account.id, action="set_password")
    return account
