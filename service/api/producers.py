"""Public producer reads."""

from litestar import Controller, get
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import public
from service.api.ids import PathId
from service.api.pagination import PageNumber, Paginated, PerPage
from service.api.shapes import ProducerOut


class ProducerController(Controller):
    """OCOP subjects: companies, cooperatives, household businesses."""

    path = "/producers"
    tags = ["producers"]

    @get("/", operation_id="listProducers")
    async def list_producers(
        self, db_session: NamedDependency[AsyncSession], page: PageNumber = 1, per_page: PerPage = 20
    ) -> Paginated[ProducerOut]:
        """Producers by name."""
        found = await public.list_producers(db_session, page, per_page)
        return Paginated(
            items=[ProducerOut.of(p) for p in found.items], total=found.total, page=page, per_page=per_page
        )

    @get("/{producer_id:int}", operation_id="getProducer")
    async def get_producer(self, producer_id: PathId, db_session: NamedDependency[AsyncSession]) -> ProducerOut:
        """One producer."""
        return ProducerOut.of(await public.get_producer(db_session, producer_id))
