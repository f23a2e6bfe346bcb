"""DATABASE_URL normalisation: every form the contract accepts, and the ones it refuses."""

import ssl

import pytest

from infrastructure.database_url import DatabaseUrlError, normalize_database_url

NEON = (
    "postgresql://user:s3cret@ep-x-123-pooler.eu-central-1.aws.neon.tech/db"
    "?sslmode=require&channel_binding=require"
)


@pytest.mark.parametrize(
    "url",
    [
        "postgres://u:p@localhost:5432/app",
        "postgresql://u:p@localhost:5432/app",
        "postgresql+asyncpg://u:p@localhost:5432/app",
        "POSTGRESQL://u:p@localhost:5432/app",
    ],
)
def test_postgres_forms_select_asyncpg(url: str) -> None:
    target = normalize_database_url(url)
    assert target.url == "postgresql+asyncpg://u:p@localhost:5432/app"
    assert target.dialect == "postgresql"
    assert target.connect_args == {}


def test_neon_url_drops_libpq_parameters_and_uses_pooler_settings() -> None:
    target = normalize_database_url(NEON)
    assert target.url == (
        "postgresql+asyncpg://user:s3cret@ep-x-123-pooler.eu-central-1.aws.neon.tech/db"
    )
    context = target.connect_args["ssl"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_NONE
    assert context.check_hostname is False
    assert target.connect_args["statement_cache_size"] == 0
    assert target.connect_args["prepared_statement_cache_size"] == 0
    name_func = target.connect_args["prepared_statement_name_func"]
    assert callable(name_func)
    first, second = name_func(), name_func()
    assert first != second
    assert first.startswith("__asyncpg_")


def test_other_query_parameters_are_kept() -> None:
    target = normalize_database_url("postgresql://h/db?sslmode=disable&application_name=x")
    assert target.url == "postgresql+asyncpg://h/db?application_name=x"
    assert target.connect_args == {"ssl": False}


@pytest.mark.parametrize("mode", ["prefer", "allow"])
def test_lenient_ssl_modes_keep_the_driver_default(mode: str) -> None:
    target = normalize_database_url(f"postgresql://h/db?sslmode={mode}")
    assert "ssl" not in target.connect_args
    assert target.url == "postgresql+asyncpg://h/db"


def test_verify_ca_checks_the_certificate_but_not_the_host() -> None:
    context = normalize_database_url("postgresql://h/db?sslmode=verify-ca").connect_args["ssl"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is False


def test_verify_full_checks_certificate_and_host() -> None:
    context = normalize_database_url("postgresql://h/db?sslmode=verify-full").connect_args["ssl"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True


def test_pgbouncer_flag_disables_statement_caches_on_any_host() -> None:
    target = normalize_database_url("postgresql://u@db.internal/app", pgbouncer=True)
    assert target.connect_args["statement_cache_size"] == 0
    assert target.connect_args["prepared_statement_cache_size"] == 0
    assert "ssl" not in target.connect_args


def test_plain_host_gets_no_pooler_settings() -> None:
    assert normalize_database_url("postgresql://u@ep-x-123.aws.neon.tech/db").connect_args == {}


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///./data/tasklane.db", "sqlite+aiosqlite:///./data/tasklane.db"),
        ("sqlite+aiosqlite:///./data/tasklane.db", "sqlite+aiosqlite:///./data/tasklane.db"),
        ("sqlite:////var/lib/tasklane.db", "sqlite+aiosqlite:////var/lib/tasklane.db"),
        ("sqlite:///:memory:", "sqlite+aiosqlite:///:memory:"),
        ("sqlite+aiosqlite:///:memory:", "sqlite+aiosqlite:///:memory:"),
    ],
)
def test_sqlite_forms_select_aiosqlite(url: str, expected: str) -> None:
    target = normalize_database_url(url)
    assert target.url == expected
    assert target.dialect == "sqlite"
    assert target.connect_args == {}


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://u:hunter2@h/db",
        "postgresql+psycopg2://u:hunter2@h/db",
        "mysql://u:hunter2@h/db",
        "sqlite+pysqlite:///x.db",
        "u:hunter2@h/db",
        "",
    ],
)
def test_unsupported_urls_are_refused_without_leaking_secrets(url: str) -> None:
    with pytest.raises(DatabaseUrlError, match=r"must look like|unsupported scheme") as raised:
        normalize_database_url(url)
    assert "hunter2" not in str(raised.value)


def test_unknown_sslmode_is_refused() -> None:
    with pytest.raises(DatabaseUrlError, match="sslmode='sometimes': use one of allow,"):
        normalize_database_url("postgresql://u:hunter2@h/db?sslmode=sometimes")


def test_a_port_that_is_no_number_is_refused_without_the_password() -> None:
    with pytest.raises(DatabaseUrlError, match="port that is not a number") as raised:
        normalize_database_url("postgresql://u:hunter2@h:54x2/db")
    assert "hunter2" not in str(raised.value)
