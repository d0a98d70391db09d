"""Languages: how a page's language is chosen, and catalogs that cover every message in Vietnamese."""

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from service.i18n import negotiate

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "service" / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def catalog(locale: str) -> Catalog:
    """A committed .po catalog."""
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=locale)


def msgid_key(message_id: str | tuple[str, ...]) -> str:
    """The singular msgid, for plural and singular messages alike."""
    return message_id[0] if isinstance(message_id, tuple) else message_id


def extracted_msgids() -> set[str]:
    """What `make i18n-extract` finds in the code and templates today."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    return {
        msgid_key(message)
        for _, _, message, _, _ in extract_from_dir(ROOT, method_map, options_map, keywords=keywords)
        if message
    }


@pytest.mark.parametrize(
    ("query", "cookie", "header", "expected"),
    [
        (None, None, None, "vi"),
        ("en", None, None, "en"),
        ("en", "vi", "vi", "en"),
        (None, "en", "vi", "en"),
        (None, None, "en-US,en;q=0.9", "en"),
        (None, None, "fr-FR,fr;q=0.9,en;q=0.5", "en"),
        (None, None, "en;q=0.2,vi;q=0.8", "vi"),
        (None, None, "fr, de", "vi"),
        ("de", "xx", "*", "vi"),
    ],
)
def test_language_comes_from_query_then_cookie_then_accept_language_then_default(
    query: str | None, cookie: str | None, header: str | None, expected: str
) -> None:
    assert negotiate(query, cookie, header, default="vi") == expected


def test_default_language_applies_when_the_visitor_states_none() -> None:
    assert negotiate(None, None, None, default="en") == "en"


def test_every_message_has_a_vietnamese_translation() -> None:
    untranslated = [
        msgid_key(m.id)
        for m in catalog("vi")
        if m.id and (m.fuzzy or not all(m.string if isinstance(m.string, tuple) else (m.string,)))
    ]
    assert untranslated == []


def test_catalogs_hold_exactly_the_messages_in_the_code_and_templates() -> None:
    wanted = extracted_msgids()
    for locale in ("vi", "en"):
        held = {msgid_key(m.id) for m in catalog(locale) if m.id}
        assert held == wanted, f"{locale}: run `make i18n-update` (missing {wanted - held}, stale {held - wanted})"


def test_translations_keep_every_placeholder() -> None:
    for message in catalog("vi"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        assert all(set(PLACEHOLDER.findall(s)) == expected for s in strings), message.id


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("vi;q=0, en", "en"),  # q=0: Vietnamese is not acceptable
        ("en;q=0, fr", "vi"),  # nothing acceptable that we have: the default
        ("EN-gb", "en"),  # case and territory do not matter
        ("en;level=1;q=0.4, vi;q=0.5", "vi"),  # the weight is read wherever it stands
        ("en;q=x, vi;q=0.1", "vi"),  # a weight that is no number is not acceptable
        ("en, vi", "en"),  # equal weights keep the visitor's order
    ],
)
def test_accept_language_weights_rank_the_languages_and_zero_refuses_one(header: str, expected: str) -> None:
    assert negotiate(None, None, header, default="vi") == expected
