"""The province's plans, their targets and the awareness events held: admins keep them as data."""

from datetime import date
from typing import Annotated, Any

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import indicators, plans
from catalog.accounts import Account, Role
from catalog.plans import AwarenessEvent, EventDraft, EventPatch, PlanDraft, PlanPatch
from service import auth, exports
from service.api.ids import PathId

ADMIN = [auth.requires(Role.ADMIN)]


class EventOut(BaseModel):
    """An awareness event."""

    id: int
    held_on: date
    title: str
    organiser: str
    audience: str | None
    attendees: int | None
    version: int

    @classmethod
    def of(cls, event: AwarenessEvent) -> "EventOut":
        """Shape an event row."""
        return cls.model_validate(event, from_attributes=True)


class PlanController(Controller):
    """Plans and their targets (next year's plan is a row, not a release)."""

    path = "/plans"
    tags = ["plans"]
    guards = ADMIN
    security = auth.SECURITY

    @get("/", operation_id="listPlans")
    async def list_plans(self, db_session: NamedDependency[AsyncSession]) -> list[dict[str, Any]]:
        """Every plan with its targets, newest year first."""
        return [exports.plan_json(p) or {} for p in await plans.list_plans(db_session)]

    @get("/{plan_id:int}", operation_id="getPlan")
    async def get_plan(self, plan_id: PathId, db_session: NamedDependency[AsyncSession]) -> dict[str, Any]:
        """One plan with its targets."""
        return exports.plan_json(await plans.get(db_session, plan_id)) or {}

    @post("/", operation_id="createPlan")
    async def create_plan(
        self, data: JSONBody[PlanDraft], account: NamedDependency[Account], db_session: NamedDependency[AsyncSession]
    ) -> dict[str, Any]:
        """Add a plan; each target names an indicator key of GET /api/v1/stats/plan."""
        plan = await plans.create(db_session, data, known=indicators.TARGETABLE, actor_id=account.id)
        return exports.plan_json(plan) or {}

    @patch("/{plan_id:int}", operation_id="patchPlan")
    async def patch_plan(
        self,
        plan_id: PathId,
        data: JSONBody[PlanPatch],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
    ) -> dict[str, Any]:
        """Change titles or replace the targets; a stale `version` is 409."""
        plan = await plans.get(db_session, plan_id)
        changed = await plans.patch(db_session, plan, data, known=indicators.TARGETABLE, actor_id=account.id)
        return exports.plan_json(changed) or {}


class AwarenessEventController(Controller):
    """The register of awareness campaigns and events held."""

    path = "/awareness-events"
    tags = ["plans"]
    guards = ADMIN
    security = auth.SECURITY

    @get("/", operation_id="listAwarenessEvents")
    async def list_events(
        self,
        db_session: NamedDependency[AsyncSession],
        year: Annotated[int | None, QueryParameter(ge=2000, le=2100)] = None,
    ) -> list[EventOut]:
        """Events, most recent first, optionally of one year."""
        return [EventOut.of(e) for e in await plans.list_events(db_session, year=year)]

    @post("/", operation_id="createAwarenessEvent")
    async def create_event(
        self, data: JSONBody[EventDraft], account: NamedDependency[Account], db_session: NamedDependency[AsyncSession]
    ) -> EventOut:
        """Register an event held: date, title, organiser, audience, attendees."""
        return EventOut.of(await plans.record_event(db_session, data, actor_id=account.id))

    @patch("/{event_id:int}", operation_id="patchAwarenessEvent")
    async def patch_event(
        self,
        event_id: PathId,
        data: JSONBody[EventPatch],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
    ) -> EventOut:
        """Correct an event; a stale `version` is 409."""
        event = await plans.get_event(db_session, event_id)
        return EventOut.of(await plans.patch_event(db_session, event, data, actor_id=account.id))

    @delete("/{event_id:int}", operation_id="deleteAwarenessEvent")
    async def delete_event(
        self, event_id: PathId, account: NamedDependency[Account], db_session: NamedDependency[AsyncSession]
    ) -> None:
        """Remove an event registered by mistake."""
        await plans.delete_event(db_session, await plans.get_event(db_session, event_id), actor_id=account.id)
