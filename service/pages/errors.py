"""Error pages for page routes: the status service/errors.py assigns, as a page in the visitor's language."""

from typing import Any

from litestar import Request, Response
from litestar.exceptions import ClientException, HTTPException, NotFoundException, ValidationException
from litestar.response import Template
from litestar.status_codes import HTTP_404_NOT_FOUND, HTTP_500_INTERNAL_SERVER_ERROR

from catalog.errors import CatalogError, InvalidGtin, NotFound
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
    # The domain's message says exactly what is wrong, in English: the page words it in its own language
    # (`problem`) and keeps the English text only as a technical detail.
    detail = str(exc) if isinstance(exc, CatalogError) and status < HTTP_500_INTERNAL_SERVER_ERROR else None
    problem, value = problem_of(request, exc)
    return context.page(
        request,
        i18n.request_locale(request),
        template,
        status_code=status,
        detail=detail,
        problem=problem,
        value=value,
    )


# What a missing thing is, by the first segment of the page's path.
MISSING = {"t": "tag", "p": "product", "s": "store", "producers": "producer", "labels": "label", "01": "gtin"}


def problem_of(request: Request, exc: Exception) -> tuple[str | None, str | None]:
    """A code the error templates word in the page's language, and the value it is about."""
    if isinstance(exc, InvalidGtin) and exc.expected_digit is not None:
        return "check_digit", str(exc.expected_digit)
    if isinstance(exc, NotFound):
        first = request.url.path.strip("/").split("/", 1)[0]
        value = request.path_params.get("code") or request.path_params.get("slug")
        return MISSING.get(first), str(value) if value is not None else None
    if isinstance(exc, CatalogError):
        return "link", None
    return None, None


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
