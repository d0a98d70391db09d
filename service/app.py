"""The app factory: everything is built from Settings here; importing this module has no effects."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date

from advanced_alchemy.extensions.litestar import AsyncSessionConfig, SQLAlchemyAsyncConfig, SQLAlchemyPlugin
from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin

from catalog import db, tables
from catalog.errors import CatalogError
from search import client as search_client
from service import api, deps, errors, worker
from service.api import health
from service.settings import Settings


def create_app(settings: Settings, *, today: Callable[[], date] = deps.today_in_vietnam) -> Litestar:
    """Assemble the web app from settings; tests pass a fixed `today`."""
    engine = db.create_engine(settings.database_url, pool_pre_ping=True)
    database = SQLAlchemyAsyncConfig(
        engine_instance=engine,
        metadata=tables.metadata,
        session_config=AsyncSessionConfig(expire_on_commit=False),
        before_send_handler="autocommit",
        create_all=False,
    )

    @asynccontextmanager
    async def search_connection(app: Litestar) -> AsyncIterator[None]:
        app.state.meili = search_client.make_client(settings.meili_url, settings.meili_master_key)
        try:
            yield
        finally:
            await app.state.meili.aclose()
            await engine.dispose()

    return Litestar(
        route_handlers=[api.router, health.health],
        dependencies={
            "settings": Provide(lambda: settings, sync_to_thread=False, use_cache=True),
            "today": Provide(today, sync_to_thread=False),
        },
        exception_handlers={CatalogError: errors.catalog_error},
        plugins=[SQLAlchemyPlugin(config=database)],
        lifespan=[search_connection, worker.outbox_worker(settings, engine=engine, today=today)],
        openapi_config=OpenAPIConfig(
            title="Green Shelf API",
            version="1.0.0",
            description="Eco-label and OCOP product catalog for Cà Mau: products, labels, stores, search.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin()],
        ),
        debug=False,
    )


def app_from_env() -> Litestar:
    """Entry point for uvicorn's factory mode: read GREENSHELF_* once, here."""
    return create_app(Settings())
