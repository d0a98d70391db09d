"""The green summary is the first thing a shopper reads: inside the first 390×844 screen of a scanned tag."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, SUMMARY_TAGS, Phone

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

# What each summary must say (Vietnamese, the default), beyond being visible.
EXPECTED = {
    "two valid labels": ["OCOP", "Chỉ dẫn địa lý", "Bao bì: có nhựa khó phân hủy"],
    "only an expired OCOP rating": ["đã hết hạn ngày", "Không có nhãn đã xác minh nào còn hiệu lực hôm nay"],
    "no packaging data": ["Bao bì: chưa khai báo, nên chưa rõ"],
    "a reusable bag": ["Dùng lại hoặc nạp lại được"],
}


@pytest.mark.parametrize("case", list(SUMMARY_TAGS))
def test_the_summary_of_a_scanned_tag_fits_the_first_phone_screen(phone: Phone, case: str) -> None:
    code = SUMMARY_TAGS[case][0]
    phone.open(f"/t/{code}")
    page = phone.page
    summary = page.locator("#summary")

    expect(summary).to_be_visible()
    for words in EXPECTED[case]:
        expect(summary).to_contain_text(words)
    box = summary.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= PHONE["width"] and box["y"] + box["height"] <= PHONE["height"], (case, box)
    # The name and the store's price come before it, on the same first screen.
    for before in ("h1", ".here .price"):
        if page.locator(before).count():
            other = page.locator(before).bounding_box()
            assert other is not None and other["y"] < box["y"]
    page.screenshot(path=f"/tmp/greenshelf-summary-{code}.png")
