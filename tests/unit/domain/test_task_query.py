"""Page windows stay in bounds; sort orders know their field and direction."""

import uuid

import pytest

from domain.errors import InvalidInputError
from domain.ids import UserId
from domain.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageWindow
from domain.task_query import MAX_QUERY_LENGTH, TaskQuery, TaskSort


def test_window_defaults() -> None:
    assert PageWindow() == PageWindow(DEFAULT_PAGE_SIZE, 0)
    assert DEFAULT_PAGE_SIZE == 20


@pytest.mark.parametrize(("limit", "offset"), [(1, 0), (MAX_PAGE_SIZE, 0), (20, 10**9)])
def test_window_accepts_bounds(limit: int, offset: int) -> None:
    assert PageWindow(limit, offset).limit == limit


@pytest.mark.parametrize(
    ("limit", "offset", "field"),
    [(0, 0, "limit"), (MAX_PAGE_SIZE + 1, 0, "limit"), (-1, 0, "limit"), (20, -1, "offset")],
)
def test_window_refuses_out_of_range(limit: int, offset: int, field: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        PageWindow(limit, offset)
    assert [p.field for p in raised.value.problems] == [field]


@pytest.mark.parametrize(
    ("sort", "field", "descending"),
    [
        (TaskSort.CREATED_AT, "created_at", False),
        (TaskSort.CREATED_AT_DESC, "created_at", True),
        (TaskSort.DUE_AT, "due_at", False),
        (TaskSort.DUE_AT_DESC, "due_at", True),
        (TaskSort.TITLE, "title", False),
        (TaskSort.TITLE_DESC, "title", True),
    ],
)
def test_sort_field_and_direction(sort: TaskSort, field: str, descending: bool) -> None:
    assert (sort.field, sort.descending) == (field, descending)


def test_sort_parses_its_wire_values_only() -> None:
    assert TaskSort("-due_at") is TaskSort.DUE_AT_DESC
    assert len(TaskSort) == 6
    with pytest.raises(ValueError, match="password_hash"):
        TaskSort("password_hash")


def test_query_defaults_to_newest_first() -> None:
    query = TaskQuery(UserId(uuid.uuid4()))
    assert (query.sort, query.window) == (TaskSort.CREATED_AT_DESC, PageWindow())
    assert (query.completed, query.category_id, query.priority, query.q) == (None,) * 4


def test_search_is_bounded_in_code_points() -> None:
    owner = UserId(uuid.uuid4())
    assert TaskQuery(owner, q="😀" * MAX_QUERY_LENGTH).q == "😀" * MAX_QUERY_LENGTH
    with pytest.raises(InvalidInputError) as raised:
        TaskQuery(owner, q="a" * (MAX_QUERY_LENGTH + 1))
    assert [problem.field for problem in raised.value.problems] == ["q"]


def test_search_never_holds_nul() -> None:
    # No title holds one, and PostgreSQL refuses it in a parameter: refused before any store.
    with pytest.raises(InvalidInputError, match="NUL") as raised:
        TaskQuery(UserId(uuid.uuid4()), q="a\x00b")
    assert [problem.field for problem in raised.value.problems] == ["q"]
