"""Public product reads: the paginated list and one product."""

from datetime import date
from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import gtin, public
from service.api.pagination import PageNumber, Paginated, PerPage
from service.api.shapes import ProductOut


class ProductController(Controller):
    """Published products with producer, certifications (with `valid_now`) and packaging."""

    path = "/products"
    tags = ["products"]

    @get("/", operation_id="listProducts")
    async def list_products(
        self,
        db_session: NamedDependency[AsyncSession],
        today: NamedDependency[date],
        page: PageNumber = 1,
        per_page: PerPage = 20,
        category: Annotated[str | None, QueryParameter(max_length=40)] = None,
        producer: Annotated[int | None, QueryParameter(ge=1)] = None,
        store: Annotated[int | None, QueryParameter(ge=1)] = None,
        gtin_: Annotated[str | None, QueryParameter(name="gtin", max_length=14, description="GTIN-8/12/13/14")] = None,
    ) -> Paginated[ProductOut]:
        """Published products, filtered by category, producer, store or GTIN (8/12/13/14 digits)."""
        filters = public.ProductFilter(
            category=category, producer_id=producer, store_id=store, gtin=gtin.to_gtin14(gtin_) if gtin_ else None
        )
        found = await public.list_products(db_session, filters, page, per_page)
        return Paginated(
            items=[ProductOut.of(p, today) for p in found.items], total=found.total, page=page, per_page=per_page
        )

    @get("/{product_id:int}", operation_id="getProduct")
    async def get_product(
        self, product_id: FromPath[int], db_session: NamedDependency[AsyncSession], today: NamedDependency[date]
    ) -> ProductOut:
        """One published product."""
        return ProductOut.of(await public.get_product(db_session, product_id), today)
