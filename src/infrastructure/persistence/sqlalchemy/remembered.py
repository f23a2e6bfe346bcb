"""Remembered responses stored with Core statements; claims are PostgreSQL advisory locks."""

import hashlib
from datetime import datetime

from sqlalchemy import RowMapping, and_, delete, func, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.idempotency import KEY_IN_USE, KeyInUseError, RememberedResponse
from domain.ids import UserId
from infrastructure.persistence.sqlalchemy.execution import execute
from infrastructure.persistence.sqlalchemy.records import remembered_responses as table


def lock_id(owner_id: UserId, key: str) -> int:
    """The signed 64-bit advisory lock id of an owner's key. Two keys may share one (a
    hash): that costs a spurious 409, never a second run.
    """
    digest = hashlib.blake2b(owner_id.bytes + key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _remembered(row: RowMapping) -> RememberedResponse:
    return RememberedResponse(
        owner_id=UserId(row["user_id"]),
        key=row["key"],
        fingerprint=row["fingerprint"],
        status=row["status"],
        body=bytes(row["body"]),
        location=row["location"],
        etag=row["etag"],
        created_at=row["created_at"],
    )


class SqlAlchemyRememberedResponses:
    """``RememberedResponses`` on an ``AsyncConnection``."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def claim(self, owner_id: UserId, key: str) -> RememberedResponse | None:
        if self._connection.dialect.name != "postgresql":
            # SQLite: every unit of work begins IMMEDIATE, holding the one write lock
            # until it ends, so the open unit already holds every key.
            return await self.find(owner_id, key)
        # The lock is transaction-scoped: released at COMMIT or ROLLBACK, never held
        # across the client's think time, and it works behind a transaction-mode pooler.
        # Taken and read in one round trip: the read's snapshot may predate the lock, so
        # a holder committing in between goes unseen; then our insert meets its row
        # (the primary key) and answers 409, and the retry replays.
        lock = select(
            func.pg_try_advisory_xact_lock(lock_id(owner_id, key)).label("claimed")
        ).subquery()
        mine = and_(table.c.user_id == owner_id, table.c.key == key)
        statement = select(lock.c.claimed, table).select_from(lock.outerjoin(table, mine))
        row = (await execute(self._connection, statement)).mappings().one()
        if not row["claimed"]:
            raise KeyInUseError(KEY_IN_USE)
        return None if row["key"] is None else _remembered(row)

    async def find(self, owner_id: UserId, key: str) -> RememberedResponse | None:
        statement = select(table).where(table.c.user_id == owner_id, table.c.key == key)
        row = (await execute(self._connection, statement)).mappings().one_or_none()
        return None if row is None else _remembered(row)

    async def remember(self, response: RememberedResponse) -> None:
        statement = insert(table).values(
            user_id=response.owner_id,
            key=response.key,
            fingerprint=response.fingerprint,
            status=response.status,
            body=response.body,
            location=response.location,
            etag=response.etag,
            created_at=response.created_at,
        )
        await execute(self._connection, statement)

    async def purge_expired(self, before: datetime, limit: int) -> int:
        oldest = (
            select(table.c.user_id, table.c.key)
            .where(table.c.created_at < before)
            .order_by(table.c.created_at)
            .limit(limit)
        )
        if self._connection.dialect.name == "postgresql":
            # Two workers sweeping at once split the rows instead of waiting on each other.
            oldest = oldest.with_for_update(skip_locked=True)
        statement = delete(table).where(tuple_(table.c.user_id, table.c.key).in_(oldest))
        result = await execute(self._connection, statement)
        return int(getattr(result, "rowcount", 0))
