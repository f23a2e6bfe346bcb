"""JWT tokens: round trip, and every way a token must be refused."""

import time
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
