"""Bearer tokens as JWTs (PyJWT) with one pinned HMAC algorithm."""

import functools
import time
from typing import Any
from uuid import UUID

import jwt

from application.ports import AccessToken
from domain.errors import AuthenticationError
from domain.ids import UserId

INVALID_TOKEN = "the bearer token is missing, malformed, expired or not ours"
# Instances behind one load balancer may disagree on the time by a little: a token one
# of them issued must not be "from the future" for another. Expiry gets no such slack.
CLOCK_SKEW_SECONDS = 5


class JwtTokenService:
    """Issues tokens with ``sub``, ``iat`` and ``exp``; accepts only its own algorithm,
    and only tokens that could be its own: integer times, a lifetime of at most its TTL.
    """

    def __init__(self, secret: str, algorithm: str = "HS256", ttl_seconds: int = 3600) -> None:
        self._secret = secret
        self._algorithm = algorithm
        self._ttl = ttl_seconds
        # A client sends the same token with every request: check its signature once,
        # and its expiry every time. Failures are not cached (lru_cache keeps returns only).
        self._checked = functools.lru_cache(maxsize=4096)(self._check)

    def issue(self, user_id: UserId) -> AccessToken:
        now = int(time.time())
        claims = {"sub": str(user_id), "iat": now, "exp": now + self._ttl}
        token = jwt.encode(claims, self._secret, algorithm=self._algorithm)
        return AccessToken(token, self._ttl)

    def verify(self, token: str) -> UserId:
        try:
            user_id, issued_at, expires_at = self._checked(token)
        except Exception as error:
            # The token is the client's: whatever fails while reading it (PyJWT's errors,
            # but also overflows or deep nesting in its JSON) means it is not ours.
            raise AuthenticationError(INVALID_TOKEN) from error
        now = time.time()
        if expires_at <= now or issued_at > now + CLOCK_SKEW_SECONDS:
            raise AuthenticationError(INVALID_TOKEN)
        return user_id

    def _check(self, token: str) -> tuple[UserId, int, int]:
        """The signature and everything about the claims that does not change with time."""
        claims = jwt.decode(
            token,
            self._secret,
            # Pinned: "none" and every other algorithm are refused.
            algorithms=[self._algorithm],
            # iat is checked in `verify`, with the clock skew allowance.
            options={"require": ["sub", "exp", "iat"], "verify_iat": False},
        )
        issued_at, expires_at = _timestamp(claims["iat"]), _timestamp(claims["exp"])
        if not 0 < expires_at - issued_at <= self._ttl:
            raise jwt.InvalidTokenError("the token's lifetime is not one we issue")
        return UserId(UUID(claims["sub"])), issued_at, expires_at


def _timestamp(value: Any) -> int:
    # We issue whole seconds; floats, booleans, strings and negatives are not ours.
    if type(value) is not int or value < 0:
        raise jwt.InvalidTokenError("a token time must be a whole, non-negative number")
    return value
