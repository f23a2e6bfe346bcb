"""Settings read once from the environment; every default is documented in the README."""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from limits import parse_many

from application.authentication import KNOWN_USER_TTL_SECONDS
from application.jobs.settings import JobSettings
from application.ports import AttemptRule
from application.retry import RetryPolicy
from infrastructure.database_url import DatabaseUrlError, normalize_database_url
from infrastructure.environment import SettingsError as SettingsError  # re-exported
from infrastructure.environment import choice, flag, seconds, whole_number

DEFAULT_DATA_DIR = "./data"
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{DEFAULT_DATA_DIR}/tasklane.db"
MIN_JWT_SECRET_BYTES = 32
# RFC 7518 3.2: an HMAC key at least as long as the hash output.
_HMAC_KEY_BYTES = {"HS256": 32, "HS384": 48, "HS512": 64}


ISOLATION_LEVELS = ("READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("json", "console")
LogFormat = Literal["json", "console"]
_GENERATE_ONE = "generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"


_RETRY = RetryPolicy()
_JOBS = JobSettings()


Environment = Literal["development", "production"]
Persistence = Literal["sql", "memory"]


@dataclass(frozen=True, slots=True)
class DatabaseSettings:
    """Pool and timeout knobs; ``None`` means "the profile's default"."""

    url: str = DEFAULT_DATABASE_URL
    pool_size: int | None = None
    max_overflow: int | None = None
    pool_timeout: float | None = None
    timeout: float | None = None
    pool_recycle: int | None = None
    echo: bool = False
    pgbouncer: bool = False
    isolation_level: str = "READ COMMITTED"


@dataclass(frozen=True, slots=True)
class RateLimitSettings:
    """Attempt limits, each "N/period" (``10/15 minutes``, ``30/minute``), and where they
    are counted: ``memory://`` (this process) or ``redis://host:port/db`` (shared).
    """

    login_per_account: str = "10/15 minutes"
    login_per_address: str = "30/minute"
    register_per_account: str = "5/hour"
    register_per_address: str = "20/hour"
    storage_url: str = "memory://"
    prefix: str = "tasklane"
    storage_timeout_s: float = 0.5

    def rules(self) -> dict[AttemptRule, str]:
        return {
            AttemptRule.LOGIN_FAILURES_PER_ACCOUNT: self.login_per_account,
            AttemptRule.LOGIN_PER_ADDRESS: self.login_per_address,
            AttemptRule.REGISTER_PER_ACCOUNT: self.register_per_account,
            AttemptRule.REGISTER_PER_ADDRESS: self.register_per_address,
        }


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the service reads from its environment."""

    environment: Environment = "development"
    persistence: Persistence = "sql"
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    jobs: JobSettings = field(default_factory=JobSettings)
    # Local state: the default SQLite file, and in development the generated JWT secret.
    data_dir: Path = Path(DEFAULT_DATA_DIR)
    # None: not configured (production refuses; development generates one in data_dir).
    jwt_secret: str | None = field(default=None, repr=False)
    jwt_algorithm: str = "HS256"
    jwt_ttl_seconds: int = 3600
    # How long a process trusts a user it saw active; a disabled user's tokens are
    # refused at most this long after (0: every request reads the user).
    known_user_ttl_seconds: float = KNOWN_USER_TTL_SECONDS
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    # None: as many concurrent hashes as CPUs, and twice that many waiting.
    password_hash_concurrency: int | None = None
    password_hash_queue: int | None = None
    rate_limits: RateLimitSettings = field(default_factory=RateLimitSettings)
    # Browser origins allowed to call the API; empty: no CORS headers at all.
    cors_allow_origins: tuple[str, ...] = ()
    log_level: str = "INFO"
    # Log lines as JSON objects (production's default) or console text (development's).
    log_format: LogFormat = "console"
    # Prometheus metrics at GET /metrics.
    metrics_enabled: bool = True

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        """Read the settings; ``SettingsError`` when they are unsafe or malformed.

        An empty variable counts as unset; a set one is taken as given or refused,
        never replaced by the default.
        """
        env = os.environ if env is None else env
        environment = choice(env, "ENVIRONMENT", ("development", "production"), "development")
        secret = env.get("JWT_SECRET", "")
        if environment == "production" and not secret:
            raise SettingsError(f"JWT_SECRET must be set in production: {_GENERATE_ONE}")
        algorithm = choice(env, "JWT_ALGORITHM", tuple(_HMAC_KEY_BYTES), "HS256")
        if secret and len(secret.encode()) < _HMAC_KEY_BYTES[algorithm]:
            raise SettingsError(
                f"JWT_SECRET must be at least {_HMAC_KEY_BYTES[algorithm]} bytes for "
                f"{algorithm}, not {len(secret.encode())}: {_GENERATE_ONE}"
            )
        data_dir = env.get("DATA_DIR") or DEFAULT_DATA_DIR
        return cls(
            environment=environment,  # type: ignore[arg-type]
            persistence=choice(env, "PERSISTENCE", ("sql", "memory"), "sql"),  # type: ignore[arg-type]
            database=_database(env, data_dir),
            retry=_retry(env),
            jobs=_jobs(env),
            data_dir=Path(data_dir),
            jwt_secret=secret or None,
            jwt_algorithm=algorithm,
            jwt_ttl_seconds=whole_number(env, "JWT_TTL_SECONDS", 3600),
            known_user_ttl_seconds=seconds(
                env, "KNOWN_USER_TTL_SECONDS", KNOWN_USER_TTL_SECONDS, zero=True
            ),
            argon2_time_cost=whole_number(env, "ARGON2_TIME_COST", 3),
            # Argon2 itself refuses less than 8 KiB per lane.
            argon2_memory_kib=whole_number(env, "ARGON2_MEMORY_KIB", 65536, minimum=8),
            password_hash_concurrency=whole_number(env, "PASSWORD_HASH_CONCURRENCY", None),
            # 0: no hash waits, one beyond the running ones is refused at once.
            password_hash_queue=whole_number(env, "PASSWORD_HASH_QUEUE", None, minimum=0),
            rate_limits=_rate_limits(env),
            cors_allow_origins=_origins(env, "CORS_ALLOW_ORIGINS"),
            log_level=choice(env, "LOG_LEVEL", LOG_LEVELS, "INFO", upper=True),
            log_format=choice(  # type: ignore[arg-type]
                env,
                "LOG_FORMAT",
                LOG_FORMATS,
                "json" if environment == "production" else "console",
            ),
            # On unless set to a false value.
            metrics_enabled=flag(env, "METRICS_ENABLED")
            if env.get("METRICS_ENABLED", "").strip()
            else True,
        )


def hmac_key_bytes(algorithm: str) -> int:
    """The shortest secret ``algorithm`` accepts (RFC 7518 3.2)."""
    return _HMAC_KEY_BYTES.get(algorithm, MIN_JWT_SECRET_BYTES)


def _database(env: Mapping[str, str], data_dir: str) -> DatabaseSettings:
    """Pool figures left unset stay ``None``: the engine profile fills them in."""
    name = "DATABASE_URL" if env.get("DATABASE_URL") else "DATABASE_URL_ASYNC"
    url = env.get("DATABASE_URL") or env.get("DATABASE_URL_ASYNC") or _sqlite_in(data_dir)
    pgbouncer = flag(env, "DATABASE_PGBOUNCER")
    try:
        normalize_database_url(url, pgbouncer=pgbouncer)
    except DatabaseUrlError as error:
        raise SettingsError(f"{name} {error}") from None
    return DatabaseSettings(
        url=url,
        # SQLAlchemy reads a pool size of 0 as "no limit": refused, not passed on.
        pool_size=whole_number(env, "DATABASE_POOL_SIZE", None),
        max_overflow=whole_number(env, "DATABASE_MAX_OVERFLOW", None, minimum=0),
        pool_timeout=seconds(env, "DATABASE_POOL_TIMEOUT", None),
        timeout=seconds(env, "DATABASE_TIMEOUT", None),
        pool_recycle=whole_number(env, "DATABASE_POOL_RECYCLE", None),
        echo=flag(env, "DATABASE_ECHO"),
        pgbouncer=pgbouncer,
        isolation_level=choice(env, "DATABASE_ISOLATION_LEVEL", ISOLATION_LEVELS, "READ COMMITTED"),
    )


def _retry(env: Mapping[str, str]) -> RetryPolicy:
    """Zero delays and a zero budget are honoured: retry at once, or not at all."""
    return RetryPolicy(
        attempts=whole_number(env, "DATABASE_RETRY_ATTEMPTS", _RETRY.attempts),
        base_delay_s=seconds(env, "DATABASE_RETRY_BASE_DELAY", _RETRY.base_delay_s, zero=True),
        max_delay_s=seconds(env, "DATABASE_RETRY_MAX_DELAY", _RETRY.max_delay_s, zero=True),
        budget_s=seconds(env, "DATABASE_RETRY_BUDGET", _RETRY.budget_s, zero=True),
    )


def _jobs(env: Mapping[str, str]) -> JobSettings:
    """``JOB_WORKERS=0`` leaves jobs to ``litestar jobs worker``; ``JOB_GRACE_SECONDS=0``
    hands a running job back at once on shutdown.
    """
    return JobSettings(
        workers=whole_number(env, "JOB_WORKERS", _JOBS.workers, minimum=0),
        lease_s=seconds(env, "JOB_LEASE_SECONDS", _JOBS.lease_s),
        batch_size=whole_number(env, "JOB_BATCH_SIZE", _JOBS.batch_size),
        max_attempts=whole_number(env, "JOB_MAX_ATTEMPTS", _JOBS.max_attempts),
        poll_interval_s=seconds(env, "JOB_POLL_INTERVAL", _JOBS.poll_interval_s),
        grace_s=seconds(env, "JOB_GRACE_SECONDS", _JOBS.grace_s, zero=True),
        max_queued_per_user=whole_number(env, "JOB_MAX_QUEUED_PER_USER", _JOBS.max_queued_per_user),
        retention_hours=seconds(env, "JOB_RETENTION_HOURS", _JOBS.retention_hours, unit="hours"),
        idempotency_ttl_hours=seconds(
            env, "IDEMPOTENCY_TTL_HOURS", _JOBS.idempotency_ttl_hours, unit="hours"
        ),
    )


def _sqlite_in(data_dir: str) -> str:
    """The default database: an SQLite file in the data directory."""
    return f"sqlite+aiosqlite:///{data_dir.rstrip('/')}/tasklane.db"


_RATE_LIMITS = RateLimitSettings()
_RATE_LIMIT_STORAGE_SCHEMES = ("memory", "redis", "rediss")


def _rate_limits(env: Mapping[str, str]) -> RateLimitSettings:
    url = env.get("RATE_LIMIT_STORAGE_URL") or _RATE_LIMITS.storage_url
    scheme = urlsplit(url).scheme
    if scheme.removeprefix("async+") not in _RATE_LIMIT_STORAGE_SCHEMES:
        # The scheme only: a Redis URL may hold a password.
        raise SettingsError(
            "RATE_LIMIT_STORAGE_URL must be memory:// or redis[s]://host:port/db, "
            f"not a {scheme or 'scheme-less'!r} URL"
        )
    return RateLimitSettings(
        login_per_account=_rate(
            env, "RATE_LIMIT_LOGIN_PER_ACCOUNT", _RATE_LIMITS.login_per_account
        ),
        login_per_address=_rate(
            env, "RATE_LIMIT_LOGIN_PER_ADDRESS", _RATE_LIMITS.login_per_address
        ),
        register_per_account=_rate(
            env, "RATE_LIMIT_REGISTER_PER_ACCOUNT", _RATE_LIMITS.register_per_account
        ),
        register_per_address=_rate(
            env, "RATE_LIMIT_REGISTER_PER_ADDRESS", _RATE_LIMITS.register_per_address
        ),
        storage_url=url,
        prefix=env.get("RATE_LIMIT_PREFIX") or _RATE_LIMITS.prefix,
        storage_timeout_s=seconds(
            env, "RATE_LIMIT_STORAGE_TIMEOUT", _RATE_LIMITS.storage_timeout_s
        ),
    )


def _rate(env: Mapping[str, str], name: str, default: str) -> str:
    """A single limit such as ``10/minute`` or ``5 per 15 minutes``, at least 1."""
    value = env.get(name) or default
    try:
        items = parse_many(value)
    except ValueError:
        items = []
    if len(items) != 1 or items[0].amount < 1:
        raise SettingsError(f"{name} must read like 10/minute or 5/15 minutes, not {value!r}")
    return value


_ORIGIN = re.compile(r"^https?://[^/\s?#]+$")


def _origins(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    """Comma-separated origins (``scheme://host[:port]``, no path), or ``*`` for any."""
    origins = tuple(o.strip().rstrip("/") for o in env.get(name, "").split(",") if o.strip())
    for origin in origins:
        if origin != "*" and not _ORIGIN.fullmatch(origin):
            raise SettingsError(
                f"{name} must list origins like https://app.example.com (scheme and host, "
                f"no path), separated by commas, or *; not {origin!r}"
            )
    return origins
