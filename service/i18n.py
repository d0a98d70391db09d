"""Languages for people: locale negotiation, gettext catalogs and Babel formatting inside templates."""

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import format_currency, format_decimal
from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from litestar import Request
from litestar.datastructures import Cookie
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig

from service import units

LOCALES = ("vi", "en")
COOKIE = "lang"
# Every negotiated page varies by these request headers; shared caches must key on them.
VARY = "Cookie, Accept-Language"
# A browser sends a handful; more is noise or an attack, and only the first ones are read.
MAX_LANGUAGE_RANGES = 20
SERVICE_DIR = Path(__file__).resolve().parent
LOCALE_DIR = SERVICE_DIR / "locale"
TEMPLATE_DIR = SERVICE_DIR / "templates"
STATIC_DIR = SERVICE_DIR / "static"
STATIC_PREFIX = "/static"
ONE_YEAR = 365 * 24 * 3600


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated later, where the locale is known."""
    return message


def negotiate(query: str | None, cookie: str | None, accept_language: str | None, default: str) -> str:
    """The page language: ?lang, then the cookie, then Accept-Language (matched by Babel), then the default."""
    for choice in (query, cookie):
        if choice in LOCALES:
            return choice
    if accept_language:
        found = Locale.negotiate(_acceptable_languages(accept_language), LOCALES)
        if found is not None:
            return found.language
    return default


def _acceptable_languages(accept_language: str) -> list[str]:
    """An Accept-Language header's language tags as Babel spells them ('en_US'), most wanted first.

    Babel matches tags to our locales (territory fallback, aliases) but leaves reading the header to the web
    framework, and Litestar reads only `Accept`: this is that reading (RFC 9110, section 12.5.4). A tag weighted
    q=0, or with a weight that is no number, is not acceptable; a wildcard adds nothing to choose from, so it is
    left to the default.
    """
    weighted: list[tuple[float, str]] = []
    for item in accept_language.split(",")[:MAX_LANGUAGE_RANGES]:
        tag, *params = (part.strip() for part in item.split(";"))
        weight = next((param[2:] for param in params if param.lower().startswith("q=")), "1")
        try:
            quality = float(weight)
        except ValueError:
            continue
        if tag and tag != "*" and quality > 0:
            weighted.append((quality, tag.replace("-", "_")))
    # A stable sort: tags of equal weight keep the visitor's order.
    return [tag for _, tag in sorted(weighted, key=lambda item: -item[0])]


def request_locale(request: Request) -> str:
    """The language of the page answering this request."""
    return negotiate(
        request.query_params.get("lang"),
        request.cookies.get(COOKIE),
        request.headers.get("accept-language"),
        request.app.state.settings.default_locale,
    )


def language_cookie(request: Request, locale: str) -> list[Cookie]:
    """Remember a language chosen with ?lang; nothing when the visitor did not choose one."""
    if request.query_params.get("lang") not in LOCALES:
        return []
    return [
        Cookie(
            key=COOKIE,
            value=locale,
            max_age=ONE_YEAR,
            path="/",
            samesite="lax",
            httponly=True,
            secure=request.url.scheme == "https",
        )
    ]


def load_translations() -> dict[str, NullTranslations]:
    """Compiled catalogs per locale; English msgids are their own translation."""
    catalogs: dict[str, NullTranslations] = {}
    for locale in LOCALES:
        compiled = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.mo"
        if locale != "en" and not compiled.exists():
            raise FileNotFoundError(f"{compiled} is missing: run `make i18n-compile` (part of `make install`)")
        catalogs[locale] = Translations.load(str(LOCALE_DIR), [locale], domain="messages")
    return catalogs


@pass_context
def format_date(context: Context, value: date | None, format: str = "long") -> str:
    """A date as the page's language writes it: '22 tháng 1, 2028' / 'January 22, 2028'."""
    return "" if value is None else babel_format_date(value, format, locale=context["locale"])


@pass_context
def format_number(context: Context, value: float | None) -> str:
    """A number with the page's grouping and decimal marks."""
    return "" if value is None else format_decimal(value, locale=context["locale"])


@pass_context
def format_vnd(context: Context, value: int | None) -> str:
    """A price in đồng, e.g. '185.000 ₫' in Vietnamese (Babel puts a no-break space before the sign)."""
    return "" if value is None else format_currency(value, "VND", locale=context["locale"])


@pass_context
def local(context: Context, row: Any, field: str) -> str | None:
    """A row's `field_vi` or `field_en` for the page's language, falling back to Vietnamese."""
    value = getattr(row, f"{field}_{context['locale']}", None)
    return value or getattr(row, f"{field}_vi", None)


def _static_url_builder() -> Any:
    versions: dict[str, str] = {}

    def static_url(path: str) -> str:
        """A static file's URL carrying its content hash, so browsers may cache it for a year."""
        if path not in versions:
            versions[path] = hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:10]
        return f"{STATIC_PREFIX}/{path}?v={versions[path]}"

    return static_url


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    """Litestar's Jinja engine with autoescaping, per-request gettext and the Babel filters."""
    catalogs = load_translations()

    @pass_context
    def gettext(context: Context, message: str) -> str:
        return catalogs[context["locale"]].gettext(message)

    @pass_context
    def ngettext(context: Context, singular: str, plural: str, n: int) -> str:
        return catalogs[context["locale"]].ngettext(singular, plural, n)

    environment = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    environment.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    # Vietnamese stays readable (and short) in JSON-LD; tojson still escapes <, >, & and '.
    environment.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False}

    @pass_context
    def format_quantity(context: Context, value: float | None, unit: str | None) -> str:
        """A net quantity in the page's language: '30 túi' / '30 bags', '500 g'."""
        if value is None:
            return ""
        locale = context["locale"]
        return units.format_quantity(value, unit, locale=locale, translations=catalogs[locale])

    environment.filters.update(
        format_date=format_date, format_number=format_number, format_vnd=format_vnd, format_quantity=format_quantity
    )
    environment.globals.update(local=local, static_url=_static_url_builder())
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment))
