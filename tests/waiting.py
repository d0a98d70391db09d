"""Waiting for a condition with a deadline: the only place tests pause, and never for a fixed time."""

import asyncio
from collections.abc import Awaitable, Callable

POLL_INTERVAL_S = 0.1


async def wait_until(condition: Callable[[], Awaitable[bool]], *, within_s: float, what: str) -> None:
    """Return as soon as `condition()` holds; fail naming `what` if it still does not after `within_s` seconds."""
    try:
        async with asyncio.timeout(within_s):
            # The condition lives in another process (Meilisearch, the database): no event to wait on, so poll.
            while not await condition():  # noqa: ASYNC110
                await asyncio.sleep(POLL_INTERVAL_S)
    except TimeoutError:
        raise AssertionError(f"not within {within_s:.0f}s: {what}") from None
