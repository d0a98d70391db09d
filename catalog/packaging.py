"""Packaging components and the materials they are made of, with Decree 08/2022's plastic rules."""

from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, Relationship, SQLModel, col, select

from catalog.columns import MINIMUM_ZERO, enum_column
from catalog.text import OptionalText, Text

# Categories whose products are themselves bags, boxes, straws or tableware (Decree 08/2022 judges the item)...
ITEM_CATEGORIES = frozenset({"eco_household"})
# ...except the substitute groups there that are not: a rice cooker or toilet paper is judged by its pack.
NOT_ITEM_GROUPS = frozenset({"rice_cookers", "toilet_paper"})
# Materials without a resin code that still hold a plastic layer: never "plastic-free".
PLASTIC_COMPOSITES = frozenset({"PAPER_PE_LINED"})


class PackagingRole(StrEnum):
    """Where a component sits in the pack."""

    PRIMARY = "primary"
    CLOSURE = "closure"
    SECONDARY = "secondary"
    CUSHIONING = "cushioning"


class BiodegradabilityClaim(StrEnum):
    """What the pack claims about breaking down, and who stands behind it."""

    NONE = "none"
    COMPOSTABLE_INDUSTRIAL_CERTIFIED = "compostable_industrial_certified"
    COMPOSTABLE_SELF_DECLARED = "compostable_self_declared"
    OXO_DEGRADABLE_SELF_DECLARED = "oxo_degradable_self_declared"


class Material(SQLModel, table=True):
    """A packaging material class (resin codes 1–7, paper, glass, metal, moulded fibre…)."""

    code: str = Field(primary_key=True, max_length=40)
    resin_code: int | None = Field(default=None, ge=1, le=7)
    name_vi: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    # Decree 08/2022 (art. 3.14–15): PE, PP, PS, PVC, PET and oxo-degradable PE count as hard to degrade.
    hard_to_degrade: bool = False
    recyclable_vn: str | None = Field(default=None, max_length=20, description="common / limited / rare / no")

    @property
    def is_plastic(self) -> bool:
        """Any polymer with a resin code, compostable bioplastics and PP non-wovens included, and paper with a plastic
        layer (a PE-lined kraft pouch is not plastic-free)."""
        return self.resin_code is not None or self.code in PLASTIC_COMPOSITES


class PackagingBase(SQLModel):
    """A packaging component's fields with their bounds: the table and the draft derive from these."""

    role: PackagingRole = enum_column(PackagingRole)
    material_code: Text = Field(foreign_key="material.code", min_length=1, max_length=40)
    description_vi: OptionalText = Field(default=None, max_length=300)
    description_en: OptionalText = Field(default=None, max_length=300)
    mass_g: float | None = Field(default=None, ge=0, schema_extra=MINIMUM_ZERO, le=100_000)
    single_use: bool = True
    reusable: bool = False
    refillable: bool = False
    recycled_content_pct: int = Field(default=0, ge=0, schema_extra=MINIMUM_ZERO, le=100)
    biodegradable_claim: BiodegradabilityClaim = enum_column(BiodegradabilityClaim, default=BiodegradabilityClaim.NONE)


class PackagingComponent(PackagingBase, table=True):
    """One part of a product's pack: the bottle, its cap, the outer carton."""

    __tablename__ = "packaging_component"

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", index=True, ondelete="CASCADE")
    position: int = 0

    material: Material = Relationship(sa_relationship_kwargs={"lazy": "joined", "innerjoin": True})


class PackagingDraft(PackagingBase):
    """Validated input for one packaging component."""


def is_plastic_free(components: list[PackagingComponent]) -> bool:
    """True when the pack is known and no component of it is plastic of any kind."""
    return bool(components) and not any(c.material.is_plastic for c in components)


def has_hard_to_degrade_plastic(components: list[PackagingComponent]) -> bool:
    """True when any component is a hard-to-degrade plastic under Decree 08/2022."""
    return any(c.material.hard_to_degrade for c in components)


async def materials(session: AsyncSession) -> Sequence[Material]:
    """Every packaging material, plastics by resin code first, for forms to choose from."""
    query = select(Material).order_by(col(Material.resin_code).is_(None), col(Material.resin_code), col(Material.code))
    return (await session.execute(query)).scalars().all()
