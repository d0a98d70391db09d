"""The products index definition as data, and applying it idempotently.

`tests/golden/products_index.json` holds the full settings (synonyms included), so a change to ranking, filters or
synonyms shows up in review.
"""

import re
from collections.abc import Iterable, Mapping
from typing import Any

from meilisearch_python_sdk import AsyncClient
from meilisearch_python_sdk.errors import MeilisearchApiError
from meilisearch_python_sdk.models.settings import MeilisearchSettings

from catalog import text
from search import client as search_client

PRIMARY_KEY = "id"

PRODUCTS: dict[str, Any] = {
    # Order matters: the "attribute" rule ranks a match in an earlier attribute higher.
    "searchableAttributes": [
        "name_vi",
        "substitute_vi",
        "substitute_en",
        "name_en",
        "name_marks",
        "aliases",
        "brand",
        "producer",
        "category_vi",
        "category_en",
        "labels_text",
        "description_vi",
        "description_en",
    ],
    "filterableAttributes": [
        "id",
        "labels",
        "ocop_stars",
        "category",
        "substitute",
        "plastic_free",
        "hard_to_degrade_plastic",
        "reusable_packaging",
        "store_ids",
        "producer_id",
        "commune",
        "green_score",
    ],
    "sortableAttributes": ["ocop_stars", "green_score", "updated_at", "id"],
    # Meilisearch's defaults, then greenness as the last tie-breaker between equally relevant products.
    "rankingRules": ["words", "typo", "proximity", "attribute", "sort", "exactness", "green_score:desc"],
    "typoTolerance": {
        "enabled": True,
        # Vietnamese syllables are short: with the default of 5 letters, "nuoc" or "muoi" could never be misspelt.
        "minWordSizeForTypos": {"oneTypo": 4, "twoTypos": 9},
        # Signature tokens spell diacritics exactly; a typo there would undo their purpose.
        "disableOnAttributes": ["name_marks"],
    },
    "faceting": {"maxValuesPerFacet": 100},
    "pagination": {"maxTotalHits": 1000},
}

_PARENTHETICAL = re.compile(r"\s*\([^)]*\)")


def synonym_map(groups: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Meilisearch's synonym map from seed groups ({canonical, variants}): every term maps to all the others."""
    synonyms: dict[str, list[str]] = {}
    for group in groups:
        terms: list[str] = []
        for raw in [group["canonical"], *group.get("variants", [])]:
            # "ruốc (miền Bắc)": the parenthesis is a note for people, not part of the word.
            term = text.clean(_PARENTHETICAL.sub("", raw)).lower()
            if term and term not in terms:
                terms.append(term)
        for term in terms:
            merged = synonyms.setdefault(term, [])
            merged.extend(other for other in terms if other != term and other not in merged)
    return dict(sorted(synonyms.items()))


def settings(synonyms: Mapping[str, list[str]]) -> dict[str, Any]:
    """The complete settings of a products index."""
    return {**PRODUCTS, "synonyms": dict(synonyms)}


async def apply(meili: AsyncClient, uid: str, synonyms: Mapping[str, list[str]]) -> None:
    """Create the index if needed and bring its settings up to date; safe to repeat."""
    await create_if_missing(meili, uid)
    task = await meili.index(uid).update_settings(MeilisearchSettings.model_validate(settings(synonyms)))
    await search_client.wait_for_task(meili, task.task_uid)


async def create_if_missing(meili: AsyncClient, uid: str) -> None:
    """Make sure an index exists; two workers racing to create it both end up with the same one."""
    try:
        await meili.get_index(uid)
    except MeilisearchApiError as exc:
        if exc.status_code != 404:
            raise
        # Waits for the creation task; a lost race ("already exists") leaves the index there all the same.
        await meili.create_index(uid, PRIMARY_KEY, timeout_in_ms=int(search_client.TASK_TIMEOUT_S * 1000))
