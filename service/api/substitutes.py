"""Substitute groups: read by anyone, kept by admins; alternatives are drawn from a product's own group."""

from typing import Annotated

from litestar import Controller, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody, PathParameter
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import products, substitutes
from catalog.accounts import Account, Role
from catalog.substitutes import SubstituteGroupDraft, SubstituteGroupPatch
from service import auth

Code = Annotated[str, PathParameter(min_length=1, max_length=40, description="A substitute group's code")]


class SubstituteGroupOut(BaseModel):
    """Products a shopper would take one for another, below a shelf category."""

    code: str = Field(description="Stable code, e.g. fish_sauce")
    category_code: str = Field(description="The shelf category the group sits in")
    name_vi: str
    name_en: str


class Membership(BaseModel):
    """Which group a product belongs to; null takes it out of every group (it then has no alternatives)."""

    code: str | None = Field(default=None, min_length=1, max_length=40)


class ProductGroupOut(BaseModel):
    """A product's substitute group after the change."""

    product_id: int
    substitute_group: str | None


def _out(group: substitutes.SubstituteGroup) -> SubstituteGroupOut:
    return SubstituteGroupOut.model_validate(group, from_attributes=True)


@get("/substitute-groups", operation_id="listSubstituteGroups", tags=["reference"])
async def list_substitute_groups(db_session: NamedDependency[AsyncSession]) -> list[SubstituteGroupOut]:
    """Every substitute group, by category."""
    return [_out(g) for g in await substitutes.all_groups(db_session)]


class SubstituteGroupController(Controller):
    """Admins keep the groups and put products in them."""

    path = "/"
    tags = ["reference"]
    guards = [auth.requires(Role.ADMIN)]
    security = auth.SECURITY

    @post("/substitute-groups", operation_id="createSubstituteGroup")
    async def create_group(
        self,
        data: JSONBody[SubstituteGroupDraft],
        db_session: NamedDependency[AsyncSession],
        account: NamedDependency[Account],
    ) -> SubstituteGroupOut:
        """Add a substitute group below a category."""
        return _out(await substitutes.create(db_session, data, actor_id=account.id))

    @patch("/substitute-groups/{code:str}", operation_id="updateSubstituteGroup")
    async def update_group(
        self,
        code: Code,
        data: JSONBody[SubstituteGroupPatch],
        db_session: NamedDependency[AsyncSession],
        account: NamedDependency[Account],
    ) -> SubstituteGroupOut:
        """Rename a group or move it to another category; fields not sent are kept."""
        group = await substitutes.get(db_session, code)
        return _out(await substitutes.patch(db_session, group, data, actor_id=account.id))

    @put("/products/{product_id:int}/substitute-group", operation_id="setProductSubstituteGroup")
    async def set_product_group(
        self,
        product_id: FromPath[int],
        data: JSONBody[Membership],
        db_session: NamedDependency[AsyncSession],
        account: NamedDependency[Account],
    ) -> ProductGroupOut:
        """Put a product in a group of its own category, or in none."""
        product = await products.get(db_session, product_id)
        await substitutes.assign(db_session, product, data.code, actor_id=account.id)
        assert product.id is not None
        return ProductGroupOut(product_id=product.id, substitute_group=product.substitute_group)
