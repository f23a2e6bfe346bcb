"""The bearer token of a request's ``Authorization`` header.

Read by hand rather than with Litestar's ``JWTAuth``: the contract wants the scheme
case-insensitive, and a dependency applies exactly to the handlers that ask for it.
"""

from domain.errors import AuthenticationError

MISSING = "send Authorization: Bearer <access_token>"


def bearer_token(authorization: str | None) -> str:
    """The token of an ``Authorization`` value whose scheme is Bearer in any case."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise AuthenticationError(MISSING)
    return token
