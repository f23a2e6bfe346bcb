"""Argon2 hashing: salted, verifiable, never accepting a wrong password, and bounded."""

import asyncio
import os
import threading
import time
from typing import Any

import pytest

from domain.errors import UnavailableError
from infrastructure.security import Argon2PasswordHasher


@pytest.fixture
def hasher() -> Argon2PasswordHasher:
    return Argon2PasswordHasher(time_cost=1, memory_kib=8)


@pytest.mark.asyncio
async def test_hash_verifies_the_same_password_only(hasher: Argon2PasswordHasher) -> None:
    stored = await hasher.hash("correct horse")
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert await hasher.verify(stored, "correct horse")
    assert not await hasher.verify(stored, "correct horsE")


@pytest.mark.asyncio
async def test_each_hash_has_its_own_salt(hasher: Argon2PasswordHasher) -> None:
    assert await hasher.hash("same password") != await hasher.hash("same password")


@pytest.mark.asyncio
async def test_a_corrupt_hash_is_a_mismatch_not_a_crash(hasher: Argon2PasswordHasher) -> None:
    assert not await hasher.verify("not-a-hash", "whatever")


class CountingArgon2:
    """Argon2 that records the hashes it verifies against."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.verified: list[str] = []

    def hash(self, password: str) -> str:
        return str(self.real.hash(password))

    def verify(self, password_hash: str, password: str) -> bool:
        self.verified.append(password_hash)
        return bool(self.real.verify(password_hash, password))


def _parameters(encoded: str) -> str:
    """``$argon2id$v=19$m=...,t=...,p=...`` of an encoded hash: what its cost depends on."""
    return encoded.rsplit("$", 2)[0]


@pytest.mark.asyncio
async def test_burn_spends_a_verification(hasher: Argon2PasswordHasher) -> None:
    counting = CountingArgon2(hasher._argon2)
    hasher._argon2 = counting  # type: ignore[assignment]
    await hasher.burn("anything at all")
    # One real verification, against a hash of the same cost as a user's: as slow.
    assert len(counting.verified) == 1
    assert _parameters(counting.verified[0]) == _parameters(await hasher.hash("a user's"))


class HeldArgon2:
    """Argon2 whose hashes wait for ``gate``: work that stays running until released."""

    def __init__(self, real: Any, gate: threading.Event) -> None:
        self.real, self.gate = real, gate

    def hash(self, password: str) -> str:
        self.gate.wait(5)
        return str(self.real.hash(password))

    def verify(self, password_hash: str, password: str) -> bool:
        return bool(self.real.verify(password_hash, password))


@pytest.mark.asyncio
async def test_hashing_past_its_running_and_waiting_bound_is_refused_at_once() -> None:
    hasher = Argon2PasswordHasher(time_cost=1, memory_kib=8, concurrency=1, queue=1)
    gate = threading.Event()
    hasher._argon2 = HeldArgon2(hasher._argon2, gate)  # type: ignore[assignment]
    running = asyncio.create_task(hasher.hash("first"))
    waiting = asyncio.create_task(hasher.hash("second"))
    await asyncio.sleep(0.05)
    started = time.monotonic()
    with pytest.raises(UnavailableError, match="too many sign-ins at once"):
        await hasher.verify("$argon2id$whatever", "third")
    assert time.monotonic() - started < 0.05
    gate.set()
    assert all(stored.startswith("$argon2id$") for stored in await asyncio.gather(running, waiting))
    # The bound frees as the work ends.
    assert await hasher.verify(await hasher.hash("fourth"), "fourth")


def test_the_default_bound_follows_the_cpu_count() -> None:
    hasher = Argon2PasswordHasher(time_cost=1, memory_kib=8)
    cpus = os.cpu_count() or 1
    assert hasher._capacity == 3 * cpus
