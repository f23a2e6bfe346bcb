"""The task listing's statements: built once per combination of filters and sort, with
every value bound by name per call (what keeps a list page off statement construction).
"""

from uuid import uuid4

from sqlalchemy.dialects import postgresql

from domain.ids import CategoryId, UserId
from domain.task import Priority
from domain.task_query import TaskQuery, TaskSort
from infrastructure.persistence.sqlalchemy.direct import Prepared
from infrastructure.persistence.sqlalchemy.task_listing import task_listing


def _query(**filters: object) -> TaskQuery:
    return TaskQuery(UserId(uuid4()), **filters)  # type: ignore[arg-type]


def test_the_same_filters_reuse_one_statement_with_this_calls_values() -> None:
    first, first_values = task_listing(_query(completed=True), dialect="postgresql")
    second, second_values = task_listing(_query(completed=False), dialect="postgresql")
    assert first is second
    assert first_values["completed"] is True
    assert second_values["completed"] is False
    assert first_values["owner_id"] != second_values["owner_id"]


def test_other_filters_or_another_sort_get_their_own_statement() -> None:
    plain, _ = task_listing(_query(), dialect="postgresql")
    searched, values = task_listing(_query(q="50%_off"), dialect="postgresql")
    by_title, _ = task_listing(_query(sort=TaskSort.TITLE), dialect="postgresql")
    assert len({id(plain), id(searched), id(by_title)}) == 3
    # The search's wildcards are escaped into the bound pattern, not the SQL.
    assert values["pattern"] == r"%50\%\_off%"


def test_the_page_binds_every_value_by_name() -> None:
    query = _query(completed=True, category_id=CategoryId(7), priority=Priority.HIGH, q="x")
    listing, values = task_listing(query, dialect="postgresql")
    page = listing.page
    assert isinstance(page, Prepared)
    compiled = page.statement.compile(dialect=postgresql.dialect())  # type: ignore[no-untyped-call]
    assert set(compiled.params) == {*values, "page_limit", "page_offset"}
    assert all(value is None for value in compiled.params.values())
