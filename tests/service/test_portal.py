import re
from datetime import date, timedelta
from pathlib import Path

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.forms import form_fields
from tests.plugins.accounts import PASSWORD, Cast, sign_in

Client = AsyncTestClient[Litestar]
SERVICE = Path(__file__).resolve().parents[2] / "service"


def _csrf(page: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert found, "the page has no CSRF field"
    return found.group(1)


def _version(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found
    return found.group(1)


async def _portal_sign_in(client: Client, email: str, lang: str = "en") -> str:
    """Sign in through the form; answers the page the account lands on."""
    form = await client.get("/portal/login", params={"lang": lang})
    landed = await client.post(
        "/portal/login", data={"email": email, "password": PASSWORD, "_csrf_token": _csrf(form.text), "next": "/portal"}
    )
    assert landed.status_code == 200, landed.text
    return landed.text


def _product_form(page: str, **changes: str) -> dict[str, str]:
    """The product form as the page shows it, with its pack replaced by one 300 g glass jar, then `changes`."""
    action = re.search(r'action="(/portal/products/\d+)"', page)
    assert action
    fields = {k: v for k, v in form_fields(page, action.group(1)).items() if not k.startswith("packaging")}
    fields |= {
        "packaging_count": "1",
        "packaging-0-role": "primary",
        "packaging-0-material_code": "GLASS",
        "packaging-0-mass_g": "300",
        "packaging-0-single_use": "on",
        "packaging-0-recycled_content_pct": "0",
        "packaging-0-biodegradable_claim": "none",
    }
    return {**fields, **changes}


async def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = await client.get("/portal/products", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/portal/login?next=/portal/products"


async def test_producer_signs_in_and_sees_only_its_own_products(client: Client, cast: Cast) -> None:
    page = await _portal_sign_in(client, cast.producer_a)
    assert "Your products" in page and "Bò viên Thúy Lực" in page
    other = (await client.get(f"/api/v1/products/{cast.product_b}")).json()["name_vi"]
    assert other not in page
    assert (await client.get(f"/portal/products/{cast.product_b}")).status_code == 403


async def test_wrong_password_shows_the_form_again(client: Client, cast: Cast) -> None:
    form = await client.get("/portal/login", params={"lang": "en"})
    response = await client.post(
        "/portal/login", data={"email": cast.producer_a, "password": "nope nope nope", "_csrf_token": _csrf(form.text)}
    )
    assert response.status_code == 401 and "Wrong e-mail or password." in response.text


async def test_a_form_without_its_csrf_token_is_refused(client: Client, cast: Cast) -> None:
    await _portal_sign_in(client, cast.producer_a)
    page = (await client.get(f"/portal/products/{cast.product_a}")).text
    form = _product_form(page, name_en="Forged")
    del form["_csrf_token"]
    response = await client.post(f"/portal/products/{cast.product_a}", data=form)
    assert response.status_code == 403
    assert (await client.get(f"/api/v1/products/{cast.product_a}")).json()["name_en"] != "Forged"


async def test_producer_edits_name_and_packaging_and_the_api_shows_it(client: Client, cast: Cast) -> None:
    await _portal_sign_in(client, cast.producer_a)
    page = (await client.get(f"/portal/products/{cast.product_a}")).text
    saved = await client.post(
        f"/portal/products/{cast.product_a}", data=_product_form(page, name_vi="Bò viên Thúy Lực đặc biệt")
    )
    assert saved.status_code == 200 and "Saved." in saved.text
    assert 'value="Bò viên Thúy Lực đặc biệt"' in saved.text
    product = (await client.get(f"/api/v1/products/{cast.product_a}")).json()
    assert product["name_vi"] == "Bò viên Thúy Lực đặc biệt"
    assert [(p["role"], p["material"], p["mass_g"]) for p in product["packaging"]] == [("primary", "GLASS", 300)]
    assert product["plastic_free"] is True


async def test_a_stale_form_is_not_saved_and_the_current_version_is_shown(client: Client, cast: Cast) -> None:
    await _portal_sign_in(client, cast.producer_a)
    page = (await client.get(f"/portal/products/{cast.product_a}")).text
    first = await client.post(f"/portal/products/{cast.product_a}", data=_product_form(page, name_en="First edit"))
    assert first.status_code == 200
    late = await client.post(f"/portal/products/{cast.product_a}", data=_product_form(page, name_en="Late edit"))
    assert late.status_code == 409
    assert "Your changes were not saved" in late.text and 'value="First edit"' in late.text
    assert (await client.get(f"/api/v1/products/{cast.product_a}")).json()["name_en"] == "First edit"


async def test_a_blank_vietnamese_name_is_refused_naming_the_field(client: Client, cast: Cast) -> None:
    await _portal_sign_in(client, cast.producer_a)
    page = (await client.get(f"/portal/products/{cast.product_a}")).text
    response = await client.post(f"/portal/products/{cast.product_a}", data=_product_form(page, name_vi=""))
    assert response.status_code == 400
    assert '<a href="#name_vi">Name (Vietnamese)</a>: This field cannot be empty.' in response.text
    assert '<p class="field-error" id="name_vi-error">This field cannot be empty.</p>' in response.text


async def test_form_errors_speak_vietnamese_next_to_the_field_and_in_a_linked_summary(
    client: Client, cast: Cast
) -> None:
    await _portal_sign_in(client, cast.producer_a, lang="vi")
    page = (await client.get(f"/portal/products/{cast.product_a}")).text
    claim = {"_csrf_token": _csrf(page), "scheme_code": "OCOP", "ocop_stars": "6"}
    response = await client.post(f"/portal/products/{cast.product_a}/claims", data=claim)
    assert response.status_code == 400
    assert '<a href="#ocop_stars">Sao OCOP</a>: Nhập giá trị không lớn hơn 5.' in response.text
    assert '<p class="field-error" id="ocop_stars-error">Nhập giá trị không lớn hơn 5.</p>' in response.text
    assert "Input should be" not in response.text


async def test_a_claim_from_the_portal_waits_for_the_admins_verification(
    client: Client, cast: Cast, today: date
) -> None:
    await _portal_sign_in(client, cast.producer_a)
    page = (await client.get(f"/portal/products/{cast.product_a}")).text
    claim = {
        "_csrf_token": _csrf(page),
        "scheme_code": "VIETGAP",
        "certificate_no": "VG-CM-2026-0077",
        "issued_on": (today - timedelta(days=3)).isoformat(),
        "valid_until": (today + timedelta(days=700)).isoformat(),
        "evidence_url": "https://example.vn/vg-0077.pdf",
    }
    sent = await client.post(f"/portal/products/{cast.product_a}/claims", data=claim)
    assert sent.status_code == 200 and "awaiting verification" in sent.text
    cert = next(
        c
        for c in (await client.get(f"/api/v1/products/{cast.product_a}")).json()["certifications"]
        if c["certificate_no"] == "VG-CM-2026-0077"
    )
    assert cert["valid_now"] is False

    queue = await _portal_sign_in(client, cast.admin)
    assert "VG-CM-2026-0077" in queue and "https://example.vn/vg-0077.pdf" in queue
    verified = await client.post(f"/portal/claims/{cert['id']}/verify", data={"_csrf_token": _csrf(queue)})
    assert verified.status_code == 200 and "Verified." in verified.text
    shown = {c["id"]: c for c in (await client.get(f"/api/v1/products/{cast.product_a}")).json()["certifications"]}
    assert shown[cert["id"]]["valid_now"] is True


async def test_admin_rejects_a_claim_with_a_reason_the_producer_reads(client: Client, cast: Cast) -> None:
    producer = await sign_in(client, cast.producer_a)
    claim = await client.post(
        f"/api/v1/products/{cast.product_a}/certifications",
        json={"scheme_code": "VIETGAP", "issued_on": "2026-01-05"},
        headers=producer,
    )
    queue = await _portal_sign_in(client, cast.admin)
    rejected = await client.post(
        f"/portal/claims/{claim.json()['id']}/reject",
        data={"_csrf_token": _csrf(queue), "reason": "Thiếu giấy chứng nhận"},
    )
    assert rejected.status_code == 200 and "Rejected." in rejected.text
    await client.post("/portal/logout", data={"_csrf_token": _csrf(rejected.text)})
    await _portal_sign_in(client, cast.producer_a)
    page = (await client.get(f"/portal/products/{cast.product_a}")).text
    assert "not accepted" in page and "Thiếu giấy chứng nhận" in page


async def test_store_records_its_bag_policy_and_manages_its_shelves(client: Client, cast: Cast) -> None:
    page = await _portal_sign_in(client, cast.store)
    assert f'action="/portal/stores/{cast.store_id}/print"' in page
    policy = {
        "_csrf_token": _csrf(page),
        "version": _version(page),
        "free_hard_to_degrade_bags": "no",
        "sells_reusable_bags": "yes",
        "paper_cartons": "yes",
        "compostable_bags": "",
        "bag_policy_since": "2026-06-05",
    }
    saved = await client.post(f"/portal/stores/{cast.store_id}", data=policy)
    assert saved.status_code == 200 and "Saved." in saved.text
    store = (await client.get(f"/api/v1/stores/{cast.store_id}")).json()
    assert store["free_hard_to_degrade_bags"] is False and store["compostable_bags"] is None
    assert store["bag_policy_since"] == "2026-06-05"

    listed = await client.post(
        f"/portal/stores/{cast.store_id}/listings",
        data={"_csrf_token": _csrf(saved.text), "gtin": "09506000134352", "price_vnd": "42000", "shelf": "Kệ 4"},
    )
    assert listed.status_code == 200 and "The product is now on your shelves." in listed.text
    demo = (await client.get("/api/v1/products", params={"gtin": "09506000134352"})).json()["items"][0]
    in_store = (await client.get("/api/v1/products", params={"store": cast.store_id, "per_page": 100})).json()
    assert demo["id"] in {p["id"] for p in in_store["items"]}

    assert (await client.get(f"/portal/stores/{cast.other_store_id}")).status_code == 403


async def test_pages_follow_the_chosen_language_and_fit_a_phone(client: Client, cast: Cast) -> None:
    page = await _portal_sign_in(client, cast.producer_a, lang="vi")
    assert "Sản phẩm của bạn" in page and '<html lang="vi">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    english = await client.get("/portal/products", params={"lang": "en"})
    assert "Your products" in english.text
    assert "Your products" in (await client.get("/portal/products")).text  # the choice is remembered


async def test_repeated_portal_sign_ins_are_throttled_with_a_page(client: Client, cast: Cast) -> None:
    token = _csrf((await client.get("/portal/login", params={"lang": "en"})).text)
    answers = [
        await client.post("/portal/login", data={"email": cast.store, "password": f"guess {n}", "_csrf_token": token})
        for n in range(11)
    ]
    assert [a.status_code for a in answers[-2:]] == [401, 429]
    assert "Too many attempts" in answers[-1].text and int(answers[-1].headers["Retry-After"]) >= 1
