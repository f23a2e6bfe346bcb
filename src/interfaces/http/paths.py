"""Path ids: only a positive signed 64-bit integer can name a stored resource."""

from domain.errors import NotFoundError
from domain.ids import CategoryId, JobId, TaskId, is_storable_id


def task_id(value: int) -> TaskId:
    """The id as a ``TaskId``; 404 when it cannot name a task."""
    if not is_storable_id(value):
        raise NotFoundError("task not found")
    return TaskId(value)


def category_id(value: int) -> CategoryId:
    """The id as a ``CategoryId``; 404 when it cannot name a category."""
    if not is_storable_id(value):
        raise NotFoundError("category not found")
    return CategoryId(value)


def job_id(value: int) -> JobId:
    """The id as a ``JobId``; 404 when it cannot name a job."""
    if not is_storable_id(value):
        raise NotFoundError("job not found")
    return JobId(value)
