"""Jobs by status, for the metrics scrape, read straight from the store."""

from collections import Counter

from infrastructure.persistence.memory.store import InMemoryStore


def job_counts(store: InMemoryStore) -> dict[str, int]:
    """Jobs per status (a snapshot: no await, so no unit of work changes it meanwhile)."""
    return dict(Counter(str(stored.job.status) for stored in list(store.jobs.values())))
