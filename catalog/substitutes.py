"""Substitute groups: what makes two products interchangeable on a shopping list (fish sauce for fish sauce).

A group sits below a shelf category; greener alternatives are drawn only from the product's own group, so a fish
sauce is never offered shrimp paste or salted crab. A product without a group has no alternatives: none rather
than noise. Admins keep the groups and assign products to them.
"""

import re
from collections.abc import Sequence

from pydantic import field_validator
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from catalog import audit, outbox, text
from catalog.categories import Category
from catalog.errors import CatalogError, Conflict, NotFound
from catalog.products import Product

CODE = re.compile(r"[a-z0-9_]+")


class SubstituteGroup(SQLModel, table=True):
    """Products a shopper would take one for another (fish sauce; shrimp paste; dried shrimp)."""

    __tablename__ = "substitute_group"

    code: str = Field(primary_key=True, max_length=40)
    category_code: str = Field(foreign_key="category.code", max_length=40, index=True)
    name_vi: str = Field(max_length=120)
    name_en: str = Field(max_length=120)


def _clean(value: object) -> object:
    return text.clean_optional(value) if isinstance(value, str) else value


class SubstituteGroupDraft(SQLModel):
    """Validated input for a new group."""

    code: str = Field(min_length=1, max_length=40, description="Lower-case letters, digits and _: fish_sauce")
    category_code: str = Field(min_length=1, max_length=40)
    name_vi: str = Field(min_length=1, max_length=120)
    name_en: str = Field(min_length=1, max_length=120)

    _normalise = field_validator("code", "category_code", "name_vi", "name_en", mode="before")(_clean)

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        if not CODE.fullmatch(value):
            raise ValueError("a code is lower-case letters, digits and _ (e.g. fish_sauce)")
        return value


class SubstituteGroupPatch(SQLModel):
    """A change to a group's names or category; fields not sent are kept."""

    category_code: str | None = Field(default=None, min_length=1, max_length=40)
    name_vi: str | None = Field(default=None, min_length=1, max_length=120)
    name_en: str | None = Field(default=None, min_length=1, max_length=120)

    _normalise = field_validator("category_code", "name_vi", "name_en", mode="before")(_clean)


def _snapshot(group: SubstituteGroup) -> dict[str, object]:
    return group.model_dump()


async def _check_category(session: AsyncSession, code: str) -> None:
    if await session.get(Category, code) is None:
        raise CatalogError(f"unknown category {code!r}", field="category_code")


async def all_groups(session: AsyncSession) -> Sequence[SubstituteGroup]:
    """Every group, by category then code."""
    query = select(SubstituteGroup).order_by(col(SubstituteGroup.category_code), col(SubstituteGroup.code))
    return (await session.execute(query)).scalars().all()


async def get(session: AsyncSession, code: str) -> SubstituteGroup:
    """One group, or NotFound."""
    group = await session.get(SubstituteGroup, code)
    if group is None:
        raise NotFound(f"no substitute group {code!r}", field="code")
    return group


async def create(session: AsyncSession, draft: SubstituteGroupDraft, *, actor_id: int | None) -> SubstituteGroup:
    """Add a group, in the caller's transaction, with an audit entry."""
    await _check_category(session, draft.category_code)
    if await session.get(SubstituteGroup, draft.code) is not None:
        raise Conflict(f"substitute group {draft.code} exists", field="code")
    group = SubstituteGroup.model_validate(draft.model_dump())
    session.add(group)
    await session.flush()
    audit.record(
        session, actor_id=actor_id, entity="substitute_group", entity_id=None, action="create", after=_snapshot(group)
    )
    return group


async def patch(
    session: AsyncSession, group: SubstituteGroup, changes: SubstituteGroupPatch, *, actor_id: int | None
) -> SubstituteGroup:
    """Apply the fields sent; a change re-indexes the group's products (their documents carry its names)."""
    fields = changes.model_dump(exclude_unset=True)
    for name in ("category_code", "name_vi", "name_en"):
        if name in fields and fields[name] is None:
            raise CatalogError(f"{name} cannot be empty", field=name)
    if "category_code" in fields:
        await _check_category(session, fields["category_code"])
    fields = {k: v for k, v in fields.items() if getattr(group, k) != v}
    if not fields:
        return group  # saved unchanged: nothing written
    before = _snapshot(group)
    for name, value in fields.items():
        setattr(group, name, value)
    await session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        entity="substitute_group",
        entity_id=None,
        action="update",
        before=before,
        after=_snapshot(group),
    )
    for product_id in await member_ids(session, group.code):
        outbox.record_change(session, "product", product_id, outbox.Operation.UPSERT)
    return group


async def member_ids(session: AsyncSession, code: str) -> list[int]:
    """Ids of every product in a group, any status."""
    rows = await session.execute(select(Product.id).where(col(Product.substitute_group) == code))
    return [row for row in rows.scalars().all() if row is not None]


async def assign(session: AsyncSession, product: Product, code: str | None, *, actor_id: int | None) -> Product:
    """Put a product in a group of its own category (or in none); unchanged writes nothing."""
    assert product.id is not None
    if code is not None:
        group = await get(session, code)
        if group.category_code != product.category_code:
            raise CatalogError(
                f"group {code} belongs to category {group.category_code}, the product to {product.category_code}",
                field="code",
            )
    if product.substitute_group == code:
        return product
    before = {"substitute_group": product.substitute_group}
    product.substitute_group = code
    await session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        entity="product",
        entity_id=product.id,
        action="update",
        before=before,
        after={"substitute_group": code},
    )
    outbox.record_change(session, "product", product.id, outbox.Operation.UPSERT)
    return product
