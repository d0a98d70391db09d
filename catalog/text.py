"""Text rules shared by every input path: NFC normalisation, Vietnamese folding and slugs."""

import re
import unicodedata
from typing import Annotated

from pydantic import BeforeValidator

_SPACES = re.compile(r"\s+")
_NON_SLUG = re.compile(r"[^a-z0-9]+")
# Decomposition does not split đ/Đ into d + mark, so they are mapped by hand before marks are dropped.
_UNSTORABLE = frozenset({"Cc", "Cs"})
_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def clean(value: str) -> str:
    """NFC-normalise, trim and collapse inner white space, as all text is stored.

    Control characters (NUL, escape…) and lone surrogates are dropped: nobody types them into a name, PostgreSQL
    cannot store NUL or a lone surrogate, and they would reach shoppers' screens and printed tags.
    """
    spaced = _SPACES.sub(" ", unicodedata.normalize("NFC", value))
    return "".join(ch for ch in spaced if unicodedata.category(ch) not in _UNSTORABLE).strip()


def clean_optional(value: str | None) -> str | None:
    """Like `clean`, but blank input means 'no value'."""
    if value is None:
        return None
    cleaned = clean(value)
    return cleaned or None


def clean_input(value: object) -> object:
    """`clean_optional` for whatever an input field receives: strings are cleaned, anything else is left to its type."""
    return clean_optional(value) if isinstance(value, str) else value


# Input text as every draft, patch and table field takes it: cleaned before its bounds are checked. The cleaner
# wraps the whole field, so blank input for an optional field is "no value" rather than an error.
Text = Annotated[str, BeforeValidator(clean_input)]
OptionalText = Annotated[str | None, BeforeValidator(clean_input)]


def fold(value: str) -> str:
    """Lower-case and strip Vietnamese diacritics so 'Đầm Dơi' matches 'dam doi'."""
    decomposed = unicodedata.normalize("NFD", value.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower()).strip()


def slugify(value: str, max_length: int = 80) -> str:
    """URL slug from a Vietnamese name: folded, ASCII, hyphen-separated."""
    slug = _NON_SLUG.sub("-", fold(value)).strip("-")
    return slug[:max_length].rstrip("-") or "item"
