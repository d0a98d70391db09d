"""Bulk CSV imports: a producer's products and a store's listings, all rows or none."""

from typing import Annotated, Any

from litestar import Request, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.exceptions import ClientException
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import access, imports
from catalog.accounts import Account, Role
from service import auth
from service.api.ids import query_id

MAX_CSV_BYTES = 4 * 1024 * 1024

CSV_BODY = "The CSV as a multipart field `file`, or as the whole body (`Content-Type: text/csv`); UTF-8, at most 4 MiB."


class ImportResult(BaseModel):
    """How many rows were written."""

    imported: int


async def csv_upload(request: Request[Any, Any, Any]) -> bytes:
    """The uploaded CSV: the multipart field `file`, or the raw request body."""
    content_type, _ = request.content_type
    if content_type == RequestEncodingType.MULTI_PART:
        upload = (await request.form()).get("file")
        if not isinstance(upload, UploadFile):
            raise ClientException("send the CSV in the multipart field `file`", extra=[{"key": "file"}])
        return await upload.read()
    return await request.body()


@post(
    "/imports/products",
    operation_id="importProducts",
    tags=["imports"],
    guards=[auth.requires(Role.PRODUCER, Role.ADMIN)],
    security=auth.SECURITY,
    request_max_body_size=MAX_CSV_BYTES,
    description=CSV_BODY,
)
async def import_products(
    request: Request[Any, Any, Any],
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    producer: Annotated[int | None, query_id("Admins: the producer to import for.")] = None,
) -> ImportResult:
    """Create products from a CSV; any bad row answers 400 listing every bad row and column, and nothing is written."""
    producer_id = access.producer_acted_for(account, producer)
    drafts = await imports.check_products(db_session, await csv_upload(request), producer_id=producer_id)
    return ImportResult(imported=await imports.write_products(db_session, drafts, actor_id=account.id))


@post(
    "/imports/listings",
    operation_id="importListings",
    tags=["imports"],
    guards=[auth.requires(Role.STORE, Role.ADMIN)],
    security=auth.SECURITY,
    request_max_body_size=MAX_CSV_BYTES,
    description=CSV_BODY,
)
async def import_listings(
    request: Request[Any, Any, Any],
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    store: Annotated[int | None, query_id("Admins: the store to import for.")] = None,
) -> ImportResult:
    """Stock products from a CSV (by gtin or product_id); any bad row answers 400 and nothing is written."""
    store_id = access.store_acted_for(account, store)
    drafts = await imports.check_listings(db_session, await csv_upload(request), store_id=store_id)
    return ImportResult(imported=await imports.write_listings(db_session, store_id, drafts, actor_id=account.id))
