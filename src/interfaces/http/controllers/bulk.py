"""Creating many tasks in one request."""

from litestar import Controller, post
from litestar.params import RawBody

from application.dto import CreateTaskCommand
from application.use_cases.bulk import BulkItem, bulk_create_tasks
from domain.errors import InvalidInputError
from interfaces.http import errors, queries
from interfaces.http.bodies import StrictDecoder
from interfaces.http.dependencies import CallerDep
from interfaces.http.errors import status_of
from interfaces.http.openapi import AUTHENTICATED, BEARER, documented
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
            problems=(*AUTHENTICATED, errors.CONFLICT),
        ),
    )
    async def bulk_create(
        self,
        body: RawBody,
        me: CallerDep,
        atomic: queries.Atomic = None,
    ) -> BulkCreateResponse:
        """Create up to 1000 tasks. ``atomic=false``: each item alone, failures reported by
        index; ``atomic=true``: the first failure fails the request and nothing is created.
        """
        outcome = await me.run(
            bulk_create_tasks,
            me.id,
            decode_items(body),
            atomic=bool(queries.boolean("atomic", atomic)),
        )
        errors = [
            BulkItemError(
                index=failure.index,
                status=status_of(failure.cause),
                detail=failure.cause.detail,
            )
            for failure in outcome.errors
        ]
        return BulkCreateResponse(
            created=list(map(TaskResponse.of, outcome.created)), errors=errors
        )
