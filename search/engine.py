"""Product search as the rest of the app sees it: Meilisearch first, the SQL fallback when it cannot answer."""

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from search import client, fallback, query
from search.query import Hit, SearchRequest
from search.shopper_client import ShopperClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchResult:
    """One page of hits, the total, facet counts, and whether the answer came from the SQL fallback."""

    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]
    degraded: bool


async def find(
    meili: ShopperClient, index_uid: str, session: AsyncSession, request: SearchRequest, *, on: date
) -> SearchResult:
    """Search the index; while Meilisearch is unreachable, answer from SQL with `degraded` set."""
    try:
        for params in query.attempts(request):
            found = await meili.search(index_uid, params)
            if found.get("totalHits"):
                break
    except client.ERRORS as exc:
        client.log_fallback(log, "search", exc)
        hits, total, facets = await fallback.find(session, request, on)
        return SearchResult(hits=hits, total=total, facets=facets, degraded=True)
    return SearchResult(
        hits=[Hit.of(h, query.highlights(h.get("_formatted") or {})) for h in found["hits"]],
        total=found.get("totalHits") or 0,
        facets=_facets(found.get("facetDistribution")),
        degraded=False,
    )


def _facets(distribution: dict[str, Any] | None) -> dict[str, dict[str, int]]:
    # Meilisearch lists facets with no values as {}; drop them so both paths answer the same shape.
    return {name: dict(sorted(values.items())) for name, values in (distribution or {}).items() if values}
