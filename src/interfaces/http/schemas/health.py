"""Bodies of the health routes."""

import msgspec

from application.ports import DatabaseStatus


class StatusResponse(msgspec.Struct):
    """Liveness or readiness."""

    status: str = "ok"


class PoolResponse(msgspec.Struct):
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
        pool = status.pool
        figures = None
        if pool is not None:
            figures = PoolResponse(
                pool.size, pool.checked_in, pool.checked_out, pool.overflow, pool.invalid
            )
        return cls(status.healthy, round(status.latency_ms, 3), figures)
