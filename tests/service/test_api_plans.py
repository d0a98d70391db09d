"""Plans, targets and awareness events are data that admins keep through the API."""

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.plugins.accounts import Cast, sign_in

Client = AsyncTestClient[Litestar]


async def test_the_seeded_plan_holds_the_bag_and_campaign_targets(client: Client, cast: Cast) -> None:
    headers = await sign_in(client, cast.admin)
    plans = (await client.get("/api/v1/plans", headers=headers)).json()
    assert [(p["code"], p["year"], p["province"]) for p in plans] == [("174/KH-UBND", 2024, "Cà Mau")]
    targets = {t["indicator"]: (t["comparison"], t["value"]) for t in plans[0]["targets"]}
    assert targets["target_stores_without_free_bags"] == ("at_least", 0.55)
    assert targets["awareness_events"] == ("at_least", 2)


async def test_next_years_plan_is_a_row_and_its_targets_apply_from_its_year(client: Client, cast: Cast) -> None:
    headers = await sign_in(client, cast.admin)
    draft = {
        "code": "201/KH-UBND",
        "year": 2026,
        "title_vi": "Kế hoạch  sản xuất và tiêu dùng bền vững năm 2026",
        "targets": [{"indicator": "target_stores_without_free_bags", "value": 0.7}],
    }
    created = await client.post("/api/v1/plans", json=draft, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["title_vi"] == "Kế hoạch sản xuất và tiêu dùng bền vững năm 2026"
    this_year = (await client.get("/api/v1/stats/plan", params={"on": "2026-11-25"}, headers=headers)).json()
    assert this_year["plan"]["code"] == "201/KH-UBND"
    bags = next(i for i in this_year["indicators"] if i["key"] == "target_stores_without_free_bags")
    assert bags["target"] == 0.7
    assert next(i for i in this_year["indicators"] if i["key"] == "awareness_events")["target"] is None
    last_year = (await client.get("/api/v1/stats/plan", params={"on": "2025-06-30"}, headers=headers)).json()
    assert last_year["plan"]["code"] == "174/KH-UBND"
    again = await client.post("/api/v1/plans", json=draft, headers=headers)
    assert again.status_code == 409 and again.json()["extra"][0]["key"] == "code"


async def test_admin_edits_targets_with_the_version_and_an_unchanged_save_changes_nothing(
    client: Client, cast: Cast
) -> None:
    headers = await sign_in(client, cast.admin)
    plan = (await client.get("/api/v1/plans", headers=headers)).json()[0]
    same = {"version": plan["version"], "targets": plan["targets"]}
    unchanged = await client.patch(f"/api/v1/plans/{plan['id']}", json=same, headers=headers)
    assert unchanged.status_code == 200 and unchanged.json()["version"] == plan["version"]
    targets = [
        t | {"value": 0.6} if t["indicator"] == "target_stores_without_free_bags" else t for t in plan["targets"]
    ]
    changed = await client.patch(
        f"/api/v1/plans/{plan['id']}", json={"version": plan["version"], "targets": targets}, headers=headers
    )
    assert changed.status_code == 200 and changed.json()["version"] == plan["version"] + 1
    stale = await client.patch(f"/api/v1/plans/{plan['id']}", json=same, headers=headers)
    assert stale.status_code == 409 and stale.json()["extra"][0]["current_version"] == plan["version"] + 1
    stats = (await client.get("/api/v1/stats/plan", headers=headers)).json()
    assert next(i for i in stats["indicators"] if i["key"] == "target_stores_without_free_bags")["target"] == 0.6


async def test_bad_plan_and_event_input_answers_400_naming_the_field(client: Client, cast: Cast) -> None:
    headers = await sign_in(client, cast.admin)
    typo = {
        "code": "1/KH",
        "year": 2027,
        "title_vi": "Kế hoạch",
        "targets": [{"indicator": "target_store", "value": 1}],
    }
    response = await client.post("/api/v1/plans", json=typo, headers=headers)
    assert response.status_code == 400 and response.json()["extra"][0]["key"] == "targets"
    negative = {**typo, "targets": [{"indicator": "awareness_events", "value": -1}]}
    response = await client.post("/api/v1/plans", json=negative, headers=headers)
    assert response.status_code == 400 and "value" in response.json()["extra"][0]["key"]
    event = await client.post(
        "/api/v1/awareness-events", json={"held_on": "2026-13-01", "title": "x", "organiser": "y"}, headers=headers
    )
    assert event.status_code == 400 and "held_on" in event.json()["extra"][0]["key"]
    missing = await client.get("/api/v1/plans/999999", headers=headers)
    assert missing.status_code == 404


async def test_only_admins_read_or_change_the_plan_and_its_events(client: Client, cast: Cast) -> None:
    for email in (cast.producer_a, cast.store):
        headers = await sign_in(client, email)
        assert (await client.get("/api/v1/plans", headers=headers)).status_code == 403
        assert (await client.get("/api/v1/stats/plan", headers=headers)).status_code == 403
        assert (await client.get("/api/v1/stats/plan.xlsx", headers=headers)).status_code == 403
        posted = await client.post(
            "/api/v1/awareness-events",
            json={"held_on": "2026-06-05", "title": "Ngày Môi trường", "organiser": "Sở Công Thương"},
            headers=headers,
        )
        assert posted.status_code == 403
    assert (await client.get("/api/v1/stats/plan")).status_code == 401


async def test_admin_registers_corrects_and_removes_an_event(client: Client, cast: Cast) -> None:
    headers = await sign_in(client, cast.admin)
    created = await client.post(
        "/api/v1/awareness-events",
        json={
            "held_on": "2026-06-05",
            "title": "Ngày Môi trường thế giới",
            "organiser": "Sở Công Thương",
            "attendees": 80,
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    event = created.json()
    fixed = await client.patch(
        f"/api/v1/awareness-events/{event['id']}", json={"version": event["version"], "attendees": 120}, headers=headers
    )
    assert fixed.json()["attendees"] == 120 and fixed.json()["version"] == event["version"] + 1
    listed = (await client.get("/api/v1/awareness-events", params={"year": 2026}, headers=headers)).json()
    assert [e["title"] for e in listed] == ["Ngày Môi trường thế giới"]
    assert (await client.delete(f"/api/v1/awareness-events/{event['id']}", headers=headers)).status_code == 204
    assert (await client.get("/api/v1/awareness-events", headers=headers)).json() == []
