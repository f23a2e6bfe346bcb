"""Prometheus multiprocess mode: two server processes sharing ``PROMETHEUS_MULTIPROC_DIR``
(as ``WEB_CONCURRENCY`` workers will); a scrape of either counts both processes' requests.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.http.test_metrics import parse, value
from tests.support.served import free_port, wait_until_live
from tests.support.tokens import TEST_JWT_SECRET

ROOT = Path(__file__).resolve().parents[2]
LIVE = {"method": "GET", "path": "/health/live", "status_code": "200", "app_name": "tasklane"}


@pytest.fixture
def metrics_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "prometheus"
    directory.mkdir()
    # Left by an earlier run: must not be summed into this one.
    (directory / "counter_999999.db").write_bytes(b"stale")
    return directory


@pytest.fixture
def two_processes(metrics_dir: Path) -> Iterator[list[str]]:
    """Base URLs of two uvicorn processes writing metrics to one directory. The first
    starts as a parent would (it cleans the directory); the second as a worker (it
    inherits the parent's marker and leaves the directory alone).
    """
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "PERSISTENCE": "memory",
        "JWT_SECRET": TEST_JWT_SECRET,
        "JOB_WORKERS": "0",
        "LOG_LEVEL": "WARNING",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    env.pop("TASKLANE_METRICS_DIR_CLEANED_BY", None)
    servers: list[tuple[subprocess.Popen[bytes], str]] = []
    try:
        for index in range(2):
            port = free_port()
            command = [sys.executable, "-m", "uvicorn", "--factory", "interfaces.app:create_app"]
            command += ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
            process_env = env if index == 0 else {**env, "TASKLANE_METRICS_DIR_CLEANED_BY": "1"}
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=process_env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            servers.append((process, f"http://127.0.0.1:{port}"))
            wait_until_live(process, servers[-1][1])
        yield [url for _, url in servers]
    finally:
        for process, _ in servers:
            process.terminate()
        for process, _ in servers:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stderr is not None:
                process.stderr.close()


def test_a_scrape_counts_every_process(two_processes: list[str], metrics_dir: Path) -> None:
    first, second = two_processes
    assert not (metrics_dir / "counter_999999.db").exists()
    # Each came up after one or more /health/live polls: count from here.
    before = parse(httpx.get(f"{first}/metrics", timeout=5).text)
    for _ in range(3):
        assert httpx.get(f"{first}/health/live", timeout=5).status_code == 200
    for _ in range(2):
        assert httpx.get(f"{second}/health/live", timeout=5).status_code == 200
    for url in (first, second):
        after = parse(httpx.get(f"{url}/metrics", timeout=5).text)
        counted = value(after, "tasklane_requests_total", **LIVE) - value(
            before, "tasklane_requests_total", **LIVE
        )
        assert counted == 5, url
        assert value(after, "tasklane_database_up") == 1
    assert len(list(metrics_dir.glob("*.db"))) >= 2
