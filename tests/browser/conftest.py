"""A real uvicorn server over a private demo catalog, and Debian's Chromium driven by Playwright.

Never `playwright install`: the browser is the system's /usr/bin/chromium.
"""

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, Request, sync_playwright
from sqlalchemy import delete
from sqlmodel import col, select

from catalog import db
from catalog.accounts import Role
from catalog.packaging import PackagingComponent
from catalog.products import Product
from catalog.stores import Store
from catalog.tags import ShelfTag
from service import auth
from service.app import create_app
from tests.conftest import TODAY, make_settings
from tests.live_server import serving
from tests.plugins.accounts import PASSWORD, add_account
from tests.plugins.databases import Templates

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
TAG_CODE = "BV4WM001"


async def _add_scan_tag(url: str) -> None:
    """A shelf tag for the demo's Bò viên Thúy Lực at WinMart Cà Mau (one expired and one valid OCOP rating)."""
    engine = db.create_engine(url)
    try:
        async with db.session_factory(engine)() as session, session.begin():
            product = await session.scalar(select(Product).where(col(Product.slug) == "bo-vien-thuy-luc"))
            store = await session.scalar(select(Store).where(col(Store.slug) == "winmart-ca-mau"))
            assert product is not None and store is not None
            session.add(ShelfTag(code=TAG_CODE, product_id=product.id, store_id=store.id))
    finally:
        await engine.dispose()


# Shelf tags for the green summary's first-screen test: (tag code, product code, store slug or None).
SUMMARY_TAGS = {
    "two valid labels": ("BV4WM002", "P019", "co-opmart-ca-mau"),
    "only an expired OCOP rating": ("BV4WM003", "P021", "diem-gioi-thieu-va-ban-san-pham-ocop-ca-mau-minh-hoa"),
    "no packaging data": ("BV4WM004", "P026", "diem-gioi-thieu-va-ban-san-pham-ocop-ca-mau-minh-hoa"),
    "a reusable bag": ("BV4WM005", "P068", "co-opmart-ca-mau"),
}
ADMIN_EMAIL = "axe.admin@camau.gov.vn"


async def _add_summary_cases(url: str) -> None:
    """Tags for SUMMARY_TAGS, one product stripped of its packaging rows, and an admin for the portal."""
    engine = db.create_engine(url)
    try:
        async with db.session_factory(engine)() as session, session.begin():
            for code, product_code, store_slug in SUMMARY_TAGS.values():
                product = await session.scalar(select(Product).where(col(Product.code) == product_code))
                store = await session.scalar(select(Store).where(col(Store.slug) == store_slug))
                assert product is not None and store is not None
                session.add(ShelfTag(code=code, product_id=product.id, store_id=store.id))
            await session.execute(
                delete(PackagingComponent).where(
                    col(PackagingComponent.product_id).in_(select(Product.id).where(col(Product.code) == "P026"))
                )
            )
            await add_account(session, ADMIN_EMAIL, Role.ADMIN, auth.hash_password(PASSWORD))
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def base_url(db_templates: Templates) -> Iterator[str]:
    """The app on a private SQLite copy of the demo catalog, served by uvicorn on a free loopback port."""
    url = db_templates.copy("sqlite", "demo")
    asyncio.run(_add_scan_tag(url))
    asyncio.run(_add_summary_cases(url))
    with serving(lambda _: create_app(make_settings(url), today=lambda: TODAY)) as served:
        yield served
    db_templates.drop(url)


@pytest.fixture(scope="module")
def playwright(base_url: str) -> Iterator[Playwright]:
    """Playwright's driver; started after the server because its event loop would block the seeding's."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium", pytrace=False)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Chromium from Debian."""
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()


@dataclass
class Watch:
    """What a page did that a shopper would suffer from: console errors and requests to other origins."""

    origin: str
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        """Keep console errors."""
        if message.type == "error":
            self.errors.append(message.text)

    def request(self, request: Request) -> None:
        """Keep requests that leave our origin (data: URLs stay local)."""
        parts = urlsplit(request.url)
        if parts.scheme != "data" and f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.foreign.append(request.url)


@dataclass
class Phone:
    """A Vietnamese phone-sized browser tab on the served app, watched for errors and foreign requests."""

    context: BrowserContext
    page: Page
    watch: Watch
    base_url: str

    def open(self, path: str) -> None:
        """Navigate and wait until the page has loaded."""
        response = self.page.goto(self.base_url + path)
        assert response is not None


def _phone(browser: Browser, base_url: str, *, javascript: bool) -> Iterator[Phone]:
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
        java_script_enabled=javascript,
    )
    page = context.new_page()
    watch = Watch(origin=base_url)
    page.on("console", watch.console)
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    page.on("request", watch.request)
    yield Phone(context=context, page=page, watch=watch, base_url=base_url)
    context.close()
    assert watch.errors == [], watch.errors
    assert watch.foreign == [], watch.foreign


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Phone]:
    """A phone with JavaScript on, as most shoppers have it."""
    yield from _phone(browser, base_url, javascript=True)


@pytest.fixture
def phone_without_javascript(browser: Browser, base_url: str) -> Iterator[Phone]:
    """A phone with JavaScript off: every page must still work."""
    yield from _phone(browser, base_url, javascript=False)
