"""Attempt-limit and hashing-bound settings: defaults, overrides, refusals to start."""

import pytest

from infrastructure.settings import RateLimitSettings, Settings, SettingsError


def test_defaults_count_in_memory_with_realistic_limits() -> None:
    settings = Settings.from_env({})
    assert settings.rate_limits == RateLimitSettings()
    assert settings.rate_limits.storage_url == "memory://"
    assert settings.rate_limits.login_per_account == "10/15 minutes"
    assert (settings.password_hash_concurrency, settings.password_hash_queue) == (None, None)


def test_overrides() -> None:
    settings = Settings.from_env(
        {
            "RATE_LIMIT_LOGIN_PER_ACCOUNT": "5 per 10 minutes",
            "RATE_LIMIT_LOGIN_PER_ADDRESS": "100/minute",
            "RATE_LIMIT_REGISTER_PER_ACCOUNT": "2/hour",
            "RATE_LIMIT_REGISTER_PER_ADDRESS": "50/day",
            "RATE_LIMIT_STORAGE_URL": "redis://127.0.0.1:6379/2",
            "RATE_LIMIT_PREFIX": "staging",
            "RATE_LIMIT_STORAGE_TIMEOUT": "0.2",
            "PASSWORD_HASH_CONCURRENCY": "4",
            "PASSWORD_HASH_QUEUE": "0",
        }
    )
    assert settings.rate_limits == RateLimitSettings(
        login_per_account="5 per 10 minutes",
        login_per_address="100/minute",
        register_per_account="2/hour",
        register_per_address="50/day",
        storage_url="redis://127.0.0.1:6379/2",
        prefix="staging",
        storage_timeout_s=0.2,
    )
    assert (settings.password_hash_concurrency, settings.password_hash_queue) == (4, 0)


@pytest.mark.parametrize("value", ["ten a minute", "0/minute", "10/fortnight", "5/minute;50/hour"])
def test_a_malformed_limit_refuses_to_start(value: str) -> None:
    with pytest.raises(SettingsError, match="RATE_LIMIT_LOGIN_PER_ADDRESS"):
        Settings.from_env({"RATE_LIMIT_LOGIN_PER_ADDRESS": value})


@pytest.mark.parametrize("url", ["memcached://127.0.0.1:11211", "127.0.0.1:6379", "postgres://x"])
def test_an_unsupported_storage_refuses_to_start(url: str) -> None:
    with pytest.raises(SettingsError, match="RATE_LIMIT_STORAGE_URL"):
        Settings.from_env({"RATE_LIMIT_STORAGE_URL": url})


def test_a_refused_storage_url_keeps_its_password_to_itself() -> None:
    with pytest.raises(SettingsError, match="not a 'memcached' URL") as refused:
        Settings.from_env({"RATE_LIMIT_STORAGE_URL": "memcached://:hunter2@cache:11211"})
    assert "hunter2" not in str(refused.value)
