"""What every portal page needs: its language, gettext for templates, and a render call.

Stand-in until service/i18n.py (the consumer pages' locale negotiation and Babel catalogs) is merged: the portal
negotiates the same way (?lang, then a cookie, then Accept-Language, then the default) and reads its Vietnamese
strings from service/locale/vi/LC_MESSAGES/portal.po.
"""

import io
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import pass_context
from jinja2.runtime import Context
from litestar import Request
from litestar.datastructures import Cookie
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template import TemplateConfig

LOCALES = ("vi", "en")
LANGUAGE_COOKIE = "lang"
SERVICE = Path(__file__).resolve().parents[1]
ONE_YEAR = 365 * 24 * 3600


@cache
def translations(locale: str) -> NullTranslations:
    """The portal's strings in `locale`; English is the msgid language, so it needs no catalog."""
    po_file = SERVICE / "locale" / locale / "LC_MESSAGES" / "portal.po"
    if locale == "en" or not po_file.exists():
        return NullTranslations()
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


@pass_context
def _template_gettext(context: Context, message: str) -> str:
    return translations(context.get("locale", "vi")).gettext(message)


@pass_context
def _template_ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return translations(context.get("locale", "vi")).ngettext(singular, plural, n)


def _install_i18n(engine: JinjaTemplateEngine) -> None:
    engine.engine.add_extension("jinja2.ext.i18n")
    engine.engine.install_gettext_callables(_template_gettext, _template_ngettext, newstyle=True)  # type: ignore[attr-defined]


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """Jinja templates under service/templates with gettext-style {% trans %}, translated per request."""
    return TemplateConfig(directory=SERVICE / "templates", engine=JinjaTemplateEngine, engine_callback=_install_i18n)


def negotiate(request: Request[Any, Any, Any], default: str) -> str:
    """?lang=, then the language cookie, then Accept-Language, then the default."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if candidate in LOCALES:
            return candidate
    for part in request.headers.get("accept-language", "").split(","):
        primary = part.split(";")[0].strip().lower()[:2]
        if primary in LOCALES:
            return primary
    return default


def render(request: Request[Any, Any, Any], template: str, *, status_code: int = 200, **values: Any) -> Template:
    """A portal page in the visitor's language; a ?lang= choice is remembered in a cookie."""
    locale = negotiate(request, request.app.state.default_locale)
    cookies = []
    if request.query_params.get("lang") in LOCALES:
        cookies.append(Cookie(key=LANGUAGE_COOKIE, value=locale, max_age=ONE_YEAR, samesite="lax", httponly=True))
    context = {"locale": locale, "account": request.user, "path": request.url.path, **values}
    return Template(template_name=template, context=context, status_code=status_code, cookies=cookies)
