"""Query parameters, read strictly: the routes take the raw text and parse it here.

Litestar's own conversion is lax (``null`` reads as absent, ``1`` and ``True`` as true,
``1.0`` as 1), which the contract's "out of range or malformed: 400" forbids. Each
parameter is documented as what it really accepts, with exact integer bounds (Litestar
writes ``ge``/``le`` as floats, and 2**63 - 1 as a float is 2**63).
"""

import re
from enum import StrEnum
from typing import Annotated, Any, TypeVar

from litestar.openapi.spec import OpenAPIType
from litestar.params import QueryParameter

from domain.errors import InvalidInputError
from domain.ids import MAX_ID
from domain.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from domain.task import Priority
from domain.task_query import MAX_QUERY_LENGTH, TaskSort
from interfaces.http.cursors import MAX_LENGTH as CURSOR_MAX_LENGTH
from interfaces.http.schemas.common import NO_NUL

E = TypeVar("E", bound=StrEnum)

_INTEGER = re.compile(r"-?[0-9]+")


def _documented(description: str, **schema: Any) -> QueryParameter:
    return QueryParameter(description=description, schema_extra=schema)


def _enum(values: type[StrEnum]) -> dict[str, Any]:
    return {"type": OpenAPIType.STRING, "enum": [member.value for member in values]}


Raw = str | None
Limit = Annotated[
    Raw,
    _documented(
        f"Page size, 1..{MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE})",
        type=OpenAPIType.INTEGER,
        minimum=1,
        maximum=MAX_PAGE_SIZE,
        default=DEFAULT_PAGE_SIZE,
    ),
]
# Bounded so the value always fits the store's signed 64-bit arithmetic.
Offset = Annotated[
    Raw,
    _documented(
        "Items to skip (default 0)", type=OpenAPIType.INTEGER, minimum=0, maximum=MAX_ID, default=0
    ),
]
Cursor = Annotated[
    Raw,
    _documented(
        "Continue after the page whose `next_cursor` this is: same sort and filters, no"
        " `offset`; `limit` may change from page to page",
        type=OpenAPIType.STRING,
        max_length=CURSOR_MAX_LENGTH,
        pattern="^[A-Za-z0-9_-]+$",
    ),
]
Search = Annotated[
    Raw,
    _documented(
        f"Case-insensitive title substring, at most {MAX_QUERY_LENGTH} characters",
        type=OpenAPIType.STRING,
        max_length=MAX_QUERY_LENGTH,
        pattern=NO_NUL,
    ),
]
Completed = Annotated[
    Raw, _documented("Only done (true) or open (false) tasks", type=OpenAPIType.BOOLEAN)
]
CategoryFilter = Annotated[
    Raw, _documented("Only tasks in this category", type=OpenAPIType.INTEGER)
]
PriorityFilter = Annotated[Raw, _documented("Only tasks of this priority", **_enum(Priority))]
Sort = Annotated[
    Raw,
    _documented(
        "Sort order, `-` for descending; ties go by id the same way",
        **_enum(TaskSort),
        default=TaskSort.CREATED_AT_DESC.value,
    ),
]
Atomic = Annotated[
    Raw,
    _documented(
        "true: the first failing item fails the request; false: failures are reported by index",
        type=OpenAPIType.BOOLEAN,
        default=False,
    ),
]


_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


def boolean(field: str, raw: str | None) -> bool | None:
    """``true``/``false`` in any letter case, or ``1``/``0``; ``None`` when absent."""
    if raw is None:
        return None
    value = _BOOLEANS.get(raw.lower())
    if value is None:
        raise InvalidInputError.for_field(field, "must be true or false")
    return value


def integer(
    field: str, raw: str | None, low: int | None = None, high: int | None = None
) -> int | None:
    """A decimal integer within ``low..high``; ``None`` when absent."""
    if raw is None:
        return None
    try:
        number = int(raw) if _INTEGER.fullmatch(raw) else None
    except ValueError:  # past Python's digit limit for int()
        number = None
    if number is None or (low is not None and number < low) or (high is not None and number > high):
        bounds = f" from {low}" if low is not None else ""
        bounds += f" to {high}" if high is not None else ""
        raise InvalidInputError.for_field(field, f"must be an integer{bounds}")
    return number


def choice(field: str, raw: str | None, values: type[E]) -> E | None:
    """One of the enumeration's values; ``None`` when absent."""
    if raw is None:
        return None
    try:
        return values(raw)
    except ValueError:
        allowed = ", ".join(member.value for member in values)
        raise InvalidInputError.for_field(field, f"must be one of {allowed}") from None


def page(limit: str | None, offset: str | None) -> tuple[int, int]:
    """The window ``limit``/``offset`` name, defaults filled in."""
    size = integer("limit", limit, 1, MAX_PAGE_SIZE)
    skip = integer("offset", offset, 0, MAX_ID)
    return (DEFAULT_PAGE_SIZE if size is None else size, 0 if skip is None else skip)
