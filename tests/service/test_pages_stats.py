"""The public plan summary (/stats) and the province's dashboard (/portal/province)."""

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.plugins.accounts import Cast, sign_in
from tests.service.test_portal import _portal_sign_in

Client = AsyncTestClient[Litestar]
PAGE_LIMIT = 60 * 1024


async def test_stats_page_is_small_has_no_script_and_draws_three_charts_with_tables(client: Client) -> None:
    for lang, heading in (("vi", "Tiến độ thực hiện kế hoạch"), ("en", "Progress against the plan")):
        response = await client.get("/stats", params={"lang": lang})
        assert response.status_code == 200
        page = response.text
        assert len(response.content) <= PAGE_LIMIT, len(response.content)
        assert "<script" not in page.lower() and "javascript:" not in page.lower()
        assert f"<h1>{heading}</h1>" in page
        assert page.count("<svg") == 3 and page.count('role="img"') == 3
        assert page.count("<figure") == 3 and page.count("<details>") == 3
        assert "174/KH-UBND" in page
        assert re.search(r"https?://(?!www\.w3\.org)", page.split("<svg", 1)[1]) is None, "no other origin"


async def test_stats_page_shows_the_share_and_the_plan_target_in_each_language(client: Client) -> None:
    english = (await client.get("/stats", params={"lang": "en"})).text
    assert "Share of them without free hard-to-degrade plastic bags" in english and "≥ 55%" in english
    vietnamese = (await client.get("/stats", params={"lang": "vi"})).text
    assert "không phát túi ni lông khó phân hủy miễn phí" in vietnamese and "≥ 55%" in vietnamese


async def test_province_dashboard_is_for_admins_only(client: Client, cast: Cast) -> None:
    await _portal_sign_in(client, cast.producer_a)
    assert (await client.get("/portal/province")).status_code == 403
    await client.post("/portal/logout", data={})
    client.cookies.clear()
    page = await _portal_sign_in(client, cast.admin)
    dashboard = await client.get("/portal/province", params={"lang": "en"})
    assert dashboard.status_code == 200
    assert dashboard.text.count("<svg") == 3 and "Certificates ending within 90 days" in dashboard.text
    assert "/api/v1/stats/plan.xlsx" in dashboard.text and page


async def test_admin_registers_an_awareness_event_and_it_counts(client: Client, cast: Cast) -> None:
    await _portal_sign_in(client, cast.admin)
    page = (await client.get("/portal/province", params={"lang": "en"})).text
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert token
    form = {
        "_csrf_token": token.group(1),
        "held_on": "2026-06-05",
        "title": "Ngày Môi trường thế giới",
        "organiser": "Sở Công Thương Cà Mau",
        "attendees": "120",
    }
    saved = await client.post("/portal/province/events", data=form, follow_redirects=False)
    assert saved.status_code == 303
    headers = await sign_in(client, cast.admin)
    body = (await client.get("/api/v1/stats/plan", headers=headers)).json()
    events = next(i for i in body["indicators"] if i["key"] == "awareness_events")
    assert events["value"] == 1 and events["met"] is False
    assert [e["title"] for e in body["awareness_events"]] == ["Ngày Môi trường thế giới"]
    bad = await client.post("/portal/province/events", data={**form, "title": " "})
    assert bad.status_code == 400 and "title" in bad.text
