"""Accounts of the people who change the catalog; password hashing lives in the service."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import field_validator, model_validator
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from catalog import audit, text
from catalog.clock import utcnow
from catalog.columns import enum_column, id_field, utc_datetime
from catalog.errors import CatalogError, Conflict, NotFound
from catalog.pagination import paginate
from catalog.producers import Producer
from catalog.stores import Store


class Role(StrEnum):
    """What an account acts as."""

    ADMIN = "admin"  # the provincial department
    PRODUCER = "producer"
    STORE = "store"


class Account(SQLModel, table=True):
    """A login, acting for one producer, one store, or the province."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    password_hash: str = Field(max_length=300)
    role: Role = enum_column(Role)
    producer_id: int | None = Field(default=None, foreign_key="producer.id", index=True)
    store_id: int | None = Field(default=None, foreign_key="store.id", index=True)
    active: bool = True
    # Every token names the version it was issued under; raising it revokes them all (logout, new password…).
    token_version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    created_at: datetime = utc_datetime(default_factory=utcnow)


class AccountDraft(SQLModel):
    """Validated input for a new account: the e-mail is its login, the role decides which tenant it acts for."""

    email: str = Field(min_length=3, max_length=254)
    role: Role
    producer_id: int | None = id_field(default=None)
    store_id: int | None = id_field(default=None)

    @field_validator("email", mode="before")
    @classmethod
    def _normalise_email(cls, value: object) -> object:
        # Logins are matched case-insensitively, so the stored form is the lower-cased one.
        return text.clean(value).lower() if isinstance(value, str) else value

    @field_validator("email")
    @classmethod
    def _looks_like_email(cls, value: str) -> str:
        local, _, domain = value.partition("@")
        if not local or "." not in domain or " " in value:
            raise ValueError("email must look like name@example.vn")
        return value

    @model_validator(mode="after")
    def _tenant_matches_role(self) -> "AccountDraft":
        if self.role is Role.PRODUCER and (self.producer_id is None or self.store_id is not None):
            raise ValueError("a producer account needs producer_id and no store_id")
        if self.role is Role.STORE and (self.store_id is None or self.producer_id is not None):
            raise ValueError("a store account needs store_id and no producer_id")
        if self.role is Role.ADMIN and (self.producer_id is not None or self.store_id is not None):
            raise ValueError("an admin account acts for the province, not for a producer or store")
        return self


def public_snapshot(account: Account) -> dict[str, Any]:
    """An account's audit snapshot; the password hash never enters the log."""
    return account.model_dump(mode="json", exclude={"password_hash", "token_version"})


async def create(session: AsyncSession, draft: AccountDraft, *, password_hash: str, actor_id: int | None) -> Account:
    """Add an account for an existing producer or store; a taken e-mail is a Conflict."""
    if await find_by_email(session, draft.email) is not None:
        raise Conflict(f"an account with e-mail {draft.email} already exists", field="email")
    if draft.producer_id is not None and await session.get(Producer, draft.producer_id) is None:
        raise CatalogError(f"no producer with id {draft.producer_id}", field="producer_id")
    if draft.store_id is not None and await session.get(Store, draft.store_id) is None:
        raise CatalogError(f"no store with id {draft.store_id}", field="store_id")
    account = Account.model_validate(draft.model_dump(), update={"password_hash": password_hash})
    session.add(account)
    await session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        entity="account",
        entity_id=account.id,
        action="create",
        after=public_snapshot(account),
    )
    return account


async def find_by_email(session: AsyncSession, email: str) -> Account | None:
    """The account logging in with `email`, matched the way it was stored (trimmed, lower case)."""
    return await session.scalar(select(Account).where(col(Account.email) == text.clean(email).lower()))


async def get(session: AsyncSession, account_id: int) -> Account | None:
    """An active account by id, or None (a token for a deactivated account no longer works)."""
    account = await session.get(Account, account_id)
    return account if account is not None and account.active else None


def set_password_hash(account: Account, password_hash: str) -> None:
    """Store a re-computed hash (after the hashing parameters were raised); not audited, it changes nothing visible."""
    account.password_hash = password_hash


def revoke_tokens(account: Account) -> None:
    """Make every token issued so far for this account invalid (signing out ends every session)."""
    account.token_version += 1


async def change_password(session: AsyncSession, account: Account, password_hash: str) -> None:
    """Store a new password hash and revoke every token issued under the old password; audited without the hash."""
    account.password_hash = password_hash
    revoke_tokens(account)
    await session.flush()
    audit.record(session, actor_id=account.id, entity="account", entity_id=account.id, action="change_password")


async def set_active(session: AsyncSession, account: Account, active: bool, *, actor: Account) -> Account:
    """Deactivate (revoking its tokens) or reactivate an account; nobody deactivates their own."""
    if account.id == actor.id and not active:
        raise CatalogError("you cannot deactivate your own account", field="account_id")
    before = public_snapshot(account)
    if account.active != active:
        account.active = active
        revoke_tokens(account)
        await session.flush()
        audit.record(
            session,
            actor_id=actor.id,
            entity="account",
            entity_id=account.id,
            action="reactivate" if active else "deactivate",
            before=before,
            after=public_snapshot(account),
        )
    return account


async def get_any(session: AsyncSession, account_id: int) -> Account:
    """An account by id, active or not, or NotFound (for the admins who manage accounts)."""
    account = await session.get(Account, account_id)
    if account is None:
        raise NotFound(f"no account with id {account_id}", field="account_id")
    return account


async def list_all(session: AsyncSession, page: int, per_page: int) -> tuple[list[Account], int]:
    """Every account by e-mail, one page of them, and how many there are."""
    found = await paginate(session, select(Account).order_by(col(Account.email)), page, per_page)
    return found.items, found.total


async def emails(session: AsyncSession, account_ids: set[int]) -> dict[int, str]:
    """The e-mail of each account id, so the audit log names people rather than numbers."""
    if not account_ids:
        return {}
    rows = await session.execute(select(Account.id, Account.email).where(col(Account.id).in_(account_ids)))
    return {account_id: email for account_id, email in rows.tuples() if account_id is not None}
