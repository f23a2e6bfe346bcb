"""Health routes: no token, 503 with ``Retry-After`` when the database is unwell."""

import pytest

from application.ports import DatabaseStatus, PoolStatus
from infrastructure.persistence.memory import InMemoryDatabaseProbe
from tests.http.support import Api, assert_problem

pytestmark = pytest.mark.asyncio


async def _unhealthy(self: InMemoryDatabaseProbe, timeout_s: float) -> DatabaseStatus:
    return DatabaseStatus(False, timeout_s * 1000, PoolStatus(5, 0, 5, 0, 0))


async def test_live_is_ok(api: Api) -> None:
    response = await api.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_is_ok(api: Api) -> None:
    response = await api.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_database_reports_latency_and_no_pool_in_memory(api: Api) -> None:
    response = await api.get("/health/database")
    assert response.status_code == 200
    body = response.json()
    assert body["healthy"] is True
    assert body["latency_ms"] >= 0
    assert body["pool"] is None


async def test_unhealthy_database_is_503_with_retry_after(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(InMemoryDatabaseProbe, "ping", _unhealthy)
    ready = await api.get("/health/ready")
    assert_problem(ready, 503)
    assert int(ready.headers["retry-after"]) > 0
    database = await api.get("/health/database")
    assert database.status_code == 503
    assert int(database.headers["retry-after"]) > 0
    body = database.json()
    assert body["healthy"] is False
    assert body["pool"] == {
        "size": 5,
        "checked_in": 0,
        "checked_out": 5,
        "overflow": 0,
        "invalid": 0,
    }
    live = await api.get("/health/live")
    assert live.status_code == 200


async def test_health_ignores_a_bad_token(api: Api) -> None:
    headers = {"Authorization": "Bearer nonsense"}
    for path in ("/health/live", "/health/ready", "/health/database"):
        assert (await api.get(path, headers=headers)).status_code == 200
