"""CORS: off by default; with origins configured, preflights pass and browsers can read
the headers the contract relies on."""

from dataclasses import replace

import pytest

from infrastructure.settings import Settings
from tests.http.support import Api

pytestmark = pytest.mark.asyncio

APP_ORIGIN = "https://app.example.com"


@pytest.fixture
def settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    return replace(settings, cors_allow_origins=getattr(request, "param", (APP_ORIGIN,)))


def _preflight(method: str, headers: str, origin: str = APP_ORIGIN) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers,
    }


async def test_a_preflight_for_a_conditional_write_is_allowed(api: Api) -> None:
    response = await api.client.options(
        "/tasks/1", headers=_preflight("PATCH", "authorization, content-type, if-match")
    )
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == APP_ORIGIN
    assert "PATCH" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "content-type", "if-match", "x-request-id"):
        assert header in allowed
    assert response.headers["access-control-max-age"] == "600"


async def test_browsers_can_read_etag_location_retry_after_and_request_id(api: Api) -> None:
    await api.sign_up()
    response = await api.post("/tasks", json={"title": "t"}, headers={"Origin": APP_ORIGIN})
    assert response.status_code == 201
    assert response.headers["access-control-allow-origin"] == APP_ORIGIN
    exposed = {
        h.strip().lower() for h in response.headers["access-control-expose-headers"].split(",")
    }
    assert {"etag", "location", "retry-after", "x-request-id"} <= exposed


async def test_other_origins_get_no_cors_headers(api: Api) -> None:
    response = await api.client.get("/health/live", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = await api.client.options(
        "/tasks", headers=_preflight("POST", "authorization", "https://evil.example")
    )
    assert "access-control-allow-origin" not in preflight.headers


@pytest.mark.parametrize("settings", [()], indirect=True)
async def test_without_configured_origins_nothing_changes(api: Api) -> None:
    response = await api.client.get("/health/live", headers={"Origin": APP_ORIGIN})
    assert "access-control-allow-origin" not in response.headers
