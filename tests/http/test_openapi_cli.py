"""``litestar schema openapi`` and ``litestar schema typescript`` work on the app, as a
client generator would run them (the typescript one crashed on hand-inlined bodies).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.tokens import TEST_JWT_SECRET

SRC = Path(__file__).parents[2] / "src"


def _litestar(tmp_path: Path, *arguments: str) -> None:
    env = {
        **os.environ,
        "PERSISTENCE": "memory",
        "JWT_SECRET": TEST_JWT_SECRET,
        "DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(SRC),
    }
    command = [sys.executable, "-m", "litestar", "--app", "interfaces.app:create_app"]
    run = subprocess.run(
        [*command, *arguments],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_schema_openapi_writes_the_document(tmp_path: Path) -> None:
    output = tmp_path / "openapi.json"
    _litestar(tmp_path, "schema", "openapi", "--output", str(output))
    document = json.loads(output.read_text())
    assert document["paths"]["/tasks"]["post"]["operationId"] == "createTask"
    assert "TaskCreateRequest" in document["components"]["schemas"]


def test_schema_typescript_writes_the_client_types(tmp_path: Path) -> None:
    output = tmp_path / "api.ts"
    _litestar(tmp_path, "schema", "typescript", "--output", str(output))
    types = output.read_text()
    for expected in (
        "export namespace createTask",
        "export type RequestBody",
        '"If-Match"',
        '"Retry-After": string',
        '"WWW-Authenticate": string',
    ):
        assert expected in types
    # Only the output was written: nothing beside it (the data directory stays unmade).
    assert sorted(path.name for path in tmp_path.iterdir()) == ["api.ts"]
