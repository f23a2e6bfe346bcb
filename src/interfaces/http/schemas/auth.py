"""Bodies of the authentication routes."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from application.ports import AccessToken
from domain.user import (
    DISPLAY_NAME_MAX_LENGTH,
    DISPLAY_NAME_MIN_LENGTH,
    EMAIL_MAX_LENGTH,
    EMAIL_MIN_LENGTH,
    EMAIL_PATTERN,
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
)
from interfaces.http.schemas.common import AttributesResponse, StrictRequest, text


class RegisterRequest(StrictRequest):
    """Sign-up credentials."""

    email: Annotated[str, text(EMAIL_MIN_LENGTH, EMAIL_MAX_LENGTH, EMAIL_PATTERN)]
    password: Annotated[str, text(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH)]
    display_name: Annotated[str, text(DISPLAY_NAME_MIN_LENGTH, DISPLAY_NAME_MAX_LENGTH)] | None = (
        None
    )


class LoginRequest(StrictRequest):
    """Credentials to exchange for a token (any mismatch is 401, never 400)."""

    email: str
    password: str


class UserResponse(AttributesResponse):
    """A user, never with its password hash."""

    id: UUID
    email: str
    display_name: str | None
    created_at: datetime


class TokenResponse(msgspec.Struct):
    """A bearer token and its lifetime in seconds."""

    access_token: str
    expires_in: int
    token_type: str = "bearer"

    @classmethod
    def of(cls, token: AccessToken) -> "TokenResponse":
        return cls(access_token=token.token, expires_in=token.expires_in)
