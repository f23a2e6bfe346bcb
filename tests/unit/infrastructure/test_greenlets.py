"""``run_sync``: SQLAlchemy's sync-in-async protocol on reused greenlets."""

import asyncio
import contextvars
import threading
from typing import Any

import pytest
from greenlet import getcurrent  # type: ignore[import-untyped]
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.util import await_

from infrastructure.persistence.sqlalchemy.greenlets import run_sync

pytestmark = pytest.mark.asyncio

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id")


def _sleep_then(value: Any, seconds: float = 0.0) -> Any:
    return await_(asyncio.sleep(seconds, value))


async def test_a_sync_function_awaits_through_the_caller() -> None:
    assert await run_sync(_sleep_then, "slept") == "slept"


async def test_the_next_call_reuses_the_greenlet() -> None:
    first = await run_sync(lambda: (_sleep_then(None), getcurrent())[1])
    second = await run_sync(getcurrent)
    assert first is second
    assert first is not getcurrent()


async def test_concurrent_calls_run_on_their_own_greenlets() -> None:
    def where() -> Any:
        _sleep_then(None, 0.01)
        return getcurrent()

    first, second = await asyncio.gather(run_sync(where), run_sync(where))
    assert first is not second


async def test_an_error_raises_in_the_caller_and_the_greenlet_serves_again() -> None:
    def fail() -> None:
        _sleep_then(None)
        raise LookupError("no such row")

    with pytest.raises(LookupError, match="no such row"):
        await run_sync(fail)
    assert await run_sync(_sleep_then, 7) == 7


async def test_an_awaitable_that_fails_raises_inside_the_sync_function() -> None:
    async def broken() -> None:
        raise ConnectionResetError("gone")

    def recover() -> str:
        try:
            await_(broken())
        except ConnectionResetError as error:
            return f"handled {error}"
        return "not raised"

    assert await run_sync(recover) == "handled gone"


async def test_cancelling_the_caller_cancels_inside_and_propagates() -> None:
    seen: list[str] = []
    started = asyncio.Event()

    def wait_long() -> None:
        started.set()
        try:
            _sleep_then(None, 30)
        except asyncio.CancelledError:
            seen.append("cancelled inside")
            raise

    task = asyncio.create_task(run_sync(wait_long))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert seen == ["cancelled inside"]
    assert await run_sync(_sleep_then, "still serving") == "still serving"


async def test_the_sync_function_shares_the_callers_context() -> None:
    request_id.set("outer")

    def read_then_set() -> str:
        seen = request_id.get()
        _sleep_then(None)
        request_id.set("inner")
        return seen

    assert await run_sync(read_then_set) == "outer"
    # As with SQLAlchemy's own greenlets: one context, not a copy.
    assert request_id.get() == "inner"


async def test_another_thread_gets_its_own_greenlets() -> None:
    here = await run_sync(getcurrent)
    there: list[Any] = []

    def in_thread() -> None:
        there.append(asyncio.run(run_sync(lambda: (_sleep_then(None), getcurrent())[1])))

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    assert len(there) == 1
    assert there[0] is not here


async def test_sqlalchemy_connects_and_queries_on_it() -> None:
    engine = create_async_engine("sqlite+aiosqlite://")
    try:
        connection = await run_sync(engine.sync_engine.connect)
        try:
            result = await run_sync(connection.execute, text("select 41 + 1"))
            assert result.scalar_one() == 42
        finally:
            await run_sync(connection.close)
    finally:
        await engine.dispose()
