"""What makes one product greener than another: a small, published points rule over labels and packaging.

The score is deliberately simple so a shopper (or a producer disputing it) can recompute it by hand:

    score = Σ points of each distinct valid label scheme (by kind, table LABEL_POINTS)
          + OCOP stars − 2 for a valid OCOP rating (3★ → 1, 4★ → 2, 5★ → 3)
          + 2 if the pack is plastic-free
          − 1 if any component is hard-to-degrade plastic (Decree 08/2022), or if no packaging is declared
          + 1 if any component is reusable or refillable

Only certifications valid on the day count (verified, issued, unexpired); self-declared claims never do.
Packaging is declared by the producer. Unknown packaging is unknown, not plastic-free: it earns no point and no
reason, and scores as the worst declared pack, so a product that hides its pack never outranks one that
honestly lists a PP cap.
A product is greener than another when its score is strictly higher; the reasons name every part it wins on.
"""

from dataclasses import dataclass
from datetime import date

from catalog.labels import OCOP, SchemeKind
from catalog.products import Product

# Points per valid label, by what the label vouches for. Labels that say nothing about the environment
# (geographical indications, food-safety systems, social labels) earn none; OCOP is scored by its stars.
LABEL_POINTS: dict[SchemeKind, int] = {
    SchemeKind.TYPE_I_ECOLABEL: 3,
    SchemeKind.ORGANIC: 3,
    SchemeKind.THIRD_PARTY_SUSTAINABILITY: 2,
    SchemeKind.GAP: 2,
    SchemeKind.ENERGY_LABEL: 1,
}
OCOP_STAR_OFFSET = 2
PLASTIC_FREE_POINTS = 2
HARD_TO_DEGRADE_PLASTIC_POINTS = -1
REUSABLE_PACKAGING_POINTS = 1


@dataclass(frozen=True)
class GreenFacts:
    """The facts the score is computed from, so a search document can carry them too."""

    labels: frozenset[tuple[str, SchemeKind]] = frozenset()
    ocop_stars: int | None = None
    plastic_free: bool = False
    hard_to_degrade_plastic: bool = False
    reusable_packaging: bool = False
    packaging_known: bool = True


@dataclass(frozen=True)
class Reason:
    """One way an alternative beats the product it replaces: a code, plus the scheme or stars it concerns."""

    code: str  # "label", "ocop_stars", "plastic_free", "no_hard_to_degrade_plastic", "reusable_packaging"
    scheme: str | None = None
    stars: int | None = None


def facts(product: Product, on: date) -> GreenFacts:
    """The greenness facts of a product as they hold on `on`."""
    valid = [c for c in product.valid_labels(on) if not c.scheme.is_self_declared]
    return GreenFacts(
        labels=frozenset((c.scheme_code, c.scheme.kind) for c in valid if c.scheme_code != OCOP),
        ocop_stars=product.ocop_stars(on),
        plastic_free=product.is_plastic_free,
        hard_to_degrade_plastic=product.has_hard_to_degrade_plastic,
        reusable_packaging=any(c.reusable or c.refillable for c in product.judged_components),
        packaging_known=bool(product.packaging),
    )


def label_points(kind: SchemeKind) -> int:
    """Points one valid label of this kind earns."""
    return LABEL_POINTS.get(kind, 0)


def ocop_points(stars: int | None) -> int:
    """Points a valid OCOP rating earns: one per star above two."""
    return max(0, stars - OCOP_STAR_OFFSET) if stars else 0


def score(green: GreenFacts) -> int:
    """The greenness score; see the module docstring for the formula."""
    return (
        sum(label_points(kind) for _, kind in green.labels)
        + ocop_points(green.ocop_stars)
        + (PLASTIC_FREE_POINTS if green.plastic_free else 0)
        + (HARD_TO_DEGRADE_PLASTIC_POINTS if green.hard_to_degrade_plastic or not green.packaging_known else 0)
        + (REUSABLE_PACKAGING_POINTS if green.reusable_packaging else 0)
    )


def is_greener(candidate: GreenFacts, than: GreenFacts) -> bool:
    """True when `candidate` scores strictly higher."""
    return score(candidate) > score(than)


def reasons(candidate: GreenFacts, than: GreenFacts) -> list[Reason]:
    """Every part of the score where `candidate` does better than `than`, labels first."""
    theirs = {code for code, _ in than.labels}
    found = [
        Reason("label", scheme=code)
        for code, kind in sorted(candidate.labels)
        if code not in theirs and label_points(kind) > 0
    ]
    if ocop_points(candidate.ocop_stars) > ocop_points(than.ocop_stars):
        found.append(Reason("ocop_stars", scheme=OCOP, stars=candidate.ocop_stars))
    if candidate.plastic_free and not than.plastic_free:
        found.append(Reason("plastic_free"))
    if than.hard_to_degrade_plastic and candidate.packaging_known and not candidate.hard_to_degrade_plastic:
        found.append(Reason("no_hard_to_degrade_plastic"))
    if candidate.reusable_packaging and not than.reusable_packaging:
        found.append(Reason("reusable_packaging"))
    return found
