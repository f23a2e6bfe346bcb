"""Query parameters shared by the list routes."""

from typing import Annotated

from litestar.params import QueryParameter

from domain.ids import MAX_ID
from domain.task_query import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_QUERY_LENGTH
from interfaces.http.schemas.common import NO_NUL

# Bounds go into the document through schema_extra too: Litestar writes ge/le as floats,
# and 2**63 - 1 as a float is 2**63, a value the route refuses.
Limit = Annotated[
    int,
    QueryParameter(
        ge=1,
        le=MAX_PAGE_SIZE,
        description="Page size, 1..100 (default 20)",
        schema_extra={"minimum": 1, "maximum": MAX_PAGE_SIZE},
    ),
]
# Bounded so the value always fits the store's signed 64-bit arithmetic.
Offset = Annotated[
    int,
    QueryParameter(
        ge=0,
        le=MAX_ID,
        description="Items to skip (default 0)",
        schema_extra={"minimum": 0, "maximum": MAX_ID},
    ),
]
# Declared here too, so the OpenAPI document (and every client generator) knows the bound.
Search = Annotated[
    str | None,
    QueryParameter(
        max_length=MAX_QUERY_LENGTH,
        schema_extra={"pattern": NO_NUL},  # documented; the route checks it itself
        description=f"Case-insensitive title substring, at most {MAX_QUERY_LENGTH} characters",
    ),
]

DEFAULT_LIMIT = DEFAULT_PAGE_SIZE
