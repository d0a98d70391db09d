"""HTML form fields to the catalog's drafts, and their errors back to fields the page can mark, in its language.

Pydantic and the catalog speak English developer text ("Input should be less than or equal to 5"); a portal
page instead says, in Vietnamese or English, what is wrong with which field, next to it and in a summary at the
top whose links jump to the field. Messages are msgids keyed by pydantic's error type; numbers in them are
formatted by Babel for the page's locale.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from litestar.datastructures import FormMultiDict
from pydantic import ValidationError

from catalog import prices
from catalog.errors import CatalogError
from service.i18n import N_

PRICE_HELP = N_("Write the price in whole đồng, for example 95.000 or 95000 (dots between thousands).")
# pydantic error type → message (placeholders are the error's context, e.g. its bound).
BY_TYPE = {
    "missing": N_("This field is required."),
    "string_too_short": N_("Enter at least %(min_length)s characters."),
    "string_too_long": N_("Enter at most %(max_length)s characters."),
    "greater_than_equal": N_("Enter a value of at least %(ge)s."),
    "less_than_equal": N_("Enter a value of at most %(le)s."),
    "greater_than": N_("Enter a value above %(gt)s."),
    "less_than": N_("Enter a value below %(lt)s."),
    "int_parsing": N_("Enter a whole number."),
    "int_from_float": N_("Enter a whole number."),
    "float_parsing": N_("Enter a number."),
    "decimal_parsing": N_("Enter a number."),
    "date_parsing": N_("Enter a date."),
    "date_from_datetime_parsing": N_("Enter a date."),
    "date_from_datetime_inexact": N_("Enter a date."),
    "enum": N_("Choose one of the offered values."),
    "literal_error": N_("Choose one of the offered values."),
    "bool_parsing": N_("Choose yes or no."),
}
EMPTY = N_("This field cannot be empty.")
NOT_ACCEPTED = N_("This value is not accepted.")
# Catalog messages a user meets often, by their English wording (the catalog's words stay English for the API).
KNOWN = (
    (re.compile(r"cannot be empty$"), EMPTY),
    (re.compile(r"^version \d+ is out of date"), N_("Someone else saved a change first; reload and try again.")),
    (re.compile(r"^a changed plastic-bag policy needs"), N_("Say since when the new policy holds.")),
    (re.compile(r"^an account with e-mail .* already exists"), N_("An account with this e-mail already exists.")),
    (re.compile(r"^email must look like"), N_("Enter an e-mail address such as name@example.vn.")),
    (re.compile(r"^an OCOP certification needs ocop_stars"), N_("Choose the OCOP star rating (3 to 5).")),
    (re.compile(r"^evidence must be a PDF"), N_("The evidence must be a PDF, JPEG or PNG file.")),
    (re.compile(r"^an evidence file may be at most"), N_("The file is larger than 5 MB.")),
    (re.compile(r"^the file is empty"), N_("The file is empty.")),
    (re.compile(r"^a password needs at least"), N_("A password needs at least 10 characters.")),
    (re.compile(r"^the passwords differ"), N_("The two passwords differ.")),
    (re.compile(r"is not a whole number of đồng$"), N_("Write the price in whole đồng, e.g. 95.000.")),
    (re.compile(r"^valid_until must not be before"), N_("The end date must not be before the issue date.")),
    (re.compile(r"^no product matches"), N_("No published product matches; search again.")),
    (re.compile(r"^a GS1 company prefix has"), N_("A GS1 company prefix has 4 to 12 digits.")),
)
# What the summary calls each field (a field not named here is shown by its form name).
LABELS = {
    "name_vi": N_("Name (Vietnamese)"),
    "name_en": N_("Name (English)"),
    "description_vi": N_("Description (Vietnamese)"),
    "description_en": N_("Description (English)"),
    "legal_name": N_("Legal name"),
    "entity_type": N_("Legal form"),
    "name": N_("Name"),
    "store_type": N_("Kind of store"),
    "email": N_("E-mail"),
    "password": N_("Password"),
    "password_again": N_("Password again"),
    "price_vnd": N_("Price (đồng)"),
    "shelf": N_("Shelf"),
    "product_id": N_("Product"),
    "scheme_code": N_("Label"),
    "ocop_stars": N_("OCOP stars"),
    "issued_on": N_("Issued on"),
    "valid_until": N_("Valid until"),
    "evidence_url": N_("Evidence link"),
    "file": N_("Evidence file"),
    "bag_policy_since": N_("In effect since"),
    "version": N_("Version"),
    "reason": N_("Reason"),
    "commune": N_("Commune or ward (after the 2025 merger)"),
    "legacy_address": N_("Address as printed"),
    "gs1_prefixes_proposed": N_("GS1 company prefixes"),
    "prefixes": N_("GS1 company prefixes"),
}


@dataclass(frozen=True)
class FieldError:
    """A message for one form field (or for the whole form when `field` is None): a msgid and its values."""

    field: str | None
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    detail: str | None = None  # the catalog's own English words, kept when no message fits them


@dataclass(frozen=True)
class ShownError:
    """A FieldError in the page's language, ready for the template."""

    field: str | None
    label: str | None
    message: str
    detail: str | None


def value(form: FormMultiDict, name: str) -> str | None:
    """A submitted text field, or None when blank (so drafts apply their defaults)."""
    raw = form.get(name)
    if not isinstance(raw, str) or not raw.strip():
        return None
    return raw


def choice(form: FormMultiDict, name: str) -> bool | None:
    """A yes / no / unknown select."""
    return {"yes": True, "no": False}.get(str(form.get(name, "")))


def price(form: FormMultiDict, name: str = "price_vnd") -> int | None:
    """A typed price read as the CSV import reads it ("95.000" is 95 000 đồng); blank is no price."""
    raw = value(form, name)
    return None if raw is None else prices.parse_vnd(raw)


def errors_of(exc: ValidationError | CatalogError) -> list[FieldError]:
    """The fields at fault, each with a message the page can translate."""
    if isinstance(exc, prices.InvalidPrice):
        return [FieldError(exc.field, PRICE_HELP)]
    if isinstance(exc, CatalogError):
        return [catalog_error(exc.field, str(exc))]
    found = []
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]) or None
        kind, context = error["type"], dict(error.get("ctx") or {})
        if kind == "string_too_short" and context.get("min_length") == 1:
            found.append(FieldError(name, EMPTY))
        elif kind in BY_TYPE:
            found.append(FieldError(name, BY_TYPE[kind], context))
        else:
            found.append(catalog_error(name, error["msg"].removeprefix("Value error, ")))
    return found


def catalog_error(name: str | None, text: str) -> FieldError:
    """A catalog (or validator) message: a known one translated, any other kept as detail under a general message."""
    for pattern, message in KNOWN:
        if pattern.search(text):
            return FieldError(name, message)
    return FieldError(name, NOT_ACCEPTED, detail=text)


def shown(errors: list[FieldError], gettext: Any, locale: str) -> list[ShownError]:
    """Errors in the page's language; numbers in them as the locale writes them (100.000 / 100,000)."""

    def local(value: object) -> object:
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return format_decimal(value, locale=locale)
        return value.isoformat() if isinstance(value, date) else value

    result = []
    for error in errors:
        params = {key: local(value) for key, value in error.params.items()}
        label = LABELS.get(error.field or "")
        result.append(
            ShownError(
                field=error.field,
                label=gettext(label) if label else error.field,
                message=gettext(error.message) % params if params else gettext(error.message),
                detail=error.detail,
            )
        )
    return result


def fields(form: FormMultiDict, names: tuple[str, ...]) -> dict[str, Any]:
    """The named text fields that were filled in."""
    return {name: text for name in names if (text := value(form, name)) is not None}
