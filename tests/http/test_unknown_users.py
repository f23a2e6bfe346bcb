"""A validly signed token whose user does not exist is refused on every protected route,
on every backend, as 401 with ``WWW-Authenticate: Bearer``; nothing is written."""

from dataclasses import replace
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import delete

from domain.ids import UserId
from infrastructure.security import JwtTokenService
from infrastructure.settings import Settings
from tests.http.backends import BACKENDS, settings_for
from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio

SECRET = "unknown-user-tests-secret-of-at-least-32-bytes"
TASK = {"title": "a task"}
ROUTES = [
    ("GET", "/auth/me", None),
    ("POST", "/categories", {"name": "Work"}),
    ("GET", "/categories", None),
    ("GET", "/categories/1", None),
    ("PATCH", "/categories/1", {"name": "Home"}),
    ("DELETE", "/categories/1", None),
    ("POST", "/tasks", TASK),
    ("POST", "/tasks", {**TASK, "category": {"name": "Inline"}}),
    ("GET", "/tasks", None),
    ("GET", "/tasks/1", None),
    ("PATCH", "/tasks/1", {"title": "changed"}),
    ("DELETE", "/tasks/1", None),
    ("POST", "/tasks/bulk", {"items": [TASK]}),
    ("POST", "/tasks/process", {"task_ids": [1]}),
    ("GET", "/jobs/1", None),
]


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    return replace(settings_for(request, tmp_path), jwt_secret=SECRET)


def _token_for(user_id: UserId, settings: Settings) -> dict[str, str]:
    tokens = JwtTokenService(SECRET, settings.jwt_algorithm, settings.jwt_ttl_seconds)
    return {"Authorization": f"Bearer {tokens.issue(user_id).token}"}


async def test_every_protected_route_refuses_a_token_of_nobody(
    api: Api, settings: Settings
) -> None:
    # A real user owns task 1 and category 1, so a 404 could not hide a leak either.
    await api.sign_up(f"real-{uuid4().hex}@example.com")
    await api.category("Work")
    await api.task()
    ghost = _token_for(UserId(uuid4()), settings)
    for method, path, body in ROUTES:
        response = await api.request(method, path, json=body, headers=ghost)
        assert_problem(response, 401)
        assert response.headers["www-authenticate"] == "Bearer", (method, path)
    # Nothing of the ghost's was stored: the real user's data is as it was.
    assert (await api.get("/tasks")).json()["total"] == 1
    assert (await api.get("/categories")).json()["total"] == 1


@pytest.mark.parametrize(
    "settings", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
async def test_a_user_gone_after_being_seen_is_refused_on_writes(
    api: Api, settings: Settings
) -> None:
    # The authenticator remembers users it has seen (they are never deleted through the
    # API); if one disappears behind its back, the foreign key is the backstop.
    auth = await api.sign_up(f"gone-{uuid4().hex}@example.com")
    me = (await api.get("/auth/me")).json()
    await api.task()
    await _delete_user(settings, me["id"])
    writes = [
        ("/categories", {"name": "W"}),
        ("/tasks", TASK),
        ("/tasks/process", {"task_ids": [1]}),
    ]
    for path, body in writes:
        assert_problem(await api.post(path, json=body, headers=auth), 401)


async def _delete_user(settings: Settings, user_id: str) -> None:
    from infrastructure.persistence.sqlalchemy import build_engine
    from infrastructure.persistence.sqlalchemy.records import users

    engine = build_engine(settings.database, production=False)
    try:
        async with engine.begin() as connection:
            deleted = await connection.execute(delete(users).where(users.c.id == UUID(user_id)))
        assert deleted.rowcount == 1
    finally:
        await engine.dispose()
