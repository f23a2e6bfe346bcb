"""Schemathesis with every check on, against the service on the in-memory store.

The service runs under uvicorn in a subprocess and schemathesis runs its own CLI against
it, as a client would: every phase (coverage, fuzzing, stateful), every check (status
codes, content types, response schemas and headers, valid data accepted, invalid data
refused, undocumented methods answered 405 with ``Allow``, auth enforced, deleted
resources gone), with a fixed seed and example budget. ``fuzz/schemathesis.toml`` and
``fuzz/hooks.py`` hold the only allowances, each with its reason.
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.http.support import PASSWORD
from tests.support.served import free_port, wait_until_live
from tests.support.tokens import TEST_JWT_SECRET

ROOT = Path(__file__).parents[2]
FUZZ = Path(__file__).parent / "fuzz"
SEED = int(os.environ.get("FUZZ_SEED", "20261130"))
# Per operation; raise it for a deeper run (FUZZ_EXAMPLES=300).
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
OPERATIONS = 19
STARTUP_TIMEOUT_S = 20.0
RUN_TIMEOUT_S = 300.0
GENEROUS = "1000/minute"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[str]:
    """The service's origin: uvicorn in a subprocess, in-memory store, cheap hashing."""
    port = free_port()
    env = {
        **os.environ,
        "ENVIRONMENT": "development",
        "PERSISTENCE": "memory",
        "JWT_SECRET": TEST_JWT_SECRET,
        "DATA_DIR": str(tmp_path),
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_KIB": "8",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT / "src"),
        # The run registers and logs in hundreds of times from one address.
        **{
            f"RATE_LIMIT_{action}_PER_{scope}": GENEROUS
            for action in ("LOGIN", "REGISTER")
            for scope in ("ACCOUNT", "ADDRESS")
        },
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "interfaces.app:create_app"]
    options = ["--host", "127.0.0.1", "--port", str(port), "--no-access-log"]
    log = (tmp_path / "service.log").open("wb")
    process = subprocess.Popen([*command, *options], env=env, cwd=tmp_path, stderr=log)
    origin = f"http://127.0.0.1:{port}"
    try:
        wait_until_live(process, origin, timeout_s=STARTUP_TIMEOUT_S)
        yield origin
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def _signed_in(origin: str) -> str:
    """A registered user's bearer token; the user owns a few tasks, so that small
    generated ids also name stored tasks.
    """
    account = {"email": "fuzz@example.com", "password": PASSWORD}
    with httpx.Client(base_url=origin) as client:
        assert client.post("/auth/register", json=account).status_code == 201
        token: str = client.post("/auth/login", json=account).json()["access_token"]
        for title in ("one", "two", "three"):
            headers = {"Authorization": f"Bearer {token}"}
            assert client.post("/tasks", json={"title": title}, headers=headers).is_success
    return token


def test_documented_api_passes_every_check(service: str, tmp_path: Path) -> None:
    token = _signed_in(service)
    report = tmp_path / "report.json"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--config-file",
            str(FUZZ / "schemathesis.toml"),
            "run",
            f"{service}/schema/openapi.json",
            "--checks",
            "all",
            "--seed",
            str(SEED),
            "--max-examples",
            str(EXAMPLES),
            "--workers",
            "1",
            "--no-shrink",
            "--continue-on-failure",
            "--header",
            f"Authorization: Bearer {token}",
            "--report",
            "json",
            "--report-json-path",
            str(report),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT), "SCHEMATHESIS_HOOKS": "tests.http.fuzz.hooks"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert report.exists(), run.stdout + run.stderr
    figures = json.loads(report.read_text())
    cases = figures["test_cases"]
    print(
        f"\nschemathesis, all checks: {figures['operations']['tested']} operations, "
        f"{cases['generated']} cases, {cases['unique_failures']} unique failures, "
        f"{figures['running_time']:.1f} s"
    )
    assert run.returncode == 0, run.stdout[-20_000:] + run.stderr[-5_000:]
    assert figures["operations"]["tested"] == OPERATIONS
    assert figures["failures"] == []
    assert figures["errors"] == []
    assert all(
        phase["status"] == "success"
        for name, phase in figures["phases"].items()
        if name != "examples"
    )
