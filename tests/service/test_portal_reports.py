import re

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.plugins.accounts import PASSWORD, Cast, sign_in

Client = AsyncTestClient[Litestar]


def _csrf(page: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert found, "the page has no CSRF field"
    return found.group(1)


async def _portal_sign_in(client: Client, email: str) -> None:
    form = await client.get("/portal/login", params={"lang": "en"})
    landed = await client.post(
        "/portal/login", data={"email": email, "password": PASSWORD, "_csrf_token": _csrf(form.text), "next": "/portal"}
    )
    assert landed.status_code == 200, landed.text


async def _file(client: Client, product_id: int, **fields: object) -> int:
    body = {"product_id": product_id, "kind": "other", "message": "Sai thông tin", **fields}
    response = await client.post("/api/v1/reports", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def test_a_script_in_a_message_shows_as_text_in_the_portal(client: Client, cast: Cast) -> None:
    await _file(client, cast.product_a, message='<script>alert("x")</script> nhãn giả', contact="0912345678")
    await _portal_sign_in(client, cast.admin)
    page = (await client.get("/portal/reports")).text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; nhãn giả" in page
    assert "<script>" not in page
    assert "0912345678" in page  # the province sees the contact


async def test_the_queue_groups_reports_by_product_newest_first_beside_current_claims(
    client: Client, cast: Cast
) -> None:
    first = await _file(client, cast.product_b, message="cũ nhất")
    await _file(client, cast.product_a, message="ở giữa")
    newest = await _file(client, cast.product_b, message="mới nhất")
    await _portal_sign_in(client, cast.admin)
    page = (await client.get("/portal/reports")).text
    product_b = (await client.get(f"/api/v1/products/{cast.product_b}")).json()
    product_a = (await client.get(f"/api/v1/products/{cast.product_a}")).json()
    assert page.index(product_b["name_vi"]) < page.index(product_a["name_vi"])
    assert page.index(f"report-{newest}") < page.index(f"report-{first}") < page.index(product_a["name_vi"])
    assert "Current claims" in page and "valid" in page


async def test_admin_resolves_a_report_by_revoking_the_certificate_from_the_queue(client: Client, cast: Cast) -> None:
    product = (await client.get(f"/api/v1/products/{cast.product_a}")).json()
    valid = next(c for c in product["certifications"] if c["valid_now"])
    report_id = await _file(client, cast.product_a, kind="label", certification_id=valid["id"])
    await _portal_sign_in(client, cast.admin)
    page = (await client.get("/portal/reports")).text
    assert f'<option value="revoke:{valid["id"]}" selected>' in page
    sent = await client.post(
        f"/portal/reports/{report_id}/decide",
        data={
            "_csrf_token": _csrf(page),
            "version": "1",
            "note": "Giấy chứng nhận đã hết hiệu lực",
            "remedy": f"revoke:{valid['id']}",
            "decision": "resolved",
        },
    )
    assert sent.status_code == 200 and "Resolved." in sent.text
    after = (await client.get(f"/api/v1/products/{cast.product_a}")).json()
    assert next(c for c in after["certifications"] if c["id"] == valid["id"])["status"] == "revoked"
    admin = await sign_in(client, cast.admin)
    revocations = await client.get(
        "/api/v1/audit", params={"entity": "certification", "entity_id": valid["id"]}, headers=admin
    )
    assert revocations.json()["items"][0]["action"] == "revoke"


async def test_resolving_without_a_note_shows_the_queue_with_the_error_and_changes_nothing(
    client: Client, cast: Cast
) -> None:
    report_id = await _file(client, cast.product_a)
    await _portal_sign_in(client, cast.admin)
    page = (await client.get("/portal/reports")).text
    sent = await client.post(
        f"/portal/reports/{report_id}/decide",
        data={"_csrf_token": _csrf(page), "version": "1", "note": "", "remedy": "withdraw", "decision": "resolved"},
    )
    assert sent.status_code == 400 and "note" in sent.text
    assert (await client.get(f"/api/v1/products/{cast.product_a}")).status_code == 200


async def test_producers_see_their_own_reports_without_the_contact_and_answer(client: Client, cast: Cast) -> None:
    mine = await _file(client, cast.product_a, message="bao bì nhựa", contact="ban.doc@example.vn")
    await _file(client, cast.product_b, message="của người khác")
    await _portal_sign_in(client, cast.producer_a)
    page = (await client.get("/portal/reports")).text
    assert "bao bì nhựa" in page and "của người khác" not in page
    assert "ban.doc@example.vn" not in page and "/decide" not in page
    sent = await client.post(
        f"/portal/reports/{mine}/answer", data={"_csrf_token": _csrf(page), "answer": "Đã đổi sang túi giấy"}
    )
    assert sent.status_code == 200 and "Đã đổi sang túi giấy" in sent.text
    admin = await sign_in(client, cast.admin)
    listed = (await client.get("/api/v1/reports", headers=admin)).json()["items"]
    assert next(r for r in listed if r["id"] == mine)["producer_answer"] == "Đã đổi sang túi giấy"


async def test_a_producer_cannot_answer_or_decide_another_producers_report(client: Client, cast: Cast) -> None:
    theirs = await _file(client, cast.product_b)
    await _portal_sign_in(client, cast.producer_a)
    page = (await client.get("/portal/reports")).text
    token = _csrf(page)
    answered = await client.post(f"/portal/reports/{theirs}/answer", data={"_csrf_token": token, "answer": "không"})
    assert answered.status_code == 403
    decided = await client.post(
        f"/portal/reports/{theirs}/decide", data={"_csrf_token": token, "version": "1", "decision": "in_review"}
    )
    assert decided.status_code == 403
    assert (await client.get("/portal/reports", params={"lang": "en"})).status_code == 200
