"""axe-core, a checker nobody here wrote, over every consumer page type and the portal, in Vietnamese and English.

axe-core is installed by `make axe` (part of `make test`) from the npm registry at a pinned version; its path
comes in GREENSHELF_AXE_JS. Every rule, every impact: the answer must be no violation at all.
"""

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser.conftest import ADMIN_EMAIL, PHONE, TAG_CODE, Watch
from tests.plugins.accounts import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = Path(os.environ.get("GREENSHELF_AXE_JS", ROOT / "var/npm/axe-core-4.14.1/node_modules/axe-core/axe.min.js"))
LANGS = ("vi", "en")

# One of each consumer page type, error pages included; /01/ redirects to the product page, so it is covered.
CONSUMER_PAGES = [
    "/",
    "/search?q=m%E1%BA%AFm",
    "/search?q=zzzzqqq",
    "/search?plastic_free=true&min_stars=4",
    "/p/tom-the-huu-co-dong-lanh-rung-duoc-xanh",
    f"/t/{TAG_CODE}",
    "/01/09506000134352",
    "/s/co-opmart-ca-mau",
    "/producers/ho-kinh-doanh-thuy-luc",
    "/labels",
    "/labels/ocop",
    "/t/ZZZZZZZZ",
    "/01/09506000134353",
]
PORTAL_PAGES = ["/portal/claims", "/portal/products?producer=1", "/portal/products/1", "/portal/stores/1"]


@pytest.fixture
def tab(browser: Browser, base_url: str) -> Iterator[tuple[BrowserContext, Page, Watch]]:
    """A phone-sized tab; CSP is bypassed only so that the test can inject axe-core itself."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", bypass_csp=True)
    page = context.new_page()
    watch = Watch(origin=base_url)
    page.on("request", watch.request)
    yield context, page, watch
    context.close()
    assert watch.foreign == [], watch.foreign


def violations(page: Page) -> list[str]:
    """axe-core's violations on the loaded page, one readable line per rule and element."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `make axe` (part of `make test`)", pytrace=False)
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']} ({v['impact']}): {node['target']} {v['help']}" for v in result for node in v["nodes"]]


ERROR_PAGES = {"/t/ZZZZZZZZ": 404, "/01/09506000134353": 400}


def check(page: Page, base_url: str, path: str, lang: str) -> list[str]:
    separator = "&" if "?" in path else "?"
    response = page.goto(f"{base_url}{path}{separator}lang={lang}")
    assert response is not None and response.status == ERROR_PAGES.get(path, 200), (path, page.url)
    assert page.evaluate("document.documentElement.lang") == lang
    return [f"{path} [{lang}] {line}" for line in violations(page)]


def test_axe_finds_no_violation_on_any_consumer_page_in_either_language(
    tab: tuple[BrowserContext, Page, Watch], base_url: str
) -> None:
    _, page, _ = tab
    found = [line for path in CONSUMER_PAGES for lang in LANGS for line in check(page, base_url, path, lang)]
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)


def test_axe_finds_no_violation_in_the_portal_in_either_language(
    tab: tuple[BrowserContext, Page, Watch], base_url: str
) -> None:
    _, page, _ = tab
    page.goto(f"{base_url}/portal/login?lang=en")
    found = [f"/portal/login [en] {line}" for line in violations(page)]
    page.locator("input[name=email]").fill(ADMIN_EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{base_url}/portal/claims")
    found += [line for path in PORTAL_PAGES for lang in LANGS for line in check(page, base_url, path, lang)]
    page.goto(f"{base_url}/portal/login?lang=vi")
    found += [f"/portal/login [vi] {line}" for line in violations(page)]
    assert found == [], json.dumps(found, ensure_ascii=False, indent=1)


def test_the_axe_harness_reports_the_two_unnamed_search_landmarks_pages_used_to_have(
    tab: tuple[BrowserContext, Page, Watch], base_url: str
) -> None:
    _, page, _ = tab
    page.goto(f"{base_url}/labels")
    page.evaluate(
        """() => {
            for (const form of document.querySelectorAll('form[role=search]')) form.removeAttribute('aria-labelledby');
            document.querySelector('main').insertAdjacentHTML('beforeend',
                '<form role="search"><label for="x">Search</label><input id="x"></form>');
        }"""
    )

    found = violations(page)
    assert any(line.startswith("landmark-unique (moderate)") for line in found), found
