"""Run one statement on a session, raising domain errors for the database's."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Executable, Result
from sqlalchemy.ext.asyncio import AsyncSession

from infrastructure.persistence.sqlalchemy.errors import domain_errors


async def execute(
    session: AsyncSession, statement: Executable, parameters: Mapping[str, Any] | None = None
) -> Result[Any]:
    """``session.execute``; a unique, foreign-key or connection failure leaves as the
    domain error it stands for, at the call that caused it.
    """
    with domain_errors():
        return await session.execute(statement, parameters)
