"""The docs page renders in headless Chromium with every host but 127.0.0.1 cut off.

The service runs as a real process (uvicorn, in-memory persistence). Chromium resolves no
name but 127.0.0.1 and sends everything else to a proxy that refuses connections, so an
asset from a CDN would leave the page blank; its network log must also show that the page
asked for nothing outside the service.
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.browser

BROWSER_TIMEOUT_S = 60
STARTUP_TIMEOUT_S = 20
_SCRIPTS = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)


@pytest.fixture(scope="module")
def chromium() -> str:
    """Debian's ``chromium``; skips when missing, unless ``REQUIRE_POSTGRES=1`` (CI)."""
    path = shutil.which("chromium")
    if path is None:
        reason = "chromium is not installed (apt-get install chromium; `make test` tries)"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def refusing_port() -> Iterator[int]:
    """A port held bound but never listening: every connection to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


@pytest.fixture(scope="module")
def service() -> Iterator[str]:
    """The service's origin, served by uvicorn in a subprocess."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "ENVIRONMENT": "development",
        "PERSISTENCE": "memory",
        "JWT_SECRET": secrets.token_hex(32),
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_KIB": "8",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(Path(__file__).parents[2] / "src"),
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "interfaces.app:create_app"]
    options = ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    process = subprocess.Popen(
        [*command, *options], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    origin = f"http://127.0.0.1:{port}"
    try:
        _wait_until_live(process, origin)
        yield origin
    finally:
        process.terminate()
        process.communicate(timeout=10)


def _wait_until_live(process: subprocess.Popen[bytes], origin: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            _, stderr = process.communicate()
            pytest.fail(f"the service exited: {stderr.decode(errors='replace')}")
        try:
            if httpx.get(f"{origin}/health/live", timeout=0.5).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    pytest.fail(f"the service did not answer within {STARTUP_TIMEOUT_S} s")


def _browse(
    chromium: str, refusing_port: int, workdir: Path, url: str, *options: str
) -> subprocess.CompletedProcess[str]:
    command = [
        chromium,
        "--headless",
        "--no-sandbox",  # we run as root in CI containers
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        f"--user-data-dir={workdir / 'profile'}",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        f"--proxy-server=127.0.0.1:{refusing_port}",
        "--proxy-bypass-list=127.0.0.1",
        "--virtual-time-budget=10000",  # lets the page's scripts finish rendering
        *options,
        url,
    ]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=BROWSER_TIMEOUT_S, check=False
    )


def _page_requests(net_log: Path, origin: str) -> set[str]:
    """URLs the page (not the browser's own background services) asked for."""
    log = json.loads(net_log.read_text())
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    return {
        params["url"]
        for event in log["events"]
        if event["type"] == start
        and (params := event.get("params", {}))
        and (params.get("initiator") == origin or params.get("request_type") == "main frame")
    }


def test_the_docs_page_renders_every_operation_offline(
    chromium: str, refusing_port: int, service: str, tmp_path: Path
) -> None:
    net_log = tmp_path / "net-log.json"
    browsed = _browse(
        chromium, refusing_port, tmp_path, f"{service}/schema", "--dump-dom",
        f"--log-net-log={net_log}",
    )  # fmt: skip
    assert browsed.returncode == 0, browsed.stderr

    # The spec itself is inlined in a script: only what Swagger UI rendered counts.
    rendered = _SCRIPTS.sub("", browsed.stdout)
    document = httpx.get(f"{service}/schema/openapi.json").json()
    for path, item in document["paths"].items():
        assert f'data-path="{path}"' in rendered, path
        for operation in item.values():
            assert f">{operation['summary']}<" in rendered, operation["summary"]

    requested = _page_requests(net_log, service)
    assert {url for url in requested if not url.startswith(f"{service}/")} == set()
    assets = {url.rsplit("/", 1)[-1] for url in requested if "/schema/assets/" in url}
    assert {"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"} <= assets


def test_the_browser_reaches_nothing_but_localhost(
    chromium: str, refusing_port: int, tmp_path: Path
) -> None:
    cdn = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5.25.3/swagger-ui.css"
    browsed = _browse(chromium, refusing_port, tmp_path, cdn, "--dump-dom")
    # Refused by the proxy, whether or not this machine has internet access.
    assert "ERR_PROXY_CONNECTION_FAILED" in browsed.stderr, browsed.stderr
    assert ".swagger-ui" not in browsed.stdout
