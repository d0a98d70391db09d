"""/schema in Chromium with every other origin unreachable: the API documentation still renders."""

import pytest
from playwright.sync_api import Browser, Route, expect

from tests.browser.conftest import Watch

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_api_docs_render_with_no_internet(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watch = Watch(origin=base_url)
    blocked: list[str] = []

    def offline(route: Route) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()
    page.on("request", watch.request)
    page.goto(f"{base_url}/schema")

    expect(page.locator(".opblock-summary").first).to_be_visible()
    expect(page.get_by_text("/api/v1/search").first).to_be_visible()
    context.close()
    assert blocked == [] and watch.foreign == []
