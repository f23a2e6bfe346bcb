"""Remembered responses stored with Core statements; claims are PostgreSQL advisory locks."""

import hashlib
from datetime import datetime

from sqlalchemy import delete, func, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from domain.idempotency import RememberedResponse
from domain.ids import UserId
from infrastructure.persistence.sqlalchemy.execution import execute
from infrastructure.persistence.sqlalchemy.records import remembered_responses as table


def lock_id(owner_id: UserId, key: str) -> int:
    """The signed 64-bit advisory lock id of an owner's key. Two keys may share one (a
    hash): that costs a spurious 409, never a second run.
    """
    digest = hashlib.blake2b(owner_id.bytes + key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class SqlAlchemyRememberedResponses:
    """``RememberedResponses`` on an ``AsyncSession``."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, owner_id: UserId, key: str) -> bool:
        if self._session.get_bind().dialect.name != "postgresql":
            # SQLite: every unit of work begins IMMEDIATE, holding the one write lock
            # until it ends, so the open unit already holds every key.
            return True
        # Transaction-scoped: released at COMMIT or ROLLBACK, never held across the
        # client's think time, and it works behind a transaction-mode pooler.
        statement = select(func.pg_try_advisory_xact_lock(lock_id(owner_id, key)))
        return bool((await execute(self._session, statement)).scalar_one())

    async def find(self, owner_id: UserId, key: str) -> RememberedResponse | None:
        statement = select(table).where(table.c.user_id == owner_id, table.c.key == key)
        row = (await execute(self._session, statement)).mappings().one_or_none()
        if row is None:
            return None
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
        await execute(self._session, statement)

    async def purge_expired(self, before: datetime, limit: int) -> int:
        oldest = (
            select(table.c.user_id, table.c.key)
            .where(table.c.created_at < before)
            .order_by(table.c.created_at)
            .limit(limit)
        )
        if self._session.get_bind().dialect.name == "postgresql":
            # Two workers sweeping at once split the rows instead of waiting on each other.
            oldest = oldest.with_for_update(skip_locked=True)
        statement = delete(table).where(tuple_(table.c.user_id, table.c.key).in_(oldest))
        result = await execute(self._session, statement)
        return int(getattr(result, "rowcount", 0))
