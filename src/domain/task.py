"""The Task aggregate: a user's to-do with a priority, an optional due date and category.

Every change bumps ``version`` by one; that version is the client's ETag.
"""

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from enum import StrEnum
from typing import Generic, TypedDict, TypeVar

from domain.counting import Counter
from domain.errors import InvalidInputError
from domain.ids import CategoryId, TaskId, UserId
from domain.text import checked_optional_text, checked_text
from domain.unset import UNSET, Unset

TITLE_MIN_LENGTH = 1
TITLE_MAX_LENGTH = 200
DESCRIPTION_MIN_LENGTH = 0
DESCRIPTION_MAX_LENGTH = 10_000
FIRST_VERSION = 1


class Priority(StrEnum):
    """How urgent a task is."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


def checked_title(value: str) -> str:
    """A title of 1..200 characters."""
    return checked_text("title", value, min_length=TITLE_MIN_LENGTH, max_length=TITLE_MAX_LENGTH)


def checked_description(value: str | None) -> str | None:
    """A description of at most 10,000 characters, or ``None``."""
    return checked_optional_text(
        "description",
        value,
        min_length=DESCRIPTION_MIN_LENGTH,
        max_length=DESCRIPTION_MAX_LENGTH,
    )


def utc_due_at(value: datetime | None) -> datetime | None:
    """A due date in UTC; a naive timestamp is ambiguous and refused."""
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInputError.for_field("due_at", "must carry a timezone offset")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # 9999-12-31T23:59:59-01:00 is a valid timestamp whose UTC instant is not.
        raise InvalidInputError.for_field(
            "due_at", "must fall within years 1 to 9999 in UTC"
        ) from None


@dataclass(frozen=True, slots=True)
class NewTask:
    """A task to create for ``owner_id``."""

    owner_id: UserId
    title: str
    description: str | None = None
    priority: Priority = Priority.MEDIUM
    due_at: datetime | None = None
    category_id: CategoryId | None = None

    def __post_init__(self) -> None:
        checked_title(self.title)
        checked_description(self.description)
        object.__setattr__(self, "priority", Priority(self.priority))
        object.__setattr__(self, "due_at", utc_due_at(self.due_at))


@dataclass(frozen=True, slots=True)
class TaskChanges:
    """A partial update: fields left ``UNSET`` keep their value."""

    title: str | Unset = UNSET
    description: str | Unset | None = UNSET
    completed: bool | Unset = UNSET
    priority: Priority | Unset = UNSET
    due_at: datetime | Unset | None = UNSET
    category_id: CategoryId | Unset | None = UNSET

    def __post_init__(self) -> None:
        if self.title is not UNSET:
            checked_title(self.title)
        if self.description is not UNSET:
            checked_description(self.description)
        if self.priority is not UNSET:
            object.__setattr__(self, "priority", Priority(self.priority))
        if self.due_at is not UNSET:
            object.__setattr__(self, "due_at", utc_due_at(self.due_at))

    def as_dict(self) -> dict[str, object]:
        """Only the fields that were given, by name."""
        # The names are read once (_CHANGEABLE): fields() rebuilds its tuple per call.
        return {name: value for name in _CHANGEABLE if (value := getattr(self, name)) is not UNSET}


_CHANGEABLE = tuple(f.name for f in fields(TaskChanges))


@dataclass(frozen=True, slots=True)
class Task:
    """A stored task. Built from a validated ``NewTask`` or from trusted storage."""

    id: TaskId
    owner_id: UserId
    title: str
    description: str | None
    completed: bool
    priority: Priority
    due_at: datetime | None
    category_id: CategoryId | None
    processed: bool
    processed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class FirstState(TypedDict):
    """What a new task is besides what its draft says."""

    completed: bool
    processed: bool
    processed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


def first_state(now: datetime) -> FirstState:
    """A new task starts open and unprocessed, at the first version, created ``now``."""
    return FirstState(
        completed=False,
        processed=False,
        processed_at=None,
        version=FIRST_VERSION,
        created_at=now,
        updated_at=now,
    )


N = TypeVar("N")


class Revision(TypedDict, Generic[N]):
    """What every change to a task writes besides the change itself."""

    version: N
    updated_at: datetime


def revision(version: Counter[N], now: datetime) -> Revision[N]:
    """Every change bumps the version by one and sets ``updated_at``. Stores apply it to
    the version they hold: SQL to the column, so ``version = version + 1`` stays atomic.
    """
    return Revision(version=version + 1, updated_at=now)


class Processing(TypedDict):
    """What processing writes besides its ``revision``."""

    processed: bool
    processed_at: datetime


def processing(now: datetime) -> Processing:
    """Processing a task sets ``processed`` and the time it happened."""
    return Processing(processed=True, processed_at=now)


def not_your_category() -> InvalidInputError:
    """A task pointing at a category its owner does not have (or none at all)."""
    return InvalidInputError.for_field("category_id", "names no category of yours")
