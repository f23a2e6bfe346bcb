"""Settings from the environment: defaults, overrides, and refusals to start."""

import pytest

from infrastructure.settings import (
    DEFAULT_DATABASE_URL,
    DEVELOPMENT_JWT_SECRET,
    Settings,
    SettingsError,
)


def test_defaults_serve_sqlite_in_development() -> None:
    settings = Settings.from_env({})
    assert settings.environment == "development"
    assert settings.persistence == "sql"
    assert settings.database.url == DEFAULT_DATABASE_URL
    assert settings.database.pool_size is None
    assert settings.jwt_secret == DEVELOPMENT_JWT_SECRET
    assert settings.jwt_algorithm == "HS256"


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
        ("DATABASE_ECHO", "maybe"),
        ("PERSISTENCE", "redis"),
        ("ENVIRONMENT", "staging"),
    ],
)
def test_malformed_values_are_refused(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_job_queue_limits_and_retention_are_read() -> None:
    defaults = Settings.from_env({}).jobs
    assert (defaults.max_queued_per_user, defaults.retention_hours) == (10, 168.0)
    jobs = Settings.from_env({"JOB_MAX_QUEUED_PER_USER": "3", "JOB_RETENTION_HOURS": "0.5"}).jobs
    assert (jobs.max_queued_per_user, jobs.retention_hours) == (3, 0.5)
    with pytest.raises(SettingsError, match="JOB_RETENTION_HOURS"):
        Settings.from_env({"JOB_RETENTION_HOURS": "-1"})
