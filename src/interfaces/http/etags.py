"""Entity tags. A task's is its version (``ETag: "3"``), which ``If-Match`` names to make
a write conditional; anything without a version (a category, a list page) gets a weak tag
hashed from its encoded body. ``If-None-Match`` naming the current tag makes a read 304.
"""

import re

import xxhash

from domain.errors import PreconditionFailedError
from domain.ids import MAX_ID

CANNOT_MATCH = "If-Match names no version this task can have"
_MAX_DIGITS = len(str(MAX_ID))
# RFC 9110 §8.8.3: an entity tag, and a list of them (empty elements allowed, §5.6.1).
_TAG = r'(?:W/)?"[\x21\x23-\x7e\x80-\xff]*"'
_TAGS = re.compile(rf"[ \t,]*{_TAG}(?:[ \t]*,[ \t,]*{_TAG})*[ \t,]*")
_OPAQUE = re.compile(r'"[^"]*"')


def etag(version: int) -> str:
    """The quoted entity tag of a version."""
    return f'"{version}"'


def weak_etag(body: bytes) -> str:
    """A weak tag of an encoded body: it changes whenever any byte does. Weak because
    it vouches for the content, not for one encoding of it on the wire.
    """
    # 128 bits: two versions of one resource never share a tag by chance.
    return f'W/"{xxhash.xxh3_128_hexdigest(body)}"'


def none_match(if_none_match: str, current: str) -> bool:
    """Whether ``If-None-Match`` names the ``current`` tag, by weak comparison (RFC 9110
    §13.1.2: ``W/"x"`` and ``"x"`` match), or is ``*``. A malformed value names nothing,
    so the client gets the full answer rather than a wrong 304.
    """
    value = if_none_match.strip(" \t")
    if value == "*":
        return True
    if not _TAGS.fullmatch(value):
        return False
    return current.removeprefix("W/") in _OPAQUE.findall(value)


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
