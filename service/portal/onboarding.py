"""Onboarding in the portal: the province adds producers and stores and invites their accounts; producers keep
their own record; an invited person sets a password through the one-time link."""

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import access, invites, producers, stores
from catalog.accounts import Account, AccountDraft, Role
from catalog.errors import CatalogError, StaleVersion
from catalog.producers import EntityType, Producer, ProducerDraft, ProducerPatch
from catalog.stores import StoreDraft, StoreType
from service import auth
from service.api.ids import PathId
from service.api.invites import link
from service.portal import forms
from service.portal.context import render
from service.settings import Settings

ADMIN = [auth.requires(Role.ADMIN)]
PRODUCER_OR_ADMIN = [auth.requires(Role.PRODUCER, Role.ADMIN)]
PRODUCER_FIELDS = (
    "legal_name",
    "brand",
    "entity_type",
    "street",
    "commune",
    "legacy_address",
    "phone",
    "email",
    "website",
    "description_vi",
    "description_en",
)
STORE_FIELDS = ("name", "chain", "store_type", "street", "commune", "legacy_address", "phone", "email")
LIST_PAGE = 100


def _texts(form: Any, names: tuple[str, ...]) -> dict[str, str]:
    # Every field the form shows, blank included: a cleared field clears, an untouched one compares equal.
    return {name: str(form.get(name, "")) for name in names}


@get("/producers", guards=ADMIN, name="portal:producers")
async def list_producers(request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Template:
    """Every producer, and the form that adds one."""
    return await _directory_page(request, db_session, Role.PRODUCER)


@post("/producers", guards=ADMIN, name="portal:create-producer")
async def create_producer(
    request: Request[Any, Any, Any], account: NamedDependency[Account], db_session: NamedDependency[AsyncSession]
) -> Template | Redirect:
    """Add a producer; its page then offers the invitation."""
    return await _add(request, db_session, account, Role.PRODUCER)


@get("/producers/{producer_id:int}", guards=PRODUCER_OR_ADMIN, name="portal:producer")
async def show_producer(
    request: Request[Any, Any, Any],
    producer_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
) -> Template:
    """The producer's record form (and, for admins, its invitation)."""
    access.require_can_edit_producer(account, producer_id)
    producer = await producers.get(db_session, producer_id)
    return _producer_page(request, producer, notice=request.query_params.get("done"))


@post("/producers/{producer_id:int}", guards=PRODUCER_OR_ADMIN, name="portal:save-producer")
async def save_producer(
    request: Request[Any, Any, Any],
    producer_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
) -> Template | Redirect:
    """Save the record if its version is current; a form saved unchanged changes nothing."""
    access.require_can_edit_producer(account, producer_id)
    producer = await producers.get(db_session, producer_id)
    form = await request.form()
    values = _texts(form, PRODUCER_FIELDS)
    sent: dict[str, Any] = {"version": form.get("version"), **values}
    if "gs1_prefixes_proposed" in form:  # a form without the field leaves the stored proposal alone
        values["gs1_prefixes_proposed"] = str(form.get("gs1_prefixes_proposed") or "")
        sent["gs1_prefixes_proposed"] = prefix_list(values["gs1_prefixes_proposed"])
    try:
        patch = ProducerPatch.model_validate(sent)
        await producers.patch(db_session, producer, patch, actor_id=account.id)
    except StaleVersion:
        return _producer_page(request, producer, status_code=409, notice="stale")
    except (ValidationError, CatalogError) as exc:
        return _producer_page(request, producer, status_code=400, values=values, errors=forms.errors_of(exc))
    return Redirect(f"/portal/producers/{producer_id}?done=saved", status_code=303)


@post("/producers/{producer_id:int}/gs1-prefixes", guards=ADMIN, name="portal:confirm-gs1-prefixes")
async def confirm_prefixes(
    request: Request[Any, Any, Any],
    producer_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
) -> Template | Redirect:
    """The province confirms the producer's GS1 company prefixes: its barcodes under them become public links."""
    producer = await producers.get(db_session, producer_id)
    typed = str((await request.form()).get("prefixes") or "")
    try:
        await producers.confirm_gs1_prefixes(db_session, producer, prefix_list(typed) or [], actor_id=account.id)
    except CatalogError as exc:
        return _producer_page(request, producer, status_code=400, errors=[forms.catalog_error("prefixes", str(exc))])
    return Redirect(f"/portal/producers/{producer_id}?done=saved", status_code=303)


def prefix_list(typed: str) -> list[str] | None:
    """Prefixes typed with spaces or commas between them; none typed is none."""
    return [p for p in typed.replace(",", " ").split() if p] or None


@post("/producers/{producer_id:int}/invite", guards=ADMIN, name="portal:invite-producer")
async def invite_producer(
    request: Request[Any, Any, Any],
    producer_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
) -> Template:
    """Create the producer's account and show its one-time link (shown once: only its hash is kept)."""
    producer = await producers.get(db_session, producer_id)
    status_code, shown = await invitation(request, db_session, settings, account, Role.PRODUCER, producer_id)
    return _producer_page(request, producer, status_code=status_code, **shown)


async def invitation(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    settings: Settings,
    actor: Account,
    tenant: Role,
    tenant_id: int,
) -> tuple[int, dict[str, Any]]:
    """Create the account of a producer or store (`tenant`) for the e-mail the form names; answers the page's status
    and what it shows: the one-time link (shown once: only its hash is kept), or the errors beside the typed e-mail."""
    email = str((await request.form()).get("email", ""))
    try:
        draft = AccountDraft.model_validate({"email": email, "role": tenant, f"{tenant}_id": tenant_id})
        _, invite, token = await invites.invite(session, draft, actor_id=actor.id)
    except (ValidationError, CatalogError) as exc:
        return 400, {"invite_email": email, "errors": forms.errors_of(exc)}
    return 200, {"invite_link": link(settings.public_base_url, token), "invite_expires": invite.expires_at}


@get("/stores", guards=ADMIN, name="portal:stores")
async def list_stores(request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]) -> Template:
    """Every store, and the form that adds one."""
    return await _directory_page(request, db_session, Role.STORE)


@post("/stores", guards=ADMIN, name="portal:create-store")
async def create_store(
    request: Request[Any, Any, Any], account: NamedDependency[Account], db_session: NamedDependency[AsyncSession]
) -> Template | Redirect:
    """Add a store; its page then offers the invitation."""
    return await _add(request, db_session, account, Role.STORE)


@get("/invite/{token:str}", name="portal:invite")
async def invite_page(
    request: Request[Any, Any, Any], token: FromPath[str], db_session: NamedDependency[AsyncSession]
) -> Template:
    """The set-password form an invitation link opens (or why the link no longer works)."""
    try:
        _, invited = await invites.open_invite(db_session, token[:100])
    except CatalogError:
        return render(request, "portal/invite.html", status_code=404, invited=None, token=token)
    return render(request, "portal/invite.html", invited=invited, token=token, errors=[])


@post("/invite/{token:str}", name="portal:accept-invite")
async def accept_invite(
    request: Request[Any, Any, Any],
    token: FromPath[str],
    db_session: NamedDependency[AsyncSession],
    tokens: NamedDependency[auth.TokenIssuer],
) -> Template | Redirect:
    """Set the password, use the link up and sign the new account in."""
    try:
        _, invited = await invites.open_invite(db_session, token[:100])
    except CatalogError:
        return render(request, "portal/invite.html", status_code=404, invited=None, token=token)
    form = await request.form()
    password, again = str(form.get("password", ""))[:1024], str(form.get("password_again", ""))[:1024]
    problems: list[forms.FieldError] = []
    if len(password) < auth.MIN_PASSWORD_LENGTH:
        problems.append(forms.catalog_error("password", "a password needs at least 10 characters"))
    elif password != again:
        problems.append(forms.catalog_error("password_again", "the passwords differ"))
    if problems:
        return render(request, "portal/invite.html", status_code=400, invited=invited, token=token, errors=problems)
    account = await invites.accept(db_session, token[:100], auth.hash_password(password))
    return Redirect("/portal", status_code=303, cookies=[tokens.session_cookie(account)])


async def _add(
    request: Request[Any, Any, Any], session: AsyncSession, actor: Account, listed: Role
) -> Template | Redirect:
    """Add a producer or a store from the directory's form (blank fields left out, the catalog's draft checks the
    rest); a refused form comes back on the directory with what was typed."""
    values = _texts(await request.form(), PRODUCER_FIELDS if listed is Role.PRODUCER else STORE_FIELDS)
    given = {name: value for name, value in values.items() if value.strip()}
    try:
        if listed is Role.PRODUCER:
            created_id = (await producers.create(session, ProducerDraft.model_validate(given), actor_id=actor.id)).id
        else:
            created_id = (await stores.create(session, StoreDraft.model_validate(given), actor_id=actor.id)).id
    except (ValidationError, CatalogError) as exc:
        errors = forms.errors_of(exc)
        return await _directory_page(request, session, listed, status_code=400, values=values, errors=errors)
    return Redirect(f"/portal/{listed}s/{created_id}?done=created", status_code=303)


async def _directory_page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    listed: Role,
    *,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    errors: list[forms.FieldError] | None = None,
) -> Template:
    """The province's list of producers or of stores, with the form that adds one (a refused one keeps its values)."""
    shown: dict[str, Any]
    if listed is Role.PRODUCER:
        producers_found = await producers.list_all(session, 1, LIST_PAGE)
        shown = {"producers": producers_found.items, "total": producers_found.total, "entity_types": list(EntityType)}
    else:
        stores_found = await stores.list_all(session, 1, LIST_PAGE)
        shown = {"stores": stores_found.items, "total": stores_found.total, "store_types": list(StoreType)}
    template = f"portal/{listed}s.html"
    return render(request, template, status_code=status_code, values=values or {}, errors=errors or [], **shown)


def _producer_page(
    request: Request[Any, Any, Any],
    producer: Producer,
    *,
    status_code: int = 200,
    values: dict[str, str] | None = None,
    errors: list[forms.FieldError] | None = None,
    notice: str | None = None,
    **extra: Any,
) -> Template:
    shown = values or {
        **{name: _text(getattr(producer, name)) for name in PRODUCER_FIELDS},
        "gs1_prefixes_proposed": " ".join(producer.gs1_prefixes_proposed or []),
    }
    return render(
        request,
        "portal/producer.html",
        status_code=status_code,
        producer=producer,
        values=shown,
        entity_types=list(EntityType),
        errors=errors or [],
        notice=notice,
        **extra,
    )


def _text(value: object) -> str:
    return "" if value is None else str(value)
