"""Our product taxonomy and the OCOP product groups of Decision 148/QĐ-TTg."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select


class Category(SQLModel, table=True):
    """A shelf category shoppers browse by (fish sauce, dried seafood, eco household goods…)."""

    code: str = Field(primary_key=True, max_length=40)
    name_vi: str = Field(max_length=120)
    name_en: str = Field(max_length=120)


class OcopGroup(SQLModel, table=True):
    """An OCOP product group or sub-group code such as 'I.3.d'."""

    __tablename__ = "ocop_group"

    code: str = Field(primary_key=True, max_length=20)
    name_vi: str = Field(max_length=200)
    name_en: str = Field(max_length=200)


async def shelf_categories(session: AsyncSession) -> Sequence[Category]:
    """All shelf categories by code."""
    return (await session.execute(select(Category).order_by(col(Category.code)))).scalars().all()


async def ocop_groups(session: AsyncSession) -> Sequence[OcopGroup]:
    """All OCOP product groups by code, for forms to choose from."""
    return (await session.execute(select(OcopGroup).order_by(col(OcopGroup.code)))).scalars().all()
