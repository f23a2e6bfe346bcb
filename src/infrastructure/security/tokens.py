"""Bearer tokens as JWTs (PyJWT) with one pinned HMAC algorithm."""

import functools
import time
from uuid import UUID

import jwt

from application.ports import AccessToken
from domain.errors import AuthenticationError
from domain.ids import UserId

INVALID_TOKEN = "the bearer token is missing, malformed, expired or not ours"


class JwtTokenService:
    """Issues tokens with ``sub``, ``iat`` and ``exp``; accepts only its own algorithm."""

    def __init__(self, secret: str, algorithm: str = "HS256", ttl_seconds: int = 3600) -> None:
        self._secret = secret
        self._algorithm = algorithm
        self._ttl = ttl_seconds
        # A client sends the same token with every request: check its signature once,
        # and its expiry every time. Failures are not cached (lru_cache keeps returns only).
        self._checked = functools.lru_cache(maxsize=4096)(self._check_signature)

    def issue(self, user_id: UserId) -> AccessToken:
        now = int(time.time())
        claims = {"sub": str(user_id), "iat": now, "exp": now + self._ttl}
        token = jwt.encode(claims, self._secret, algorithm=self._algorithm)
        return AccessToken(token, self._ttl)

    def verify(self, token: str) -> UserId:
        try:
            user_id, expires_at = self._checked(token)
        except (jwt.InvalidTokenError, ValueError, TypeError, AttributeError) as error:
            raise AuthenticationError(INVALID_TOKEN) from error
        if expires_at <= time.time():
            raise AuthenticationError(INVALID_TOKEN)
        return user_id

    def _check_signature(self, token: str) -> tuple[UserId, float]:
        claims = jwt.decode(
            token,
            self._secret,
            # Pinned: "none" and every other algorithm are refused.
            algorithms=[self._algorithm],
            options={"require": ["sub", "exp", "iat"]},
        )
        return UserId(UUID(claims["sub"])), float(claims["exp"])
