"""HTML form fields to the catalog's drafts, and their errors back to fields the page can mark."""

from dataclasses import dataclass
from typing import Any

from litestar.datastructures import FormMultiDict
from pydantic import ValidationError

from catalog.errors import CatalogError


@dataclass(frozen=True)
class FieldError:
    """A message for one form field (or for the whole form when `field` is None)."""

    field: str | None
    message: str


def value(form: FormMultiDict, name: str) -> str | None:
    """A submitted text field, or None when blank (so drafts apply their defaults)."""
    raw = form.get(name)
    if not isinstance(raw, str) or not raw.strip():
        return None
    return raw


def choice(form: FormMultiDict, name: str) -> bool | None:
    """A yes / no / unknown select."""
    return {"yes": True, "no": False}.get(str(form.get(name, "")))


def errors_of(exc: ValidationError | CatalogError) -> list[FieldError]:
    """The fields at fault, in the words the catalog or pydantic used."""
    if isinstance(exc, CatalogError):
        return [FieldError(exc.field, str(exc))]
    return [
        FieldError(".".join(str(part) for part in error["loc"]) or None, error["msg"].removeprefix("Value error, "))
        for error in exc.errors()
    ]


def fields(form: FormMultiDict, names: tuple[str, ...]) -> dict[str, Any]:
    """The named text fields that were filled in."""
    return {name: text for name in names if (text := value(form, name)) is not None}
