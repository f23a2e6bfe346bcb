"""Argon2id password hashing, run in worker threads so the event loop keeps serving."""

import asyncio
import os
from collections.abc import Callable
from typing import TypeVar

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.errors import UnavailableCause, UnavailableError

T = TypeVar("T")
BUSY = "too many sign-ins at once, try again shortly"


class Argon2PasswordHasher:
    """Argon2id with a random salt per hash; cost parameters come from settings.

    At most ``concurrency`` hashes run at once (default: the CPU count) and at most
    ``queue`` more wait (default: twice that); one more is refused at once with
    ``UnavailableError`` rather than queued, so a burst cannot pile up unbounded work.
    """

    def __init__(
        self,
        time_cost: int = 3,
        memory_kib: int = 65536,
        parallelism: int = 1,
        *,
        concurrency: int | None = None,
        queue: int | None = None,
    ) -> None:
        self._argon2 = _Argon2(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
        # A real hash to verify against for unknown e-mails, so they cost the same time.
        self._decoy = self._argon2.hash("tasklane-decoy-password")
        running = concurrency or os.cpu_count() or 1
        self._slots = asyncio.Semaphore(running)
        self._capacity = running + (2 * running if queue is None else queue)
        self._admitted = 0

    async def hash(self, password: str) -> str:
        return await self._run(self._argon2.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await self._run(self._check, password_hash, password)

    async def burn(self, password: str) -> None:
        await self._run(self._check, self._decoy, password)

    async def _run(self, work: Callable[..., T], *args: str) -> T:
        # One event loop admits and releases, so a plain counter is exact.
        if self._admitted >= self._capacity:
            raise UnavailableError(BUSY, UnavailableCause.OVERLOADED)
        self._admitted += 1
        try:
            async with self._slots:
                return await asyncio.to_thread(work, *args)
        finally:
            self._admitted -= 1

    def _check(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
