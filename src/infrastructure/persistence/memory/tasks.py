"""In-memory tasks: owner-scoped, applying the domain's rules for every change."""

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from domain.ids import CategoryId, TaskId, UserId
from domain.paging import Page
from domain.task import (
    NewTask,
    Task,
    TaskChanges,
    first_state,
    not_your_category,
    processing,
    revision,
)
from domain.task_query import TaskQuery
from domain.unset import UNSET
from infrastructure.persistence.memory.paging import window_of
from infrastructure.persistence.memory.store import utc_now
from infrastructure.persistence.memory.task_listing import matches, ordered
from infrastructure.persistence.memory.transaction import InMemoryTransaction


class InMemoryTaskRepository:
    """Implements ``domain.repositories.TaskRepository``."""

    def __init__(self, transaction: InMemoryTransaction) -> None:
        self._tx = transaction

    async def add(self, task: NewTask) -> Task:
        self._tx.require_owner(task.owner_id)
        self._check_category(task.category_id)
        store = self._tx.store
        stored = Task(
            id=store.next_task_id(),
            owner_id=task.owner_id,
            title=task.title,
            description=task.description,
            priority=task.priority,
            due_at=task.due_at,
            category_id=task.category_id,
            **first_state(utc_now()),
        )
        self._tx.put(store.tasks, stored.id, stored)
        return stored

    async def get(self, owner_id: UserId, task_id: TaskId) -> Task | None:
        task = self._tx.store.tasks.get(task_id)
        return task if task is not None and task.owner_id == owner_id else None

    async def list(self, query: TaskQuery) -> Page[Task]:
        found = ordered([t for t in self._tx.store.tasks.values() if matches(t, query)], query.sort)
        return window_of(found, query.window, query.sort.position_of, query.sort.descending)

    async def update(
        self,
        owner_id: UserId,
        task_id: TaskId,
        changes: TaskChanges,
        expected_version: int | None = None,
    ) -> Task | None:
        current = await self._current(owner_id, task_id, expected_version)
        if current is None:
            return None
        # Typed per field by the changes object, which validated them.
        values: dict[str, Any] = changes.as_dict()
        if changes.category_id is not UNSET:
            self._check_category(changes.category_id)
        updated = replace(current, **values, **revision(current.version, utc_now()))
        self._tx.put(self._tx.store.tasks, task_id, updated)
        return updated

    async def delete(
        self, owner_id: UserId, task_id: TaskId, expected_version: int | None = None
    ) -> bool:
        if await self._current(owner_id, task_id, expected_version) is None:
            return False
        self._tx.remove(self._tx.store.tasks, task_id)
        return True

    async def detach_category(self, owner_id: UserId, category_id: CategoryId) -> int:
        store = self._tx.store
        now = utc_now()
        attached = [
            t
            for t in store.tasks.values()
            if t.owner_id == owner_id and t.category_id == category_id
        ]
        for task in attached:
            detached = replace(task, category_id=None, **revision(task.version, now))
            self._tx.put(store.tasks, task.id, detached)
        return len(attached)

    async def mark_processed(self, owner_id: UserId, task_ids: Sequence[TaskId]) -> set[TaskId]:
        store = self._tx.store
        now = utc_now()
        marked: set[TaskId] = set()
        # Each task once, as SQL's `id IN (...)` would, however often it is listed.
        for task_id in dict.fromkeys(task_ids):
            task = store.tasks.get(task_id)
            if task is None or task.owner_id != owner_id:
                continue
            updated = replace(task, **processing(now), **revision(task.version, now))
            self._tx.put(store.tasks, task_id, updated)
            marked.add(task_id)
        return marked

    async def _current(
        self, owner_id: UserId, task_id: TaskId, expected_version: int | None
    ) -> Task | None:
        task = await self.get(owner_id, task_id)
        if task is None or expected_version not in (None, task.version):
            return None
        return task

    def _check_category(self, category_id: CategoryId | None) -> None:
        # The schema's foreign key, no more: it checks existence, and the use cases check
        # ownership (a stricter store here would pass tests that fail on SQL).
        if category_id is not None and category_id not in self._tx.store.categories:
            raise not_your_category()
