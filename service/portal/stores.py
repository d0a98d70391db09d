"""A store in the portal: its record and plastic-bag policy, its listings (found by name), and its tag sheets."""

import secrets
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import access, analytics, gtin, products, stores, tags
from catalog.accounts import Account, Role
from catalog.errors import CatalogError, StaleVersion
from catalog.stores import BAG_POLICY_FIELDS, ListingDraft, ListingPatch, Store, StorePatch
from search import engine
from search.query import MAX_QUERY_LENGTH, SearchRequest
from service import auth, tag_sheets
from service.api.ids import PathId
from service.portal import forms, onboarding
from service.portal.context import render
from service.settings import Settings

STORE_OR_ADMIN = [auth.requires(Role.STORE, Role.ADMIN)]
RECORD_FIELDS = ("name", "chain", "street", "commune", "legacy_address", "phone", "email")
DESCRIPTION_FIELDS = ("description_vi", "description_en")
FOUND_PER_PAGE = 10


@get("/stores/{store_id:int}", guards=STORE_OR_ADMIN, name="portal:store")
async def show_store(
    request: Request[Any, Any, Any],
    store_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    state: State,
    settings: NamedDependency[Settings],
    today: NamedDependency[date],
) -> Template:
    """The store's record and bag policy, its listings, products found by name (`?q=`) and its tag-sheet choices."""
    access.require_can_manage_store(account, store_id)
    store = await stores.get(db_session, store_id)
    q = (request.query_params.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    found: list[Any] = []
    if q:
        request_ = SearchRequest(q=q, per_page=FOUND_PER_PAGE)
        found = (await engine.find(state.meili, settings.meili_index, db_session, request_, on=today)).hits
    return await page(request, db_session, store, notice=request.query_params.get("done"), q=q, found=found, on=today)


@post("/stores/{store_id:int}", guards=STORE_OR_ADMIN, name="portal:save-store")
async def save_store(
    request: Request[Any, Any, Any],
    store_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
) -> Template | Redirect:
    """Record the plastic-bag policy and the day it took effect."""
    access.require_can_manage_store(account, store_id)
    store = await stores.get(db_session, store_id)
    form = await request.form()
    values = {name: forms.choice(form, name) for name in BAG_POLICY_FIELDS}
    values |= {"version": form.get("version"), "bag_policy_since": forms.value(form, "bag_policy_since")}
    return await _patch(request, db_session, store, values, account)


@post("/stores/{store_id:int}/record", guards=STORE_OR_ADMIN, name="portal:save-store-record")
async def save_store_record(
    request: Request[Any, Any, Any],
    store_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
) -> Template | Redirect:
    """Save the store's name, address (as printed and the commune after the 2025 merger), contact, description."""
    access.require_can_manage_store(account, store_id)
    store = await stores.get(db_session, store_id)
    form = await request.form()
    values: dict[str, Any] = {name: str(form.get(name, "")) for name in RECORD_FIELDS + DESCRIPTION_FIELDS}
    values["version"] = form.get("version")
    return await _patch(request, db_session, store, values, account, record=values)


async def _patch(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    store: Store,
    values: dict[str, Any],
    account: Account,
    record: dict[str, Any] | None = None,
) -> Template | Redirect:
    try:
        await stores.patch(session, store, StorePatch.model_validate(values), actor_id=account.id)
    except StaleVersion:
        return await page(request, session, store, status_code=409, notice="stale")
    except (ValidationError, CatalogError) as exc:
        return await page(request, session, store, status_code=400, errors=forms.errors_of(exc), record=record)
    return Redirect(f"/portal/stores/{store.id}?done=saved", status_code=303)


@post("/stores/{store_id:int}/listings", guards=STORE_OR_ADMIN, name="portal:add-listing")
async def add_listing(
    request: Request[Any, Any, Any],
    store_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
) -> Template | Redirect:
    """Stock a published product, chosen from a name search (`product_id`) or by its GTIN, at a price on a shelf."""
    access.require_can_manage_store(account, store_id)
    store = await stores.get(db_session, store_id)
    form = await request.form()
    try:
        product_id = forms.value(form, "product_id")
        if product_id is not None and product_id.isdigit():
            product = await products.get_published(db_session, int(product_id))
        else:
            product = await products.get_published_by_gtin(db_session, gtin.to_gtin14(str(form.get("gtin", ""))))
        values = {"product_id": product.id, "shelf": forms.value(form, "shelf"), "price_vnd": forms.price(form)}
        await stores.upsert_listing(db_session, store_id, ListingDraft.model_validate(values), actor_id=account.id)
    except (ValidationError, CatalogError) as exc:
        return await page(request, db_session, store, status_code=400, errors=forms.errors_of(exc))
    return Redirect(f"/portal/stores/{store_id}?done=listed", status_code=303)


@post("/stores/{store_id:int}/listings/{listing_id:int}", guards=STORE_OR_ADMIN, name="portal:save-listing")
async def save_listing(
    request: Request[Any, Any, Any],
    store_id: PathId,
    listing_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
) -> Template | Redirect:
    """Change a listing's price or shelf inline, or take it off the shelf and back."""
    access.require_can_manage_store(account, store_id)
    listing = await stores.get_listing(db_session, store_id, listing_id)
    form = await request.form()
    try:
        values = {"price_vnd": forms.price(form), "shelf": forms.value(form, "shelf"), "active": "active" in form}
        await stores.patch_listing(db_session, listing, ListingPatch.model_validate(values), actor_id=account.id)
    except (ValidationError, CatalogError) as exc:
        store = await stores.get(db_session, store_id)
        return await page(request, db_session, store, status_code=400, errors=forms.errors_of(exc))
    return Redirect(f"/portal/stores/{store_id}?done=saved", status_code=303)


@post("/stores/{store_id:int}/print", guards=STORE_OR_ADMIN, name="portal:print-tags")
async def print_tags(
    request: Request[Any, Any, Any],
    store_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
) -> Template | Redirect:
    """Issue missing tags, record the chosen ones as printed, then open the sheet (a GET that writes nothing)."""
    access.require_can_manage_store(account, store_id)
    store = await stores.get(db_session, store_id)
    form = await request.form()
    which = str(form.get("which", "all"))
    issued = await tags.issue_for_store(db_session, store_id, rng=secrets.SystemRandom(), actor_id=account.id)
    by_product = {tag.product_id: tag.code for tag, _ in issued}
    try:
        start = int(str(form.get("start", "1")) or "1")
        if not 1 <= start <= tag_sheets.SheetLayout().per_page:
            raise CatalogError("start out of range", field="start")
        if which == "chosen":
            chosen = [by_product[int(p)] for p in form.getall("product", []) if p.isdigit() and int(p) in by_product]
            if not chosen:
                raise CatalogError("choose at least one product to print", field="product")
        else:
            sheet = await tags.store_sheet(db_session, store_id, only_new=which == "new")
            chosen = [tag.code for tag, _, _ in sheet]
    except ValueError:
        return await page(
            request,
            db_session,
            store,
            status_code=400,
            errors=[forms.FieldError("start", forms.BY_TYPE["int_parsing"])],
        )
    except CatalogError as exc:
        return await page(request, db_session, store, status_code=400, errors=forms.errors_of(exc))
    if chosen:
        await tags.mark_printed(db_session, store_id, chosen, actor_id=account.id)
    query = urlencode({"codes": ",".join(chosen), "start": start}) if chosen else "codes="
    return Redirect(f"/api/v1/stores/{store_id}/tags.pdf?{query}", status_code=303)


@post("/stores/{store_id:int}/invite", guards=[auth.requires(Role.ADMIN)], name="portal:invite-store")
async def invite_store(
    request: Request[Any, Any, Any],
    store_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
) -> Template:
    """Create the store's account and show its one-time link (shown once: only its hash is kept)."""
    store = await stores.get(db_session, store_id)
    status_code, shown = await onboarding.invitation(request, db_session, settings, account, Role.STORE, store_id)
    return await page(request, db_session, store, status_code=status_code, **shown)


async def page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    store: Store,
    *,
    status_code: int = 200,
    errors: list[forms.FieldError] | None = None,
    notice: str | None = None,
    on: date | None = None,
    record: dict[str, Any] | None = None,
    q: str = "",
    found: list[Any] | None = None,
    **extra: Any,
) -> Template:
    """The store page; a refused form shows what was typed, beside the errors."""
    assert store.id is not None
    scans = await analytics.store_weekly(session, store.id, on) if on is not None else None
    shown = record or {name: getattr(store, name) or "" for name in RECORD_FIELDS + DESCRIPTION_FIELDS}
    listings = await stores.listings_of_store(session, store.id)
    return render(
        request,
        "portal/store.html",
        status_code=status_code,
        store=store,
        record=shown,
        listings=listings,
        listed={product.id for _, product in listings},
        bag_fields=BAG_POLICY_FIELDS,
        errors=errors or [],
        notice=notice,
        scans=scans,
        q=q,
        found=found or [],
        per_page=tag_sheets.SheetLayout().per_page,
        **extra,
    )
