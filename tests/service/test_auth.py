from datetime import UTC, datetime, timedelta

import jwt
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.testing import AsyncTestClient
from sqlalchemy import update

from catalog import db
from catalog.accounts import Account
from service import auth
from service.settings import DEVELOPMENT_SECRET
from tests.plugins.accounts import PASSWORD, Cast, sign_in

Client = AsyncTestClient[Litestar]
# Writes anyone may make: signing in is how one gets a token at all, and signing out only drops a cookie.
# Writes anyone may send: signing in and out, shoppers' reports, and setting a password through an invitation (its
# 256-bit one-time token is the credential).
PUBLIC_WRITES = {
    "/api/v1/auth/token",
    "/portal/login",
    "/portal/logout",
    "/api/v1/reports",
    "/p/{slug:str}/report",
    "/portal/invite/{token:str}",
}


async def test_sign_in_gives_a_bearer_token_that_names_the_account(client: Client, cast: Cast) -> None:
    response = await client.post("/api/v1/auth/token", json={"email": "ThuyLuc@Example.vn", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 8 * 3600
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json() == {
        "id": me.json()["id"],
        "email": "thuyluc@example.vn",
        "role": "producer",
        "producer_id": cast.producer_a_id,
        "store_id": None,
    }


async def test_wrong_password_and_unknown_email_get_the_same_answer(client: Client, cast: Cast) -> None:
    wrong = await client.post("/api/v1/auth/token", json={"email": cast.producer_a, "password": "not the password"})
    unknown = await client.post("/api/v1/auth/token", json={"email": "nobody@example.vn", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {"status_code": 401, "detail": "wrong e-mail or password"}


async def test_repeated_sign_ins_are_answered_429_with_retry_after(client: Client, cast: Cast) -> None:
    answers = [
        await client.post("/api/v1/auth/token", json={"email": cast.producer_a, "password": f"guess {n}"})
        for n in range(auth.LOGIN_ATTEMPTS_PER_MINUTE + 1)
    ]
    assert [a.status_code for a in answers] == [401] * auth.LOGIN_ATTEMPTS_PER_MINUTE + [429]
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
    assert (await client.get("/api/v1/products")).status_code == 200


async def test_public_reads_need_no_token(client: Client, cast: Cast) -> None:
    for path in ("/api/v1/products", f"/api/v1/products/{cast.product_a}", "/api/v1/stores", "/healthz", "/schema"):
        assert (await client.get(path)).status_code == 200, path


async def test_expired_or_forged_tokens_are_refused(client: Client, cast: Cast) -> None:
    now = datetime.now(UTC)
    expired = jwt.encode(
        {"sub": "1", "iat": now - timedelta(hours=9), "exp": now - timedelta(hours=1)}, DEVELOPMENT_SECRET
    )
    forged = jwt.encode(
        {"sub": "1", "iat": now, "exp": now + timedelta(hours=1)}, "another secret, long enough for HS256 keys"
    )
    for token in (expired, forged):
        response = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401


async def test_a_deactivated_accounts_token_stops_working(client: Client, cast: Cast, demo_db_url: str) -> None:
    headers = await sign_in(client, cast.store)
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 200
    engine = db.create_engine(demo_db_url)
    async with db.session_factory(engine)() as session, session.begin():
        await session.execute(update(Account).where(Account.email == cast.store).values(active=False))  # type: ignore[arg-type]
    await engine.dispose()
    assert (await client.get("/api/v1/auth/me", headers=headers)).status_code == 401


async def test_the_portal_cookie_reads_but_never_writes_through_the_json_api(client: Client, cast: Cast) -> None:
    token = (await sign_in(client, cast.producer_a))["Authorization"].removeprefix("Bearer ")
    client.cookies.set(auth.SESSION_COOKIE, token)
    assert (await client.get("/api/v1/auth/me")).status_code == 200
    response = await client.patch(f"/api/v1/products/{cast.product_a}", json={"version": 1, "name_en": "via cookie"})
    assert response.status_code == 401


def test_every_write_route_declares_a_guard(app: Litestar) -> None:
    unguarded = [
        f"{method} {route.path}"
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if isinstance(handler, HTTPRouteHandler)
        for method in handler.http_methods
        if method not in {"GET", "HEAD", "OPTIONS"} and route.path not in PUBLIC_WRITES and not handler.resolve_guards()
    ]
    assert unguarded == []
