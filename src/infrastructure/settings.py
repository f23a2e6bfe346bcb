"""Settings read once from the environment; every default is documented in the README."""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from limits import parse_many

from application.jobs.settings import JobSettings
from application.ports import AttemptRule
from application.retry import RetryPolicy

DEFAULT_DATA_DIR = "./data"
DEFAULT_DATABASE_URL = f"sqlite+aiosqlite:///{DEFAULT_DATA_DIR}/tasklane.db"
MIN_JWT_SECRET_BYTES = 32
# RFC 7518 3.2: an HMAC key at least as long as the hash output.
_HMAC_KEY_BYTES = {"HS256": 32, "HS384": 48, "HS512": 64}


ISOLATION_LEVELS = ("READ COMMITTED", "REPEATABLE READ", "SERIALIZABLE")


_RETRY = RetryPolicy()
_JOBS = JobSettings()


class SettingsError(ValueError):
    """The environment describes a service that must not start."""


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
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    # None: as many concurrent hashes as CPUs, and twice that many waiting.
    password_hash_concurrency: int | None = None
    password_hash_queue: int | None = None
    rate_limits: RateLimitSettings = field(default_factory=RateLimitSettings)
    # Browser origins allowed to call the API; empty: no CORS headers at all.
    cors_allow_origins: tuple[str, ...] = ()
    log_level: str = "INFO"

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        """Read the settings; ``SettingsError`` when they are unsafe or malformed."""
        env = os.environ if env is None else env
        environment = _choice(env, "ENVIRONMENT", ("development", "production"), "development")
        secret = env.get("JWT_SECRET", "")
        if environment == "production" and len(secret.encode()) < MIN_JWT_SECRET_BYTES:
            raise SettingsError(
                f"JWT_SECRET must be set to at least {MIN_JWT_SECRET_BYTES} bytes in production"
            )
        algorithm = _choice(env, "JWT_ALGORITHM", tuple(_HMAC_KEY_BYTES), "HS256")
        if secret and len(secret.encode()) < _HMAC_KEY_BYTES[algorithm]:
            raise SettingsError(
                f"JWT_SECRET must be at least {_HMAC_KEY_BYTES[algorithm]} bytes for {algorithm}"
            )
        data_dir = env.get("DATA_DIR") or DEFAULT_DATA_DIR
        database = DatabaseSettings(
            url=env.get("DATABASE_URL") or env.get("DATABASE_URL_ASYNC") or _sqlite_in(data_dir),
            pool_size=_int(env, "DATABASE_POOL_SIZE"),
            max_overflow=_int(env, "DATABASE_MAX_OVERFLOW"),
            pool_timeout=_float(env, "DATABASE_POOL_TIMEOUT"),
            timeout=_float(env, "DATABASE_TIMEOUT"),
            pool_recycle=_int(env, "DATABASE_POOL_RECYCLE"),
            echo=_bool(env, "DATABASE_ECHO"),
            pgbouncer=_bool(env, "DATABASE_PGBOUNCER"),
            isolation_level=_choice(
                env, "DATABASE_ISOLATION_LEVEL", ISOLATION_LEVELS, "READ COMMITTED"
            ),
        )
        retry = RetryPolicy(
            attempts=_int(env, "DATABASE_RETRY_ATTEMPTS") or _RETRY.attempts,
            base_delay_s=_float(env, "DATABASE_RETRY_BASE_DELAY") or _RETRY.base_delay_s,
            max_delay_s=_float(env, "DATABASE_RETRY_MAX_DELAY") or _RETRY.max_delay_s,
            budget_s=_float(env, "DATABASE_RETRY_BUDGET") or _RETRY.budget_s,
        )
        workers = _int(env, "JOB_WORKERS")
        jobs = JobSettings(
            workers=_JOBS.workers if workers is None else workers,
            lease_s=_float(env, "JOB_LEASE_SECONDS") or _JOBS.lease_s,
            batch_size=_int(env, "JOB_BATCH_SIZE") or _JOBS.batch_size,
            max_attempts=_int(env, "JOB_MAX_ATTEMPTS") or _JOBS.max_attempts,
            poll_interval_s=_float(env, "JOB_POLL_INTERVAL") or _JOBS.poll_interval_s,
            grace_s=_float(env, "JOB_GRACE_SECONDS") or _JOBS.grace_s,
            max_queued_per_user=_int(env, "JOB_MAX_QUEUED_PER_USER") or _JOBS.max_queued_per_user,
            retention_hours=_float(env, "JOB_RETENTION_HOURS") or _JOBS.retention_hours,
        )
        return cls(
            environment=environment,  # type: ignore[arg-type]
            persistence=_choice(env, "PERSISTENCE", ("sql", "memory"), "sql"),  # type: ignore[arg-type]
            database=database,
            retry=retry,
            jobs=jobs,
            data_dir=Path(data_dir),
            jwt_secret=secret or None,
            jwt_algorithm=algorithm,
            jwt_ttl_seconds=_int(env, "JWT_TTL_SECONDS") or 3600,
            argon2_time_cost=_int(env, "ARGON2_TIME_COST") or 3,
            argon2_memory_kib=_int(env, "ARGON2_MEMORY_KIB") or 65536,
            password_hash_concurrency=_int(env, "PASSWORD_HASH_CONCURRENCY") or None,
            password_hash_queue=_int(env, "PASSWORD_HASH_QUEUE"),
            rate_limits=_rate_limits(env),
            cors_allow_origins=_origins(env, "CORS_ALLOW_ORIGINS"),
            log_level=env.get("LOG_LEVEL", "INFO").upper(),
        )


def hmac_key_bytes(algorithm: str) -> int:
    """The shortest secret ``algorithm`` accepts (RFC 7518 3.2)."""
    return _HMAC_KEY_BYTES.get(algorithm, MIN_JWT_SECRET_BYTES)


def _sqlite_in(data_dir: str) -> str:
    """The default database: an SQLite file in the data directory."""
    return f"sqlite+aiosqlite:///{data_dir.rstrip('/')}/tasklane.db"


_RATE_LIMITS = RateLimitSettings()
_RATE_LIMIT_STORAGE_SCHEMES = ("memory", "redis", "rediss")


def _rate_limits(env: Mapping[str, str]) -> RateLimitSettings:
    url = env.get("RATE_LIMIT_STORAGE_URL") or _RATE_LIMITS.storage_url
    if urlsplit(url).scheme.removeprefix("async+") not in _RATE_LIMIT_STORAGE_SCHEMES:
        raise SettingsError(
            f"RATE_LIMIT_STORAGE_URL must be memory:// or redis[s]://host:port/db, not {url!r}"
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
        storage_timeout_s=_float(env, "RATE_LIMIT_STORAGE_TIMEOUT")
        or _RATE_LIMITS.storage_timeout_s,
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


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = env.get(name) or default
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _int(env: Mapping[str, str], name: str) -> int | None:
    value = env.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise SettingsError(f"{name} must not be negative")
    return number


def _float(env: Mapping[str, str], name: str) -> float | None:
    value = env.get(name)
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {value!r}") from None
    if number <= 0:
        raise SettingsError(f"{name} must be positive")
    return number


def _bool(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{name} must be true or false, not {value!r}")
