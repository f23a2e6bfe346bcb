"""A client that hangs up mid-upload is logged as one INFO line, not an ERROR traceback."""

import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import pytest_asyncio
from litestar import Litestar

from interfaces.app import create_app
from tests.http.conftest import FAST
from tests.http.support import Api
from tests.support.asgi import asgi_transport, serving

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def app_and_auth() -> AsyncIterator[tuple[Litestar, dict[str, str]]]:
    app = create_app(FAST)
    async with serving(app):
        transport = asgi_transport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t.test") as client:
            yield app, await Api(client).sign_up()


async def upload_then_hang_up(app: Litestar, auth: dict[str, str]) -> list[dict[str, Any]]:
    """POST /tasks announcing 1000 bytes, send 10, then disconnect."""
    headers = [(name.lower().encode(), value.encode()) for name, value in auth.items()]
    headers += [(b"content-type", b"application/json"), (b"content-length", b"1000")]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/tasks",
        "raw_path": b"/tasks",
        "root_path": "",
        "query_string": b"",
        "headers": [*headers, (b"x-request-id", b"gone-away")],
        "client": ("127.0.0.1", 50000),
        "server": ("t.test", 80),
    }
    incoming: list[dict[str, Any]] = [
        {"type": "http.request", "body": b'{"title": ', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)  # type: ignore[arg-type]
    return sent


async def test_is_one_info_line_without_traceback(
    app_and_auth: tuple[Litestar, dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="tasklane.http"):
        sent = await upload_then_hang_up(*app_and_auth)
    records = [
        r
        for r in caplog.records
        if r.name.startswith(("tasklane", "litestar")) and r.name != "tasklane.access"
    ]
    assert [(r.levelno, r.exc_info) for r in records] == [(logging.INFO, None)]
    assert "POST /tasks" in records[0].getMessage()
    assert "gone-away" in records[0].getMessage()
    [start] = [m for m in sent if m["type"] == "http.response.start"]
    assert start["status"] < 500
