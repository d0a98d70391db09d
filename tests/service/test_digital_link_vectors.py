"""GS1's own Digital Link test vectors, re-expressed for our parser.

Source: GS1 Barcode Syntax Engine, https://github.com/gs1/gs1-syntax-engine, file `src/c-lib/dl.c`
(commit 02539aecd42819679326a4cd82189bb8119f7628), Copyright (c) 2021-2025 GS1 AISBL, Apache License 2.0.
The vectors come from its unit tests `test_dl_parseDLuri`, `test_dl_generateDLuri` (the URIs it generates must
parse back) and `test_dl_testValidateDLpathAIseq` (the valid key-qualifier orders of AI 01).

Only vectors for our subset are kept: primary key 01 with key qualifiers 22, 10, 21 and query attributes. GS1's
expected AI data string (e.g. "^0112312312312333^10ABC") is re-expressed as the GTIN-14, qualifiers and attributes
we decode. Where our rules are stricter or our resolver differs, the vector says how in `adapted`:

- SHORT: GS1 accepts GTIN-8/12/13 in the path only with `permitZeroSuppressedGTINinDLuris`; we always accept them,
  pad to GTIN-14 and flag the link so the resolver redirects to the 14-digit form.
- SCOPE: GS1 accepts AI 235 (third-party controlled GTIN extension) as a key qualifier of 01; we only serve 22/10/21.
- KEY: GS1's vector uses another primary key (SSCC, AI 00, with a stem); the same rule is tested on AI 01 at the root.
- HOST: scheme, host and fragment are the HTTP server's business, not ours; only path and query reach the parser.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

from catalog.errors import CatalogError
from service import digital_link


@dataclass(frozen=True)
class Vector:
    """One GS1 test URI and what our parser must make of it."""

    uri: str
    gtin: str | None  # None: the URI must be refused
    qualifiers: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    short: bool = False
    refusal: str = ""  # words the refusal must contain
    adapted: str = ""


G = "12312312312333"
DEMO = "09520123456788"
VECTORS = [
    # test_dl_parseDLuri: plain GTIN and qualifiers
    Vector("https://a/01/12312312312333", G),
    Vector("https://xn--fsq.xn--0zwm56d/01/12312312312333", G, adapted="HOST"),
    Vector("https://a/01/2112345678900", "02112345678900", short=True, adapted="SHORT"),
    Vector("https://a/01/416000336108", "00416000336108", short=True, adapted="SHORT"),
    Vector("https://a/01/02345673", "00000002345673", short=True, adapted="SHORT"),
    Vector("https://a/01/12312312312333/22/TEST/10/ABC/21/XYZ", G, {"22": "TEST", "10": "ABC", "21": "XYZ"}),
    Vector("https://a/01/12312312312333/235/TEST", None, refusal="not a key qualifier", adapted="SCOPE"),
    Vector("https://a/01/12312312312333/", None, refusal="trailing", adapted="KEY"),
    Vector("https://a/01/12312312312333?", G, adapted="KEY"),
    # test_dl_parseDLuri: query attributes
    Vector("https://a/01/12312312312333?99=ABC&98=XYZ", G, attributes={"99": "ABC", "98": "XYZ"}),
    Vector("https://a/01/12312312312333?99=", None, refusal="empty value"),
    Vector("https://a/01/12312312312333?99=ABC&999=faux", None, refusal="not a GS1 Application Identifier"),
    Vector("https://a/01/12312312312333?&&&99=ABC&&&&&&98=XYZ&&&", G, attributes={"99": "ABC", "98": "XYZ"}),
    Vector("https://a/01/12312312312333?99=ABC&unknown=666&98=XYZ", G, attributes={"99": "ABC", "98": "XYZ"}),
    Vector("https://a/01/12312312312333?unknown=666&99=ABC&98=XYZ", G, attributes={"99": "ABC", "98": "XYZ"}),
    Vector("https://a/01/12312312312333?99=ABC&98=XYZ&unknown=666", G, attributes={"99": "ABC", "98": "XYZ"}),
    Vector(
        "https://a/01/12312312312333?unknown1=555&99=ABC&unknown2=666&98=XYZ&unknown3=777",
        G,
        attributes={"99": "ABC", "98": "XYZ"},
    ),
    Vector("https://a/01/12312312312333?99=ABC&singleton&98=XYZ", G, attributes={"99": "ABC", "98": "XYZ"}),
    Vector("https://a/01/12312312312333?singleton&99=ABC&98=XYZ", G, attributes={"99": "ABC", "98": "XYZ"}),
    Vector("https://a/01/12312312312333?99=ABC&98=XYZ&singleton", G, attributes={"99": "ABC", "98": "XYZ"}),
    Vector(
        "https://a/01/12312312312333?singleton1&99=ABC&singleton2&98=XYZ&singleton3",
        G,
        attributes={"99": "ABC", "98": "XYZ"},
    ),
    Vector(
        "https://a/01/12312312312333?singleton1&unknown1=555&99=ABC&singleton2&unknown2=6666&98=XYZ&unknown3=777"
        "&singleton3",
        G,
        attributes={"99": "ABC", "98": "XYZ"},
    ),
    # test_dl_parseDLuri: percent-encoding, and '+' in the path versus the query
    Vector(
        "https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ%2f987",
        G,
        {"22": "ABC-123"},
        {"99": "ABC", "98": "XYZ/987"},
    ),
    Vector(
        "https://a/01/12312312312333/22/ABC+123?99=ABC&98=XYZ%2f987",
        G,
        {"22": "ABC+123"},
        {"99": "ABC", "98": "XYZ/987"},
    ),
    Vector("https://a/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ+987", None, refusal="character set 82"),
    Vector(
        "https://a/01/12312312312333/22/test/10/abc/21/xyz#",
        G,
        {"22": "test", "10": "abc", "21": "xyz"},
        adapted="HOST",
    ),
    Vector(
        "https://a/01/12312312312333/22/test/10/abc/21/xyz#fragment",
        G,
        {"22": "test", "10": "abc", "21": "xyz"},
        adapted="HOST",
    ),
    # test_dl_parseDLuri: examples from the Digital Link standard
    Vector("https://id.gs1.org/01/09520123456788", DEMO),
    Vector("https://brand.example.com/01/9520123456788", DEMO, short=True, adapted="SHORT"),
    Vector("https://id.gs1.org/01/09520123456788/22/2A", DEMO, {"22": "2A"}),
    Vector("https://id.gs1.org/01/09520123456788/10/ABC123", DEMO, {"10": "ABC123"}),
    Vector("https://id.gs1.org/01/09520123456788/21/12345", DEMO, {"21": "12345"}),
    Vector(
        "https://id.gs1.org/01/09520123456788/10/ABC1/21/12345?17=180426",
        DEMO,
        {"10": "ABC1", "21": "12345"},
        {"17": "180426"},
    ),
    Vector("https://id.gs1.org/01/09520123456788?3103=000195", DEMO, attributes={"3103": "000195"}),
    Vector(
        "https://example.com/01/9520123456788?3103=000195&3922=0299&17=201225",
        DEMO,
        attributes={"3103": "000195", "3922": "0299", "17": "201225"},
        short=True,
        adapted="SHORT",
    ),
    Vector(
        "https://example.com/01/09520123456788?3103=000195&3922=0299&17=201225",
        DEMO,
        attributes={"3103": "000195", "3922": "0299", "17": "201225"},
    ),
    Vector(
        "https://id.gs1.org/01/09520123456788?17=201225&3103=000195&3922=0299",
        DEMO,
        attributes={"17": "201225", "3103": "000195", "3922": "0299"},
    ),
    Vector("https://example.com/01/09520123456788?10=ABC123", None, refusal="belongs in the path"),
    Vector(
        "https://id.gs1.org/01/09520123456788/235/XYZ?10=ABC123", None, refusal="not a key qualifier", adapted="SCOPE"
    ),
    Vector(
        "https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&01=09520123456788",
        None,
        refusal="already in the path",
    ),
    Vector("https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&10=ABC123", None, refusal="already in the path"),
    Vector("https://id.gs1.org/01/09520123456788/10/ABC123?99=XYZ789&99=XYZ789", None, refusal="more than once"),
    Vector("https://example.com/01/09520123456788/89/ABC123?99=XYZ", None, refusal="not a GS1 Application Identifier"),
    Vector("https://example.com/01/09520123456788?99=XYZ&89=ABC123", None, refusal="not a GS1 Application Identifier"),
    # test_dl_generateDLuri: URIs GS1 generates must parse back to the same data
    Vector("https://id.gs1.org/01/12312312312326/21/abc123", "12312312312326", {"21": "abc123"}),
    Vector(
        "https://example.com/01/12312312312326/22/ABC/10/DEF/21/GHI",
        "12312312312326",
        {"22": "ABC", "10": "DEF", "21": "GHI"},
    ),
    Vector(
        "https://example.com/01/12312312312326/22/ABC/10/DEF/21/GHI?95=INT",
        "12312312312326",
        {"22": "ABC", "10": "DEF", "21": "GHI"},
        {"95": "INT"},
    ),
    Vector(
        "https://example.com/01/12312312312333/10/ABC123/21/XYZ?99=XYZ", G, {"10": "ABC123", "21": "XYZ"}, {"99": "XYZ"}
    ),
    Vector(
        "https://example.com/01/12312312312333/10/ABC%2B123?99=XYZ%2BQWERTY", G, {"10": "ABC+123"}, {"99": "XYZ+QWERTY"}
    ),
    Vector(
        "https://example.com/01/12312312312326/10/ABC123?99=XYZ789",
        "12312312312326",
        {"10": "ABC123"},
        {"99": "XYZ789"},
    ),
]

# test_dl_testValidateDLpathAIseq: every valid order of 01's qualifiers 22, 10, 21.
VALID_ORDERS = [(), ("21",), ("10",), ("10", "21"), ("22",), ("22", "21"), ("22", "10"), ("22", "10", "21")]


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.uri.split("/", 3)[3][:60])
def test_gs1_digital_link_vector(vector: Vector) -> None:
    parts = urlsplit(vector.uri)
    if vector.gtin is None:
        with pytest.raises(CatalogError) as refused:
            digital_link.parse(parts.path, parts.query)
        assert vector.refusal in str(refused.value)
        return
    link = digital_link.parse(parts.path, parts.query)
    assert link.gtin == vector.gtin
    assert link.qualifiers == vector.qualifiers
    assert link.attributes == vector.attributes
    assert link.short_gtin is vector.short


def test_at_least_thirty_gs1_vectors_are_kept() -> None:
    assert len(VECTORS) >= 30


@pytest.mark.parametrize("order", VALID_ORDERS, ids=lambda o: "01 " + " ".join(o))
def test_gs1_valid_key_qualifier_order(order: tuple[str, ...]) -> None:
    path = "/01/" + G + "".join(f"/{ai}/X{ai}" for ai in order)
    assert list(digital_link.parse(path).qualifiers) == list(order)


@pytest.mark.parametrize(
    "order", [("21", "10"), ("10", "22"), ("21", "22"), ("21", "10", "22"), ("10", "10")], ids=" ".join
)
def test_any_other_key_qualifier_order_is_refused(order: tuple[str, ...]) -> None:
    path = "/01/" + G + "".join(f"/{ai}/X{ai}" for ai in order)
    with pytest.raises(CatalogError, match=r"out of order|twice"):
        digital_link.parse(path)
