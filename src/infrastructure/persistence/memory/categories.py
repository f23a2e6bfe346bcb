"""In-memory categories, unique per owner by name ignoring case."""

from dataclasses import replace
from typing import Any

from domain.category import NAME_TAKEN, Category, CategoryChanges, NewCategory, name_key
from domain.ids import CategoryId, UserId
from domain.paging import Page, PageWindow, Position
from infrastructure.persistence.memory.paging import window_of
from infrastructure.persistence.memory.store import InMemoryStore, utc_now
from infrastructure.persistence.memory.transaction import InMemoryTransaction


class InMemoryCategoryRepository:
    """Implements ``domain.repositories.CategoryRepository``."""

    def __init__(self, transaction: InMemoryTransaction) -> None:
        self._tx = transaction

    async def add(self, category: NewCategory) -> Category:
        self._tx.require_owner(category.owner_id)
        store = self._tx.store
        self._check_name_free(store, category.owner_id, category.name, None)
        now = utc_now()
        stored = Category(
            store.next_category_id(), category.owner_id, category.name, category.color, now, now
        )
        self._tx.put(store.categories, stored.id, stored)
        return stored

    async def get(self, owner_id: UserId, category_id: CategoryId) -> Category | None:
        category = self._tx.store.categories.get(category_id)
        return category if category is not None and category.owner_id == owner_id else None

    async def list(self, owner_id: UserId, window: PageWindow) -> Page[Category]:
        owned = [c for c in self._tx.store.categories.values() if c.owner_id == owner_id]
        owned.sort(key=lambda category: category.id)
        return window_of(owned, window, lambda category: Position(None, category.id))

    async def update(
        self, owner_id: UserId, category_id: CategoryId, changes: CategoryChanges
    ) -> Category | None:
        current = await self.get(owner_id, category_id)
        if current is None:
            return None
        store = self._tx.store
        # Typed per field by the changes object, which validated them.
        values: dict[str, Any] = changes.as_dict()
        if "name" in values:
            self._check_name_free(store, owner_id, str(values["name"]), category_id)
        updated = replace(current, **values, updated_at=utc_now())
        self._tx.put(store.categories, category_id, updated)
        return updated

    async def delete(self, owner_id: UserId, category_id: CategoryId) -> bool:
        if await self.get(owner_id, category_id) is None:
            return False
        store = self._tx.store
        # The schema's ON DELETE SET NULL, which (being the database's doing) bumps no version.
        for task in [t for t in store.tasks.values() if t.category_id == category_id]:
            self._tx.put(store.tasks, task.id, replace(task, category_id=None))
        self._tx.remove(store.categories, category_id)
        return True

    def _check_name_free(
        self, store: InMemoryStore, owner_id: UserId, name: str, own_id: CategoryId | None
    ) -> None:
        key = name_key(name)
        for other in store.categories.values():
            if other.owner_id == owner_id and other.id != own_id and name_key(other.name) == key:
                raise self._tx.conflict(NAME_TAKEN)
