"""A producer at work in a real Chromium: sign in, edit a product's name, see it saved."""

from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from service.app import create_app
from tests.conftest import make_settings
from tests.live_server import serving
from tests.plugins.accounts import PASSWORD, Cast

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def live_server(demo_db_url: str, today: date, cast: Cast) -> Iterator[str]:
    """The app on a real loopback port, served by uvicorn in a thread."""
    with serving(
        lambda base: create_app(make_settings(demo_db_url, public_base_url=base), today=lambda: today)
    ) as served:
        yield served


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_producer_signs_in_edits_a_products_name_and_sees_it(live_server: str, browser: Browser, cast: Cast) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="en-GB")  # a phone
    page.goto(f"{live_server}/portal/products/{cast.product_a}?lang=en")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("E-mail").fill(cast.producer_a)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    name = page.get_by_label("Name (Vietnamese)")
    expect(name).to_have_value("Bò viên Thúy Lực")
    name.fill("Bò viên Thúy Lực loại đặc biệt")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bò viên Thúy Lực loại đặc biệt")
    expect(page.get_by_label("Name (Vietnamese)")).to_have_value("Bò viên Thúy Lực loại đặc biệt")
    product = httpx.get(f"{live_server}/api/v1/products/{cast.product_a}").json()
    assert product["name_vi"] == "Bò viên Thúy Lực loại đặc biệt"
    page.goto(f"{live_server}/p/{product['slug']}?lang=vi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bò viên Thúy Lực loại đặc biệt")
