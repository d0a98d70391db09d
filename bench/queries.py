"""A deterministic query mix from the seed catalog: 1–3 words, some unaccented, some with a typo, some filtered."""

import random
from dataclasses import dataclass

from catalog import text
from search.query import SearchRequest
from seeds import load


@dataclass(frozen=True)
class Query:
    """One query: its request (for the engine and Meilisearch floor) and its API query string."""

    request: SearchRequest
    api_params: dict[str, str]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def mix(count: int = 200, seed: int = 7) -> list[Query]:
    """`count` queries drawn from seed product names, aliases and English names."""
    rng = random.Random(seed)
    products = load.seed_catalog()["products"]
    categories = sorted({p["category"] for p in products})
    queries: list[Query] = []
    while len(queries) < count:
        product = rng.choice(products)
        source = rng.choice([product["name_vi"], product["name_vi"], product.get("name_en") or product["name_vi"]])
        words = [w for w in text.clean(source).split() if w.isalpha()]
        if not words:
            continue
        start = rng.randrange(len(words))
        chosen = words[start : start + rng.randint(1, 3)]
        kind = rng.random()
        if kind < 0.35:
            chosen = [text.fold(w) for w in chosen]
        elif kind < 0.55:
            chosen = [_typo(text.fold(w), rng) for w in chosen]
        q = " ".join(chosen)
        params: dict[str, str] = {"q": q}
        request = SearchRequest(q=q)
        roll = rng.random()
        if roll < 0.15:
            params["min_stars"] = "4"
            request = SearchRequest(q=q, min_stars=4)
        elif roll < 0.25:
            params["plastic_free"] = "true"
            request = SearchRequest(q=q, plastic_free=True)
        elif roll < 0.35:
            category = rng.choice(categories)
            params["category"] = category
            request = SearchRequest(q=q, category=category)
        queries.append(Query(request=request, api_params=params))
    return queries
