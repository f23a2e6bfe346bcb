"""Helpers for the HTTP tests: a thin client that knows how to sign up and log in."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from infrastructure.settings import Settings

PASSWORD = "correct horse battery"
PROBLEM = "application/problem+json"


@dataclass
class Api:
    """An httpx client plus the bearer headers of the last user logged in."""

    client: httpx.AsyncClient
    auth: dict[str, str] = field(default_factory=dict)

    async def sign_up(self, email: str = "ada@example.com", **extra: Any) -> dict[str, str]:
        """Register and log in ``email``; its bearer headers become the default."""
        response = await self.client.post(
            "/auth/register", json={"email": email, "password": PASSWORD, **extra}
        )
        assert response.status_code == 201, response.text
        login = await self.client.post("/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        self.auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        return self.auth

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """A request carrying the current bearer headers unless others are given."""
        headers = {**self.auth, **kwargs.pop("headers", {})}
        return await self.client.request(method, url, headers=headers, **kwargs)

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", url, **kwargs)

    async def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("PATCH", url, **kwargs)

    async def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("DELETE", url, **kwargs)

    async def task(self, **fields: Any) -> dict[str, Any]:
        """Create a task (title defaults) and return its body."""
        response = await self.post("/tasks", json={"title": "a task", **fields})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def category(self, name: str = "Work", **fields: Any) -> dict[str, Any]:
        """Create a category and return its body."""
        response = await self.post("/categories", json={"name": name, **fields})
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body


def assert_problem(
    response: httpx.Response, status: int, *, field: str | None = None
) -> dict[str, Any]:
    """A problem+json answer with ``status`` (naming ``field`` when given)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == status
    if field is not None:
        assert field in [error["field"] for error in body["errors"]], body
    return body


def default_settings(data_dir: Path, log_level: str = "WARNING") -> Settings:
    """What a deployment gets without ENVIRONMENT or JWT_SECRET (in memory, cheap hashing)."""
    env = {"PERSISTENCE": "memory", "ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "8"}
    return Settings.from_env({**env, "DATA_DIR": str(data_dir), "LOG_LEVEL": log_level})
