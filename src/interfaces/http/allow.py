"""``Allow`` on OPTIONS answers lists every method of the path.

Litestar (2.25) gives each path an automatic OPTIONS handler when its first handler is
registered; handlers registered later for the same path join the route, but that OPTIONS
handler keeps listing the methods known when it was made (``OPTIONS /tasks`` said
``OPTIONS, POST`` although ``GET /tasks`` exists). 405 answers were always right.
"""

from litestar.types import Message, Scope

_ALLOW = b"allow"


async def correct_allow(message: Message, scope: Scope) -> None:
    """Rewrite the ``Allow`` header of an OPTIONS answer from the app's route table."""
    if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
        return
    handler = scope.get("route_handler")
    headers = list(message.get("headers", ()))
    if handler is None or not any(name.lower() == _ALLOW for name, _ in headers):
        return
    methods: set[str] = set()
    for path in handler.paths:
        methods.update(scope["app"].route_handler_method_map.get(path, {}))
    if methods:
        allow = ", ".join(sorted(methods)).encode("ascii")
        message["headers"] = [
            (name, allow if name.lower() == _ALLOW else value) for name, value in headers
        ]
