"""Bounded page parameters and the paginated list shape every list endpoint answers with."""

from typing import Annotated, Generic, TypeVar

from litestar.params import QueryParameter
from pydantic import BaseModel

T = TypeVar("T")

MAX_PER_PAGE = 100

PageNumber = Annotated[int, QueryParameter(ge=1, le=100_000, description="Page number, from 1.")]
PerPage = Annotated[int, QueryParameter(ge=1, le=MAX_PER_PAGE, description=f"Items per page, 1 to {MAX_PER_PAGE}.")]


class Paginated(BaseModel, Generic[T]):
    """One page of a list: its items and where it sits in the whole."""

    items: list[T]
    total: int
    page: int
    per_page: int
