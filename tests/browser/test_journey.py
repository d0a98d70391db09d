"""From onboarding to the shelf, in a real Chromium: a new cooperative joins, claims OCOP 4★ with a PDF certificate,
the province verifies it, a store lists the product at 95.000 ₫ and prints its tag, and the tag's QR code opens it.
"""

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from litestar import Litestar
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from weasyprint import HTML

from service.app import create_app
from tests.browser.test_portal import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import make_settings
from tests.live_server import serving
from tests.plugins.accounts import PASSWORD, Cast
from tests.scanning import pdf_page_png, pdf_pages, scan_png

pytestmark = pytest.mark.browser

COOPERATIVE = "Hợp tác xã Mật ong U Minh Hạ"
PRODUCT = "Mật ong tràm U Minh Hạ"
INVITED = "htx.matong.uminh@example.vn"
NEW_PASSWORD = "ong tràm rừng U Minh 2026"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_server(demo_db_url: str, today: date, cast: Cast, tmp_path: Path) -> Iterator[str]:
    """The app on a real loopback port with a private evidence folder; search answers from SQL (no Meilisearch)."""

    def app(base_url: str) -> Litestar:
        settings = make_settings(demo_db_url, public_base_url=base_url, evidence_dir=tmp_path / "evidence")
        return create_app(settings, today=lambda: today)

    with serving(app) as served:
        yield served


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _phone(browser: Browser) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    return context, context.new_page()


def _sign_in(page: Page, base: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/portal/login?lang=en")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _certificate_pdf() -> bytes:
    return HTML(string="<h1>Giấy chứng nhận sản phẩm OCOP 4 sao</h1><p>Mật ong tràm U Minh Hạ</p>").write_pdf()


def test_a_cooperative_goes_from_invitation_to_a_scanned_shelf_tag(
    live_server: str, browser: Browser, cast: Cast, today: date, tmp_path: Path
) -> None:
    base = live_server
    # The province adds the cooperative and invites its account.
    admin_context, admin = _phone(browser)
    _sign_in(admin, base, cast.admin)
    admin.goto(f"{base}/portal/producers")
    admin.get_by_label("Legal name").fill(COOPERATIVE)
    admin.get_by_label("Legal form").select_option("cooperative")
    admin.get_by_label("Commune or ward (after the 2025 merger)").fill("Xã U Minh")
    admin.get_by_role("button", name="Add the producer").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text(COOPERATIVE)
    producer_id = int(re.search(r"/portal/producers/(\d+)", admin.url).group(1))  # type: ignore[union-attr]
    admin.get_by_label("E-mail of the person who will sign in").fill(INVITED)
    admin.get_by_role("button", name="Create the invitation link").click()
    invite_link = admin.locator("#invite-link .link").inner_text().strip()
    assert invite_link.startswith(f"{base}/portal/invite/")

    # The cooperative opens the link, sets its password and is signed in.
    coop_context, coop = _phone(browser)
    coop.goto(invite_link + "?lang=en")
    coop.get_by_label("New password (at least 10 characters)").fill(NEW_PASSWORD)
    coop.get_by_label("The same password again").fill(NEW_PASSWORD)
    coop.get_by_role("button", name="Set the password and sign in").click()
    expect(coop).to_have_url(re.compile(r"/portal/products"))
    coop.goto(invite_link)
    expect(coop.get_by_role("alert")).to_contain_text("already used or expired")

    # Its product, with packaging, in the portal: created as a draft, then published.
    coop.goto(f"{base}/portal/products/new?lang=en")
    coop.locator("#name_vi").fill(PRODUCT)
    coop.locator("#category_code").select_option("bee_products")
    coop.locator("#packaging-0-material_code").select_option("GLASS")
    coop.locator("#packaging-0-mass_g").fill("350")
    coop.get_by_role("button", name="Create the draft").click()
    expect(coop).to_have_url(re.compile(r"/portal/products/\d+\?done=created"))
    found = re.search(r"/portal/products/(\d+)", coop.url)
    assert found is not None
    product_id = int(found.group(1))
    coop.locator("#status").select_option("published")
    coop.get_by_role("button", name="Save", exact=True).click()
    expect(coop).to_have_url(re.compile(r"done=saved"))
    created = httpx.get(f"{base}/api/v1/products/{product_id}").json()
    assert created["producer"]["id"] == producer_id and created["status"] == "published"
    assert [(p["role"], p["mass_g"]) for p in created["packaging"]] == [("primary", 350)]

    # It claims OCOP 4★ with its PDF certificate.
    certificate = tmp_path / "chung-nhan-ocop.pdf"
    certificate.write_bytes(_certificate_pdf())
    coop.goto(f"{base}/portal/products/{product_id}?lang=en")
    coop.locator("#scheme_code").select_option("OCOP")
    coop.locator("#ocop_stars").fill("4")
    coop.locator("#issued_on").fill((today - timedelta(days=30)).isoformat())
    coop.locator("#file").set_input_files(str(certificate))
    coop.get_by_role("button", name="Send the claim").click()
    expect(coop.get_by_text("awaiting verification")).to_be_visible()

    # The province sees the certificate itself in the queue, and verifies.
    admin.goto(f"{base}/portal/claims?lang=en")
    card = admin.locator("li", has=admin.get_by_role("link", name=PRODUCT))
    preview = card.locator("figure.evidence object")
    expect(preview).to_have_attribute("type", "application/pdf")
    evidence = admin.request.get(base + preview.get_attribute("data"))  # type: ignore[operator]
    assert evidence.status == 200 and evidence.body() == certificate.read_bytes()
    assert httpx.get(base + preview.get_attribute("data")).status_code == 401  # type: ignore[operator]
    card.get_by_role("button", name="Verify").click()
    expect(admin.get_by_role("status")).to_contain_text("Verified.")

    # A store finds the product by name, lists it at "95.000" and prints its single tag.
    store_context, store = _phone(browser)
    _sign_in(store, base, cast.store)
    store.goto(f"{base}/portal/stores/{cast.store_id}?lang=en")
    store.get_by_label("Find a product by its name").fill("mat ong tram u minh")
    store.get_by_role("button", name="Search").click()
    found = store.locator("#found li", has_text=PRODUCT)
    found.get_by_label("Price (đồng)").fill("95.000")
    found.get_by_label("Shelf").fill("Kệ 2")
    found.get_by_role("button", name="Add to the shelves").click()
    expect(store.get_by_role("status")).to_have_text("The product is now on your shelves.")
    store.get_by_label("Only the products ticked below").check()
    store.locator("#tags").locator("xpath=following-sibling::form[1]").get_by_label(PRODUCT).check()
    with store.expect_response(lambda response: "/tags.pdf?" in response.url) as sheet:
        store.get_by_role("button", name="Download the tag sheet (PDF)").click()
    assert sheet.value.status == 200
    assert sheet.value.headers["content-type"] == "application/pdf"
    # Chromium shows the PDF in its viewer; the same GET, with the store's session, hands us the bytes to scan.
    pdf = store.request.get(sheet.value.url).body()
    assert pdf_pages(pdf) == 1
    (scan,) = scan_png(pdf_page_png(pdf, 1))

    # The tag's QR code opens the product in that store, at its price, with the verified rating.
    assert scan.text.startswith(f"{base}/t/")
    shopper_context, shopper = _phone(browser)
    shopper.goto(scan.text + "?lang=vi")
    expect(shopper.get_by_role("heading", level=1)).to_have_text(PRODUCT)
    body = " ".join(shopper.locator("body").inner_text().replace("\xa0", " ").split())
    assert "95.000 ₫" in body
    assert "OCOP 4 sao" in body or "4 sao" in body
    assert urlsplit(scan.text).path.startswith("/t/")
    for context in (admin_context, coop_context, store_context, shopper_context):
        context.close()
