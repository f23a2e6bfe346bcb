"""uvicorn's HTTP protocol with a shutdown that drops no request a client already sent.

On SIGTERM uvicorn closes its listener, then asks each connection to shut down: one
with a request in progress answers it with ``Connection: close``; an idle keep-alive
connection is closed at once. "Idle" means only that the last response was written:
a busy client sends its next request at that very moment, and closing the socket with
that request unread resets the connection (the client sees a read error on a request
it sent). Here an idle connection is drained instead: its next request, if one comes
within ``DRAIN_LINGER_S``, is still served, with ``Connection: close``; otherwise it is
closed then, as the keep-alive timeout would. A request already on its way arrives
well within that time; one a client sends later meets the same race as at any
keep-alive timeout.

``litestar run`` builds uvicorn's config itself, so ``GracefulHttp`` installs the class
through uvicorn's protocol table when that command starts. It also makes a completed
shutdown exit 0: uvicorn re-raises the SIGTERM it handled once it has shut down, which
with the default disposition ended the process with status 143 (-15), as if it had been
killed mid-request.
"""

import signal
from collections.abc import Callable
from types import FrameType
from typing import Any, NoReturn

import click
import uvicorn.config
from litestar.plugins import CLIPluginProtocol
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from interfaces.cli import wrap_run_command

# How long an idle connection may still bring one last request once shutdown began.
DRAIN_LINGER_S = 1.0


class DrainingHttpToolsProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` whose shutdown drains idle keep-alive connections."""

    _draining = False

    def shutdown(self) -> None:
        self._draining = True
        if self.cycle is None or self.cycle.response_complete:
            if self.transport.is_closing():
                return
            # Replaces the keep-alive timer; a request arriving first cancels it.
            self._unset_keepalive_if_required()
            self.timeout_keep_alive_task = self.loop.call_later(
                min(DRAIN_LINGER_S, self.timeout_keep_alive), self.timeout_keep_alive_handler
            )
        else:
            self.cycle.keep_alive = False

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        if self._draining and self.cycle is not None:
            # The last request of this connection: answered, then the connection closes.
            self.cycle.keep_alive = False


PROTOCOL = f"{__name__}:{DrainingHttpToolsProtocol.__name__}"


class GracefulHttp(CLIPluginProtocol):
    """Makes ``litestar run`` serve with ``DrainingHttpToolsProtocol`` (uvicorn's
    ``auto`` and ``httptools`` choices) and exit 0 once a SIGTERM shutdown is complete.
    Only that command: a SIGTERM ending a migration must not look like success.
    """

    def on_cli_init(self, cli: click.Group) -> None:
        wrap_run_command(cli, "_draining", _draining)


def _draining(serve: Callable[..., Any]) -> Callable[..., Any]:
    def serve_draining(*args: Any, **kwargs: Any) -> Any:
        for name in ("auto", "httptools"):
            uvicorn.config.HTTP_PROTOCOLS[name] = PROTOCOL
        # uvicorn installs its own handler while it serves and restores this one
        # after its graceful shutdown, then raises the signal again: it lands here.
        signal.signal(signal.SIGTERM, _stopped)
        return serve(*args, **kwargs)

    return serve_draining


def _stopped(_signum: int, _frame: FrameType | None) -> NoReturn:
    raise SystemExit(0)
