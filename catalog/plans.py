"""The province's plan and its targets as rows, and the awareness events held: next year's plan is data."""

import re
from datetime import date, datetime
from enum import StrEnum

from pydantic import field_validator
from sqlalchemy import UniqueConstraint
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, Relationship, SQLModel, col, select

from catalog import audit, text
from catalog.clock import utcnow
from catalog.columns import MAX_ID, MINIMUM_ZERO, enum_column, utc_datetime
from catalog.errors import CatalogError, Conflict, NotFound, StaleVersion

INDICATOR_KEY = re.compile(r"^[a-z][a-z0-9_]{0,79}$")


class Comparison(StrEnum):
    """How a value meets its target."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class Plan(SQLModel, table=True):
    """A provincial plan (e.g. 174/KH-UBND of 2024): the indicators it sets targets for."""

    __table_args__ = (UniqueConstraint("code", "year", name="uq_plan_code_year"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40)
    year: int = Field(ge=2000, le=2100)
    province: str = Field(max_length=80)
    title_vi: str = Field(max_length=300)
    title_en: str | None = Field(default=None, max_length=300)
    version: int = 1
    created_at: datetime = utc_datetime(default_factory=utcnow)

    targets: list["Target"] = Relationship(
        sa_relationship_kwargs={"lazy": "selectin", "order_by": "Target.id", "cascade": "all, delete-orphan"}
    )


class Target(SQLModel, table=True):
    """One target of a plan: an indicator key, a threshold and which way it must be met."""

    __table_args__ = (UniqueConstraint("plan_id", "indicator", name="uq_target_plan_indicator"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    indicator: str = Field(max_length=80)
    comparison: Comparison = enum_column(Comparison, default=Comparison.AT_LEAST)
    value: float = Field(ge=0, le=1_000_000)
    note_vi: str | None = Field(default=None, max_length=500)
    note_en: str | None = Field(default=None, max_length=500)

    def is_met_by(self, value: float | None) -> bool | None:
        """Whether `value` meets the target; unknown when the value is unknown."""
        if value is None:
            return None
        return value >= self.value if self.comparison is Comparison.AT_LEAST else value <= self.value


class AwarenessEvent(SQLModel, table=True):
    """An awareness campaign or event held: the plan counts them per year."""

    __tablename__ = "awareness_event"

    id: int | None = Field(default=None, primary_key=True)
    held_on: date = Field(index=True)
    title: str = Field(max_length=300)
    organiser: str = Field(max_length=200)
    audience: str | None = Field(default=None, max_length=300)
    attendees: int | None = Field(default=None, ge=0, le=10_000_000)
    version: int = 1
    created_at: datetime = utc_datetime(default_factory=utcnow)


def _clean(value: object) -> object:
    return text.clean_optional(value) if isinstance(value, str) else value


class TargetDraft(SQLModel):
    """Validated input for a target."""

    indicator: str = Field(min_length=1, max_length=80)
    comparison: Comparison = Comparison.AT_LEAST
    value: float = Field(ge=0, schema_extra=MINIMUM_ZERO, le=1_000_000)
    note_vi: str | None = Field(default=None, max_length=500)
    note_en: str | None = Field(default=None, max_length=500)

    _normalise = field_validator("indicator", "note_vi", "note_en", mode="before")(_clean)

    @field_validator("indicator")
    @classmethod
    def _key(cls, value: str) -> str:
        if not INDICATOR_KEY.match(value):
            raise ValueError("indicator must be a key such as target_stores_without_free_bags")
        return value


class PlanDraft(SQLModel):
    """Validated input for a plan with its targets."""

    code: str = Field(min_length=1, max_length=40)
    year: int = Field(ge=2000, le=2100)
    province: str = Field(default="Cà Mau", min_length=1, max_length=80)
    title_vi: str = Field(min_length=1, max_length=300)
    title_en: str | None = Field(default=None, max_length=300)
    targets: list[TargetDraft] = Field(default_factory=list, max_length=50)

    _normalise = field_validator("code", "province", "title_vi", "title_en", mode="before")(_clean)


class PlanPatch(SQLModel):
    """A change to a plan; `targets`, when sent, replaces the whole list."""

    version: int = Field(ge=1, le=MAX_ID)
    title_vi: str | None = Field(default=None, min_length=1, max_length=300)
    title_en: str | None = Field(default=None, max_length=300)
    province: str | None = Field(default=None, min_length=1, max_length=80)
    targets: list[TargetDraft] | None = Field(default=None, max_length=50)

    _normalise = field_validator("title_vi", "title_en", "province", mode="before")(_clean)


class EventDraft(SQLModel):
    """Validated input for an awareness event."""

    held_on: date
    title: str = Field(min_length=1, max_length=300)
    organiser: str = Field(min_length=1, max_length=200)
    audience: str | None = Field(default=None, max_length=300)
    attendees: int | None = Field(default=None, ge=0, schema_extra=MINIMUM_ZERO, le=10_000_000)

    _normalise = field_validator("title", "organiser", "audience", mode="before")(_clean)


class EventPatch(SQLModel):
    """A change to an awareness event; `version` must match."""

    version: int = Field(ge=1, le=MAX_ID)
    held_on: date | None = None
    title: str | None = Field(default=None, min_length=1, max_length=300)
    organiser: str | None = Field(default=None, min_length=1, max_length=200)
    audience: str | None = Field(default=None, max_length=300)
    attendees: int | None = Field(default=None, ge=0, schema_extra=MINIMUM_ZERO, le=10_000_000)

    _normalise = field_validator("title", "organiser", "audience", mode="before")(_clean)


def _check_targets(drafts: list[TargetDraft], known: frozenset[str]) -> None:
    seen: set[str] = set()
    for draft in drafts:
        if draft.indicator not in known:
            raise CatalogError(f"unknown indicator {draft.indicator!r}; known: {', '.join(sorted(known))}", "targets")
        if draft.indicator in seen:
            raise CatalogError(f"indicator {draft.indicator!r} has two targets", field="targets")
        seen.add(draft.indicator)


async def list_plans(session: AsyncSession) -> list[Plan]:
    """Every plan, newest year first."""
    rows = await session.execute(select(Plan).order_by(col(Plan.year).desc(), col(Plan.id).desc()))
    return list(rows.scalars().all())


async def get(session: AsyncSession, plan_id: int) -> Plan:
    """One plan, or NotFound."""
    plan = await session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"no plan with id {plan_id}", field="plan_id")
    return plan


async def plan_for(session: AsyncSession, on: date) -> Plan | None:
    """The plan in force on `on`: the latest one whose year is not after `on`'s year."""
    return await session.scalar(
        select(Plan).where(col(Plan.year) <= on.year).order_by(col(Plan.year).desc(), col(Plan.id).desc()).limit(1)
    )


async def create(session: AsyncSession, draft: PlanDraft, *, known: frozenset[str], actor_id: int | None) -> Plan:
    """Add a plan with its targets (indicator keys must be ones the service computes or lists)."""
    _check_targets(draft.targets, known)
    taken = await session.scalar(select(Plan.id).where(col(Plan.code) == draft.code, col(Plan.year) == draft.year))
    if taken is not None:
        raise Conflict(f"plan {draft.code} of {draft.year} exists (id {taken})", field="code")
    plan = Plan.model_validate(draft.model_dump(exclude={"targets"}))
    plan.targets = [Target.model_validate(t.model_dump(), update={"plan_id": 0}) for t in draft.targets]
    session.add(plan)
    await session.flush()
    await session.refresh(plan, ["targets"])
    audit.record(session, actor_id=actor_id, entity="plan", entity_id=plan.id, action="create", after=_snapshot(plan))
    return plan


async def patch(
    session: AsyncSession, plan: Plan, changes: PlanPatch, *, known: frozenset[str], actor_id: int | None
) -> Plan:
    """Change a plan's titles or replace its targets, if `changes.version` is current."""
    if changes.version != plan.version:
        raise StaleVersion(changes.version, plan.version)
    fields = changes.model_dump(exclude_unset=True, exclude={"version", "targets"})
    if "title_vi" in fields and fields["title_vi"] is None:
        raise CatalogError("title_vi cannot be empty", field="title_vi")
    if "province" in fields and fields["province"] is None:
        raise CatalogError("province cannot be empty", field="province")
    if changes.targets is not None:
        _check_targets(changes.targets, known)
    before = _snapshot(plan)
    for name, value in fields.items():
        setattr(plan, name, value)
    if changes.targets is not None:
        current = {t.indicator: t for t in plan.targets}
        kept = []
        for draft in changes.targets:
            target = current.get(draft.indicator) or Target(plan_id=plan.id or 0, indicator=draft.indicator, value=0)
            for name, value in draft.model_dump().items():
                setattr(target, name, value)
            kept.append(target)
        plan.targets = kept
    after = _snapshot(plan)
    if after == before:
        return plan  # a form saved unchanged changes nothing
    plan.version += 1
    await session.flush()
    await session.refresh(plan, ["targets"])
    audit.record(
        session, actor_id=actor_id, entity="plan", entity_id=plan.id, action="update", before=before, after=after
    )
    return plan


def _snapshot(plan: Plan) -> dict[str, object]:
    data = plan.model_dump(mode="json", exclude={"version", "created_at"})
    data["targets"] = [t.model_dump(mode="json", exclude={"id", "plan_id"}) for t in plan.targets]
    return data


async def list_events(session: AsyncSession, *, year: int | None = None) -> list[AwarenessEvent]:
    """Awareness events, most recent first, optionally of one year."""
    query = select(AwarenessEvent)
    if year is not None:
        query = query.where(
            col(AwarenessEvent.held_on) >= date(year, 1, 1), col(AwarenessEvent.held_on) <= date(year, 12, 31)
        )
    rows = await session.execute(query.order_by(col(AwarenessEvent.held_on).desc(), col(AwarenessEvent.id).desc()))
    return list(rows.scalars().all())


async def get_event(session: AsyncSession, event_id: int) -> AwarenessEvent:
    """One awareness event, or NotFound."""
    event = await session.get(AwarenessEvent, event_id)
    if event is None:
        raise NotFound(f"no awareness event with id {event_id}", field="event_id")
    return event


async def record_event(session: AsyncSession, draft: EventDraft, *, actor_id: int | None) -> AwarenessEvent:
    """Register an awareness event held."""
    event = AwarenessEvent.model_validate(draft.model_dump())
    session.add(event)
    await session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        entity="awareness_event",
        entity_id=event.id,
        action="create",
        after=audit.snapshot(event),
    )
    return event


async def patch_event(
    session: AsyncSession, event: AwarenessEvent, changes: EventPatch, *, actor_id: int | None
) -> AwarenessEvent:
    """Correct an event, if `changes.version` is current; an unchanged form changes nothing."""
    if changes.version != event.version:
        raise StaleVersion(changes.version, event.version)
    fields = changes.model_dump(exclude_unset=True, exclude={"version"})
    for required in ("held_on", "title", "organiser"):
        if required in fields and fields[required] is None:
            raise CatalogError(f"{required} cannot be empty", field=required)
    fields = {name: value for name, value in fields.items() if getattr(event, name) != value}
    if not fields:
        return event
    before = audit.snapshot(event)
    for name, value in fields.items():
        setattr(event, name, value)
    event.version += 1
    await session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        entity="awareness_event",
        entity_id=event.id,
        action="update",
        before=before,
        after=audit.snapshot(event),
    )
    return event


async def delete_event(session: AsyncSession, event: AwarenessEvent, *, actor_id: int | None) -> None:
    """Remove an event registered by mistake (audited)."""
    audit.record(
        session,
        actor_id=actor_id,
        entity="awareness_event",
        entity_id=event.id,
        action="delete",
        before=audit.snapshot(event),
    )
    await session.delete(event)
    await session.flush()
