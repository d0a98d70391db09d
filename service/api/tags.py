"""Shelf tags: issue them, draw their QR codes, print a store's sheet."""

import secrets
from datetime import date
from functools import partial
from typing import Annotated, Literal

from litestar import Request, Response, get, post
from litestar.concurrency import sync_to_thread
from litestar.datastructures import CacheControlHeader
from litestar.di import NamedDependency
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import access, products, tags
from catalog.accounts import Account, Role
from catalog.errors import CatalogError
from catalog.tags import ShelfTag, TagDraft
from service import auth, conditional, qr, tag_sheets
from service.api.ids import PathId
from service.settings import Settings

# A code never changes what it points at, so its image can be cached for a year and never revalidated.
IMMUTABLE = CacheControlHeader(public=True, max_age=365 * 24 * 3600, immutable=True).to_header()
PDF = "application/pdf"
ANY_ROLE = [auth.requires(Role.ADMIN, Role.PRODUCER, Role.STORE)]
STORE_OR_ADMIN = [auth.requires(Role.STORE, Role.ADMIN)]

ModulePx = Annotated[
    int,
    QueryParameter(
        ge=qr.MIN_MODULE_PX, le=qr.MAX_MODULE_PX, description="Pixels per QR module (the quiet zone is 4 modules)."
    ),
]
Columns = Annotated[int, QueryParameter(ge=1, le=tag_sheets.MAX_COLUMNS, description="Labels across an A4 sheet.")]
Rows = Annotated[int, QueryParameter(ge=1, le=tag_sheets.MAX_ROWS, description="Labels down an A4 sheet.")]


class TagOut(BaseModel):
    """A shelf tag and the URL its QR code carries."""

    code: str
    url: str
    product_id: int
    store_id: int | None

    @classmethod
    def of(cls, tag: ShelfTag, base_url: str) -> "TagOut":
        """Shape a tag row with its public URL."""
        return cls(code=tag.code, url=tag.url(base_url), product_id=tag.product_id, store_id=tag.store_id)


class StoreTagsOut(BaseModel):
    """The tags of a store's listings after a bulk issue."""

    store_id: int
    created: int
    items: list[TagOut]


@post(
    "/tags",
    operation_id="createTag",
    tags=["tags"],
    guards=ANY_ROLE,
    security=auth.SECURITY,
    responses={HTTP_200_OK: ResponseSpec(TagOut, description="The tag already existed")},
)
async def create_tag(
    data: JSONBody[TagDraft],
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
) -> Response[TagOut]:
    """Issue the tag for a product (in a store, if given); asking again answers the same tag with 200."""
    access.require_can_tag(account, await products.get(db_session, data.product_id), data.store_id)
    tag, created = await tags.issue(
        db_session, data.product_id, data.store_id, rng=secrets.SystemRandom(), actor_id=account.id
    )
    return Response(TagOut.of(tag, settings.public_base_url), status_code=HTTP_201_CREATED if created else HTTP_200_OK)


@post(
    "/stores/{store_id:int}/tags", operation_id="createStoreTags", tags=["tags"], guards=STORE_OR_ADMIN,
    security=auth.SECURITY,
    responses={HTTP_200_OK: ResponseSpec(StoreTagsOut, description="Every active listing already had its tag")},
)  # fmt: skip
async def create_store_tags(
    store_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
) -> Response[StoreTagsOut]:
    """Issue a tag for every active listing of the store; existing tags are kept."""
    access.require_can_manage_store(account, store_id)
    issued = await tags.issue_for_store(db_session, store_id, rng=secrets.SystemRandom(), actor_id=account.id)
    created = sum(new for _, new in issued)
    body = StoreTagsOut(
        store_id=store_id, created=created, items=[TagOut.of(t, settings.public_base_url) for t, _ in issued]
    )
    return Response(body, status_code=HTTP_201_CREATED if created else HTTP_200_OK)


@get("/tags/{code:str}/qr.svg", operation_id="getTagQrSvg", tags=["tags"], media_type="image/svg+xml")
async def tag_qr_svg(
    request: Request,
    code: FromPath[str],
    db_session: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    size: ModulePx = qr.DEFAULT_MODULE_PX,
) -> Response[bytes]:
    """The tag's QR code as SVG."""
    tag = await tags.get_by_code(db_session, code)
    return _cached_image(request, qr.qr_svg(tag.url(settings.public_base_url), size), "image/svg+xml")


@get("/tags/{code:str}/qr.png", operation_id="getTagQrPng", tags=["tags"], media_type="image/png")
async def tag_qr_png(
    request: Request,
    code: FromPath[str],
    db_session: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    size: ModulePx = qr.DEFAULT_MODULE_PX,
) -> Response[bytes]:
    """The tag's QR code as PNG."""
    tag = await tags.get_by_code(db_session, code)
    return _cached_image(request, qr.qr_png(tag.url(settings.public_base_url), size), "image/png")


Codes = Annotated[
    str | None,
    QueryParameter(max_length=2000, description="Comma-separated tag codes to print (default: every active tag)."),
]
OnlyNew = Annotated[Literal["new"] | None, QueryParameter(description="`new`: only tags never marked printed.")]
Start = Annotated[
    int,
    QueryParameter(
        ge=1, le=tag_sheets.MAX_COLUMNS * tag_sheets.MAX_ROWS, description="First label position (1 = top left)."
    ),
]


class PrintedIn(BaseModel):
    """Tags a store has printed (and so are no longer "not yet printed")."""

    codes: list[Annotated[str, Field(min_length=1, max_length=20)]] = Field(min_length=1, max_length=1000)


class PrintedOut(BaseModel):
    """How many tags were marked printed."""

    store_id: int
    printed: list[str]


@get(
    "/stores/{store_id:int}/tags.pdf", operation_id="getStoreTagSheet", tags=["tags"], media_type=PDF,
    guards=STORE_OR_ADMIN, security=auth.SECURITY,
)  # fmt: skip
async def store_tag_sheet(
    store_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    settings: NamedDependency[Settings],
    today: NamedDependency[date],
    columns: Columns = 3,
    rows: Rows = 8,
    codes: Codes = None,
    only: OnlyNew = None,
    start: Start = 1,
) -> Response[bytes]:
    """An A4 PDF of the store's existing shelf tags: all, `codes=`, or `only=new`; from label position `start`.

    A GET never writes: listings without a tag are left out until `POST /stores/{id}/tags` issues them.
    """
    access.require_can_manage_store(account, store_id)
    layout = tag_sheets.SheetLayout(columns=columns, rows=rows)
    if start > layout.per_page:
        raise CatalogError(f"start must be 1 to {layout.per_page} on a {columns} × {rows} sheet", field="start")
    chosen = [c for c in codes.split(",") if c.strip()] if codes is not None else None
    faces = [
        tag_sheets.face(tag, product, listing, settings.public_base_url, today)
        for tag, product, listing in await tags.store_sheet(db_session, store_id, codes=chosen, only_new=only == "new")
    ]
    # WeasyPrint is CPU-bound for seconds on a big sheet; a worker thread keeps the event loop answering others.
    pdf = await sync_to_thread(partial(tag_sheets.render_pdf, faces, layout, start=start))
    disposition = f'inline; filename="shelf-tags-store-{store_id}.pdf"'
    return Response(pdf, media_type=PDF, headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})


@post(
    "/stores/{store_id:int}/tags/printed", operation_id="markStoreTagsPrinted", tags=["tags"],
    guards=STORE_OR_ADMIN, security=auth.SECURITY, status_code=HTTP_200_OK,
)  # fmt: skip
async def mark_printed(
    store_id: PathId,
    data: JSONBody[PrintedIn],
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
) -> PrintedOut:
    """Record that these tags were printed, so `only=new` leaves them out of the next sheet."""
    access.require_can_manage_store(account, store_id)
    printed = await tags.mark_printed(db_session, store_id, data.codes, actor_id=account.id)
    return PrintedOut(store_id=store_id, printed=[tag.code for tag in printed])


def _cached_image(request: Request, body: bytes, media_type: str) -> Response[bytes]:
    return conditional.respond(
        request, body, media_type=media_type, etag=conditional.etag_of(body), headers={"Cache-Control": IMMUTABLE}
    )
