"""Which .env file the Litestar CLI read: python-dotenv's search, told in our log."""

from pathlib import Path

import pytest

from interfaces.cli import litestar_dotenv_file


def test_the_nearest_env_file_up_from_the_start_is_the_one(tmp_path: Path) -> None:
    start = tmp_path / "venv" / "lib" / "litestar" / "cli"
    start.mkdir(parents=True)
    (tmp_path / ".env").write_text("LOG_LEVEL=INFO\n")
    assert litestar_dotenv_file(start) == tmp_path / ".env"
    (tmp_path / "venv" / ".env").write_text("LOG_LEVEL=INFO\n")
    assert litestar_dotenv_file(start) == tmp_path / "venv" / ".env"


def test_a_directory_named_env_is_no_env_file(tmp_path: Path) -> None:
    (tmp_path / "project" / ".env").mkdir(parents=True)
    (tmp_path / ".env").write_text("")
    assert litestar_dotenv_file(tmp_path / "project") == tmp_path / ".env"


def test_none_when_python_dotenv_is_disabled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".env").write_text("")
    monkeypatch.setenv("PYTHON_DOTENV_DISABLED", "true")
    assert litestar_dotenv_file(tmp_path) is None
