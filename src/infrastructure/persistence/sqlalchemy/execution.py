"""Run one statement on a connection, raising domain errors for the database's."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Executable, Result
from sqlalchemy.ext.asyncio import AsyncConnection

from infrastructure.persistence.sqlalchemy.errors import domain_errors
from infrastructure.persistence.sqlalchemy.reads import autocommit_if_reading


async def execute(
    connection: AsyncConnection, statement: Executable, parameters: Mapping[str, Any] | None = None
) -> Result[Any]:
    """``connection.execute``; a unique, foreign-key or connection failure leaves as the
    domain error it stands for, at the call that caused it.
    """
    with domain_errors():
        await autocommit_if_reading(connection)
        return await connection.execute(statement, parameters)
