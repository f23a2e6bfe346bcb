"""Users stored with Core statements: one round trip per call."""

from datetime import UTC, datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from uuid_utils.compat import uuid7

from domain.ids import UserId
from domain.paging import Page, PageWindow
from domain.user import NewUser, User
from infrastructure.persistence.sqlalchemy.execution import execute
from infrastructure.persistence.sqlalchemy.mapping import to_user
from infrastructure.persistence.sqlalchemy.paging import fetch_page
from infrastructure.persistence.sqlalchemy.records import users


class SqlAlchemyUserRepository:
    """``UserRepository`` on an ``AsyncConnection``; never commits."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, user: NewUser) -> User:
        statement = (
            insert(users)
            .values(
                # v7 ids are time-ordered, so inserts append to the primary-key index.
                id=uuid7(),
                email=user.email,
                password_hash=user.password_hash,
                display_name=user.display_name,
                created_at=datetime.now(UTC),
            )
            .returning(*users.c)
        )
        return to_user((await execute(self._connection, statement)).mappings().one())

    async def get(self, user_id: UserId) -> User | None:
        statement = select(users).where(users.c.id == user_id)
        row = (await execute(self._connection, statement)).mappings().one_or_none()
        return None if row is None else to_user(row)

    async def get_by_email(self, email: str) -> User | None:
        # The unique index is on lower(email); querying the same expression uses it.
        statement = select(users).where(func.lower(users.c.email) == email.lower())
        row = (await execute(self._connection, statement)).mappings().one_or_none()
        return None if row is None else to_user(row)

    async def list(self, window: PageWindow) -> Page[User]:
        statement = select(users).order_by(users.c.created_at.asc(), users.c.id.asc())
        return await fetch_page(self._connection, statement, window, to_user)

    async def disable(self, user_id: UserId) -> User | None:
        # coalesce keeps the first time: disabling twice changes nothing.
        statement = (
            update(users)
            .where(users.c.id == user_id)
            .values(disabled_at=func.coalesce(users.c.disabled_at, datetime.now(UTC)))
            .returning(*users.c)
        )
        row = (await execute(self._connection, statement)).mappings().one_or_none()
        return None if row is None else to_user(row)
