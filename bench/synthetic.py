"""A deterministic synthetic catalog drawn from the seed data's distributions, at any size.

Rows are bulk-inserted with SQLAlchemy Core: the benchmark needs 100k–1M products in minutes, and every value
is built from already-validated seed records (names, packaging, labels), so no raw input reaches the tables.
"""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from catalog import text
from catalog.certifications import Certification, CertificationStatus
from catalog.gtin import check_digit
from catalog.packaging import PackagingComponent
from catalog.producers import Producer
from catalog.products import Product, ProductStatus, build_search_text
from catalog.stores import Listing, Store, StoreType
from catalog.tags import CROCKFORD, ShelfTag
from seeds import load

VARIANTS = ["", "loại 1", "đặc biệt", "hộp quà", "túi 250 g", "túi 500 g", "chai 500 ml", "hũ 300 g", "gói 1 kg",
            "cao cấp", "truyền thống", "nguyên chất", "xuất khẩu", "ít muối", "không đường"]  # fmt: skip
PLACES = ["Năm Căn", "Đầm Dơi", "U Minh", "Ngọc Hiển", "Cái Nước", "Trần Văn Thời", "Thới Bình", "Phú Tân",
          "Sông Đốc", "Tân Thành", "Bạc Liêu", "Giá Rai", "Hồng Dân", "Vĩnh Lợi"]  # fmt: skip
CHUNK = 5_000


@dataclass(frozen=True)
class SyntheticCatalog:
    """What was generated: sizes and the tag codes a scan benchmark can hit."""

    products: int
    producers: int
    stores: int
    listings: int
    tag_codes: list[str]
    store_ids: list[int]


def _chunks(rows: Iterator[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _gtin(n: int) -> str:
    body = f"09506{n:08d}"  # GS1's demonstration prefix 950, so none collides with a real product
    return body + str(check_digit(body))


async def generate(
    engine: AsyncEngine, size: int, seed: int = 42, progress: Callable[[int], None] | None = None
) -> SyntheticCatalog:
    """Fill an empty, migrated and reference-seeded database with `size` published products."""
    rng = random.Random(seed)
    data = load.seed_catalog()
    templates = data["products"]
    n_producers, n_stores = max(10, size // 40), max(8, size // 2_000)
    now = datetime.now(UTC)
    seed_producers = data["producers"]
    async with engine.begin() as conn:
        producer_rows = []
        for i in range(n_producers):
            base = seed_producers[i % len(seed_producers)]
            name = f"{base['legal_name_vi']} {PLACES[i % len(PLACES)]} {i // len(seed_producers) + 1}"
            producer_rows.append(
                {"id": i + 1, "slug": f"{text.slugify(name)}-{i}", "legal_name": name, "brand": base.get("brand"),
                 "entity_type": load.ENTITY_TYPES[base["entity_type"]].value, "province": "Cà Mau",
                 "commune": PLACES[i % len(PLACES)], "fictional": True, "version": 1, "created_at": now,
                 "updated_at": now}
            )  # fmt: skip
        await conn.execute(insert(Producer.__table__), producer_rows)  # type: ignore[attr-defined]
        store_rows = [
            {"id": i + 1, "slug": f"cua-hang-xanh-{i + 1}", "name": f"Cửa hàng Xanh {PLACES[i % len(PLACES)]} {i + 1}",
             "store_type": rng.choice(list(StoreType)).value, "province": "Cà Mau", "commune": PLACES[i % len(PLACES)],
             "counts_toward_target": i % 2 == 0, "free_hard_to_degrade_bags": i % 3 == 0, "sells_reusable_bags": True,
             "bag_policy_illustrative": True, "fictional": True, "version": 1, "created_at": now, "updated_at": now}
            for i in range(n_stores)
        ]  # fmt: skip
        await conn.execute(insert(Store.__table__), store_rows)  # type: ignore[attr-defined]

        product_rows, cert_rows, pack_rows, listing_rows = [], [], [], []
        cert_id = pack_id = listing_id = 0
        for i in range(size):
            template = templates[rng.randrange(len(templates))]
            producer = producer_rows[rng.randrange(n_producers)]
            variant = rng.choice(VARIANTS)
            name = " ".join(p for p in (template["name_vi"], variant, PLACES[rng.randrange(len(PLACES))]) if p)
            pid = i + 1
            product_rows.append(
                {"id": pid, "code": f"B{pid}", "slug": f"{template['slug'][:70]}-{pid}", "producer_id": producer["id"],
                 "name_vi": name, "name_en": template.get("name_en"), "description_vi": template.get("description_vi"),
                 "description_en": template.get("description_en"), "category_code": template["category"],
                 "ocop_group": template.get("ocop_category"), "gtin": _gtin(pid),
                 "search_aliases": template.get("search_aliases"),
                 "search_text": build_search_text(name, template.get("name_en"), template.get("search_aliases"),
                                                  producer["legal_name"]),
                 "status": ProductStatus.PUBLISHED.value, "fictional": True, "illustrative": True, "version": 1,
                 "created_at": now, "updated_at": now}
            )  # fmt: skip
            for label in template["labels"]:
                cert_id += 1
                shift = timedelta(days=rng.randrange(-400, 400))
                issued = date.fromisoformat(label["issued_on"]) + shift if label.get("issued_on") else None
                until = date.fromisoformat(label["valid_until"]) + shift if label.get("valid_until") else None
                is_ocop = label["scheme"] == "OCOP"
                status = (
                    CertificationStatus.CLAIMED if label["scheme"] == "SELF_CLAIM" else CertificationStatus.VERIFIED
                )
                cert_rows.append(
                    {"id": cert_id, "product_id": pid, "scheme_code": label["scheme"],
                     "ocop_stars": label.get("stars") if is_ocop else None,
                     "stars": label.get("stars") if not is_ocop else None, "issued_on": issued, "valid_until": until,
                     "illustrative": True, "status": status.value, "created_at": now}
                )  # fmt: skip
            for position, component in enumerate(template["packaging"]):
                pack_id += 1
                pack_rows.append(
                    {"id": pack_id, "product_id": pid, "role": component["role"],
                     "material_code": component["material"],
                     "description_vi": component.get("description_vi"), "mass_g": component.get("mass_g"),
                     "single_use": component["single_use"], "reusable": component["reusable"],
                     "refillable": component["refillable"], "recycled_content_pct": component["recycled_content_pct"],
                     "biodegradable_claim": component["biodegradable_claim"], "position": position}
                )  # fmt: skip
            for store in rng.sample(store_rows, k=min(len(store_rows), rng.choice((0, 1, 1, 2, 3)))):
                listing_id += 1
                listing_rows.append(
                    {"id": listing_id, "store_id": store["id"], "product_id": pid,
                     "price_vnd": rng.randrange(20, 800) * 1_000, "active": True, "illustrative": True,
                     "created_at": now, "updated_at": now}
                )  # fmt: skip
            if len(product_rows) >= CHUNK:
                await _flush(conn, product_rows, cert_rows, pack_rows, listing_rows)
                if progress:
                    progress(CHUNK)
        await _flush(conn, product_rows, cert_rows, pack_rows, listing_rows)
        tag_rows = [
            {"id": n + 1, "code": "".join(rng.choice(CROCKFORD) for _ in range(8)),
             "product_id": rng.randrange(size) + 1,
             "store_id": rng.randrange(n_stores) + 1, "created_at": now}
            for n in range(min(size, 5_000))
        ]  # fmt: skip
        # One tag per code, and one per product and store (the catalog holds both unique).
        tag_rows = list({row["code"]: row for row in tag_rows}.values())
        tag_rows = list({(row["product_id"], row["store_id"]): row for row in tag_rows}.values())
        await conn.execute(insert(ShelfTag.__table__), tag_rows)  # type: ignore[attr-defined]
    return SyntheticCatalog(
        products=size, producers=n_producers, stores=n_stores, listings=listing_id,
        tag_codes=[row["code"] for row in tag_rows], store_ids=[row["id"] for row in store_rows],
    )  # fmt: skip


async def _flush(conn: Any, *tables_rows: list[dict[str, Any]]) -> None:
    for table, rows in zip((Product, Certification, PackagingComponent, Listing), tables_rows, strict=True):
        if rows:
            await conn.execute(insert(table.__table__), rows)  # type: ignore[attr-defined]
            rows.clear()
