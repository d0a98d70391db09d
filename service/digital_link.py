"""GS1 Digital Link URIs for products: a strict parser for /01/{gtin} and the linkset a resolver answers with.

GS1's syntax (Digital Link standard 1.4, URI syntax section) is the floor; on top of it this resolver refuses what a
lenient parser such as biip quietly accepts: qualifiers out of order or repeated, a trailing slash, a repeated query
attribute, or an attribute that belongs in the path. biip supplies the Application Identifier table and each AI's
format check.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import unquote_to_bytes

from biip import ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_element_strings import GS1ElementString

from catalog import gtin as gtins
from catalog.errors import CatalogError
from catalog.products import Product

GTIN = "01"
# The key qualifiers of a GTIN this resolver serves, in the only order GS1 allows them.
QUALIFIERS = {"22": "cpv", "10": "lot", "21": "serial"}
# GS1's other primary keys and key qualifiers: never a data attribute of a product link.
PRIMARY_KEYS = frozenset(
    {
        *("00", "01", "253", "255", "401", "402", "414", "415", "417"),
        *("8003", "8004", "8006", "8010", "8013", "8017", "8018"),
    }
)
OTHER_QUALIFIERS = frozenset({"235", "254", "7040", "8011", "8019", "8020"})
# AI 8200 (a product URL) is a GS1 AI but not a Digital Link data attribute: the URI itself is the product's URL.
NOT_ATTRIBUTES = frozenset({"8200"})
# GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1).
CSET_82 = frozenset("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")
LINKSET_MEDIA_TYPE = "application/linkset+json"
GS1_VOC = "https://gs1.org/voc/"
LINK_TYPES = ("pip", "certificationInfo", "sustainabilityInfo", "defaultLink")
_AI_DIGITS = re.compile(r"\d{2,4}")
# The characters a URI may carry unescaped (RFC 3986), as GS1's own parser checks first.
_URI_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")


class InvalidDigitalLink(CatalogError):
    """A Digital Link URI that breaks GS1's syntax or this resolver's stricter rules."""


@dataclass(frozen=True)
class DigitalLink:
    """A parsed product Digital Link: the GTIN-14, its key qualifiers and query attributes, decoded."""

    gtin: str
    qualifiers: dict[str, str]
    attributes: dict[str, str]
    parameters: dict[str, str]
    short_gtin: bool
    raw_qualifiers: str
    raw_query: str

    @property
    def path(self) -> str:
        """The canonical path: GTIN-14, then the qualifiers exactly as they were sent."""
        return f"/{GTIN}/{self.gtin}{self.raw_qualifiers}"

    @property
    def canonical_target(self) -> str:
        """Path and query with the GTIN padded to 14 digits, everything else kept byte for byte."""
        return f"{self.path}?{self.raw_query}" if self.raw_query else self.path


def parse(path: str, query: str = "") -> DigitalLink:
    """Parse the raw (still percent-encoded) path and query of a product Digital Link, or say what is wrong."""
    if not _URI_CHARACTERS.fullmatch(path + query):
        raise InvalidDigitalLink(
            "the URI contains characters that must be percent-encoded (spaces, quotes, non-ASCII letters…)",
            field="path",
        )
    if not path.startswith(f"/{GTIN}/"):
        raise InvalidDigitalLink(f"a product Digital Link starts with /{GTIN}/{{gtin}}, got {path!r}", field="path")
    if path.endswith("/"):
        raise InvalidDigitalLink("the path ends with a slash; remove the trailing '/'", field="path")
    segments = path[1:].split("/")
    if "" in segments:
        raise InvalidDigitalLink("the path has an empty segment ('//')", field="path")
    if len(segments) % 2:
        raise InvalidDigitalLink(f"AI {segments[-1]} in the path has no value after it", field="path")
    raw_gtin = segments[1]
    gtin14 = gtins.to_gtin14(_decode(raw_gtin, "gtin", plus_is_space=False))
    qualifiers: dict[str, str] = {}
    order = list(QUALIFIERS)
    last = -1
    for ai, raw_value in zip(segments[2::2], segments[3::2], strict=True):
        _check_path_ai(ai)
        name = QUALIFIERS[ai]
        position = order.index(ai)
        if ai in qualifiers:
            raise InvalidDigitalLink(f"key qualifier {ai} ({name}) appears twice in the path", field=name)
        if position < last:
            later = order[last]
            raise InvalidDigitalLink(
                f"key qualifiers are out of order: {ai} ({name}) must come before {later} ({QUALIFIERS[later]}); "
                "the order is /22/ (cpv), /10/ (lot), /21/ (serial)",
                field=name,
            )
        last = position
        qualifiers[ai] = _checked_value(ai, _decode(raw_value, name, plus_is_space=False), name)
    attributes, parameters = _parse_query(query, qualifiers)
    return DigitalLink(
        gtin=gtin14,
        qualifiers=qualifiers,
        attributes=attributes,
        parameters=parameters,
        short_gtin=len(raw_gtin) != 14,
        raw_qualifiers=path[len(f"/{GTIN}/{raw_gtin}") :],
        raw_query=query,
    )


def is_published(link: DigitalLink) -> bool:
    """Restricted-circulation numbers (in-store, in-company) and all-zero GTINs never resolve publicly."""
    return gtins.is_publishable(link.gtin)


def product_links(product: Product, base_url: str, on: date) -> dict[str, list[dict[str, Any]]]:
    """The typed links of a product, keyed by GS1 link type (full gs1:voc URIs), as RFC 9264 target objects."""
    page = f"{base_url}/p/{product.slug}"
    names = {"vi": product.name_vi, "en": product.name_en or product.name_vi}

    def in_languages(fragment: str) -> list[dict[str, Any]]:
        return [
            {"href": f"{page}?lang={lang}{fragment}", "title": names[lang], "type": "text/html", "hreflang": [lang]}
            for lang in ("vi", "en")
        ]

    api = {"href": f"{base_url}/api/v1/products/{product.id}", "type": "application/json", "title": names["en"]}
    evidence = [
        {"href": cert.evidence_url, "title": cert.scheme.name_en, "hreflang": ["en"]}
        for cert in product.valid_labels(on)
        if cert.evidence_url
    ]
    return {
        f"{GS1_VOC}pip": in_languages(""),
        f"{GS1_VOC}certificationInfo": [*in_languages("#labels"), api, *evidence],
        f"{GS1_VOC}sustainabilityInfo": [*in_languages("#packaging"), api],
        f"{GS1_VOC}defaultLink": [{"href": page, "title": names["vi"], "type": "text/html"}],
    }


def linkset(link: DigitalLink, product: Product, base_url: str, on: date) -> dict[str, Any]:
    """The RFC 9264 JSON linkset a GS1 resolver answers for `?linkType=all`."""
    return {"linkset": [{"anchor": f"{base_url}{link.path}", **product_links(product, base_url, on)}]}


def target(link: DigitalLink, product: Product, base_url: str, on: date) -> str:
    """Where a browser goes: the link of the requested `linkType`, or the default link."""
    links = product_links(product, base_url, on)
    wanted = link.parameters.get("linkType", "")
    for prefix in ("gs1:", GS1_VOC):
        wanted = wanted.removeprefix(prefix)
    chosen = links.get(f"{GS1_VOC}{wanted}") if wanted in LINK_TYPES else None
    return str((chosen or links[f"{GS1_VOC}defaultLink"])[0]["href"])


def _check_path_ai(ai: str) -> None:
    if ai in QUALIFIERS:
        return
    if ai == GTIN:
        raise InvalidDigitalLink("the GTIN (AI 01) appears twice in the path", field="path")
    if ai in OTHER_QUALIFIERS:
        raise InvalidDigitalLink(
            f"AI {ai} is not a key qualifier this resolver serves; use /22/ (cpv), /10/ (lot) or /21/ (serial)",
            field="path",
        )
    if _application_identifier(ai) is None:
        raise InvalidDigitalLink(f"{ai!r} in the path is not a GS1 Application Identifier", field="path")
    raise InvalidDigitalLink(
        f"AI {ai} is not a key qualifier of a GTIN; send it as a query attribute (?{ai}=…)", field="path"
    )


def _parse_query(query: str, qualifiers: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    attributes: dict[str, str] = {}
    parameters: dict[str, str] = {}
    seen: set[str] = set()
    # GS1 tolerates stray '&' separators and value-less parameters; so do we.
    for piece in filter(None, query.split("&")):
        raw_key, has_value, raw_value = piece.partition("=")
        key = _decode(raw_key, "query", plus_is_space=True)
        if key in seen:
            raise InvalidDigitalLink(f"query attribute {key!r} appears more than once", field=key)
        seen.add(key)
        if not key.isdigit():
            parameters[key] = _decode(raw_value, key, plus_is_space=True) if has_value else ""
            continue
        if not has_value:
            continue
        if key == GTIN:
            raise InvalidDigitalLink("AI 01 (GTIN) is already in the path; it cannot repeat as an attribute", key)
        if key in QUALIFIERS:
            where = "is already in the path" if key in qualifiers else "belongs in the path"
            raise InvalidDigitalLink(
                f"AI {key} ({QUALIFIERS[key]}) {where}: key qualifiers go in the path as /{key}/{{value}}, "
                "in the order /22/, /10/, /21/",
                field=key,
            )
        if key in PRIMARY_KEYS or key in OTHER_QUALIFIERS or key in NOT_ATTRIBUTES:
            raise InvalidDigitalLink(f"AI {key} is not a data attribute of a GTIN", field=key)
        if _application_identifier(key) is None:
            raise InvalidDigitalLink(f"query parameter {key!r} is all digits but not a GS1 Application Identifier", key)
        if not raw_value:
            raise InvalidDigitalLink(f"AI {key} has an empty value", field=key)
        attributes[key] = _checked_value(key, _decode(raw_value, key, plus_is_space=True), key)
    return attributes, parameters


def _decode(raw: str, field: str, *, plus_is_space: bool) -> str:
    # '+' means a space only in the query (HTML form encoding); in the path it is a literal plus, as in GS1's vectors.
    data = unquote_to_bytes(raw.replace("+", " ") if plus_is_space else raw)
    if b"\x00" in data:
        raise InvalidDigitalLink(f"{field} contains an encoded NUL character (%00)", field=field)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidDigitalLink(f"{field} is not valid UTF-8 once percent-decoded", field=field) from exc


def _checked_value(ai: str, value: str, field: str) -> str:
    bad = sorted({ch for ch in value if ch not in CSET_82})
    if bad:
        shown = ", ".join(repr(ch) for ch in bad)
        raise InvalidDigitalLink(
            f"the value of AI {ai} contains {shown}, outside GS1's AI character set 82 "
            "(letters A–Z a–z, digits and !\"%&'()*+,-./:;<=>?_)",
            field=field,
        )
    identifier = _application_identifier(ai)
    assert identifier is not None
    try:
        GS1ElementString.parse(f"{ai}{value}")
    except ParseError as exc:
        raise InvalidDigitalLink(
            f"the value {value!r} of AI {ai} ({identifier.data_title}) does not match its GS1 format "
            f"{identifier.format}",
            field=field,
        ) from exc
    return value


def _application_identifier(key: str) -> GS1ApplicationIdentifier | None:
    if not _AI_DIGITS.fullmatch(key):
        return None
    try:
        identifier = GS1ApplicationIdentifier.extract(key)
    except ParseError:
        return None
    # extract() reads an AI off the front of an element string ("999" → AI 99), so only an exact match counts.
    return identifier if identifier.ai == key else None
