"""Ids in paths and queries, bounded to what the database can hold (a larger one is "no such thing", not a 500)."""

from typing import Annotated

from litestar.params import PathParameter, QueryParameter

from catalog.columns import MAX_ID

# Out of range in a path answers 404 (service/errors.py); in a query, 400 naming the parameter.
PathId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]


def query_id(description: str | None = None) -> QueryParameter:
    """A query parameter holding an optional id: 1 … MAX_ID."""
    return QueryParameter(ge=1, le=MAX_ID, description=description)
