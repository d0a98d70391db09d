import io

import pytest
from PIL import Image

from service import qr
from tests.scanning import scan_png, svg_to_png

URL = "https://xanh.camau.example/t/7K3QZ9MB"


@pytest.mark.parametrize("module_px", [2, 10, 40])
def test_png_decodes_to_exactly_the_url(module_px: int) -> None:
    assert [s.text for s in scan_png(qr.qr_png(URL, module_px))] == [URL]


@pytest.mark.parametrize("module_px", [2, 10])
def test_rasterised_svg_decodes_to_exactly_the_url(module_px: int) -> None:
    assert [s.text for s in scan_png(svg_to_png(qr.qr_svg(URL, module_px)))] == [URL]


def test_png_keeps_a_four_module_quiet_zone_around_the_code() -> None:
    # Version 3 is 29 modules; 4 white modules each side at 10 px make 370 px, and the finder pattern starts at 40.
    image = Image.open(io.BytesIO(qr.qr_png(URL, 10))).convert("L")
    assert image.size == (370, 370)
    border = [image.getpixel((x, y)) for x in range(370) for y in (*range(40), *range(330, 370))]
    assert set(border) == {255}
    assert image.getpixel((40, 40)) == image.getpixel((329, 40)) == 0


def test_svg_states_its_size_in_pixels_and_draws_in_modules() -> None:
    svg = qr.qr_svg(URL, 4).decode()
    assert 'width="148"' in svg and 'viewBox="0 0 37 37"' in svg


@pytest.mark.parametrize("module_px", [0, 41])
def test_module_size_is_bounded(module_px: int) -> None:
    with pytest.raises(ValueError, match="module size"):
        qr.qr_png(URL, module_px)


def test_higher_error_correction_makes_a_denser_code_that_still_decodes() -> None:
    dense = qr.qr_png(URL, 10, "H")
    assert len(dense) > len(qr.qr_png(URL, 10, "L"))
    assert [s.text for s in scan_png(dense)] == [URL]
