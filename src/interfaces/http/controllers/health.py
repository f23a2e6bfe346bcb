"""Liveness, readiness and the database's health; no token needed."""

from litestar import Controller, Response, get

from domain.errors import UnavailableError
from interfaces.http.errors import RETRY_AFTER_SECONDS
from interfaces.http.markers import DatabaseProbeDep
from interfaces.http.schemas.health import DatabaseResponse, StatusResponse

READY_TIMEOUT_S = 2.0
_OK = StatusResponse()


class HealthController(Controller):
    """``/health``."""

    path = "/health"
    tags = ["health"]

    @get("/live")
    async def live(self) -> StatusResponse:
        """The process answers; touches no database."""
        return _OK

    @get("/ready")
    async def ready(self, probe: DatabaseProbeDep) -> StatusResponse:
        """Ready when the database answers ``SELECT 1`` within 2 s; else 503."""
        status = await probe.ping(READY_TIMEOUT_S)
        if not status.healthy:
            raise UnavailableError("the database does not answer")
        return _OK

    @get("/database")
    async def database(self, probe: DatabaseProbeDep) -> Response[DatabaseResponse]:
        """Latency and pool figures; 503 (same body, ``healthy`` false) when unreachable."""
        status = await probe.ping(READY_TIMEOUT_S)
        body = DatabaseResponse.of(status)
        if status.healthy:
            return Response(body)
        return Response(body, status_code=503, headers={"Retry-After": RETRY_AFTER_SECONDS})
