"""An SQLite file that cannot be is a settings error naming the setting, before any connect."""

from pathlib import Path

import pytest

from infrastructure.persistence.sqlalchemy.sqlite import prepare_sqlite_file
from infrastructure.settings import SettingsError


def test_the_directory_is_created(tmp_path: Path) -> None:
    prepare_sqlite_file(f"sqlite+aiosqlite:///{tmp_path}/a/b/tasklane.db")
    assert (tmp_path / "a" / "b").is_dir()


def test_a_directory_is_no_database_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"^DATABASE_URL names the directory .*, not a file"):
        prepare_sqlite_file(f"sqlite+aiosqlite:///{tmp_path}")


def test_a_file_where_the_directory_should_be(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("")
    with pytest.raises(SettingsError, match=r"cannot create .*: set DATABASE_URL, or DATA_DIR"):
        prepare_sqlite_file(f"sqlite+aiosqlite:///{tmp_path}/data/tasklane.db")
