"""Scan counts kept off the request path: buffered in memory, written in one batch every few seconds.

A scan page answers without waiting for a write. The buffer is flushed every FLUSH_EVERY_S and when the app stops,
so a crash (SIGKILL, power loss) loses at most the last FLUSH_EVERY_S seconds of counts of that process; a clean
stop (SIGTERM, Ctrl-C) loses none. While the database refuses the batch, counts wait in memory up to MAX_BUFFERED
(beyond that the oldest are dropped and the number dropped is logged): counts are statistics, never catalog data.
"""

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from catalog import scans
from catalog.clock import utcnow

log = logging.getLogger(__name__)

FLUSH_EVERY_S = 2.0
MAX_BUFFERED = 100_000


class ScanCounter:
    """Scans waiting to be written."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._waiting: deque[scans.Scan] = deque()
        self._dropped = 0
        self._lock = asyncio.Lock()

    def count(self, *, tag_id: int | None, product_id: int, store_id: int | None, lang: str) -> None:
        """Note one scan now; it is written with the next batch."""
        if len(self._waiting) >= MAX_BUFFERED:
            self._waiting.popleft()
            self._dropped += 1
        self._waiting.append(scans.Scan(tag_id, product_id, store_id, lang, utcnow()))

    @property
    def waiting(self) -> int:
        """Scans noted but not yet written."""
        return len(self._waiting)

    async def flush(self) -> int:
        """Write every waiting scan in one transaction; on failure they stay waiting for the next flush."""
        async with self._lock:
            if self._dropped:
                log.warning("dropped %d scan counts: the database refused them for too long", self._dropped)
                self._dropped = 0
            batch = list(self._waiting)
            if not batch:
                return 0
            try:
                async with AsyncSession(self._engine) as session, session.begin():
                    await scans.record_scans(session, batch)
            # The page was answered long ago; the counts wait for the next try and the operator sees why.
            except Exception:
                log.warning("could not write %d scan counts; keeping them for the next try", len(batch), exc_info=True)
                return 0
            for _ in batch:
                self._waiting.popleft()
            return len(batch)


def flushing(
    counter: ScanCounter, every_s: float = FLUSH_EVERY_S
) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """A lifespan hook writing the buffered scans every `every_s` seconds, and the rest when the app stops."""

    @asynccontextmanager
    async def lifespan(_app: Litestar) -> AsyncIterator[None]:
        stop = asyncio.Event()

        async def loop() -> None:
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), every_s)
                await counter.flush()

        task = asyncio.create_task(loop(), name="scan-counter")
        try:
            yield
        finally:
            stop.set()
            await task
            await counter.flush()

    return lifespan
