"""The read-path benchmark (bench/read_path.py) compares like with like: every layer
reads the same task of the same owner, and each is measured in every round.
"""

from uuid import uuid4

import pytest
from bench.read_path import Layers, measure, seed

from domain.task import Task

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio]


async def test_every_layer_reads_the_same_task(migrated_postgres_url: str) -> None:
    seeded = await seed(migrated_postgres_url, tasks=3, email=f"{uuid4().hex}@example.com")
    layers = Layers(seeded, readers=2)
    await layers.open()
    try:
        reads = layers.reads()
        assert len(reads) == 6
        for name, read in reads.items():
            for n in range(4):
                row = await read(n)
                task_id = row.id if isinstance(row, Task) else row["id"]
                owner = row.owner_id if isinstance(row, Task) else row["user_id"]
                assert task_id == seeded.task_ids[n % 3], name
                assert str(owner) == str(seeded.owner_id), name
    finally:
        await layers.close()


async def test_each_layer_is_measured_every_round(migrated_postgres_url: str) -> None:
    seeded = await seed(migrated_postgres_url, tasks=3, email=f"{uuid4().hex}@example.com")

    results = await measure(seeded, reads=40, rounds=2, readers=2)

    assert len(results) == 6
    assert all(len(samples) == 2 and min(samples) > 0 for samples in results.values())
