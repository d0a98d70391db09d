from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import invites
from catalog.accounts import AccountDraft, Role
from catalog.clock import utcnow
from catalog.errors import NotFound


async def _invited(session: AsyncSession) -> str:
    draft = AccountDraft(email="moi@example.vn", role=Role.STORE, store_id=1)
    _, _, token = await invites.invite(session, draft, actor_id=None)
    return token


async def test_an_invitation_sets_the_password_once(session: AsyncSession) -> None:
    token = await _invited(session)
    account = await invites.accept(session, token, "argon2-hash")
    assert account.password_hash == "argon2-hash"
    with pytest.raises(NotFound):
        await invites.accept(session, token, "another-hash")


async def test_an_expired_invitation_is_refused(session: AsyncSession) -> None:
    token = await _invited(session)
    with pytest.raises(NotFound):
        await invites.open_invite(session, token, now=utcnow() + invites.VALID_FOR + timedelta(seconds=1))


async def test_a_reissued_invitation_stops_the_earlier_link(session: AsyncSession) -> None:
    token = await _invited(session)
    row, account = await invites.open_invite(session, token)
    _, fresh = await invites.reissue(session, account, actor_id=None)
    with pytest.raises(NotFound):
        await invites.open_invite(session, token)
    assert (await invites.open_invite(session, fresh))[1].id == account.id
    assert row.id is not None


async def test_an_unknown_token_is_refused(session: AsyncSession) -> None:
    with pytest.raises(NotFound):
        await invites.open_invite(session, "not-a-token")
