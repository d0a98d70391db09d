"""The app factory: everything is built from Settings here; importing this module has no effects."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date

from advanced_alchemy.extensions.litestar import AsyncSessionConfig, SQLAlchemyAsyncConfig, SQLAlchemyPlugin
from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin

from catalog import db, tables
from catalog.errors import CatalogError
from search import client as search_client
from service import api, auth, deps, errors, portal
from service.api import health
from service.portal import context as portal_context
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
        app.state.meili = search_client.make_client(settings.meili_url, settings.meili_master_key)
        try:
            yield
        finally:
            await app.state.meili.aclose()
            await engine.dispose()

    return Litestar(
        route_handlers=[api.router, portal.router(settings), health.health],
        dependencies={
            "settings": Provide(lambda: settings, sync_to_thread=False, use_cache=True),
            "today": Provide(today, sync_to_thread=False),
            "account": Provide(auth.current_account, sync_to_thread=False),
            "tokens": Provide(lambda: tokens, sync_to_thread=False, use_cache=True),
        },
        middleware=[jwt.middleware],
        exception_handlers={CatalogError: errors.catalog_error},
        plugins=[SQLAlchemyPlugin(config=database)],
        # Until service/i18n.py (issue 5) provides the app-wide template config, the portal's serves all templates.
        template_config=portal_context.template_config(),
        state=State({"default_locale": settings.default_locale}),
        lifespan=[search_connection],
        openapi_config=OpenAPIConfig(
            title="Green Shelf API",
            version="1.0.0",
            description="Eco-label and OCOP product catalog for Cà Mau: products, labels, stores, search.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin()],
            components=[auth.OPENAPI_COMPONENTS],
        ),
        debug=False,
    )


def app_from_env() -> Litestar:
    """Entry point for uvicorn's factory mode: read GREENSHELF_* once, here."""
    return create_app(Settings())
