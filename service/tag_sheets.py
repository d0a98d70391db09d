"""Printable A4 sheets of shelf tags: one label per tag on common label stock, rendered to PDF with WeasyPrint."""

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

import jinja2
from babel.numbers import format_currency
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from catalog import guides
from catalog.labels import OCOP
from catalog.products import Product
from catalog.stores import Listing
from catalog.tags import ShelfTag
from service import qr

A4_MM = (210.0, 297.0)
MAX_COLUMNS = 5
MAX_ROWS = 12
GAP_MM = 1.5
# Print labels are in Vietnamese: the sheet is for shelves in Vietnam, whatever language the store staff browse in.
LOCALE = "vi"
# Every label says what the code is for and whose it is: a bare QR code on a shelf gets few scans.
CALL_TO_ACTION = "Quét để xem nhãn xanh"
SERVICE_NAME = "Green Shelf"


@dataclass(frozen=True)
class SheetLayout:
    """A grid of labels on A4; the default 3 × 8 with 4.5 mm top and bottom fits common 70 × 36 mm label stock."""

    columns: int = 3
    rows: int = 8
    margin_top_mm: float = 4.5
    margin_right_mm: float = 0.0
    margin_bottom_mm: float = 4.5
    margin_left_mm: float = 0.0
    padding_mm: float = 2.5

    def __post_init__(self) -> None:
        if not 1 <= self.columns <= MAX_COLUMNS:
            raise ValueError(f"columns must be 1 to {MAX_COLUMNS}, got {self.columns}")
        if not 1 <= self.rows <= MAX_ROWS:
            raise ValueError(f"rows must be 1 to {MAX_ROWS}, got {self.rows}")
        margins = (self.margin_top_mm, self.margin_right_mm, self.margin_bottom_mm, self.margin_left_mm)
        if any(not 0 <= m <= 30 for m in margins):
            raise ValueError("margins must be 0 to 30 mm")

    @property
    def per_page(self) -> int:
        """Labels on one sheet."""
        return self.columns * self.rows

    @property
    def label_mm(self) -> tuple[float, float]:
        """Width and height of one label."""
        width = (A4_MM[0] - self.margin_left_mm - self.margin_right_mm) / self.columns
        height = (A4_MM[1] - self.margin_top_mm - self.margin_bottom_mm) / self.rows
        return width, height

    @property
    def qr_mm(self) -> float:
        """Side of the printed QR code, quiet zone included: as tall as the label allows, at most 40% of its width."""
        width, height = self.label_mm
        return round(min(height - 2 * self.padding_mm, width * 0.4), 2)

    @property
    def text_mm(self) -> float:
        """Width left for the words beside the QR code."""
        return round(self.label_mm[0] - 2 * self.padding_mm - self.qr_mm - GAP_MM, 2)


@dataclass(frozen=True)
class TagFace:
    """What one printed label shows; plain values, so rendering needs no database."""

    code: str
    url: str
    name: str
    producer: str
    ocop_stars: int | None
    badges: tuple[str, ...]
    plastic_free: bool
    price: str | None


def face(tag: ShelfTag, product: Product, listing: Listing | None, base_url: str, on: date) -> TagFace:
    """A label for a tag, with only what is valid on `on`."""
    badges = tuple(
        guides.short_name(cert.scheme, LOCALE) + (f" {cert.stars}★" if cert.stars else "")
        for cert in product.valid_labels(on)
        if cert.scheme_code != OCOP and not cert.scheme.is_self_declared
    )
    price = listing.price_vnd if listing is not None else None
    return TagFace(
        code=tag.code,
        url=tag.url(base_url),
        name=product.name_vi,
        producer=product.producer.brand or product.producer.legal_name,
        ocop_stars=product.ocop_stars(on),
        badges=tuple(dict.fromkeys(badges)),
        plastic_free=product.is_plastic_free,
        price=format_currency(price, "VND", locale=LOCALE) if price is not None else None,
    )


def render_pdf(
    faces: Sequence[TagFace],
    layout: SheetLayout,
    *,
    start: int = 1,
    progress: Callable[[int], None] | None = None,
    image: Callable[[str], str] | None = None,
) -> bytes:
    """The sheet as PDF bytes, the first label at position `start` (1 = top left) of a partly used first sheet.

    `progress` hears how many labels each rendered page added; `image` turns a label's URL into the data URI it
    prints (the QR code; the benchmark's floor passes a fixed placeholder to time the renderer alone).
    """
    image = image or _qr_data_uri
    if not 1 <= start <= layout.per_page:
        raise ValueError(f"start must be 1 to {layout.per_page}, got {start}")
    template = _environment().get_template("print/tag_sheet.html")
    fonts = FontConfiguration()
    # Used positions of the first sheet stay empty (None), so the labels land on the stock's unused ones.
    slots: list[TagFace | None] = [None] * (start - 1) + list(faces)
    pages = [slots[i : i + layout.per_page] for i in range(0, len(slots), layout.per_page)] or [[]]
    documents = []
    # Rendering page by page costs little (fonts are shared) and lets a long sheet report progress.
    for page in pages:
        labels = [(f, image(f.url)) if f is not None else None for f in page]
        html = template.render(
            layout=layout, gap_mm=GAP_MM, labels=labels, call_to_action=CALL_TO_ACTION, service=SERVICE_NAME
        )
        documents.append(HTML(string=html).render(font_config=fonts))
        if progress is not None:
            progress(sum(f is not None for f in page))
    first = documents[0]
    return bytes(first.copy([p for d in documents for p in d.pages]).write_pdf())


def _qr_data_uri(url: str) -> str:
    # One pixel per module, scaled up without smoothing (image-rendering: pixelated) prints as sharp as vector art,
    # and WeasyPrint draws it far faster than an SVG path of a thousand squares.
    return "data:image/png;base64," + base64.b64encode(qr.qr_png(url, 1)).decode("ascii")


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("service", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )
