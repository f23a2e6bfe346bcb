"""User invariants: a normalised, valid e-mail; bounded password and display name."""

import pytest

from domain.errors import InvalidInputError
from domain.user import (
    EMAIL_MAX_LENGTH,
    NewUser,
    checked_display_name,
    checked_password,
    normalized_email,
)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Ann@Example.COM", "ann@example.com"),
        ("a.b+tag@sub.example.org", "a.b+tag@sub.example.org"),
        ("ÄNN@例え.jp", "änn@例え.jp"),
    ],
)
def test_email_is_lower_cased(given: str, stored: str) -> None:
    assert normalized_email(given) == stored


INVALID_EMAILS = (
    "",
    "plain",
    "a@b",
    "a@@b.com",
    "a b@c.com",
    "a@b .com",
    "@b.com",
    "a@.com",
    "a@b.",
    "a\x00@b.c",
)


@pytest.mark.parametrize("email", INVALID_EMAILS)
def test_invalid_emails_are_refused(email: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        normalized_email(email)
    assert [p.field for p in raised.value.problems] == ["email"]


def test_email_length_is_bounded() -> None:
    local = "a" * (EMAIL_MAX_LENGTH - len("@b.co"))
    assert normalized_email(f"{local}@b.co") == f"{local}@b.co"
    with pytest.raises(InvalidInputError):
        normalized_email(f"{local}a@b.co")


def test_new_user_normalises_its_email() -> None:
    assert NewUser("Ann@Example.com", "hash").email == "ann@example.com"
    with pytest.raises(InvalidInputError):
        NewUser("not-an-email", "hash")
    with pytest.raises(InvalidInputError):
        NewUser("ann@example.com", "hash", "")


@pytest.mark.parametrize(
    ("password", "valid"),
    [
        ("x" * 7, False),
        ("x" * 8, True),
        ("x" * 128, True),
        ("x" * 129, False),
        ("ü" * 8, True),
        ("pass\x00word", False),
    ],
)
def test_password_bounds(password: str, valid: bool) -> None:
    if valid:
        assert checked_password(password) == password
    else:
        with pytest.raises(InvalidInputError):
            checked_password(password)


def test_display_name_bounds() -> None:
    assert checked_display_name(None) is None
    assert checked_display_name("n" * 100) == "n" * 100
    for bad in ("", "n" * 101):
        with pytest.raises(InvalidInputError):
            checked_display_name(bad)


def test_email_with_a_trailing_newline_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        normalized_email("ann@example.com\n")
