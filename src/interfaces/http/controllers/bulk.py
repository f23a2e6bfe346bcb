"""Creating many tasks in one request."""

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.params import RawBody

from application.dto import CreateTaskCommand
from application.idempotency import Reply
from application.use_cases.bulk import BulkItem, BulkOutcome, add_many, bulk_create_tasks
from domain.errors import InvalidInputError
from interfaces.http import errors, queries
from interfaces.http.bodies import StrictDecoder
from interfaces.http.dependencies import CallerDep
from interfaces.http.errors import status_of
from interfaces.http.idempotency import IdempotencyKey, json_reply, keyed_request, respond
from interfaces.http.openapi import AUTHENTICATED, BEARER, KEYED, documented
from interfaces.http.schemas.tasks import (
    BulkCreateRequest,
    BulkCreateResponse,
    BulkItemError,
    TaskCreateRequest,
    TaskResponse,
)

_envelope = StrictDecoder(BulkCreateRequest)
_item = StrictDecoder(TaskCreateRequest)


def decode_items(body: bytes) -> list[BulkItem]:
    """The envelope strictly, then each item on its own: an unreadable item becomes that
    item's error instead of failing the request.
    """
    items: list[BulkItem] = []
    for raw in _envelope.decode(body).items:
        try:
            items.append(_item.decode(raw, root="").to(CreateTaskCommand))
        except InvalidInputError as error:
            items.append(error)
    return items


def _outcome(outcome: BulkOutcome) -> Reply:
    failures = [
        BulkItemError(
            index=failure.index,
            status=status_of(failure.cause),
            detail=failure.cause.detail,
        )
        for failure in outcome.errors
    ]
    created = list(map(TaskResponse.of, outcome.created))
    return json_reply(200, BulkCreateResponse(created=created, errors=failures))


class BulkController(Controller):
    """``/tasks/bulk``."""

    path = "/tasks/bulk"
    tags = ["tasks"]
    security = BEARER

    @post(
        "/",
        status_code=200,
        # With atomic=true the first failing item's status answers: 400 or 409.
        **documented(
            "bulkCreateTasks",
            body=BulkCreateRequest,
            problems=(*AUTHENTICATED, errors.CONFLICT, *KEYED),
        ),
    )
    async def bulk_create(
        self,
        request: Request[Any, Any, Any],
        body: RawBody,
        me: CallerDep,
        atomic: queries.Atomic = None,
        idempotency_key: IdempotencyKey = None,
    ) -> Response[BulkCreateResponse]:
        """Create up to 1000 tasks. ``atomic=false``: each item alone, failures reported by
        index; ``atomic=true``: the first failure fails the request and nothing is created.
        """
        keyed = keyed_request(request, idempotency_key, body)
        items = decode_items(body)
        all_or_nothing = bool(queries.boolean("atomic", atomic))
        return await respond(
            me,
            keyed,
            lambda: me.run(bulk_create_tasks, me.id, items, atomic=all_or_nothing),
            lambda uow: add_many(uow, me.id, items, atomic=all_or_nothing),
            _outcome,
        )
