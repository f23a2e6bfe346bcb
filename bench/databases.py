"""Throwaway databases for the benchmarks that run against a PostgreSQL server of their own."""

import asyncio
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import asyncpg


async def _admin(server: str, sql: str) -> None:
    connection = await asyncpg.connect(server)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@contextmanager
def throwaway_database(server: str, name: str) -> Iterator[str]:
    """A new database ``name`` on ``server`` (an admin URL), dropped afterwards: its URL."""
    asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def production_environment(url: str, port: int) -> dict[str, str]:
    """The environment for ``make -s run`` as the shared harness starts a target: the
    production profile on ``url``, a fresh signing secret, listening on ``port``."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ENVIRONMENT": "production",
        "JWT_SECRET": secrets.token_hex(32),
        "HOST": "127.0.0.1",
        "PORT": str(port),
    }
    env.pop("DATABASE_URL_ASYNC", None)
    return env
