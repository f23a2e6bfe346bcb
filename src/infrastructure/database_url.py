"""Turn the database URLs people paste into an SQLAlchemy async URL plus driver arguments."""

import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from uuid import uuid4

_POSTGRES_SCHEMES = frozenset({"postgres", "postgresql", "postgresql+asyncpg"})
_SQLITE_SCHEMES = frozenset({"sqlite", "sqlite+aiosqlite"})
# libpq-only parameters asyncpg would receive as unknown keywords and crash on.
_LIBPQ_ONLY = frozenset({"sslmode", "channel_binding"})
_SSL_MODES = frozenset({"disable", "allow", "prefer", "require", "verify-ca", "verify-full"})

Dialect = Literal["postgresql", "sqlite"]


@dataclass(frozen=True, slots=True)
class DatabaseTarget:
    """Where to connect: an SQLAlchemy URL string and the driver's ``connect_args``;
    ``pooled`` when a transaction-mode pooler (PgBouncer, Neon's ``-pooler`` hosts) sits
    between us and the server.
    """

    url: str
    dialect: Dialect
    connect_args: dict[str, object] = field(default_factory=dict)
    pooled: bool = False


class DatabaseUrlError(ValueError):
    """A URL we cannot use; the message completes "DATABASE_URL ..." and never holds
    the URL's password.
    """


_SCHEMES_HINT = (
    "postgresql://, postgres://, postgresql+asyncpg://, sqlite:/// or sqlite+aiosqlite:///"
)


def normalize_database_url(url: str, *, pgbouncer: bool = False) -> DatabaseTarget:
    """The async target for ``url``; ``DatabaseUrlError`` otherwise."""
    scheme, separator, rest = url.strip().partition("://")
    scheme = scheme.lower()
    if not separator:
        raise DatabaseUrlError(
            "must look like postgresql://user:password@host:5432/dbname "
            "or sqlite:///path/to/file.db"
        )
    if scheme in _POSTGRES_SCHEMES:
        return _postgres(rest, pgbouncer=pgbouncer)
    if scheme in _SQLITE_SCHEMES:
        return DatabaseTarget(url=f"sqlite+aiosqlite://{rest}", dialect="sqlite")
    raise DatabaseUrlError(f"has the unsupported scheme {scheme[:30]!r}: use {_SCHEMES_HINT}")


def _postgres(rest: str, *, pgbouncer: bool) -> DatabaseTarget:
    parts = urlsplit(f"postgresql+asyncpg://{rest}")
    try:
        parts.port  # noqa: B018 - parsed lazily; raises on "host:abc"
    except ValueError:
        raise DatabaseUrlError("has a port that is not a number between 0 and 65535") from None
    params = parse_qsl(parts.query, keep_blank_values=True)
    sslmode = next((value.lower() for key, value in params if key == "sslmode"), None)
    kept = [(key, value) for key, value in params if key not in _LIBPQ_ONLY]
    connect_args: dict[str, object] = {}
    if sslmode is not None:
        context = _ssl_argument(sslmode)
        if context is not None:
            connect_args["ssl"] = context
    host = (parts.hostname or "").lower()
    pooled = pgbouncer or "-pooler." in host
    if pooled:
        connect_args.update(pgbouncer_connect_args())
    clean = urlunsplit(parts._replace(query=urlencode(kept)))
    return DatabaseTarget(clean, "postgresql", connect_args, pooled=pooled)


def _ssl_argument(sslmode: str) -> ssl.SSLContext | bool | None:
    """asyncpg's ``ssl`` argument for a libpq ``sslmode``; ``None`` keeps its default."""
    if sslmode not in _SSL_MODES:
        raise DatabaseUrlError(
            f"has sslmode={sslmode[:20]!r}: use one of {', '.join(sorted(_SSL_MODES))}"
        )
    if sslmode == "disable":
        return False
    if sslmode in ("allow", "prefer"):
        return None
    if sslmode == "verify-full":
        return ssl.create_default_context()
    context = ssl.create_default_context()
    context.check_hostname = False
    # libpq's "require" encrypts without checking the certificate at all.
    if sslmode == "require":
        context.verify_mode = ssl.CERT_NONE
    return context


def _unique_statement_name() -> str:
    return f"__asyncpg_{uuid4().hex}__"


def pgbouncer_connect_args() -> dict[str, object]:
    """Arguments that keep asyncpg working behind PgBouncer in transaction mode.

    A pooler hands each transaction to any server connection, so prepared statements
    must neither be cached nor reuse a name another client may already have prepared.
    """
    name_func: Callable[[], str] = _unique_statement_name
    return {
        "statement_cache_size": 0,
        "prepared_statement_cache_size": 0,
        "prepared_statement_name_func": name_func,
    }


class DatabaseUnreachableError(Exception):
    """No first connection: ``str()`` is the whole line to show, without the password."""


def describe_location(url: str) -> str:
    """``host:port/dbname`` (or an SQLite file's path) for messages; never credentials."""
    scheme, _, rest = url.strip().partition("://")
    if scheme.lower() in _SQLITE_SCHEMES:
        return rest.removeprefix("/").partition("?")[0] or ":memory:"
    parts = urlsplit(f"postgresql://{rest}")
    try:
        port = parts.port or 5432
    except ValueError:
        port = 5432
    database = parts.path.lstrip("/") or parts.username or "postgres"
    return f"{parts.hostname or 'localhost'}:{port}/{database}"
