"""The single table that turns domain errors into HTTP answers."""

from litestar import Request, Response
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    HTTP_429_TOO_MANY_REQUESTS,
    HTTP_503_SERVICE_UNAVAILABLE,
)
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
    return Response(error_body(exc), status_code=status_for(exc), headers=retry_headers(exc))


def retry_headers(exc: CatalogError) -> dict[str, str]:
    """`Retry-After` for a rate-limited request or a busy database; nothing for other errors."""
    if isinstance(exc, RateLimited):
        return {"Retry-After": str(exc.retry_after_s)}
    return {"Retry-After": str(BUSY_RETRY_AFTER_S)} if isinstance(exc, DatabaseBusy) else {}


def integrity_error(_request: Request, _exc: IntegrityError) -> Response[dict[str, object]]:
    """A uniqueness the database holds was hit by a concurrent write: the client may retry (409, never a 500)."""
    return Response(
        {"status_code": HTTP_409_CONFLICT, "detail": "the change clashed with another made at the same time; retry"},
        status_code=HTTP_409_CONFLICT,
    )
