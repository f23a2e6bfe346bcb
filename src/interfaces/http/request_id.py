"""``X-Request-ID`` on every response: the client's when it is sane, else a fresh one.

A ``before_send`` hook rather than a middleware: Litestar runs user middleware per
route, so a middleware would miss 404/405 answers for unknown routes.
"""

import re
from uuid import uuid4

from litestar.types import Message, Scope

HEADER = b"x-request-id"
_STATE_KEY = "tasklane_request_id"
# Echoed into our headers and logs, so only a short, plain token is trusted.
_SANE = re.compile(rb"[A-Za-z0-9._:+/=-]{1,128}")


def request_id_of(scope: Scope) -> str:
    """This request's id, chosen once and remembered in the scope."""
    state = scope.setdefault("state", {})
    request_id: str | None = state.get(_STATE_KEY)
    if request_id is None:
        sent = next((value for name, value in scope.get("headers", ()) if name == HEADER), b"")
        request_id = sent.decode("ascii") if _SANE.fullmatch(sent) else uuid4().hex
        state[_STATE_KEY] = request_id
    return request_id


async def add_request_id(message: Message, scope: Scope) -> None:
    """Stamp the response start with the request id."""
    if message["type"] == "http.response.start":
        headers = list(message.get("headers", ()))
        headers.append((HEADER, request_id_of(scope).encode("ascii")))
        message["headers"] = headers
