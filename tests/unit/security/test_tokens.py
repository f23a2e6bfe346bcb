"""JWT tokens: round trip, and every way a token must be refused."""

import hashlib
import hmac
import time
from collections.abc import Callable
from uuid import uuid4

import jwt
import pytest

from domain.errors import AuthenticationError
from domain.ids import UserId
from infrastructure.security import JwtTokenService

SECRET = "s" * 32
OTHER_SECRET = "o" * 32


@pytest.fixture
def tokens() -> JwtTokenService:
    return JwtTokenService(SECRET, "HS256", ttl_seconds=60)


def test_issued_token_names_its_user(tokens: JwtTokenService) -> None:
    user_id = UserId(uuid4())
    issued = tokens.issue(user_id)
    assert issued.expires_in == 60
    assert tokens.verify(issued.token) == user_id
    claims = jwt.decode(issued.token, SECRET, algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 60


def _forge(claims: dict[str, object], key: str = SECRET, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def _claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    claims: dict[str, object] = {"sub": str(uuid4()), "iat": now, "exp": now + 60}
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(_forge(_claims(exp=int(time.time()) - 10)), id="expired"),
        pytest.param(_forge(_claims(), key=OTHER_SECRET), id="wrong-key"),
        pytest.param(_forge(_claims(), key=SECRET * 2, algorithm="HS512"), id="other-algorithm"),
        pytest.param(jwt.encode(_claims(), None, algorithm="none"), id="alg-none"),
        pytest.param(_forge(_claims(exp=None)), id="no-exp"),
        pytest.param(_forge(_claims(iat=None)), id="no-iat"),
        pytest.param(_forge(_claims(sub=None)), id="no-sub"),
        pytest.param(_forge(_claims(sub="not-a-uuid")), id="sub-not-uuid"),
        pytest.param("not.a.jwt", id="garbage"),
        pytest.param("", id="empty"),
    ],
)
def test_bad_tokens_are_refused(tokens: JwtTokenService, token: str) -> None:
    with pytest.raises(AuthenticationError):
        tokens.verify(token)


# Each case is a function of the time the test runs, not the time it was collected.
@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param(lambda now: {"exp": 10**400}, id="exp-overflows-a-float"),
        pytest.param(lambda now: {"iat": -(10**400)}, id="iat-hugely-negative"),
        pytest.param(lambda now: {"exp": 1e308}, id="exp-huge-float"),
        pytest.param(lambda now: {"exp": float(now + 60)}, id="exp-float"),
        pytest.param(lambda now: {"iat": float(now)}, id="iat-float"),
        pytest.param(lambda now: {"exp": True}, id="exp-boolean"),
        pytest.param(lambda now: {"iat": True}, id="iat-boolean"),
        pytest.param(lambda now: {"exp": str(now + 60)}, id="exp-string"),
        pytest.param(lambda now: {"iat": str(now)}, id="iat-string"),
        pytest.param(lambda now: {"exp": [now + 60]}, id="exp-list"),
        pytest.param(lambda now: {"iat": -1, "exp": 59}, id="negative-iat"),
        pytest.param(lambda now: {"iat": now - 10, "exp": now + 51}, id="lifetime-ttl+1"),
        pytest.param(lambda now: {"iat": now - 60, "exp": now + 86400}, id="lifetime-a-day"),
        pytest.param(lambda now: {"iat": 0, "exp": 10**12}, id="lifetime-forever"),
        pytest.param(lambda now: {"iat": now + 3, "exp": now + 3}, id="exp-not-after-iat"),
        pytest.param(lambda now: {"iat": now + 30, "exp": now + 90}, id="iat-in-future"),
        pytest.param(lambda now: {"iat": 10**400, "exp": 10**400 + 60}, id="far-future"),
    ],
)
def test_absurd_times_are_refused(
    tokens: JwtTokenService, overrides: Callable[[int], dict[str, object]]
) -> None:
    token = _forge(_claims(**overrides(int(time.time()))))
    for _ in range(2):  # refused both before and after anything could be cached
        with pytest.raises(AuthenticationError):
            tokens.verify(token)


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b'{"sub": "%s", "iat": %d, "exp": Infinity}', id="exp-infinity"),
        pytest.param(b'{"sub": "%s", "iat": %d, "exp": NaN}', id="exp-nan"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="deeply-nested"),
        pytest.param(b'"just a string"', id="not-an-object"),
    ],
)
def test_hand_made_payloads_are_refused(tokens: JwtTokenService, payload: bytes) -> None:
    if b"%s" in payload:
        payload = payload % (str(uuid4()).encode(), int(time.time()))
    header = jwt.utils.base64url_encode(b'{"alg":"HS256","typ":"JWT"}')
    signing_input = header + b"." + jwt.utils.base64url_encode(payload)
    signature = jwt.utils.base64url_encode(
        hmac.new(SECRET.encode(), signing_input, hashlib.sha256).digest()
    )
    with pytest.raises(AuthenticationError):
        tokens.verify((signing_input + b"." + signature).decode())


def test_a_token_within_the_clock_skew_is_accepted(tokens: JwtTokenService) -> None:
    now = int(time.time())
    user_id = UserId(uuid4())
    token = _forge({"sub": str(user_id), "iat": now + 2, "exp": now + 62})
    assert tokens.verify(token) == user_id


def test_a_token_of_exactly_the_ttl_is_accepted(tokens: JwtTokenService) -> None:
    now = int(time.time())
    user_id = UserId(uuid4())
    token = _forge({"sub": str(user_id), "iat": now - 1, "exp": now + 59})
    assert tokens.verify(token) == user_id


def test_a_shorter_ttl_refuses_longer_lived_tokens() -> None:
    issued = JwtTokenService(SECRET, "HS256", ttl_seconds=3600).issue(UserId(uuid4()))
    with pytest.raises(AuthenticationError):
        JwtTokenService(SECRET, "HS256", ttl_seconds=60).verify(issued.token)


def test_a_token_checked_once_still_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = JwtTokenService(SECRET, "HS256", ttl_seconds=60)
    user_id = UserId(uuid4())
    issued = tokens.issue(user_id)
    assert tokens.verify(issued.token) == user_id
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    with pytest.raises(AuthenticationError):
        tokens.verify(issued.token)


def test_a_refused_token_stays_refused(tokens: JwtTokenService) -> None:
    forged = _forge(_claims(), key=OTHER_SECRET)
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            tokens.verify(forged)
