"""Why a first connection failed, in words a person can act on."""

import socket
import sqlite3
import ssl

from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure.database_url import DatabaseUnreachableError, describe_location

_SSL_REFUSED = "the server does not accept SSL: drop sslmode=require or enable SSL on the server"
# The server's refusals by SQLSTATE, which asyncpg's errors (InvalidCatalogNameError,
# InvalidPasswordError, InvalidAuthorizationSpecificationError, CannotConnectNowError,
# TooManyConnectionsError) carry through SQLAlchemy's wrapping; {} is the server's words.
_SERVER_REFUSALS = {
    "3D000": "no such database (create it, or fix the name in DATABASE_URL)",
    "28P01": "authentication failed ({}): check the password in DATABASE_URL",
    "28000": "authentication failed ({}): check the user in DATABASE_URL, or pg_hba.conf",
    "57P03": "the server is starting up or shutting down ({})",
    "53300": "the server has no connection slots left ({})",
}


def unreachable(engine: AsyncEngine, error: BaseException) -> DatabaseUnreachableError:
    """The one-line error for a failed first connection through ``engine``."""
    where = describe_location(engine.url.render_as_string(hide_password=True))
    return DatabaseUnreachableError(
        f"tasklane cannot reach the database at {where}: {explain(error)}"
    )


def explain(error: BaseException) -> str:
    """The cause of ``error`` (or of what it wraps) in words, with a hint where one helps."""
    for cause in _chain(error):
        words = _SERVER_REFUSALS.get(getattr(cause, "sqlstate", None) or "")
        if words is not None:
            return words.format(str(cause).partition("\n")[0])
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = (
                getattr(cause, "verify_message", None) or getattr(cause, "reason", None) or cause
            )
            return (
                f"the server's certificate failed verification ({reason}): "
                "install its CA, or use sslmode=require to encrypt without verifying"
            )
        if isinstance(cause, ssl.SSLError):
            return f"the SSL handshake failed ({getattr(cause, 'reason', None) or cause})"
        if isinstance(cause, ConnectionError) and "rejected SSL upgrade" in str(cause):
            return _SSL_REFUSED
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused (is PostgreSQL running, and on that port?)"
        if isinstance(cause, TimeoutError):
            return (
                "timed out (no answer within DATABASE_TIMEOUT: is the host right, "
                "or a firewall dropping packets?)"
            )
        if isinstance(cause, socket.gaierror):
            return f"the host name does not resolve ({cause.strerror}): check DATABASE_URL"
        if isinstance(cause, sqlite3.Error):
            return f"cannot open the SQLite file ({cause})"
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror[0].lower() + cause.strerror[1:]
    return f"{type(error).__name__}: {error}"


def _chain(error: BaseException) -> list[BaseException]:
    """``error`` and the errors it wraps (SQLAlchemy's, its adapter's, the driver's)."""
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


async def check_reachable(engine: AsyncEngine) -> None:
    """Open one connection (the driver's connect timeout bounds the wait) and hand it
    back to the pool; ``DatabaseUnreachableError`` when that fails.
    """
    try:
        async with engine.connect():
            pass
    except Exception as error:
        raise unreachable(engine, error) from error
