"""Password hashing and bearer tokens: the adapters behind the application's ports."""

from infrastructure.security.attempt_limiter import LimitsAttemptLimiter
from infrastructure.security.passwords import Argon2PasswordHasher
from infrastructure.security.tokens import JwtTokenService

__all__ = ["Argon2PasswordHasher", "JwtTokenService", "LimitsAttemptLimiter"]
