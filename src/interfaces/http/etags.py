"""Entity tags are task versions: ``ETag: "3"``; ``If-Match`` names the expected one."""

from domain.errors import PreconditionFailedError
from domain.ids import MAX_ID

CANNOT_MATCH = "If-Match names no version this task can have"
_MAX_DIGITS = len(str(MAX_ID))


def etag(version: int) -> str:
    """The quoted entity tag of a version."""
    return f'"{version}"'


def expected_version(if_match: str | None) -> int | None:
    """The version a write is conditional on; ``None`` when unconditional (no header, or
    ``*``, which any existing task matches). Tolerates ``W/"3"`` and a bare ``3``; a value
    that can never match (garbage, several tags, out of range) fails with 412 at once.
    """
    if if_match is None:
        return None
    value = if_match.strip()
    if value == "*":
        return None
    digits = value.removeprefix("W/").strip('"')
    plain = digits.isascii() and digits.isdigit() and len(digits) <= _MAX_DIGITS
    version = int(digits) if plain else 0
    if not 1 <= version <= MAX_ID:
        raise PreconditionFailedError(CANNOT_MATCH)
    return version
