"""Run one statement on a session, raising domain errors for the database's."""

from typing import Any

from sqlalchemy import Executable, Result
from sqlalchemy.ext.asyncio import AsyncSession

from infrastructure.persistence.sqlalchemy.errors import translate_error


async def execute(session: AsyncSession, statement: Executable) -> Result[Any]:
    """``session.execute``; a unique, foreign-key or connection failure leaves as the
    domain error it stands for, at the call that caused it.
    """
    try:
        return await session.execute(statement)
    except Exception as error:
        translated = translate_error(error)
        if translated is None:
            raise
        raise translated from error
