"""Who a log line belongs to, and one access line per request (whose status and
duration the request metrics reuse).

The request's fields (id, method, route template, caller) live in one mutable object
behind a context variable, set at the app's ASGI entry. Litestar resolves sibling
dependencies in task groups, whose tasks copy the context: they share that object, so
the caller noted there is seen by every later line of the request.
"""

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from interfaces.http.request_id import request_id_of

access_logger = logging.getLogger("tasklane.access")

# Told of each request once it ended: its scope, status (0: no response started) and
# duration in seconds.
RequestRecorder = Callable[[Scope, int, float], None]


@dataclass(slots=True)
class RequestFields:
    """This request's share of every log line; ``route`` is known once routed."""

    scope: Scope
    request_id: str
    method: str
    user_id: str | None = None

    def as_dict(self) -> dict[str, object]:
        fields: dict[str, object] = {"request_id": self.request_id, "method": self.method}
        route = self.scope.get("path_template")
        if route is not None:
            fields["route"] = route
        if self.user_id is not None:
            fields["user_id"] = self.user_id
        return fields


_current: ContextVar[RequestFields | None] = ContextVar("tasklane_request_fields", default=None)


def request_fields() -> dict[str, object] | None:
    """The fields of the request being served here, if any."""
    current = _current.get()
    return None if current is None else current.as_dict()


def request_scope() -> Scope | None:
    """The ASGI scope of the request being served here, if any. Tracing reads there the
    request's server span, which is no longer current when the access line is written.
    """
    current = _current.get()
    return None if current is None else current.scope


def note_caller(user_id: object) -> None:
    """Record the authenticated user on the request's log lines."""
    current = _current.get()
    if current is not None:
        current.user_id = str(user_id)


async def serve_logged(
    app: ASGIApp,
    scope: Scope,
    receive: Receive,
    send: Send,
    record: RequestRecorder | None = None,
) -> None:
    """Serve one HTTP request under its log fields, then write its access line and tell
    ``record`` (the request metrics) its status and duration.
    """
    started = time.perf_counter()
    fields = RequestFields(scope, request_id_of(scope), str(scope.get("method", "")))
    token = _current.set(fields)
    status = 0

    async def send_noting_status(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        await send(message)

    try:
        await app(scope, receive, send_noting_status)
    finally:
        seconds = time.perf_counter() - started
        if access_logger.isEnabledFor(logging.INFO):
            access_logger.info(
                "request", extra={"status": status, "duration_ms": round(seconds * 1000, 3)}
            )
        _current.reset(token)
        if record is not None:
            record(scope, status, seconds)
