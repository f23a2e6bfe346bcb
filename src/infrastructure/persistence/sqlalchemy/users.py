"""Users stored with Core statements: one round trip per call."""

from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7

from domain.ids import UserId
from domain.user import NewUser, User
from infrastructure.persistence.sqlalchemy.execution import execute
from infrastructure.persistence.sqlalchemy.mapping import to_user
from infrastructure.persistence.sqlalchemy.records import users


class SqlAlchemyUserRepository:
    """``UserRepository`` on an ``AsyncSession``; never commits."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

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
        return to_user((await execute(self._session, statement)).mappings().one())

    async def get(self, user_id: UserId) -> User | None:
        statement = select(users).where(users.c.id == user_id)
        row = (await execute(self._session, statement)).mappings().one_or_none()
        return None if row is None else to_user(row)

    async def get_by_email(self, email: str) -> User | None:
        # The unique index is on lower(email); querying the same expression uses it.
        statement = select(users).where(func.lower(users.c.email) == email.lower())
        row = (await execute(self._session, statement)).mappings().one_or_none()
        return None if row is None else to_user(row)
