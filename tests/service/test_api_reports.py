from litestar import Litestar
from litestar.testing import AsyncTestClient

from catalog.reports import LIMITS
from tests.plugins.accounts import Cast, sign_in

Client = AsyncTestClient[Litestar]


def _report(product_id: int, **fields: object) -> dict[str, object]:
    return {"product_id": product_id, "kind": "packaging", "message": "Túi đựng là nhựa, không phải giấy", **fields}


async def test_anyone_files_a_report_and_gets_its_number_but_no_echo_of_the_contact(client: Client, cast: Cast) -> None:
    response = await client.post("/api/v1/reports", json=_report(cast.product_a, contact="0912345678"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "new" and body["product_id"] == cast.product_a and "contact" not in body


async def test_bad_input_answers_400_naming_the_field(client: Client, cast: Cast) -> None:
    cases = {
        "message": _report(cast.product_a, message="x" * 1001),
        "kind": _report(cast.product_a, kind="rumour"),
        "product_id": _report(2**31),
        "store_id": _report(cast.product_a, kind="store"),
    }
    for field, body in cases.items():
        response = await client.post("/api/v1/reports", json=body)
        assert response.status_code == 400, (field, response.text)
        assert field in response.text
    missing = await client.post("/api/v1/reports", json=_report(999_999))
    assert missing.status_code == 404 and missing.json()["extra"][0]["key"] == "product_id"


async def test_thirty_reports_in_a_minute_from_one_address_get_429_after_the_limit(client: Client, cast: Cast) -> None:
    answers = [(await client.post("/api/v1/reports", json=_report(cast.product_a))) for _ in range(30)]
    codes = [a.status_code for a in answers]
    assert codes == [201] * LIMITS.per_address + [429] * (30 - LIMITS.per_address)
    retry = int(answers[-1].headers["Retry-After"])
    assert 1 <= retry <= LIMITS.window.total_seconds()
    assert answers[-1].json()["status_code"] == 429


async def test_only_admins_read_and_decide_reports(client: Client, cast: Cast) -> None:
    filed = (await client.post("/api/v1/reports", json=_report(cast.product_a, contact="ban.doc@example.vn"))).json()
    assert (await client.get("/api/v1/reports")).status_code == 401
    producer = await sign_in(client, cast.producer_a)
    assert (await client.get("/api/v1/reports", headers=producer)).status_code == 403
    assert (
        await client.patch(
            f"/api/v1/reports/{filed['id']}", json={"version": 1, "status": "in_review"}, headers=producer
        )
    ).status_code == 403
    admin = await sign_in(client, cast.admin)
    page = (await client.get("/api/v1/reports", params={"status": "new"}, headers=admin)).json()
    assert page["total"] == 1 and page["page"] == 1 and page["per_page"] == 20
    assert page["items"][0]["contact"] == "ban.doc@example.vn"


async def test_admin_moves_a_report_on_and_a_stale_version_answers_409(client: Client, cast: Cast) -> None:
    filed = (await client.post("/api/v1/reports", json=_report(cast.product_a))).json()
    admin = await sign_in(client, cast.admin)
    path = f"/api/v1/reports/{filed['id']}"
    review = await client.patch(path, json={"version": 1, "status": "in_review"}, headers=admin)
    assert review.status_code == 200 and review.json()["status"] == "in_review" and review.json()["version"] == 2
    stale = await client.patch(path, json={"version": 1, "status": "dismissed", "note": "trùng"}, headers=admin)
    assert stale.status_code == 409 and stale.json()["extra"][0]["current_version"] == 2
    no_note = await client.patch(path, json={"version": 2, "status": "dismissed"}, headers=admin)
    assert no_note.status_code == 400 and no_note.json()["extra"][0]["key"] == "note"
    done = await client.patch(path, json={"version": 2, "status": "dismissed", "note": "Bao bì đúng"}, headers=admin)
    assert done.status_code == 200 and done.json()["closed_at"] is not None
    log = (
        await client.get("/api/v1/audit", params={"entity": "report", "entity_id": filed["id"]}, headers=admin)
    ).json()
    assert [e["action"] for e in log["items"]] == ["dismiss", "review", "file"]


async def test_resolving_with_a_revocation_shows_the_claim_as_revoked_to_everyone(client: Client, cast: Cast) -> None:
    product = (await client.get(f"/api/v1/products/{cast.product_a}")).json()
    valid = next(c for c in product["certifications"] if c["valid_now"])
    filed = await client.post(
        "/api/v1/reports", json=_report(cast.product_a, kind="label", certification_id=valid["id"], message="Hết hạn")
    )
    assert (await client.get(f"/api/v1/products/{cast.product_a}")).json() == product  # a report alone changes nothing
    admin = await sign_in(client, cast.admin)
    decision = {"version": 1, "status": "resolved", "note": "Đã thu hồi", "remedy": "revoke_certification"}
    done = await client.patch(f"/api/v1/reports/{filed.json()['id']}", json=decision, headers=admin)
    assert done.status_code == 200 and done.json()["remedy"] == "revoke_certification"
    after = (await client.get(f"/api/v1/products/{cast.product_a}")).json()
    revoked = next(c for c in after["certifications"] if c["id"] == valid["id"])
    assert revoked["valid_now"] is False and revoked["status"] == "revoked"
