"""A real PgBouncer in transaction-pooling mode in front of a PostgreSQL server."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.support.postgres_cluster import free_port


class PgBouncer:
    """Started on a free port; ``url_for(server_url)`` routes a URL through it."""

    def __init__(self, server_url: str) -> None:
        executable = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
        if not Path(executable).exists():
            raise RuntimeError("pgbouncer is not installed (apt-get install pgbouncer)")
        server = urlsplit(server_url)
        self.port = free_port()
        self._root = Path(tempfile.mkdtemp(prefix="tasklane-pgbouncer-"))
        (self._root / "users.txt").write_text('"postgres" ""\n')
        (self._root / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"* = host={server.hostname} port={server.port or 5432}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\n"
            f"unix_socket_dir = {self._root}\n"
            f"auth_type = trust\nauth_file = {self._root / 'users.txt'}\n"
            "pool_mode = transaction\ndefault_pool_size = 20\nmax_client_conn = 500\n"
            "ignore_startup_parameters = extra_float_digits\n"
        )
        command = [executable, str(self._root / "pgbouncer.ini")]
        # PgBouncer refuses to run as root.
        if os.geteuid() == 0:
            shutil.chown(self._root, "postgres", "postgres")
            command = ["runuser", "-u", "postgres", "--", *command]
        self._process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd="/"
        )
        self._wait_ready()

    def url_for(self, server_url: str) -> str:
        parts = urlsplit(server_url)
        netloc = f"{parts.username or 'postgres'}@127.0.0.1:{self.port}"
        return parts._replace(netloc=netloc).geturl()

    def stop(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
        shutil.rmtree(self._root, ignore_errors=True)

    def _wait_ready(self, timeout_s: float = 15) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"pgbouncer exited with {self._process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError("pgbouncer did not come up")
