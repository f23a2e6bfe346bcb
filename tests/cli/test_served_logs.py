"""The log pipeline in a real server: ``litestar run`` with ``LOG_FORMAT=json`` writes
uvicorn's own lines, the app's and one access line per request as JSON objects on
stderr, from start-up to the end of a SIGTERM shutdown, and no password or token.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.support.served import free_port, wait_until_live
from tests.support.tokens import TEST_JWT_SECRET

LITESTAR = [str(Path(sys.executable).parent / "litestar"), "--app", "interfaces.app:create_app"]
PASSWORD = "correct horse battery"


def test_a_served_app_logs_json_lines_only_from_start_to_shutdown(tmp_path: Path) -> None:
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "PYTHON_DOTENV_DISABLED": "1",
        "DATA_DIR": str(tmp_path / "data"),
        "PERSISTENCE": "memory",
        "JWT_SECRET": TEST_JWT_SECRET,
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_KIB": "8",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
    }
    stderr = tmp_path / "stderr.log"
    with stderr.open("wb") as sink:
        process = subprocess.Popen(
            [*LITESTAR, "run", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until_live(process, url, log=stderr)
            with httpx.Client(base_url=url, timeout=10) as client:
                credentials = {"email": "served@example.com", "password": PASSWORD}
                assert client.post("/auth/register", json=credentials).status_code == 201
                token = client.post("/auth/login", json=credentials).json()["access_token"]
                me = client.get(
                    "/auth/me",
                    headers={"Authorization": f"Bearer {token}", "X-Request-ID": "served-1"},
                )
                assert me.status_code == 200
                refused = client.get(
                    "/tasks/1",
                    headers={"Authorization": "Bearer forged", "X-Request-ID": "served-2"},
                )
                assert refused.status_code == 401
            process.send_signal(signal.SIGTERM)
            assert process.wait(30) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()

    text = stderr.read_text()
    lines = [json.loads(line) for line in text.splitlines()]
    for line in lines:
        assert {"timestamp", "level", "logger", "event"} <= line.keys(), line
    server_events = [line["event"] for line in lines if line["logger"] == "uvicorn.error"]
    assert "Application startup complete." in server_events
    assert f"Finished server process [{process.pid}]" in server_events
    assert not [line for line in lines if line["logger"] == "uvicorn.access"]
    [mine] = [line for line in lines if line.get("request_id") == "served-1"]
    assert (mine["logger"], mine["route"], mine["status"]) == ("tasklane.access", "/auth/me", 200)
    assert mine["user_id"] == me.json()["id"]
    [forged] = [line for line in lines if line.get("request_id") == "served-2"]
    assert (forged["route"], forged["status"]) == ("/tasks/{task_id}", 401)
    for secret in (PASSWORD, token, "forged"):
        assert secret not in text
    assert "bearer" not in text.lower()
