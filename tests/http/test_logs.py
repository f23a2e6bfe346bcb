"""Structured logs: one JSON object per line with the request's fields, one access line
per request, and no password, token or ``Authorization`` in any line.
"""

import logging
from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest
import pytest_asyncio

from infrastructure.settings import LogFormat, Settings, SettingsError
from interfaces.app import create_app
from tests.http.conftest import FAST
from tests.http.support import PASSWORD, Api
from tests.support.asgi import asgi_transport, serving
from tests.support.logs import Captured, capture_logs

REQUEST_ID = "log-test-1"


@pytest.fixture
def captured() -> Captured:
    return Captured()


@pytest_asyncio.fixture
async def api(captured: Captured) -> AsyncIterator[Api]:
    """The app with JSON logs at INFO, its log output captured."""
    app = create_app(replace(FAST, log_level="INFO", log_format="json"))
    capture_logs(captured)
    async with (
        serving(app),
        httpx.AsyncClient(transport=asgi_transport(app), base_url="http://tasklane.test") as client,
    ):
        yield Api(client)


@pytest.mark.asyncio
async def test_every_line_is_a_json_object_with_the_request_fields(
    api: Api, captured: Captured
) -> None:
    auth = await api.sign_up()
    task = await api.task(title="Write logs")
    response = await api.get(f"/tasks/{task['id']}", headers={**auth, "X-Request-ID": REQUEST_ID})
    assert response.status_code == 200
    lines = captured.lines
    assert lines, "nothing was logged"
    for line in lines:
        assert {"timestamp", "level", "logger", "event"} <= line.keys(), line
    [access] = [line for line in lines if line.get("request_id") == REQUEST_ID]
    assert access["logger"] == "tasklane.access"
    assert access["event"] == "request"
    assert access["level"] == "info"
    assert access["method"] == "GET"
    assert access["route"] == "/tasks/{task_id}"
    assert access["status"] == 200
    assert isinstance(access["duration_ms"], float)
    me = await api.get("/auth/me", headers=auth)
    assert access["user_id"] == me.json()["id"]


@pytest.mark.asyncio
async def test_one_access_line_per_request_even_unrouted(api: Api, captured: Captured) -> None:
    await api.get("/nowhere", headers={"X-Request-ID": "lost-1"})
    await api.get("/health", headers={"X-Request-ID": "health-1"})
    lines = captured.lines
    [lost] = [line for line in lines if line.get("request_id") == "lost-1"]
    assert lost["status"] == 404
    assert "route" not in lost
    assert "user_id" not in lost
    [health] = [line for line in lines if line.get("request_id") == "health-1"]
    assert health["logger"] == "tasklane.access"
    assert not [line for line in lines if line["logger"].startswith("uvicorn")]


@pytest.mark.asyncio
async def test_no_password_token_or_authorization_reaches_the_log(
    api: Api, captured: Captured
) -> None:
    auth = await api.sign_up()
    token = auth["Authorization"].removeprefix("Bearer ")
    await api.task(title="Secret plans")
    await api.get("/tasks", headers=auth)
    await api.get("/auth/me", headers=auth)
    await api.get("/tasks/1", headers={"Authorization": "Bearer not-a-token"})
    await api.client.post("/auth/login", json={"email": "ada@example.com", "password": "wrong!!!!"})
    text = captured.text
    assert "tasklane.access" in text
    for secret in (PASSWORD, "wrong!!!!", token, "not-a-token", "Secret plans"):
        assert secret not in text
    assert "authorization" not in text.lower()
    assert "bearer" not in text.lower()


def _capture_app_logs(captured: Captured, log_format: LogFormat) -> None:
    create_app(replace(FAST, log_level="INFO", log_format=log_format))
    capture_logs(captured)


def test_sensitive_fields_are_masked(captured: Captured) -> None:
    _capture_app_logs(captured, "json")
    logging.getLogger("tasklane.test").warning(
        "careless", extra={"password": "hunter2", "access_token": "abc.def", "body": "{}"}
    )
    [line] = [line for line in captured.lines if line["event"] == "careless"]
    assert line["password"] == line["access_token"] == line["body"] == "[redacted]"
    assert "hunter2" not in captured.text


def test_console_is_the_development_default_and_json_production() -> None:
    assert Settings.from_env({}).log_format == "console"
    production = {"ENVIRONMENT": "production", "JWT_SECRET": "x" * 32}
    assert Settings.from_env(production).log_format == "json"
    assert Settings.from_env({**production, "LOG_FORMAT": "console"}).log_format == "console"


def test_an_unknown_log_format_is_refused() -> None:
    with pytest.raises(
        SettingsError, match=r"^LOG_FORMAT must be one of json, console, not 'xml'$"
    ):
        Settings.from_env({"LOG_FORMAT": "xml"})


@pytest.mark.parametrize("log_format", ["json", "console"])
def test_tracebacks_show_no_local_values(captured: Captured, log_format: LogFormat) -> None:
    _capture_app_logs(captured, log_format)

    def fail(password: str) -> None:
        raise ValueError("failed")

    secret = "hun" + "ter2"  # not in any source line of the traceback
    try:
        fail(secret)
    except ValueError:
        logging.getLogger("tasklane.test").exception("it failed")
    assert "ValueError: failed" in captured.text
    assert "hunter2" not in captured.text


@pytest.mark.asyncio
async def test_every_line_inside_a_request_carries_its_fields(
    sqlite_json: Settings, captured: Captured
) -> None:
    """The SQL statements (``DATABASE_ECHO``) of a request carry its id, method, route and
    caller like its access line, and never a bound value.
    """
    app = create_app(replace(sqlite_json, database=replace(sqlite_json.database, echo=True)))
    capture_logs(captured)
    async with (
        serving(app),
        httpx.AsyncClient(transport=asgi_transport(app), base_url="http://tasklane.test") as client,
    ):
        api = Api(client)
        await api.sign_up("echo@example.com")
        user_id = (await api.get("/auth/me")).json()["id"]
        created = await api.post(
            "/tasks", json={"title": "Secret plans"}, headers={"X-Request-ID": "echoed-1"}
        )
        assert created.status_code == 201
    lines = [line for line in captured.lines if line.get("request_id") == "echoed-1"]
    statements = [line for line in lines if line["logger"].startswith("sqlalchemy")]
    assert len(statements) >= 2, lines
    assert lines[-1]["logger"] == "tasklane.access"
    for line in lines:
        assert (line["method"], line["route"], line["user_id"]) == ("POST", "/tasks", user_id)
    assert "Secret plans" not in captured.text
