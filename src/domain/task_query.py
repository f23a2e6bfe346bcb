"""How a user asks for a page of tasks: filters, one sort order, a window."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.errors import InvalidInputError
from domain.ids import CategoryId, UserId
from domain.paging import PageWindow, Position
from domain.task import Priority, Task
from domain.text import without_nul

# Longer searches are not real searches, and SQLite refuses LIKE patterns over 50,000
# bytes ("LIKE or GLOB pattern too complex"); one bound, the same on every backend.
MAX_QUERY_LENGTH = 200


class TaskSort(StrEnum):
    """Sort orders; a leading ``-`` is descending. Ties go by id, the same way."""

    CREATED_AT = "created_at"
    CREATED_AT_DESC = "-created_at"
    DUE_AT = "due_at"
    DUE_AT_DESC = "-due_at"
    TITLE = "title"
    TITLE_DESC = "-title"

    @property
    def field(self) -> str:
        """The task field sorted on."""
        return self.value.lstrip("-")

    @property
    def descending(self) -> bool:
        """Whether the order is descending."""
        return self.value.startswith("-")

    def position_of(self, task: Task) -> Position:
        """Where ``task`` stands in this order: the keyset a next page starts after."""
        value: datetime | str | None = getattr(task, self.field)
        return Position(value, task.id)


@dataclass(frozen=True, slots=True)
class TaskQuery:
    """Filters combine with AND; ``q`` is a case-insensitive title substring."""

    owner_id: UserId
    completed: bool | None = None
    category_id: CategoryId | None = None
    priority: Priority | None = None
    q: str | None = None
    sort: TaskSort = TaskSort.CREATED_AT_DESC
    window: PageWindow = field(default_factory=PageWindow)

    @property
    def filters(self) -> tuple[object, ...]:
        """What picks and orders the tasks, but not the owner or the window: a page that
        follows another must be asked for with the same. An empty ``q`` filters nothing.
        """
        priority = None if self.priority is None else self.priority.value
        return (self.sort.value, self.completed, self.category_id, priority, self.q or None)

    def __post_init__(self) -> None:
        if self.q is None:
            return
        without_nul("q", self.q)
        if len(self.q) > MAX_QUERY_LENGTH:
            raise InvalidInputError.for_field("q", f"must be at most {MAX_QUERY_LENGTH} characters")
