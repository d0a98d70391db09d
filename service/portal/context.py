"""What every portal page needs: its language (negotiated as on the consumer pages) and a render call."""

from typing import Any

from litestar import Request
from litestar.response import Template

from service import i18n


def render(request: Request[Any, Any, Any], template: str, *, status_code: int = 200, **values: Any) -> Template:
    """A portal page in the visitor's language; a ?lang= choice is remembered in a cookie."""
    locale = i18n.request_locale(request)
    cookies = i18n.language_cookie(request, locale)
    context = {"locale": locale, "account": request.user, "path": request.url.path, **values}
    return Template(template_name=template, context=context, status_code=status_code, cookies=cookies)
