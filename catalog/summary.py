"""The five-second answer at the top of a product page: valid labels, the pack, and a plain verdict.

Built only on verified, valid data and on catalog.greenness's public rule, so the points shown are the points
alternatives are ranked by; whatever is unknown is said to be unknown (a pack nobody described is "not declared",
never plastic-free). A product that is itself a bag, box, straw or tableware is judged as that item.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from catalog import greenness
from catalog.labels import OCOP, SchemeKind
from catalog.products import Product


class PackagingVerdict(StrEnum):
    """What the pack is made of, in the one word a shopper needs."""

    PLASTIC_FREE = "plastic_free"
    HARD_TO_DEGRADE_PLASTIC = "hard_to_degrade_plastic"
    OTHER_PLASTIC = "other_plastic"  # plastic, but none of it hard to degrade under Decree 08/2022
    NOT_DECLARED = "not_declared"
    # The product is itself a bag, box, straw or tableware (catalog.products.Product.is_packaging_item).
    REUSABLE_ITEM = "reusable_item"
    COMPOSTABLE_ITEM = "compostable_item"
    SINGLE_USE_PLASTIC_ITEM = "single_use_plastic_item"


class Verdict(StrEnum):
    """A plain word for the greenness score; thresholds in VERDICT_FLOORS."""

    STRONG = "strong"
    GOOD = "good"
    SOME = "some"
    NONE = "none"


# Lowest score for each verdict, best first: one valid type-I ecolabel or organic label (3) plus a
# plastic-free pack (2) is "strong"; a single GAP label or a 4★ OCOP rating is "good".
VERDICT_FLOORS: tuple[tuple[int, Verdict], ...] = ((5, Verdict.STRONG), (2, Verdict.GOOD), (1, Verdict.SOME))


@dataclass(frozen=True)
class Chip:
    """One verified label valid today, with its grade (OCOP or other stars) and its last valid day."""

    scheme_code: str
    kind: SchemeKind
    stars: int | None
    valid_until: date | None


@dataclass(frozen=True)
class Point:
    """A good point or a concern: a code plus the scheme, stars or date it is about."""

    code: str
    scheme: str | None = None
    stars: int | None = None
    on: date | None = None


@dataclass(frozen=True)
class Summary:
    """Everything the summary section shows."""

    chips: list[Chip]
    packaging: PackagingVerdict
    score: int
    verdict: Verdict
    good: list[Point]
    concerns: list[Point]


def packaging_verdict(product: Product) -> PackagingVerdict:
    """Plastic-free, hard-to-degrade plastic, other plastic, or not declared (no components at all)."""
    if not product.packaging:
        return PackagingVerdict.NOT_DECLARED
    if product.is_packaging_item:
        if product.has_hard_to_degrade_plastic:
            return PackagingVerdict.SINGLE_USE_PLASTIC_ITEM
        if product.is_reusable_item:
            return PackagingVerdict.REUSABLE_ITEM
        if product.is_compostable_item:
            return PackagingVerdict.COMPOSTABLE_ITEM
    if product.has_hard_to_degrade_plastic:
        return PackagingVerdict.HARD_TO_DEGRADE_PLASTIC
    if product.is_plastic_free:
        return PackagingVerdict.PLASTIC_FREE
    return PackagingVerdict.OTHER_PLASTIC


def verdict_for(score: int) -> Verdict:
    """The plain word for a score."""
    return next((verdict for floor, verdict in VERDICT_FLOORS if score >= floor), Verdict.NONE)


def chips(product: Product, on: date) -> list[Chip]:
    """Verified labels valid on `on`, self-declared ones never; one chip per scheme, its best grade first."""
    best: dict[str, Chip] = {}
    for cert in product.valid_labels(on):
        if cert.scheme.is_self_declared:
            continue
        chip = Chip(cert.scheme_code, cert.scheme.kind, cert.ocop_stars or cert.stars, cert.valid_until)
        held = best.get(cert.scheme_code)
        if held is None or (chip.stars or 0, chip.valid_until or date.max) > (
            held.stars or 0,
            held.valid_until or date.max,
        ):
            best[cert.scheme_code] = chip
    # OCOP first (the province's own rating), then by the points the label earns, then by code.
    return sorted(best.values(), key=lambda c: (c.scheme_code != OCOP, -greenness.label_points(c.kind), c.scheme_code))


def summarise(product: Product, on: date) -> Summary:
    """The summary of `product` as it stands on `on`."""
    facts = greenness.facts(product, on)
    pack = packaging_verdict(product)
    score = greenness.score(facts)
    shown = chips(product, on)
    good = [
        Point("label", scheme=code)
        for code, kind in sorted(facts.labels, key=lambda pair: (-greenness.label_points(pair[1]), pair[0]))
        if greenness.label_points(kind) > 0
    ]
    if greenness.ocop_points(facts.ocop_stars) > 0:
        good.append(Point("ocop_stars", scheme=OCOP, stars=facts.ocop_stars))
    if facts.plastic_free:
        good.append(Point("plastic_free"))
    if facts.reusable_packaging:
        good.append(Point("reusable_packaging"))
    concerns: list[Point] = []
    if pack is PackagingVerdict.NOT_DECLARED:
        concerns.append(Point("packaging_not_declared"))
    elif facts.hard_to_degrade_plastic:
        concerns.append(Point("hard_to_degrade_plastic"))
    held = {chip.scheme_code for chip in shown}
    for cert in sorted(product.certifications, key=lambda c: c.valid_until or date.min, reverse=True):
        if cert.is_expired_on(on) and cert.scheme_code not in held:
            held.add(cert.scheme_code)
            concerns.append(
                Point("expired", scheme=cert.scheme_code, stars=cert.ocop_stars or cert.stars, on=cert.valid_until)
            )
    if not shown:
        concerns.append(Point("no_valid_label"))
    return Summary(shown, pack, score, verdict_for(score), good, concerns)
