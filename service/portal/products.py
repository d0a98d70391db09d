"""A producer's products in the portal: the list, editing names, descriptions and packaging, and claiming labels."""

from datetime import date
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import access, certifications, packaging, products, public
from catalog.accounts import Account, Role
from catalog.certifications import CertificationDraft
from catalog.errors import CatalogError, StaleVersion
from catalog.packaging import PackagingRole
from catalog.products import Product, ProductPatch, ProductStatus
from service import auth
from service.api.ids import PathId, query_id
from service.portal import forms
from service.portal.context import render

PRODUCER_OR_ADMIN = [auth.requires(Role.PRODUCER, Role.ADMIN)]
TEXT_FIELDS = ("name_vi", "name_en", "description_vi", "description_en")
CLAIM_FIELDS = (
    "scheme_code",
    "certificate_no",
    "issuing_body",
    "issued_on",
    "valid_until",
    "evidence_url",
    "ocop_stars",
)
BLANK_PACKAGING_ROWS = 2


@get("/products", guards=PRODUCER_OR_ADMIN, name="portal:products")
async def list_products(
    request: Request[Any, Any, Any],
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
    producer: Annotated[int | None, query_id()] = None,
) -> Template:
    """The producer's own products in every status, with how many labels hold today and how many await review."""
    producer_id = access.producer_acted_for(account, producer)
    found = await products.of_producer(db_session, producer_id)
    return render(
        request,
        "portal/products.html",
        producer=await public.get_producer(db_session, producer_id),
        products=found,
        today=today,
    )


@get("/products/{product_id:int}", guards=PRODUCER_OR_ADMIN, name="portal:product")
async def edit_product(
    request: Request[Any, Any, Any],
    product_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
) -> Template:
    """The edit form, the product's labels and the claim form."""
    product = await products.get(db_session, product_id)
    access.require_can_edit_product(account, product)
    return await _page(request, db_session, product, today, notice=request.query_params.get("done"))


@post("/products/{product_id:int}", guards=PRODUCER_OR_ADMIN, name="portal:save-product")
async def save_product(
    request: Request[Any, Any, Any],
    product_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
) -> Template | Redirect:
    """Apply the form if the version is still current; otherwise show the current product and say why."""
    product = await products.get(db_session, product_id)
    access.require_can_edit_product(account, product)
    form = await request.form()
    values = _values_from(form)
    try:
        await products.patch(db_session, product, ProductPatch.model_validate(_patch_of(values)), actor_id=account.id)
    except StaleVersion:
        # Show the current product rather than the stale edit, so saving again cannot undo someone else's change.
        return await _page(request, db_session, product, today, status_code=409, notice="stale")
    except (ValidationError, CatalogError) as exc:
        errors = forms.errors_of(exc)
        return await _page(request, db_session, product, today, status_code=400, values=values, errors=errors)
    return Redirect(f"/portal/products/{product_id}?done=saved", status_code=303)


@post("/products/{product_id:int}/claims", guards=PRODUCER_OR_ADMIN, name="portal:claim")
async def claim(
    request: Request[Any, Any, Any],
    product_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
) -> Template | Redirect:
    """Claim a label with its certificate and evidence; it waits for the province's verification."""
    product = await products.get(db_session, product_id)
    access.require_can_edit_product(account, product)
    claim_values = forms.fields(await request.form(), CLAIM_FIELDS)
    try:
        draft = CertificationDraft.model_validate(claim_values)
        await certifications.claim(db_session, product_id, draft, actor_id=account.id)
    except (ValidationError, CatalogError) as exc:
        return await _page(
            request, db_session, product, today, status_code=400, claim=claim_values, claim_errors=forms.errors_of(exc)
        )
    return Redirect(f"/portal/products/{product_id}?done=claimed", status_code=303)


async def _page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    product: Product,
    today: date,
    *,
    status_code: int = 200,
    values: dict[str, Any] | None = None,
    errors: list[forms.FieldError] | None = None,
    claim: dict[str, Any] | None = None,
    claim_errors: list[forms.FieldError] | None = None,
    notice: str | None = None,
) -> Template:
    shown = values or _values_of(product)
    shown["packaging"] = shown["packaging"] + [{"role": "", "material_code": "", "mass_g": ""}] * BLANK_PACKAGING_ROWS
    return render(
        request,
        "portal/product.html",
        status_code=status_code,
        product=product,
        values=shown,
        errors=errors or [],
        claim=claim or {},
        claim_errors=claim_errors or [],
        notice=notice,
        today=today,
        roles=list(PackagingRole),
        statuses=list(ProductStatus),
        materials=await packaging.materials(session),
        schemes=await public.label_schemes(session),
    )


def _values_of(product: Product) -> dict[str, Any]:
    return {
        "version": product.version,
        "status": product.status.value,
        **{name: getattr(product, name) or "" for name in TEXT_FIELDS},
        "packaging": [
            {
                "role": c.role.value,
                "material_code": c.material_code,
                "mass_g": "" if c.mass_g is None else f"{c.mass_g:g}",
            }
            for c in product.packaging
        ],
    }


def _values_from(form: Any) -> dict[str, Any]:
    rows = []
    for index in range(len(form.getall("packaging_role", []))):
        role, material, mass = (
            form.getall(f"packaging_{part}", [])[index] for part in ("role", "material_code", "mass_g")
        )
        if material.strip():
            rows.append({"role": role, "material_code": material, "mass_g": mass.strip()})
    return {
        "version": str(form.get("version", "")),
        "status": str(form.get("status", "")),
        **{name: str(form.get(name, "")) for name in TEXT_FIELDS},
        "packaging": rows,
    }


def _patch_of(values: dict[str, Any]) -> dict[str, Any]:
    # Blank optional texts clear the field; a blank name_vi is refused by the catalog with its own message.
    status = {"status": values["status"]} if values["status"] else {}
    return {
        "version": values["version"],
        **status,
        **{name: values[name] for name in TEXT_FIELDS},
        "packaging": [
            {"role": row["role"], "material_code": row["material_code"], "mass_g": row["mass_g"] or None}
            for row in values["packaging"]
        ],
    }
