"""The public plan summary in a desktop Chromium at 1280 px, JavaScript off: the charts are drawn and readable."""

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, expect
from sqlmodel import col, select

from catalog import db, stores
from catalog.scans import ScanEvent
from catalog.stores import Store, StorePatch
from service.app import create_app
from tests.browser.conftest import Watch
from tests.conftest import TODAY, make_settings
from tests.live_server import serving
from tests.plugins.databases import Templates

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SCREENSHOT = "/tmp/greenshelf-stats-1280.png"
# Demo stores' policies with the days they took effect, so the monthly series has a history to draw.
POLICIES = {"ST01": (False, date(2026, 2, 1)), "ST03": (False, date(2026, 7, 15)), "ST05": (True, date(2025, 11, 1))}


async def _history(url: str) -> None:
    engine = db.create_engine(url)
    try:
        async with db.session_factory(engine)() as session, session.begin():
            for code, (free, since) in POLICIES.items():
                store = await session.scalar(select(Store).where(col(Store.code) == code))
                assert store is not None
                patch = StorePatch(version=store.version, free_hard_to_degrade_bags=free, bag_policy_since=since)
                await stores.patch(session, store, patch, actor_id=None)
            first = await session.scalar(select(Store).where(col(Store.code) == "ST01"))
            assert first is not None
            for week in range(12):
                for n in range(3 + 2 * week % 7):
                    at = datetime(2026, 11, 24, 3, tzinfo=UTC) - timedelta(weeks=week, hours=n)
                    session.add(ScanEvent(product_id=1, store_id=first.id, at=at, lang="vi"))
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def stats_url(db_templates: Templates) -> Iterator[str]:
    """The app on a demo catalog with some bag-policy history and scans, served by uvicorn."""
    url = db_templates.copy("sqlite", "demo")
    asyncio.run(_history(url))
    with serving(lambda _: create_app(make_settings(url), today=lambda: TODAY)) as served:
        yield served
    db_templates.drop(url)


def test_stats_page_at_1280_px_shows_three_charts_without_javascript(stats_url: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    watch = Watch(origin=stats_url)
    page.on("console", watch.console)
    page.on("request", watch.request)
    page.goto(f"{stats_url}/stats?lang=en")
    expect(page.locator("h1")).to_have_text("Progress against the plan")
    charts = page.locator("figure.chart svg")
    expect(charts).to_have_count(3)
    for n in range(3):
        box = charts.nth(n).bounding_box()
        assert box is not None and box["width"] > 600 and box["height"] > 200
    # The bag-policy chart draws two lines (share and plan target), the bar charts their bars.
    assert page.locator("figure.chart").nth(0).locator("path.line").count() >= 2
    assert page.locator("figure.chart").nth(2).locator("rect.rect").count() == 12
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.screenshot(path=SCREENSHOT, full_page=True)
    context.close()
    assert watch.errors == [] and watch.foreign == []
