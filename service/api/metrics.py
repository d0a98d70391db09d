"""/metrics in Prometheus text format: the search outbox, so an operator sees a stuck index before shoppers do."""

from litestar import Response, get
from litestar.di import NamedDependency
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import outbox
from catalog.clock import utcnow


@get("/metrics", operation_id="metrics", tags=["health"], cache=False, include_in_schema=False)
async def metrics(db_session: NamedDependency[AsyncSession]) -> Response[bytes]:
    """Outbox lag, pending and parked rows, and the last successful sync, read from the database.

    The figures are the database's, not this process's, so every app replica reports the same numbers.
    """
    now = utcnow()
    backlog = await outbox.backlog(db_session, now)
    # A registry per request: the values are read fresh from the database, and several apps in one process
    # (as in the tests) never collide in prometheus_client's global registry.
    registry = CollectorRegistry(auto_describe=True)
    last_sync = backlog.last_done_at.timestamp() if backlog.last_done_at else 0.0
    for name, what, value in (
        ("greenshelf_outbox_pending_rows", "Catalog changes not yet in the search index.", backlog.pending),
        ("greenshelf_outbox_parked_rows", "Changes Meilisearch refused, parked until a retry time.", backlog.parked),
        ("greenshelf_outbox_lag_seconds", "Age of the oldest change still waiting.", backlog.lag_seconds(now)),
        ("greenshelf_search_last_sync_timestamp_seconds", "Last change to reach the index (0: never).", last_sync),
    ):
        Gauge(name, what, registry=registry).set(value)
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST.removesuffix("; charset=utf-8"))
