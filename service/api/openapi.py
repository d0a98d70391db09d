"""The error answers each API operation can give, written into the OpenAPI document.

Litestar documents the 400 of input validation by itself. The others follow from how a route is built: any bearer
header can be refused (401); a guarded route can refuse the role (403), miss a row (404) and meet a conflict (409);
a path with an id can miss its row (404). Adding them here keeps forty handlers free of repeated `responses=`.
"""

from typing import Any

from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.routes import HTTPRoute
from pydantic import BaseModel

WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})


class ErrorOut(BaseModel):
    """Every error body: the status, what went wrong, and (when known) the field at fault."""

    status_code: int
    detail: str
    extra: list[dict[str, Any]] | dict[str, Any] | None = None


def _spec(description: str) -> ResponseSpec:
    return ResponseSpec(data_container=ErrorOut, description=description, generate_examples=False)


UNAUTHORIZED = _spec("Sign-in needed, or the bearer token is invalid, expired or revoked")
FORBIDDEN = _spec("This account may not do this")
NOT_FOUND = _spec("No such resource")
TOO_MANY_ATTEMPTS = _spec("Too many sign-in attempts; `Retry-After` says when to try again")
CONFLICT = _spec("A stale `version`, or a value that must be unique is taken")
TOO_MANY_REPORTS = _spec("Too many reports from this address or in all; `Retry-After` says when to try again")


def document_errors(app: Litestar) -> None:
    """Add the error responses each API operation can give, unless the handler already documents them."""
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler, HTTPRouteHandler):
                handler.responses = {**_errors_of(handler, route.path), **(handler.responses or {})}


def _errors_of(handler: HTTPRouteHandler, path: str) -> dict[int, ResponseSpec]:
    found = {401: UNAUTHORIZED}
    guarded = bool(handler.resolve_guards())
    if guarded:
        found[403] = FORBIDDEN
    if guarded or "{" in path:
        found[404] = NOT_FOUND
    if guarded and handler.http_methods & WRITES:
        found[409] = CONFLICT
    return found


def complete_allow_headers(app: Litestar) -> None:
    """Make `OPTIONS` list every method of its path (e.g. PATCH beside GET on /products/{id}).

    Litestar builds a path's OPTIONS handler with the first route registered there; when a later handler adds a
    method to the same path, the route is rebuilt but keeps that first OPTIONS handler, which still reads the first
    route's methods. Point those old routes at the complete method set.
    """
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.http_methods == {"OPTIONS"} and handler.fn.__closure__:
                for cell in handler.fn.__closure__:
                    if isinstance(cell.cell_contents, HTTPRoute) and cell.cell_contents is not route:
                        cell.cell_contents.methods = route.methods
