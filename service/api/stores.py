"""Public store reads."""

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import public
from service.api.pagination import PageNumber, Paginated, PerPage
from service.api.shapes import StoreOut


class StoreController(Controller):
    """Stores and their plastic-bag policies."""

    path = "/stores"
    tags = ["stores"]

    @get("/", operation_id="listStores")
    async def list_stores(
        self, db_session: NamedDependency[AsyncSession], page: PageNumber = 1, per_page: PerPage = 20
    ) -> Paginated[StoreOut]:
        """Stores by name."""
        found = await public.list_stores(db_session, page, per_page)
        return Paginated(items=[StoreOut.of(s) for s in found.items], total=found.total, page=page, per_page=per_page)

    @get("/{store_id:int}", operation_id="getStore")
    async def get_store(self, store_id: FromPath[int], db_session: NamedDependency[AsyncSession]) -> StoreOut:
        """One store."""
        return StoreOut.of(await public.get_store(db_session, store_id))
