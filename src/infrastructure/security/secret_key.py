"""The JWT signing secret: configured, or in development generated once per install.

There is no fixed fallback: a secret in the repository would let anyone sign tokens.
"""

import hashlib
import hmac
import os
import secrets
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from infrastructure.settings import Settings, SettingsError, hmac_key_bytes

SECRET_FILE_NAME = "jwt_secret"
# 48 random bytes, 64 characters: long enough for every HMAC algorithm we pin.
_GENERATED_BYTES = 48
# A process that lost the race to create the file may find it still empty for a moment.
_WAIT_FOR_WRITER_S = 2.0


@dataclass(frozen=True, slots=True)
class SigningSecret:
    """The secret and where it came from (for the start-up log; never log ``value``)."""

    value: str = field(repr=False)
    source: str


def resolve_signing_secret(settings: Settings) -> SigningSecret:
    """``JWT_SECRET`` when set; else, outside production, ``<data_dir>/jwt_secret``,
    created on first start. ``SettingsError`` when neither is usable.
    """
    minimum = hmac_key_bytes(settings.jwt_algorithm)
    if settings.jwt_secret is not None:
        if len(settings.jwt_secret.encode()) < minimum:
            raise SettingsError(
                f"JWT_SECRET must be at least {minimum} bytes for {settings.jwt_algorithm}"
            )
        return SigningSecret(settings.jwt_secret, "the JWT_SECRET setting")
    if settings.is_production:
        raise SettingsError("JWT_SECRET must be set in production")
    path = (settings.data_dir / SECRET_FILE_NAME).absolute()
    if _create(path):
        return SigningSecret(_read(path, minimum), f"generated and stored in {path}")
    return SigningSecret(_read(path, minimum), f"loaded from {path}")


def derived_key(secret: SigningSecret, purpose: str) -> bytes:
    """A 32-byte key for ``purpose`` (e.g. ``"cursor"``), derived from the secret.

    One configured secret serves every signature, and none made for one purpose
    verifies for another: each key is an HMAC of its own label, never the secret itself.
    """
    label = f"tasklane {purpose} key v1".encode()
    return hmac.digest(secret.value.encode(), label, hashlib.sha256)


def _create(path: Path) -> bool:
    """Write a new random secret to ``path`` unless it exists; whether this call did."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:  # FileExistsError included: DATA_DIR is a file
        message = f"cannot create {path.parent} ({error.strerror}): {_NOT_WRITABLE}"
        raise SettingsError(message) from None
    try:
        # O_EXCL: of two processes starting at once, exactly one creates the file and
        # the other reads it. The mode applies at creation, before any byte is written.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    except OSError as error:
        raise SettingsError(f"cannot create {path} ({error.strerror}): {_NOT_WRITABLE}") from None
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_urlsafe(_GENERATED_BYTES))
        file.flush()
        os.fsync(file.fileno())
    return True


def _read(path: Path, minimum: int) -> str:
    deadline = time.monotonic() + _WAIT_FOR_WRITER_S
    while True:
        try:
            mode = path.stat().st_mode
            secret = path.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "not ASCII text"
            raise SettingsError(f"cannot read {path} ({reason}): {_ADVICE}") from None
        if secret or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SettingsError(
            f"{path} is open to other users, and whoever reads it can sign tokens: "
            f"run `chmod 600 {path}` if nobody else did, else {_ADVICE}"
        )
    if len(secret.encode()) < minimum:
        raise SettingsError(f"{path} holds fewer than {minimum} bytes: {_ADVICE}")
    return secret


_NOT_WRITABLE = "set JWT_SECRET, or DATA_DIR to a directory this user may write"
_ADVICE = "set JWT_SECRET, or delete the file to generate a new secret (signs everyone out)"
