"""Running a write at most once per idempotency key: the one flow of every keyed POST.

Within one unit of work: claim the key, replay what it answered before (or refuse a
different request under it), else run the effect, render its response, remember that,
and commit; so the remembered response commits or rolls back with the effect. A retry
of a transient failure (``UseCaseRunner``) reruns the whole flow on a fresh unit.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from domain.idempotency import KEY_REUSED, KeyReusedError, RememberedResponse
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
    """The reply to ``request``: the remembered one if its key was used before with the
    same request; ``KeyReusedError`` if with another; ``KeyInUseError`` while another
    unit of work holds the key; else ``effect``'s outcome as ``render`` answers it,
    remembered in the same transaction. An effect that raises remembers nothing.
    """
    async with uow:
        stored = await uow.remembered.claim(owner_id, request.key)
        if stored is not None:
            if stored.fingerprint != request.fingerprint:
                raise KeyReusedError(KEY_REUSED)
            return Reply(stored.status, stored.body, stored.location, stored.etag, replayed=True)
        reply = render(await effect(uow))
        await uow.remembered.remember(
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
        await uow.commit()
    return reply
