"""Diacritic signature tokens: how exact Vietnamese spelling ranks first in an engine that folds marks away.

Meilisearch 1.21 folds Vietnamese marks and đ itself, so `nuoc mam` already finds `nước mắm` — but `mắm` and
`mầm` become the same word and rank alike. Documents therefore carry, for each marked word of the name, one
extra ASCII token spelling its marks in Telex (`mắm` → `vnmawms`, `đước` → `vndduwowcs`), and a query with marks
appends the same tokens. With Meilisearch's "last" matching strategy, a name spelled exactly as typed matches
more query words and ranks first; a name that only matches after folding is still found, just lower.
"""

import re
import unicodedata

# The prefix keeps tokens from colliding with real words ("cá" → "cas" alone would match "cas" in English text).
PREFIX = "vn"
_WORDS = re.compile(r"\w+")
_TONES = {"\u0301": "s", "\u0300": "f", "\u0309": "r", "\u0303": "x", "\u0323": "j"}
_CIRCUMFLEX = "\u0302"
_BREVE_OR_HORN = {"\u0306", "\u031b"}


def _telex(word: str) -> str | None:
    """The Telex spelling of one lower-case word, or None when it carries no Vietnamese marks."""
    letters: list[str] = []
    tones: list[str] = []
    marked = False
    for ch in unicodedata.normalize("NFD", word):
        if ch == "đ":
            letters.append("dd")
            marked = True
        elif ch == _CIRCUMFLEX and letters:
            letters.append(letters[-1][-1])
            marked = True
        elif ch in _BREVE_OR_HORN:
            letters.append("w")
            marked = True
        elif ch in _TONES:
            tones.append(_TONES[ch])
            marked = True
        elif not unicodedata.combining(ch):
            letters.append(ch)
    return "".join(letters) + "".join(tones) if marked else None


def signature_tokens(text: str) -> list[str]:
    """One token per marked word, in order, without repeats."""
    tokens: list[str] = []
    for word in _WORDS.findall(unicodedata.normalize("NFC", text).lower()):
        telex = _telex(word)
        if telex is not None and f"{PREFIX}{telex}" not in tokens:
            tokens.append(f"{PREFIX}{telex}")
    return tokens
