"""The single table that turns domain errors into HTTP answers."""

from litestar import Request, Response
from litestar.status_codes import (
    HTTP_400_BAD_REQUEST,
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    HTTP_415_UNSUPPORTED_MEDIA_TYPE,
)

from catalog.errors import CatalogError, Conflict, InvalidGtin, NotFound, PermissionDenied, StaleVersion
from catalog.evidence import EvidenceTooLarge, UnsupportedEvidenceType
from catalog.imports import ImportRejected

STATUS: tuple[tuple[type[CatalogError], int], ...] = (
    (NotFound, HTTP_404_NOT_FOUND),
    (PermissionDenied, HTTP_403_FORBIDDEN),
    (StaleVersion, HTTP_409_CONFLICT),
    (Conflict, HTTP_409_CONFLICT),
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
    return Response(error_body(exc), status_code=status_for(exc))
