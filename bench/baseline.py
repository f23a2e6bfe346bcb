"""The yardstick: GET /tasks/{id} in raw asyncpg behind a bare ASGI app.

Same query, same token check (PyJWT) and the same JSON shape as the service, with
nothing else: no framework, no ORM, no unit of work. ``make bench`` runs it beside the
service so the gap is measured on the same machine at the same moment.
"""

import os
from typing import Any

import asyncpg
import jwt
import msgspec

DSN = os.environ["BASELINE_DSN"]
SECRET = os.environ["JWT_SECRET"]
_QUERY = "SELECT * FROM tasks WHERE id = $1 AND user_id = $2"
_pool: asyncpg.Pool | None = None
_encode = msgspec.json.Encoder().encode


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Lifespan creates the pool; every HTTP request is a task read."""
    global _pool
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            _pool = await asyncpg.create_pool(DSN, min_size=20, max_size=40)
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    headers = dict(scope["headers"])
    claims = jwt.decode(headers[b"authorization"][7:], SECRET, algorithms=["HS256"])
    task_id = int(scope["path"].rsplit("/", 1)[1])
    assert _pool is not None
    row = await _pool.fetchrow(_QUERY, task_id, claims["sub"])
    body = _encode({k: v for k, v in dict(row).items() if k != "user_id"})
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json")]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})
