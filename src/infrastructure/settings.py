"""Settings read once from the environment; every default is documented in the README."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from application.job_processing import JobSettings
from application.retry import RetryPolicy

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/tasklane.db"
# Good enough for a laptop, refused in production (see `Settings.from_env`).
DEVELOPMENT_JWT_SECRET = "tasklane-development-secret-never-use-in-production-0123456789abcdef"
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
class Settings:
    """Everything the service reads from its environment."""

    environment: Environment = "development"
    persistence: Persistence = "sql"
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    jobs: JobSettings = field(default_factory=JobSettings)
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    jwt_algorithm: str = "HS256"
    jwt_ttl_seconds: int = 3600
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
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
        database = DatabaseSettings(
            url=env.get("DATABASE_URL") or env.get("DATABASE_URL_ASYNC") or DEFAULT_DATABASE_URL,
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
            jwt_secret=secret or DEVELOPMENT_JWT_SECRET,
            jwt_algorithm=algorithm,
            jwt_ttl_seconds=_int(env, "JWT_TTL_SECONDS") or 3600,
            argon2_time_cost=_int(env, "ARGON2_TIME_COST") or 3,
            argon2_memory_kib=_int(env, "ARGON2_MEMORY_KIB") or 65536,
            log_level=env.get("LOG_LEVEL", "INFO").upper(),
        )


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
