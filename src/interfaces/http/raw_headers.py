"""Request headers read straight from the ASGI scope, for the few that every request of
a route reads (the bearer token, ``X-Request-ID``, ``If-None-Match``).

Why: Litestar's ``Headers`` mapping decodes every header of a request to answer for
one; built for the token alone it cost a cached read 13-14 us of CPU (in process). Names
arrive lowercased from the server, as ASGI specifies.
"""

from litestar.types import Scope


def header_values(scope: Scope, name: bytes) -> list[bytes]:
    """Every value sent under ``name`` (lowercase), in the order sent."""
    return [value for key, value in scope.get("headers", ()) if key == name]


def first_header(scope: Scope, name: bytes) -> bytes | None:
    """The first value sent under ``name`` (lowercase), as Litestar's ``Headers.get``."""
    # A plain loop: a generator expression takes 0.4 us here against 0.1.
    for key, value in scope.get("headers", ()):
        if key == name:
            return value
    return None
