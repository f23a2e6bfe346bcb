"""A real PgBouncer in transaction-pooling mode in front of a PostgreSQL server."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.support.served import free_port

# Debian's package installs into /usr/sbin, which a non-root PATH often lacks.
_FALLBACK_EXECUTABLE = Path("/usr/sbin/pgbouncer")


def find_pgbouncer() -> str | None:
    """The pgbouncer executable, or ``None`` when it is not installed."""
    found = shutil.which("pgbouncer")
    if found:
        return found
    return str(_FALLBACK_EXECUTABLE) if _FALLBACK_EXECUTABLE.exists() else None


def _quoted(value: str) -> str:
    # auth_file syntax: double-quoted fields, a literal quote doubled.
    return '"' + value.replace('"', '""') + '"'


class PgBouncer:
    """Started on a free port; ``url_for(server_url)`` routes a URL through it.

    Clients authenticate to PgBouncer by trust; PgBouncer logs into the server as the
    URL's user with the URL's password (if any).
    """

    def __init__(self, server_url: str, *, attempts: int = 3) -> None:
        executable = find_pgbouncer()
        if executable is None:
            raise RuntimeError("pgbouncer is not installed (apt-get install pgbouncer)")
        self._executable = executable
        self._server = urlsplit(server_url)
        self._root = Path(tempfile.mkdtemp(prefix="tasklane-pgbouncer-"))
        self._log = self._root / "pgbouncer.log"
        self._process: subprocess.Popen[bytes] | None = None
        self.port = 0
        try:
            # free_port() only promises the port was free a moment ago: retry a lost race.
            for attempt in range(1, attempts + 1):
                try:
                    self._start()
                    return
                except RuntimeError:
                    self._terminate()
                    if attempt == attempts:
                        raise
        except BaseException:
            self.stop()
            raise

    def url_for(self, server_url: str) -> str:
        parts = urlsplit(server_url)
        netloc = f"{parts.username or 'postgres'}@127.0.0.1:{self.port}"
        return parts._replace(netloc=netloc).geturl()

    def stop(self) -> None:
        """Stop PgBouncer (closing its server connections) and remove its files; idempotent."""
        self._terminate()
        shutil.rmtree(self._root, ignore_errors=True)

    def _start(self) -> None:
        self.port = free_port()
        user = unquote(self._server.username or "postgres")
        password = unquote(self._server.password or "")
        (self._root / "users.txt").write_text(f"{_quoted(user)} {_quoted(password)}\n")
        (self._root / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"* = host={self._server.hostname or '127.0.0.1'} port={self._server.port or 5432}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\n"
            f"unix_socket_dir = {self._root}\n"
            f"logfile = {self._log}\n"
            f"auth_type = trust\nauth_file = {self._root / 'users.txt'}\n"
            "pool_mode = transaction\ndefault_pool_size = 20\nmax_client_conn = 500\n"
            "ignore_startup_parameters = extra_float_digits\n"
        )
        command = [self._executable, str(self._root / "pgbouncer.ini")]
        # PgBouncer refuses to run as root.
        if os.geteuid() == 0:
            shutil.chown(self._root, "postgres", "postgres")
            command = ["runuser", "-u", "postgres", "--", *command]
        self._process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/"
        )
        self._wait_ready()

    def _terminate(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    def _log_tail(self) -> str:
        try:
            lines = self._log.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(lines[-20:]) or "(empty log)"

    def _wait_ready(self, timeout_s: float = 15) -> None:
        assert self._process is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(
                    f"pgbouncer exited with {self._process.returncode}:\n{self._log_tail()}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        self._terminate()
        raise TimeoutError(f"pgbouncer did not come up on port {self.port}:\n{self._log_tail()}")
