"""Remembered idempotency responses: stored with their unit of work, unique per user."""

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.idempotency import RememberedResponse, Remembering
from domain.user import User
from tests.behaviour.conftest import SQL_SERVERS
from tests.behaviour.support import UowFactory

pytestmark = pytest.mark.asyncio

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def response(owner: User, key: str = "key-1", **changes: object) -> RememberedResponse:
    remembered = RememberedResponse(
        owner_id=owner.id,
        key=key,
        fingerprint="f" * 64,
        status=201,
        body=b'{"id": 1, "title": "caf\xc3\xa9"}',
        location="/tasks/1",
        etag='"1"',
        created_at=NOW,
    )
    return replace(remembered, **changes)  # type: ignore[arg-type]


async def remember(uow_factory: UowFactory, remembered: RememberedResponse) -> None:
    uow = uow_factory()
    async with uow:
        assert await uow.remembered.remember_first(remembered) is Remembering.STORED
        await uow.commit()


async def find(uow_factory: UowFactory, owner: User, key: str) -> RememberedResponse | None:
    uow = uow_factory()
    async with uow:
        return await uow.remembered.find(owner.id, key)


async def test_a_remembered_response_is_found_as_stored(
    uow_factory: UowFactory, alice: User
) -> None:
    stored = response(alice, location=None, etag=None, status=202)
    await remember(uow_factory, stored)
    assert await find(uow_factory, alice, "key-1") == stored
    assert await find(uow_factory, alice, "key-2") is None


async def test_it_rolls_back_with_its_unit_of_work(uow_factory: UowFactory, alice: User) -> None:
    uow = uow_factory()
    async with uow:
        assert await uow.remembered.remember_first(response(alice)) is Remembering.STORED
        assert await uow.remembered.find(alice.id, "key-1") == response(alice)
    assert await find(uow_factory, alice, "key-1") is None


async def test_a_key_is_unique_per_user(uow_factory: UowFactory, alice: User, bob: User) -> None:
    await remember(uow_factory, response(alice))
    uow = uow_factory()
    async with uow:
        taken = await uow.remembered.remember_first(response(alice, status=200))
        assert taken is Remembering.TAKEN
    # Bob's key of the same name is his own.
    await remember(uow_factory, response(bob, status=200))
    assert (await find(uow_factory, alice, "key-1")) == response(alice)
    found = await find(uow_factory, bob, "key-1")
    assert found is not None
    assert found.status == 200


async def test_keys_are_case_sensitive(uow_factory: UowFactory, alice: User) -> None:
    await remember(uow_factory, response(alice, key="Key"))
    await remember(uow_factory, response(alice, key="key", status=200))
    assert (await find(uow_factory, alice, "Key")) == response(alice, key="Key")


async def test_expired_responses_are_purged_oldest_first_in_bounded_batches(
    uow_factory: UowFactory, alice: User
) -> None:
    for hours in range(5):
        await remember(
            uow_factory, response(alice, f"old-{hours}", created_at=NOW - timedelta(hours=hours))
        )
    await remember(uow_factory, response(alice, "fresh", created_at=NOW + timedelta(hours=1)))
    uow = uow_factory()
    async with uow:
        assert await uow.remembered.purge_expired(NOW + timedelta(minutes=1), 2) == 2
        await uow.commit()
    # The two oldest went first.
    assert await find(uow_factory, alice, "old-4") is None
    assert await find(uow_factory, alice, "old-3") is None
    assert await find(uow_factory, alice, "old-2") is not None
    async with uow:
        assert await uow.remembered.purge_expired(NOW + timedelta(minutes=1), 100) == 3
        await uow.commit()
    assert await find(uow_factory, alice, "fresh") is not None
    assert await find(uow_factory, alice, "old-0") is None


@pytest.mark.parametrize("backend", SQL_SERVERS)
async def test_a_key_stored_by_an_open_unit_is_in_progress_for_others_until_it_ends(
    uow_factory: UowFactory, alice: User, bob: User
) -> None:
    holder, other = uow_factory(), uow_factory()
    async with holder:
        assert await holder.remembered.remember_first(response(alice)) is Remembering.STORED
        async with other:
            # Reported at once rather than waiting on the holder's row.
            answer = await asyncio.wait_for(other.remembered.remember_first(response(alice)), 5)
            assert answer is Remembering.IN_PROGRESS
        async with other:
            # Another key, or another user's key of that name, is free.
            assert await other.remembered.remember_first(response(alice, "key-2")) is (
                Remembering.STORED
            )
            assert await other.remembered.remember_first(response(bob)) is Remembering.STORED
        await holder.commit()
    # Once the holder committed, the key is taken, and its record is there to replay.
    async with other:
        assert await other.remembered.remember_first(response(alice)) is Remembering.TAKEN
        assert await other.remembered.find(alice.id, "key-1") == response(alice)


@pytest.mark.parametrize("backend", SQL_SERVERS)
async def test_a_key_stored_by_a_unit_that_rolled_back_is_free_again(
    uow_factory: UowFactory, alice: User
) -> None:
    holder, other = uow_factory(), uow_factory()
    async with holder:
        assert await holder.remembered.remember_first(response(alice)) is Remembering.STORED
    async with other:
        assert await other.remembered.remember_first(response(alice)) is Remembering.STORED
