"""Commands: what a caller asks the use cases for, free of any wire format."""

from dataclasses import dataclass
from datetime import datetime

from domain.category import NewCategory
from domain.ids import CategoryId, UserId
from domain.task import NewTask, Priority

# The network address of a caller the transport could not name; all such share limits.
UNKNOWN_CLIENT = "unknown"


@dataclass(frozen=True, slots=True)
class RegisterCommand:
    """Sign up with an e-mail and a password, from ``client_address``."""

    email: str
    password: str
    display_name: str | None = None
    client_address: str = UNKNOWN_CLIENT


@dataclass(frozen=True, slots=True)
class LogInCommand:
    """Exchange credentials for a bearer token, from ``client_address``."""

    email: str
    password: str
    client_address: str = UNKNOWN_CLIENT


@dataclass(frozen=True, slots=True)
class CreateCategoryCommand:
    """A new category."""

    name: str
    color: str | None = None

    def draft(self, owner_id: UserId) -> NewCategory:
        """The category to create, validated."""
        return NewCategory(owner_id, name=self.name, color=self.color)


@dataclass(frozen=True, slots=True)
class CreateTaskCommand:
    """A new task; ``category`` creates its category in the same transaction."""

    title: str
    description: str | None = None
    priority: Priority = Priority.MEDIUM
    due_at: datetime | None = None
    category_id: CategoryId | None = None
    category: CreateCategoryCommand | None = None

    def draft(self, owner_id: UserId) -> NewTask:
        """The task to create, validated; its inline ``category`` is not part of it."""
        return NewTask(
            owner_id,
            title=self.title,
            description=self.description,
            priority=self.priority,
            due_at=self.due_at,
            category_id=self.category_id,
        )
