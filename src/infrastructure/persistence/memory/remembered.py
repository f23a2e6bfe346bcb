"""In-memory remembered responses, keyed by (owner, idempotency key)."""

from datetime import datetime

from domain.idempotency import RememberedResponse, Remembering
from domain.ids import UserId
from infrastructure.persistence.memory.transaction import InMemoryTransaction


class InMemoryRememberedResponses:
    """Implements ``domain.repositories.RememberedResponses``."""

    def __init__(self, transaction: InMemoryTransaction) -> None:
        self._tx = transaction

    async def remember_first(self, response: RememberedResponse) -> Remembering:
        self._tx.require_owner(response.owner_id)
        table = self._tx.store.remembered
        if (response.owner_id, response.key) in table:
            # Units of work on one store run one at a time under the store's lock, so
            # what is there was committed: nothing else can be running.
            return Remembering.TAKEN
        self._tx.put(table, (response.owner_id, response.key), response)
        return Remembering.STORED

    async def find(self, owner_id: UserId, key: str) -> RememberedResponse | None:
        return self._tx.store.remembered.get((owner_id, key))

    async def purge_expired(self, before: datetime, limit: int) -> int:
        table = self._tx.store.remembered
        old = sorted(
            ((row.created_at, ident) for ident, row in table.items() if row.created_at < before),
            key=lambda pair: pair[0],
        )[:limit]
        for _created_at, ident in old:
            self._tx.remove(table, ident)
        return len(old)
