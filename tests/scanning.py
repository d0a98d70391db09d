"""Read printed codes back the way a phone would: rasterise with Debian's tools, decode with zbar."""

import io
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pyzbar import pyzbar

DPI = 150


@dataclass(frozen=True)
class Scan:
    """One decoded QR code and where it sits on the image, in pixels."""

    text: str
    left: int
    top: int


def scan_png(png: bytes) -> list[Scan]:
    """Every QR code zbar finds in a PNG."""
    image = Image.open(io.BytesIO(png))
    return [
        Scan(found.data.decode("utf-8"), found.rect.left, found.rect.top)
        for found in pyzbar.decode(image, symbols=[pyzbar.ZBarSymbol.QRCODE])
    ]


def svg_to_png(svg: bytes) -> bytes:
    """Rasterise an SVG with rsvg-convert (librsvg2-bin), as a browser would draw it."""
    return subprocess.run(["rsvg-convert", "--format=png"], input=svg, capture_output=True, check=True).stdout


def pdf_page_png(pdf: bytes, page: int) -> bytes:
    """One page of a PDF at 150 dpi, as pdftoppm (poppler-utils) prints it."""
    return subprocess.run(
        ["pdftoppm", "-r", str(DPI), "-f", str(page), "-l", str(page), "-png", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout


def pdf_pages(pdf: bytes) -> int:
    """The page count pdfinfo reports."""
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True, text=False).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_text(pdf: bytes, page: int, box: tuple[int, int, int, int] | None = None) -> str:
    """The text pdftotext reads on a page, optionally only inside a box (x, y, w, h in 150 dpi pixels)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sheet.pdf"
        path.write_bytes(pdf)
        crop = (
            ["-r", str(DPI), "-x", str(box[0]), "-y", str(box[1]), "-W", str(box[2]), "-H", str(box[3])] if box else []
        )
        command = ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), *crop, str(path), "-"]
        return subprocess.run(command, capture_output=True, check=True).stdout.decode("utf-8")
