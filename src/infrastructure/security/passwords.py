"""Argon2id password hashing, run in a worker thread so the event loop keeps serving."""

import asyncio

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


class Argon2PasswordHasher:
    """Argon2id with a random salt per hash; cost parameters come from settings."""

    def __init__(self, time_cost: int = 3, memory_kib: int = 65536, parallelism: int = 1) -> None:
        self._argon2 = _Argon2(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
        # A real hash to verify against for unknown e-mails, so they cost the same time.
        self._decoy = self._argon2.hash("tasklane-decoy-password")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._argon2.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        return await asyncio.to_thread(self._check, password_hash, password)

    async def burn(self, password: str) -> None:
        await asyncio.to_thread(self._check, self._decoy, password)

    def _check(self, password_hash: str, password: str) -> bool:
        try:
            return self._argon2.verify(password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False
