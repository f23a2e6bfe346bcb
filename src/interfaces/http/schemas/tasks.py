"""Bodies of the task routes."""

from datetime import datetime
from typing import Annotated, Any, ClassVar, cast

import msgspec

from application.use_cases.bulk import MAX_BULK_ITEMS
from domain.ids import CategoryId
from domain.paging import Page
from domain.task import (
    DESCRIPTION_MAX_LENGTH,
    DESCRIPTION_MIN_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
    Priority,
    Task,
    TaskChanges,
)
from domain.unset import Unset
from interfaces.http.schemas.categories import CategoryCreateRequest
from interfaces.http.schemas.common import (
    AwareDatetime,
    Int64,
    NextCursor,
    StrictRequest,
    component_ref,
    given,
    text,
)

Title = Annotated[str, text(TITLE_MIN_LENGTH, TITLE_MAX_LENGTH)]
Description = Annotated[str, text(DESCRIPTION_MIN_LENGTH, DESCRIPTION_MAX_LENGTH)]


class TaskCreateRequest(StrictRequest):
    """A new task; ``category`` creates its category in the same transaction."""

    # Published with the schema (the use case refuses the pair with 400).
    json_schema_extra: ClassVar[dict[str, Any]] = {
        "not": {
            "description": "category_id and category together",
            "required": ["category_id", "category"],
            "properties": {"category_id": {"type": "integer"}, "category": {"type": "object"}},
        }
    }

    title: Title
    description: Description | None = None
    priority: Priority = Priority.MEDIUM
    due_at: AwareDatetime | None = None
    category_id: Int64 | None = None
    category: CategoryCreateRequest | None = None


class TaskUpdateRequest(StrictRequest):
    """Fields to change; absent fields keep their value, null clears a nullable one."""

    title: Title | msgspec.UnsetType = msgspec.UNSET
    description: Description | msgspec.UnsetType | None = msgspec.UNSET
    completed: bool | msgspec.UnsetType = msgspec.UNSET
    priority: Priority | msgspec.UnsetType = msgspec.UNSET
    due_at: AwareDatetime | msgspec.UnsetType | None = msgspec.UNSET
    category_id: Int64 | msgspec.UnsetType | None = msgspec.UNSET

    def to_changes(self) -> TaskChanges:
        category_id = given(self.category_id)
        return TaskChanges(
            title=given(self.title),
            description=given(self.description),
            completed=given(self.completed),
            priority=given(self.priority),
            due_at=given(self.due_at),
            category_id=cast("CategoryId | Unset | None", category_id),
        )


class BulkCreateRequest(StrictRequest):
    """Up to 1000 task-create items, each decoded (and failing) on its own."""

    items: Annotated[
        # What each item should be; an item that is not is reported by its index.
        list[
            Annotated[
                msgspec.Raw, msgspec.Meta(extra_json_schema=component_ref("TaskCreateRequest"))
            ]
        ],
        msgspec.Meta(min_length=1, max_length=MAX_BULK_ITEMS),
    ]


class TaskResponse(msgspec.Struct):
    """A task; ``version`` is also its ETag."""

    id: int
    title: str
    description: str | None
    completed: bool
    priority: Priority
    due_at: datetime | None
    category_id: int | None
    processed: bool
    processed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, task: Task) -> "TaskResponse":
        # By hand, not AttributesResponse: on the hot path msgspec.convert costs twice as much.
        return cls(
            id=task.id,
            title=task.title,
            description=task.description,
            completed=task.completed,
            priority=task.priority,
            due_at=task.due_at,
            category_id=task.category_id,
            processed=task.processed,
            processed_at=task.processed_at,
            version=task.version,
            created_at=task.created_at,
            updated_at=task.updated_at,
        )


class TaskPageResponse(msgspec.Struct):
    """One page of tasks."""

    items: list[TaskResponse]
    total: int
    limit: int
    offset: int
    next_cursor: NextCursor

    @classmethod
    def of(cls, page: Page[Task], next_cursor: str | None) -> "TaskPageResponse":
        return cls(
            items=list(map(TaskResponse.of, page.items)),
            total=page.total,
            limit=page.limit,
            offset=page.offset,
            next_cursor=next_cursor,
        )


class BulkItemError(msgspec.Struct):
    """Why one item of a bulk request was not created."""

    index: int
    status: int
    detail: str


class BulkCreateResponse(msgspec.Struct):
    """The tasks created, in item order, and the items that failed."""

    created: list[TaskResponse]
    errors: list[BulkItemError]
