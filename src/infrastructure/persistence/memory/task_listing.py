"""A ``TaskQuery`` over plain task values: the same filters and order as the SQL query."""

from collections.abc import Iterable
from datetime import datetime

from domain.task import Task
from domain.task_query import TaskQuery, TaskSort
from domain.text import fold_case


def matches(task: Task, query: TaskQuery) -> bool:
    """Whether ``task`` passes every filter of ``query`` (they combine with AND)."""
    return (
        task.owner_id == query.owner_id
        and (query.completed is None or task.completed == query.completed)
        and (query.category_id is None or task.category_id == query.category_id)
        and (query.priority is None or task.priority == query.priority)
        # A plain substring test: `%` and `_` in `q` are literal, as in an escaped LIKE.
        and (query.q is None or fold_case(query.q) in fold_case(task.title))
    )


def ordered(tasks: Iterable[Task], sort: TaskSort) -> list[Task]:
    """``tasks`` in ``sort`` order, ties by id the same way, missing due dates last."""
    if sort.field == "due_at":
        dated = [t for t in tasks if t.due_at is not None]
        undated = [t for t in tasks if t.due_at is None]
        dated.sort(key=_due_key, reverse=sort.descending)
        undated.sort(key=lambda task: task.id, reverse=sort.descending)
        return dated + undated
    if sort.field == "title":
        return sorted(tasks, key=lambda t: (t.title, t.id), reverse=sort.descending)
    return sorted(tasks, key=lambda t: (t.created_at, t.id), reverse=sort.descending)


def _due_key(task: Task) -> tuple[datetime, int]:
    assert task.due_at is not None
    return task.due_at, task.id
