"""The current user: the id a valid bearer token names, of a user who exists.

Written by hand rather than with Litestar's ``JWTAuth``: the contract wants the scheme
case-insensitive, and a dependency applies exactly to the handlers that ask for it.
"""

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request

from application.authentication import Authenticator
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
    authenticator: Authenticator, run: UseCaseRunner
) -> Callable[[Request[Any, Any, Any]], Awaitable[Caller]]:
    """The dependency of the authenticated routes: the existing user named by a valid
    bearer token (401 otherwise). Its services are bound here, so Litestar resolves a
    single dependency per request.
    """

    async def provide_caller(request: Request[Any, Any, Any]) -> Caller:
        token = bearer_token(request.headers.get("authorization"))
        return Caller(await authenticator.user_of(token), run)

    return provide_caller
