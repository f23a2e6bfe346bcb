"""The caller's tasks, with ``ETag``/``If-Match`` optimistic concurrency."""

from dataclasses import replace
from typing import Annotated

from litestar import Controller, Response, delete, get, patch, post
from litestar.params import HeaderParameter, RawBody

from application.dto import CreateTaskCommand
from application.use_cases import tasks
from domain.ids import CategoryId, is_storable_id
from domain.task import Priority, Task
from domain.task_query import TaskQuery, TaskSort
from interfaces.http import errors, paths, queries
from interfaces.http.bodies import StrictDecoder
from interfaces.http.dependencies import CallerDep
from interfaces.http.etags import etag, expected_version
from interfaces.http.openapi import AUTHENTICATED, BEARER, BY_ID, documented
from interfaces.http.queries import (
    CategoryFilter,
    Completed,
    Cursor,
    Limit,
    Offset,
    PriorityFilter,
    Search,
    Sort,
)
from interfaces.http.schemas.tasks import (
    TaskCreateRequest,
    TaskPageResponse,
    TaskResponse,
    TaskUpdateRequest,
)

IfMatch = Annotated[
    str | None,
    HeaderParameter(
        name="If-Match",
        required=False,
        description='Apply only at this version: the ETag (`"3"`), or `*`; else 412',
        schema_extra={"pattern": '^(\\*|(W/)?"[0-9]+")$'},
    ),
]

_create = StrictDecoder(TaskCreateRequest)
_update = StrictDecoder(TaskUpdateRequest)


def _tagged(task: Task, status_code: int = 200) -> Response[TaskResponse]:
    return Response(
        TaskResponse.of(task), status_code=status_code, headers={"ETag": etag(task.version)}
    )


class TaskController(Controller):
    """``/tasks``: others' tasks are 404."""

    path = "/tasks"
    tags = ["tasks"]
    security = BEARER

    @post(
        "/",
        **documented(
            "createTask",
            body=TaskCreateRequest,
            problems=(*AUTHENTICATED, errors.CONFLICT),
            headers=("Location", "ETag"),
        ),
    )
    async def create_task(self, body: RawBody, me: CallerDep) -> Response[TaskResponse]:
        """Create a task (and its inline ``category`` in the same transaction)."""
        command = _create.decode(body).to(CreateTaskCommand)
        task = await me.run(tasks.create_task, me.id, command)
        response = _tagged(task, 201)
        response.headers["Location"] = f"/tasks/{task.id}"
        return response

    @get("/", **documented("listTasks", problems=(*AUTHENTICATED, errors.VALIDATION)))
    async def list_tasks(
        self,
        me: CallerDep,
        completed: Completed = None,
        category_id: CategoryFilter = None,
        priority: PriorityFilter = None,
        q: Search = None,
        sort: Sort = None,
        limit: Limit = None,
        offset: Offset = None,
        cursor: Cursor = None,
    ) -> TaskPageResponse:
        """A filtered, sorted page of the caller's tasks: by offset, or after a cursor."""
        category = queries.integer("category_id", category_id)
        query = TaskQuery(
            me.id,
            completed=queries.boolean("completed", completed),
            category_id=None if category is None else CategoryId(category),
            priority=queries.choice("priority", priority, Priority),
            # Its bound and the NUL rule are the domain's (TaskQuery).
            q=q,
            sort=queries.choice("sort", sort, TaskSort) or TaskSort.CREATED_AT_DESC,
        )
        window = me.cursors.window(
            me.id, query.filters, queries.page(limit, offset), offset is not None, cursor
        )
        if category is not None and not is_storable_id(category):
            # No category can have this id: the filter matches nothing.
            return TaskPageResponse([], 0, window.limit, window.offset, None)
        page = await me.run(tasks.list_tasks, replace(query, window=window))
        following = me.cursors.next_cursor(me.id, query.filters, page, query.sort.position_of)
        return TaskPageResponse.of(page, following)

    @get("/{task_id:str}", **documented("getTask", problems=BY_ID, headers=("ETag",)))
    async def get_task(self, task_id: paths.PathId, me: CallerDep) -> Response[TaskResponse]:
        """One task, its version as ``ETag``."""
        return _tagged(await me.run(tasks.get_task, me.id, paths.task_id(task_id)))

    @patch(
        "/{task_id:str}",
        **documented(
            "updateTask",
            body=TaskUpdateRequest,
            problems=(*BY_ID, errors.PRECONDITION_FAILED),
            headers=("ETag",),
        ),
    )
    async def update_task(
        self,
        task_id: paths.PathId,
        body: RawBody,
        me: CallerDep,
        if_match: IfMatch = None,
    ) -> Response[TaskResponse]:
        """Change some fields; with ``If-Match`` only at that version (else 412)."""
        target = paths.task_id(task_id)
        changes = _update.decode(body).to_changes()
        version = expected_version(if_match)
        return _tagged(await me.run(tasks.update_task, me.id, target, changes, version))

    @delete(
        "/{task_id:str}",
        **documented("deleteTask", problems=(*BY_ID, errors.PRECONDITION_FAILED)),
    )
    async def delete_task(
        self,
        task_id: paths.PathId,
        me: CallerDep,
        if_match: IfMatch = None,
    ) -> None:
        """Delete a task; with ``If-Match`` only at that version (else 412)."""
        target = paths.task_id(task_id)
        await me.run(tasks.delete_task, me.id, target, expected_version(if_match))
