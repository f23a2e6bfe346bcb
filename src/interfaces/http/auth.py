"""The current user: the id a valid bearer token names, with no database round trip.

Written by hand rather than with Litestar's ``JWTAuth``: the contract wants the scheme
case-insensitive, and a dependency applies exactly to the handlers that ask for it.
"""

from collections.abc import Callable
from typing import Any

from litestar import Request

from application.ports import TokenService
from application.runner import UseCaseRunner
from domain.errors import AuthenticationError
from interfaces.http.caller import Caller

MISSING = "send Authorization: Bearer <access_token>"


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization`` value whose scheme is Bearer in any case."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthenticationError(MISSING)
    return token


def caller_provider(
    tokens: TokenService, run: UseCaseRunner
) -> Callable[[Request[Any, Any, Any]], Caller]:
    """The dependency of the authenticated routes: the caller named by a valid bearer
    token (401 otherwise). Its services are bound here, so Litestar resolves a single
    dependency per request.
    """

    def provide_caller(request: Request[Any, Any, Any]) -> Caller:
        return Caller(tokens.verify(bearer_token(request.headers.get("authorization"))), run)

    return provide_caller
