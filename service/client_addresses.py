"""A client's address, made unrecognisable: what the report rate limit counts instead of the address itself."""

import hashlib
import hmac
from datetime import datetime
from typing import Any

from litestar import Request

from catalog.clock import utcnow


def daily_hash(request: Request[Any, Any, Any], secret_key: str, now: datetime | None = None) -> str | None:
    """HMAC of the client's address under a key that changes every UTC day; None when the address is unknown.

    The day is part of the key, so yesterday's hashes match nothing today and none can be turned back into an
    address without the secret key.
    """
    host = request.client.host if request.client else None
    if not host:
        return None
    day = (now or utcnow()).date().isoformat()
    key = hmac.new(secret_key.encode(), f"report-limit:{day}".encode(), hashlib.sha256).digest()
    return hmac.new(key, host.encode(), hashlib.sha256).hexdigest()
