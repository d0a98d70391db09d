"""CSV exports for the people who keep their catalog in a spreadsheet."""

from typing import Annotated

from litestar import Response, get
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import access, products, stores
from catalog.accounts import Account, Role
from service import auth, csv_exports
from service.api.ids import PathId, query_id

CSV = "text/csv"


def csv_response(content: str, filename: str) -> Response[str]:
    """A CSV download."""
    return Response(
        content,
        media_type=CSV,  # Litestar adds "; charset=utf-8" to text types
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@get(
    "/products.csv",
    operation_id="exportProducts",
    tags=["exports"],
    guards=[auth.requires(Role.PRODUCER, Role.ADMIN)],
    security=auth.SECURITY,
    cache=False,
    media_type=CSV,
)
async def export_products(
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    producer: Annotated[int | None, query_id("Admins: whose products.")] = None,
) -> Response[str]:
    """A producer's own products in every status, in the import's columns (plus id, status and version)."""
    producer_id = access.producer_acted_for(account, producer)
    rows = await products.of_producer(db_session, producer_id)
    return csv_response(csv_exports.products_csv(rows), f"products-{producer_id}.csv")


@get(
    "/stores/{store_id:int}/listings.csv",
    operation_id="exportListings",
    tags=["exports"],
    guards=[auth.requires(Role.STORE, Role.ADMIN)],
    security=auth.SECURITY,
    cache=False,
    media_type=CSV,
)
async def export_listings(
    store_id: PathId, account: NamedDependency[Account], db_session: NamedDependency[AsyncSession]
) -> Response[str]:
    """A store's listings, active or not."""
    access.require_can_manage_store(account, store_id)
    await stores.get(db_session, store_id)
    return csv_response(
        csv_exports.listings_csv(await stores.listings_of_store(db_session, store_id)), f"listings-{store_id}.csv"
    )
