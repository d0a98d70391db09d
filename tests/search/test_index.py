from collections.abc import Callable
from typing import Any

import pytest
from meilisearch_python_sdk import AsyncClient

from search import index
from service.worker import synonyms


def test_index_settings_match_the_reviewed_golden_file(golden: Callable[[str, Any], None]) -> None:
    golden("products_index", index.settings(synonyms()))


def test_seed_synonyms_map_each_spelling_to_the_others() -> None:
    found = synonyms()
    assert "túi nilon" in found["túi ni lông"]
    assert "túi ni lông" in found["túi nilon"]
    assert "túi bóng" in found["túi nilon"]
    assert "ruốc" in found["chà bông"]  # "ruốc (miền Bắc)": the note in brackets is not part of the word


@pytest.mark.meili
async def test_applying_settings_twice_leaves_the_index_as_defined(meili: AsyncClient, own_index: str) -> None:
    await index.apply(meili, own_index, synonyms())
    await index.apply(meili, own_index, synonyms())
    applied = await meili.index(own_index).get_settings()
    assert applied.searchable_attributes == index.PRODUCTS["searchableAttributes"]
    assert applied.filterable_attributes == index.PRODUCTS["filterableAttributes"]
    assert applied.ranking_rules == index.PRODUCTS["rankingRules"]
    assert applied.synonyms is not None and applied.synonyms["túi nilon"] == synonyms()["túi nilon"]
