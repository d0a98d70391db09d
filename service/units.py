"""Net quantities in the page's language: measures through CLDR (Babel), counted things through plural gettext.

"30 túi" / "30 bags", "1 bag", "500 g", "1,8 L": the unit codes are those products carry (`net_quantity_unit`).
"""

from babel.numbers import format_decimal
from babel.support import NullTranslations
from babel.units import format_unit

# Measures CLDR knows: Babel writes them with the locale's own symbol and number format.
MEASURES = {
    "mg": "mass-milligram",
    "g": "mass-gram",
    "kg": "mass-kilogram",
    "ml": "volume-milliliter",
    "cl": "volume-centiliter",
    "l": "volume-liter",
}


def _plural_n(value: float) -> int:
    # gettext chooses a plural form by an integer; 1.5 of anything is plural in English.
    return int(value) if float(value).is_integer() else 2


def _counted(t: NullTranslations, unit: str, number: str, n: int) -> str | None:
    # Literal ngettext calls, one per unit, so that `make i18n-extract` finds every msgid and its plural.
    if unit == "bag":
        return t.ngettext("%(num)s bag", "%(num)s bags", n) % {"num": number}
    if unit == "box":
        return t.ngettext("%(num)s box", "%(num)s boxes", n) % {"num": number}
    if unit == "unit":
        return t.ngettext("%(num)s unit", "%(num)s units", n) % {"num": number}
    if unit == "piece":
        return t.ngettext("%(num)s piece", "%(num)s pieces", n) % {"num": number}
    if unit == "pair":
        return t.ngettext("%(num)s pair", "%(num)s pairs", n) % {"num": number}
    if unit == "roll":
        return t.ngettext("%(num)s roll", "%(num)s rolls", n) % {"num": number}
    if unit == "bottle":
        return t.ngettext("%(num)s bottle", "%(num)s bottles", n) % {"num": number}
    if unit == "jar":
        return t.ngettext("%(num)s jar", "%(num)s jars", n) % {"num": number}
    if unit == "pack":
        return t.ngettext("%(num)s pack", "%(num)s packs", n) % {"num": number}
    return None


def format_quantity(value: float, unit: str | None, *, locale: str, translations: NullTranslations) -> str:
    """A net quantity as the page's language says it; an unknown unit code is shown as given."""
    code = (unit or "").strip()
    measure = MEASURES.get(code.lower())
    if measure is not None:
        return format_unit(value, measure, length="short", locale=locale)
    number = format_decimal(value, locale=locale)
    counted = _counted(translations, code.lower(), number, _plural_n(value))
    if counted is not None:
        return counted
    return f"{number} {code}".strip()
