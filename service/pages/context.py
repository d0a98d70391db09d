"""What every page shares: the language switch, links that keep the query, and the negotiated-language headers."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from litestar import Request
from litestar.background_tasks import BackgroundTask
from litestar.response import Template

from service import i18n
from service.pages import words


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the language switch."""

    code: str
    name: str
    href: str
    current: bool


def link(request: Request, **changes: Any) -> str:
    """This page's path with some query parameters replaced (None or empty removes one); keeps repeated ones."""
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    for key, value in changes.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((key, str(v)) for v in values if v not in (None, "", False))
    query = urlencode(pairs)
    return f"{request.url.path}?{query}" if query else request.url.path


def language_links(request: Request, locale: str) -> list[LanguageLink]:
    """The switch: each language links to this same page in that language."""
    return [
        LanguageLink(code=code, name=words.LANGUAGE_NAMES[code], href=link(request, lang=code), current=code == locale)
        for code in i18n.LOCALES
    ]


def page(
    request: Request,
    locale: str,
    template_name: str,
    *,
    status_code: int = 200,
    background: BackgroundTask | None = None,
    **context: Any,
) -> Template:
    """A page in the visitor's language, varying on how the language was chosen, remembering a ?lang choice."""
    cookies = i18n.language_cookie(request, locale)
    headers = {"Vary": i18n.VARY}
    if cookies:
        # A response that sets the visitor's cookie must never be stored by a shared cache.
        headers["Cache-Control"] = "private"
    return Template(
        template_name=template_name,
        context={
            "locale": locale,
            "languages": language_links(request, locale),
            "link": lambda **changes: link(request, **changes),
            "words": words,
            **context,
        },
        status_code=status_code,
        headers=headers,
        cookies=cookies,
        background=background,
    )
