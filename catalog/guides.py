"""Label guides for shoppers: what each scheme certifies and what not, and how to check a certificate.

The text is data (catalog/data/label_guides.json, in Vietnamese and English); issuer, kind and validity come
from the label_scheme table, so a scheme added later still gets a guide page, only without these texts. A scheme's
short name (chips on pages, badges on printed shelf tags) comes from its guide too, or else from its own name.
"""

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog.certifications import Certification, CertificationStatus
from catalog.errors import NotFound
from catalog.labels import LabelScheme
from catalog.products import Product, ProductStatus

GUIDES_FILE = Path(__file__).resolve().parent / "data" / "label_guides.json"
FIELDS = ("short", "certifies", "not", "check")


@dataclass(frozen=True)
class GuideText:
    """One scheme's guide text; fields are `<name>_vi` and `<name>_en`."""

    short_vi: str
    short_en: str
    certifies_vi: str
    certifies_en: str
    not_vi: str
    not_en: str
    check_vi: str
    check_en: str


@cache
def texts() -> dict[str, GuideText]:
    """Every guide text by scheme code, read once."""
    raw = json.loads(GUIDES_FILE.read_text(encoding="utf-8"))
    return {code: GuideText(**entry) for code, entry in raw.items() if not code.startswith("_")}


def text_for(code: str) -> GuideText | None:
    """The guide text of a scheme, or None when nobody has written one yet."""
    return texts().get(code)


def short_label(name: str) -> str:
    """A scheme's name without its explanation, short enough for a badge: 'ASC – Aquaculture…' → 'ASC'."""
    return name.split(" – ")[0].split(" (")[0].strip()


def short_name(scheme: LabelScheme, locale: str) -> str:
    """A scheme's short name for a chip or a printed badge ('OCOP', 'Nhãn năng lượng'), from its guide or else from
    its name; the pages and the shelf-tag sheet both say it this way."""
    guide = text_for(scheme.code)
    if guide is not None:
        return str(getattr(guide, f"short_{locale}", None) or guide.short_vi)
    return short_label(str(getattr(scheme, f"name_{locale}", None) or scheme.name_vi))


async def holders(session: AsyncSession, scheme_code: str, on: date) -> list[Product]:
    """Published products holding a verified certificate of this scheme valid on `on`, by name."""
    query = (
        select(Product)
        .join(Certification, col(Certification.product_id) == col(Product.id))
        .where(
            col(Certification.scheme_code) == scheme_code,
            col(Certification.status) == CertificationStatus.VERIFIED,
            col(Product.status) == ProductStatus.PUBLISHED,
        )
        .order_by(col(Product.name_vi), col(Product.id))
    )
    products = (await session.execute(query)).unique().scalars().all()
    # Validity by date is the certification's own rule (issued_on, valid_until); applied here, not re-done in SQL.
    return [p for p in products if any(c.scheme_code == scheme_code and c.is_valid_on(on) for c in p.certifications)]


async def get_scheme(session: AsyncSession, code: str) -> LabelScheme:
    """A label scheme by its code (case-insensitive), or NotFound."""
    scheme = await session.get(LabelScheme, code.upper())
    if scheme is None:
        raise NotFound(f"no label scheme {code!r}", field="code")
    return scheme
