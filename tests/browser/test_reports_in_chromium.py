"""A shopper reports an expired label from a shelf tag in Vietnamese; the province revokes it; the page says so."""

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.test_portal import browser, live_server  # noqa: F401  (fixtures)
from tests.plugins.accounts import PASSWORD, Cast

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_a_report_from_a_tag_page_leads_to_a_revocation_the_shopper_then_sees(
    live_server: str,  # noqa: F811
    browser: Browser,  # noqa: F811
    cast: Cast,
) -> None:
    token = httpx.post(f"{live_server}/api/v1/auth/token", json={"email": cast.admin, "password": PASSWORD})
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    product = httpx.get(f"{live_server}/api/v1/products/{cast.product_a}").json()
    valid = next(c for c in product["certifications"] if c["valid_now"])
    stores = httpx.get(f"{live_server}/api/v1/stores", params={"per_page": 100}).json()["items"]
    winmart = next(s for s in stores if s["slug"] == "winmart-ca-mau")
    issued = httpx.post(
        f"{live_server}/api/v1/tags", json={"product_id": cast.product_a, "store_id": winmart["id"]}, headers=headers
    )
    assert issued.status_code in (200, 201), issued.text
    tag = issued.json()["code"]

    shopper = browser.new_context(viewport=PHONE, is_mobile=True, locale="vi-VN", java_script_enabled=False)
    page = shopper.new_page()
    page.goto(f"{live_server}/t/{tag}")
    expect(page.locator("li.cert.revoked")).to_have_count(0)
    page.get_by_role("link", name="Báo sai thông tin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo sai thông tin")
    expect(page.get_by_label("Cửa hàng nào? (khi liên quan đến một cửa hàng)")).to_have_value(str(winmart["id"]))
    page.get_by_label("Nhãn hoặc giấy chứng nhận").check()
    page.get_by_label("Nhãn nào? (khi liên quan đến một nhãn)").select_option(str(valid["id"]))
    page.get_by_label("Bạn đã thấy gì?").fill("Tem OCOP trên bao bì ghi đã hết hạn từ tháng trước")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn bạn đã báo cáo")

    province = browser.new_context(viewport=PHONE, locale="vi-VN")
    admin = province.new_page()
    admin.goto(f"{live_server}/portal/login")
    admin.get_by_label("E-mail").fill(cast.admin)
    admin.get_by_label("Mật khẩu").fill(PASSWORD)
    admin.get_by_role("button", name="Đăng nhập").click()
    admin.goto(f"{live_server}/portal/reports")
    expect(admin.get_by_text("Tem OCOP trên bao bì ghi đã hết hạn từ tháng trước")).to_be_visible()
    report = admin.locator("li[id^=report-]").filter(has_text="Tem OCOP trên bao bì")
    report.get_by_label("Ghi chú (bắt buộc khi xử lý hoặc bác bỏ)").fill("Giấy chứng nhận không còn hiệu lực")
    expect(report.get_by_label("Khi xử lý, đồng thời")).to_have_value(f"revoke:{valid['id']}")
    report.get_by_role("button", name="Xử lý").click()
    expect(admin.get_by_role("status")).to_have_text("Đã xử lý.")

    page.goto(f"{live_server}/t/{tag}")
    revoked = page.locator("li.cert.revoked")
    expect(revoked).to_contain_text("Sở Công Thương tỉnh đã thu hồi xác nhận")
    if valid.get("certificate_no"):
        expect(revoked).to_contain_text(valid["certificate_no"])

    filed = httpx.get(f"{live_server}/api/v1/reports", headers=headers).json()["items"][0]
    assert filed["status"] == "resolved" and filed["lang"] == "vi" and filed["store_id"] == winmart["id"]
    log = httpx.get(
        f"{live_server}/api/v1/audit", params={"entity": "report", "entity_id": filed["id"]}, headers=headers
    )
    assert [e["action"] for e in log.json()["items"]] == ["resolve", "file"]
    cert_log = httpx.get(
        f"{live_server}/api/v1/audit", params={"entity": "certification", "entity_id": valid["id"]}, headers=headers
    )
    assert cert_log.json()["items"][0]["action"] == "revoke"
    shopper.close()
    province.close()
