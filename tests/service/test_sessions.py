"""Tokens end when they should: sign-out, a new password, deactivation; sign-in limits count failures only."""

import pytest
from litestar import Litestar
from litestar.exceptions import TooManyRequestsException
from litestar.testing import AsyncTestClient

from service import auth
from service.cli import serve
from tests.conftest import NO_MEILI, make_settings
from tests.plugins.accounts import PASSWORD, Cast, sign_in
from tests.service.test_portal import _csrf, _portal_sign_in

Client = AsyncTestClient[Litestar]
NEW_PASSWORD = "một mật khẩu mới 2027"


async def _me(client: Client, headers: dict[str, str]) -> int:
    return (await client.get("/api/v1/auth/me", headers=headers)).status_code


async def test_signing_out_of_the_api_revokes_every_token_of_the_account(client: Client, cast: Cast) -> None:
    first, second = await sign_in(client, cast.producer_a), await sign_in(client, cast.producer_a)
    assert (await client.post("/api/v1/auth/logout", headers=first)).status_code == 204
    assert await _me(client, first) == 401
    assert await _me(client, second) == 401
    assert await _me(client, await sign_in(client, cast.producer_a)) == 200


async def test_signing_out_of_the_portal_revokes_the_sessions_token(client: Client, cast: Cast) -> None:
    page = await _portal_sign_in(client, cast.producer_a)
    token = client.cookies[auth.SESSION_COOKIE]
    out = await client.post("/portal/logout", data={"_csrf_token": _csrf(page)})
    assert out.status_code in (200, 303)
    assert await _me(client, {"Authorization": f"Bearer {token}"}) == 401


async def test_changing_the_password_revokes_old_tokens_and_the_new_password_signs_in(
    client: Client, cast: Cast
) -> None:
    old = await sign_in(client, cast.store)
    changed = await client.post(
        "/api/v1/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}, headers=old
    )
    assert changed.status_code == 200, changed.text
    assert await _me(client, old) == 401
    assert await _me(client, {"Authorization": f"Bearer {changed.json()['access_token']}"}) == 200
    refused = await client.post("/api/v1/auth/token", json={"email": cast.store, "password": PASSWORD})
    assert refused.status_code == 401
    assert await _me(client, await sign_in(client, cast.store, NEW_PASSWORD)) == 200


async def test_a_wrong_current_or_short_new_password_is_refused_naming_the_field(client: Client, cast: Cast) -> None:
    headers = await sign_in(client, cast.store)
    wrong = await client.post(
        "/api/v1/auth/password", json={"current_password": "not it", "new_password": NEW_PASSWORD}, headers=headers
    )
    assert wrong.status_code == 400 and wrong.json()["extra"][0]["key"] == "current_password"
    short = await client.post(
        "/api/v1/auth/password", json={"current_password": PASSWORD, "new_password": "short"}, headers=headers
    )
    assert short.status_code == 400 and short.json()["extra"][0]["key"] == "new_password"
    assert await _me(client, headers) == 200


async def test_admin_deactivates_and_reactivates_an_account(client: Client, cast: Cast) -> None:
    admin = await sign_in(client, cast.admin)
    store = await sign_in(client, cast.store)
    listed = (await client.get("/api/v1/accounts", headers=admin)).json()
    target = next(a for a in listed["items"] if a["email"] == cast.store)
    assert target["active"] is True and "password_hash" not in target
    off = await client.post(f"/api/v1/accounts/{target['id']}/deactivate", headers=admin)
    assert off.status_code == 200 and off.json()["active"] is False
    assert await _me(client, store) == 401
    refused = await client.post("/api/v1/auth/token", json={"email": cast.store, "password": PASSWORD})
    assert refused.status_code == 401
    on = await client.post(f"/api/v1/accounts/{target['id']}/reactivate", headers=admin)
    assert on.status_code == 200 and on.json()["active"] is True
    assert await _me(client, store) == 401, "tokens from before the deactivation stay revoked"
    assert await _me(client, await sign_in(client, cast.store)) == 200


async def test_only_admins_manage_accounts_and_none_deactivates_itself(client: Client, cast: Cast) -> None:
    producer = await sign_in(client, cast.producer_a)
    assert (await client.get("/api/v1/accounts", headers=producer)).status_code == 403
    admin = await sign_in(client, cast.admin)
    me = (await client.get("/api/v1/auth/me", headers=admin)).json()
    own = await client.post(f"/api/v1/accounts/{me['id']}/deactivate", headers=admin)
    assert own.status_code == 400
    assert (await client.post("/api/v1/accounts/2147483647/deactivate", headers=admin)).status_code == 404


def test_failed_sign_ins_are_limited_per_account_across_addresses() -> None:
    throttle = auth.LoginThrottle(attempts=3)
    for n in range(3):
        throttle.check(f"203.0.113.{n}", "htx@example.vn")
        throttle.failed(f"203.0.113.{n}", "htx@example.vn")
    with pytest.raises(TooManyRequestsException) as refused:
        throttle.check("198.51.100.7", " HTX@example.vn ")
    assert int(refused.value.headers["Retry-After"]) >= 1
    throttle.check("198.51.100.7", "someone.else@example.vn")


async def test_failed_sign_ins_are_limited_per_address_across_accounts(client: Client, cast: Cast) -> None:
    answers = [
        await client.post("/api/v1/auth/token", json={"email": f"guess{n}@example.vn", "password": "wrong guess"})
        for n in range(auth.LOGIN_ATTEMPTS_PER_MINUTE + 1)
    ]
    assert [a.status_code for a in answers] == [401] * auth.LOGIN_ATTEMPTS_PER_MINUTE + [429]


def test_forwarded_headers_are_believed_only_from_named_proxies() -> None:
    assert serve.proxy_options(make_settings(NO_MEILI)) == {"proxy_headers": False}
    behind = make_settings(NO_MEILI, trusted_proxies="10.0.0.5, 10.0.0.6")
    assert serve.proxy_options(behind) == {"proxy_headers": True, "forwarded_allow_ips": ["10.0.0.5", "10.0.0.6"]}


async def test_successful_sign_ins_do_not_use_up_the_budget(client: Client, cast: Cast) -> None:
    for _ in range(auth.LOGIN_ATTEMPTS_PER_MINUTE + 2):
        response = await client.post("/api/v1/auth/token", json={"email": cast.store, "password": PASSWORD})
        assert response.status_code == 200


async def test_portal_changes_the_password_in_the_visitors_language(client: Client, cast: Cast) -> None:
    await _portal_sign_in(client, cast.producer_a, lang="vi")
    page = await client.get("/portal/account")
    assert "Đổi mật khẩu" in page.text
    mismatch = await client.post(
        "/portal/account/password",
        data={
            "_csrf_token": _csrf(page.text),
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": "something else entirely",
        },
    )
    assert mismatch.status_code == 400 and 'aria-invalid="true"' in mismatch.text
    done = await client.post(
        "/portal/account/password",
        data={
            "_csrf_token": _csrf(page.text),
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert done.status_code == 200, done.text
    assert "Đã đổi mật khẩu" in done.text
    assert (await client.get("/portal/account")).status_code == 200, "this session continues with its new cookie"
    assert await _me(client, await sign_in(client, cast.producer_a, NEW_PASSWORD)) == 200


async def test_admin_deactivates_an_account_in_the_portal(client: Client, cast: Cast) -> None:
    await _portal_sign_in(client, cast.admin, lang="en")
    page = await client.get("/portal/accounts")
    assert page.status_code == 200 and cast.store in page.text
    store_token = (await sign_in(client, cast.store))["Authorization"]
    action = next(
        line.split('action="')[1].split('"')[0]
        for line in page.text.splitlines()
        if "/deactivate" in line and f"/accounts/{_account_id(page.text, cast.store)}/" in line
    )
    done = await client.post(action, data={"_csrf_token": _csrf(page.text)})
    assert done.status_code == 200 and "Deactivated" in done.text
    assert await _me(client, {"Authorization": store_token}) == 401


def _account_id(page: str, email: str) -> str:
    after = page.split(f"<strong>{email}</strong>", 1)[1]
    return after.split("/portal/accounts/", 1)[1].split("/", 1)[0]
