"""Start-up: where the signing secret comes from, said once, and refusals in one line."""

import logging
import os
from dataclasses import replace
from pathlib import Path

import pytest

from infrastructure.settings import Settings, SettingsError
from interfaces.app import create_app
from tests.http.support import default_settings
from tests.support.tokens import TEST_JWT_SECRET


class Recording(logging.Handler):
    """Keeps every record it is handed."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def test_start_up_logs_where_the_secret_came_from(tmp_path: Path) -> None:
    logger = logging.getLogger("tasklane.security")
    handler = Recording()
    records = handler.records
    logger.addHandler(handler)
    try:
        create_app(default_settings(tmp_path, log_level="INFO"))
        create_app(default_settings(tmp_path, log_level="INFO"))
        create_app(replace(default_settings(tmp_path, "INFO"), jwt_secret=TEST_JWT_SECRET))
    finally:
        logger.removeHandler(handler)
    path = (tmp_path / "jwt_secret").absolute()
    assert [record.getMessage() for record in records] == [
        f"JWT signing secret: generated and stored in {path}",
        f"JWT signing secret: loaded from {path}",
        "JWT signing secret: the JWT_SECRET setting",
    ]
    assert all(record.levelno == logging.INFO for record in records)


def test_a_server_without_a_usable_secret_refuses_in_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("JWT_SECRET", raising=False)
    monkeypatch.setenv("ENVIRONMENT", "production")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    with pytest.raises(SystemExit) as exited:
        create_app()
    assert exited.value.code == 2
    stderr = capsys.readouterr().err
    assert stderr.startswith("tasklane cannot start: JWT_SECRET must be set in production")
    assert stderr.count("\n") == 1
    # Given settings (tests, embedding), the error stays an exception to handle.
    with pytest.raises(SettingsError, match="JWT_SECRET must be set in production"):
        create_app(Settings(environment="production", data_dir=tmp_path))
    assert os.listdir(tmp_path) == []
