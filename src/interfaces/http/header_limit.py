"""Bounded request headers: past ``MAX_HEADER_BYTES`` a request is 431, before routing.

Neither uvicorn's httptools parser nor Litestar bounds header size, and Litestar runs
user middleware per route, so a middleware would miss unknown routes. The check sits
in the app's ASGI entry point instead, through a subclass and Litestar's public
``__call__``.
"""

from typing import Any

from litestar import Litestar
from litestar.enums import ScopeType
from litestar.types import Receive, Scope, Send

from interfaces.http.access_log import RequestRecorder, serve_logged
from interfaces.http.errors import HEADERS_TOO_LARGE
from interfaces.http.problems import PROBLEM_MEDIA_TYPE, problem_document
from interfaces.http.request_id import add_request_id

# All header lines together, counted as on the wire ("name: value\r\n"). Ample for a
# bearer token and the usual browser headers; nginx's default buffers are 4 x 8 KiB.
MAX_HEADER_BYTES = 32 * 1024


def header_bytes(scope: Scope) -> int:
    """The size of the request's header lines as they were sent."""
    return sum(len(name) + len(value) + 4 for name, value in scope.get("headers", ()))


class HeaderLimitedLitestar(Litestar):
    """Litestar, refusing oversized request headers before anything else reads them.

    Every HTTP request passes here, logged (``serve_logged``) and told to
    ``record_request`` (the request metrics, when on) once it ended.
    """

    __slots__ = ("record_request",)

    def __init__(self, *args: Any, record_request: RequestRecorder | None = None, **kwargs: Any):
        self.record_request = record_request
        super().__init__(*args, **kwargs)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[override]
        if scope["type"] != ScopeType.HTTP:
            await super().__call__(scope, receive, send)
        elif header_bytes(scope) > MAX_HEADER_BYTES:
            await serve_logged(_refuse_request, scope, receive, send, self.record_request)
        else:
            await serve_logged(super().__call__, scope, receive, send, self.record_request)


async def _refuse_request(scope: Scope, receive: Receive, send: Send) -> None:
    await _refuse(scope, send)


async def _refuse(scope: Scope, send: Send) -> None:
    kind = HEADERS_TOO_LARGE
    detail = f"request headers must total at most {MAX_HEADER_BYTES} bytes"
    body = problem_document(kind.status, kind.slug, kind.title, detail)
    start = {
        "type": "http.response.start",
        "status": kind.status,
        "headers": [
            (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
            (b"content-length", str(len(body)).encode()),
            # The body, if any, is left unread: the connection cannot be reused.
            (b"connection", b"close"),
        ],
    }
    await add_request_id(start, scope)  # type: ignore[arg-type]
    await send(start)  # type: ignore[arg-type]
    await send({"type": "http.response.body", "body": body, "more_body": False})
