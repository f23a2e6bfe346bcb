"""Typed identifiers: users have UUIDs, the other aggregates integer ids."""

from typing import NewType
from uuid import UUID

UserId = NewType("UserId", UUID)
CategoryId = NewType("CategoryId", int)
TaskId = NewType("TaskId", int)
JobId = NewType("JobId", int)

# Ids are stored as signed 64-bit integers; anything outside names nothing.
MAX_ID = 2**63 - 1


def is_storable_id(value: int) -> bool:
    """Whether ``value`` can be the id of a stored category, task or job."""
    return 1 <= value <= MAX_ID
