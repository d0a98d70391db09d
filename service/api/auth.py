"""Signing in: e-mail and password for a bearer token."""

from typing import Any, Literal

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT, HTTP_429_TOO_MANY_REQUESTS
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import accounts
from catalog.accounts import Account, Role
from service import auth
from service.api import openapi
from service.api.shapes import AccountOut


class Credentials(BaseModel):
    """What an account signs in with."""

    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)


class TokenOut(BaseModel):
    """A bearer token and how many seconds it lasts."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


@post(
    "/auth/token",
    operation_id="createToken",
    tags=["auth"],
    status_code=HTTP_200_OK,
    responses={HTTP_429_TOO_MANY_REQUESTS: openapi.TOO_MANY_ATTEMPTS},
)
async def create_token(
    request: Request[Any, Any, Any],
    data: JSONBody[Credentials],
    db_session: NamedDependency[AsyncSession],
    tokens: NamedDependency[auth.TokenIssuer],
    login_throttle: NamedDependency[auth.LoginThrottle],
) -> TokenOut:
    """Exchange e-mail and password for a bearer token; failures are limited per address and per account (429)."""
    address = auth.client_address(request)
    login_throttle.check(address, data.email)
    account = await auth.authenticate(db_session, data.email, data.password)
    if account is None:
        login_throttle.failed(address, data.email)
        raise NotAuthorizedException("wrong e-mail or password")
    return TokenOut(access_token=tokens.issue(account), expires_in=int(auth.TOKEN_LIFETIME.total_seconds()))


@post(
    "/auth/logout",
    operation_id="revokeTokens",
    tags=["auth"],
    guards=[auth.requires(*Role)],
    security=auth.SECURITY,
    status_code=HTTP_204_NO_CONTENT,
)
async def revoke_tokens(account: NamedDependency[Account]) -> None:
    """Sign out everywhere: this token and every other token of the account stop working."""
    accounts.revoke_tokens(account)


class PasswordChange(BaseModel):
    """The current password, and the new one (at least 10 characters)."""

    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=auth.MIN_PASSWORD_LENGTH, max_length=1024)


@post(
    "/auth/password",
    operation_id="changePassword",
    tags=["auth"],
    guards=[auth.requires(*Role)],
    security=auth.SECURITY,
    status_code=HTTP_200_OK,
)
async def change_password(
    data: JSONBody[PasswordChange],
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    tokens: NamedDependency[auth.TokenIssuer],
) -> TokenOut:
    """Change your own password; every earlier token is revoked and a new one is returned."""
    await auth.change_password(db_session, account, data.current_password, data.new_password)
    return TokenOut(access_token=tokens.issue(account), expires_in=int(auth.TOKEN_LIFETIME.total_seconds()))


@get("/auth/me", operation_id="getAccount", tags=["auth"], guards=[auth.requires(*Role)], security=auth.SECURITY)
async def who_am_i(account: NamedDependency[Account]) -> AccountOut:
    """The account a token belongs to, and the producer or store it acts for."""
    return AccountOut.of(account)
