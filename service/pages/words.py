"""Shopper words for the catalog's codes; each is an English msgid translated where the page's language is known."""

from catalog import guides
from catalog.labels import SchemeKind
from catalog.packaging import PackagingRole
from catalog.producers import EntityType
from catalog.stores import StoreType
from catalog.summary import PackagingVerdict, Verdict
from service import reasons
from service.i18n import N_

ENTITY_TYPES = {
    EntityType.COMPANY: N_("Company"),
    EntityType.COOPERATIVE: N_("Cooperative"),
    EntityType.COOPERATIVE_GROUP: N_("Cooperative group"),
    EntityType.HOUSEHOLD_BUSINESS: N_("Household business"),
    EntityType.PRODUCTION_UNIT: N_("Production unit"),
    EntityType.BRANCH: N_("Branch of a company"),
}
STORE_TYPES = {
    StoreType.SUPERMARKET: N_("Supermarket"),
    StoreType.COMMERCIAL_CENTRE: N_("Shopping centre"),
    StoreType.CONVENIENCE_STORE: N_("Convenience store"),
    StoreType.OCOP_SHOP: N_("OCOP shop"),
    StoreType.MARKET: N_("Market"),
}
PACKAGING_ROLES = {
    PackagingRole.PRIMARY: N_("Pack"),
    PackagingRole.CLOSURE: N_("Closure"),
    PackagingRole.SECONDARY: N_("Outer pack"),
    PackagingRole.CUSHIONING: N_("Cushioning"),
}
# Why an alternative is greener: worded once, with the API's sentences, in service/reasons.py.
REASONS = reasons.PHRASES
# The summary's plain verdict on the greenness score (catalog.summary.VERDICT_FLOORS).
VERDICTS = {
    Verdict.STRONG: N_("Strong green record"),
    Verdict.GOOD: N_("Good green points"),
    Verdict.SOME: N_("A little green"),
    Verdict.NONE: N_("No verified green points"),
}
PACKAGING_VERDICTS = {
    PackagingVerdict.PLASTIC_FREE: N_("Pack: plastic-free"),
    PackagingVerdict.HARD_TO_DEGRADE_PLASTIC: N_("Pack: contains hard-to-degrade plastic"),
    PackagingVerdict.OTHER_PLASTIC: N_("Pack: contains plastic, none of it hard to degrade"),
    PackagingVerdict.NOT_DECLARED: N_("Pack: not declared, so unknown"),
    PackagingVerdict.REUSABLE_ITEM: N_("Reusable product"),
    PackagingVerdict.COMPOSTABLE_ITEM: N_("Certified compostable product"),
    PackagingVerdict.SINGLE_USE_PLASTIC_ITEM: N_("Single-use hard-to-degrade plastic (Decree 08/2022)"),
}
# What kind of assurance a scheme gives, as a label guide says it.
SCHEME_KINDS = {
    SchemeKind.GOVERNMENT_RATING: N_("Government quality and local-product rating (not environmental)"),
    SchemeKind.TYPE_I_ECOLABEL: N_("Type I ecolabel (third-party, life-cycle criteria)"),
    SchemeKind.GAP: N_("Good agricultural practice certification"),
    SchemeKind.ORGANIC: N_("Organic certification"),
    SchemeKind.THIRD_PARTY_SUSTAINABILITY: N_("Third-party sustainability certification"),
    SchemeKind.THIRD_PARTY_SOCIAL: N_("Third-party social certification (not environmental)"),
    SchemeKind.GEOGRAPHICAL_INDICATION: N_("Intellectual-property mark (origin, not environmental)"),
    SchemeKind.ENERGY_LABEL: N_("Energy-efficiency label"),
    SchemeKind.MANAGEMENT_SYSTEM: N_("Management-system certificate (food safety, not environmental)"),
    SchemeKind.SELF_DECLARED: N_("The producer's own claim: not a certification"),
}
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


# A scheme's short names are shared with the printed shelf tags, so they live beside the guide texts.
short_label = guides.short_label
scheme_short = guides.short_name


def guide_path(code: str) -> str:
    """Where a scheme's guide lives; every chip and certificate links here."""
    return f"/labels/{code.lower()}"
