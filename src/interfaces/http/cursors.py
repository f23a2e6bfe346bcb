"""Cursors: where a page ended, as an opaque string bound to its user, sort and filters.

A cursor is base64url of a msgpack payload (a digest of the list's sort and filters, the
last item's sort value and id) and an HMAC of the user's id and that payload, so a client
can neither forge a position nor carry one over to another list or another user.
"""

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import msgspec

from domain.errors import InvalidInputError
from domain.ids import UserId
from domain.paging import Page, PageWindow, Position

T = TypeVar("T")

FIELD = "cursor"
NOT_OURS = "is malformed, altered, or not issued to this user"
OTHER_LIST = "was issued for another sort or other filters: send those, or leave cursor out"
WITH_OFFSET = "cannot be combined with offset"
# Long enough for any title (800 bytes of UTF-8) with room to spare; longer is not ours.
MAX_LENGTH = 2048
_TAG_BYTES = 16
_SCOPE_BYTES = 8
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


class _Payload(msgspec.Struct, array_like=True, forbid_unknown_fields=True):
    # msgspec unions allow one string-like type: times travel as microseconds.
    scope: bytes
    value: int | str | None
    id: int


_decoder = msgspec.msgpack.Decoder(_Payload)


class CursorCodec:
    """Seals positions into cursors and opens them again, with a key of its own."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def window(
        self,
        owner: UserId,
        filters: object,
        page: tuple[int, int],
        offset_given: bool,
        cursor: str | None,
    ) -> PageWindow:
        """The window a request names: ``page`` (limit, offset), or after ``cursor``,
        which must be this user's, for these ``filters``, and come without an offset.
        """
        limit, offset = page
        if cursor is None:
            return PageWindow(limit, offset)
        if offset_given:
            raise InvalidInputError.for_field(FIELD, WITH_OFFSET)
        return PageWindow(limit, after=self.open(cursor, owner, filters))

    def next_cursor(
        self,
        owner: UserId,
        filters: object,
        page: Page[T],
        position_of: Callable[[T], Position],
    ) -> str | None:
        """The cursor of the page after ``page``; ``None`` when none follows."""
        if not page.more or not page.items:
            return None
        return self.seal(owner, filters, position_of(page.items[-1]))

    def seal(self, owner: UserId, filters: object, position: Position) -> str:
        """``position`` as a cursor for ``owner``'s list with ``filters``."""
        value = position.value
        wire = (value - _EPOCH) // _MICROSECOND if isinstance(value, datetime) else value
        payload = msgspec.msgpack.encode(_Payload(_scope(filters), wire, position.id))
        sealed = payload + self._tag(owner, payload)
        return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")

    def open(self, cursor: str, owner: UserId, filters: object) -> Position:
        """The position ``cursor`` holds; 400 (``InvalidInputError``) when it is not one
        this codec sealed for ``owner``, or was sealed for other ``filters``.
        """
        if len(cursor) > MAX_LENGTH or not _BASE64URL.fullmatch(cursor):
            raise InvalidInputError.for_field(FIELD, NOT_OURS)
        try:
            sealed = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        except binascii.Error:  # a length no encoding has
            raise InvalidInputError.for_field(FIELD, NOT_OURS) from None
        payload, tag = sealed[:-_TAG_BYTES], sealed[-_TAG_BYTES:]
        if len(sealed) <= _TAG_BYTES or not hmac.compare_digest(tag, self._tag(owner, payload)):
            raise InvalidInputError.for_field(FIELD, NOT_OURS)
        try:
            decoded = _decoder.decode(payload)
        except msgspec.DecodeError:
            # Signed by us, so never expected; still the client's input, not a 500.
            raise InvalidInputError.for_field(FIELD, NOT_OURS) from None
        if not hmac.compare_digest(decoded.scope, _scope(filters)):
            raise InvalidInputError.for_field(FIELD, OTHER_LIST)
        value = decoded.value
        return Position(
            _EPOCH + value * _MICROSECOND if isinstance(value, int) else value, decoded.id
        )

    def _tag(self, owner: UserId, payload: bytes) -> bytes:
        return hmac.digest(self._key, owner.bytes + payload, hashlib.sha256)[:_TAG_BYTES]


def _scope(filters: object) -> bytes:
    # A digest, not the filters themselves: a 200-character search stays out of the cursor.
    return hashlib.sha256(msgspec.msgpack.encode(filters)).digest()[:_SCOPE_BYTES]
