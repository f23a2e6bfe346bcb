"""The signing secret: configured, or generated once per install and kept private."""

import os
import stat
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from infrastructure.security import SigningSecret, resolve_signing_secret, secret_key
from infrastructure.security.secret_key import SECRET_FILE_NAME
from infrastructure.settings import Settings, SettingsError


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    """A umask that would leave new files world-readable: the file's mode must not."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def _dev(data_dir: Path, **overrides: str) -> Settings:
    return Settings.from_env({"DATA_DIR": str(data_dir), **overrides})


def test_development_generates_a_private_file_once(tmp_path: Path, permissive_umask: None) -> None:
    data_dir = tmp_path / "fresh" / "data"
    first = resolve_signing_secret(_dev(data_dir))
    path = data_dir / SECRET_FILE_NAME
    assert first.source == f"generated and stored in {path.absolute()}"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert path.read_text() == first.value
    assert len(first.value.encode()) >= 64  # enough for HS512 too

    again = resolve_signing_secret(_dev(data_dir))
    assert again.value == first.value
    assert again.source == f"loaded from {path.absolute()}"


def test_no_two_installs_share_a_secret(tmp_path: Path) -> None:
    one = resolve_signing_secret(_dev(tmp_path / "one"))
    other = resolve_signing_secret(_dev(tmp_path / "other"))
    assert one.value != other.value


def test_processes_starting_at_once_agree(tmp_path: Path) -> None:
    starting = threading.Barrier(8)

    def start() -> SigningSecret:
        starting.wait()
        return resolve_signing_secret(_dev(tmp_path))

    with ThreadPoolExecutor(max_workers=8) as pool:
        resolved = list(pool.map(lambda _: start(), range(8)))
    assert len({secret.value for secret in resolved}) == 1
    assert sum(secret.source.startswith("generated") for secret in resolved) == 1
    assert os.listdir(tmp_path) == [SECRET_FILE_NAME]


def test_the_environment_variable_wins(tmp_path: Path) -> None:
    (tmp_path / SECRET_FILE_NAME).write_text("f" * 64)
    resolved = resolve_signing_secret(_dev(tmp_path, JWT_SECRET="e" * 40))
    assert resolved == SigningSecret("e" * 40, "the JWT_SECRET setting")


def test_a_configured_secret_writes_nothing(tmp_path: Path) -> None:
    resolve_signing_secret(_dev(tmp_path / "data", JWT_SECRET="e" * 40))
    assert not (tmp_path / "data").exists()


def test_production_without_a_secret_refuses_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="JWT_SECRET"):
        Settings.from_env({"ENVIRONMENT": "production", "DATA_DIR": str(tmp_path)})
    # Settings built by hand skip from_env's check: the resolution refuses too.
    with pytest.raises(SettingsError, match="JWT_SECRET must be set in production"):
        resolve_signing_secret(Settings(environment="production", data_dir=tmp_path))
    assert not (tmp_path / SECRET_FILE_NAME).exists()


def test_a_short_configured_secret_is_refused() -> None:
    with pytest.raises(SettingsError, match="at least 64 bytes for HS512"):
        resolve_signing_secret(Settings(jwt_secret="k" * 40, jwt_algorithm="HS512"))


def test_a_short_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / SECRET_FILE_NAME
    path.write_text("tooshort\n")
    path.chmod(0o600)
    with pytest.raises(SettingsError, match="fewer than 32 bytes") as refused:
        resolve_signing_secret(_dev(tmp_path))
    assert str(path) in str(refused.value)
    assert "tooshort" not in str(refused.value)


def test_a_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / SECRET_FILE_NAME
    path.write_text("s" * 64)
    path.chmod(0o644)
    with pytest.raises(SettingsError, match="chmod 600"):
        resolve_signing_secret(_dev(tmp_path))
    path.chmod(0o600)
    assert resolve_signing_secret(_dev(tmp_path)).value == "s" * 64


def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    # Tests may run as root, who reads any mode: a directory is unreadable for everyone.
    (tmp_path / SECRET_FILE_NAME).mkdir()
    with pytest.raises(SettingsError, match="cannot read"):
        resolve_signing_secret(_dev(tmp_path))


def test_an_unwritable_data_dir_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    with pytest.raises(SettingsError, match="cannot create"):
        resolve_signing_secret(_dev(blocker / "data"))
    with pytest.raises(SettingsError, match=r"cannot create .*: set JWT_SECRET, or DATA_DIR"):
        resolve_signing_secret(_dev(blocker))


def test_a_process_losing_the_race_waits_for_the_winners_write(tmp_path: Path) -> None:
    path = tmp_path / SECRET_FILE_NAME
    path.touch(mode=0o600)  # created by the winner, not yet written
    writer = threading.Timer(0.2, lambda: path.write_text("w" * 64))
    writer.start()
    try:
        assert resolve_signing_secret(_dev(tmp_path)).value == "w" * 64
    finally:
        writer.join()


def test_a_file_left_empty_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secret_key, "_WAIT_FOR_WRITER_S", 0.1)
    (tmp_path / SECRET_FILE_NAME).touch(mode=0o600)
    with pytest.raises(SettingsError, match="delete the file"):
        resolve_signing_secret(_dev(tmp_path))


def test_a_hand_written_file_may_end_with_a_newline(tmp_path: Path) -> None:
    path = tmp_path / SECRET_FILE_NAME
    path.write_text("h" * 40 + "\n")
    path.chmod(0o600)
    assert resolve_signing_secret(_dev(tmp_path)).value == "h" * 40


def test_derived_keys_differ_by_purpose_and_secret() -> None:
    from infrastructure.security import derived_key

    secret = SigningSecret("s" * 40, "test")
    cursor = derived_key(secret, "cursor")
    assert len(cursor) == 32
    assert cursor == derived_key(SigningSecret("s" * 40, "elsewhere"), "cursor")
    assert cursor != derived_key(secret, "other")
    assert cursor != derived_key(SigningSecret("t" * 40, "test"), "cursor")
    assert secret.value.encode() not in cursor
