"""Retrying a whole unit of work on transient failures, with bounded, jittered backoff."""

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from application.ports import NO_TELEMETRY, Telemetry
from domain.errors import TransientError, UnavailableError

T = TypeVar("T")
logger = logging.getLogger("tasklane.retry")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """At most ``attempts`` tries within ``budget_s`` seconds; the pause before try n+1
    is a random share (full jitter) of ``base_delay_s * 2**(n-1)``, capped at
    ``max_delay_s``. Only ``TransientError`` is retried: each try must run the unit of
    work from its start, on a fresh session, so nothing of a failed try survives.
    """

    attempts: int = 4
    base_delay_s: float = 0.05
    max_delay_s: float = 0.5
    # Under 2 s, so a request that keeps failing answers within DATABASE_TIMEOUT + 2 s.
    budget_s: float = 1.5

    async def run(
        self, operation: Callable[[], Awaitable[T]], telemetry: Telemetry = NO_TELEMETRY
    ) -> T:
        """Run ``operation`` until it succeeds, fails permanently or the policy is spent;
        when spent, the last transient failure becomes an ``UnavailableError`` with the
        failure's cause (database down, or retries exhausted). ``telemetry`` counts both.
        """
        started = time.monotonic()
        for attempt in range(1, self.attempts + 1):
            try:
                return await operation()
            except TransientError as error:
                ceiling = min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1))
                delay = random.uniform(0, ceiling)  # noqa: S311 - jitter, not a secret
                spent = time.monotonic() - started
                code = error.code or "unknown"
                if attempt == self.attempts or spent + delay > self.budget_s:
                    telemetry.gave_up(code)
                    logger.warning(
                        "giving up after attempt %d (%s): %s", attempt, error.code, error.detail
                    )
                    raise UnavailableError(error.detail, error.cause) from error
                telemetry.retried(code)
                logger.info(
                    "retrying after attempt %d failed (%s) in %.3f s", attempt, error.code, delay
                )
                await asyncio.sleep(delay)
        raise AssertionError("unreachable: the loop returns or raises")
