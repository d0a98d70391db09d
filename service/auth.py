"""Logins: Argon2 password hashes, the JWT that proves an account, role guards, and the login rate limit.

Authentication runs on every route but never refuses by itself: a request without a token is anonymous
(`request.user` is None), so public reads, consumer pages and static files stay public without an exclusion list
that every new route would have to join. Routes that change things declare a guard (`requires(...)`); a test walks
the route table and fails if a write route has none. Which rows an account may touch is decided in catalog.access.
"""

import math
import time
from datetime import timedelta
from functools import cache
from typing import Any

import anyio.to_thread
from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from litestar.connection import ASGIConnection, Request
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException, TooManyRequestsException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.authentication import AuthenticationResult
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme
from litestar.security.jwt import JWTCookieAuth, JWTCookieAuthenticationMiddleware, Token
from litestar.types import Guard
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import accounts
from catalog.accounts import Account, Role
from catalog.columns import MAX_ID
from catalog.errors import CatalogError
from service.settings import Settings

TOKEN_LIFETIME = timedelta(hours=8)
TOKEN_VERSION_CLAIM = "ver"
SESSION_COOKIE = "greenshelf_session"
PORTAL_PATH = "/portal"
MIN_PASSWORD_LENGTH = 10
LOGIN_ATTEMPTS_PER_MINUTE = 10
# Bounds the throttle's memory under a flood of distinct e-mails; past it, expired windows are dropped.
MAX_THROTTLE_KEYS = 100_000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

BEARER = "bearer"
OPENAPI_COMPONENTS = Components(
    security_schemes={
        BEARER: SecurityScheme(
            type="http",
            scheme="bearer",
            bearer_format="JWT",
            description="A token from POST /api/v1/auth/token, sent as `Authorization: Bearer <token>`.",
        )
    }
)
SECURITY: list[SecurityRequirement] = [{BEARER: []}]

# Argon2id with argon2-cffi's defaults (RFC 9106's second recommended option); the parameters live in each hash.
_HASHER = PasswordHasher()


def check_password_strength(password: str) -> None:
    """Refuse passwords too short to resist guessing; length is the one rule that measurably helps."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    """An Argon2id hash of an acceptable password."""
    check_password_strength(password)
    return _HASHER.hash(password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _decoy_hash() -> str:
    return _HASHER.hash("decoy password for unknown e-mails")


async def authenticate(session: AsyncSession, email: str, password: str) -> Account | None:
    """The active account these credentials belong to, or None; hashing runs off the event loop."""
    account = await accounts.find_by_email(session, email)
    if account is None or not account.active:
        # Do the same work as a real check, so the answer's timing does not tell which e-mails have accounts.
        await anyio.to_thread.run_sync(_verify, _decoy_hash(), password)
        return None
    if not await anyio.to_thread.run_sync(_verify, account.password_hash, password):
        return None
    if _HASHER.check_needs_rehash(account.password_hash):
        accounts.set_password_hash(account, await anyio.to_thread.run_sync(_HASHER.hash, password))
    return account


async def change_password(session: AsyncSession, account: Account, current: str, new: str) -> None:
    """Set a new password for someone who knows the current one; their earlier tokens are revoked."""
    if not await anyio.to_thread.run_sync(_verify, account.password_hash, current):
        raise CatalogError("the current password is wrong", field="current_password")
    try:
        check_password_strength(new)
    except ValueError as exc:
        raise CatalogError(str(exc), field="new_password") from None
    await accounts.change_password(session, account, await anyio.to_thread.run_sync(_HASHER.hash, new))


class OptionalJWTMiddleware(JWTCookieAuthenticationMiddleware):
    """Litestar's JWT middleware, except that a request without a token passes through as anonymous.

    A bearer header always counts (a bad one is a 401). The portal's session cookie counts for reads anywhere (so a
    signed-in store can follow a link to its tag sheet) but for writes only under /portal, where forms carry a CSRF
    token; a cross-site form can therefore never use the cookie to write through the JSON API.
    """

    async def authenticate_request(self, connection: ASGIConnection[Any, Any, Any, Any]) -> AuthenticationResult:
        """The account of the bearer token or session cookie, or no account at all."""
        header = connection.headers.get(self.auth_header)
        if header:
            return await self.authenticate_token(encoded_token=header.partition(" ")[-1], connection=connection)
        cookie = connection.cookies.get(self.auth_cookie_key)
        if cookie and _cookie_counts(connection):
            try:
                return await self.authenticate_token(encoded_token=cookie, connection=connection)
            except NotAuthorizedException:
                pass  # An expired portal session is an anonymous visitor; the portal sends them to its login page.
        return AuthenticationResult(user=None, auth=None)


def _cookie_counts(connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
    path: str = connection.scope["path"]
    in_portal = path == PORTAL_PATH or path.startswith(f"{PORTAL_PATH}/")
    return in_portal or connection.scope.get("method", "GET") in SAFE_METHODS


def jwt_auth(settings: Settings, database: SQLAlchemyAsyncConfig) -> JWTCookieAuth[Account, Token]:
    """Litestar's JWT configuration: tokens signed with the secret key, naming the account id."""

    async def retrieve_account(token: Token, connection: ASGIConnection[Any, Any, Any, Any]) -> Account | None:
        if not token.sub.isdigit() or int(token.sub) > MAX_ID:
            return None
        # The request's own session: the handler then sees the same Account row it may change.
        session = database.provide_session(connection.app.state, connection.scope)
        account = await accounts.get(session, int(token.sub))
        # A token issued before the account signed out, changed its password or was deactivated is revoked.
        if account is None or token.extras.get(TOKEN_VERSION_CLAIM) != account.token_version:
            return None
        return account

    return JWTCookieAuth[Account, Token](
        retrieve_user_handler=retrieve_account,
        token_secret=settings.secret_key.get_secret_value(),
        default_token_expiration=TOKEN_LIFETIME,
        authentication_middleware_class=OptionalJWTMiddleware,
        key=SESSION_COOKIE,
        secure=settings.https,
        samesite="lax",
        # HEAD and OPTIONS too, so `request.user` is always set (None when anonymous) for guards to read.
        exclude_http_methods=[],
        openapi_security_scheme_name=BEARER,
    )


class TokenIssuer:
    """Signs tokens the way the app's JWT middleware checks them; handlers receive it as `tokens`."""

    def __init__(self, jwt: JWTCookieAuth[Account, Token]) -> None:
        self._jwt = jwt

    def issue(self, account: Account) -> str:
        """A signed token naming `account`, valid for TOKEN_LIFETIME."""
        return self._jwt.create_token(
            identifier=str(account.id), token_extras={TOKEN_VERSION_CLAIM: account.token_version}
        )

    def session_cookie(self, account: Account) -> Cookie:
        """The portal's session: the same token in an HttpOnly cookie, with the JWT config's cookie settings."""
        return Cookie(
            key=self._jwt.key,
            value=self.issue(account),
            path=self._jwt.path,
            max_age=int(TOKEN_LIFETIME.total_seconds()),
            httponly=True,
            secure=self._jwt.secure,
            samesite=self._jwt.samesite,
        )


def signed_in(connection: ASGIConnection[Any, Any, Any, Any]) -> Account:
    """The connection's account; anonymous callers get a 401."""
    account: Account | None = connection.user
    if account is None:
        raise NotAuthorizedException("sign in first: POST /api/v1/auth/token gives a bearer token")
    return account


def current_account(request: Request[Any, Any, Any]) -> Account:
    """Dependency provider of `account` for handlers that act on someone's behalf."""
    return signed_in(request)


def requires(*roles: Role) -> Guard:
    """A guard admitting signed-in accounts of these roles; which rows they may touch is catalog.access's rule."""
    wanted = " or ".join(role.value for role in roles)

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
        if signed_in(connection).role not in roles:
            raise PermissionDeniedException(f"this needs a {wanted} account")

    return guard


class LoginThrottle:
    """Failed sign-ins allowed per minute, counted per client address and per account (e-mail).

    Only failures count, so a person who signs in correctly is never locked out by their own successes; a guesser
    is stopped by the address budget, and one spreading guesses over many addresses by the account budget. The
    counts live in this process, so N workers allow N times the budget (documented). The client address is
    uvicorn's: X-Forwarded-For counts only from the proxies named in GREENSHELF_TRUSTED_PROXIES.
    """

    def __init__(self, attempts: int = LOGIN_ATTEMPTS_PER_MINUTE, window_s: float = 60.0) -> None:
        self.attempts = attempts
        self.window_s = window_s
        self._failures: dict[str, tuple[float, int]] = {}

    def _keys(self, address: str, email: str) -> tuple[str, str]:
        return f"address:{address}", f"account:{email.strip().lower()[:254]}"

    def _count(self, key: str, now: float) -> tuple[int, float]:
        started, count = self._failures.get(key, (now, 0))
        if now - started >= self.window_s:
            self._failures.pop(key, None)
            return 0, now
        return count, started

    def check(self, address: str, email: str) -> None:
        """Refuse with 429 and Retry-After while either budget is spent."""
        now = time.monotonic()
        for key in self._keys(address, email):
            count, started = self._count(key, now)
            if count >= self.attempts:
                wait = max(1, math.ceil(self.window_s - (now - started)))
                raise TooManyRequestsException(
                    "too many sign-in attempts; try again later", headers={"Retry-After": str(wait)}
                )

    def failed(self, address: str, email: str) -> None:
        """Count a failed attempt against both budgets."""
        now = time.monotonic()
        if len(self._failures) > MAX_THROTTLE_KEYS:
            self._failures = {k: v for k, v in self._failures.items() if now - v[0] < self.window_s}
        for key in self._keys(address, email):
            count, started = self._count(key, now)
            self._failures[key] = (started, count + 1)


def client_address(connection: ASGIConnection[Any, Any, Any, Any]) -> str:
    """The address a request came from, as uvicorn determined it."""
    return connection.client.host if connection.client else "unknown"
