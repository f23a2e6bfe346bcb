"""Authentication: register, login, the current user, and every way a token is refused."""

import time
import uuid
from pathlib import Path

import jwt
import pytest

from infrastructure.settings import Settings
from tests.http.support import PASSWORD, Api, assert_problem, default_settings
from tests.support.tokens import TEST_JWT_SECRET

pytestmark = pytest.mark.asyncio


async def test_register_answers_the_user_without_a_hash(api: Api) -> None:
    response = await api.post(
        "/auth/register",
        json={"email": "Ada@Example.COM", "password": PASSWORD, "display_name": "Ada"},
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "email", "display_name", "created_at"}
    assert body["email"] == "ada@example.com"
    assert body["display_name"] == "Ada"
    assert body["created_at"].endswith("Z")
    uuid.UUID(body["id"])


async def test_display_name_is_null_when_not_given(api: Api) -> None:
    response = await api.post("/auth/register", json={"email": "a@b.io", "password": PASSWORD})
    assert response.json()["display_name"] is None


async def test_email_taken_in_another_case_is_409(api: Api) -> None:
    await api.sign_up("ada@example.com")
    response = await api.post(
        "/auth/register", json={"email": "ADA@example.com", "password": PASSWORD}
    )
    assert_problem(response, 409)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-address", "password": PASSWORD}, "email"),
        ({"email": "a@b.io", "password": "short"}, "password"),
        ({"email": "a@b.io", "password": "x" * 129}, "password"),
        ({"email": "a@b.io", "password": PASSWORD, "display_name": ""}, "display_name"),
        ({"email": "a@b.io", "password": PASSWORD, "display_name": "x" * 101}, "display_name"),
        ({"email": "a@b.io", "password": PASSWORD, "display_name": "a\x00b"}, "display_name"),
        ({"email": None, "password": PASSWORD}, "email"),
        ({"password": PASSWORD}, "email"),
        ({"email": "a@b.io", "password": PASSWORD, "id": "x"}, "id"),
        (
            {"email": "a@b.io", "password": PASSWORD, "created_at": "2026-01-01T00:00:00Z"},
            "created_at",
        ),
        ({"email": "a@b.io", "password": 12345678}, "password"),
    ],
)
async def test_invalid_registration_is_400_naming_the_field(
    api: Api, body: dict[str, object], field: str
) -> None:
    assert_problem(await api.post("/auth/register", json=body), 400, field=field)


async def test_password_lengths_count_code_points(api: Api) -> None:
    response = await api.post("/auth/register", json={"email": "a@b.io", "password": "😀" * 8})
    assert response.status_code == 201


async def test_login_answers_a_bearer_token(api: Api) -> None:
    await api.post("/auth/register", json={"email": "a@b.io", "password": PASSWORD})
    response = await api.post("/auth/login", json={"email": "A@B.io", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 3600


@pytest.mark.parametrize(
    "credentials",
    [
        {"email": "a@b.io", "password": "wrong password"},
        {"email": "nobody@b.io", "password": PASSWORD},
        {"email": "not an address", "password": PASSWORD},
    ],
)
async def test_bad_login_is_401_with_challenge(api: Api, credentials: dict[str, str]) -> None:
    await api.post("/auth/register", json={"email": "a@b.io", "password": PASSWORD})
    response = await api.post("/auth/login", json=credentials)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


async def test_me_answers_the_token_user(api: Api) -> None:
    await api.sign_up("ada@example.com", display_name="Ada")
    response = await api.get("/auth/me")
    assert response.status_code == 200
    assert response.json()["email"] == "ada@example.com"
    assert "password_hash" not in response.text


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "Bearer", "bEaReR"])
async def test_the_scheme_is_case_insensitive(api: Api, scheme: str) -> None:
    headers = await api.sign_up()
    token = headers["Authorization"].split()[1]
    response = await api.get("/auth/me", headers={"Authorization": f"{scheme} {token}"})
    assert response.status_code == 200


def _token(claims: dict[str, object], key: str = TEST_JWT_SECRET, alg: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=alg)


def _claims(**overrides: object) -> dict[str, object]:
    now = int(time.time())
    return {"sub": str(uuid.uuid4()), "iat": now, "exp": now + 600, **overrides}


def _alg_none(sub: str) -> str:
    return _token(_claims(sub=sub), key="", alg="none")


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "Token abc",
        "Bearer not.a.jwt",
        "Bearer garbage",
    ],
)
async def test_missing_or_malformed_credentials_are_401(
    api: Api, authorization: str | None
) -> None:
    await api.sign_up()
    headers = {} if authorization is None else {"Authorization": authorization}
    api.auth = {}
    response = await api.get("/tasks", headers=headers)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


async def test_refused_tokens_are_401(api: Api) -> None:
    await api.sign_up()
    me = (await api.get("/auth/me")).json()["id"]
    now = int(time.time())
    refused = {
        "expired": _token(_claims(sub=me, iat=now - 7200, exp=now - 3600)),
        "wrongly signed": _token(_claims(sub=me), key="another-secret-of-at-least-32-bytes!!"),
        "alg none": _alg_none(me),
        "other algorithm": _token(_claims(sub=me), alg="HS512"),
        "no exp": _token({"sub": me, "iat": now}),
        "sub not a uuid": _token(_claims(sub="admin")),
        "unknown user": _token(_claims()),
    }
    for name, token in refused.items():
        response = await api.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
        assert response.headers["www-authenticate"] == "Bearer", name
        assert response.headers["content-type"] == "application/problem+json", name


async def test_a_valid_hand_made_token_works(api: Api) -> None:
    await api.sign_up()
    me = (await api.get("/auth/me")).json()["id"]
    token = _token(_claims(sub=me))
    response = await api.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/auth/me"),
        ("GET", "/tasks"),
        ("POST", "/tasks"),
        ("GET", "/tasks/1"),
        ("PATCH", "/tasks/1"),
        ("DELETE", "/tasks/1"),
        ("POST", "/tasks/bulk"),
        ("GET", "/categories"),
        ("POST", "/categories"),
        ("GET", "/categories/1"),
        ("PATCH", "/categories/1"),
        ("DELETE", "/categories/1"),
    ],
)
async def test_every_resource_route_needs_a_token(api: Api, method: str, path: str) -> None:
    response = await api.request(method, path, json={})
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


async def test_absurd_token_times_are_401_not_500(api: Api) -> None:
    await api.sign_up()
    me = (await api.get("/auth/me")).json()["id"]
    now = int(time.time())
    refused = {
        "exp overflows a float": _token(_claims(sub=me, exp=10**400)),
        "lifetime beyond the TTL": _token(_claims(sub=me, iat=now - 60, exp=now + 3600)),
        "float exp": _token(_claims(sub=me, exp=1e308)),
        "negative iat": _token(_claims(sub=me, iat=-(10**400))),
        "boolean iat": _token(_claims(sub=me, iat=True)),
        "string exp": _token(_claims(sub=me, exp=str(now + 60))),
    }
    for name, token in refused.items():
        response = await api.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
        assert response.headers["content-type"] == "application/problem+json", name


# Was in the repository as the development fallback: anyone could sign with it.
OLD_PUBLIC_SECRET = "tasklane-development-secret-never-use-in-production-0123456789abcdef"


class TestWithoutAConfiguredSecret:
    @pytest.fixture
    def settings(self, tmp_path: Path) -> Settings:
        return default_settings(tmp_path)

    async def test_the_old_public_secret_signs_nothing(self, api: Api, tmp_path: Path) -> None:
        await api.sign_up()
        me = (await api.get("/auth/me")).json()["id"]
        forged = _token(_claims(sub=me), key=OLD_PUBLIC_SECRET)
        response = await api.get("/auth/me", headers={"Authorization": f"Bearer {forged}"})
        assert_problem(response, 401)
        assert (await api.get("/auth/me")).status_code == 200  # the issued token still works
        signing_key = (tmp_path / "jwt_secret").read_text()
        assert signing_key != OLD_PUBLIC_SECRET
        ours = _token(_claims(sub=me), key=signing_key)
        response = await api.get("/auth/me", headers={"Authorization": f"Bearer {ours}"})
        assert response.status_code == 200
