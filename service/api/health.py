"""Liveness and dependency health for load balancers and the people on call."""

from typing import Literal

from litestar import Response, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from search import shopper_client


class Health(BaseModel):
    """`search: degraded` means answers come from the SQL fallback while Meilisearch is unreachable;
    `misconfigured` that it answers but refuses (wrong key, missing index), which waiting will not fix."""

    status: Literal["ok", "degraded", "down"]
    database: Literal["ok", "down"]
    search: shopper_client.Health


@get("/healthz", operation_id="health", tags=["health"], cache=False)
async def health(db_session: NamedDependency[AsyncSession], state: State) -> Response[Health]:
    """Database and search status; 503 only when the database is down."""
    try:
        await db_session.execute(text("SELECT 1"))
        database: Literal["ok", "down"] = "ok"
    except (SQLAlchemyError, OSError):
        database = "down"
    search = await shopper_client.health(state.meili, state.settings.meili_index)
    status: Literal["ok", "degraded", "down"] = (
        "down" if database == "down" else ("ok" if search == "ok" else "degraded")
    )
    return Response(
        Health(status=status, database=database, search=search), status_code=503 if database == "down" else 200
    )
