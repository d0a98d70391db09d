"""Security headers on every response: what a browser may load, embed and send along.

Consumer pages need nothing but this origin (no script at all); the portal adds its inline stylesheet and may never
be framed (clickjacking a verify button); the JSON API allows nothing. The OpenAPI viewer under /schema runs Swagger
UI from this origin (service/apidocs.py), started by one inline script: same-origin scripts and that one only.
"""

from litestar.datastructures import MutableScopeHeaders
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

from service.settings import Settings

PAGES_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
)
# /stats draws its charts as inline SVG (pygal), each carrying its own <style>; still no script at all.
STATS_CSP = PAGES_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
# `object-src 'self'`: the claims queue previews evidence PDFs (served privately from this origin) inline.
PORTAL_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'none'; "
    "object-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
API_CSP = "default-src 'none'; frame-ancestors 'none'"
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


def policy_for(path: str) -> str:
    """The Content-Security-Policy for a path."""
    if path == "/portal" or path.startswith("/portal/"):
        return PORTAL_CSP
    if path.startswith(("/api/", "/healthz")) or path == "/schema/openapi.json":
        return API_CSP
    if path == "/schema" or path.startswith("/schema/"):
        return DOCS_CSP
    if path == "/stats":
        return STATS_CSP
    return PAGES_CSP


def security_headers(settings: Settings) -> BeforeMessageSendHookHandler:
    """A before-send hook adding the headers to every response; HSTS only when the service is reached over https."""
    common = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin"}
    if settings.https:
        common["Strict-Transport-Security"] = HSTS

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        for name, value in common.items():
            headers.setdefault(name, value)
        headers.setdefault("Content-Security-Policy", policy_for(scope["path"]))

    return add_headers
