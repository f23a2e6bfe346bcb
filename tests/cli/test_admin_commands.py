"""Admin commands through the real CLI: ``litestar --app interfaces.app:create_app users
create|list|disable`` and ``jobs list|retry``, each a subprocess on a migrated SQLite file.

Success is plain lines on stdout and status 0; a refusal one line on stderr and status 1,
never a traceback. A disabled user is then refused by the app itself over HTTP: log-in
at once, an existing token once the known-users cache's lifetime is up.
"""

import asyncio
import re
import shutil
import subprocess
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from domain.job import Job, JobStatus, NewJob
from domain.user import NewUser, User
from infrastructure.settings import DatabaseSettings, Settings
from interfaces.app import create_app
from tests.cli.test_start_up_messages import LITESTAR, REPO, base_env, closed_port
from tests.support.asgi import asgi_transport, serving
from tests.support.tokens import TEST_JWT_SECRET

PASSWORD = "correct horse"
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
# Short, so the test waits little for a disabled user's token to be refused.
TTL_S = 2.0


@dataclass(frozen=True)
class Done:
    status: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from infrastructure.persistence.sqlalchemy.schema_upgrade import upgrade_schema

    path = tmp_path_factory.mktemp("admin") / "template.db"
    upgrade_schema(DatabaseSettings(url=f"sqlite:///{path}"))
    return path


@pytest.fixture
def env(tmp_path: Path, migrated_template: Path) -> dict[str, str]:
    """The environment of a deployment on its own migrated SQLite file."""
    database = tmp_path / "tasklane.db"
    shutil.copyfile(migrated_template, database)
    return base_env(
        tmp_path,
        DATABASE_URL=f"sqlite+aiosqlite:///{database}",
        JWT_SECRET=TEST_JWT_SECRET,
        ARGON2_TIME_COST="1",
        ARGON2_MEMORY_KIB="8",
        KNOWN_USER_TTL_SECONDS=str(TTL_S),
    )


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> Done:
    done = subprocess.run(
        [*LITESTAR, *args],
        env=env,
        cwd=REPO,
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return Done(done.returncode, done.stdout, done.stderr)


def refused(done: Done, message: str) -> None:
    """Status 1 and ``message`` as the one line on stderr."""
    assert (done.status, done.stderr.splitlines(), done.stdout) == (1, [message], "")


def cli_all(env: dict[str, str], *commands: Sequence[str]) -> list[Done]:
    """Independent commands at once: each pays the app's import."""
    with ThreadPoolExecutor(max_workers=len(commands)) as pool:
        return list(pool.map(lambda command: cli(env, *command), commands))


def test_users_are_created_listed_and_disabled(env: dict[str, str]) -> None:
    create_ann = ["users", "create", "--email", "Ann@Example.com", "--password", PASSWORD]
    created = cli(env, *create_ann, "--display-name", "Ann")
    assert created.status == 0, created.stderr
    assert created.stdout.startswith("created user ann@example.com (")
    # Without --password it is asked for twice, and not echoed.
    prompted = cli(env, "users", "create", "--email", "bob@example.com", stdin=f"{PASSWORD}\n" * 2)
    assert prompted.status == 0, prompted.stderr
    assert PASSWORD not in prompted.stdout + prompted.stderr
    assert prompted.lines[-1].startswith("created user bob@example.com (")

    taken, invalid, short, listed, second, nobody = cli_all(
        env,
        ["users", "create", "--email", "ANN@example.com", "--password", PASSWORD],
        ["users", "create", "--email", "not-an-address", "--password", PASSWORD],
        ["users", "create", "--email", "c@example.com", "--password", "short"],
        ["users", "list"],
        ["users", "list", "--limit", "1", "--offset", "1"],
        ["users", "disable", "nobody@example.com"],
    )
    refused(taken, "e-mail already registered")
    refused(invalid, "email: must be a valid e-mail address")
    refused(short, "password: must be 8 to 128 characters long")
    refused(nobody, "no user with e-mail nobody@example.com")
    assert listed.status == 0, listed.stderr
    header, ann, bob, summary = listed.lines
    columns = ["id", "e-mail", "display name", "created (UTC)", "disabled (UTC)"]
    assert header.split() == " ".join(columns).split()
    assert ann.split()[1:3] == ["ann@example.com", "Ann"]
    assert bob.split()[1] == "bob@example.com"
    assert summary == "users 1-2 of 2"
    assert second.lines[-1] == "users 2-2 of 2"

    disabled = cli(env, "users", "disable", "ANN@example.com")
    assert disabled.status == 0, disabled.stderr
    assert disabled.stdout.startswith("disabled user ann@example.com (")
    assert f"tokens within {TTL_S:g} s" in disabled.stdout
    again, relisted = cli_all(env, ["users", "disable", "ann@example.com"], ["users", "list"])
    assert again.status == 0
    assert again.stdout.startswith("user ann@example.com was already disabled at ")
    ann_row, bob_row = relisted.lines[1:3]
    assert [len(TIMESTAMP.findall(row)) for row in (ann_row, bob_row)] == [2, 1]


def seed_jobs(env: dict[str, str]) -> tuple[Job, Job]:
    """A failed job (2 of 3 tasks processed) and a queued one, stored in ``env``'s database."""
    from infrastructure.persistence.sqlalchemy import (
        SqlAlchemyUnitOfWork,
        build_engine,
    )

    async def seed() -> tuple[Job, Job]:
        engine = build_engine(DatabaseSettings(url=env["DATABASE_URL"]), production=False)
        try:
            async with SqlAlchemyUnitOfWork(engine) as uow:
                owner: User = await uow.users.add(NewUser("owner@example.com", "hash"))
                first = await uow.jobs.add(NewJob.listing(owner.id, [1, 2, 3]))
                await uow.jobs.claim("w1", 30.0)
                await uow.jobs.advance(first.id, "w1", 0, 2, [], 30.0)
                failed = await uow.jobs.finish(first.id, "w1", JobStatus.FAILED, "disk full")
                queued = await uow.jobs.add(NewJob.listing(owner.id, [4]))
                await uow.commit()
        finally:
            await engine.dispose()
        assert failed is not None
        return failed, queued

    return asyncio.run(seed())


def test_jobs_are_listed_and_a_failed_one_retried(env: dict[str, str]) -> None:
    failed, queued = seed_jobs(env)
    every, only_failed, running, missing, huge, bad_status = cli_all(
        env,
        ["jobs", "list"],
        ["jobs", "list", "--status", "failed"],
        ["jobs", "list", "--status", "running"],
        ["jobs", "retry", "999"],
        ["jobs", "retry", str(2**70)],
        ["jobs", "list", "--status", "lost"],
    )
    assert every.lines[-1] == "jobs 1-2 of 2"
    assert only_failed.status == 0, only_failed.stderr
    header, row, summary = only_failed.lines
    assert header.split()[:4] == ["id", "status", "processed", "attempts"]
    assert row.split()[:4] == [str(failed.id), "failed", "2/3", "1"]
    assert row.endswith("disk full")
    assert summary == "jobs 1-1 of 1"
    assert running.lines == ["no jobs"]
    refused(missing, "no job 999")
    refused(huge, f"no job {2**70}")
    # A status that does not exist is click's usage error (status 2), no traceback.
    assert bad_status.status == 2

    retried = cli(env, "jobs", "retry", str(failed.id))
    assert retried.status == 0, retried.stderr
    assert retried.lines == [
        f"job {failed.id} queued again (2/3 processed; it had failed: disk full)"
    ]
    now_queued, again = cli_all(
        env, ["jobs", "list", "--status", "queued"], ["jobs", "retry", str(failed.id)]
    )
    assert [line.split()[:4] for line in now_queued.lines[1:-1]] == [
        [str(queued.id), "queued", "0/1", "0"],
        [str(failed.id), "queued", "2/3", "0"],
    ]
    refused(again, f"job {failed.id} is queued: only failed jobs can be retried")


def test_a_database_that_fails_is_one_line(tmp_path: Path) -> None:
    unreachable = base_env(
        tmp_path,
        DATABASE_URL=f"postgresql://postgres@127.0.0.1:{closed_port()}/tasklane",
        JWT_SECRET=TEST_JWT_SECRET,
    )
    unmigrated = {**unreachable, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(cli, unreachable, "users", "list")
        second = pool.submit(cli, unmigrated, "jobs", "retry", "1")
        cannot_reach, not_migrated = first.result(), second.result()
    assert cannot_reach.status == 1
    assert len(cannot_reach.stderr.splitlines()) == 1, cannot_reach.stderr
    assert cannot_reach.stderr.startswith("tasklane cannot reach the database at 127.0.0.1:")
    refused(
        not_migrated, "failed: OperationalError: (sqlite3.OperationalError) no such table: jobs"
    )


def test_a_disabled_user_is_refused_by_the_app(env: dict[str, str]) -> None:
    created = cli(env, "users", "create", "--email", "ann@example.com", "--password", PASSWORD)
    assert created.status == 0, created.stderr
    settings = Settings.from_env(env)
    assert settings.known_user_ttl_seconds == TTL_S
    asyncio.run(_refused_after_disable(env, create_app(settings)))


async def _refused_after_disable(env: dict[str, str], app: Litestar) -> None:
    credentials = {"email": "ann@example.com", "password": PASSWORD}
    wrong = {"email": "ann@example.com", "password": "not the password"}
    async with (
        serving(app),
        httpx.AsyncClient(transport=asgi_transport(app), base_url="http://tasklane.test") as client,
    ):
        login = await client.post("/auth/login", json=credentials)
        assert login.status_code == 200, login.text
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        assert (await client.get("/auth/me", headers=auth)).status_code == 200
        remembered_at = time.monotonic()

        disabled = await asyncio.to_thread(cli, env, "users", "disable", "ann@example.com")
        assert disabled.status == 0, disabled.stderr

        # Log-in is refused at once, exactly like a wrong password.
        refused_login = await client.post("/auth/login", json=credentials)
        wrong_login = await client.post("/auth/login", json=wrong)
        assert refused_login.status_code == wrong_login.status_code == 401
        assert _comparable(refused_login) == _comparable(wrong_login)
        # The token is accepted while the process remembers the user (by routes that
        # trust the known-users cache; /auth/me reads the user itself)...
        tasks = await client.get("/tasks", headers=auth)
        if time.monotonic() - remembered_at < TTL_S - 0.2:
            assert tasks.status_code == 200, tasks.text
        # ...and refused once the known-users cache's lifetime is up.
        await asyncio.sleep(max(0.0, remembered_at + TTL_S - time.monotonic()) + 0.05)
        for path in ("/tasks", "/auth/me"):
            gone = await client.get(path, headers=auth)
            assert gone.status_code == 401, gone.text
            assert gone.json()["type"].endswith("/unauthorized")


def _comparable(response: httpx.Response) -> tuple[dict[str, object], Sequence[str]]:
    """The body and headers but the per-request id."""
    body = {k: v for k, v in response.json().items() if k not in {"instance", "request_id"}}
    headers = sorted(f"{k}: {v}" for k, v in response.headers.items() if k != "x-request-id")
    return body, headers
