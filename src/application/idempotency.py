"""Running a write at most once per idempotency key: the one flow of every keyed POST.

Within one unit of work: run the effect, render its response and remember it under the
key unless the key is taken, and commit; so the remembered response commits or rolls
back with the effect. A taken key (or a refused effect) rolls the unit back, and the
record decides: replay it, refuse a different request under it, or report it running. A retry
of a transient failure (``UseCaseRunner``) reruns the whole flow on a fresh unit.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from domain.errors import DomainError, UnavailableError
from domain.idempotency import (
    KEY_IN_USE,
    KEY_REUSED,
    KeyInUseError,
    KeyReusedError,
    RememberedResponse,
    Remembering,
)
from domain.ids import UserId
from domain.unit_of_work import UnitOfWork

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class KeyedRequest:
    """The caller's key and the fingerprint of the request it came with."""

    key: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class Reply:
    """A success response as sent: status, body bytes, ``Location`` and ``ETag``;
    ``replayed`` when it is the remembered answer of an earlier request.
    """

    status: int
    body: bytes
    location: str | None = None
    etag: str | None = None
    replayed: bool = False


Effect = Callable[[UnitOfWork], Awaitable[T]]
"""The use case's writes, run inside an open unit of work that the flow commits."""


async def run_once(
    uow: UnitOfWork,
    owner_id: UserId,
    request: KeyedRequest,
    effect: Effect[T],
    render: Callable[[T], Reply],
) -> Reply:
    """The reply to ``request``: ``effect``'s outcome as ``render`` answers it, remembered
    in the same transaction; or, when the key was used before, the remembered reply (same
    request) or ``KeyReusedError`` (another request); ``KeyInUseError`` while the unit of
    work that first used the key is still open. An effect that raises remembers nothing.

    The write runs first and the record is stored after it, in one statement, so a keyed
    request costs one statement more than an unkeyed one. A duplicate's write is rolled
    back, never committed; the key's record decides what it answers.
    """
    refused: DomainError | None = None
    async with uow:
        try:
            reply = render(await effect(uow))
        except UnavailableError:
            raise
        except DomainError as error:
            # Possibly the first use's own doing (its category now takes the name): the
            # record, read below, tells a replay from a request that really failed.
            refused = error
        else:
            remembering = await uow.remembered.remember_first(
                RememberedResponse(
                    owner_id=owner_id,
                    key=request.key,
                    fingerprint=request.fingerprint,
                    status=reply.status,
                    body=reply.body,
                    location=reply.location,
                    etag=reply.etag,
                    created_at=datetime.now(UTC),
                )
            )
            if remembering is Remembering.STORED:
                await uow.commit()
                return reply
            if remembering is Remembering.IN_PROGRESS:
                raise KeyInUseError(KEY_IN_USE)
    # Left without committing: this unit's write is gone. A fresh unit reads the record
    # (a failed statement may have spoilt the first one's transaction).
    async with uow.reading():
        stored = await uow.remembered.find(owner_id, request.key)
    if stored is None:
        # The request failed on its own merits (or the record has just been purged).
        raise refused or KeyInUseError(KEY_IN_USE)
    if stored.fingerprint != request.fingerprint:
        raise KeyReusedError(KEY_REUSED)
    return Reply(stored.status, stored.body, stored.location, stored.etag, replayed=True)
