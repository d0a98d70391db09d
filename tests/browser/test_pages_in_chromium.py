"""A shopper's phone in the aisle: scan a tag, read the page, switch language, search without JavaScript."""

import re

import pytest
from babel.numbers import format_currency
from playwright.sync_api import expect

from tests.browser.conftest import TAG_CODE, Phone

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SCREENSHOT = "/tmp/greenshelf-product-phone.png"


def test_scanning_a_tag_on_a_phone_shows_price_shelf_context_and_honest_labels(phone: Phone) -> None:
    phone.open(f"/t/{TAG_CODE.lower()}")
    page = phone.page

    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_text("Bò viên Thúy Lực")
    expect(page.locator(".here h2")).to_have_text("Tại WinMart Cà Mau")
    expect(page.locator(".here .price")).to_have_text(format_currency(151_000, "VND", locale="vi"))
    expect(page.locator("#summary .chips")).to_contain_text("OCOP")
    expect(page.locator("#summary .chips")).to_contain_text("4 sao")
    expect(page.locator(".cert.valid")).to_contain_text("còn hiệu lực đến 22 tháng 1, 2028")
    expect(page.locator(".cert.expired")).to_contain_text("Đã hết hạn ngày 24 tháng 11, 2025")
    expect(page.locator(".cert.expired")).not_to_contain_text("hiệu lực")
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert phone.watch.errors == [] and phone.watch.foreign == []


def test_the_language_switch_turns_pages_english_and_is_remembered(phone: Phone) -> None:
    phone.open(f"/t/{TAG_CODE}")
    page = phone.page

    page.get_by_role("link", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Thuy Luc beef balls")
    expect(page.locator(".here .price")).to_have_text(format_currency(151_000, "VND", locale="en"))
    expect(page.locator(".cert.expired")).to_contain_text("Expired on November 24, 2025")
    page.get_by_role("link", name="Green Shelf").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("nav.langs [aria-current]")).to_have_text("English")


def test_search_and_filters_work_without_javascript(phone_without_javascript: Phone) -> None:
    phone_without_javascript.open("/")
    page = phone_without_javascript.page

    page.locator("#q").fill("mắm")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/search\?q=m%E1%BA%AFm$"))
    names = page.locator(".cards .card > a")
    expect(names.first).to_contain_text(re.compile("mắm", re.IGNORECASE))
    page.locator("summary").click()
    page.get_by_label(re.compile("Bao bì không nhựa")).check()
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"plastic_free=true"))
    expect(page.locator("[role=status]")).to_contain_text("sản phẩm")
    names.first.click()
    expect(page.locator("h1")).to_contain_text(re.compile("mắm", re.IGNORECASE))
    expect(page.locator("#summary .pack-verdict")).to_contain_text("Bao bì: không nhựa")
