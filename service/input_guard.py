"""Input refused before any handler sees it: bodies that are not JSON, JSON nested without end, NUL characters.

PostgreSQL cannot store NUL in text, and the JSON decoder's own errors (invalid UTF-8, nesting deeper than the
interpreter's stack) would otherwise surface as 500s. Each becomes a 400 that says where the body went wrong.
"""

from typing import Any

from litestar import Request
from litestar.exceptions import ClientException, SerializationException
from litestar.types import ASGIApp, Receive, Scope, Send


class GuardedRequest(Request[Any, Any, Any]):
    """Litestar's request, whose `json()` answers 400 for every body that is not clean JSON."""

    async def json(self) -> Any:
        """The decoded body, or a 400 saying where it stopped being JSON."""
        try:
            value = await super().json()
        except SerializationException as exc:
            raise ClientException(f"malformed JSON: {_where(str(exc), len(await self.body()))}") from exc
        except UnicodeDecodeError as exc:
            raise ClientException(f"malformed JSON: not UTF-8 at byte {_first_bad_byte(await self.body())}") from exc
        except RecursionError as exc:
            raise ClientException("malformed JSON: nested too deeply") from exc
        if _holds_nul(value):
            raise ClientException("text may not contain NUL characters (\\u0000)")
        return value


def _where(message: str, size: int) -> str:
    # msgspec names the byte for most faults ("invalid character (byte 12)"), but not for a cut-off body.
    return message if "byte" in message else f"{message} (at byte {size}, the end of the body)"


def _first_bad_byte(body: bytes) -> int:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


def _holds_nul(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def refuse_nul_in_url(app: ASGIApp) -> ASGIApp:
    """Middleware: a NUL in the path or query string is a 400, whatever the route does with it."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and ("\x00" in scope["path"] or b"%00" in scope.get("query_string", b"")):
            raise ClientException("the address may not contain NUL characters (%00)")
        await app(scope, receive, send)

    return middleware
