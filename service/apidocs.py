"""The OpenAPI viewer at /schema, served from our own origin so the docs work without internet.

The assets are Swagger UI's own distribution as packaged on PyPI by swagger-ui-py (pinned in the locks; its
Apache-2.0 licence is served beside them at /schema-assets/LICENSE). Nothing is loaded from a CDN.
"""

import inspect
from pathlib import Path

import swagger_ui
from litestar import Litestar
from litestar.datastructures import CacheControlHeader
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.router import Router
from litestar.static_files import create_static_files_router

ASSETS_DIR = Path(swagger_ui.__file__).resolve().parent / "static"
ASSETS_PATH = "/schema-assets"


def render_plugin() -> SwaggerRenderPlugin:
    """Swagger UI at /schema, every asset from ASSETS_PATH."""
    return SwaggerRenderPlugin(
        js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
        favicon=f"<link rel='icon' type='image/png' href='{ASSETS_PATH}/favicon-32x32.png'>",
        path="/swagger",
    )


def assets_router() -> Router:
    """The viewer's assets (cached for a day: the URL does not change with the pinned version)."""
    return create_static_files_router(
        path=ASSETS_PATH,
        directories=[ASSETS_DIR],
        cache_control=CacheControlHeader(public=True, max_age=24 * 3600),
        include_in_schema=False,
        name="schema-assets",
    )


def summarise(app: Litestar) -> None:
    """Give every HTTP operation without a summary the first line of its docstring (Litestar's default is the
    handler's name in CamelCase, which tells a reader nothing). Runs before the schema is first built."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if isinstance(handler, HTTPRouteHandler) and not handler.summary:
                doc = inspect.getdoc(handler.fn) or ""
                first = " ".join(doc.strip().split("\n\n")[0].split())
                if first:
                    handler.summary = first.rstrip(".")
