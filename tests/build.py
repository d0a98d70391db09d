"""Builders with realistic Cà Mau defaults: NFC Vietnamese names, published products, verified OCOP ratings.

Each builder goes through the catalog's own drafts and functions (so the same rules apply) and only flushes;
the test commits when the app must see the rows.
"""

import random
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from catalog import certifications, producers, products, stores
from catalog.certifications import Certification, CertificationDraft, CertificationStatus
from catalog.packaging import PackagingDraft, PackagingRole
from catalog.producers import EntityType, Producer, ProducerDraft
from catalog.products import Product, ProductDraft
from catalog.stores import Listing, ListingDraft, Store, StoreDraft, StoreType
from catalog.tags import ShelfTag, new_code

GLASS_JAR = PackagingDraft(role=PackagingRole.PRIMARY, material_code="GLASS", description_vi="Hũ thủy tinh 250 g")
STEEL_CAP = PackagingDraft(role=PackagingRole.CLOSURE, material_code="STEEL_TIN", description_vi="Nắp thiếc")
PLASTIC_POUCH = PackagingDraft(
    role=PackagingRole.PRIMARY, material_code="OTHER_PLASTIC", description_vi="Túi ghép PA/PE hút chân không"
)


async def producer(session: AsyncSession, **overrides: Any) -> Producer:
    """A cooperative in Tân Tiến commune."""
    values: dict[str, Any] = {
        "legal_name": "Hợp tác xã Thủy sản Tân Tiến",
        "entity_type": EntityType.COOPERATIVE,
        "street": "Ấp Tân Hòa",
        "commune": "Xã Tân Tiến",
        "province": "Cà Mau",
    }
    return await producers.create(session, ProducerDraft(**{**values, **overrides}), actor_id=None)


async def product(
    session: AsyncSession,
    *,
    maker: Producer | None = None,
    packaging: list[PackagingDraft] | None = None,
    gtin_confirmed: bool = True,
    **overrides: Any,
) -> Product:
    """A published jar of shrimp paste in a glass jar with a tin cap; a GTIN given is confirmed as its maker's."""
    if maker is None:
        maker = await producer(session)
    values: dict[str, Any] = {
        "producer_id": maker.id,
        "name_vi": "Mắm tôm chà Tân Tiến",
        "name_en": "Tan Tien shrimp paste",
        "category_code": "sauces_fermented",
        "net_quantity": 250,
        "net_quantity_unit": "g",
        "packaging": [GLASS_JAR, STEEL_CAP] if packaging is None else packaging,
    }
    made = await products.create(session, ProductDraft(**{**values, **overrides}), actor_id=None)
    made.gtin_confirmed = gtin_confirmed and made.gtin is not None
    return made


async def certification(
    session: AsyncSession,
    of: Product,
    *,
    scheme: str = "OCOP",
    status: CertificationStatus = CertificationStatus.VERIFIED,
    issued_on: date | None = date(2025, 1, 23),
    valid_until: date | None = date(2028, 1, 22),
    **overrides: Any,
) -> Certification:
    """A verified 4-star OCOP rating issued by the province, unless told otherwise."""
    values: dict[str, Any] = {
        "scheme_code": scheme,
        "issued_on": issued_on,
        "valid_until": valid_until,
        "issuing_body": "UBND tỉnh Cà Mau",
        "certificate_no": f"{scheme}-CM-2025-001",
    }
    if scheme == "OCOP":
        values["ocop_stars"] = 4
    assert of.id is not None
    draft = CertificationDraft(**{**values, **overrides})
    cert = await certifications.claim(session, of.id, draft, actor_id=None, status=status)
    await session.refresh(of, ["certifications"])
    return cert


async def store(session: AsyncSession, **overrides: Any) -> Store:
    """A supermarket in Tân Thành ward that gives no free plastic bags."""
    values: dict[str, Any] = {
        "name": "Siêu thị Xanh Tân Thành",
        "store_type": StoreType.SUPERMARKET,
        "street": "12 Trần Hưng Đạo",
        "commune": "Phường Tân Thành",
        "free_hard_to_degrade_bags": False,
        "sells_reusable_bags": True,
        "bag_policy_since": date(2026, 6, 5),
    }
    return await stores.create(session, StoreDraft(**{**values, **overrides}), actor_id=None)


async def listing(
    session: AsyncSession, at: Store, of: Product, *, price_vnd: int | None = 185_000, shelf: str | None = "A3"
) -> Listing:
    """The product on a shelf of the store, at a price in đồng."""
    assert at.id is not None and of.id is not None
    draft = ListingDraft(product_id=of.id, price_vnd=price_vnd, shelf=shelf)
    return await stores.upsert_listing(session, at.id, draft, actor_id=None)


async def tag(session: AsyncSession, of: Product, at: Store | None = None, *, code: str | None = None) -> ShelfTag:
    """A printed shelf tag for the product, in the store's context when given one."""
    assert of.id is not None
    shelf_tag = ShelfTag(
        code=code or new_code(random.Random(of.id)),
        product_id=of.id,
        store_id=at.id if at is not None else None,
    )
    session.add(shelf_tag)
    await session.flush()
    return shelf_tag
