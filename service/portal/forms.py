"""HTML form fields to the catalog's drafts, and their errors back to fields the page can mark."""

from dataclasses import dataclass
from typing import Any

from litestar.datastructures import FormMultiDict
from pydantic import ValidationError

from catalog import prices
from catalog.errors import CatalogError
from service.i18n import N_

PRICE_HELP = N_("Write the price in whole đồng, for example 95.000 or 95000 (dots between thousands).")


@dataclass(frozen=True)
class FieldError:
    """A message for one form field (or for the whole form when `field` is None)."""

    field: str | None
    message: str
    # True when `message` is a fixed msgid (no user data in it) that the page translates.
    translate: bool = False


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
    """The fields at fault, in the words the catalog or pydantic used."""
    if isinstance(exc, prices.InvalidPrice):
        return [FieldError(exc.field, PRICE_HELP, translate=True)]
    if isinstance(exc, CatalogError):
        return [FieldError(exc.field, str(exc))]
    return [
        FieldError(".".join(str(part) for part in error["loc"]) or None, error["msg"].removeprefix("Value error, "))
        for error in exc.errors()
    ]


def fields(form: FormMultiDict, names: tuple[str, ...]) -> dict[str, Any]:
    """The named text fields that were filled in."""
    return {name: text for name in names if (text := value(form, name)) is not None}
