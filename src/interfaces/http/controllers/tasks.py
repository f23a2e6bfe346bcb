"""The caller's tasks, with ``ETag``/``If-Match`` optimistic concurrency."""

from dataclasses import replace
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.params import HeaderParameter, RawBody

from application.dto import CreateTaskCommand
from application.idempotency import Reply
from application.use_cases import tasks
from application.use_cases.task_creation import add_task
from domain.ids import CategoryId, is_storable_id
from domain.task import Priority, Task
from domain.task_query import TaskQuery, TaskSort
from interfaces.http import errors, paths, queries
from interfaces.http.bodies import StrictDecoder
from interfaces.http.conditional import Conditional
from interfaces.http.dependencies import CallerDep
from interfaces.http.etags import etag, expected_version
from interfaces.http.idempotency import IdempotencyKey, json_reply, keyed_request, respond
from interfaces.http.openapi import AUTHENTICATED, BEARER, BY_ID, KEYED, WEAK_ETAG, documented
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


def _tagged(task: Task) -> Response[TaskResponse]:
    return Response(TaskResponse.of(task), headers={"ETag": etag(task.version)})


def _created(task: Task) -> Reply:
    return json_reply(
        201, TaskResponse.of(task), location=f"/tasks/{task.id}", etag=etag(task.version)
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
            problems=(*AUTHENTICATED, errors.CONFLICT, *KEYED),
            headers=("Location", "ETag"),
        ),
    )
    async def create_task(
        self,
        request: Request[Any, Any, Any],
        body: RawBody,
        me: CallerDep,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[TaskResponse]:
        """Create a task (and its inline ``category`` in the same transaction)."""
        keyed = keyed_request(request, idempotency_key, body)
        command = _create.decode(body).to(CreateTaskCommand)
        return await respond(
            me,
            keyed,
            lambda: me.run(tasks.create_task, me.id, command),
            lambda uow: add_task(uow, me.id, command),
            _created,
        )

    @get(
        "/",
        response_class=Conditional,
        **documented(
            "listTasks", problems=(*AUTHENTICATED, errors.VALIDATION), conditional=WEAK_ETAG
        ),
    )
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
        """A filtered, sorted page of the caller's tasks (by offset, or after a cursor),
        with a weak ``ETag`` of the page.
        """
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

    @get("/{task_id:str}", **documented("getTask", problems=BY_ID, conditional="ETag"))
    async def get_task(self, task_id: paths.PathId, me: CallerDep) -> Response[TaskResponse]:
        """One task, its version as ``ETag``; 304 when ``If-None-Match`` names it."""
        task = await me.run(tasks.get_task, me.id, paths.task_id(task_id))
        return Conditional(TaskResponse.of(task), headers={"ETag": etag(task.version)})

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
