"""Onboarding and shelf work in the portal, over HTTP: forms, invitations and the print choices."""

import re
from urllib.parse import parse_qs, urlsplit

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.plugins.accounts import PASSWORD, Cast

Client = AsyncTestClient[Litestar]


def _csrf(page: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


async def _portal_sign_in(client: Client, email: str, lang: str = "en") -> str:
    form = await client.get("/portal/login", params={"lang": lang})
    landed = await client.post(
        "/portal/login", data={"email": email, "password": PASSWORD, "_csrf_token": _csrf(form.text)}
    )
    assert landed.status_code == 200
    return landed.text


async def test_a_producer_without_a_name_is_refused_in_vietnamese_beside_the_field(client: Client, cast: Cast) -> None:
    page = await _portal_sign_in(client, cast.admin, lang="vi")
    response = await client.post(
        "/portal/producers", data={"_csrf_token": _csrf(page), "legal_name": " ", "entity_type": "cooperative"}
    )
    assert response.status_code == 400
    assert '<a href="#legal_name">Tên pháp lý</a>: Trường này là bắt buộc.' in response.text
    assert '<p class="field-error" id="legal_name-error">Trường này là bắt buộc.</p>' in response.text


async def test_an_invitation_link_works_once(client: Client, cast: Cast) -> None:
    page = await _portal_sign_in(client, cast.admin)
    shown = await client.post(
        f"/portal/stores/{cast.other_store_id}/invite", data={"_csrf_token": _csrf(page), "email": "st2@example.vn"}
    )
    link = re.search(r'<p class="link">([^<]+)</p>', shown.text).group(1)  # type: ignore[union-attr]
    client.cookies.clear()
    path = urlsplit(link).path
    form = await client.get(path, params={"lang": "en"})
    assert "You will sign in as st2@example.vn" in form.text
    short = await client.post(
        path, data={"_csrf_token": _csrf(form.text), "password": "ngắn", "password_again": "ngắn"}
    )
    assert short.status_code == 400 and "A password needs at least 10 characters." in short.text
    fields = {"_csrf_token": _csrf(form.text), "password": "một mật khẩu dài", "password_again": "một mật khẩu dài"}
    accepted = await client.post(path, data=fields, follow_redirects=False)
    assert accepted.status_code == 303
    assert (await client.get(f"/portal/stores/{cast.other_store_id}")).status_code == 200  # signed in as the store
    assert (await client.get(path)).status_code == 404


async def test_printing_chosen_tags_leaves_the_rest_for_not_yet_printed(client: Client, cast: Cast) -> None:
    page = await _portal_sign_in(client, cast.store)
    products = re.findall(r'name="product" value="(\d+)"', page)
    assert len(products) >= 3
    token = _csrf(page)
    chosen = await client.post(
        f"/portal/stores/{cast.store_id}/print",
        data={"_csrf_token": token, "which": "chosen", "product": products[:2], "start": "7"},
        follow_redirects=False,
    )
    assert chosen.status_code == 303
    first = parse_qs(urlsplit(chosen.headers["location"]).query)
    assert len(first["codes"][0].split(",")) == 2 and first["start"] == ["7"]
    rest = await client.post(
        f"/portal/stores/{cast.store_id}/print", data={"_csrf_token": token, "which": "new"}, follow_redirects=False
    )
    second = set(parse_qs(urlsplit(rest.headers["location"]).query)["codes"][0].split(","))
    assert len(second) == len(products) - 2
    assert not second & set(first["codes"][0].split(","))


async def test_a_price_typed_with_dots_is_saved_in_whole_dong(client: Client, cast: Cast) -> None:
    page = await _portal_sign_in(client, cast.store)
    listing_id = re.search(r'action="/portal/stores/\d+/listings/(\d+)"', page).group(1)  # type: ignore[union-attr]
    saved = await client.post(
        f"/portal/stores/{cast.store_id}/listings/{listing_id}",
        data={"_csrf_token": _csrf(page), "price_vnd": "95.000", "shelf": "Kệ 2", "active": "on"},
    )
    assert saved.status_code == 200
    assert "95.000" in saved.text
    listings = (await client.get(f"/api/v1/stores/{cast.store_id}/listings.csv")).text
    assert "95000" in listings


async def test_a_producer_keeps_its_own_record_and_saving_it_unchanged_changes_nothing(
    client: Client, cast: Cast
) -> None:
    await _portal_sign_in(client, cast.producer_a)
    page = (await client.get(f"/portal/producers/{cast.producer_a_id}")).text
    before = (await client.get(f"/api/v1/producers/{cast.producer_a_id}")).json()
    fields = dict(re.findall(r'<input id="(\w+)" name="\1" type="text" value="([^"]*)"', page))
    fields |= {"entity_type": before["entity_type"], "description_vi": before["description_vi"] or ""}
    fields |= {"description_en": before["description_en"] or "", "version": str(before["version"])}
    fields = {k: v.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"') for k, v in fields.items()}
    unchanged = await client.post(
        f"/portal/producers/{cast.producer_a_id}", data={"_csrf_token": _csrf(page), **fields}
    )
    assert unchanged.status_code == 200 and "Saved." in unchanged.text
    assert (await client.get(f"/api/v1/producers/{cast.producer_a_id}")).json() == before
    changed = {**fields, "commune": "Phường Tân Thành"}
    saved = await client.post(f"/portal/producers/{cast.producer_a_id}", data={"_csrf_token": _csrf(page), **changed})
    assert saved.status_code == 200
    after = (await client.get(f"/api/v1/producers/{cast.producer_a_id}")).json()
    assert (after["commune"], after["version"]) == ("Phường Tân Thành", before["version"] + 1)
    assert (await client.get(f"/portal/producers/{cast.producer_b_id}")).status_code == 403


async def test_a_producer_states_its_gs1_prefixes_in_the_portal_and_the_province_confirms_them(
    client: Client, cast: Cast
) -> None:
    page = await _portal_sign_in(client, cast.producer_a)
    record = (await client.get(f"/api/v1/producers/{cast.producer_a_id}")).json()
    form = (await client.get(f"/portal/producers/{cast.producer_a_id}")).text
    fields = {"legal_name": record["legal_name"], "entity_type": record["entity_type"], "version": record["version"]}
    stated = await client.post(
        f"/portal/producers/{cast.producer_a_id}",
        data={"_csrf_token": _csrf(form), **fields, "gs1_prefixes_proposed": "8930000, 893123"},
    )
    assert stated.status_code == 200 and "Saved." in stated.text
    assert 'value="8930000 893123"' in stated.text and "None confirmed yet." in stated.text
    assert (await client.get(f"/api/v1/producers/{cast.producer_a_id}")).json().get("gs1_prefixes") in (None, [])
    refused = await client.post(
        f"/portal/producers/{cast.producer_a_id}/gs1-prefixes", data={"_csrf_token": _csrf(page), "prefixes": "1"}
    )
    assert refused.status_code == 403

    await _portal_sign_in(client, cast.admin)
    admin_page = (await client.get(f"/portal/producers/{cast.producer_a_id}")).text
    assert 'name="prefixes" type="text" inputmode="numeric" maxlength="300" value="8930000 893123"' in admin_page
    done = await client.post(
        f"/portal/producers/{cast.producer_a_id}/gs1-prefixes",
        data={"_csrf_token": _csrf(admin_page), "prefixes": "8930000"},
    )
    assert done.status_code == 200 and "Confirmed: 8930000" in done.text
    assert (await client.get(f"/api/v1/producers/{cast.producer_a_id}")).json()["gs1_prefixes"] == ["8930000"]


async def test_a_refused_invitation_keeps_the_typed_email_for_producers_and_stores_alike(
    client: Client, cast: Cast
) -> None:
    page = await _portal_sign_in(client, cast.admin)
    for path in (f"/portal/producers/{cast.producer_a_id}/invite", f"/portal/stores/{cast.other_store_id}/invite"):
        refused = await client.post(path, data={"_csrf_token": _csrf(page), "email": "not-an-address"})
        assert refused.status_code == 400, path
        assert 'name="email" type="email" required value="not-an-address"' in refused.text, path
        assert 'class="field-error" id="email-error"' in refused.text, path
