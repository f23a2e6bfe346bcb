"""Password hashing, bearer tokens and their secret: the adapters behind the ports."""

from infrastructure.security.attempt_limiter import LimitsAttemptLimiter
from infrastructure.security.passwords import Argon2PasswordHasher
from infrastructure.security.secret_key import (
    SigningSecret,
    derived_key,
    resolve_signing_secret,
)
from infrastructure.security.tokens import JwtTokenService

__all__ = [
    "Argon2PasswordHasher",
    "JwtTokenService",
    "LimitsAttemptLimiter",
    "SigningSecret",
    "derived_key",
    "resolve_signing_secret",
]
