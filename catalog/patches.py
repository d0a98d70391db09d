"""Partial updates: a patch takes its fields from the record's base, so a bound cannot hold on one and not the other.

Each record (product, store, producer, listing) has one base class with every field, its bounds and its normaliser;
the table and the draft derive from it, and the patch is made from it by `optional`: the same fields, each one
optional and unset unless the client sends it. Sending null for a field the record cannot do without is refused
by the record's `patch` function, not here, so it answers with the field's name.
"""

from collections.abc import Collection
from typing import Annotated, Any

from pydantic import Field as PydanticField
from pydantic import create_model
from sqlmodel import Field, SQLModel

from catalog.columns import MAX_ID


def optional(base: type[SQLModel], *, omit: Collection[str] = ()) -> type[SQLModel]:
    """`base`'s fields but `omit`, each optional and unset by default, with the same bounds, normalisers and
    descriptions (for the schema); subclass it to name the patch."""
    unknown = set(omit) - set(base.model_fields)
    if unknown:
        raise ValueError(f"{base.__name__} has no fields {sorted(unknown)}")
    fields: dict[str, Any] = {}
    for name, info in base.model_fields.items():
        if name in omit:
            continue
        # Bounds and normalisers travel in the metadata; they apply to the value when one is sent.
        annotation: Any = info.annotation | None
        if info.metadata:
            annotation = Annotated[annotation, *info.metadata]
        fields[name] = (
            annotation,
            PydanticField(default=None, description=info.description, json_schema_extra=info.json_schema_extra),
        )
    return create_model(f"Optional{base.__name__}", __base__=SQLModel, __module__=base.__module__, **fields)


class Versioned(SQLModel):
    """A patch names the version it was made on: of two people editing at once, the second is told, not overwritten."""

    version: int = Field(ge=1, le=MAX_ID)

    def changes(self) -> dict[str, Any]:
        """Only the fields the client actually sent, without the version."""
        return self.model_dump(exclude_unset=True, exclude={"version"})
