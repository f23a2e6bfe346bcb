"""The caller's tasks, with ``ETag``/``If-Match`` optimistic concurrency."""

from typing import Annotated

from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromQuery, HeaderParameter, RawBody

from application.use_cases import tasks
from domain.errors import InvalidInputError
from domain.ids import CategoryId, is_storable_id
from domain.paging import PageWindow
from domain.task import Priority, Task
from domain.task_query import TaskQuery, TaskSort
from interfaces.http import paths
from interfaces.http.bodies import StrictDecoder
from interfaces.http.etags import etag, expected_version
from interfaces.http.markers import CallerDep
from interfaces.http.openapi import BEARER, json_body
from interfaces.http.queries import DEFAULT_LIMIT, Limit, Offset, Search
from interfaces.http.schemas.tasks import (
    TaskCreateRequest,
    TaskPageResponse,
    TaskResponse,
    TaskUpdateRequest,
)

IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", required=False)]

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

    @post("/", operation_class=json_body(TaskCreateRequest))
    async def create_task(self, body: RawBody, me: CallerDep) -> Response[TaskResponse]:
        """Create a task (and its inline ``category`` in the same transaction)."""
        task = await me.run(tasks.create_task, me.id, _create.decode(body).to_command())
        response = _tagged(task, 201)
        response.headers["Location"] = f"/tasks/{task.id}"
        return response

    @get("/")
    async def list_tasks(
        self,
        me: CallerDep,
        completed: FromQuery[bool | None] = None,
        category_id: FromQuery[int | None] = None,
        priority: FromQuery[Priority | None] = None,
        q: Search = None,
        sort: FromQuery[TaskSort] = TaskSort.CREATED_AT_DESC,
        limit: Limit = DEFAULT_LIMIT,
        offset: Offset = 0,
    ) -> TaskPageResponse:
        """A filtered, sorted page of the caller's tasks."""
        if q is not None and "\x00" in q:
            raise InvalidInputError.for_field("q", "must not contain NUL characters")
        window = PageWindow(limit, offset)
        if category_id is not None and not is_storable_id(category_id):
            # No category can have this id: the filter matches nothing.
            return TaskPageResponse([], 0, window.limit, window.offset)
        query = TaskQuery(
            me.id,
            completed=completed,
            category_id=None if category_id is None else CategoryId(category_id),
            priority=priority,
            q=q,
            sort=sort,
            window=window,
        )
        return TaskPageResponse.of(await me.run(tasks.list_tasks, query))

    @get("/{task_id:str}")
    async def get_task(self, task_id: paths.PathId, me: CallerDep) -> Response[TaskResponse]:
        """One task, its version as ``ETag``."""
        return _tagged(await me.run(tasks.get_task, me.id, paths.task_id(task_id)))

    @patch("/{task_id:str}", operation_class=json_body(TaskUpdateRequest))
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

    @delete("/{task_id:str}")
    async def delete_task(
        self,
        task_id: paths.PathId,
        me: CallerDep,
        if_match: IfMatch = None,
    ) -> None:
        """Delete a task; with ``If-Match`` only at that version (else 412)."""
        target = paths.task_id(task_id)
        await me.run(tasks.delete_task, me.id, target, expected_version(if_match))
