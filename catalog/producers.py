"""Producers: the OCOP subjects (companies, cooperatives, household businesses) behind products."""

from datetime import datetime
from enum import StrEnum

from pydantic import field_validator
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from catalog import audit, gtin, outbox, patches, slugs, text, versions
from catalog.clock import utcnow
from catalog.columns import enum_column, json_column, utc_datetime
from catalog.errors import CatalogError, NotFound, StaleVersion
from catalog.pagination import Paginated, paginate


class EntityType(StrEnum):
    """Legal form of an OCOP subject, as Vietnamese law names them."""

    COMPANY = "company"  # công ty (TNHH, cổ phần, …)
    COOPERATIVE = "cooperative"  # hợp tác xã (HTX)
    COOPERATIVE_GROUP = "cooperative_group"  # tổ hợp tác
    HOUSEHOLD_BUSINESS = "household_business"  # hộ kinh doanh
    PRODUCTION_UNIT = "production_unit"  # cơ sở sản xuất
    BRANCH = "branch"  # chi nhánh doanh nghiệp


class ProducerBase(SQLModel):
    """A producer's fields with their bounds: the table, the draft and the patch all derive from these."""

    code: str | None = Field(
        default=None, max_length=20, unique=True, description="Natural key: the seed data names records by it"
    )
    legal_name: str = Field(min_length=1, max_length=200)
    brand: str | None = Field(default=None, max_length=120)
    entity_type: EntityType = enum_column(EntityType)
    street: str | None = Field(default=None, max_length=200)
    commune: str | None = Field(default=None, max_length=120, description="Commune/ward after the 2025 merger")
    province: str = Field(default="Cà Mau", min_length=1, max_length=80)
    legacy_address: str | None = Field(default=None, max_length=300, description="Address as printed")
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)
    website: str | None = Field(default=None, max_length=300)
    description_vi: str | None = Field(default=None, max_length=4000)
    description_en: str | None = Field(default=None, max_length=4000)
    fictional: bool = False

    # Every field is cleaned, the entity type too: its values come from forms as often as from JSON.
    _normalise = field_validator("*", mode="before")(text.clean_input)


class Producer(ProducerBase, table=True):
    """A producer as printed on its products, with its address before and after the 2025 merger."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=100, unique=True)
    # GS1 company prefixes the province has confirmed belong to this producer: its GTINs under them are public.
    gs1_prefixes: list[str] | None = json_column(default=None)
    # Prefixes the producer states as its own; they count only once the province confirms them.
    gs1_prefixes_proposed: list[str] | None = json_column(default=None)
    version: int = 1
    created_at: datetime = utc_datetime(default_factory=utcnow)
    updated_at: datetime = utc_datetime(default_factory=utcnow)


class ProducerDraft(ProducerBase):
    """Validated input for a producer, shared by the API and the seeds."""


async def create(session: AsyncSession, draft: ProducerDraft, *, actor_id: int | None) -> Producer:
    """Add a producer with a unique slug, audited."""
    producer = Producer.model_validate(
        draft.model_dump(),
        update={"slug": await slugs.unique_slug(session, Producer.slug, draft.brand or draft.legal_name)},
    )
    session.add(producer)
    await session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        entity="producer",
        entity_id=producer.id,
        action="create",
        after=audit.snapshot(producer),
    )
    return producer


async def get(session: AsyncSession, producer_id: int) -> Producer:
    """One producer, or NotFound."""
    producer = await session.get(Producer, producer_id)
    if producer is None:
        raise NotFound(f"no producer with id {producer_id}", field="producer_id")
    return producer


async def get_by_slug(session: AsyncSession, slug: str) -> Producer:
    """One producer by its slug, or NotFound."""
    producer = await session.scalar(select(Producer).where(col(Producer.slug) == slug))
    if producer is None:
        raise NotFound(f"no producer {slug!r}", field="slug")
    return producer


async def list_all(session: AsyncSession, page: int, per_page: int) -> Paginated[Producer]:
    """Producers by name."""
    query = select(Producer).order_by(col(Producer.legal_name), col(Producer.id))
    return await paginate(session, query, page, per_page)


async def confirm_gs1_prefixes(
    session: AsyncSession, producer: Producer, prefixes: list[str], *, actor_id: int | None
) -> Producer:
    """The province confirms which GS1 company prefixes are the producer's; its GTINs under them go public."""
    cleaned = sorted({gtin.clean_prefix(p) for p in prefixes})
    before = audit.snapshot(producer)
    producer.gs1_prefixes = cleaned or None
    producer.gs1_prefixes_proposed = None
    return await _changed(session, producer, before, "confirm_gs1_prefixes", actor_id=actor_id)


# Set when a producer is registered, never patched: its natural key, its province, and whether it is demo data.
CREATED_ONLY = ("code", "province", "fictional")


class ProducerPatch(patches.optional(ProducerBase, omit=CREATED_ONLY), patches.Versioned):  # type: ignore[misc]
    """A partial update of a producer's own record; `version` must match the stored one."""

    # The producer's own GS1 company prefixes, for the province to confirm (`confirm_gs1_prefixes`).
    gs1_prefixes_proposed: list[str] | None = Field(default=None, max_length=20)

    _normalise = field_validator("*", mode="before")(text.clean_input)

    @field_validator("gs1_prefixes_proposed")
    @classmethod
    def _prefixes(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        return sorted({gtin.clean_prefix(p) for p in value}) or None


# Fields a record cannot do without: sending them empty is a mistake, not a way to clear them.
REQUIRED = ("legal_name", "entity_type")


async def patch(session: AsyncSession, producer: Producer, changes: ProducerPatch, *, actor_id: int | None) -> Producer:
    """Update a producer record if `changes.version` is current; a form saved unchanged changes nothing."""
    assert producer.id is not None
    if changes.version != producer.version:
        raise StaleVersion(changes.version, producer.version)
    fields = changes.changes()
    for name in REQUIRED:
        if name in fields and fields[name] is None:
            raise CatalogError(f"{name} cannot be empty", field=name)
    fields = {name: value for name, value in fields.items() if getattr(producer, name) != value}
    if not fields:
        return producer
    next_version = await versions.claim_next(session, Producer, producer.id, changes.version)
    before = audit.snapshot(producer)
    for name, value in fields.items():
        setattr(producer, name, value)
    producer.version = next_version
    return await _changed(session, producer, before, "update", actor_id=actor_id)


async def _changed(
    session: AsyncSession, producer: Producer, before: dict[str, object], action: str, *, actor_id: int | None
) -> Producer:
    """Audit a change and queue the producer's products: its name and commune are in their search documents."""
    producer.updated_at = utcnow()
    await session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        entity="producer",
        entity_id=producer.id,
        action=action,
        before=before,
        after=audit.snapshot(producer),
    )
    from catalog.products import Product  # late: products imports this module

    for product_id in await session.scalars(select(Product.id).where(col(Product.producer_id) == producer.id)):
        outbox.record_change(session, "product", product_id, outbox.Operation.UPSERT)
    return producer
