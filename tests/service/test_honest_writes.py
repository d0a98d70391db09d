"""Issue 10: every write path keeps what shoppers read honest (one regression test per defect)."""

import asyncio
import re
import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog import certifications, db, greenness, migrations, prices
from catalog import gtin as gtins
from catalog.certifications import CertificationDraft, CertificationStatus
from catalog.products import Product
from catalog.tags import ShelfTag
from tests.forms import form_fields
from tests.plugins.accounts import PASSWORD, Cast, sign_in

Client = AsyncTestClient[Litestar]


async def _product(client: Client, product_id: int) -> dict:
    response = await client.get(f"/api/v1/products/{product_id}")
    assert response.status_code == 200, response.text
    return response.json()


# Defect 2 ---------------------------------------------------------------------------------------------------


async def test_defect2_patch_replacing_packaging_answers_200_and_stores_the_new_pack(
    client: Client, cast: Cast
) -> None:
    headers = await sign_in(client, cast.producer_a)
    version = (await _product(client, cast.product_a))["version"]
    response = await client.patch(
        f"/api/v1/products/{cast.product_a}",
        json={"version": version, "packaging": [{"role": "primary", "material_code": "GLASS", "mass_g": 350}]},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    shown = (await _product(client, cast.product_a))["packaging"]
    assert [(c["role"], c["material"], c["mass_g"]) for c in shown] == [("primary", "GLASS", 350)]


# Defect 3 ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["95.000", "95 000", "95000", "95.000 ₫", "95,000"])
def test_defect3_prices_read_vietnamese_thousands_dots(typed: str) -> None:
    assert prices.parse_vnd(typed) == 95_000


@pytest.mark.parametrize("typed", ["95,5", "9.5.0", "95.00", "95.000,5", "abc", "-5"])
def test_defect3_ambiguous_prices_are_refused_not_guessed(typed: str) -> None:
    with pytest.raises(prices.InvalidPrice):
        prices.parse_vnd(typed)


# Defect 4 ---------------------------------------------------------------------------------------------------


async def test_defect4_a_scheme_with_a_validity_period_requires_issued_on_and_caps_valid_until(
    session: AsyncSession, cast: Cast
) -> None:
    async with session.begin():
        with pytest.raises(certifications.CatalogError) as missing:
            await certifications.claim(
                session, cast.product_a, CertificationDraft(scheme_code="VIETGAP", certificate_no="X"), actor_id=None
            )
        assert missing.value.field == "issued_on"
        issued = date(2025, 3, 1)
        capped = await certifications.claim(
            session,
            cast.product_a,
            CertificationDraft(scheme_code="VIETGAP", issued_on=issued, valid_until=date(2099, 1, 1)),
            actor_id=None,
        )
        defaulted = await certifications.claim(
            session, cast.product_a, CertificationDraft(scheme_code="VIETGAP", issued_on=issued), actor_id=None
        )
        shorter = await certifications.claim(
            session,
            cast.product_a,
            CertificationDraft(scheme_code="VIETGAP", issued_on=issued, valid_until=date(2026, 1, 1)),
            actor_id=None,
        )
    assert capped.valid_until == defaulted.valid_until == date(2027, 2, 28)
    assert shorter.valid_until == date(2026, 1, 1)


async def test_defect4_a_verified_certificate_without_issue_date_never_counts_as_valid(
    session: AsyncSession, cast: Cast, today: date
) -> None:
    async with session.begin():
        cert = await certifications.claim(
            session,
            cast.product_a,
            CertificationDraft(scheme_code="VIETGAP", issued_on=today - timedelta(days=10)),
            actor_id=None,
        )
        cert.issued_on, cert.valid_until, cert.status = None, None, CertificationStatus.VERIFIED
        assert not cert.is_valid_on(today)
        assert cert.standing_on(today) is certifications.Standing.CLAIMED


def test_defect4_the_migration_caps_stored_dates_and_sends_undated_verifications_back(demo_db_url: str) -> None:
    async def ids() -> tuple[int, int, int]:
        engine = db.create_engine(demo_db_url)
        async with engine.begin() as conn:
            product = (await conn.execute(sa.text("SELECT id FROM product WHERE code = 'P001'"))).scalar_one()
            made = []
            for issued, until in (("2025-03-01", "2099-01-01"), (None, None), ("2025-03-01", None)):
                row = await conn.execute(
                    sa.text(
                        "INSERT INTO certification (product_id, scheme_code, issued_on, valid_until, status, "
                        "illustrative, created_at) VALUES (:p, 'VIETGAP', :i, :u, 'verified', false, :now) RETURNING id"
                    ),
                    {
                        "p": product,
                        "i": issued and date.fromisoformat(issued),
                        "u": until and date.fromisoformat(until),
                        "now": datetime(2026, 1, 1, tzinfo=UTC),
                    },
                )
                made.append(row.scalar_one())
        await engine.dispose()
        return made[0], made[1], made[2]

    async def read(cert_ids: tuple[int, ...]) -> list[tuple[str, object]]:
        engine = db.create_engine(demo_db_url)
        async with engine.connect() as conn:
            rows = [
                (await conn.execute(sa.text(f"SELECT status, valid_until FROM certification WHERE id = {i}"))).one()
                for i in cert_ids
            ]
        await engine.dispose()
        return [(status, str(until)[:10] if until else None) for status, until in rows]

    config = migrations.alembic_config(demo_db_url)
    command.downgrade(config, "0001")
    forever, undated, open_ended = asyncio.run(ids())
    command.upgrade(config, "head")
    assert asyncio.run(read((forever, undated, open_ended))) == [
        ("verified", "2027-02-28"),
        ("claimed", None),
        ("verified", "2027-02-28"),
    ]


# Defect 1 and the new user's round trip ---------------------------------------------------------------------


async def _portal_sign_in(client: Client, email: str) -> None:
    form = await client.get("/portal/login", params={"lang": "en"})
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text)
    assert token
    landed = await client.post(
        "/portal/login", data={"email": email, "password": PASSWORD, "_csrf_token": token.group(1), "next": "/portal"}
    )
    assert landed.status_code == 200, landed.text


async def _id_of(demo_db_url: str, code: str) -> int:
    engine = db.create_engine(demo_db_url)
    async with db.session_factory(engine)() as s:
        found = await s.scalar(select(Product.id).where(col(Product.code) == code))
    await engine.dispose()
    assert found is not None
    return found


async def test_defect1_portal_save_changing_only_the_description_keeps_everything_else(
    client: Client, cast: Cast, demo_db_url: str
) -> None:
    wine = await _id_of(demo_db_url, "P006")  # a reusable glass bottle described as "Chai thủy tinh"
    before = await _product(client, wine)
    assert any(c["reusable"] and c["description_vi"] == "Chai thủy tinh" for c in before["packaging"])
    await _portal_sign_in(client, cast.admin)
    page = await client.get(f"/portal/products/{wine}")
    fields = form_fields(page.text, f"/portal/products/{wine}")
    fields["description_vi"] = "Rượu nếp truyền thống, mô tả mới."
    saved = await client.post(f"/portal/products/{wine}", data=fields, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    after = await _product(client, wine)
    assert after["description_vi"] == "Rượu nếp truyền thống, mô tả mới."
    assert after["version"] == before["version"] + 1
    ignore = {"description_vi", "version", "updated_at"}
    assert {k: v for k, v in after.items() if k not in ignore} == {k: v for k, v in before.items() if k not in ignore}


async def test_defect1_portal_form_saved_unchanged_changes_nothing(
    client: Client, cast: Cast, demo_db_url: str
) -> None:
    wine = await _id_of(demo_db_url, "P006")
    before = await _product(client, wine)
    await _portal_sign_in(client, cast.admin)
    page = await client.get(f"/portal/products/{wine}")
    saved = await client.post(
        f"/portal/products/{wine}", data=form_fields(page.text, f"/portal/products/{wine}"), follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    assert await _product(client, wine) == before


async def test_defect1_portal_packaging_editor_edits_every_component_field(
    client: Client, cast: Cast, demo_db_url: str
) -> None:
    wine = await _id_of(demo_db_url, "P006")
    await _portal_sign_in(client, cast.admin)
    page = await client.get(f"/portal/products/{wine}")
    fields = form_fields(page.text, f"/portal/products/{wine}")
    count = int(fields["packaging_count"])
    new = count - 2  # the first blank row
    fields |= {
        f"packaging-{new}-role": "secondary",
        f"packaging-{new}-material_code": "PAPER",
        f"packaging-{new}-description_vi": "Hộp giấy",
        f"packaging-{new}-description_en": "Paper box",
        f"packaging-{new}-mass_g": "42.5",
        f"packaging-{new}-recycled_content_pct": "60",
        f"packaging-{new}-biodegradable_claim": "compostable_self_declared",
        f"packaging-{new}-reusable": "on",
        "packaging-0-remove": "on",
    }
    fields.pop(f"packaging-{new}-single_use", None)
    saved = await client.post(f"/portal/products/{wine}", data=fields, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    pack = (await _product(client, wine))["packaging"]
    assert len(pack) == count - 2  # one removed, one added
    added = pack[-1]
    assert (added["role"], added["material"], added["description_vi"], added["description_en"]) == (
        "secondary",
        "PAPER",
        "Hộp giấy",
        "Paper box",
    )
    assert (added["mass_g"], added["recycled_content_pct"], added["biodegradable_claim"]) == (
        42.5,
        60,
        "compostable_self_declared",
    )
    assert (added["single_use"], added["reusable"], added["refillable"]) == (False, True, False)


async def test_portal_creates_a_draft_product_with_packaging_then_publishes_it(client: Client, cast: Cast) -> None:
    await _portal_sign_in(client, cast.producer_a)
    page = await client.get("/portal/products/new")
    assert page.status_code == 200
    fields = form_fields(page.text, "/portal/products/new")
    fields |= {
        "name_vi": "Chả cá thác lác Năm Căn",
        "category_code": "processed_meat_fish",
        "net_quantity": "500",
        "net_quantity_unit": "g",
        "packaging-0-material_code": "PAPER",
        "packaging-0-description_vi": "Khay giấy",
    }
    created = await client.post("/portal/products/new", data=fields, follow_redirects=False)
    assert created.status_code == 303, created.text
    product_id = int(created.headers["location"].split("/")[-1].split("?")[0])
    assert (await client.get(f"/api/v1/products/{product_id}")).status_code == 404  # a draft is not public
    page = await client.get(f"/portal/products/{product_id}")
    fields = form_fields(page.text, f"/portal/products/{product_id}")
    assert fields["status"] == "draft" and fields["packaging-0-description_vi"] == "Khay giấy"
    fields["status"] = "published"
    saved = await client.post(f"/portal/products/{product_id}", data=fields, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    shown = await _product(client, product_id)
    assert shown["name_vi"] == "Chả cá thác lác Năm Căn" and shown["packaging"][0]["material"] == "PAPER"


# Defect 3: the portal and the shelf tag ---------------------------------------------------------------------


async def test_defect3_a_price_typed_95_000_in_the_portal_prints_95_000_dong_on_the_tag_sheet(
    client: Client, cast: Cast
) -> None:
    await _portal_sign_in(client, cast.store)
    page = await client.get(f"/portal/stores/{cast.store_id}")
    fields = form_fields(page.text, f"/portal/stores/{cast.store_id}/listings")
    fields |= {"gtin": "09506000134352", "price_vnd": "95.000", "shelf": "Kệ 3"}
    added = await client.post(f"/portal/stores/{cast.store_id}/listings", data=fields, follow_redirects=False)
    assert added.status_code == 303, added.text
    page = await client.get(f"/portal/stores/{cast.store_id}", params={"lang": "vi"})
    assert "95.000\xa0₫" in page.text or "95.000 ₫" in page.text
    headers = await sign_in(client, cast.store)
    assert (await client.post(f"/api/v1/stores/{cast.store_id}/tags", headers=headers)).status_code in (200, 201)
    sheet = await client.get(f"/api/v1/stores/{cast.store_id}/tags.pdf", headers=headers)
    assert sheet.status_code == 200
    run = subprocess.run
    printed = (await asyncio.to_thread(run, ["pdftotext", "-", "-"], input=sheet.content, capture_output=True)).stdout
    assert "95.000 ₫" in re.sub(r"\s+", " ", printed.decode().replace("\xa0", " "))


async def test_defect3_an_ambiguous_price_in_the_portal_is_refused_in_vietnamese(client: Client, cast: Cast) -> None:
    await _portal_sign_in(client, cast.store)
    page = await client.get(f"/portal/stores/{cast.store_id}", params={"lang": "vi"})
    fields = form_fields(page.text, f"/portal/stores/{cast.store_id}/listings")
    fields |= {"gtin": "09506000134352", "price_vnd": "95,5"}
    refused = await client.post(f"/portal/stores/{cast.store_id}/listings", data=fields)
    assert refused.status_code == 400
    assert "Ghi giá bằng số đồng" in refused.text


# Defect 5 ---------------------------------------------------------------------------------------------------


def test_defect5_unknown_packaging_earns_no_reason_and_never_outranks_a_declared_pp_cap() -> None:
    unknown = greenness.GreenFacts(packaging_known=False)
    pp_cap = greenness.GreenFacts(hard_to_degrade_plastic=True)
    assert greenness.reasons(unknown, pp_cap) == []
    assert not greenness.is_greener(unknown, pp_cap)
    assert greenness.score(unknown) <= greenness.score(pp_cap)


async def test_defect5_a_product_without_packaging_says_packaging_not_declared(
    client: Client, cast: Cast, demo_db_url: str
) -> None:
    headers = await sign_in(client, cast.producer_a)
    before = await _product(client, cast.product_a)
    patched = await client.patch(
        f"/api/v1/products/{cast.product_a}", json={"version": before["version"], "packaging": []}, headers=headers
    )
    assert patched.status_code == 200, patched.text
    page = await client.get(f"/p/{before['slug']}", params={"lang": "en"})
    assert "Packaging not declared" in page.text
    assert "Plastic-free pack" not in page.text


# Defect 7 ---------------------------------------------------------------------------------------------------


def _gtin(body: str) -> str:
    return body + str(gtins.check_digit(body))


@pytest.mark.parametrize(
    "number",
    [
        "0416000336108",  # GS1's test number: a 04x in-company number
        _gtin("020123456789"),
        _gtin("029123456789"),
        _gtin("040123456789"),
        _gtin("049123456789"),
        _gtin("200123456789"),
        _gtin("299123456789"),
        _gtin("0123456"),  # GTIN-8 starting 0
        _gtin("2123456"),  # GTIN-8 starting 2
        _gtin("21234567890"),  # GTIN-12 starting 2
        _gtin("41234567890"),  # GTIN-12 starting 4
        "00000000000000",
    ],
)
def test_defect7_restricted_circulation_and_all_zero_gtins_are_never_public(number: str) -> None:
    assert not gtins.is_publishable(gtins.to_gtin14(number))


@pytest.mark.parametrize("number", ["09506000134352", "8936012345674", _gtin("5012345"), _gtin("01234567890")])
def test_defect7_ordinary_gtins_may_be_public(number: str) -> None:
    assert gtins.is_publishable(gtins.to_gtin14(number))


async def test_defect7_a_gtin_already_held_answers_409_naming_the_holder_never_a_takeover(
    client: Client, cast: Cast
) -> None:
    held = await _product(client, cast.product_a)
    assert held["gtin"]
    thief = await sign_in(client, cast.producer_b)
    version = (await _product(client, cast.product_b))["version"]
    response = await client.patch(
        f"/api/v1/products/{cast.product_b}", json={"version": version, "gtin": held["gtin"]}, headers=thief
    )
    assert response.status_code == 409
    assert response.json()["extra"][0]["key"] == "gtin"
    assert f"product {cast.product_a}" in response.json()["extra"][0]["message"]
    assert (await _product(client, cast.product_a))["gtin"] == held["gtin"]


async def test_defect7_a_gtin_outside_confirmed_prefixes_is_stored_but_not_a_public_link_until_confirmed(
    client: Client, cast: Cast
) -> None:
    producer = await sign_in(client, cast.producer_a)
    version = (await _product(client, cast.product_a))["version"]
    patched = await client.patch(
        f"/api/v1/products/{cast.product_a}", json={"version": version, "gtin": "8936012345674"}, headers=producer
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["gtin"] == "08936012345674" and patched.json()["gtin_public"] is False
    assert (await client.get("/01/08936012345674")).status_code == 404
    admin = await sign_in(client, cast.admin)
    prefixes = await client.put(
        f"/api/v1/producers/{cast.producer_a_id}/gs1-prefixes", json={"prefixes": ["893601234"]}, headers=admin
    )
    assert prefixes.status_code == 200, prefixes.text
    assert (await _product(client, cast.product_a))["gtin_public"] is True
    assert (await client.get("/01/08936012345674")).status_code == 200


async def test_defect7_an_admin_confirms_one_gtin_outside_the_prefixes(client: Client, cast: Cast) -> None:
    producer = await sign_in(client, cast.producer_a)
    version = (await _product(client, cast.product_a))["version"]
    await client.patch(
        f"/api/v1/products/{cast.product_a}", json={"version": version, "gtin": "8936012345674"}, headers=producer
    )
    assert (
        await client.post(f"/api/v1/products/{cast.product_a}/gtin-confirmation", headers=producer)
    ).status_code == 403
    admin = await sign_in(client, cast.admin)
    confirmed = await client.post(f"/api/v1/products/{cast.product_a}/gtin-confirmation", headers=admin)
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["gtin_public"] is True


# Defect 8 ---------------------------------------------------------------------------------------------------


async def test_defect8_a_producer_cannot_republish_a_product_the_province_withdrew(client: Client, cast: Cast) -> None:
    admin = await sign_in(client, cast.admin)
    version = (await _product(client, cast.product_a))["version"]
    withdrawn = await client.patch(
        f"/api/v1/products/{cast.product_a}", json={"version": version, "status": "withdrawn"}, headers=admin
    )
    assert withdrawn.status_code == 200, withdrawn.text
    producer = await sign_in(client, cast.producer_a)
    again = await client.patch(
        f"/api/v1/products/{cast.product_a}",
        json={"version": withdrawn.json()["version"], "status": "published"},
        headers=producer,
    )
    assert again.status_code == 403
    assert again.json()["extra"][0]["key"] == "status"
    assert (await client.get(f"/api/v1/products/{cast.product_a}")).status_code == 404


async def _claim(client: Client, cast: Cast, today: date, **extra: object) -> dict:
    producer = await sign_in(client, cast.producer_a)
    claim = await client.post(
        f"/api/v1/products/{cast.product_a}/certifications",
        json={"scheme_code": "VIETGAP", "issued_on": (today - timedelta(days=30)).isoformat(), **extra},
        headers=producer,
    )
    assert claim.status_code == 201, claim.text
    return claim.json()


async def test_defect8_a_decision_on_a_stale_claim_version_answers_409(client: Client, cast: Cast, today: date) -> None:
    claim = await _claim(client, cast, today, evidence_url="https://example.vn/vietgap.pdf")
    admin = await sign_in(client, cast.admin)
    first = await client.post(
        f"/api/v1/certifications/{claim['id']}/verify", json={"version": claim["version"]}, headers=admin
    )
    assert first.status_code == 200, first.text
    second = await client.post(
        f"/api/v1/certifications/{claim['id']}/revoke",
        json={"version": claim["version"], "reason": "made at the same time"},
        headers=admin,
    )
    assert second.status_code == 409
    assert second.json()["extra"][0]["key"] == "version"


async def test_defect8_verifying_without_evidence_needs_a_confirmation_and_a_note(
    client: Client, cast: Cast, today: date
) -> None:
    claim = await _claim(client, cast, today)
    admin = await sign_in(client, cast.admin)
    url = f"/api/v1/certifications/{claim['id']}/verify"
    one_tap = await client.post(url, headers=admin)
    assert one_tap.status_code == 400 and one_tap.json()["extra"][0]["key"] == "without_evidence"
    no_note = await client.post(url, json={"without_evidence": True}, headers=admin)
    assert no_note.status_code == 400 and no_note.json()["extra"][0]["key"] == "note"
    done = await client.post(url, json={"without_evidence": True, "note": "Đã gọi điện cho Chi cục"}, headers=admin)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "verified"


async def test_defect8_a_claim_revoked_by_the_province_says_the_province_revoked_it(
    client: Client, cast: Cast, today: date
) -> None:
    claim = await _claim(client, cast, today, evidence_url="https://example.vn/vietgap.pdf")
    admin = await sign_in(client, cast.admin)
    assert (await client.post(f"/api/v1/certifications/{claim['id']}/verify", headers=admin)).status_code == 200
    revoked = await client.post(
        f"/api/v1/certifications/{claim['id']}/revoke", json={"reason": "Giấy chứng nhận bị đình chỉ"}, headers=admin
    )
    assert revoked.status_code == 200, revoked.text
    slug = (await _product(client, cast.product_a))["slug"]
    english = (await client.get(f"/p/{slug}", params={"lang": "en"})).text
    assert "Verification withdrawn by the province" in english and "by the issuer" not in english
    assert "Sở Công Thương" in (await client.get(f"/p/{slug}", params={"lang": "vi"})).text


async def test_defect8_queue_cards_show_producer_product_and_date_and_ask_to_confirm_without_evidence(
    client: Client, cast: Cast, today: date
) -> None:
    claim = await _claim(client, cast, today)
    await _portal_sign_in(client, cast.admin)
    page = (await client.get("/portal/claims", params={"lang": "en"})).text
    card = page[
        page.index(f"/portal/claims/{claim['id']}/verify") - 2500 : page.index(f"/portal/claims/{claim['id']}/reject")
    ]
    assert "Producer:" in card and "Submitted:" in card and "Bò viên" in card
    assert 'name="without_evidence"' in card and 'name="note"' in card
    fields = form_fields(page, f"/portal/claims/{claim['id']}/verify")
    fields.pop("without_evidence", None)
    refused = await client.post(f"/portal/claims/{claim['id']}/verify", data=fields)
    assert refused.status_code == 400
    fields |= {"without_evidence": "on", "note": "Checked the paper certificate at the office"}
    done = await client.post(f"/portal/claims/{claim['id']}/verify", data=fields, follow_redirects=False)
    assert done.status_code == 303, done.text


# Defect 9 ---------------------------------------------------------------------------------------------------


async def test_defect9_a_store_cannot_list_another_producers_draft(client: Client, cast: Cast) -> None:
    producer = await sign_in(client, cast.producer_b)
    draft = await client.post(
        "/api/v1/products",
        json={"name_vi": "Sản phẩm nháp bí mật", "category_code": "dried_seafood", "status": "draft"},
        headers=producer,
    )
    assert draft.status_code == 201, draft.text
    store = await sign_in(client, cast.store)
    listed = await client.post(
        f"/api/v1/stores/{cast.store_id}/listings", json={"product_id": draft.json()["id"]}, headers=store
    )
    assert listed.status_code == 404
    exported = await client.get(f"/api/v1/stores/{cast.store_id}/listings.csv", headers=store)
    assert "Sản phẩm nháp bí mật" not in exported.text


# Defect 10 --------------------------------------------------------------------------------------------------


async def test_defect10_the_database_refuses_a_second_tag_for_the_same_product_and_store(
    session: AsyncSession, cast: Cast
) -> None:
    session.add(ShelfTag(code="AAAAAAA1", product_id=cast.product_a, store_id=cast.store_id))
    session.add(ShelfTag(code="AAAAAAA2", product_id=cast.product_a, store_id=cast.store_id))
    with pytest.raises(IntegrityError):
        await session.commit()
    await session.rollback()
    session.add(ShelfTag(code="AAAAAAA3", product_id=cast.product_a, store_id=None))
    session.add(ShelfTag(code="AAAAAAA4", product_id=cast.product_a, store_id=None))
    with pytest.raises(IntegrityError):
        await session.commit()


async def test_defect10_concurrent_tag_and_listing_requests_answer_one_row_never_500(
    client: Client, cast: Cast
) -> None:
    store = await sign_in(client, cast.store)
    listings = await asyncio.gather(
        *(
            client.post(
                f"/api/v1/stores/{cast.store_id}/listings",
                json={"product_id": cast.product_b, "price_vnd": 1000 + i},
                headers=store,
            )
            for i in range(6)
        )
    )
    assert {r.status_code for r in listings} <= {200, 201}, [r.text for r in listings]
    tags = await asyncio.gather(
        *(
            client.post("/api/v1/tags", json={"product_id": cast.product_b, "store_id": cast.store_id}, headers=store)
            for _ in range(6)
        )
    )
    assert {r.status_code for r in tags} <= {200, 201}, [r.text for r in tags]
    assert len({r.json()["code"] for r in tags}) == 1


# Defect 11 --------------------------------------------------------------------------------------------------


async def test_defect11_energy_label_stars_are_shown_on_the_product_page(client: Client, demo_db_url: str) -> None:
    cooker = await _id_of(demo_db_url, "P074")
    product = await _product(client, cooker)
    energy = next(c for c in product["certifications"] if c["scheme"] == "VN_ENERGY_LABEL")
    assert energy["stars"] == 5
    page = (await client.get(f"/p/{product['slug']}", params={"lang": "en"})).text
    assert "5 stars" in page


# Defect 6 ---------------------------------------------------------------------------------------------------


async def test_defect6_a_reusable_non_woven_bag_is_judged_as_a_product_not_as_hard_to_degrade_packaging(
    client: Client, demo_db_url: str
) -> None:
    bag = await _product(client, await _id_of(demo_db_url, "P068"))  # reusable non-woven PP bag
    assert bag["hard_to_degrade_plastic"] is False
    page = (await client.get(f"/p/{bag['slug']}", params={"lang": "vi"})).text
    assert "Bao bì có nhựa khó phân hủy" not in page
    assert "Sản phẩm dùng nhiều lần" in page


async def test_defect6_a_single_use_oxo_bag_is_judged_single_use_hard_to_degrade_plastic(
    client: Client, demo_db_url: str
) -> None:
    bag = await _product(client, await _id_of(demo_db_url, "P070"))  # 'self-destructing' oxo PE bin bag
    assert bag["hard_to_degrade_plastic"] is True
    page = (await client.get(f"/p/{bag['slug']}", params={"lang": "en"})).text
    assert "Single-use hard-to-degrade plastic (Decree 08/2022)" in page


async def test_defect11_a_star_graded_label_prints_its_stars_on_the_shelf_tag(
    session: AsyncSession, today: date
) -> None:
    from service import tag_sheets
    from tests import build

    async with session.begin():
        cooker = await build.product(session, name_vi="Nồi cơm điện tiết kiệm năng lượng")
        await build.certification(session, cooker, scheme="VN_ENERGY_LABEL", stars=5, valid_until=None)
        tag = ShelfTag(code="ENERGY05", product_id=cooker.id or 0, store_id=None)
        label = tag_sheets.face(tag, cooker, None, "http://127.0.0.1:8000", today)
    assert "Nhãn năng lượng 5★" in label.badges


async def test_defect3_the_csv_import_reads_prices_by_the_same_rule(session: AsyncSession, cast: Cast) -> None:
    from catalog import imports
    from tests.csv_files import to_csv

    data = to_csv(["product_id", "price_vnd"], [[str(cast.product_a), "95.000"], [str(cast.product_b), "95,5"]])
    async with session.begin():
        with pytest.raises(imports.ImportRejected) as rejected:
            await imports.check_listings(session, data, store_id=cast.store_id)
    assert [(p.row, p.column) for p in rejected.value.problems] == [(3, "price_vnd")]
