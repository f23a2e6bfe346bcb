"""Generate ``clients/python``, the typed Python client, from the service's own OpenAPI
document with openapi-python-client (the version pinned in pyproject.toml).

``make client`` runs this; ``tests/http/test_python_client.py`` generates into a
temporary directory and fails when the committed client differs.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

CLIENTS = Path(__file__).resolve().parent
CONFIG = CLIENTS / "python-client.yaml"
PYTHON_CLIENT = CLIENTS / "python"


def openapi_document(data_dir: Path) -> bytes:
    """The document ``litestar schema openapi`` writes, built in-process."""
    from litestar.serialization import encode_json

    from infrastructure.settings import Settings
    from interfaces.app import create_app

    # Only the document is read: the secret signs nothing, and nothing is stored.
    settings = Settings(
        persistence="memory", jwt_secret="x" * 64, data_dir=data_dir, log_level="WARNING"
    )
    return encode_json(create_app(settings).openapi_schema.to_schema())


def generate(output: Path = PYTHON_CLIENT) -> None:
    """Write the client to ``output``, replacing whatever was there."""
    with tempfile.TemporaryDirectory(prefix="tasklane-client-") as work:
        document = Path(work) / "openapi.json"
        document.write_bytes(openapi_document(Path(work) / "data"))
        generated = Path(work) / "client"
        # The generator's clean-up runs ruff from PATH: this environment's.
        scripts = sysconfig.get_path("scripts")
        env = {**os.environ, "PATH": os.pathsep.join([scripts, os.environ.get("PATH", "")])}
        run = subprocess.run(  # noqa: S603 (a fixed command)
            [
                sys.executable,
                "-m",
                "openapi_python_client",
                "generate",
                "--path",
                str(document),
                "--config",
                str(CONFIG),
                "--meta",
                "uv",
                "--output-path",
                str(generated),
                "--fail-on-warning",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if run.returncode != 0:
            raise RuntimeError(f"openapi-python-client failed:\n{run.stdout}{run.stderr}")
        # Whole, so that nothing of an earlier client (a removed operation) remains.
        shutil.rmtree(output, ignore_errors=True)
        shutil.copytree(generated, output)


if __name__ == "__main__":
    generate()
    print(f"wrote {PYTHON_CLIENT}")
