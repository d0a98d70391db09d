"""Producers: public reads; the province onboards them and confirms their GS1 company prefixes, and each keeps its
own record current."""

from litestar import Controller, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import JSONBody
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import access, producers
from catalog.accounts import Account, Role
from catalog.pagination import Paginated
from catalog.producers import ProducerDraft, ProducerPatch
from service import auth
from service.api.ids import PathId
from service.api.shapes import ProducerOut
from service.pagination import PageNumber, PerPage


class Gs1Prefixes(BaseModel):
    """The GS1 company prefixes the province confirmed belong to the producer (4 to 12 digits each)."""

    prefixes: list[str] = Field(max_length=20)


class ProducerRecordOut(ProducerOut):
    """A producer with its contact details, as its own account and the province see it."""

    phone: str | None
    email: str | None
    website: str | None
    gs1_prefixes_proposed: list[str] | None = None


class ProducerController(Controller):
    """OCOP subjects: companies, cooperatives, household businesses."""

    path = "/producers"
    tags = ["producers"]

    @get("/", operation_id="listProducers")
    async def list_producers(
        self, db_session: NamedDependency[AsyncSession], page: PageNumber = 1, per_page: PerPage = 20
    ) -> Paginated[ProducerOut]:
        """Producers by name."""
        return (await producers.list_all(db_session, page, per_page)).map(ProducerOut.of)

    @get("/{producer_id:int}", operation_id="getProducer")
    async def get_producer(self, producer_id: PathId, db_session: NamedDependency[AsyncSession]) -> ProducerOut:
        """One producer."""
        return ProducerOut.of(await producers.get(db_session, producer_id))

    @put(
        "/{producer_id:int}/gs1-prefixes",
        operation_id="confirmGs1Prefixes",
        guards=[auth.requires(Role.ADMIN)],
        security=auth.SECURITY,
    )
    async def confirm_gs1_prefixes(
        self,
        producer_id: PathId,
        data: JSONBody[Gs1Prefixes],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
    ) -> ProducerOut:
        """Replace the producer's confirmed prefixes: its GTINs under them are published as Digital Links."""
        producer = await producers.get(db_session, producer_id)
        return ProducerOut.of(
            await producers.confirm_gs1_prefixes(db_session, producer, data.prefixes, actor_id=account.id)
        )

    @post("/", operation_id="createProducer", guards=[auth.requires(Role.ADMIN)], security=auth.SECURITY)
    async def create_producer(
        self,
        data: JSONBody[ProducerDraft],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
    ) -> ProducerRecordOut:
        """Onboard a producer (admins); invite its account with `POST /api/v1/invites`."""
        created = await producers.create(db_session, data, actor_id=account.id)
        return ProducerRecordOut.model_validate(created, from_attributes=True)

    @patch(
        "/{producer_id:int}",
        operation_id="patchProducer",
        guards=[auth.requires(Role.PRODUCER, Role.ADMIN)],
        security=auth.SECURITY,
    )
    async def patch_producer(
        self,
        producer_id: PathId,
        data: JSONBody[ProducerPatch],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
    ) -> ProducerRecordOut:
        """Change the producer's own record (address, contact, descriptions); a stale `version` is 409."""
        access.require_can_edit_producer(account, producer_id)
        producer = await producers.get(db_session, producer_id)
        changed = await producers.patch(db_session, producer, data, actor_id=account.id)
        return ProducerRecordOut.model_validate(changed, from_attributes=True)
