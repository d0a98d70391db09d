"""Error pages for page routes: the status service/errors.py assigns, as a page in the visitor's language."""

from typing import Any

from litestar import Request, Response
from litestar.exceptions import ClientException, HTTPException, NotFoundException, ValidationException
from litestar.response import Template
from litestar.status_codes import HTTP_404_NOT_FOUND, HTTP_500_INTERNAL_SERVER_ERROR

from catalog.errors import CatalogError
from service import errors, i18n
from service.pages import context

JSON_PREFIXES = ("/api/", "/schema", "/healthz")
HTML, JSON = "text/html", "application/json"


def html_error(request: Request, exc: Exception) -> Template | Response[dict[str, object]]:
    """Exception handler for page routes: 404, 400 (and other 4xx) or 500 as an HTML page (JSON if asked for)."""
    if isinstance(exc, CatalogError):
        status = errors.status_for(exc)
        if request.accept.best_match([HTML, JSON], default=HTML) == JSON:
            return Response(errors.error_body(exc), status_code=status)
    elif isinstance(exc, HTTPException):
        status = exc.status_code
    else:
        status = HTTP_500_INTERNAL_SERVER_ERROR  # logged once, with its traceback, by errors.log_exception
    if status == HTTP_404_NOT_FOUND:
        template = "errors/404.html"
    elif status < HTTP_500_INTERNAL_SERVER_ERROR:
        template = "errors/400.html"
    else:
        template = "errors/500.html"
    # The domain's message says what exactly is wrong (e.g. the expected check digit); shown as a detail.
    detail = str(exc) if isinstance(exc, CatalogError) and status < HTTP_500_INTERNAL_SERVER_ERROR else None
    return context.page(request, i18n.request_locale(request), template, status_code=status, detail=detail)


def not_found(request: Request, exc: HTTPException) -> Response[Any] | Template:
    """App-wide 404 for paths no route matches: JSON under the API, a page everywhere else."""
    return json_or_page(request, exc)


def json_or_page(request: Request, exc: HTTPException) -> Response[Any] | Template:
    """An HTTP error as JSON under the API, as a page everywhere else."""
    if request.url.path.startswith(JSON_PREFIXES):
        return errors.http_error(request, exc)
    return html_error(request, exc)


def validation_error(request: Request, exc: ValidationException) -> Response[Any] | Template:
    """Bad input names its fields but never echoes the URL; an impossible id in the path is simply not found."""
    extra = exc.extra if isinstance(exc.extra, list) else []
    if any(isinstance(item, dict) and item.get("source") == "path" for item in extra):
        return json_or_page(request, NotFoundException("no such resource"))
    where = f"{request.method} {request.scope.get('path_template', request.url.path)}"
    return json_or_page(request, ClientException(f"invalid input for {where}", extra=extra))
