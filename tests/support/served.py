"""A service started as a subprocess: a free port for it, and waiting until it answers."""

import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_live(
    process: subprocess.Popen[bytes],
    origin: str,
    *,
    timeout_s: float = 20.0,
    log: Path | None = None,
) -> None:
    """Return once ``origin/health/live`` answers 200; fail the test, with the service's
    output (``log``, else its stderr), if it exits first or does not answer in time.
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the service at {origin} exited: {_output(process, log)}")
        try:
            if httpx.get(f"{origin}/health/live", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    pytest.fail(f"the service at {origin} did not answer within {timeout_s} s")


def _output(process: subprocess.Popen[bytes], log: Path | None) -> str:
    if log is not None:
        return log.read_text(errors="replace")
    return process.stderr.read().decode(errors="replace") if process.stderr else ""
