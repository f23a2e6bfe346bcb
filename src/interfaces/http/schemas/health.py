"""Bodies of the health routes."""

import msgspec

from application.ports import DatabaseStatus
from interfaces.http.schemas.common import AttributesResponse


class StatusResponse(msgspec.Struct):
    """Liveness or readiness."""

    status: str = "ok"


class PoolResponse(AttributesResponse):
    """Connection-pool figures."""

    size: int
    checked_in: int
    checked_out: int
    overflow: int
    invalid: int


class DatabaseResponse(msgspec.Struct):
    """One probe of the database."""

    healthy: bool
    latency_ms: float
    pool: PoolResponse | None

    @classmethod
    def of(cls, status: DatabaseStatus) -> "DatabaseResponse":
        pool = None if status.pool is None else PoolResponse.of(status.pool)
        return cls(healthy=status.healthy, latency_ms=round(status.latency_ms, 3), pool=pool)
