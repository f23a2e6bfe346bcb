"""Task invariants: bounded title and description, a known priority, due dates in UTC."""

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from domain.errors import InvalidInputError
from domain.ids import CategoryId, UserId
from domain.task import (
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    NewTask,
    Priority,
    TaskChanges,
    utc_due_at,
)

OWNER = UserId(uuid.uuid4())
TOKYO = timezone(timedelta(hours=9))


def test_defaults() -> None:
    task = NewTask(OWNER, "t")
    assert (task.description, task.priority, task.due_at, task.category_id) == (
        None,
        Priority.MEDIUM,
        None,
        None,
    )


def test_title_bounds_in_code_points() -> None:
    assert NewTask(OWNER, "🙂" * TITLE_MAX_LENGTH).title == "🙂" * TITLE_MAX_LENGTH
    for bad in ("", "🙂" * (TITLE_MAX_LENGTH + 1), "nul\x00"):
        with pytest.raises(InvalidInputError) as raised:
            NewTask(OWNER, bad)
        assert [p.field for p in raised.value.problems] == ["title"]


def test_description_bounds() -> None:
    assert NewTask(OWNER, "t", "").description == ""
    assert NewTask(OWNER, "t", "d" * DESCRIPTION_MAX_LENGTH).description is not None
    for bad in ("d" * (DESCRIPTION_MAX_LENGTH + 1), "\x00"):
        with pytest.raises(InvalidInputError) as raised:
            NewTask(OWNER, "t", bad)
        assert [p.field for p in raised.value.problems] == ["description"]


def test_priority_accepts_its_values_only() -> None:
    task = NewTask(OWNER, "t", priority="high")  # type: ignore[arg-type]
    assert task.priority is Priority.HIGH
    assert [p.value for p in Priority] == ["low", "medium", "high"]
    with pytest.raises(ValueError, match="urgent"):
        NewTask(OWNER, "t", priority="urgent")  # type: ignore[arg-type]


def test_due_at_becomes_utc() -> None:
    given = datetime(2030, 1, 1, 9, 0, tzinfo=TOKYO)
    due = utc_due_at(given)
    assert due == given
    assert due is not None
    assert (due.tzinfo, due.hour) == (UTC, 0)
    assert NewTask(OWNER, "t", due_at=given).due_at == due
    assert utc_due_at(None) is None


def test_naive_due_at_is_refused() -> None:
    with pytest.raises(InvalidInputError) as raised:
        NewTask(OWNER, "t", due_at=datetime(2030, 1, 1))
    assert [p.field for p in raised.value.problems] == ["due_at"]
    with pytest.raises(InvalidInputError):
        TaskChanges(due_at=datetime(2030, 1, 1))


def test_changes_as_dict_holds_only_given_fields() -> None:
    assert TaskChanges().as_dict() == {}
    given = datetime(2030, 1, 1, 9, tzinfo=TOKYO)
    changes = TaskChanges(
        title="new",
        completed=False,
        priority="low",  # type: ignore[arg-type]
        due_at=given,
        category_id=CategoryId(3),
    )
    assert changes.as_dict() == {
        "title": "new",
        "completed": False,
        "priority": Priority.LOW,
        "due_at": datetime(2030, 1, 1, 0, tzinfo=UTC),
        "category_id": 3,
    }
    # None clears a nullable field; it is a change, unlike UNSET.
    cleared = TaskChanges(description=None, due_at=None, category_id=None)
    assert cleared.as_dict() == {"description": None, "due_at": None, "category_id": None}


def test_changes_validate_what_they_are_given() -> None:
    for bad in (
        {"title": ""},
        {"description": "d" * (DESCRIPTION_MAX_LENGTH + 1)},
        {"title": "a\x00"},
    ):
        with pytest.raises(InvalidInputError):
            TaskChanges(**bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value",
    [
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(-timedelta(hours=1))),
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),
    ],
)
def test_due_at_whose_utc_instant_leaves_the_calendar_is_invalid(value: datetime) -> None:
    for build in (lambda: NewTask(OWNER, "t", due_at=value), lambda: TaskChanges(due_at=value)):
        with pytest.raises(InvalidInputError) as raised:
            build()
        assert [problem.field for problem in raised.value.problems] == ["due_at"]


def test_due_at_at_the_ends_of_the_calendar_in_utc_is_kept() -> None:
    last = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=1)))
    assert utc_due_at(last) == datetime(9999, 12, 31, 22, 59, 59, tzinfo=UTC)
    first = datetime(1, 1, 1, tzinfo=timezone(-timedelta(hours=1)))
    assert utc_due_at(first) == datetime(1, 1, 1, 1, tzinfo=UTC)
