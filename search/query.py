"""A search request, and the Meilisearch parameters it becomes; filters are built from typed values, never pasted."""

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from search import diacritics

FACETS = ["labels", "ocop_stars", "category", "plastic_free", "hard_to_degrade_plastic", "store_ids"]
HIT_FIELDS = [
    "id",
    "slug",
    "name_vi",
    "name_en",
    "brand",
    "producer",
    "category",
    "labels",
    "ocop_stars",
    "plastic_free",
    "green_score",
]
HIGHLIGHTED = ["name_vi", "name_en", "description_vi", "description_en"]
CROPPED = ["description_vi", "description_en"]
CROP_WORDS = 24
# Private-use characters mark matches, so the text can be HTML-escaped before they become <mark> tags.
MATCH_START = "\ue000"
MATCH_END = "\ue001"
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchRequest:
    """What a shopper asked for: free text and facet filters (labels are any-of; the rest must all hold)."""

    q: str = ""
    labels: tuple[str, ...] = ()
    category: str | None = None
    min_stars: int | None = None
    plastic_free: bool | None = None
    store_id: int | None = None
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class Hit:
    """One found product, with its matches highlighted as HTML-safe text (<mark>…</mark>)."""

    id: int
    slug: str
    name_vi: str
    name_en: str | None
    brand: str | None
    producer: str
    category: str
    labels: list[str]
    ocop_stars: int | None
    plastic_free: bool
    green_score: int
    highlight: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, document: Mapping[str, Any], highlight: dict[str, str]) -> "Hit":
        """A hit from a search document's fields."""
        return cls(**{name: document.get(name) for name in HIT_FIELDS}, highlight=highlight)


def quote(value: str) -> str:
    """A Meilisearch filter string literal: double quotes, with backslash and quote escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def filters(request: SearchRequest) -> list[str | list[str]]:
    """Meilisearch's array filter form: the outer list is AND, an inner list is OR."""
    clauses: list[str | list[str]] = []
    if request.labels:
        clauses.append([f"labels = {quote(code)}" for code in request.labels])
    if request.category:
        clauses.append(f"category = {quote(request.category)}")
    if request.min_stars is not None:
        clauses.append(f"ocop_stars >= {int(request.min_stars)}")
    if request.plastic_free is not None:
        clauses.append(f"plastic_free = {'true' if request.plastic_free else 'false'}")
    if request.store_id is not None:
        clauses.append(f"store_ids = {int(request.store_id)}")
    return clauses


def query_text(q: str) -> str:
    """The text sent to Meilisearch: the shopper's words, then the signature tokens of any marked words."""
    # Tokens go last because the "last" matching strategy drops words from the end first; the price is that the
    # shopper's last word is no longer prefix-matched when the query carries marks.
    words = q.strip()[:MAX_QUERY_LENGTH]
    tokens = diacritics.signature_tokens(words)
    return " ".join([words, *tokens]) if tokens else words


def attempts(request: SearchRequest) -> list[dict[str, Any]]:
    """The searches to try in turn, each only if the one before found nothing.

    Precision first: every word must match (with the signature tokens of marked words too, then without them, so a
    name spelled as typed is preferred but other spellings are still found); only when nothing matches all the
    words may Meilisearch drop words from the end ("last"), as the shopper would rather see something.
    """
    words = request.q.strip()[:MAX_QUERY_LENGTH]
    marked = query_text(words)
    tries = []
    if marked != words:
        tries.append(meili_params(request, text=marked, strategy="all"))
    tries.append(meili_params(request, text=words, strategy="all"))
    if len(words.split()) > 1:
        tries.append(meili_params(request, text=marked, strategy="last"))
    return tries


def meili_params(request: SearchRequest, *, text: str | None = None, strategy: str = "last") -> dict[str, Any]:
    """The JSON body of Meilisearch's POST /indexes/{uid}/search (shopper_client.py sends it as is)."""
    body: dict[str, Any] = {
        "q": query_text(request.q) if text is None else text,
        "facets": FACETS,
        "page": request.page,
        "hitsPerPage": request.per_page,
        "attributesToRetrieve": HIT_FIELDS,
        "attributesToHighlight": HIGHLIGHTED,
        "attributesToCrop": CROPPED,
        "cropLength": CROP_WORDS,
        "cropMarker": "…",
        "highlightPreTag": MATCH_START,
        "highlightPostTag": MATCH_END,
        "matchingStrategy": strategy,
    }
    if clauses := filters(request):
        body["filter"] = clauses
    return body


def marked_html(marked: str) -> str:
    """Escape text whose matches are wrapped in the private markers, then turn the markers into <mark> tags."""
    return html.escape(marked).replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>")


def highlights(formatted: Mapping[str, Any]) -> dict[str, str]:
    """HTML-safe highlighted fields from Meilisearch's `_formatted`, only those with text."""
    return {name: marked_html(value) for name in HIGHLIGHTED if isinstance(value := formatted.get(name), str) and value}
