"""Loads reference data and the Cà Mau demo catalog through the catalog's own validated drafts.

Idempotent by natural keys: reference rows are updated in place, demo rows that exist are left alone.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog import certifications, gtin, indicators, plans, producers, products, stores
from catalog.categories import Category, OcopGroup
from catalog.certifications import CertificationDraft, CertificationStatus
from catalog.labels import OCOP, SELF_CLAIM, LabelScheme, SchemeKind
from catalog.packaging import Material, PackagingDraft
from catalog.producers import EntityType, Producer, ProducerDraft
from catalog.products import Product, ProductDraft
from catalog.stores import ListingDraft, Store, StoreDraft, StoreType
from catalog.substitutes import SubstituteGroup

ENTITY_TYPES = {
    "hop_tac_xa": EntityType.COOPERATIVE,
    "to_hop_tac": EntityType.COOPERATIVE_GROUP,
    "ho_kinh_doanh": EntityType.HOUSEHOLD_BUSINESS,
    "cong_ty_tnhh": EntityType.COMPANY,
    "cong_ty_tnhh_mtv": EntityType.COMPANY,
    "cong_ty_co_phan": EntityType.COMPANY,
    "co_so_san_xuat": EntityType.PRODUCTION_UNIT,
    "chi_nhanh_doanh_nghiep": EntityType.BRANCH,
}
STORE_TYPES = {
    "sieu_thi": StoreType.SUPERMARKET,
    "trung_tam_thuong_mai": StoreType.COMMERCIAL_CENTRE,
    "cua_hang_thuc_pham": StoreType.CONVENIENCE_STORE,
    "cua_hang_tien_loi": StoreType.CONVENIENCE_STORE,
    "diem_ban_ocop": StoreType.OCOP_SHOP,
    "cho_truyen_thong": StoreType.MARKET,
}
# GS1's own demonstration GTIN; the other fictional products follow it under the same 950 prefix.
FIRST_DEMO_GTIN = "09506000134352"


@dataclass
class LoadReport:
    """How many rows each run added, so a second run can show it added none."""

    added: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        """One more row of `kind` was added."""
        self.added[kind] = self.added.get(kind, 0) + 1


@cache
def seed_catalog() -> dict[str, Any]:
    """The bundled Cà Mau seed catalog."""
    return json.loads(resources.files("seeds").joinpath("data/camau_catalog.json").read_text(encoding="utf-8"))


def substitute_data() -> dict[str, Any]:
    """Substitute groups and which demo product belongs to which (seeds/data/substitute_groups.json)."""
    raw = resources.files("seeds").joinpath("data/substitute_groups.json").read_text(encoding="utf-8")
    return json.loads(raw)  # type: ignore[no-any-return]


def demo_gtin(index: int) -> str:
    """The GTIN-14 for the `index`-th fictional product, under GS1's demonstration prefix 950."""
    if index == 0:
        return FIRST_DEMO_GTIN
    body = f"0950600013{435 + index:03d}"
    return body + str(gtin.check_digit(body))


async def load_reference(session: AsyncSession) -> LoadReport:
    """Label schemes, categories, OCOP groups and packaging materials, updated in place."""
    data, report = seed_catalog(), LoadReport()
    for row in data["app_categories"]:
        await _merge(session, Category(code=row["code"], name_vi=row["name_vi"], name_en=row["name_en"]), report)
    for row in data["ocop_categories"]:
        await _merge(session, OcopGroup(code=row["code"], name_vi=row["name_vi"], name_en=row["name_en"]), report)
    for row in data["packaging_materials"]:
        material = Material(
            code=row["code"],
            resin_code=row.get("resin_code"),
            name_vi=row["name_vi"],
            name_en=row["name_en"],
            hard_to_degrade=bool(row.get("hard_to_degrade_nd08")),
            recyclable_vn=row.get("recyclable_vn"),
        )
        await _merge(session, material, report)
    for row in data["label_schemes"]:
        scheme = LabelScheme(
            code=row["code"],
            name_vi=row["name_vi"],
            name_en=row["name_en"],
            kind=SchemeKind(row["kind"]),
            issuer_vi=row.get("issuer_vi"),
            issuer_en=row.get("issuer_en"),
            scope=row.get("scope"),
            validity_months=row.get("validity_months"),
            has_stars=(row.get("rating") or {}).get("type") == "stars",
        )
        await _merge(session, scheme, report)
    await session.flush()
    if await _add_plan(session, PLAN_174):
        report.count("Plan")
    for row in substitute_data()["groups"]:
        group = SubstituteGroup(
            code=row["code"], category_code=row["category"], name_vi=row["name_vi"], name_en=row["name_en"]
        )
        await _merge(session, group, report)
    await session.flush()
    return report


# Cà Mau's 2024 plan on sustainable production and consumption, as reported (../shared/data/domain-facts.md §1);
# its 2023 predecessor 169/KH-UBND asked 50% of supermarkets to stop hard-to-degrade bags.
PLAN_174 = plans.PlanDraft(
    code="174/KH-UBND",
    year=2024,
    province="Cà Mau",
    title_vi="Kế hoạch 174/KH-UBND năm 2024 về sản xuất và tiêu dùng bền vững tỉnh Cà Mau",
    title_en="Cà Mau Plan 174/KH-UBND (2024) on sustainable production and consumption",
    targets=[
        plans.TargetDraft(
            indicator="target_stores_without_free_bags",
            value=0.55,
            note_vi="55% siêu thị, trung tâm thương mại không sử dụng túi ni lông khó phân hủy",
            note_en="55% of supermarkets and commercial centres stop using hard-to-degrade plastic bags",
        ),
        plans.TargetDraft(
            indicator="awareness_events",
            value=2,
            note_vi="Ít nhất 2 đợt tuyên truyền, nâng cao nhận thức mỗi năm",
            note_en="At least 2 awareness campaigns a year",
        ),
        plans.TargetDraft(
            indicator="enterprises_informed",
            value=0.65,
            note_vi="65% doanh nghiệp trong khu công nghiệp, khu kinh tế được phổ biến về sản xuất bền vững",
            note_en="65% of enterprises in industrial and economic zones informed on sustainable production",
        ),
    ],
)


async def _add_plan(session: AsyncSession, draft: plans.PlanDraft) -> bool:
    """Add the plan unless a plan with its code and year exists (an admin may have edited its targets)."""
    existing = await session.scalar(
        select(plans.Plan.id).where(col(plans.Plan.code) == draft.code, col(plans.Plan.year) == draft.year)
    )
    if existing is not None:
        return False
    await plans.create(session, draft, known=indicators.TARGETABLE, actor_id=None)
    return True


async def _merge(session: AsyncSession, row: Any, report: LoadReport) -> None:
    key = type(row).__name__
    if await session.get(type(row), row.code) is None:
        report.count(key)
    await session.merge(row)


async def load_demo(session: AsyncSession, progress: Callable[[int], None] | None = None) -> LoadReport:
    """The Cà Mau demo catalog: producers, products with packaging and labels, stores and listings."""
    data, report = seed_catalog(), LoadReport()
    reference = await load_reference(session)
    report.added.update(reference.added)
    producer_ids = {p.code: p.id for p in (await session.execute(select(Producer))).scalars()}
    for row in data["producers"]:
        if row["id"] not in producer_ids:
            created = await producers.create(session, _producer_draft(row), actor_id=None)
            producer_ids[row["id"]] = created.id
            report.count("Producer")
    product_ids = {p.code: p.id for p in (await session.execute(select(Product))).scalars()}
    groups = substitute_data()["products"]
    fictional_index = 0
    for row in data["products"]:
        demo_number = fictional_index if row.get("fictional") else None
        fictional_index += 1 if row.get("fictional") else 0
        if row["id"] not in product_ids:
            product = await products.create(
                session, _product_draft(row, producer_ids[row["producer_id"]], demo_number), actor_id=None
            )
            assert product.id is not None
            product.substitute_group = groups.get(row["id"])
            product_ids[row["id"]] = product.id
            # The demo numbers are GS1's demonstration prefix, confirmed as the demo's own so their links resolve.
            product.gtin_confirmed = demo_number is not None
            for label in row["labels"]:
                draft, status, reason = _certification(label)
                cert = await certifications.claim(
                    session, product.id, draft, actor_id=None, status=status, allow_undated=True
                )
                cert.status_reason = reason if cert.status is status else UNDATED_REASON
            report.count("Product")
        if progress:
            progress(1)
    store_ids = {s.code: s.id for s in (await session.execute(select(Store))).scalars()}
    for row in data["stores"]:
        if row["id"] not in store_ids:
            store_ids[row["id"]] = (await stores.create(session, _store_draft(row), actor_id=None)).id
            report.count("Store")
    for row in data["store_listings"]:
        store_id, product_id = store_ids[row["store_id"]], product_ids[row["product_id"]]
        assert store_id is not None and product_id is not None
        if not await _has_listing(session, store_id, product_id):
            draft = ListingDraft(product_id=product_id, price_vnd=row.get("price_vnd"))
            await stores.upsert_listing(
                session, store_id, draft, actor_id=None, illustrative=bool(row.get("illustrative"))
            )
            report.count("Listing")
    await session.flush()
    return report


async def _has_listing(session: AsyncSession, store_id: int, product_id: int) -> bool:
    found = await session.scalar(
        select(stores.Listing.id).where(
            col(stores.Listing.store_id) == store_id, col(stores.Listing.product_id) == product_id
        )
    )
    return found is not None


def _address_line(parts: dict[str, Any] | None) -> str | None:
    if not parts:
        return None
    return ", ".join(p for p in (parts.get("commune"), parts.get("district"), parts.get("province")) if p) or None


def _producer_draft(row: dict[str, Any]) -> ProducerDraft:
    address = row.get("address") or {}
    current = address.get("current") or {}
    street = ", ".join(p for p in (address.get("street"), address.get("hamlet")) if p) or None
    return ProducerDraft(
        code=row["id"],
        legal_name=row["legal_name_vi"],
        brand=row.get("brand"),
        entity_type=ENTITY_TYPES[row["entity_type"]],
        street=street,
        commune=current.get("commune"),
        province=current.get("province") or "Cà Mau",
        legacy_address=_address_line(address.get("legacy")),
        description_vi=row.get("note"),
        fictional=bool(row.get("fictional")),
    )


def _product_draft(row: dict[str, Any], producer_id: int | None, demo_number: int | None) -> ProductDraft:
    quantity = row.get("net_quantity") or {}
    return ProductDraft(
        code=row["id"],
        producer_id=producer_id,
        name_vi=row["name_vi"],
        name_en=row.get("name_en"),
        description_vi=row.get("description_vi"),
        description_en=row.get("description_en"),
        category_code=row["category"],
        ocop_group=row.get("ocop_category"),
        gtin=demo_gtin(demo_number) if demo_number is not None else row.get("gtin_illustrative"),
        net_quantity=quantity.get("value"),
        net_quantity_unit=quantity.get("unit"),
        search_aliases=row.get("search_aliases"),
        fictional=bool(row.get("fictional")),
        illustrative=bool(row.get("net_quantity_illustrative") or row.get("packaging_illustrative")),
        packaging=[
            PackagingDraft.model_validate({**p, "material_code": p["material"]}) for p in row.get("packaging", [])
        ],
    )


UNDATED_REASON = "no issue date in the sources, so nobody can say until when it holds"


def _certification(label: dict[str, Any]) -> tuple[CertificationDraft, CertificationStatus, str | None]:
    """Map a seed label to a draft and the honest status the data supports."""
    scheme = label["scheme"]
    number = next(
        (label[k] for k in ("certificate_no", "registration_no", "license_code", "coc_code", "ggn", "facility_no",
                            "control_body_code") if label.get(k)),
        None,
    )  # fmt: skip
    draft = CertificationDraft(
        scheme_code=scheme,
        certificate_no=number,
        decision_no=label.get("decision_no"),
        issuing_body=label.get("issuer") or label.get("certification_body") or label.get("certification_body_code"),
        ocop_stars=label.get("stars") if scheme == OCOP else None,
        stars=label.get("stars") if scheme != OCOP else None,
        score_points=label.get("score_points"),
        issued_on=_date(label.get("issued_on")),
        valid_until=_date(label.get("valid_until")),
        claim_text_vi=label.get("claim_vi") or label.get("name"),
        claim_text_en=label.get("claim_en"),
        note=label.get("batch_note") or label.get("note") or label.get("holder_note") or label.get("format_note"),
        illustrative=bool(label.get("numbers_illustrative") or label.get("issued_on_illustrative")),
    )
    if scheme == SELF_CLAIM:
        return draft, CertificationStatus.CLAIMED, "self-declared by the producer; not verified by anyone"
    if scheme == "GLOBALGAP" and label.get("ggn") and not _is_valid_ggn(label["ggn"]):
        return draft, CertificationStatus.REJECTED, "the GGN does not pass the GS1 check digit"
    if label.get("reported") and not number:
        return draft, CertificationStatus.CLAIMED, "reported in the press; no certificate seen"
    if label.get("licensee_verified") is False:
        return draft, CertificationStatus.CLAIMED, "licence to use the mark not verified"
    return draft, CertificationStatus.VERIFIED, None


def _is_valid_ggn(value: str) -> bool:
    try:
        gtin.to_gtin14(value)
    except ValueError:
        return False
    return len(value) == 13


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _store_draft(row: dict[str, Any]) -> StoreDraft:
    address = row.get("address") or {}
    current = address.get("current") or {}
    policy = row.get("plastic_policy_illustrative") or {}
    return StoreDraft(
        code=row["id"],
        name=row["name"],
        chain=row.get("chain"),
        brand=row.get("brand"),
        store_type=STORE_TYPES[row["type"]],
        street=address.get("street"),
        commune=current.get("commune"),
        province=current.get("province") or "Cà Mau",
        legacy_address=_address_line(address.get("legacy")),
        counts_toward_target=bool(row.get("counts_toward_kh174_target")),
        free_hard_to_degrade_bags=policy.get("free_hard_to_degrade_bags"),
        sells_reusable_bags=policy.get("sells_reusable_bags"),
        paper_cartons=policy.get("paper_cartons"),
        compostable_bags=policy.get("compostable_bags"),
        bag_policy_illustrative=bool(policy),
        fictional=bool(row.get("fictional")),
    )
