"""Search from SQL while Meilisearch is unreachable: folded words against `Product.search_text`.

Slower and plainer than the index (no typo tolerance or synonyms, names and aliases only), but it answers the
same request with the same shapes, and facets and filters come from the same documents, so an expired rating
cannot reappear here either.
"""

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog import text
from catalog.products import Product, ProductStatus
from catalog.stores import Listing
from search import diacritics, documents
from search.query import FACETS, MATCH_END, MATCH_START, Hit, SearchRequest, marked_html

# An outage must not become database load: a degraded answer loads at most this many documents (enough for the
# first pages; `total` says how many were considered), and tries at most MAX_WORDS words, so at most MAX_WORDS
# LIKE queries run as trailing words are dropped.
MAX_CANDIDATES = 200
MAX_WORDS = 4


def _word_filter(word: str) -> ColumnElement[bool]:
    return col(Product.search_text).contains(word, autoescape=True)


def stocked_in(store_id: int) -> ColumnElement[bool]:
    """The product has an active listing in the store."""
    listed = and_(col(Listing.product_id) == col(Product.id), col(Listing.store_id) == store_id, col(Listing.active))
    return exists().where(listed)


def _published() -> Any:
    return select(Product.id).where(col(Product.status) == ProductStatus.PUBLISHED)


async def _ids(session: AsyncSession, query: Any) -> list[int]:
    return [pid for pid in (await session.execute(query.order_by(col(Product.id)).limit(MAX_CANDIDATES))).scalars()]


async def candidate_ids(session: AsyncSession, request: SearchRequest) -> list[int]:
    """Published products matching the words, category and store, oldest first."""
    base = _published()
    if request.category:
        base = base.where(col(Product.category_code) == request.category)
    if request.store_id is not None:
        base = base.where(stocked_in(request.store_id))
    words = text.fold(request.q).split()[:MAX_WORDS]
    if not words:
        return await _ids(session, base)
    # Like Meilisearch's "last" matching strategy: drop trailing words until something matches.
    for kept in range(len(words), 0, -1):
        found = await _ids(session, base.where(*(_word_filter(w) for w in words[:kept])))
        if found:
            return found
    return []


def matches(document: dict[str, Any], request: SearchRequest) -> bool:
    """The filters SQL cannot express without re-deriving validity: labels, stars, plastic-free."""
    if request.labels and not set(request.labels) & set(document["labels"]):
        return False
    if request.min_stars is not None and (document["ocop_stars"] or 0) < request.min_stars:
        return False
    return request.plastic_free is None or document["plastic_free"] is request.plastic_free


def facet_value(value: object) -> str:
    """Facet keys as Meilisearch writes them."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def facet_distribution(found: Iterable[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Counts per facet value over the matching documents."""
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for document in found:
        for name in FACETS:
            value = document.get(name)
            values = value if isinstance(value, list) else [value]
            counts[name].update(facet_value(v) for v in values if v is not None)
    return {name: dict(sorted(c.items())) for name, c in counts.items() if c}


def relevance(document: dict[str, Any], words: list[str], tokens: list[str]) -> tuple[int, ...]:
    """Sort key: more words in the names, exact diacritics, the phrase earlier in a name, greener, then by id."""
    names = [text.fold(n) for n in (document["name_vi"], document["name_en"] or "", *document["aliases"])]
    in_name = sum(1 for w in words if any(w in n for n in names))
    exact = sum(1 for t in tokens if t in document["name_marks"])
    phrase = " ".join(words)
    phrase_at = min((at for n in names if (at := n.find(phrase)) >= 0), default=MAX_CANDIDATES)
    return (-in_name, -exact, phrase_at, -document["green_score"], document["id"])


def _fold_char(ch: str) -> str:
    return " " if ch.isspace() else text.fold(ch)


def highlight(value: str, words: list[str]) -> str:
    """HTML-safe `value` with every folded occurrence of a query word wrapped in <mark>."""
    folded, origin = "", []
    for i, ch in enumerate(value):
        piece = _fold_char(ch)
        folded += piece
        origin.extend([i] * len(piece))
    marked = [False] * len(value)
    for word in words:
        # Like Meilisearch, a query word matches the start of a word ("u" marks "U Minh", not the u in "rừng").
        for found in re.finditer(rf"(?<!\w){re.escape(word)}", folded):
            for j in range(found.start(), found.end()):
                marked[origin[j]] = True
    out = []
    for i, ch in enumerate(value):
        if marked[i] and (i == 0 or not marked[i - 1]):
            out.append(MATCH_START)
        out.append(ch)
        if marked[i] and (i == len(value) - 1 or not marked[i + 1]):
            out.append(MATCH_END)
    return marked_html("".join(out))


async def find(session: AsyncSession, request: SearchRequest, on: date) -> tuple[list[Hit], int, dict[str, Any]]:
    """Hits of the requested page, the total and the facets, all from the database."""
    batch = await documents.build(session, await candidate_ids(session, request), on)
    found = [d for d in batch.documents if matches(d, request)]
    words, tokens = text.fold(request.q).split(), diacritics.signature_tokens(request.q)
    found.sort(key=lambda d: relevance(d, words, tokens))
    start = (request.page - 1) * request.per_page
    hits = [
        Hit.of(d, {name: highlight(d[name], words) for name in ("name_vi", "name_en") if d[name]})
        for d in found[start : start + request.per_page]
    ]
    return hits, len(found), facet_distribution(found)


async def same_group(
    session: AsyncSession, product: Product, *, on: date, store_id: int | None
) -> list[dict[str, Any]]:
    """Documents of the other published products in the product's substitute group (stocked in `store_id` if given)."""
    if product.substitute_group is None:
        return []
    query = _published().where(col(Product.substitute_group) == product.substitute_group, col(Product.id) != product.id)
    if store_id is not None:
        query = query.where(stocked_in(store_id))
    return (await documents.build(session, await _ids(session, query), on)).documents
