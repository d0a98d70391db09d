"""The single table that turns domain errors into HTTP answers."""

import logging

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)
from litestar.types import Scope
from sqlalchemy.exc import IntegrityError

from catalog.errors import (
    CatalogError,
    Conflict,
    DatabaseBusy,
    InvalidGtin,
    NotFound,
    PermissionDenied,
    RateLimited,
    StaleVersion,
)
from catalog.evidence import EvidenceTooLarge, UnsupportedEvidenceType
from catalog.imports import ImportRejected

# Seconds a client should wait before retrying when the database is busy (SQLite's write lock) or unreachable.
BUSY_RETRY_AFTER_S = 2
log = logging.getLogger("greenshelf.errors")

STATUS: tuple[tuple[type[CatalogError], int], ...] = (
    (DatabaseBusy, HTTP_503_SERVICE_UNAVAILABLE),
    (NotFound, HTTP_404_NOT_FOUND),
    (PermissionDenied, HTTP_403_FORBIDDEN),
    (StaleVersion, HTTP_409_CONFLICT),
    (Conflict, HTTP_409_CONFLICT),
    (RateLimited, HTTP_429_TOO_MANY_REQUESTS),
    (EvidenceTooLarge, HTTP_413_REQUEST_ENTITY_TOO_LARGE),
    (UnsupportedEvidenceType, HTTP_415_UNSUPPORTED_MEDIA_TYPE),
    (CatalogError, HTTP_400_BAD_REQUEST),
)


def status_for(exc: CatalogError) -> int:
    """The HTTP status a domain error maps to."""
    return next(code for kind, code in STATUS if isinstance(exc, kind))


def error_body(exc: CatalogError) -> dict[str, object]:
    """Litestar's error shape: status, detail and the field at fault."""
    status = status_for(exc)
    extra: list[dict[str, object]] = []
    if isinstance(exc, ImportRejected):
        extra = [{"row": p.row, "key": p.column, "message": p.message} for p in exc.problems]
    if exc.field:
        item: dict[str, object] = {"key": exc.field, "message": str(exc)}
        if isinstance(exc, InvalidGtin) and exc.expected_digit is not None:
            item["expected_check_digit"] = exc.expected_digit
        if isinstance(exc, StaleVersion):
            item["current_version"] = exc.current
        extra.append(item)
    return {"status_code": status, "detail": str(exc), "extra": extra}


def catalog_error(_request: Request, exc: CatalogError) -> Response[dict[str, object]]:
    """Exception handler for every CatalogError raised below a JSON route."""
    return json_response(error_body(exc), status_for(exc), retry_headers(exc))


def json_response(
    body: dict[str, object], status: int, headers: dict[str, str] | None = None
) -> Response[dict[str, object]]:
    # Explicitly JSON: a route that answers image/png or text/csv must not label its error body that way.
    return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers)


def http_error(_request: Request, exc: HTTPException) -> Response[dict[str, object]]:
    """Litestar's own 4xx (401, 403, 405, 429…) under the API, always as JSON."""
    body: dict[str, object] = {"status_code": exc.status_code, "detail": exc.detail}
    if exc.extra:
        body["extra"] = exc.extra
    return json_response(body, exc.status_code, exc.headers)


def server_error(_request: Request, _exc: Exception) -> Response[dict[str, object]]:
    """An unexpected failure under the API: JSON that reveals nothing (the log has the traceback)."""
    return json_response({"status_code": HTTP_500_INTERNAL_SERVER_ERROR, "detail": "Internal Server Error"}, 500)


def status_of(exc: Exception) -> int:
    """The status an exception ends as, for the log."""
    if isinstance(exc, CatalogError):
        return status_for(exc)
    if isinstance(exc, HTTPException):
        return exc.status_code
    return HTTP_500_INTERNAL_SERVER_ERROR


async def log_exception(exc: Exception, scope: Scope) -> None:
    """4xx is the client's business: one INFO line. 5xx is ours: ERROR with the traceback."""
    status = status_of(exc)
    where = f"{scope.get('method', '')} {scope.get('path', '')}"
    if status < HTTP_500_INTERNAL_SERVER_ERROR:
        detail = exc.detail if isinstance(exc, HTTPException) else str(exc)
        log.info("%s answered %d: %s", where, status, detail[:200])
    else:
        log.error("%s failed", where, exc_info=exc)


def retry_headers(exc: CatalogError) -> dict[str, str]:
    """`Retry-After` for a rate-limited request or a busy database; nothing for other errors."""
    if isinstance(exc, RateLimited):
        return {"Retry-After": str(exc.retry_after_s)}
    return {"Retry-After": str(BUSY_RETRY_AFTER_S)} if isinstance(exc, DatabaseBusy) else {}


def integrity_error(_request: Request, _exc: IntegrityError) -> Response[dict[str, object]]:
    """A uniqueness the database holds was hit by a concurrent write: the client may retry (409, never a 500)."""
    body: dict[str, object] = {
        "status_code": HTTP_409_CONFLICT,
        "detail": "the change clashed with another made at the same time; retry",
    }
    return json_response(body, HTTP_409_CONFLICT)
