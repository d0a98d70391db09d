"""Output shapes of the public JSON API: the HTTP contract, built from catalog rows."""

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from catalog.accounts import Account
from catalog.audit import AuditEntry
from catalog.certifications import Certification
from catalog.labels import LabelScheme
from catalog.packaging import PackagingComponent
from catalog.producers import Producer
from catalog.products import Product
from catalog.stores import Listing, Store


class ProducerOut(BaseModel):
    """A producer as the public sees it."""

    id: int
    slug: str
    legal_name: str
    brand: str | None
    entity_type: str
    street: str | None
    commune: str | None
    province: str
    legacy_address: str | None
    description_vi: str | None
    description_en: str | None
    fictional: bool
    gs1_prefixes: list[str] | None = None
    version: int

    @classmethod
    def of(cls, producer: Producer) -> "ProducerOut":
        """Shape a producer row."""
        return cls.model_validate(producer, from_attributes=True)


class LabelSchemeOut(BaseModel):
    """A label scheme and what it vouches for."""

    code: str
    name_vi: str
    name_en: str
    kind: str
    issuer_vi: str | None
    issuer_en: str | None
    scope: str | None
    validity_months: int | None
    self_declared: bool

    @classmethod
    def of(cls, scheme: LabelScheme) -> "LabelSchemeOut":
        """Shape a scheme row."""
        return cls.model_validate(
            {**scheme.model_dump(), "self_declared": scheme.is_self_declared}, from_attributes=True
        )


class CertificationOut(BaseModel):
    """A certification with `valid_now` derived from its status and dates on today's date."""

    id: int
    scheme: str
    scheme_name_vi: str
    scheme_name_en: str
    status: str
    valid_now: bool
    expired: bool
    self_declared: bool
    ocop_stars: int | None
    stars: int | None
    certificate_no: str | None
    decision_no: str | None
    issuing_body: str | None
    issued_on: date | None
    valid_until: date | None
    evidence_url: str | None
    claim_text_vi: str | None
    claim_text_en: str | None
    illustrative: bool

    @classmethod
    def of(cls, cert: Certification, on: date) -> "CertificationOut":
        """Shape a certification as it stands on `on`."""
        assert cert.id is not None
        return cls(
            id=cert.id,
            scheme=cert.scheme_code,
            scheme_name_vi=cert.scheme.name_vi,
            scheme_name_en=cert.scheme.name_en,
            status=cert.status.value,
            valid_now=cert.is_valid_on(on),
            expired=cert.is_expired_on(on),
            self_declared=cert.scheme.is_self_declared,
            ocop_stars=cert.ocop_stars,
            stars=cert.stars,
            certificate_no=cert.certificate_no,
            decision_no=cert.decision_no,
            issuing_body=cert.issuing_body,
            issued_on=cert.issued_on,
            valid_until=cert.valid_until,
            evidence_url=cert.evidence_url,
            claim_text_vi=cert.claim_text_vi,
            claim_text_en=cert.claim_text_en,
            illustrative=cert.illustrative,
        )


class PackagingOut(BaseModel):
    """One packaging component with its material and derived plastic flags."""

    role: str
    material: str
    material_name_vi: str
    material_name_en: str
    resin_code: int | None
    plastic: bool
    hard_to_degrade_plastic: bool
    description_vi: str | None
    description_en: str | None
    mass_g: float | None
    single_use: bool
    reusable: bool
    refillable: bool
    recycled_content_pct: int
    biodegradable_claim: str

    @classmethod
    def of(cls, component: PackagingComponent) -> "PackagingOut":
        """Shape a packaging component."""
        material = component.material
        return cls(
            role=component.role.value,
            material=material.code,
            material_name_vi=material.name_vi,
            material_name_en=material.name_en,
            resin_code=material.resin_code,
            plastic=material.is_plastic,
            hard_to_degrade_plastic=material.hard_to_degrade,
            description_vi=component.description_vi,
            description_en=component.description_en,
            mass_g=component.mass_g,
            single_use=component.single_use,
            reusable=component.reusable,
            refillable=component.refillable,
            recycled_content_pct=component.recycled_content_pct,
            biodegradable_claim=component.biodegradable_claim.value,
        )


class ProductOut(BaseModel):
    """A published product with its producer, certifications and packaging."""

    id: int
    slug: str
    name_vi: str
    name_en: str | None
    description_vi: str | None
    description_en: str | None
    category: str
    ocop_group: str | None
    gtin: str | None
    gtin_public: bool
    net_quantity: float | None
    net_quantity_unit: str | None
    status: str
    version: int
    ocop_stars: int | None
    plastic_free: bool
    hard_to_degrade_plastic: bool
    fictional: bool
    illustrative: bool
    updated_at: datetime
    producer: ProducerOut
    certifications: list[CertificationOut]
    packaging: list[PackagingOut]

    @classmethod
    def of(cls, product: Product, on: date) -> "ProductOut":
        """Shape a product as it stands on `on`."""
        assert product.id is not None
        return cls(
            id=product.id,
            slug=product.slug,
            name_vi=product.name_vi,
            name_en=product.name_en,
            description_vi=product.description_vi,
            description_en=product.description_en,
            category=product.category_code,
            ocop_group=product.ocop_group,
            gtin=product.gtin,
            gtin_public=product.gtin_is_public,
            net_quantity=product.net_quantity,
            net_quantity_unit=product.net_quantity_unit,
            status=product.status.value,
            version=product.version,
            ocop_stars=product.ocop_stars(on),
            plastic_free=product.is_plastic_free,
            hard_to_degrade_plastic=product.has_hard_to_degrade_plastic,
            fictional=product.fictional,
            illustrative=product.illustrative,
            updated_at=product.updated_at,
            producer=ProducerOut.of(product.producer),
            certifications=[CertificationOut.of(c, on) for c in product.certifications],
            packaging=[PackagingOut.of(p) for p in product.packaging],
        )


class StoreOut(BaseModel):
    """A store and its plastic-bag policy."""

    id: int
    slug: str
    name: str
    chain: str | None
    brand: str | None
    store_type: str
    street: str | None
    commune: str | None
    province: str
    legacy_address: str | None
    phone: str | None
    email: str | None
    description_vi: str | None
    description_en: str | None
    counts_toward_target: bool
    free_hard_to_degrade_bags: bool | None
    sells_reusable_bags: bool | None
    paper_cartons: bool | None
    compostable_bags: bool | None
    bag_policy_since: date | None
    bag_policy_illustrative: bool
    version: int

    @classmethod
    def of(cls, store: Store) -> "StoreOut":
        """Shape a store row."""
        return cls.model_validate(store, from_attributes=True)


class ListingOut(BaseModel):
    """A store's listing of a product."""

    id: int
    store_id: int
    product_id: int
    price_vnd: int | None
    shelf: str | None
    active: bool

    @classmethod
    def of(cls, listing: Listing) -> "ListingOut":
        """Shape a listing row."""
        return cls.model_validate(listing, from_attributes=True)


class ClaimOut(CertificationOut):
    """A certification as the verification queue shows it: whose, why, and who verified it."""

    product_id: int
    status_reason: str | None
    verified_by: int | None
    verified_at: datetime | None
    created_at: datetime
    version: int

    @classmethod
    def of(cls, cert: Certification, on: date) -> "ClaimOut":
        """Shape a certification for its producer or an admin."""
        return cls(
            **CertificationOut.of(cert, on).model_dump(),
            product_id=cert.product_id,
            status_reason=cert.status_reason,
            verified_by=cert.verified_by,
            verified_at=cert.verified_at,
            created_at=cert.created_at,
            version=cert.version,
        )


class AccountOut(BaseModel):
    """Who a token belongs to and what it acts for."""

    id: int
    email: str
    role: str
    producer_id: int | None
    store_id: int | None

    @classmethod
    def of(cls, account: Account) -> "AccountOut":
        """Shape an account; never its password hash."""
        return cls.model_validate(account, from_attributes=True)


class AuditEntryOut(BaseModel):
    """One change in the audit log, with the row before and after."""

    id: int
    at: datetime
    actor_id: int | None
    actor_email: str | None
    entity: str
    entity_id: int | None
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @classmethod
    def of(cls, entry: AuditEntry, emails: dict[int, str]) -> "AuditEntryOut":
        """Shape an entry; `emails` names the actors (None: the command line or the seed loader)."""
        return cls.model_validate(
            {**entry.model_dump(), "actor_email": emails.get(entry.actor_id) if entry.actor_id else None}
        )
