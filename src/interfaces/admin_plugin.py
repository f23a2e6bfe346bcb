"""Administration on the ``litestar`` CLI: ``users create|list|disable`` and, in the
``jobs`` group the job-workers plugin adds, ``jobs list`` and ``jobs retry``.

Each command is one use case run through the ``UseCaseRunner`` on the app's own
persistence (its units of work and settings), then the engine is closed. Success prints
plain lines and exits 0; a refusal (no such user or job, bad input, a job that did not
fail) is one line on stderr and exit status 1, never a traceback.
"""

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import datetime
from typing import Any, TypeVar

import click
from litestar.plugins import CLIPluginProtocol

from application.ports import PasswordHasher
from application.retry import RetryPolicy
from application.runner import UseCaseRunner
from application.use_cases.admin import (
    create_user,
    disable_user,
    list_jobs,
    list_users,
    retry_job,
)
from domain.errors import DomainError
from domain.job import Job, JobStatus
from domain.paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, Page, PageWindow
from domain.unit_of_work import UnitOfWork
from domain.user import User
from interfaces.cli import exit_with

T = TypeVar("T")

# A refusal: no such user or job, invalid input, a job that is not failed.
REFUSED_STATUS = 1
_PAGE_SIZE = click.IntRange(1, MAX_PAGE_SIZE)


class AdminCommandsPlugin(CLIPluginProtocol):
    """Adds the ``users`` group and ``jobs list``/``jobs retry``.

    Listed after the job-workers plugin (whose ``jobs`` group it extends) and before the
    start-up report (which turns an unreachable database into one line).
    """

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        retry: RetryPolicy,
        hasher: PasswordHasher,
        known_user_ttl_s: float,
        close: Callable[[], Awaitable[None]] | None = None,
        check_reachable: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._run = UseCaseRunner(uow_factory, retry)
        self._hasher = hasher
        self._known_user_ttl_s = known_user_ttl_s
        self._close = close
        self._check_reachable = check_reachable

    def on_cli_init(self, cli: click.Group) -> None:
        cli.add_command(self._users_group())
        jobs = cli.commands.get("jobs")
        if not isinstance(jobs, click.Group):
            jobs = click.Group(name="jobs", help="Background jobs.")
            cli.add_command(jobs)
        for command in self._jobs_commands():
            jobs.add_command(command)

    def _users_group(self) -> click.Group:
        @click.group(name="users")
        def users() -> None:
            """User accounts."""

        @users.command(name="create")
        @click.option("--email", required=True, help="The new user's e-mail.")
        @click.option(
            "--password",
            prompt=True,
            hide_input=True,
            confirmation_prompt=True,
            help="Prompted for (hidden) when not given.",
        )
        @click.option("--display-name", default=None, help="Optional name to show.")
        def create(email: str, password: str, display_name: str | None) -> None:
            """Create a user (sign-up's rules, without its attempt limits)."""
            user = self._execute(
                self._run(create_user, self._hasher, email, password, display_name)
            )
            click.echo(f"created user {user.email} ({user.id})")

        @users.command(name="list")
        @click.option("--limit", type=_PAGE_SIZE, default=DEFAULT_PAGE_SIZE, show_default=True)
        @click.option("--offset", type=click.IntRange(0), default=0, show_default=True)
        def list_(limit: int, offset: int) -> None:
            """List users in sign-up order."""
            page = self._execute(self._run(list_users, PageWindow(limit, offset)))
            _echo_table(
                ("id", "e-mail", "display name", "created (UTC)", "disabled (UTC)"),
                [_user_row(user) for user in page.items],
            )
            click.echo(_summary(page, "user"))

        @users.command(name="disable")
        @click.argument("email")
        def disable(email: str) -> None:
            """Disable the user with EMAIL: log-in refused, tokens refused within
            KNOWN_USER_TTL_SECONDS.
            """
            user, changed = self._execute(self._run(disable_user, email))
            if not changed:
                click.echo(
                    f"user {user.email} was already disabled at {_when(user.disabled_at)} UTC"
                )
                return
            click.echo(
                f"disabled user {user.email} ({user.id}); log-in is refused now, and their "
                f"tokens within {self._known_user_ttl_s:g} s (KNOWN_USER_TTL_SECONDS)"
            )

        return users

    def _jobs_commands(self) -> Sequence[click.Command]:
        @click.command(name="list")
        @click.option(
            "--status",
            type=click.Choice([status.value for status in JobStatus]),
            default=None,
            help="Only jobs in this status.",
        )
        @click.option("--limit", type=_PAGE_SIZE, default=DEFAULT_PAGE_SIZE, show_default=True)
        @click.option("--offset", type=click.IntRange(0), default=0, show_default=True)
        def list_(status: str | None, limit: int, offset: int) -> None:
            """List jobs, newest first."""
            chosen = None if status is None else JobStatus(status)
            page = self._execute(self._run(list_jobs, chosen, PageWindow(limit, offset)))
            _echo_table(
                ("id", "status", "processed", "attempts", "owner", "created (UTC)", "error"),
                [_job_row(job) for job in page.items],
            )
            click.echo(_summary(page, "job"))

        @click.command(name="retry")
        @click.argument("job_id", metavar="ID", type=int)
        def retry(job_id: int) -> None:
            """Queue the failed job ID again (attempts reset, error cleared, resumes
            after its processed tasks).
            """
            before, after = self._execute(self._run(retry_job, job_id))
            click.echo(
                f"job {after.id} queued again ({after.processed}/{after.total} processed; "
                f"it had failed: {before.error or 'no error recorded'})"
            )

        return (list_, retry)

    def _execute(self, work: Coroutine[Any, Any, T]) -> T:
        """Run one command's work on a fresh event loop; a refusal, or any other failure
        of the work itself, ends the process with one line and status 1. (A database
        that cannot be reached at all is left to the start-up report's one line.)
        """
        try:
            return asyncio.run(self._reached(work))
        except DomainError as error:
            exit_with(error.detail, REFUSED_STATUS)
        except _WorkFailedError as error:
            exit_with(str(error), REFUSED_STATUS)

    async def _reached(self, work: Coroutine[Any, Any, T]) -> T:
        try:
            if self._check_reachable is not None:
                await self._check_reachable()
            try:
                return await work
            except DomainError:
                raise
            except Exception as error:  # an unmigrated schema, a driver error...
                raise _WorkFailedError(_one_line(error)) from error
        finally:
            work.close()  # never awaited when the database could not be reached
            if self._close is not None:
                await self._close()


class _WorkFailedError(Exception):
    """A command's work failed unexpectedly; the message is its one line."""


def _one_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return f"failed: {type(error).__name__}: {lines[0] if lines else 'no detail'}"


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


def _user_row(user: User) -> tuple[str, ...]:
    return (
        str(user.id),
        user.email,
        user.display_name or "",
        _when(user.created_at),
        _when(user.disabled_at),
    )


def _job_row(job: Job) -> tuple[str, ...]:
    return (
        str(job.id),
        job.status.value,
        f"{job.processed}/{job.total}",
        str(job.attempts),
        str(job.owner_id),
        _when(job.created_at),
        job.error or "",
    )


def _summary(page: Page[Any], noun: str) -> str:
    shown = len(page.items)
    if shown == 0:
        return (
            f"no {noun}s" if page.total == 0 else f"no {noun}s past {page.offset} of {page.total}"
        )
    first = page.offset + 1
    return f"{noun}s {first}-{page.offset + shown} of {page.total}"


def _echo_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Columns padded to their widest cell, two spaces apart; nothing for no rows."""
    if not rows:
        return
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    for row in (header, *rows):
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
