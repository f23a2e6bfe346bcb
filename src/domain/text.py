"""Checks shared by every text field: length in code points, and no NUL."""

import unicodedata

from domain.errors import InvalidInputError


def without_nul(field: str, value: str) -> str:
    """Return ``value`` when it holds no NUL (no store keeps one), else raise
    ``InvalidInputError``.
    """
    if "\x00" in value:
        raise InvalidInputError.for_field(field, "must not contain NUL characters")
    return value


def checked_text(field: str, value: str, *, min_length: int, max_length: int) -> str:
    """Return ``value`` when it fits the bounds, else raise ``InvalidInputError``."""
    without_nul(field, value)
    if not min_length <= len(value) <= max_length:
        raise InvalidInputError.for_field(
            field, f"must be {min_length} to {max_length} characters long"
        )
    return value


def checked_optional_text(
    field: str, value: str | None, *, min_length: int, max_length: int
) -> str | None:
    """Like ``checked_text`` for a nullable field."""
    if value is None:
        return None
    return checked_text(field, value, min_length=min_length, max_length=max_length)


def fold_case(value: str) -> str:
    """The form under which text compares ignoring letter case, in every script
    (``"Élan"`` and ``"élan"`` fold alike). Every store compares through this one rule.
    """
    return value.lower()


def canonical(value: str) -> str:
    """``value`` in Unicode NFC, so composed and decomposed spellings are one text."""
    return unicodedata.normalize("NFC", value)
