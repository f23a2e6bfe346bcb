"""Argon2 hashing: salted, verifiable, never accepting a wrong password."""

import pytest

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


@pytest.mark.asyncio
async def test_burn_spends_a_verification(hasher: Argon2PasswordHasher) -> None:
    await hasher.burn("anything at all")
