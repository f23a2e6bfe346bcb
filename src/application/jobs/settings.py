"""How jobs are queued and worked: the knobs the settings fill in."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class JobSettings:
    """How jobs are queued and worked: ``workers`` per app instance, each holding a job
    for ``lease_s`` seconds at a time; on shutdown a job gets ``grace_s`` to finish.
    """

    workers: int = 1
    lease_s: float = 30.0
    batch_size: int = 100
    max_attempts: int = 5
    poll_interval_s: float = 0.5
    grace_s: float = 10.0
    # A user's queued and running jobs at most; the next submission is refused (429).
    max_queued_per_user: int = 10
    # Finished jobs are deleted this long after they finished, by each worker at most
    # every ``purge_interval_s``, ``purge_batch`` rows per statement, at most
    # ``purge_batches`` statements per sweep (so a sweep never holds a worker long).
    retention_hours: float = 168.0
    # Remembered idempotency responses are forgotten this long after their first use,
    # swept by the same workers on the same schedule and in batches of the same size.
    idempotency_ttl_hours: float = 24.0
    purge_interval_s: float = 300.0
    purge_batch: int = 500
    purge_batches: int = 4
