"""Label schemes and categories: the reference vocabulary of the catalog."""

from litestar import get
from litestar.di import NamedDependency
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import categories, labels
from service.api.shapes import LabelSchemeOut


class CategoryOut(BaseModel):
    """A shelf category."""

    code: str
    name_vi: str
    name_en: str


@get("/label-schemes", operation_id="listLabelSchemes", tags=["reference"])
async def list_label_schemes(db_session: NamedDependency[AsyncSession]) -> list[LabelSchemeOut]:
    """Every label scheme, with what kind of assurance it gives."""
    return [LabelSchemeOut.of(s) for s in await labels.schemes(db_session)]


@get("/categories", operation_id="listCategories", tags=["reference"])
async def list_categories(db_session: NamedDependency[AsyncSession]) -> list[CategoryOut]:
    """Every shelf category."""
    return [CategoryOut.model_validate(c, from_attributes=True) for c in await categories.shelf_categories(db_session)]
