"""Query parameters shared by the list routes."""

from typing import Annotated

from litestar.params import QueryParameter

from domain.ids import MAX_ID
from domain.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from domain.task_query import MAX_QUERY_LENGTH

Limit = Annotated[
    int, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description="Page size, 1..100 (default 20)")
]
# Bounded so the value always fits the store's signed 64-bit arithmetic.
Offset = Annotated[int, QueryParameter(ge=0, le=MAX_ID, description="Items to skip (default 0)")]
# Declared here too, so the OpenAPI document (and every client generator) knows the bound.
Search = Annotated[
    str | None,
    QueryParameter(
        max_length=MAX_QUERY_LENGTH,
        description=f"Case-insensitive title substring, at most {MAX_QUERY_LENGTH} characters",
    ),
]

DEFAULT_LIMIT = DEFAULT_PAGE_SIZE
