"""One unit of work's view of the store: guarded access and an undo log of its writes."""

from typing import Any, Final, TypeVar

from domain.errors import AuthenticationError, ConflictError
from domain.ids import UserId
from domain.user import NO_SUCH_USER
from infrastructure.persistence.memory.store import InMemoryStore

K = TypeVar("K")
V = TypeVar("V")

_ABSENT: Final = object()


class TransactionStateError(RuntimeError):
    """The unit of work was used where a database would refuse it (a programming error)."""


class InMemoryTransaction:
    """Writes go through ``put``/``remove`` so that rollback can undo them in reverse."""

    def __init__(self, store: InMemoryStore) -> None:
        self._store = store
        self._undo: list[tuple[dict[Any, Any], Any, Any]] = []
        self._active = False
        self._failed = False

    @property
    def active(self) -> bool:
        return self._active

    @property
    def store(self) -> InMemoryStore:
        """The store, only while the unit of work is open and usable."""
        if not self._active:
            raise TransactionStateError("repositories are usable only inside `async with uow:`")
        if self._failed:
            # PostgreSQL refuses every statement after an error until a rollback; be as strict.
            raise TransactionStateError(
                "the transaction failed earlier (use a savepoint to recover from an error)"
            )
        return self._store

    def put(self, table: dict[K, V], key: K, value: V) -> None:
        self._undo.append((table, key, table.get(key, _ABSENT)))
        table[key] = value

    def remove(self, table: dict[K, V], key: K) -> None:
        self._undo.append((table, key, table[key]))
        del table[key]

    def conflict(self, detail: str) -> ConflictError:
        """The error for a unique violation, which also fails the transaction like SQL does."""
        self._failed = True
        return ConflictError(detail)

    def require_owner(self, owner_id: UserId) -> None:
        """The schema's user foreign key: a row's owner must exist (else the error fails
        the transaction, as in SQL).
        """
        if owner_id not in self.store.users:
            self._failed = True
            raise AuthenticationError(NO_SUCH_USER)

    def begin(self) -> None:
        self._active = True
        self._failed = False
        self._undo.clear()

    def end(self) -> None:
        self.rollback_to(0)
        self._active = False

    def mark(self) -> int:
        """A savepoint: the current position in the undo log."""
        if self._failed:
            raise TransactionStateError("cannot open a savepoint in a failed transaction")
        return len(self._undo)

    def rollback_to(self, mark: int) -> None:
        while len(self._undo) > mark:
            table, key, old = self._undo.pop()
            if old is _ABSENT:
                table.pop(key, None)
            else:
                table[key] = old
        # Whatever failed happened after the mark (a failed transaction refuses marks).
        self._failed = False

    def commit(self) -> None:
        if self._failed:
            # PostgreSQL would answer COMMIT with a silent ROLLBACK: refuse loudly instead.
            raise TransactionStateError("cannot commit a failed transaction")
        self._undo.clear()
