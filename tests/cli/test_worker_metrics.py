"""``litestar run --wc 2`` without ``PROMETHEUS_MULTIPROC_DIR``: the workers share their
series in a directory of their own, so any scrape counts every worker's requests, and
the directory is gone once the server stopped.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.http.test_metrics import parse, value
from tests.support.served import free_port, wait_until_live
from tests.support.tokens import TEST_JWT_SECRET

LITESTAR = [str(Path(sys.executable).parent / "litestar"), "--app", "interfaces.app:create_app"]
LIVE = {"method": "GET", "path": "/health/live", "status_code": "200", "app_name": "tasklane"}
REQUESTS = 20


def test_two_web_workers_are_counted_together(tmp_path: Path) -> None:
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        # Where the shared directory is made, so that the test can see it.
        "TMPDIR": str(tmp_path),
        "PYTHON_DOTENV_DISABLED": "1",
        "DATA_DIR": str(tmp_path / "data"),
        "PERSISTENCE": "memory",
        "JWT_SECRET": TEST_JWT_SECRET,
        "JOB_WORKERS": "0",
        "LOG_LEVEL": "WARNING",
    }
    log = tmp_path / "service.log"
    with log.open("wb") as sink:
        # A session of its own: the CLI, uvicorn's supervisor and its workers are ended
        # together, as Ctrl-C in a terminal would.
        process = subprocess.Popen(
            [*LITESTAR, "run", "--wc", "2", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=tmp_path,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_live(process, url, timeout_s=60, log=log)
            [shared] = tmp_path.glob("tasklane-metrics-*")
            before = parse(httpx.get(f"{url}/metrics", timeout=5).text)
            # A connection per request: the kernel hands each to either worker.
            for _ in range(REQUESTS):
                assert httpx.get(f"{url}/health/live", timeout=5).status_code == 200
            for _ in range(4):
                after = parse(httpx.get(f"{url}/metrics", timeout=5).text)
                counted = value(after, "tasklane_requests_total", **LIVE) - value(
                    before, "tasklane_requests_total", **LIVE
                )
                assert counted == REQUESTS
            assert list(shared.glob("*.db")), "the workers wrote no series there"
        finally:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    assert not list(tmp_path.glob("tasklane-metrics-*")), log.read_text(errors="replace")
