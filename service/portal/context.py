"""What every portal page needs: its language (negotiated as on the consumer pages) and a render call."""

from functools import cache
from typing import Any

from babel.support import NullTranslations
from litestar import Request
from litestar.response import Template

from service import i18n
from service.portal import forms


@cache
def _catalogs() -> dict[str, NullTranslations]:
    return i18n.load_translations()


def render(request: Request[Any, Any, Any], template: str, *, status_code: int = 200, **values: Any) -> Template:
    """A portal page in the visitor's language; a ?lang= choice is remembered in a cookie.

    Form errors (any value named `errors` or `…_errors`) are put into the page's language here.
    """
    locale = i18n.request_locale(request)
    cookies = i18n.language_cookie(request, locale)
    gettext = _catalogs()[locale].gettext
    for name, found in values.items():
        if (name == "errors" or name.endswith("_errors")) and found:
            values[name] = forms.shown(found, gettext, locale)
    context = {"locale": locale, "account": request.user, "path": request.url.path, **values}
    return Template(template_name=template, context=context, status_code=status_code, cookies=cookies)
