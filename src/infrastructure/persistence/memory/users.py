"""In-memory users, unique by (already lower-cased) e-mail."""

from dataclasses import replace
from uuid import uuid4

from domain.ids import UserId
from domain.paging import Page, PageWindow
from domain.user import EMAIL_TAKEN, NewUser, User
from infrastructure.persistence.memory.store import utc_now
from infrastructure.persistence.memory.transaction import InMemoryTransaction


class InMemoryUserRepository:
    """Implements ``domain.repositories.UserRepository``."""

    def __init__(self, transaction: InMemoryTransaction) -> None:
        self._tx = transaction

    async def add(self, user: NewUser) -> User:
        store = self._tx.store
        if any(existing.email == user.email for existing in store.users.values()):
            raise self._tx.conflict(EMAIL_TAKEN)
        stored = User(UserId(uuid4()), user.email, user.password_hash, user.display_name, utc_now())
        self._tx.put(store.users, stored.id, stored)
        return stored

    async def get(self, user_id: UserId) -> User | None:
        return self._tx.store.users.get(user_id)

    async def get_by_email(self, email: str) -> User | None:
        users = self._tx.store.users.values()
        return next((user for user in users if user.email == email), None)

    async def list(self, window: PageWindow) -> Page[User]:
        every = sorted(self._tx.store.users.values(), key=lambda user: (user.created_at, user.id))
        items = every[window.offset : window.offset + window.limit]
        return Page(items, len(every), window.limit, window.offset)

    async def disable(self, user_id: UserId) -> User | None:
        current = self._tx.store.users.get(user_id)
        if current is None or current.disabled_at is not None:
            return current
        disabled = replace(current, disabled_at=utc_now())
        self._tx.put(self._tx.store.users, user_id, disabled)
        return disabled
