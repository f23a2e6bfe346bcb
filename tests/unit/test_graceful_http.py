"""``GracefulHttp`` wraps ``litestar run`` alone, once, and changes nothing until it runs."""

import signal

import click
import uvicorn.config

from interfaces.graceful_http import PROTOCOL, GracefulHttp


def _cli() -> tuple[click.Group, list[str]]:
    calls: list[str] = []
    cli = click.Group()

    @cli.command(name="run")
    def run() -> None:
        calls.append(uvicorn.config.HTTP_PROTOCOLS["auto"])

    @cli.command(name="other")
    def other() -> None:
        calls.append("other")

    return cli, calls


def test_only_the_run_command_is_wrapped_and_only_once() -> None:
    cli, _calls = _cli()
    other = cli.commands["other"].callback
    GracefulHttp().on_cli_init(cli)
    wrapped = cli.commands["run"].callback
    GracefulHttp().on_cli_init(cli)
    assert cli.commands["run"].callback is wrapped
    assert cli.commands["other"].callback is other


def test_the_draining_protocol_is_chosen_when_run_starts() -> None:
    cli, calls = _cli()
    GracefulHttp().on_cli_init(cli)
    before = dict(uvicorn.config.HTTP_PROTOCOLS)
    handler = signal.getsignal(signal.SIGTERM)
    try:
        callback = cli.commands["run"].callback
        assert callback is not None
        callback()
    finally:
        uvicorn.config.HTTP_PROTOCOLS.update(before)
        signal.signal(signal.SIGTERM, handler)
    assert calls == [PROTOCOL]


def test_a_cli_without_run_is_left_alone() -> None:
    cli = click.Group()
    GracefulHttp().on_cli_init(cli)
    assert cli.commands == {}
