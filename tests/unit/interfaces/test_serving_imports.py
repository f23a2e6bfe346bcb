"""What a serving process imports: none of the packages only other processes need.

Each is measured memory (``python -m bench.memory``): Alembic with Mako and Pygments
(migrations) about 10 MiB, redis-py (a Redis rate-limit storage) about 9, structlog
(console log lines) about 1-3. The app is built in a fresh interpreter, as a server does.
"""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SRC = REPO / "src"
# Where `make run` serves from (the Makefile's SERVE_ENV; `make test` installs it).
SERVE_PYTHON = REPO / ".venv-serve" / "bin" / "python"
_BUILD = """
import sys
from interfaces.app import create_app
create_app()
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})))
"""


# Nothing connects while the app is built.
_NOWHERE = "postgresql+asyncpg://nobody@127.0.0.1:9/none"


def _production(tmp_path: Path) -> dict[str, str]:
    return {
        "ENVIRONMENT": "production",
        "JWT_SECRET": "0123456789abcdef" * 4,
        "DATA_DIR": str(tmp_path),
        "LOG_LEVEL": "WARNING",
    }


def _top_level_modules_after_building(
    env: dict[str, str], python: Path | str = sys.executable
) -> set[str]:
    done = subprocess.run(
        [str(python), "-c", _BUILD],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(SRC), **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


@pytest.mark.parametrize("persistence", ["postgresql", "memory"])
def test_a_production_app_imports_no_migration_redis_or_console_log_package(
    tmp_path: Path, persistence: str
) -> None:
    env = _production(tmp_path)
    if persistence == "memory":
        env["PERSISTENCE"] = "memory"
    else:
        env["DATABASE_URL"] = _NOWHERE
    loaded = _top_level_modules_after_building(env)
    assert not loaded & {"alembic", "mako", "pygments", "redis", "structlog"}


def test_the_packages_load_when_their_feature_is_asked_for(tmp_path: Path) -> None:
    """A Redis storage brings redis-py, console lines structlog (the guard above is not
    vacuous: these are the imports it keeps out)."""
    loaded = _top_level_modules_after_building(
        {
            "PERSISTENCE": "memory",
            "DATA_DIR": str(tmp_path),
            "RATE_LIMIT_STORAGE_URL": "redis://127.0.0.1:9/0",
            "LOG_FORMAT": "console",
        }
    )
    assert {"redis", "structlog"} <= loaded


def test_make_runs_environment_has_no_dev_tools_so_litestar_loads_no_pydantic(
    tmp_path: Path,
) -> None:
    """Litestar imports pydantic whenever it is installed (8 MiB of a server's RSS);
    only the dev tools bring it, and `make run` serves without them."""
    if not SERVE_PYTHON.exists():
        pytest.skip("no .venv-serve here: `make test` installs it (make install-serve)")
    env = _production(tmp_path)
    env["DATABASE_URL"] = _NOWHERE
    assert "pydantic" not in _top_level_modules_after_building(env, SERVE_PYTHON)
    # The guard is not vacuous: the test environment has the dev tools, and pydantic.
    assert "pydantic" in _top_level_modules_after_building(env)
