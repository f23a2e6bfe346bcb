"""Categories stored with Core statements: one round trip per call."""

from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.category import Category, CategoryChanges, NewCategory, name_key
from domain.ids import CategoryId, UserId
from domain.paging import Page, PageWindow
from domain.unset import UNSET
from infrastructure.persistence.sqlalchemy import keyset
from infrastructure.persistence.sqlalchemy.execution import execute
from infrastructure.persistence.sqlalchemy.mapping import to_category
from infrastructure.persistence.sqlalchemy.paging import fetch_page
from infrastructure.persistence.sqlalchemy.records import categories


class SqlAlchemyCategoryRepository:
    """``CategoryRepository`` on an ``AsyncConnection``; every statement is scoped by owner."""

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, category: NewCategory) -> Category:
        now = datetime.now(UTC)
        statement = (
            insert(categories)
            .values(
                user_id=category.owner_id,
                name=category.name,
                name_key=name_key(category.name),
                color=category.color,
                created_at=now,
                updated_at=now,
            )
            .returning(*categories.c)
        )
        return to_category((await execute(self._connection, statement)).mappings().one())

    async def get(self, owner_id: UserId, category_id: CategoryId) -> Category | None:
        statement = select(categories).where(
            categories.c.id == category_id, categories.c.user_id == owner_id
        )
        row = (await execute(self._connection, statement)).mappings().one_or_none()
        return None if row is None else to_category(row)

    async def list(self, owner_id: UserId, window: PageWindow) -> Page[Category]:
        statement = (
            select(categories)
            .where(categories.c.user_id == owner_id)
            .order_by(categories.c.id.asc())
        )
        after = window.after
        following = (
            []
            if after is None
            else keyset.following(after, None, categories.c.id, descending=False)
        )
        return await fetch_page(self._connection, statement, window, to_category, following)

    async def update(
        self, owner_id: UserId, category_id: CategoryId, changes: CategoryChanges
    ) -> Category | None:
        values = changes.as_dict()
        if not values:
            return await self.get(owner_id, category_id)
        if changes.name is not UNSET:
            values["name_key"] = name_key(changes.name)
        statement = (
            update(categories)
            .where(categories.c.id == category_id, categories.c.user_id == owner_id)
            .values(**values, updated_at=datetime.now(UTC))
            .returning(*categories.c)
        )
        row = (await execute(self._connection, statement)).mappings().one_or_none()
        return None if row is None else to_category(row)

    async def delete(self, owner_id: UserId, category_id: CategoryId) -> bool:
        statement = (
            delete(categories)
            .where(categories.c.id == category_id, categories.c.user_id == owner_id)
            .returning(categories.c.id)
        )
        return (await execute(self._connection, statement)).scalar_one_or_none() is not None
