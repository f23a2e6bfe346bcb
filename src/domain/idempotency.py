"""Remembered responses: what a keyed write answered, kept so a retry gets it again.

A record is written in the same transaction as the write it describes, so it exists
exactly when the write does; a key belongs to its user alone.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from domain.errors import ConflictError, DomainError
from domain.ids import UserId

KEY_MAX_LENGTH = 255
# Printable ASCII without the space (RFC 9110 visible characters, VCHAR).
_VISIBLE = range(0x21, 0x7F)
# A first use still running usually ends within a request's time; a client that waits
# this long then gets the stored response (or may run the request itself).
IN_PROGRESS_RETRY_AFTER_S = 1


def is_valid_key(key: str) -> bool:
    """Whether ``key`` is 1..255 visible ASCII characters."""
    return 1 <= len(key) <= KEY_MAX_LENGTH and all(ord(char) in _VISIBLE for char in key)


@dataclass(frozen=True, slots=True)
class RememberedResponse:
    """The answer to the first successful request under ``key``: its ``status``, body
    bytes and the ``Location``/``ETag`` it carried; ``fingerprint`` identifies the
    request (method, path, body), so the key cannot be reused for another.
    """

    owner_id: UserId
    key: str
    fingerprint: str
    status: int
    body: bytes
    location: str | None
    etag: str | None
    created_at: datetime


class Remembering(Enum):
    """What became of a response offered to be remembered under its key."""

    # Stored: this unit of work's write is the key's first use (once it commits).
    STORED = "stored"
    # Another unit of work stored it and has not ended: its request is still running.
    IN_PROGRESS = "in progress"
    # A committed request already answered under this key.
    TAKEN = "taken"


class KeyReusedError(DomainError):
    """An idempotency key came back with a different request than its first use."""


class KeyInUseError(ConflictError):
    """The first request under this key is still running; retry after
    ``retry_after_s`` seconds to get its stored response.
    """

    def __init__(self, detail: str, retry_after_s: int = IN_PROGRESS_RETRY_AFTER_S) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s


KEY_REUSED = "this Idempotency-Key was first used with a different request"
KEY_IN_USE = "a request with this Idempotency-Key is still running; retry shortly"
