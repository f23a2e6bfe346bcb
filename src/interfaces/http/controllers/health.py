"""Liveness, readiness and the database's health; no token needed."""

from litestar import Controller, Response, get
from litestar.openapi import ResponseSpec

from domain.errors import UnavailableError
from interfaces.http.dependencies import DatabaseProbeDep
from interfaces.http.errors import RETRY_AFTER_SECONDS
from interfaces.http.openapi import ALWAYS, STORED, documented
from interfaces.http.schemas.health import DatabaseResponse, StatusResponse

READY_TIMEOUT_S = 2.0
_OK = StatusResponse()
_DOWN = "The database does not answer within 2 s (same body, `healthy` false)"


class HealthController(Controller):
    """``/health``."""

    path = "/health"
    tags = ["health"]

    @get("/live", **documented("live", problems=ALWAYS))
    async def live(self) -> StatusResponse:
        """The process answers; touches no database."""
        return _OK

    @get("/ready", **documented("ready", problems=STORED))
    async def ready(self, probe: DatabaseProbeDep) -> StatusResponse:
        """Ready when the database answers ``SELECT 1`` within 2 s; else 503."""
        status = await probe.ping(READY_TIMEOUT_S)
        if not status.healthy:
            raise UnavailableError("the database does not answer")
        return _OK

    @get(
        "/database",
        **documented(
            "databaseHealth",
            problems=ALWAYS,
            responses={503: ResponseSpec(DatabaseResponse, description=_DOWN)},
        ),
    )
    async def database(self, probe: DatabaseProbeDep) -> Response[DatabaseResponse]:
        """Latency and pool figures; 503 (same body, ``healthy`` false) when unreachable."""
        status = await probe.ping(READY_TIMEOUT_S)
        body = DatabaseResponse.of(status)
        if status.healthy:
            return Response(body)
        return Response(body, status_code=503, headers={"Retry-After": RETRY_AFTER_SECONDS})
