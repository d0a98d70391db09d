import re

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlmodel import col, func, select

from catalog import db
from catalog.products import Product
from catalog.reports import LIMITS, Report
from tests.plugins.accounts import Cast

Client = AsyncTestClient[Litestar]


def _csrf(page: str) -> str:
    found = re.search(r'name="_csrf_token" value="([^"]+)"', page)
    assert found, "the form has no CSRF field"
    return found.group(1)


async def _slug(client: Client, product_id: int) -> str:
    return str((await client.get(f"/api/v1/products/{product_id}")).json()["slug"])


async def _count(url: str) -> int:
    engine = db.create_engine(url)
    async with db.session_factory(engine)() as session:
        count = await session.scalar(select(func.count()).select_from(Report))
    await engine.dispose()
    return count or 0


async def test_every_product_page_links_to_the_report_form_and_a_tag_page_names_its_store(client: Client) -> None:
    page = (await client.get("/p/bo-vien-thuy-luc", params={"lang": "vi"})).text
    assert '<a href="/p/bo-vien-thuy-luc/report" rel="nofollow">Báo sai thông tin</a>' in page
    store = (await client.get("/api/v1/stores")).json()["items"][0]
    form = (await client.get("/p/bo-vien-thuy-luc/report", params={"store": store["slug"], "lang": "vi"})).text
    assert re.search(rf'<option value="{store["id"]}" selected>', form)
    assert "<script" not in form


async def test_a_shopper_files_a_report_and_is_thanked_in_their_language(client: Client, demo_db_url: str) -> None:
    form = await client.get("/p/bo-vien-thuy-luc/report", params={"lang": "en"})
    assert form.status_code == 200 and form.headers["cache-control"] == "no-store"
    sent = await client.post(
        "/p/bo-vien-thuy-luc/report?lang=en",
        data={"_csrf_token": _csrf(form.text), "kind": "packaging", "message": "The bag is plastic", "contact": ""},
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/p/bo-vien-thuy-luc/report/thanks"
    thanks = await client.get(sent.headers["location"])
    assert "Thank you for your report" in thanks.text and "a report alone changes nothing" in thanks.text
    assert await _count(demo_db_url) == 1


async def test_a_form_without_its_csrf_token_is_refused(client: Client, demo_db_url: str) -> None:
    await client.get("/p/bo-vien-thuy-luc/report")
    sent = await client.post(
        "/p/bo-vien-thuy-luc/report?lang=en", data={"kind": "other", "message": "sai"}, follow_redirects=False
    )
    assert sent.status_code == 303 and sent.headers["location"] == "/p/bo-vien-thuy-luc/report?expired=1"
    again = await client.get(sent.headers["location"])
    assert "Biểu mẫu đã hết hạn nên chưa có gì được gửi." in again.text
    assert 'action="/p/bo-vien-thuy-luc/report"' in again.text
    assert await _count(demo_db_url) == 0


async def test_a_filled_honeypot_is_thanked_but_nothing_is_stored(client: Client, demo_db_url: str) -> None:
    form = await client.get("/p/bo-vien-thuy-luc/report")
    sent = await client.post(
        "/p/bo-vien-thuy-luc/report",
        data={"_csrf_token": _csrf(form.text), "kind": "other", "message": "buy pills", "leave_empty": "http://spam"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert await _count(demo_db_url) == 0


async def test_missing_fields_show_the_form_again_marked_and_keep_what_was_typed(client: Client) -> None:
    form = await client.get("/p/bo-vien-thuy-luc/report", params={"lang": "vi"})
    token = _csrf(form.text)
    sent = await client.post(
        "/p/bo-vien-thuy-luc/report", data={"_csrf_token": token, "kind": "store", "message": "Giá <b>sai</b>"}
    )
    assert sent.status_code == 400
    assert "Giá &lt;b&gt;sai&lt;/b&gt;</textarea>" in sent.text
    assert 'value="store" required checked' in sent.text and "Hãy chọn cửa hàng." in sent.text
    bad_contact = await client.post(
        "/p/bo-vien-thuy-luc/report",
        data={"_csrf_token": token, "kind": "other", "message": "sai", "contact": "gọi tôi"},
    )
    assert bad_contact.status_code == 400 and 'value="gọi tôi"' in bad_contact.text
    assert "Hãy ghi số điện thoại hoặc địa chỉ e-mail, hoặc để trống." in bad_contact.text


async def test_the_form_is_rate_limited_with_retry_after(client: Client) -> None:
    form = await client.get("/p/bo-vien-thuy-luc/report", params={"lang": "en"})
    token = _csrf(form.text)
    codes = []
    for n in range(LIMITS.per_address + 1):
        sent = await client.post(
            "/p/bo-vien-thuy-luc/report",
            data={"_csrf_token": token, "kind": "other", "message": f"report {n}"},
            follow_redirects=False,
        )
        codes.append(sent.status_code)
    assert codes == [303] * LIMITS.per_address + [429]
    assert int(sent.headers["retry-after"]) >= 1 and "Too many reports" in sent.text


async def test_a_report_does_not_change_the_product_page(client: Client, cast: Cast) -> None:
    slug = await _slug(client, cast.product_a)
    before = (await client.get(f"/p/{slug}")).text
    await client.post("/api/v1/reports", json={"product_id": cast.product_a, "kind": "label", "message": "Hết hạn"})
    assert (await client.get(f"/p/{slug}")).text == before


async def test_unpublished_products_have_no_report_form(client: Client, demo_db_url: str) -> None:
    engine = db.create_engine(demo_db_url)
    async with db.session_factory(engine)() as session:
        slug = await session.scalar(select(Product.slug).where(col(Product.status) != "published"))
    await engine.dispose()
    if slug is not None:
        assert (await client.get(f"/p/{slug}/report")).status_code == 404
    assert (await client.get("/p/khong-co-san-pham-nay/report")).status_code == 404
