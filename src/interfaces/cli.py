"""What tasklane adds to the ``litestar`` CLI: the ``.env`` file it read, said once, and
start-up failures as one line and an exit status instead of a traceback.
"""

import functools
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click
import litestar.cli
from litestar.plugins import CLIPluginProtocol

from infrastructure.database_url import DatabaseUnreachableError

# A setting to fix (the message names it); a database that did not answer.
SETTINGS_ERROR_STATUS = 2
UNREACHABLE_STATUS = 1
# The command groups that connect to the database before doing anything else.
_CONNECTING_GROUPS = ("database", "jobs", "users")

logger = logging.getLogger("tasklane.settings")


def exit_with(message: str, status: int) -> NoReturn:
    """End the process with ``message`` as the one line on stderr."""
    print(message, file=sys.stderr, flush=True)
    raise SystemExit(status)


class StartUpReport(CLIPluginProtocol):
    """Logs the ``.env`` file the CLI read, and turns a database that cannot be reached
    into one line (status 1) for ``litestar database ...``, ``litestar jobs ...`` and
    ``litestar users ...``.

    Listed after the plugins whose commands it wraps: Litestar calls ``on_cli_init`` in
    plugin order, once per CLI run, right after it loaded the ``.env`` file and the app.
    """

    def on_cli_init(self, cli: click.Group) -> None:
        dotenv = litestar_dotenv_file()
        if dotenv is not None:
            logger.info(
                "read settings from %s (variables already set in the environment win)", dotenv
            )
        for name in _CONNECTING_GROUPS:
            group = cli.commands.get(name)
            if isinstance(group, click.Group):
                for command in group.commands.values():
                    if command.callback is not None:
                        command.callback = _one_line_when_unreachable(command.callback)


def wrap_run_command(
    cli: click.Group, marker: str, wrap: Callable[[Callable[..., Any]], Callable[..., Any]]
) -> None:
    """``litestar run`` calls ``wrap(its callback)`` instead, once: the commands are
    module globals, and the CLI calls its plugins for every app it loads.
    """
    run = cli.commands.get("run")
    if run is None or run.callback is None or getattr(run.callback, marker, False):
        return
    wrapped = functools.wraps(run.callback)(wrap(run.callback))
    setattr(wrapped, marker, True)
    run.callback = wrapped


def _one_line_when_unreachable(callback: Callable[..., Any]) -> Callable[..., Any]:
    if getattr(callback, "_tasklane_wrapped", False):  # the groups are module globals
        return callback

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return callback(*args, **kwargs)
        except DatabaseUnreachableError as error:
            exit_with(str(error), UNREACHABLE_STATUS)

    run._tasklane_wrapped = True  # type: ignore[attr-defined]
    return run


def litestar_dotenv_file(start: Path | None = None) -> Path | None:
    """The ``.env`` file Litestar's CLI loaded before it imported the app, if any.

    The CLI calls python-dotenv's ``load_dotenv()`` without a path. python-dotenv then
    searches from the directory of its caller, ``litestar/cli/`` wherever Litestar is
    installed (the working directory only in an interactive or traced process), up to
    the file system's root: the first ``.env`` found is read. With the virtualenv inside
    the checkout, that is the checkout's ``.env``, whatever the working directory.
    ``start`` replaces the search's starting directory (tests).
    """
    try:
        import dotenv  # noqa: F401 - without python-dotenv the CLI reads no .env
    except ImportError:
        return None
    if os.environ.get("PYTHON_DOTENV_DISABLED", "").casefold() in {"1", "true", "t", "yes", "y"}:
        return None
    if start is None:
        start = Path(litestar.cli.__file__).parent
        if _interactive_or_traced():
            start = Path.cwd()
    for directory in (start.absolute(), *start.absolute().parents):
        candidate = directory / ".env"
        if candidate.is_file() or candidate.is_fifo():
            return candidate
    return None


def _interactive_or_traced() -> bool:
    """python-dotenv's own test for searching from the working directory instead."""
    main = sys.modules.get("__main__")
    return (
        hasattr(sys, "ps1")
        or hasattr(sys, "ps2")
        or (main is not None and not hasattr(main, "__file__"))
        or sys.gettrace() is not None
        or getattr(sys, "frozen", False)
    )
