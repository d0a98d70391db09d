"""QR codes for URLs, as SVG or PNG; knows URLs, not tags."""

import io
from functools import lru_cache
from typing import Literal

import qrcode
import qrcode.constants
from qrcode.image.pil import PilImage
from qrcode.image.svg import SvgPathFillImage

ErrorCorrection = Literal["L", "M", "Q", "H"]

# M restores up to 15% of the symbol: enough for a scuffed shelf label without making the code much denser.
DEFAULT_ERROR_CORRECTION: ErrorCorrection = "M"
# ISO/IEC 18004 asks for a quiet zone of four modules; scanners miss codes printed closer to other ink.
QUIET_ZONE = 4
MIN_MODULE_PX = 1
MAX_MODULE_PX = 40
DEFAULT_MODULE_PX = 10
MAX_URL_LENGTH = 512

_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def _code(url: str, error_correction: ErrorCorrection, module_px: int) -> qrcode.QRCode:
    if not MIN_MODULE_PX <= module_px <= MAX_MODULE_PX:
        raise ValueError(f"module size must be {MIN_MODULE_PX} to {MAX_MODULE_PX} pixels, got {module_px}")
    if len(url) > MAX_URL_LENGTH:
        raise ValueError(f"a shelf-tag URL longer than {MAX_URL_LENGTH} characters would not scan reliably")
    code = qrcode.QRCode(error_correction=_LEVELS[error_correction], box_size=module_px, border=QUIET_ZONE)
    code.add_data(url)
    code.make(fit=True)
    return code


@lru_cache(maxsize=4096)
def qr_svg(
    url: str, module_px: int = DEFAULT_MODULE_PX, error_correction: ErrorCorrection = DEFAULT_ERROR_CORRECTION
) -> bytes:
    """A standalone SVG (white background, one path) whose modules are `module_px` CSS pixels wide."""
    # Drawn at qrcode's default box of 10 so the viewBox counts modules; the pixel size goes in width/height only.
    code = _code(url, error_correction, 10)
    image = code.make_image(image_factory=SvgPathFillImage)
    side_px = (code.modules_count + 2 * QUIET_ZONE) * module_px
    svg = image.get_image()
    svg.set("width", str(side_px))
    svg.set("height", str(side_px))
    svg.set("shape-rendering", "crispEdges")
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=4096)
def qr_png(
    url: str, module_px: int = DEFAULT_MODULE_PX, error_correction: ErrorCorrection = DEFAULT_ERROR_CORRECTION
) -> bytes:
    """A black-on-white PNG with `module_px` pixels per module."""
    image = _code(url, error_correction, module_px).make_image(image_factory=PilImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
