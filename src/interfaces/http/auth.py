"""The current user: the id a valid bearer token names, with no database round trip.

Written by hand rather than with Litestar's ``JWTAuth``: the contract wants the scheme
case-insensitive, and a dependency applies exactly to the handlers that ask for it.
"""

from typing import Any

from litestar import Request

from domain.errors import AuthenticationError
from domain.ids import UserId
from interfaces.http.markers import TokenServiceDep

MISSING = "send Authorization: Bearer <access_token>"


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization`` value whose scheme is Bearer in any case."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthenticationError(MISSING)
    return token


def provide_user_id(request: Request[Any, Any, Any], tokens: TokenServiceDep) -> UserId:
    """Dependency: the caller's user id; 401 for a missing or invalid token."""
    return tokens.verify(bearer_token(request.headers.get("authorization")))
