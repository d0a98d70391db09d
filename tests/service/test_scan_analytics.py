"""Scan analytics: daily roll-ups that outlive raw scan rows, stores' weekly counts, producers' counts by store."""

from datetime import UTC, date, datetime, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import inspect
from sqlmodel import col, func, select

from catalog import analytics, db, products, stores
from catalog.analytics import ScanDaily
from catalog.scans import ScanEvent
from service.cli.scans import roll_up_once
from tests import build
from tests.plugins.accounts import Cast, sign_in
from tests.service.test_portal import _portal_sign_in

Client = AsyncTestClient[Litestar]
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 3, tzinfo=UTC)


async def _add_scans(url: str, product_id: int, store_id: int | None, instants: list[datetime]) -> None:
    engine = db.create_engine(url)
    async with db.session_factory(engine)() as session, session.begin():
        for at in instants:
            session.add(ScanEvent(product_id=product_id, store_id=store_id, at=at, lang="vi"))
    await engine.dispose()


async def _raw_and_daily(url: str) -> tuple[int, list[tuple[date, int, int | None, int]]]:
    engine = db.create_engine(url)
    async with db.session_factory(engine)() as session:
        raw = await session.scalar(select(func.count()).select_from(ScanEvent)) or 0
        daily = [
            (d.day, d.product_id, d.store_id, d.scans)
            for d in (await session.execute(select(ScanDaily).order_by(col(ScanDaily.day)))).scalars()
        ]
    await engine.dispose()
    return raw, daily


async def test_scan_events_have_no_column_for_an_address_or_a_browser(demo_db_url: str) -> None:
    engine = db.create_engine(demo_db_url)
    async with engine.connect() as connection:
        columns = await connection.run_sync(lambda c: {x["name"] for x in inspect(c).get_columns("scan_event")})
    await engine.dispose()
    assert columns == {"id", "tag_id", "product_id", "store_id", "at", "lang"}


async def test_old_scans_roll_up_into_vietnamese_days_and_the_counts_outlive_them(
    client: Client, cast: Cast, demo_db_url: str
) -> None:
    old = [
        datetime(2026, 10, 1, 2, tzinfo=UTC),
        datetime(2026, 10, 1, 9, tzinfo=UTC),
        datetime(2026, 10, 1, 17, 30, tzinfo=UTC),  # 00:30 on 2 October in Cà Mau
    ]
    recent = [NOW - timedelta(days=2)]
    await _add_scans(demo_db_url, cast.product_a, cast.store_id, old + recent)
    headers = await sign_in(client, cast.admin)
    on = {"on": date(2026, 10, 2).isoformat()}
    before = (await client.get("/api/v1/stats/plan", params=on, headers=headers)).json()["scans_by_week"]

    moved = await roll_up_once(demo_db_url, 30, NOW)
    assert moved == 3
    raw, daily = await _raw_and_daily(demo_db_url)
    assert raw == 1
    assert daily == [
        (date(2026, 10, 1), cast.product_a, cast.store_id, 2),
        (date(2026, 10, 2), cast.product_a, cast.store_id, 1),
    ]
    after = (await client.get("/api/v1/stats/plan", params=on, headers=headers)).json()["scans_by_week"]
    assert after == before and sum(w["scans"] for w in after) == 3
    assert await roll_up_once(demo_db_url, 30, NOW) == 0, "a second run finds nothing left to move"


async def test_a_second_roll_up_adds_to_the_same_day(demo_db_url: str, cast: Cast) -> None:
    await _add_scans(demo_db_url, cast.product_a, None, [datetime(2026, 9, 1, 1, tzinfo=UTC)])
    await roll_up_once(demo_db_url, 30, NOW)
    await _add_scans(demo_db_url, cast.product_a, None, [datetime(2026, 9, 1, 2, tzinfo=UTC)] * 2)
    await roll_up_once(demo_db_url, 30, NOW)
    assert (await _raw_and_daily(demo_db_url))[1] == [(date(2026, 9, 1), cast.product_a, None, 3)]


async def test_store_sees_scans_per_product_per_week(client: Client, cast: Cast, demo_db_url: str) -> None:
    engine = db.create_engine(demo_db_url)
    async with db.session_factory(engine)() as session:
        listed = await stores.listings_of_store(session, cast.store_id)
        product_id, name = listed[0][1].id, listed[0][1].name_vi
    await engine.dispose()
    assert product_id is not None
    # Tuesday and Wednesday of TODAY's week, and once the week before.
    await _add_scans(
        demo_db_url,
        product_id,
        cast.store_id,
        [
            datetime(2026, 11, 24, 2, tzinfo=UTC),
            datetime(2026, 11, 25, 1, tzinfo=UTC),
            datetime(2026, 11, 17, 2, tzinfo=UTC),
        ],
    )
    await _add_scans(demo_db_url, product_id, cast.other_store_id, [datetime(2026, 11, 24, 2, tzinfo=UTC)])
    await _portal_sign_in(client, cast.store)
    page = (await client.get(f"/portal/stores/{cast.store_id}", params={"lang": "en"})).text
    section = page.split('id="scans"', 1)[1].split("</section>", 1)[0]
    assert '<th scope="col">23/11</th>' in section and '<th scope="col">16/11</th>' in section
    row = section.split(name, 1)[1].split("</tr>", 1)[0]
    assert row.endswith("<td>1</td><td>2</td><td>3</td>"), row


async def test_producer_sees_scans_of_its_products_by_store_and_certificates_ending_soon(
    client: Client, cast: Cast, demo_db_url: str, today: date
) -> None:
    engine = db.create_engine(demo_db_url)
    async with db.session_factory(engine)() as session, session.begin():
        product = await products.get(session, cast.product_a)
        await build.certification(
            session,
            product,
            scheme="VIETGAP",
            issued_on=date(2024, 11, 26),
            valid_until=today,
            certificate_no="VG-CM-0425",
        )
        name = product.name_vi
    await engine.dispose()
    await _add_scans(demo_db_url, cast.product_a, cast.store_id, [datetime(2026, 11, 24, 2, tzinfo=UTC)] * 4)
    await _add_scans(demo_db_url, cast.product_b, cast.store_id, [datetime(2026, 11, 24, 2, tzinfo=UTC)] * 9)
    page = await _portal_sign_in(client, cast.producer_a)
    expiring = page.split('id="expiring"', 1)[1].split("</section>", 1)[0]
    assert "VG-CM-0425" in expiring and "(0 days left)" in expiring
    scans = page.split('id="scans"', 1)[1].split("</section>", 1)[0]
    assert name in scans and "Co.opmart Cà Mau" in scans
    assert scans.count("<tr>") == 2, "one header row and one product in one store; producer B's scans are not shown"
    assert scans.split(name, 1)[1].split("</tr>", 1)[0].endswith("<td>4</td><td>4</td>")


async def test_weekly_grouping_puts_each_day_in_its_monday_week() -> None:
    weeks = analytics.weeks_ending(TODAY, 2)
    counts = [
        analytics.DayCount(date(2026, 11, 22), 1, 2, 5),  # a Sunday: the week before
        analytics.DayCount(date(2026, 11, 23), 1, 2, 1),  # Monday
        analytics.DayCount(date(2026, 11, 1), 1, 2, 9),  # outside the window
    ]
    grouped = analytics.by_week(counts, weeks, "product")
    assert weeks == [date(2026, 11, 16), date(2026, 11, 23)]
    assert grouped.rows == {1: [5, 1]}
