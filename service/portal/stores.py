"""A store in the portal: its plastic-bag policy, its listings, and its printable tag sheet."""

from typing import Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import access, gtin, public, stores
from catalog.accounts import Account, Role
from catalog.errors import CatalogError, StaleVersion
from catalog.stores import BAG_POLICY_FIELDS, ListingDraft, ListingPatch, Store, StorePatch
from service import auth
from service.api.ids import PathId
from service.portal import forms
from service.portal.context import render

STORE_OR_ADMIN = [auth.requires(Role.STORE, Role.ADMIN)]


@get("/stores/{store_id:int}", guards=STORE_OR_ADMIN, name="portal:store")
async def show_store(
    request: Request[Any, Any, Any],
    store_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
) -> Template:
    """The store's bag policy form, its listings, and links to its tag sheet and CSV export."""
    access.require_can_manage_store(account, store_id)
    return await _page(
        request, db_session, await stores.get(db_session, store_id), notice=request.query_params.get("done")
    )


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
    try:
        await stores.patch(db_session, store, StorePatch.model_validate(values), actor_id=account.id)
    except StaleVersion:
        return await _page(request, db_session, store, status_code=409, notice="stale")
    except (ValidationError, CatalogError) as exc:
        return await _page(request, db_session, store, status_code=400, errors=forms.errors_of(exc))
    return Redirect(f"/portal/stores/{store_id}?done=saved", status_code=303)


@post("/stores/{store_id:int}/listings", guards=STORE_OR_ADMIN, name="portal:add-listing")
async def add_listing(
    request: Request[Any, Any, Any],
    store_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
) -> Template | Redirect:
    """Stock a product found by its GTIN."""
    access.require_can_manage_store(account, store_id)
    store = await stores.get(db_session, store_id)
    form = await request.form()
    try:
        product = await public.get_product_by_gtin(db_session, gtin.to_gtin14(str(form.get("gtin", ""))))
        values = {"product_id": product.id, **forms.fields(form, ("price_vnd", "shelf"))}
        await stores.upsert_listing(db_session, store_id, ListingDraft.model_validate(values), actor_id=account.id)
    except (ValidationError, CatalogError) as exc:
        return await _page(request, db_session, store, status_code=400, errors=forms.errors_of(exc))
    return Redirect(f"/portal/stores/{store_id}?done=listed", status_code=303)


@post("/stores/{store_id:int}/listings/{listing_id:int}", guards=STORE_OR_ADMIN, name="portal:save-listing")
async def save_listing(
    request: Request[Any, Any, Any],
    store_id: PathId,
    listing_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
) -> Template | Redirect:
    """Change a listing's price or shelf, or take it off the shelf and back."""
    access.require_can_manage_store(account, store_id)
    listing = await stores.get_listing(db_session, store_id, listing_id)
    form = await request.form()
    values = {
        "price_vnd": forms.value(form, "price_vnd"),
        "shelf": forms.value(form, "shelf"),
        "active": "active" in form,
    }
    try:
        await stores.patch_listing(db_session, listing, ListingPatch.model_validate(values), actor_id=account.id)
    except (ValidationError, CatalogError) as exc:
        store = await stores.get(db_session, store_id)
        return await _page(request, db_session, store, status_code=400, errors=forms.errors_of(exc))
    return Redirect(f"/portal/stores/{store_id}?done=saved", status_code=303)


async def _page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    store: Store,
    *,
    status_code: int = 200,
    errors: list[forms.FieldError] | None = None,
    notice: str | None = None,
) -> Template:
    assert store.id is not None
    return render(
        request,
        "portal/store.html",
        status_code=status_code,
        store=store,
        listings=await stores.listings_of_store(session, store.id),
        bag_fields=BAG_POLICY_FIELDS,
        errors=errors or [],
        notice=notice,
    )
