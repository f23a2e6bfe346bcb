"""Remembered responses stored with Core statements; on PostgreSQL the first store of a key
takes a transaction-scoped advisory lock in the same statement."""

import hashlib
from datetime import datetime

from sqlalchemy import RowMapping, delete, func, literal, select, tuple_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.idempotency import RememberedResponse, Remembering
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

    async def remember_first(self, response: RememberedResponse) -> Remembering:
        values = {
            "user_id": response.owner_id,
            "key": response.key,
            "fingerprint": response.fingerprint,
            "status": response.status,
            "body": response.body,
            "location": response.location,
            "etag": response.etag,
            "created_at": response.created_at,
        }
        if self._connection.dialect.name != "postgresql":
            # SQLite: every unit of work begins IMMEDIATE and holds the one write lock
            # until it ends, so a stored key was committed.
            unless_stored = (
                sqlite_insert(table).values(values).on_conflict_do_nothing().returning(table.c.key)
            )
            row = (await execute(self._connection, unless_stored)).first()
            return Remembering.TAKEN if row is None else Remembering.STORED
        # One round trip: a transaction-scoped advisory lock on the key, then the insert
        # only if the lock was free. Whoever inserts holds the lock until its COMMIT or
        # ROLLBACK, so a free lock means no open unit has stored the key: the insert never
        # waits on another's row, and a conflict is with a committed one. No lock
        # outlives a transaction, and it works behind a transaction-mode pooler.
        lock = select(
            func.pg_try_advisory_xact_lock(lock_id(response.owner_id, response.key)).label("got")
        ).cte("claim")
        columns = list(values)
        chosen = select(*(literal(value, table.c[name].type) for name, value in values.items()))
        inserted = (
            postgresql_insert(table)
            .from_select(columns, chosen.where(select(lock.c.got).scalar_subquery()))
            .on_conflict_do_nothing()
            .returning(table.c.key)
            .cte("stored")
        )
        statement = select(lock.c.got, select(func.count()).select_from(inserted).scalar_subquery())
        got, stored = tuple((await execute(self._connection, statement)).one())
        if stored:
            return Remembering.STORED
        return Remembering.TAKEN if got else Remembering.IN_PROGRESS

    async def find(self, owner_id: UserId, key: str) -> RememberedResponse | None:
        statement = select(table).where(table.c.user_id == owner_id, table.c.key == key)
        row = (await execute(self._connection, statement)).mappings().one_or_none()
        return None if row is None else _remembered(row)

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
