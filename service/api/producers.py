"""Public producer reads, and the province confirming a producer's GS1 company prefixes."""

from litestar import Controller, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import producers, public
from catalog.accounts import Account, Role
from service import auth
from service.api.pagination import PageNumber, Paginated, PerPage
from service.api.shapes import ProducerOut


class Gs1Prefixes(BaseModel):
    """The GS1 company prefixes the province confirmed belong to the producer (4 to 12 digits each)."""

    prefixes: list[str] = Field(max_length=20)


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
    async def get_producer(self, producer_id: FromPath[int], db_session: NamedDependency[AsyncSession]) -> ProducerOut:
        """One producer."""
        return ProducerOut.of(await public.get_producer(db_session, producer_id))

    @put(
        "/{producer_id:int}/gs1-prefixes",
        operation_id="confirmGs1Prefixes",
        guards=[auth.requires(Role.ADMIN)],
        security=auth.SECURITY,
    )
    async def confirm_gs1_prefixes(
        self,
        producer_id: FromPath[int],
        data: JSONBody[Gs1Prefixes],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
    ) -> ProducerOut:
        """Replace the producer's confirmed prefixes: its GTINs under them are published as Digital Links."""
        producer = await public.get_producer(db_session, producer_id)
        return ProducerOut.of(
            await producers.confirm_gs1_prefixes(db_session, producer, data.prefixes, actor_id=account.id)
        )
