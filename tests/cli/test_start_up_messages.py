"""Start-up mistakes through the real entry points: one line on stderr and an exit status.

Each case runs ``litestar --app interfaces.app:create_app ...`` (or ``make``) as a
subprocess; the cases of a test run in parallel, since each pays the app's import.
"""

import os
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
LITESTAR = [str(Path(sys.executable).parent / "litestar"), "--app", "interfaces.app:create_app"]
MIGRATE = ["database", "upgrade", "--no-prompt"]
# What make adds when a recipe fails; everything else on stderr is ours.
MAKE_NOTICE = "make: ***"


@dataclass(frozen=True)
class Outcome:
    status: int
    stderr: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if not line.startswith(MAKE_NOTICE)]


def run(command: Sequence[str], env: dict[str, str], cwd: Path) -> Outcome:
    # A settings error stops within the app's import, a database error within the
    # connect timeout: 60 s is only a guard against a hang.
    done = subprocess.run(
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )
    return Outcome(done.returncode, done.stderr)


def run_all(
    cases: Mapping[str, tuple[Sequence[str], dict[str, str]]], cwd: Path
) -> dict[str, Outcome]:
    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = {
            name: pool.submit(run, command, env, cwd) for name, (command, env) in cases.items()
        }
        return {name: future.result() for name, future in futures.items()}


def base_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """A clean environment: no tasklane variable of the caller's, no ``.env`` file read
    (a developer's own would change the outcome), state under ``tmp_path``.
    """
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DATA_DIR": str(tmp_path / "data"),
        "PYTHON_DOTENV_DISABLED": "1",
        # No INFO lines (the JWT secret's origin): stderr holds the failure alone.
        "LOG_LEVEL": "WARNING",
    }
    return {**env, **overrides}


MAKE = ["make", "-s", "-C", str(REPO)]
ENTRY_POINTS: dict[str, list[str]] = {
    "migrate": [*LITESTAR, *MIGRATE],
    "run": [*LITESTAR, "run", "--port", "0"],
    # With several workers uvicorn imports the app again in subprocesses.
    "run-workers": [*LITESTAR, "run", "--port", "0", "--wc", "2"],
    "worker": [*LITESTAR, "jobs", "worker"],
    "make-migrate": [*MAKE, "migrate"],
    "make-run": [*MAKE, "run"],
    "make-worker": [*MAKE, "worker"],
}
# Each mistake reported in issue 7 once, through one entry point each (every entry point
# at least once): the check is the same wherever the app is loaded.
SETTINGS_MISTAKES: dict[str, tuple[str, dict[str, str], str]] = {
    "production-without-secret": (
        "make-run",
        {"ENVIRONMENT": "production"},
        "JWT_SECRET must be set in production: generate one with: python3 -c",
    ),
    "short-secret": (
        "run-workers",
        {"JWT_SECRET": "short"},
        "JWT_SECRET must be at least 32 bytes for HS256, not 5",
    ),
    "environment-prod": (
        "make-migrate",
        {"ENVIRONMENT": "prod"},
        "ENVIRONMENT must be one of development, production, not 'prod'",
    ),
    "pool-size-ten": (
        "run",
        {"DATABASE_POOL_SIZE": "ten"},
        "DATABASE_POOL_SIZE must be a whole number of at least 1, not 'ten'",
    ),
    "algorithm-rs256": (
        "worker",
        {"JWT_ALGORITHM": "RS256"},
        "JWT_ALGORITHM must be one of HS256, HS384, HS512, not 'RS256'",
    ),
    "mistyped-scheme": (
        "migrate",
        {"DATABASE_URL": "postgresq://tasklane:hunter2@db.example:5432/tasklane"},
        "DATABASE_URL has the unsupported scheme 'postgresq': use postgresql://",
    ),
    "zero-retry-attempts": (
        "migrate",
        {"DATABASE_RETRY_ATTEMPTS": "0"},
        "DATABASE_RETRY_ATTEMPTS must be a whole number of at least 1, not '0'",
    ),
    "zero-batch-size": (
        "make-worker",
        {"JOB_BATCH_SIZE": "0"},
        "JOB_BATCH_SIZE must be a whole number of at least 1, not '0'",
    ),
}


@pytest.fixture(scope="module")
def settings_outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    tmp_path = tmp_path_factory.mktemp("settings")
    cases = {
        name: (ENTRY_POINTS[entry_point], base_env(tmp_path, **env))
        for name, (entry_point, env, _message) in SETTINGS_MISTAKES.items()
    }
    return run_all(cases, tmp_path)


@pytest.mark.parametrize("name", list(SETTINGS_MISTAKES))
def test_a_settings_mistake_is_one_line_and_status_2(
    settings_outcomes: dict[str, Outcome], name: str
) -> None:
    outcome = settings_outcomes[name]
    message = SETTINGS_MISTAKES[name][2]
    assert outcome.lines == [outcome.lines[0]], outcome.stderr
    assert outcome.lines[0].startswith(f"tasklane cannot start: {message}"), outcome.stderr
    # The litestar commands exit 2 themselves; make reports any failed recipe as 2.
    assert outcome.status == 2
    assert "hunter2" not in outcome.stderr


def test_every_entry_point_is_covered() -> None:
    assert {entry_point for entry_point, _env, _message in SETTINGS_MISTAKES.values()} == set(
        ENTRY_POINTS
    )


@contextmanager
def silent_listener() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts TCP connections (the kernel does, into the
    backlog) but never answers: a connect there can only time out.
    """
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_accepts_ssl(postgres_url: str) -> bool:
    import asyncio

    import asyncpg

    async def ssl_setting() -> str:
        connection = await asyncpg.connect(postgres_url, timeout=5)
        try:
            return str(await connection.fetchval("SHOW ssl"))
        finally:
            await connection.close()

    return asyncio.run(ssl_setting()) == "on"


@pytest.mark.postgres
def test_a_database_that_cannot_be_reached_is_one_line_naming_it(
    postgres_url: str, tmp_path: Path
) -> None:
    server = urlsplit(postgres_url)
    host, port = server.hostname, server.port or 5432
    user = server.username or "postgres"
    unique = secrets.token_hex(4)
    refused = closed_port()
    if server_accepts_ssl(postgres_url):
        ssl_case = ("verify-full", "the server's certificate failed verification")
    else:
        ssl_case = ("require", "the server does not accept SSL: drop sslmode=require")
    with silent_listener() as silent:
        expected = {
            "refused": (
                f"postgresql://{user}:hunter2@127.0.0.1:{refused}/tasklane",
                f"127.0.0.1:{refused}/tasklane: connection refused (is PostgreSQL running",
            ),
            "no-such-database": (
                f"postgresql://{user}@{host}:{port}/tasklane_missing_{unique}",
                f"{host}:{port}/tasklane_missing_{unique}: no such database",
            ),
            "no-such-role": (
                f"postgresql://role_{unique}:hunter2@{host}:{port}/postgres",
                f'{host}:{port}/postgres: authentication failed (role "role_{unique}" does not',
            ),
            "ssl": (
                f"postgresql://{user}@{host}:{port}/postgres?sslmode={ssl_case[0]}",
                f"{host}:{port}/postgres: {ssl_case[1]}",
            ),
            "timeout": (
                f"postgresql://{user}@127.0.0.1:{silent}/tasklane",
                f"127.0.0.1:{silent}/tasklane: timed out (no answer within DATABASE_TIMEOUT: is",
            ),
        }
        env = {"DATABASE_TIMEOUT": "1"}
        cases = {
            name: ([*LITESTAR, *MIGRATE], base_env(tmp_path, DATABASE_URL=url, **env))
            for name, (url, _message) in expected.items()
        }
        refused_url = expected["refused"][0]
        cases["worker"] = (
            [*LITESTAR, "jobs", "worker"],
            base_env(tmp_path, DATABASE_URL=refused_url),
        )
        cases["make-run"] = (
            ["make", "-s", "-C", str(REPO), "run"],
            base_env(tmp_path, DATABASE_URL=refused_url),
        )
        outcomes = run_all(cases, tmp_path)
    expected["worker"] = expected["make-run"] = expected["refused"]
    for name, outcome in outcomes.items():
        message = f"tasklane cannot reach the database at {expected[name][1]}"
        assert outcome.lines == [outcome.lines[0]], (name, outcome.stderr)
        assert outcome.lines[0].startswith(message), (name, outcome.stderr)
        assert "hunter2" not in outcome.stderr
        # make reports any failed recipe as 2; the litestar commands exit 1.
        assert outcome.status == (2 if name.startswith("make") else 1), name


def test_the_env_file_the_cli_reads_is_named_and_yields_to_the_environment(
    tmp_path: Path,
) -> None:
    # Run as `python -c`, python-dotenv searches from the working directory (it does
    # from Litestar's own directory otherwise): tmp_path/.env, not the checkout's.
    cli = [sys.executable, "-c", "from litestar.cli.main import litestar_group as g; g()"]
    command = [*cli, *LITESTAR[1:], "routes"]
    (tmp_path / ".env").write_text("ENVIRONMENT=prod\nJOB_BATCH_SIZE=ten\n")
    env = base_env(tmp_path, LOG_LEVEL="INFO")
    del env["PYTHON_DOTENV_DISABLED"]
    outcomes = run_all(
        {
            "read": (command, env),
            # Variables already set win over the file's.
            "overridden": (command, {**env, "ENVIRONMENT": "development", "JOB_BATCH_SIZE": ""}),
        },
        tmp_path,
    )
    read = outcomes["read"]
    assert read.lines == [
        "tasklane cannot start: ENVIRONMENT must be one of development, production, not 'prod'"
    ]
    assert read.status == 2
    started = outcomes["overridden"]
    assert started.status == 0, started.stderr
    assert f"read settings from {tmp_path / '.env'} (variables already set" in started.stderr
