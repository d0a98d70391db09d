"""Greener alternatives: published products of the same substitute group that score higher under catalog.greenness,
optionally only those a given store stocks, each with the reasons it is greener."""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from catalog import greenness
from catalog.products import Product
from search import client, documents, fallback
from search.query import quote
from search.shopper_client import ShopperClient

log = logging.getLogger(__name__)

FIELDS = [
    "id",
    "slug",
    "name_vi",
    "name_en",
    "brand",
    "producer",
    "labels",
    "label_kinds",
    "ocop_stars",
    "plastic_free",
    "hard_to_degrade_plastic",
    "reusable_packaging",
    "packaging_known",
    "green_score",
    "store_ids",
]


@dataclass(frozen=True)
class Alternative:
    """A greener product and why it is greener."""

    id: int
    slug: str
    name_vi: str
    name_en: str | None
    brand: str | None
    producer: str
    labels: list[str]
    ocop_stars: int | None
    plastic_free: bool
    hard_to_degrade_plastic: bool
    green_score: int
    reasons: list[greenness.Reason]


@dataclass(frozen=True)
class Alternatives:
    """The product's own score and its greener alternatives, best first."""

    product_id: int
    green_score: int
    items: list[Alternative]
    degraded: bool


def _alternative(document: Mapping[str, Any], mine: greenness.GreenFacts) -> Alternative:
    return Alternative(
        id=document["id"],
        slug=document["slug"],
        name_vi=document["name_vi"],
        name_en=document.get("name_en"),
        brand=document.get("brand"),
        producer=document.get("producer") or "",
        labels=list(document.get("labels") or []),
        ocop_stars=document.get("ocop_stars"),
        plastic_free=bool(document.get("plastic_free")),
        hard_to_degrade_plastic=bool(document.get("hard_to_degrade_plastic")),
        green_score=document["green_score"],
        reasons=greenness.reasons(documents.green_facts(document), mine),
    )


def _order(document: Mapping[str, Any]) -> tuple[int, int, int]:
    return (-document["green_score"], -(document.get("ocop_stars") or 0), document["id"])


async def greener_than(
    meili: ShopperClient,
    index_uid: str,
    session: AsyncSession,
    product: Product,
    *,
    on: date,
    store_id: int | None = None,
    limit: int = 5,
) -> Alternatives:
    """Greener substitutes (stocked in `store_id` when given), from the index or from SQL.

    Only products of the same substitute group count; a product in no group has none (none rather than noise).
    """
    assert product.id is not None
    mine = greenness.facts(product, on)
    score = greenness.score(mine)
    if product.substitute_group is None:
        return Alternatives(product.id, score, [], degraded=False)
    clauses = [f"substitute = {quote(product.substitute_group)}", f"green_score > {score}", f"id != {product.id}"]
    if store_id is not None:
        clauses.append(f"store_ids = {int(store_id)}")
    try:
        found = await meili.search(
            index_uid,
            {
                "q": "",
                "filter": clauses,
                "sort": ["green_score:desc", "ocop_stars:desc", "id:asc"],
                "limit": limit,
                "attributesToRetrieve": FIELDS,
            },
        )
    except client.ERRORS as exc:
        client.log_fallback(log, "alternatives", exc)
        candidates = await fallback.same_group(session, product, on=on, store_id=store_id)
        chosen = sorted((d for d in candidates if d["green_score"] > score), key=_order)[:limit]
        return Alternatives(product.id, score, [_alternative(d, mine) for d in chosen], degraded=True)
    return Alternatives(product.id, score, [_alternative(d, mine) for d in found["hits"]], degraded=False)
