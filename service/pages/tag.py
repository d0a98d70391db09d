"""The shelf-tag scan page: the product in the tag's store context; each scan is counted anonymously."""

import logging
from datetime import date

from litestar import Request, get
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from catalog import public, scans
from service.pages.product import render_product
from service.settings import Settings

logger = logging.getLogger(__name__)


async def record_scan_quietly(
    engine: AsyncEngine, *, tag_id: int | None, product_id: int, store_id: int | None, lang: str
) -> None:
    """Count a scan after the page has been sent, in its own transaction."""
    try:
        async with AsyncSession(engine) as session, session.begin():
            scans.record_scan(session, tag_id=tag_id, product_id=product_id, store_id=store_id, lang=lang)
    # A lost count must never cost the shopper the page; the failure is logged for the operator.
    except Exception:
        logger.warning("could not record a scan of shelf tag %s", tag_id, exc_info=True)


@get("/t/{code:str}", name="scan")
async def scan_page(
    request: Request,
    code: FromPath[str],
    db_session: NamedDependency[AsyncSession],
    db_engine: NamedDependency[AsyncEngine],
    today: NamedDependency[date],
    locale: NamedDependency[str],
    settings: NamedDependency[Settings],
) -> Template:
    """What a shopper sees after scanning a shelf tag."""
    target = await public.get_shelf_tag(db_session, code)
    # Switching the page's language (?lang=) re-renders the same scan; it is not counted again.
    counted = "lang" not in request.query_params
    background = (
        BackgroundTask(
            record_scan_quietly,
            db_engine,
            tag_id=target.tag.id,
            product_id=target.product.id,
            store_id=target.tag.store_id,
            lang=locale,
        )
        if counted
        else None
    )
    return await render_product(
        request,
        db_session,
        target.product,
        locale=locale,
        on=today,
        settings=settings,
        store=target.store,
        background=background,
    )
