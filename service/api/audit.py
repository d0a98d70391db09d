"""The audit log, for the province's oversight."""

from typing import Annotated

from litestar import get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import accounts, audit
from catalog.accounts import Role
from catalog.pagination import Paginated
from service import auth
from service.api.ids import query_id
from service.api.shapes import AuditEntryOut
from service.pagination import PageNumber, PerPage


@get("/audit", operation_id="listAudit", tags=["audit"], guards=[auth.requires(Role.ADMIN)], security=auth.SECURITY)
async def list_audit(
    db_session: NamedDependency[AsyncSession],
    page: PageNumber = 1,
    per_page: PerPage = 50,
    entity: Annotated[str | None, QueryParameter(max_length=40, description="product, certification…")] = None,
    entity_id: Annotated[int | None, query_id()] = None,
    actor: Annotated[int | None, query_id("Account id of whoever made the change.")] = None,
) -> Paginated[AuditEntryOut]:
    """Who changed what and when, newest first, with the row before and after."""
    found, total = await audit.entries(
        db_session, entity=entity, entity_id=entity_id, actor_id=actor, page=page, per_page=per_page
    )
    emails = await accounts.emails(db_session, {e.actor_id for e in found if e.actor_id is not None})
    return Paginated(items=[AuditEntryOut.of(e, emails) for e in found], total=total, page=page, per_page=per_page)
