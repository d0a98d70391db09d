"""/metrics tells an operator how far the search index is behind the catalog, from the database's own rows."""

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select
from sqlmodel import col

from catalog import db
from catalog.clock import utcnow
from catalog.outbox import Outbox
from search import sync

Client = AsyncTestClient[Litestar]


async def _metrics(client: Client) -> dict[str, float]:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; version=1.0.0; charset=utf-8"
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


async def _not_done(sessions: sync.Sessions) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).where(col(Outbox.done_at).is_(None))) or 0)


async def test_metrics_report_pending_parked_and_last_synced_outbox_rows(client: Client, demo_db_url: str) -> None:
    engine = db.create_engine(demo_db_url)
    sessions = db.session_factory(engine)
    try:
        waiting = await _not_done(sessions)
        assert waiting > 0, "the seeded catalog leaves its changes for the index"
        first = await _metrics(client)
        assert first["greenshelf_outbox_pending_rows"] == waiting
        assert first["greenshelf_outbox_parked_rows"] == 0
        assert first["greenshelf_outbox_lag_seconds"] > 0
        assert first["greenshelf_search_last_sync_timestamp_seconds"] == 0

        refused = await sync.claim(sessions, "metrics-test", limit=1)
        await sync.release(
            sessions, "metrics-test", [r.id for r in refused], "refused", retry_at=utcnow() + timedelta(hours=1)
        )
        sent = await sync.claim(sessions, "metrics-test", limit=1)
        await sync.mark_done(sessions, "metrics-test", [r.id for r in sent])
        before_done = utcnow()

        second = await _metrics(client)
        assert second["greenshelf_outbox_parked_rows"] == len(refused) > 0
        assert second["greenshelf_outbox_pending_rows"] == waiting - len(refused) - len(sent)
        assert second["greenshelf_search_last_sync_timestamp_seconds"] >= before_done.timestamp() - 60

        rest = await sync.claim(sessions, "metrics-test", limit=10_000)
        await sync.mark_done(sessions, "metrics-test", [r.id for r in rest])
        third = await _metrics(client)
        assert third["greenshelf_outbox_pending_rows"] == 0
        assert third["greenshelf_outbox_lag_seconds"] == 0
        assert third["greenshelf_outbox_parked_rows"] == len(refused)
    finally:
        await engine.dispose()
