"""Conditional GETs for bodies we hold whole: a strong ETag from the bytes, 304 when the client already has them.

Litestar sets headers but does not answer If-None-Match itself (2.x), so this is the one place that does; shelf-tag
images and the cached product and scan pages use it.
"""

import hashlib

from litestar import Request, Response
from litestar.datastructures import ETag
from litestar.status_codes import HTTP_304_NOT_MODIFIED


def etag_of(body: bytes) -> str:
    """The ETag header value for these bytes."""
    return ETag(value=hashlib.sha256(body).hexdigest()[:32]).to_header()


def matches(if_none_match: str | None, etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/"x" matches "x"; * matches anything."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    return etag in {candidate.strip().removeprefix("W/") for candidate in if_none_match.split(",")}


def respond(request: Request, body: bytes, *, media_type: str, etag: str, headers: dict[str, str]) -> Response[bytes]:
    """200 with the body, or 304 with the same validators when the client's copy is current."""
    headers = {**headers, "ETag": etag}
    if matches(request.headers.get("if-none-match"), etag):
        return Response(b"", status_code=HTTP_304_NOT_MODIFIED, headers=headers, media_type=media_type)
    return Response(body, media_type=media_type, headers=headers)
