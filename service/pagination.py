"""Bounded page parameters that the API and the pages both take; the page itself is `catalog.pagination.Paginated`."""

from typing import Annotated

from litestar.params import QueryParameter

MAX_PER_PAGE = 100

PageNumber = Annotated[int, QueryParameter(ge=1, le=100_000, description="Page number, from 1.")]
PerPage = Annotated[int, QueryParameter(ge=1, le=MAX_PER_PAGE, description=f"Items per page, 1 to {MAX_PER_PAGE}.")]
