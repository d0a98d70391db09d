import pytest
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog import accounts
from catalog.accounts import AccountDraft, Role
from catalog.audit import AuditEntry
from catalog.errors import CatalogError, Conflict


async def test_email_is_stored_lower_case_and_found_however_it_is_typed(session: AsyncSession) -> None:
    async with session.begin():
        draft = AccountDraft(email="  HTX.Tan.Hung@Example.VN ", role=Role.PRODUCER, producer_id=1)
        account = await accounts.create(session, draft, password_hash="$argon2id$x", actor_id=None)
    assert account.email == "htx.tan.hung@example.vn"
    found = await accounts.find_by_email(session, "HTX.TAN.HUNG@example.vn")
    assert found is not None and found.id == account.id


async def test_a_second_account_with_the_same_email_is_a_conflict(session: AsyncSession) -> None:
    async with session.begin():
        await accounts.create(
            session, AccountDraft(email="so@camau.gov.vn", role=Role.ADMIN), password_hash="h", actor_id=None
        )
    with pytest.raises(Conflict) as error:
        async with session.begin():
            draft = AccountDraft(email="SO@camau.gov.vn", role=Role.ADMIN)
            await accounts.create(session, draft, password_hash="h", actor_id=None)
    assert error.value.field == "email"


async def test_account_for_a_missing_store_is_refused(session: AsyncSession) -> None:
    with pytest.raises(CatalogError) as error:
        async with session.begin():
            draft = AccountDraft(email="shop@example.vn", role=Role.STORE, store_id=9999)
            await accounts.create(session, draft, password_hash="h", actor_id=None)
    assert error.value.field == "store_id"


async def test_the_audit_log_records_the_account_but_never_its_password_hash(session: AsyncSession) -> None:
    async with session.begin():
        draft = AccountDraft(email="coopmart@example.vn", role=Role.STORE, store_id=1)
        account = await accounts.create(session, draft, password_hash="$argon2id$secret", actor_id=None)
    entry = await session.scalar(
        select(AuditEntry).where(col(AuditEntry.entity) == "account", col(AuditEntry.entity_id) == account.id)
    )
    assert entry is not None and entry.after is not None
    assert entry.after["email"] == "coopmart@example.vn"
    assert "password_hash" not in entry.after


@pytest.mark.parametrize(
    ("role", "tenant"),
    [
        (Role.PRODUCER, {}),
        (Role.PRODUCER, {"producer_id": 1, "store_id": 1}),
        (Role.STORE, {"producer_id": 1}),
        (Role.ADMIN, {"store_id": 1}),
    ],
)
def test_role_and_tenant_must_agree(role: Role, tenant: dict[str, int]) -> None:
    with pytest.raises(ValidationError):
        AccountDraft(email="x@example.vn", role=role, **tenant)


def test_an_email_needs_a_domain() -> None:
    with pytest.raises(ValidationError) as error:
        AccountDraft(email="thuyluc", role=Role.ADMIN)
    assert error.value.errors()[0]["loc"] == ("email",)
