"""The transactional ceiling: the harness's two writes in a transaction, nothing else."""

from pathlib import Path

import pytest
from bench.ceiling_tx import ShapeError, transactional

# The shape of the harness's ceiling (shared/bench/ceiling/app.py), cut down.
CEILING = """
async def get_task(task_id: int, user_id: str):
    async with pool.acquire() as conn:
        row = await conn.fetchrow(SQL_GET, task_id, user_id)
    return 200, dict(row), ()


async def create_task(body: bytes, user_id: str):
    data = _json_body(body)
    async with pool.acquire() as conn:
        await _check_category(conn, category_id, user_id)
        row = await conn.fetchrow(SQL_INSERT, user_id, title)
    return 201, dict(row), ()


async def update_task(task_id: int, body: bytes, headers: dict, user_id: str):
    async with pool.acquire() as conn:
        row = await conn.fetchrow(sql, *args)
    return 200, dict(row), ()


def _dispatch(scope):
    return None
"""
HARNESS_CEILING = Path(__file__).resolve().parents[3] / ".." / "shared/bench/ceiling/app.py"


def test_both_writes_take_their_connection_in_a_transaction() -> None:
    rewritten = transactional(CEILING)
    get, create, update = (
        rewritten.split(f"async def {name}(")[1]
        for name in ("get_task", "create_task", "update_task")
    )
    assert "conn.transaction()" not in get.split("async def")[0]
    assert "async with pool.acquire() as conn, conn.transaction():" in create.split("async def")[0]
    assert (
        "async with pool.acquire() as conn, conn.transaction():" in update.split("def _dispatch")[0]
    )
    assert rewritten.count("conn.transaction()") == 2


def test_a_ceiling_of_another_shape_is_refused() -> None:
    with pytest.raises(ShapeError, match="no `async def update_task`"):
        transactional(CEILING.replace("async def update_task", "async def patch_task"))
    twice = CEILING.replace(
        "    return 201",
        "    async with pool.acquire() as conn:\n        pass\n    return 201",
    )
    with pytest.raises(ShapeError, match="`create_task` does not acquire"):
        transactional(twice)


@pytest.mark.skipif(not HARNESS_CEILING.exists(), reason="no shared harness beside the checkout")
def test_the_harness_ceiling_has_the_shape_rewritten() -> None:
    source = HARNESS_CEILING.read_text()
    assert (
        transactional(source).count("conn.transaction()") == source.count("conn.transaction()") + 2
    )
