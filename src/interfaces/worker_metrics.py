"""Metrics that stay right with several web workers (``litestar run --wc N``).

Each worker is a process of its own: with prometheus-client's default registry a scrape
would count only the requests of the worker that answers it. Multiprocess mode must be
on before a worker imports prometheus-client, so it is chosen in the CLI's process,
which starts the workers, and only when it starts more than one.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import click
from litestar.plugins import CLIPluginProtocol

from interfaces.cli import wrap_run_command


class MetricsAcrossWorkers(CLIPluginProtocol):
    """Runs ``litestar run`` with more than one worker inside ``shared`` (a directory
    the workers share their series in, for as long as they serve).
    """

    def __init__(self, shared: Callable[[], AbstractContextManager[None]]) -> None:
        self.shared = shared

    def on_cli_init(self, cli: click.Group) -> None:
        wrap_run_command(cli, "_metrics_shared", self._sharing)

    def _sharing(self, serve: Callable[..., Any]) -> Callable[..., Any]:
        def serve_sharing(*args: Any, **kwargs: Any) -> Any:
            if int(kwargs.get("wc") or 1) <= 1:
                return serve(*args, **kwargs)
            with self.shared():
                return serve(*args, **kwargs)

        return serve_sharing
