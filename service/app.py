"""The app factory: everything is built from Settings here; importing this module has no effects."""

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date

from advanced_alchemy.extensions.litestar import AsyncSessionConfig, SQLAlchemyAsyncConfig, SQLAlchemyPlugin
from litestar import Litestar
from litestar.datastructures import CacheControlHeader, State
from litestar.di import Provide
from litestar.exceptions import NotFoundException, ValidationException
from litestar.logging.config import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.static_files import create_static_files_router
from sqlalchemy.exc import IntegrityError

from catalog import db, tables
from catalog.blobs import LocalBlobStore
from catalog.errors import CatalogError
from search import client as search_client
from search import shopper_client
from service import (
    api,
    apidocs,
    auth,
    deps,
    errors,
    i18n,
    input_guard,
    page_cache,
    pages,
    portal,
    scan_counter,
    security_headers,
    warm_start,
    worker,
)
from service.api import health, metrics, openapi
from service.pages import errors as page_errors
from service.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings, *, today: Callable[[], date] = deps.today_in_vietnam) -> Litestar:
    """Assemble the web app from settings; tests pass a fixed `today`."""
    engine = db.create_engine(settings.database_url, pool_pre_ping=True)
    database = SQLAlchemyAsyncConfig(
        engine_instance=engine,
        metadata=tables.metadata,
        session_config=AsyncSessionConfig(expire_on_commit=False),
        # Portal forms answer with a redirect after a successful POST; that work must be committed too.
        before_send_handler="autocommit_include_redirects",
        create_all=False,
    )

    jwt = auth.jwt_auth(settings, database)
    tokens = auth.TokenIssuer(jwt)
    blobs = LocalBlobStore(settings.evidence_dir)
    login_throttle = auth.LoginThrottle()
    pages_cache = page_cache.PageCache(engine, settings.page_cache_pages)
    scans = scan_counter.ScanCounter(engine)

    @asynccontextmanager
    async def search_connection(app: Litestar) -> AsyncIterator[None]:
        # Two clients: requests shoppers wait on give up fast and hold only a search key; the sync worker's
        # indexing may take its time and holds the master key.
        app.state.meili = shopper_client.ShopperClient(
            settings.meili_url, shopper_search_key(settings), timeout_s=search_client.SHOPPER_TIMEOUT_S
        )
        app.state.meili_indexer = search_client.make_client(settings.meili_url, settings.meili_key)
        if settings.meili_key and not settings.meili_search_key:
            try:
                await search_client.ensure_search_key(app.state.meili_indexer)
            except search_client.ERRORS as exc:
                # The sync worker creates it once Meilisearch answers; until then search falls back to SQL.
                log.warning("search-only key not created yet: %s", exc)
        try:
            yield
        finally:
            await app.state.meili.aclose()
            await app.state.meili_indexer.aclose()
            await pages_cache.close()
            await engine.dispose()

    app = Litestar(
        route_handlers=[
            api.router,
            health.health,
            metrics.metrics,
            pages.router,
            portal.router(settings),
            # Asset URLs carry a content hash (i18n.static_url), so browsers may keep them for a year.
            create_static_files_router(
                path=i18n.STATIC_PREFIX,
                directories=[i18n.STATIC_DIR],
                cache_control=CacheControlHeader(public=True, max_age=i18n.ONE_YEAR),
            ),
            apidocs.assets_router(),
        ],
        dependencies={
            "settings": Provide(lambda: settings, sync_to_thread=False, use_cache=True),
            "today": Provide(today, sync_to_thread=False),
            "account": Provide(auth.current_account, sync_to_thread=False),
            "tokens": Provide(lambda: tokens, sync_to_thread=False, use_cache=True),
            "blobs": Provide(lambda: blobs, sync_to_thread=False, use_cache=True),
            "login_throttle": Provide(lambda: login_throttle, sync_to_thread=False, use_cache=True),
        },
        middleware=[input_guard.refuse_nul_in_url, jwt.middleware],
        request_class=input_guard.GuardedRequest,
        exception_handlers={
            CatalogError: errors.catalog_error,
            NotFoundException: page_errors.not_found,
            ValidationException: page_errors.validation_error,
            IntegrityError: errors.integrity_error,
        },
        after_exception=[errors.log_exception],
        before_send=[security_headers.security_headers(settings)],
        plugins=[SQLAlchemyPlugin(config=database)],
        # Listed in start order; they stop in reverse, so the last scan counts are written before the engine closes.
        lifespan=[
            search_connection,
            scan_counter.flushing(scans),
            worker.outbox_worker(settings, engine=engine, today=today),
        ],
        template_config=i18n.template_config(),
        state=State(
            {
                "settings": settings,
                "default_locale": settings.default_locale,
                "today": today,
                "pages": pages_cache,
                "scans": scans,
            }
        ),
        openapi_config=OpenAPIConfig(
            title="Green Shelf API",
            version="1.0.0",
            description="Eco-label and OCOP product catalog for Cà Mau: products, labels, stores, search.",
            path="/schema",
            render_plugins=[apidocs.render_plugin()],
            components=[auth.OPENAPI_COMPONENTS],
        ),
        # Litestar's default logs every outgoing httpx request at INFO: one line per search, drowning real news.
        # Exceptions are logged by errors.log_exception: 4xx as one INFO line, 5xx with the traceback.
        logging_config=LoggingConfig(
            log_exceptions="never",
            loggers={name: {"level": "WARNING", "propagate": True} for name in ("httpx", "httpx2")},
        ),
        debug=False,
    )
    openapi.document_errors(app)
    openapi.complete_allow_headers(app)
    apidocs.summarise(app)
    return app


def shopper_search_key(settings: Settings) -> str | None:
    """The key shoppers' searches use: the configured search key, or the one derived from the master key."""
    if settings.meili_search_key:
        return settings.meili_search_key
    return search_client.derived_search_key(settings.meili_key) if settings.meili_key else None


def app_from_env() -> Litestar:
    """Entry point for uvicorn's factory mode: read GREENSHELF_* once, here; the process warms before it serves."""
    app = create_app(Settings())
    app.on_startup.append(warm_start.warm_and_freeze)
    return app
