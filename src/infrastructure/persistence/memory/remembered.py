"""In-memory remembered responses, keyed by (owner, idempotency key)."""

from datetime import datetime

from domain.idempotency import KEY_IN_USE, KeyInUseError, RememberedResponse
from domain.ids import UserId
from infrastructure.persistence.memory.transaction import InMemoryTransaction


class InMemoryRememberedResponses:
    """Implements ``domain.repositories.RememberedResponses``."""

    def __init__(self, transaction: InMemoryTransaction) -> None:
        self._tx = transaction

    async def claim(self, owner_id: UserId, key: str) -> RememberedResponse | None:
        # Units of work on one store run one at a time under the store's lock, so the
        # open unit already holds every key until it ends: nothing else can be running.
        return await self.find(owner_id, key)

    async def find(self, owner_id: UserId, key: str) -> RememberedResponse | None:
        return self._tx.store.remembered.get((owner_id, key))

    async def remember(self, response: RememberedResponse) -> None:
        self._tx.require_owner(response.owner_id)
        table = self._tx.store.remembered
        if (response.owner_id, response.key) in table:
            # Fails the transaction like the SQL store's unique violation.
            raise self._tx.conflict_with(KeyInUseError(KEY_IN_USE))
        self._tx.put(table, (response.owner_id, response.key), response)

    async def purge_expired(self, before: datetime, limit: int) -> int:
        table = self._tx.store.remembered
        old = sorted(
            ((row.created_at, ident) for ident, row in table.items() if row.created_at < before),
            key=lambda pair: pair[0],
        )[:limit]
        for _created_at, ident in old:
            self._tx.remove(table, ident)
        return len(old)
