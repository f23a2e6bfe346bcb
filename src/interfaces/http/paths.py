"""Path ids: only plain ASCII decimal digits naming a positive signed 64-bit integer can
name a stored resource.

Routes take ids as strings: Litestar's ``int`` converter calls ``int()``, which also reads
``+4``, ``04``, `` 4``, ``4\\n`` and other scripts' digits as 4.
"""

from typing import Annotated

from litestar.openapi.spec import OpenAPIType
from litestar.params import PathParameter

from domain.errors import NotFoundError
from domain.ids import MAX_ID, CategoryId, JobId, TaskId, is_storable_id

_MAX_DIGITS = len(str(MAX_ID))

PathId = Annotated[
    str,
    # Read as text, documented as what clients may send: a positive 64-bit integer.
    PathParameter(
        schema_extra={
            "type": OpenAPIType.INTEGER,
            "format": "int64",
            "minimum": 1,
            "maximum": MAX_ID,
        }
    ),
]


def plain_id(value: str) -> int | None:
    """The id ``value`` spells, or ``None`` unless it is written as plain ASCII digits
    without a leading zero, within the signed 64-bit range.
    """
    plain = value.isascii() and value.isdigit() and not value.startswith("0")
    if not plain or len(value) > _MAX_DIGITS:
        return None
    number = int(value)
    return number if is_storable_id(number) else None


def task_id(value: str) -> TaskId:
    """The id as a ``TaskId``; 404 when it cannot name a task."""
    if (number := plain_id(value)) is None:
        raise NotFoundError("task not found")
    return TaskId(number)


def category_id(value: str) -> CategoryId:
    """The id as a ``CategoryId``; 404 when it cannot name a category."""
    if (number := plain_id(value)) is None:
        raise NotFoundError("category not found")
    return CategoryId(number)


def job_id(value: str) -> JobId:
    """The id as a ``JobId``; 404 when it cannot name a job."""
    if (number := plain_id(value)) is None:
        raise NotFoundError("job not found")
    return JobId(number)
