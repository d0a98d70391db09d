"""The app factory: everything is built from Settings here; importing this module has no effects."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date

from advanced_alchemy.extensions.litestar import AsyncSessionConfig, SQLAlchemyAsyncConfig, SQLAlchemyPlugin
from litestar import Litestar
from litestar.datastructures import CacheControlHeader, State
from litestar.di import Provide
from litestar.exceptions import NotFoundException
from litestar.logging.config import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.static_files import create_static_files_router

from catalog import db, tables
from catalog.errors import CatalogError
from search import client as search_client
from service import api, apidocs, auth, deps, errors, i18n, pages, portal, worker
from service.api import health
from service.pages import errors as page_errors
from service.settings import Settings


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

    @asynccontextmanager
    async def search_connection(app: Litestar) -> AsyncIterator[None]:
        # Two clients: requests shoppers wait on give up fast; the sync worker's indexing may take its time.
        app.state.meili = search_client.make_client(
            settings.meili_url, settings.meili_master_key, timeout_s=search_client.SHOPPER_TIMEOUT_S
        )
        app.state.meili_indexer = search_client.make_client(settings.meili_url, settings.meili_master_key)
        try:
            yield
        finally:
            await app.state.meili.aclose()
            await app.state.meili_indexer.aclose()
            await engine.dispose()

    app = Litestar(
        route_handlers=[
            api.router,
            health.health,
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
        },
        middleware=[jwt.middleware],
        exception_handlers={CatalogError: errors.catalog_error, NotFoundException: page_errors.not_found},
        plugins=[SQLAlchemyPlugin(config=database)],
        lifespan=[search_connection, worker.outbox_worker(settings, engine=engine, today=today)],
        template_config=i18n.template_config(),
        state=State({"settings": settings, "default_locale": settings.default_locale}),
        openapi_config=OpenAPIConfig(
            title="Green Shelf API",
            version="1.0.0",
            description="Eco-label and OCOP product catalog for Cà Mau: products, labels, stores, search.",
            path="/schema",
            render_plugins=[apidocs.render_plugin()],
            components=[auth.OPENAPI_COMPONENTS],
        ),
        # Litestar's default logs every outgoing httpx request at INFO: one line per search, drowning real news.
        logging_config=LoggingConfig(
            log_exceptions="always",
            loggers={name: {"level": "WARNING", "propagate": True} for name in ("httpx", "httpx2")},
        ),
        debug=False,
    )
    apidocs.summarise(app)
    return app


def app_from_env() -> Litestar:
    """Entry point for uvicorn's factory mode: read GREENSHELF_* once, here."""
    return create_app(Settings())
