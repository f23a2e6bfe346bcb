"""Fast but real implementations of the non-persistence ports."""

import hashlib
import hmac
import secrets
from uuid import UUID

from application.ports import AccessToken, AttemptRule
from domain.errors import AuthenticationError
from domain.ids import UserId


class FakePasswordHasher:
    """Salted SHA-256: wrong passwords really fail, in microseconds instead of argon2's
    tenth of a second.
    """

    def __init__(self) -> None:
        self.hashed = 0
        self.verified = 0
        self.burned = 0

    async def hash(self, password: str) -> str:
        self.hashed += 1
        salt = secrets.token_hex(8)
        return f"{salt}${self._digest(salt, password)}"

    async def verify(self, password_hash: str, password: str) -> bool:
        self.verified += 1
        salt, _, digest = password_hash.partition("$")
        return hmac.compare_digest(digest, self._digest(salt, password))

    async def burn(self, password: str) -> None:
        self.burned += 1
        self._digest("burn", password)

    @staticmethod
    def _digest(salt: str, password: str) -> str:
        return hashlib.sha256(f"{salt}:{password}".encode()).hexdigest()


class FakeTokenService:
    """Tokens that name their user in clear text; anything else is refused."""

    PREFIX = "fake-token:"

    def issue(self, user_id: UserId) -> AccessToken:
        return AccessToken(f"{self.PREFIX}{user_id}", 3600)

    def verify(self, token: str) -> UserId:
        if not token.startswith(self.PREFIX):
            raise AuthenticationError("malformed token")
        try:
            return UserId(UUID(token.removeprefix(self.PREFIX)))
        except ValueError:
            raise AuthenticationError("malformed token") from None


class FakeAttemptLimiter:
    """Counts attempts per (rule, key) with no clock: past ``limits[rule]`` attempts it
    answers ``wait_s`` until ``forget`` is called, as a window that never moves on.
    """

    def __init__(self, limits: dict[AttemptRule, int] | None = None, wait_s: int = 60) -> None:
        self.limits = limits or {}
        self.wait_s = wait_s
        self.counts: dict[tuple[AttemptRule, str], int] = {}

    async def hit(self, rule: AttemptRule, key: str) -> int:
        if wait := await self.peek(rule, key):
            return wait
        self.counts[rule, key] = self.counts.get((rule, key), 0) + 1
        return 0

    async def peek(self, rule: AttemptRule, key: str) -> int:
        full = self.counts.get((rule, key), 0) >= self.limits.get(rule, 1_000_000)
        return self.wait_s if full else 0

    def forget(self) -> None:
        """The window passes: every count starts again from zero."""
        self.counts.clear()
