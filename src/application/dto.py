"""Commands: what a caller asks the use cases for, free of any wire format."""

from dataclasses import dataclass
from datetime import datetime

from domain.ids import CategoryId
from domain.task import Priority


@dataclass(frozen=True, slots=True)
class RegisterCommand:
    """Sign up with an e-mail and a password."""

    email: str
    password: str
    display_name: str | None = None


@dataclass(frozen=True, slots=True)
class LogInCommand:
    """Exchange credentials for a bearer token."""

    email: str
    password: str


@dataclass(frozen=True, slots=True)
class CreateCategoryCommand:
    """A new category."""

    name: str
    color: str | None = None


@dataclass(frozen=True, slots=True)
class CreateTaskCommand:
    """A new task; ``category`` creates its category in the same transaction."""

    title: str
    description: str | None = None
    priority: Priority = Priority.MEDIUM
    due_at: datetime | None = None
    category_id: CategoryId | None = None
    category: CreateCategoryCommand | None = None
