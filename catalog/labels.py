"""Label schemes: the kinds of certificates and marks a product can carry."""

from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from catalog.columns import enum_column


class SchemeKind(StrEnum):
    """What a label actually vouches for; decides how a consumer page words it."""

    GOVERNMENT_RATING = "government_rating"
    TYPE_I_ECOLABEL = "type_i_ecolabel"
    GAP = "gap_certification"
    ORGANIC = "organic"
    THIRD_PARTY_SUSTAINABILITY = "third_party_sustainability"
    THIRD_PARTY_SOCIAL = "third_party_social"
    GEOGRAPHICAL_INDICATION = "ip_mark"
    ENERGY_LABEL = "energy_label"
    MANAGEMENT_SYSTEM = "management_system"
    SELF_DECLARED = "self_declared"


OCOP = "OCOP"
SELF_CLAIM = "SELF_CLAIM"


class LabelScheme(SQLModel, table=True):
    """A certification or labelling scheme (OCOP, Vietnam Ecolabel, VietGAP, ASC…)."""

    __tablename__ = "label_scheme"

    code: str = Field(primary_key=True, max_length=40)
    name_vi: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    kind: SchemeKind = enum_column(SchemeKind)
    issuer_vi: str | None = Field(default=None, max_length=500)
    issuer_en: str | None = Field(default=None, max_length=500)
    scope: str | None = Field(default=None, max_length=40, description="What is certified: product, facility…")
    validity_months: int | None = Field(default=None, ge=1, le=120)
    has_stars: bool = False
    url: str | None = Field(default=None, max_length=300)

    @property
    def is_self_declared(self) -> bool:
        """A producer's own claim: never presented as a certification."""
        return self.kind is SchemeKind.SELF_DECLARED


async def schemes(session: AsyncSession) -> Sequence[LabelScheme]:
    """All label schemes by code."""
    return (await session.execute(select(LabelScheme).order_by(col(LabelScheme.code)))).scalars().all()
