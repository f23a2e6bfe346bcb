"""Serving an app in the test's own event loop."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from litestar import Litestar

# httpx's default client address for ASGI requests.
DEFAULT_CLIENT = ("127.0.0.1", 123)


def asgi_transport(app: Litestar, client: tuple[str, int] = DEFAULT_CLIENT) -> httpx.ASGITransport:
    """An httpx transport calling ``app`` in this event loop. Litestar and httpx spell the
    ASGI callable's types differently (the same callable): reconciled here, once.
    """
    return httpx.ASGITransport(app=app, client=client)  # type: ignore[arg-type]


@asynccontextmanager
async def serving(app: Litestar) -> AsyncIterator[None]:
    """Run the app's lifespan in a task of its own: pytest-asyncio sets a fixture up and
    tears it down in different tasks, and the lifespan's cancel scope must be left in
    the task that entered it.
    """
    started, stop = asyncio.Event(), asyncio.Event()

    async def lifespan() -> None:
        async with app.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(lifespan())
    waiter = asyncio.create_task(started.wait())
    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        waiter.cancel()
        await task  # startup failed: raise its error
    try:
        yield
    finally:
        stop.set()
        await task
