"""Run one statement on a session, raising domain errors for the database's."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Executable, Result
from sqlalchemy.ext.asyncio import AsyncSession

from infrastructure.persistence.sqlalchemy.errors import translate_error


async def execute(
    session: AsyncSession, statement: Executable, parameters: Mapping[str, Any] | None = None
) -> Result[Any]:
    """``session.execute``; a unique, foreign-key or connection failure leaves as the
    domain error it stands for, at the call that caused it.
    """
    try:
        return await session.execute(statement, parameters)
    except Exception as error:
        translated = translate_error(error)
        if translated is None:
            raise
        raise translated from error
