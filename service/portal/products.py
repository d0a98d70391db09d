"""A producer's products in the portal: the list, editing names, descriptions and packaging, and claiming labels."""

from datetime import date
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.response import Redirect, Template
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import (
    access,
    analytics,
    categories,
    certifications,
    evidence,
    indicators,
    labels,
    packaging,
    producers,
    products,
)
from catalog.accounts import Account, Role
from catalog.certifications import CertificationDraft
from catalog.errors import CatalogError, StaleVersion
from catalog.packaging import BiodegradabilityClaim, PackagingRole
from catalog.products import Product, ProductDraft, ProductPatch, ProductStatus
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
# Producers are told this long ahead that a certificate ends, so renewal can start in time.
EXPIRY_NOTICE_DAYS = 90
MAX_PACKAGING_ROWS = 40
PRODUCT_FIELDS = ("category_code", "ocop_group", "gtin", "net_quantity", "net_quantity_unit", "search_aliases")
COMPONENT_TEXT_FIELDS = (
    "role",
    "material_code",
    "description_vi",
    "description_en",
    "mass_g",
    "recycled_content_pct",
    "biodegradable_claim",
)
COMPONENT_FLAGS = ("single_use", "reusable", "refillable")
BLANK_COMPONENT: dict[str, Any] = {
    "role": "primary",
    "material_code": "",
    "description_vi": "",
    "description_en": "",
    "mass_g": "",
    "recycled_content_pct": "0",
    "biodegradable_claim": "none",
    "single_use": True,
    "reusable": False,
    "refillable": False,
}


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
        producer=await producers.get(db_session, producer_id),
        products=found,
        today=today,
        expiring=indicators.expiring_certificates(found, today, within=EXPIRY_NOTICE_DAYS),
        scans=await analytics.products_by_store(db_session, [p.id for p in found if p.id is not None], today),
        store_names=await analytics.store_names(db_session),
    )


@get("/products/new", guards=PRODUCER_OR_ADMIN, name="portal:new-product")
async def new_product(
    request: Request[Any, Any, Any],
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
    producer: Annotated[int | None, query_id()] = None,
) -> Template:
    """An empty product form; the product starts as a draft, hidden until its producer publishes it."""
    producer_id = access.producer_acted_for(account, producer)
    return await _page(request, db_session, None, today, account, producer_id=producer_id)


@post("/products/new", guards=PRODUCER_OR_ADMIN, name="portal:create-product")
async def create_product(
    request: Request[Any, Any, Any],
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
) -> Template | Redirect:
    """Create a draft product with its packaging; then it can be published, and labels claimed for it."""
    form = await request.form()
    values = _values_from(form)
    try:
        producer_id = access.producer_acted_for(account, _producer_of(form))
        draft = ProductDraft.model_validate(
            {**_draft_of(values), "producer_id": producer_id, "status": ProductStatus.DRAFT}
        )
        product = await products.create(db_session, draft, actor_id=account.id)
    except (ValidationError, CatalogError) as exc:
        errors = forms.errors_of(exc)
        producer_id = _producer_of(form) or account.producer_id
        return await _page(
            request, db_session, None, today, account, status_code=400, values=values, errors=errors,
            producer_id=producer_id,
        )  # fmt: skip
    return Redirect(f"/portal/products/{product.id}?done=created", status_code=303)


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
    return await _page(request, db_session, product, today, account, notice=request.query_params.get("done"))


@post("/products/{product_id:int}", guards=PRODUCER_OR_ADMIN, name="portal:save-product")
async def save_product(
    request: Request[Any, Any, Any],
    product_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
) -> Template | Redirect:
    """Apply the form if the version is still current; otherwise show the current product and say why.

    Only fields the form shows are sent, and a field saved with its current value is no change, so saving
    the page after editing one field changes that field alone."""
    product = await products.get(db_session, product_id)
    access.require_can_edit_product(account, product)
    form = await request.form()
    values = _values_from(form)
    try:
        changes = ProductPatch.model_validate({"version": values["version"], **_draft_of(values)})
        access.require_can_set_status(account, product, changes.status)
        await products.patch(db_session, product, changes, actor_id=account.id)
    except StaleVersion:
        # Show the current product rather than the stale edit, so saving again cannot undo someone else's change.
        return await _page(request, db_session, product, today, account, status_code=409, notice="stale")
    except (ValidationError, CatalogError) as exc:
        errors = forms.errors_of(exc)
        return await _page(request, db_session, product, today, account, status_code=400, values=values, errors=errors)
    return Redirect(f"/portal/products/{product_id}?done=saved", status_code=303)


@post("/products/{product_id:int}/claims", guards=PRODUCER_OR_ADMIN, name="portal:claim")
async def claim(
    request: Request[Any, Any, Any],
    product_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
    blobs: NamedDependency[evidence.BlobStore],
) -> Template | Redirect:
    """Claim a label with its certificate and evidence (a link or a file); it waits for the province's verification."""
    product = await products.get(db_session, product_id)
    access.require_can_edit_product(account, product)
    form = await request.form()
    claim_values = forms.fields(form, CLAIM_FIELDS)
    try:
        draft = CertificationDraft.model_validate(claim_values)
        cert = await certifications.claim(db_session, product_id, draft, actor_id=account.id)
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            # A refused file refuses the whole claim: the 400 answer rolls the claim back too.
            content = await upload.read(evidence.MAX_BYTES + 1)
            await evidence.attach(db_session, cert, content, upload.filename, blobs=blobs, actor_id=account.id)
    except (ValidationError, CatalogError) as exc:
        return await _page(
            request,
            db_session,
            product,
            today,
            account,
            status_code=400,
            claim=claim_values,
            claim_errors=forms.errors_of(exc),
        )
    return Redirect(f"/portal/products/{product_id}?done=claimed", status_code=303)


async def _page(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    product: Product | None,
    today: date,
    account: Account,
    *,
    status_code: int = 200,
    values: dict[str, Any] | None = None,
    errors: list[forms.FieldError] | None = None,
    claim: dict[str, Any] | None = None,
    claim_errors: list[forms.FieldError] | None = None,
    notice: str | None = None,
    producer_id: int | None = None,
) -> Template:
    shown = values or (_values_of(product) if product else {"status": "draft", "packaging": []})
    shown["packaging"] = shown["packaging"] + [dict(BLANK_COMPONENT)] * BLANK_PACKAGING_ROWS
    statuses = list(ProductStatus)
    if not access.is_admin(account):
        # Withdrawal is the province's: a producer sees it only on a product the province withdrew.
        statuses = [s for s in statuses if s is not ProductStatus.WITHDRAWN or (product and product.status is s)]
    return render(
        request,
        "portal/product.html",
        status_code=status_code,
        product=product,
        producer_id=producer_id,
        values=shown,
        errors=errors or [],
        claim=claim or {},
        claim_errors=claim_errors or [],
        notice=notice,
        today=today,
        roles=list(PackagingRole),
        claims_kinds=list(BiodegradabilityClaim),
        statuses=statuses,
        status_locked=bool(product and product.status is ProductStatus.WITHDRAWN and not access.is_admin(account)),
        materials=await packaging.materials(session),
        categories=await categories.shelf_categories(session),
        ocop_groups=await categories.ocop_groups(session),
        schemes=await labels.schemes(session),
    )


def _number_text(value: float | None) -> str:
    """A stored number as a form shows it, exactly (350.0 → "350", 12.345678901 stays whole)."""
    if value is None:
        return ""
    return str(int(value)) if value == int(value) else repr(value)


def _values_of(product: Product) -> dict[str, Any]:
    """The form's values for a stored product: every field the API can change."""
    return {
        "version": str(product.version),
        "status": product.status.value,
        **{name: getattr(product, name) or "" for name in TEXT_FIELDS},
        "category_code": product.category_code,
        "ocop_group": product.ocop_group or "",
        "gtin": product.gtin or "",
        "net_quantity": _number_text(product.net_quantity),
        "net_quantity_unit": product.net_quantity_unit or "",
        "search_aliases": "\n".join(product.search_aliases or []),
        "packaging": [
            {
                **{name: "" if value is None else value for name, value in draft.items()},
                "mass_g": _number_text(draft["mass_g"]),
                "role": draft["role"].value,
                "biodegradable_claim": draft["biodegradable_claim"].value,
            }
            for draft in products.packaging_drafts(product.packaging)
        ],
    }


def _producer_of(form: Any) -> int | None:
    raw = str(form.get("producer_id", "")).strip()
    return int(raw) if raw.isdigit() else None


def _values_from(form: Any) -> dict[str, Any]:
    """What the visitor submitted, as text, so a refused form is shown back as typed."""
    rows = []
    count = form.get("packaging_count", "0")
    for index in range(min(int(count) if str(count).isdigit() else 0, MAX_PACKAGING_ROWS)):
        prefix = f"packaging-{index}-"
        row = {name: str(form.get(prefix + name, "")) for name in COMPONENT_TEXT_FIELDS}
        row |= {name: prefix + name in form for name in COMPONENT_FLAGS}
        if row["material_code"].strip() and prefix + "remove" not in form:
            rows.append(row)
    return {
        "version": str(form.get("version", "")),
        "status": str(form.get("status", "")),
        **{name: str(form.get(name, "")) for name in (*TEXT_FIELDS, *PRODUCT_FIELDS)},
        "packaging": rows,
    }


def _draft_of(values: dict[str, Any]) -> dict[str, Any]:
    """Form text to draft values: blank optional fields are None; a blank name_vi is refused by the catalog."""

    def blank_none(value: str) -> str | None:
        return value if value.strip() else None

    aliases = [line for line in values["search_aliases"].splitlines() if line.strip()]
    return {
        **({"status": values["status"]} if values["status"] else {}),
        **{name: values[name] for name in TEXT_FIELDS},
        "category_code": values["category_code"],
        "ocop_group": blank_none(values["ocop_group"]),
        "gtin": blank_none(values["gtin"]),
        "net_quantity": blank_none(values["net_quantity"]),
        "net_quantity_unit": blank_none(values["net_quantity_unit"]),
        "search_aliases": aliases or None,
        "packaging": [
            {
                **{name: blank_none(row[name]) for name in ("description_vi", "description_en", "mass_g")},
                "role": row["role"],
                "material_code": row["material_code"],
                "recycled_content_pct": row["recycled_content_pct"].strip() or 0,
                "biodegradable_claim": row["biodegradable_claim"] or BiodegradabilityClaim.NONE.value,
                **{name: row[name] for name in COMPONENT_FLAGS},
            }
            for row in values["packaging"]
        ],
    }
