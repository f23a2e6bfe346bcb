"""The User aggregate: an e-mail (lower-cased, unique), a password hash, a display name,
and when an administrator disabled it (a disabled user can neither log in nor use a token).
"""

import re
from dataclasses import dataclass
from datetime import datetime

from domain.errors import InvalidInputError
from domain.ids import UserId
from domain.text import canonical, checked_optional_text, checked_text, fold_case

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
DISPLAY_NAME_MIN_LENGTH = 1
DISPLAY_NAME_MAX_LENGTH = 100
EMAIL_MIN_LENGTH = 3
EMAIL_MAX_LENGTH = 254
# Another user signed up with that e-mail (in any letter case).
EMAIL_TAKEN = "e-mail already registered"
# A validly signed token whose user does not exist: refused like a forged one.
NO_SUCH_USER = "the token names no user"
# A validly signed token whose user was disabled by an administrator.
USER_DISABLED = "the token names a disabled user"

# Deliberately plain: one "@", a dotted domain, no spaces or control characters.
# Deliverability is the mail server's business, not ours. Spelt with explicit \u escapes
# (no \s, whose set differs between Python and ECMA-262) so that the API document can
# publish the very same pattern.
_SPACE = r"\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"
EMAIL_PATTERN = f"^[^@{_SPACE}]+@[^@.{_SPACE}]+(\\.[^@.{_SPACE}]+)+$"
_EMAIL = re.compile(EMAIL_PATTERN)


def normalized_email(value: str) -> str:
    """The canonical form of a valid address (NFC, then lower-cased, so composed and
    decomposed spellings are one account), or ``InvalidInputError``.
    """
    # Checked after folding: lower-casing can lengthen a text ("İ" becomes two points).
    folded = canonical(fold_case(canonical(value)))
    email = checked_text("email", folded, min_length=EMAIL_MIN_LENGTH, max_length=EMAIL_MAX_LENGTH)
    if not _EMAIL.fullmatch(email):
        raise InvalidInputError.for_field("email", "must be a valid e-mail address")
    return email


def checked_password(value: str) -> str:
    """The password itself when its length is acceptable."""
    return checked_text(
        "password", value, min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH
    )


def checked_display_name(value: str | None) -> str | None:
    """A display name of 1..100 characters, or ``None``."""
    return checked_optional_text(
        "display_name",
        value,
        min_length=DISPLAY_NAME_MIN_LENGTH,
        max_length=DISPLAY_NAME_MAX_LENGTH,
    )


@dataclass(frozen=True, slots=True)
class NewUser:
    """A user to register; the password is already hashed."""

    email: str
    password_hash: str
    display_name: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "email", normalized_email(self.email))
        checked_display_name(self.display_name)


@dataclass(frozen=True, slots=True)
class User:
    """A registered user. ``password_hash`` never leaves the service."""

    id: UserId
    email: str
    password_hash: str
    display_name: str | None
    created_at: datetime
    # When an administrator disabled the account (``litestar users disable``); ``None``
    # while it is active. A disabled user cannot log in, and their tokens are refused.
    disabled_at: datetime | None = None

    @property
    def is_disabled(self) -> bool:
        """Whether the account was disabled."""
        return self.disabled_at is not None
