"""Shopper words for the catalog's codes; each is an English msgid translated where the page's language is known."""

from catalog.packaging import PackagingRole
from catalog.producers import EntityType
from catalog.stores import StoreType
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
# Why an alternative is greener (catalog.greenness.Reason codes); labels and stars are worded in the template.
REASONS = {
    "plastic_free": N_("plastic-free pack"),
    "no_hard_to_degrade_plastic": N_("no hard-to-degrade plastic"),
    "reusable_packaging": N_("reusable or refillable pack"),
}
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def short_label(name: str) -> str:
    """A scheme's name without its explanation, short enough for a badge: 'ASC – Aquaculture…' → 'ASC'."""
    return name.split(" – ")[0].split(" (")[0].strip()
