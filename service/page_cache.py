"""Rendered product and scan pages, kept in each process until the catalog generation moves on.

What a page depends on is its key: the route and its parameters, the language, the query string (links keep it) and
the day (labels are valid by date, so the first request after midnight renders afresh). What the catalog holds is
the generation (catalog/generation.py), read from the database for every request: one primary-key read instead of a
dozen queries and a search (generation.Reader makes that read cheap: microseconds on SQLite, shared under load). A
process that reads a generation other than the one its pages were rendered under throws them all away, so an edit
committed through any process or host is on the next page any process serves. Several hosts share nothing but the
database; Redis is not needed.
"""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncEngine

from catalog import generation


@dataclass(frozen=True)
class PageKey:
    """Everything a cached page was rendered from, apart from the catalog."""

    route: str
    ident: str
    locale: str
    day: date
    query: str


@dataclass(frozen=True)
class ScanTarget:
    """What a scan of a shelf tag counts, kept with its page so a cached scan is still counted."""

    tag_id: int | None
    product_id: int
    store_id: int | None


@dataclass(frozen=True)
class RenderedPage:
    """A page's bytes and validators."""

    body: bytes
    etag: str
    scan: ScanTarget | None = None


class PageCache:
    """A bounded LRU of rendered pages, all from one catalog generation."""

    def __init__(self, engine: AsyncEngine, max_pages: int) -> None:
        self._reader = generation.Reader(engine)
        self._max = max_pages
        self._pages: OrderedDict[PageKey, RenderedPage] = OrderedDict()
        self._generation: int | None = None

    @property
    def enabled(self) -> bool:
        """False when configured with no room (GREENSHELF_PAGE_CACHE_PAGES=0): every page is rendered afresh."""
        return self._max > 0

    async def generation(self) -> int:
        """Read the committed generation; forget every page rendered under another one (no read when disabled)."""
        if not self.enabled:
            return -1
        now = await self._reader.read()
        if now != self._generation:
            self._pages.clear()
            self._generation = now
        return now

    async def close(self) -> None:
        """Give back the generation reader's connections (the app stops)."""
        await self._reader.close()

    def get(self, key: PageKey, at: int) -> RenderedPage | None:
        """The page for `key` if it was rendered under generation `at` (never one when disabled)."""
        if not self.enabled or at != self._generation:
            return None
        page = self._pages.get(key)
        if page is not None:
            self._pages.move_to_end(key)
        return page

    def put(self, key: PageKey, at: int, page: RenderedPage) -> None:
        """Keep a page rendered after reading generation `at` (dropped if the generation has moved since)."""
        if not self.enabled or at != self._generation:
            return
        self._pages[key] = page
        self._pages.move_to_end(key)
        while len(self._pages) > self._max:
            self._pages.popitem(last=False)
