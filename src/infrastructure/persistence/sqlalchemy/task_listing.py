"""The SELECT behind a task listing: owner scope, filters and the whitelisted sorts."""

import functools
from typing import Any

from sqlalchemy import ColumnElement, String, bindparam, func, select

from domain.task_query import TaskQuery, TaskSort
from domain.text import fold_case
from infrastructure.persistence.sqlalchemy import keyset
from infrastructure.persistence.sqlalchemy.paging import Listing
from infrastructure.persistence.sqlalchemy.records import tasks
from infrastructure.persistence.sqlalchemy.sqlite import FOLD_FUNCTION

_LIKE_ESCAPE = "\\"
_SORT_COLUMNS = {
    TaskSort.CREATED_AT.field: tasks.c.created_at,
    TaskSort.DUE_AT.field: tasks.c.due_at,
    TaskSort.TITLE.field: tasks.c.title,
}


def contains_pattern(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its wildcards taken literally."""
    escaped = text.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2).replace("%", r"\%").replace("_", r"\_")
    return f"%{escaped}%"


def _folded_title(dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        # SQLite's lower() folds ASCII only: use the domain's rule, registered per connection.
        folded: ColumnElement[Any] = getattr(func, FOLD_FUNCTION)(tasks.c.title)
        return folded
    # On PostgreSQL titles use the "C" collation (byte order, as SQLite sorts), under
    # which lower() folds ASCII only; the database's own collation folds all of Unicode.
    return func.lower(tasks.c.title.collate("default"))


def _order(sort: TaskSort) -> list[ColumnElement[Any]]:
    column = _SORT_COLUMNS[sort.field]
    keys: list[ColumnElement[Any]] = []
    if sort.field == TaskSort.DUE_AT.field:
        # false sorts before true on both backends: tasks without a due date go last
        # whichever way the dates run.
        keys.append(tasks.c.due_at.is_(None).asc())
    if sort.descending:
        return [*keys, column.desc(), tasks.c.id.desc()]
    return [*keys, column.asc(), tasks.c.id.asc()]


def task_listing(query: TaskQuery, *, dialect: str) -> tuple[Listing, dict[str, Any]]:
    """The ordered, unpaged statement for the query's filters (built once per
    combination of filters and sort), and the values it binds by name.
    """
    values: dict[str, Any] = {"owner_id": query.owner_id}
    if query.completed is not None:
        values["completed"] = query.completed
    if query.category_id is not None:
        values["category_id"] = query.category_id
    if query.priority is not None:
        values["priority"] = query.priority.value
    if query.q:
        values["pattern"] = contains_pattern(fold_case(query.q))
    return _listing(frozenset(values), query.sort, dialect), values


@functools.lru_cache(maxsize=256)
def _listing(filters: frozenset[str], sort: TaskSort, dialect: str) -> Listing:
    conditions: list[ColumnElement[bool]] = [tasks.c.user_id == bindparam("owner_id")]
    for name in ("completed", "category_id", "priority"):
        if name in filters:
            conditions.append(tasks.c[name] == bindparam(name))
    if "pattern" in filters:
        pattern = bindparam("pattern", type_=String())
        conditions.append(_folded_title(dialect).like(pattern, escape=_LIKE_ESCAPE))
    return Listing(select(tasks).where(*conditions).order_by(*_order(sort)))


def task_keyset(query: TaskQuery) -> list[keyset.Stretch]:
    """The rows after the query's position in its sort; none when paged by offset."""
    after = query.window.after
    if after is None:
        return []
    column = _SORT_COLUMNS[query.sort.field]
    return keyset.following(after, column, tasks.c.id, descending=query.sort.descending)
