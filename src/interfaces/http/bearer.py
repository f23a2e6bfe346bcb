"""The bearer token of a request's ``Authorization`` header.

Read by hand rather than with Litestar's ``JWTAuth``: the contract wants the scheme
case-insensitive, and a dependency applies exactly to the handlers that ask for it.
"""

from litestar.types import Scope

from domain.errors import AuthenticationError
from interfaces.http.raw_headers import first_header

MISSING = "send Authorization: Bearer <access_token>"


def authorization_of(scope: Scope) -> str | None:
    """The request's first ``Authorization`` value, as Litestar's ``Headers`` gives it,
    read from the raw headers (see ``raw_headers``)."""
    value = first_header(scope, b"authorization")
    return None if value is None else value.decode("latin-1")


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization`` value whose scheme is Bearer in any case."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthenticationError(MISSING)
    return token
