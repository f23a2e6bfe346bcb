"""Settings from the environment: defaults, overrides, and refusals to start."""

from pathlib import Path

import pytest

from infrastructure.settings import (
    DEFAULT_DATABASE_URL,
    Settings,
    SettingsError,
)


def test_defaults_serve_sqlite_in_development() -> None:
    settings = Settings.from_env({})
    assert settings.environment == "development"
    assert settings.persistence == "sql"
    assert settings.database.url == DEFAULT_DATABASE_URL
    assert settings.database.pool_size is None
    assert settings.data_dir == Path("data")
    assert settings.jwt_secret is None  # resolved at start-up, see test_secret_key.py
    assert settings.jwt_algorithm == "HS256"


def test_no_fixed_secret_is_built_in() -> None:
    import infrastructure.settings as module

    assert Settings().jwt_secret is None
    assert not any(
        "SECRET" in name and isinstance(value, str) for name, value in vars(module).items()
    )


def test_the_data_dir_holds_the_default_database() -> None:
    settings = Settings.from_env({"DATA_DIR": "/var/lib/tasklane/"})
    assert settings.data_dir == Path("/var/lib/tasklane")
    assert settings.database.url == "sqlite+aiosqlite:////var/lib/tasklane/tasklane.db"
    env = {"DATA_DIR": "/var/lib/tasklane", "DATABASE_URL": "sqlite:///elsewhere.db"}
    assert Settings.from_env(env).database.url == "sqlite:///elsewhere.db"


def test_the_secret_stays_out_of_reprs() -> None:
    settings = Settings.from_env({"JWT_SECRET": "k" * 40})
    assert settings.jwt_secret == "k" * 40
    assert "k" * 40 not in repr(settings)


def test_production_refuses_to_start_without_a_secret() -> None:
    with pytest.raises(SettingsError, match="JWT_SECRET"):
        Settings.from_env({"ENVIRONMENT": "production"})
    with pytest.raises(SettingsError, match="JWT_SECRET"):
        Settings.from_env({"ENVIRONMENT": "production", "JWT_SECRET": "short"})


def test_production_with_a_long_secret() -> None:
    settings = Settings.from_env({"ENVIRONMENT": "production", "JWT_SECRET": "x" * 32})
    assert settings.is_production
    assert settings.jwt_secret == "x" * 32


def test_secret_length_follows_the_algorithm() -> None:
    with pytest.raises(SettingsError, match="64 bytes"):
        Settings.from_env({"JWT_SECRET": "x" * 32, "JWT_ALGORITHM": "HS512"})
    assert Settings.from_env({"JWT_ALGORITHM": "HS512"}).jwt_algorithm == "HS512"


def test_the_algorithm_is_pinned_to_hmac_choices() -> None:
    with pytest.raises(SettingsError, match="JWT_ALGORITHM"):
        Settings.from_env({"JWT_ALGORITHM": "none"})


def test_database_url_alias_and_pool_overrides() -> None:
    settings = Settings.from_env(
        {
            "DATABASE_URL_ASYNC": "postgres://u@h/db",
            "DATABASE_POOL_SIZE": "7",
            "DATABASE_MAX_OVERFLOW": "0",
            "DATABASE_POOL_TIMEOUT": "2.5",
            "DATABASE_TIMEOUT": "3",
            "DATABASE_POOL_RECYCLE": "600",
            "DATABASE_ECHO": "true",
            "DATABASE_PGBOUNCER": "1",
        }
    )
    db = settings.database
    assert db.url == "postgres://u@h/db"
    assert (db.pool_size, db.max_overflow, db.pool_timeout, db.timeout) == (7, 0, 2.5, 3.0)
    assert (db.pool_recycle, db.echo, db.pgbouncer) == (600, True, True)


def test_database_url_wins_over_its_alias() -> None:
    env = {"DATABASE_URL": "sqlite:///a.db", "DATABASE_URL_ASYNC": "sqlite:///b.db"}
    assert Settings.from_env(env).database.url == "sqlite:///a.db"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_POOL_SIZE", "many"),
        ("DATABASE_POOL_SIZE", "-1"),
        ("DATABASE_POOL_TIMEOUT", "0"),
        ("DATABASE_TIMEOUT", "nan"),
        ("DATABASE_ECHO", "maybe"),
        ("PERSISTENCE", "redis"),
        ("ENVIRONMENT", "staging"),
        ("LOG_LEVEL", "verbose"),
        ("JWT_TTL_SECONDS", "1.5"),
        ("KNOWN_USER_TTL_SECONDS", "-1"),
        ("KNOWN_USER_TTL_SECONDS", "a minute"),
    ],
)
def test_malformed_values_are_refused(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"^{name} must ") as refused:
        Settings.from_env({name: value})
    assert repr(value) in str(refused.value)


# An explicit 0 is honoured where it means something and refused where it does not;
# it never silently becomes the default (the old `or` did that).
@pytest.mark.parametrize(
    "name",
    [
        "DATABASE_POOL_SIZE",  # SQLAlchemy would read 0 as "no limit"
        "DATABASE_POOL_TIMEOUT",
        "DATABASE_TIMEOUT",
        "DATABASE_POOL_RECYCLE",
        "DATABASE_RETRY_ATTEMPTS",
        "JOB_LEASE_SECONDS",
        "JOB_BATCH_SIZE",
        "JOB_MAX_ATTEMPTS",
        "JOB_POLL_INTERVAL",
        "JWT_TTL_SECONDS",
        "ARGON2_TIME_COST",
        "ARGON2_MEMORY_KIB",
        "PASSWORD_HASH_CONCURRENCY",
        "RATE_LIMIT_STORAGE_TIMEOUT",
    ],
)
def test_a_meaningless_zero_is_refused(name: str) -> None:
    with pytest.raises(SettingsError, match=rf"^{name} must be .* at least|more than 0"):
        Settings.from_env({name: "0"})


def test_a_meaningful_zero_is_honoured() -> None:
    settings = Settings.from_env(
        {
            "DATABASE_MAX_OVERFLOW": "0",
            "DATABASE_RETRY_BASE_DELAY": "0",
            "DATABASE_RETRY_MAX_DELAY": "0",
            "DATABASE_RETRY_BUDGET": "0",
            "JOB_WORKERS": "0",
            "JOB_GRACE_SECONDS": "0",
            "PASSWORD_HASH_QUEUE": "0",
            "KNOWN_USER_TTL_SECONDS": "0",
        }
    )
    assert settings.known_user_ttl_seconds == 0
    assert settings.database.max_overflow == 0
    retry = settings.retry
    assert (retry.base_delay_s, retry.max_delay_s, retry.budget_s) == (0, 0, 0)
    assert (settings.jobs.workers, settings.jobs.grace_s) == (0, 0)
    assert settings.password_hash_queue == 0


def test_explicit_values_are_taken_as_given() -> None:
    settings = Settings.from_env(
        {
            "DATABASE_RETRY_ATTEMPTS": "1",
            "JOB_BATCH_SIZE": "7",
            "LOG_LEVEL": "debug",
            "KNOWN_USER_TTL_SECONDS": "2.5",
        }
    )
    assert settings.known_user_ttl_seconds == 2.5
    assert Settings.from_env({}).known_user_ttl_seconds == 60
    assert (settings.retry.attempts, settings.jobs.batch_size) == (1, 7)
    assert settings.log_level == "DEBUG"


def test_an_empty_value_counts_as_unset() -> None:
    settings = Settings.from_env({"JOB_BATCH_SIZE": "", "ENVIRONMENT": "", "LOG_LEVEL": ""})
    assert (settings.jobs.batch_size, settings.environment, settings.log_level) == (
        100,
        "development",
        "INFO",
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DATABASE_URL": "postgresq://u:hunter2@h/db"},
            "DATABASE_URL has the unsupported scheme 'postgresq': use postgresql://",
        ),
        ({"DATABASE_URL_ASYNC": "h/db"}, "DATABASE_URL_ASYNC must look like postgresql://"),
        (
            {"DATABASE_URL": "postgresql://u:hunter2@h/db?sslmode=on"},
            "DATABASE_URL has sslmode='on': use one of",
        ),
    ],
)
def test_a_database_url_is_checked_before_start_up(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=f"^{message}") as refused:
        Settings.from_env(env)
    assert "hunter2" not in str(refused.value)


def test_secret_refusals_say_how_to_make_one() -> None:
    with pytest.raises(SettingsError, match=r"^JWT_SECRET must be set in production: generate"):
        Settings.from_env({"ENVIRONMENT": "production"})
    with pytest.raises(
        SettingsError, match=r"^JWT_SECRET must be at least 32 bytes for HS256, not 5"
    ):
        Settings.from_env({"JWT_SECRET": "short"})


def test_origins_come_from_a_comma_separated_setting() -> None:
    settings = Settings.from_env({"CORS_ALLOW_ORIGINS": " https://a.example ,http://b.test:8080/"})
    assert settings.cors_allow_origins == ("https://a.example", "http://b.test:8080")
    assert Settings.from_env({}).cors_allow_origins == ()
    with pytest.raises(SettingsError, match="CORS_ALLOW_ORIGINS"):
        Settings.from_env({"CORS_ALLOW_ORIGINS": "https://a.example/path"})


def test_job_queue_limits_and_retention_are_read() -> None:
    defaults = Settings.from_env({}).jobs
    assert (defaults.max_queued_per_user, defaults.retention_hours) == (10, 168.0)
    jobs = Settings.from_env({"JOB_MAX_QUEUED_PER_USER": "3", "JOB_RETENTION_HOURS": "0.5"}).jobs
    assert (jobs.max_queued_per_user, jobs.retention_hours) == (3, 0.5)
    with pytest.raises(SettingsError, match="JOB_RETENTION_HOURS"):
        Settings.from_env({"JOB_RETENTION_HOURS": "-1"})


def test_idempotency_keys_live_24_hours_unless_configured() -> None:
    assert Settings.from_env({}).jobs.idempotency_ttl_hours == 24.0
    assert Settings.from_env({"IDEMPOTENCY_TTL_HOURS": "48"}).jobs.idempotency_ttl_hours == 48.0
    with pytest.raises(SettingsError, match="IDEMPOTENCY_TTL_HOURS"):
        Settings.from_env({"IDEMPOTENCY_TTL_HOURS": "0"})


@pytest.mark.parametrize(
    ("env", "enabled"),
    [
        ({}, True),
        ({"METRICS_ENABLED": ""}, True),
        ({"METRICS_ENABLED": "false"}, False),
        ({"METRICS_ENABLED": "1"}, True),
    ],
)
def test_metrics_enabled_setting(env: dict[str, str], enabled: bool) -> None:
    assert Settings.from_env(env).metrics_enabled is enabled


def test_metrics_enabled_refuses_nonsense() -> None:
    with pytest.raises(SettingsError, match="METRICS_ENABLED"):
        Settings.from_env({"METRICS_ENABLED": "maybe"})
