"""Signing in: e-mail and password for a bearer token."""

from typing import Literal

from litestar import get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_429_TOO_MANY_REQUESTS
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

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
    middleware=[auth.LOGIN_RATE_LIMIT.middleware],
    responses={HTTP_429_TOO_MANY_REQUESTS: openapi.TOO_MANY_ATTEMPTS},
)
async def create_token(
    data: JSONBody[Credentials],
    db_session: NamedDependency[AsyncSession],
    tokens: NamedDependency[auth.TokenIssuer],
) -> TokenOut:
    """Exchange e-mail and password for a bearer token; rate-limited per client address (429 with Retry-After)."""
    account = await auth.authenticate(db_session, data.email, data.password)
    if account is None:
        raise NotAuthorizedException("wrong e-mail or password")
    return TokenOut(access_token=tokens.issue(account), expires_in=int(auth.TOKEN_LIFETIME.total_seconds()))


@get("/auth/me", operation_id="getAccount", tags=["auth"], guards=[auth.requires(*Role)], security=auth.SECURITY)
async def who_am_i(account: NamedDependency[Account]) -> AccountOut:
    """The account a token belongs to, and the producer or store it acts for."""
    return AccountOut.of(account)
