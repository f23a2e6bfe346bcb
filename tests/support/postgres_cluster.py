"""A throwaway PostgreSQL cluster the fault tests may stop, start and starve at will."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support.served import free_port


def _bin_dir() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    return versions[0] if versions else None


class PostgresCluster:
    """initdb + pg_ctl in a temporary directory, run as ``postgres`` when we are root."""

    def __init__(self) -> None:
        bin_dir = _bin_dir()
        if bin_dir is None:
            raise RuntimeError("no PostgreSQL server binaries (initdb, pg_ctl) found")
        self._bin = bin_dir
        self.port = free_port()
        self._root = Path(tempfile.mkdtemp(prefix="tasklane-pg-"))
        self.data_dir = self._root / "data"
        self._log = self._root / "server.log"
        if os.geteuid() == 0:
            shutil.chown(self._root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self._root}'\nmax_connections = 100\n"
                # Speed without losing commits to a server crash: only an OS crash could.
                "fsync = off\nfull_page_writes = off\n"
            )

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data_dir), "-l", str(self._log), "-w", "-t", "30", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", mode, "-w", "-t", "30", "stop")

    def is_running(self) -> bool:
        status = subprocess.run(
            self._command("pg_ctl", "-D", str(self.data_dir), "status"),
            capture_output=True,
            check=False,
        )
        return status.returncode == 0

    def destroy(self) -> None:
        if self.is_running():
            self.stop("immediate")
        shutil.rmtree(self._root, ignore_errors=True)

    def wait_ready(self, timeout_s: float = 30) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"PostgreSQL on port {self.port} did not come up")

    def _command(self, program: str, *args: str) -> list[str]:
        command = [str(self._bin / program), *args]
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return command

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(self._command(program, *args), check=True, capture_output=True, cwd="/")
