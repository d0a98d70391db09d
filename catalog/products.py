"""Products: the listings producers keep current (optimistically versioned), and what the public may read of them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator
from sqlalchemy import String, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Column, Field, Relationship, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from catalog import audit, outbox, packaging, patches, slugs, text, versions
from catalog import certifications as certs
from catalog import gtin as gtins
from catalog.audit import AuditEntry
from catalog.categories import Category, OcopGroup
from catalog.clock import utcnow
from catalog.columns import enum_column, id_field, json_column, utc_datetime
from catalog.errors import CatalogError, Conflict, NotFound, StaleVersion
from catalog.packaging import Material, PackagingComponent, PackagingDraft
from catalog.pagination import Paginated, paginate
from catalog.producers import Producer
from catalog.text import OptionalText, Text

if TYPE_CHECKING:
    from catalog.certifications import Certification


class ProductStatus(StrEnum):
    """Only published products are shown to the public."""

    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


def _gtin14(value: str | None) -> str | None:
    return gtins.to_gtin14(value) if value else None


def _aliases(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [a for a in (text.clean(v)[:120] for v in value) if a]


class ProductBase(SQLModel):
    """A product's fields with their bounds: the table, the draft and the patch all derive from these."""

    code: OptionalText = Field(
        default=None, max_length=20, unique=True, description="Natural key: the seed data names records by it"
    )
    producer_id: int = id_field(foreign_key="producer.id", index=True)
    name_vi: Text = Field(min_length=1, max_length=200)
    name_en: OptionalText = Field(default=None, max_length=200)
    description_vi: OptionalText = Field(default=None, max_length=4000)
    description_en: OptionalText = Field(default=None, max_length=4000)
    category_code: Text = Field(foreign_key="category.code", min_length=1, max_length=40, index=True)
    ocop_group: OptionalText = Field(default=None, foreign_key="ocop_group.code", max_length=20)
    # GTIN-8/12/13/14 in, always stored as GTIN-14; InvalidGtin is a ValueError, so a bad one is a field error.
    gtin: Annotated[str | None, AfterValidator(_gtin14)] = Field(
        default=None, sa_column=Column(String(14), unique=True, nullable=True)
    )
    net_quantity: float | None = Field(default=None, gt=0, le=1_000_000)
    net_quantity_unit: OptionalText = Field(default=None, max_length=20)
    search_aliases: Annotated[list[str] | None, AfterValidator(_aliases)] = json_column(default=None, max_length=30)
    status: ProductStatus = enum_column(ProductStatus, default=ProductStatus.DRAFT, index=True)
    fictional: bool = False
    illustrative: bool = Field(default=False, description="Quantity, packaging or GTIN are demo values")


class Product(ProductBase, table=True):
    """A product as a shopper finds it on a shelf."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=100, unique=True)
    # What it can stand in for (catalog.substitutes); greener alternatives come only from the same group.
    substitute_group: str | None = Field(default=None, foreign_key="substitute_group.code", max_length=40, index=True)
    # Folded name, aliases and producer: what the SQL fallback search matches against.
    search_text: str = Field(default="", max_length=4000)
    # An admin confirmed this GTIN is the producer's although it is outside its confirmed company prefixes.
    gtin_confirmed: bool = False
    version: int = 1
    created_at: datetime = utc_datetime(default_factory=utcnow)
    updated_at: datetime = utc_datetime(default_factory=utcnow)

    # Many-to-one rows come joined and collections in one IN query each: three queries load a whole product
    # (measured in bench/: five round trips to SQLite made the scan page twice as slow).
    producer: Producer = Relationship(sa_relationship_kwargs={"lazy": "joined", "innerjoin": True})
    certifications: list["Certification"] = Relationship(
        sa_relationship_kwargs={"lazy": "selectin", "order_by": "Certification.id", "passive_deletes": True}
    )
    packaging: list[PackagingComponent] = Relationship(
        sa_relationship_kwargs={
            "lazy": "selectin",
            "order_by": "PackagingComponent.position",
            "cascade": "all, delete-orphan",
            "passive_deletes": True,
        }
    )

    def valid_labels(self, on: date) -> list["Certification"]:
        """Certifications a consumer may be told hold on `on`."""
        return certs.valid_labels(self.certifications, on)

    def ocop_stars(self, on: date) -> int | None:
        """Highest OCOP star rank valid on `on`."""
        return certs.ocop_stars_on(self.certifications, on)

    @property
    def is_packaging_item(self) -> bool:
        """The product is itself a bag, box, straw or tableware: judged as a product, not by its wrapper."""
        return (
            self.category_code in packaging.ITEM_CATEGORIES and self.substitute_group not in packaging.NOT_ITEM_GROUPS
        )

    @property
    def judged_components(self) -> list[PackagingComponent]:
        """What the plastic rules look at: the pack, or for a bag or box the item itself (its primary parts)."""
        if self.is_packaging_item:
            return [c for c in self.packaging if c.role is packaging.PackagingRole.PRIMARY]
        return list(self.packaging)

    @property
    def is_plastic_free(self) -> bool:
        """No plastic in any packaging component (for a bag or box: in the item itself)."""
        return packaging.is_plastic_free(self.judged_components)

    @property
    def has_hard_to_degrade_plastic(self) -> bool:
        """Some packaging is hard-to-degrade plastic (Decree 08/2022); an item counts only when it is
        single-use (a reusable non-woven PP bag is what the decree encourages, not what it restricts)."""
        if self.is_packaging_item:
            return any(c.single_use and c.material.hard_to_degrade for c in self.judged_components)
        return packaging.has_hard_to_degrade_plastic(self.packaging)

    @property
    def is_reusable_item(self) -> bool:
        """A bag, box or tableware made to be used again."""
        return self.is_packaging_item and any(c.reusable or c.refillable for c in self.judged_components)

    @property
    def is_compostable_item(self) -> bool:
        """A bag, box or tableware certified compostable (a self-declaration is not enough)."""
        certified = packaging.BiodegradabilityClaim.COMPOSTABLE_INDUSTRIAL_CERTIFIED
        return self.is_packaging_item and any(c.biodegradable_claim is certified for c in self.judged_components)

    @property
    def gtin_is_public(self) -> bool:
        """A GTIN published as a GS1 Digital Link: a real, unrestricted number the producer is known to own
        (under its admin-confirmed GS1 company prefixes, or confirmed one by one by an admin)."""
        if self.gtin is None or not gtins.is_publishable(self.gtin):
            return False
        return self.gtin_confirmed or gtins.within_prefixes(self.gtin, self.producer.gs1_prefixes)


def build_search_text(name_vi: str, name_en: str | None, aliases: list[str] | None, producer: str) -> str:
    """Folded text the SQL fallback matches: names, aliases and producer."""
    parts = [name_vi, name_en or "", *(aliases or []), producer]
    return text.fold(" | ".join(p for p in parts if p))[:4000]


# Set when a product is added, never patched: its natural key, its producer, and whether it is demo data.
CREATED_ONLY = ("code", "producer_id", "fictional", "illustrative")


class ProductDraft(ProductBase):
    """Validated input for a new product, shared by the API, the CSV import and the seeds."""

    # The API fills it in from the producer's own account; an admin names it.
    producer_id: int | None = id_field(default=None)
    # What a client adds is published unless it says otherwise; the table's own default is a draft.
    status: ProductStatus = ProductStatus.PUBLISHED
    packaging: list[PackagingDraft] = Field(default_factory=list, max_length=20)


class ProductPatch(patches.optional(ProductBase, omit=CREATED_ONLY), patches.Versioned):  # type: ignore[misc]
    """A partial update; `version` must match the stored one."""

    packaging: list[PackagingDraft] | None = Field(default=None, max_length=20)

    def changes(self) -> dict[str, Any]:
        """Only the fields the client actually sent, without the version and the packaging (replaced as a whole)."""
        return {name: value for name, value in super().changes().items() if name != "packaging"}


async def create(session: AsyncSession, draft: ProductDraft, *, actor_id: int | None) -> Product:
    """Add a product with its packaging, in the caller's transaction, with audit and outbox rows."""
    if draft.producer_id is None:
        raise CatalogError("producer_id is required", field="producer_id")
    producer = await session.get(Producer, draft.producer_id)
    if producer is None:
        raise CatalogError(f"no producer with id {draft.producer_id}", field="producer_id")
    await _check_references(session, draft.category_code, draft.ocop_group, draft.gtin, product_id=None)
    await _check_materials(session, draft.packaging)
    if draft.code is not None and await session.scalar(select(Product.id).where(col(Product.code) == draft.code)):
        raise Conflict(f"product code {draft.code} is taken", field="code")
    product = Product.model_validate(
        draft.model_dump(exclude={"packaging"}),
        update={
            "slug": await slugs.unique_slug(session, Product.slug, draft.name_vi),
            "search_text": build_search_text(
                draft.name_vi, draft.name_en, draft.search_aliases, _producer_words(producer)
            ),
        },
    )
    session.add(product)
    await session.flush()
    assert product.id is not None
    session.add_all(_components(draft.packaging, product.id))
    await session.flush()
    await session.refresh(product, ["packaging", "certifications", "producer"])
    audit.record(
        session,
        actor_id=actor_id,
        entity="product",
        entity_id=product.id,
        action="create",
        after=audit.snapshot(product),
    )
    outbox.record_change(session, "product", product.id, outbox.Operation.UPSERT)
    return product


async def create_many(session: AsyncSession, drafts: Sequence[ProductDraft], *, actor_id: int | None) -> list[Product]:
    """Add many products as `create` does, every read first and then a few bulk INSERTs.

    On SQLite a transaction holds the database's only write lock from its first INSERT to its commit; doing all the
    lookups before that keeps a 1,000-row import from starving other writers, and it stays all-or-nothing.
    """
    producers: dict[int, Producer] = {}
    reserved: set[str] = set()
    prepared: list[tuple[Product, ProductDraft]] = []
    for draft in drafts:
        if draft.producer_id is None:
            raise CatalogError("producer_id is required", field="producer_id")
        if draft.producer_id not in producers:
            found = await session.get(Producer, draft.producer_id)
            if found is None:
                raise CatalogError(f"no producer with id {draft.producer_id}", field="producer_id")
            producers[draft.producer_id] = found
        await _check_references(session, draft.category_code, draft.ocop_group, draft.gtin, product_id=None)
        await _check_materials(session, draft.packaging)
        if draft.code is not None and await session.scalar(select(Product.id).where(col(Product.code) == draft.code)):
            raise Conflict(f"product code {draft.code} is taken", field="code")
        slug = await slugs.unique_slug(session, Product.slug, draft.name_vi, also_taken=reserved)
        reserved.add(slug)
        product = Product.model_validate(
            draft.model_dump(exclude={"packaging"}),
            update={
                "slug": slug,
                "search_text": build_search_text(
                    draft.name_vi, draft.name_en, draft.search_aliases, _producer_words(producers[draft.producer_id])
                ),
            },
        )
        prepared.append((product, draft))
    if not prepared:
        return []
    # Every row is built before the first INSERT (ids filled in after), and each table gets one executemany:
    # the unit of work would send a statement per row, each a round trip while the lock is held.
    product_rows = [_columns(product) for product, _ in prepared]
    component_rows = [[_columns(c) for c in _components(draft.packaging, 0)] for _, draft in prepared]
    entries = [
        _columns(AuditEntry(actor_id=actor_id, entity="product", action="create", after=audit.snapshot(product)))
        for product, _ in prepared
    ]
    changes = [
        _columns(outbox.Outbox(entity="product", entity_id=0, operation=outbox.Operation.UPSERT)) for _ in prepared
    ]
    await session.flush()
    # Without RETURNING: SQLite would send an INSERT … RETURNING per row. Slugs are unique, so they find the ids.
    await session.execute(insert(Product.__table__), product_rows)  # type: ignore[attr-defined]
    slug_ids: dict[str, int] = {}
    new_slugs = [product.slug for product, _ in prepared]
    for start in range(0, len(new_slugs), _SLUG_CHUNK):
        found = await session.execute(
            select(Product.slug, Product.id).where(col(Product.slug).in_(new_slugs[start : start + _SLUG_CHUNK]))
        )
        slug_ids.update({slug: pid for slug, pid in found.tuples() if pid is not None})
    for n, (product, _) in enumerate(prepared):
        product.id = slug_ids[product.slug]
        for row in component_rows[n]:
            row["product_id"] = product.id
        entries[n]["entity_id"] = product.id
        entries[n]["after"] = {**entries[n]["after"], "id": product.id}
        changes[n]["entity_id"] = product.id
    components = [row for rows in component_rows for row in rows]
    for table, rows in ((PackagingComponent, components), (AuditEntry, entries), (outbox.Outbox, changes)):
        if rows:
            await session.execute(insert(table.__table__), rows)  # type: ignore[attr-defined]
    return [product for product, _ in prepared]


_SLUG_CHUNK = 500


def _columns(row: SQLModel) -> dict[str, Any]:
    """A new row's column values (defaults filled in by the model) for a bulk INSERT."""
    columns = row.__table__.columns  # type: ignore[attr-defined]
    return {column.key: getattr(row, column.key) for column in columns if column.key != "id"}


async def patch(session: AsyncSession, product: Product, changes: ProductPatch, *, actor_id: int | None) -> Product:
    """Apply a partial update if `changes.version` is current; refuse a stale one."""
    assert product.id is not None
    if changes.version != product.version:
        raise StaleVersion(changes.version, product.version)
    # A field sent with the value it already has is no change: a form saved unchanged changes nothing.
    fields = {name: value for name, value in changes.changes().items() if getattr(product, name) != value}
    for required in ("name_vi", "category_code", "status"):
        if required in fields and fields[required] is None:
            raise CatalogError(f"{required} cannot be empty", field=required)
    new_packaging = changes.packaging
    if new_packaging is not None and [d.model_dump() for d in new_packaging] == packaging_drafts(product.packaging):
        new_packaging = None
    if not fields and new_packaging is None:
        return product
    await _check_references(
        session,
        fields.get("category_code"),
        fields.get("ocop_group"),
        fields.get("gtin"),
        product_id=product.id,
    )
    if new_packaging is not None:
        await _check_materials(session, new_packaging)
    next_version = await versions.claim_next(session, Product, product.id, changes.version)
    before = audit.snapshot(product)
    for name, value in fields.items():
        setattr(product, name, value)
    if "gtin" in fields:
        product.gtin_confirmed = False  # a new number needs its own confirmation
    if new_packaging is not None:
        # Replace the rows explicitly: assigning the collection would lazy-load in a sync context (MissingGreenlet).
        for component in list(product.packaging):
            await session.delete(component)
        await session.flush()
        session.add_all(_components(new_packaging, product.id))
    product.version = next_version
    product.updated_at = utcnow()
    product.search_text = build_search_text(
        product.name_vi, product.name_en, product.search_aliases, _producer_words(product.producer)
    )
    await session.flush()
    if new_packaging is not None:
        await session.refresh(product, ["packaging"])
    audit.record(
        session,
        actor_id=actor_id,
        entity="product",
        entity_id=product.id,
        action="update",
        before=before,
        after=audit.snapshot(product),
    )
    outbox.record_change(session, "product", product.id, outbox.Operation.UPSERT)
    return product


def _producer_words(producer: Producer) -> str:
    return " ".join(p for p in (producer.legal_name, producer.brand) if p)


def packaging_drafts(components: list[PackagingComponent]) -> list[dict[str, Any]]:
    """Stored components as draft values, in order: what a form shows and what tells an unchanged pack."""
    return [
        PackagingDraft.model_validate(c.model_dump(include=set(PackagingDraft.model_fields))).model_dump()
        for c in components
    ]


def _components(drafts: list[PackagingDraft], product_id: int) -> list[PackagingComponent]:
    return [
        PackagingComponent.model_validate(d.model_dump(), update={"position": i, "product_id": product_id})
        for i, d in enumerate(drafts)
    ]


async def _check_materials(session: AsyncSession, drafts: list[PackagingDraft]) -> None:
    for i, draft in enumerate(drafts):
        if await session.get(Material, draft.material_code) is None:
            raise CatalogError(
                f"unknown packaging material {draft.material_code!r}", field=f"packaging.{i}.material_code"
            )


async def _check_references(
    session: AsyncSession,
    category: str | None,
    ocop_group: str | None,
    gtin: str | None,
    *,
    product_id: int | None,
) -> None:
    if category is not None and await session.get(Category, category) is None:
        raise CatalogError(f"unknown category {category!r}", field="category_code")
    if ocop_group is not None and await session.get(OcopGroup, ocop_group) is None:
        raise CatalogError(f"unknown OCOP group {ocop_group!r}", field="ocop_group")
    if gtin is not None:
        other = await session.scalar(select(Product.id).where(col(Product.gtin) == gtin))
        if other is not None and other != product_id:
            # First come is not first served: a held number is never taken over, the clash is named instead.
            raise Conflict(
                f"GTIN {gtin} already belongs to product {other}; ask the province to resolve it", field="gtin"
            )


async def confirm_gtin(session: AsyncSession, product: Product, *, actor_id: int | None) -> Product:
    """An admin confirmed the GTIN is the producer's: it is published as a Digital Link (unless restricted)."""
    assert product.id is not None
    if product.gtin is None:
        raise CatalogError("the product has no GTIN to confirm", field="gtin")
    if not gtins.is_publishable(product.gtin):
        raise Conflict(f"GTIN {product.gtin} is a restricted-circulation number and is never public", field="gtin")
    before = audit.snapshot(product)
    product.gtin_confirmed = True
    product.version = await versions.claim_next(session, Product, product.id, product.version)
    product.updated_at = utcnow()
    await session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        entity="product",
        entity_id=product.id,
        action="confirm_gtin",
        before=before,
        after=audit.snapshot(product),
    )
    outbox.record_change(session, "product", product.id, outbox.Operation.UPSERT)
    return product


async def get(session: AsyncSession, product_id: int) -> Product:
    """One product in any status (for its owner or an admin to change), or NotFound."""
    product = await session.get(Product, product_id)
    if product is None:
        raise NotFound(f"no product with id {product_id}", field="product_id")
    return product


async def of_producer(session: AsyncSession, producer_id: int) -> list[Product]:
    """All of a producer's products in any status, by name: what its own portal and export show."""
    rows = await session.execute(
        select(Product).where(col(Product.producer_id) == producer_id).order_by(col(Product.name_vi), col(Product.id))
    )
    return list(rows.scalars().all())


# What the public may read: published products only. Pages, the JSON API and the portal's store forms ask here.


@dataclass(frozen=True)
class ProductFilter:
    """Narrowing of the public product list; every field optional."""

    category: str | None = None
    producer_id: int | None = None
    store_id: int | None = None
    gtin: str | None = None


def published() -> SelectOfScalar[Product]:
    """A query for the products the public may see; narrow it with `.where`."""
    return select(Product).where(col(Product.status) == ProductStatus.PUBLISHED)


async def list_published(session: AsyncSession, filters: ProductFilter, page: int, per_page: int) -> Paginated[Product]:
    """Published products, oldest first so pages are stable."""
    from catalog.stores import Listing  # late: stores imports this module

    query = published()
    if filters.category:
        query = query.where(col(Product.category_code) == filters.category)
    if filters.producer_id:
        query = query.where(col(Product.producer_id) == filters.producer_id)
    if filters.gtin:
        query = query.where(col(Product.gtin) == filters.gtin)
    if filters.store_id:
        query = query.where(
            col(Product.id).in_(
                select(Listing.product_id).where(col(Listing.store_id) == filters.store_id, col(Listing.active))
            )
        )
    return await paginate(session, query.order_by(col(Product.id)), page, per_page)


async def get_published(session: AsyncSession, product_id: int) -> Product:
    """One published product, or NotFound."""
    product = await session.scalar(published().where(col(Product.id) == product_id))
    if product is None:
        raise NotFound(f"no published product with id {product_id}", field="product_id")
    return product


async def get_published_by_slug(session: AsyncSession, slug: str) -> Product:
    """One published product by its URL slug, or NotFound."""
    product = await session.scalar(published().where(col(Product.slug) == slug))
    if product is None:
        raise NotFound(f"no published product {slug!r}", field="slug")
    return product


async def get_published_by_gtin(session: AsyncSession, gtin14: str) -> Product:
    """One published product by its GTIN-14, or NotFound."""
    product = await session.scalar(published().where(col(Product.gtin) == gtin14))
    if product is None:
        raise NotFound(f"no published product with GTIN {gtin14}", field="gtin")
    return product


async def published_in_order(session: AsyncSession, product_ids: Sequence[int]) -> list[Product]:
    """The published products with these ids, in the order given (a search engine's ranking)."""
    if not product_ids:
        return []
    rows = await session.execute(published().where(col(Product.id).in_(product_ids)))
    by_id = {p.id: p for p in rows.scalars()}
    return [by_id[i] for i in product_ids if i in by_id]
