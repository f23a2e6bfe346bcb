"""The loop a worker runs: claim a job, work it, repeat until told to stop; now and then,
purge the jobs that finished longer ago than the retention period, and the idempotency
keys older than their time to live.
"""

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from application.jobs.processing import JobProcessor, LeaseLostError
from domain.errors import UnavailableError
from domain.job import Job

logger = logging.getLogger("tasklane.jobs")


@dataclass(slots=True)
class JobWorker:
    """Works jobs one at a time until ``stop`` is set. On stop, the job in hand keeps
    going for ``grace_s`` seconds; whatever is left then goes back to the queue.
    """

    processor: JobProcessor
    # When this worker sweeps finished jobs next (monotonic seconds); None: not planned.
    _next_purge: float | None = field(default=None, init=False)

    async def run(self, stop: asyncio.Event) -> None:
        """Serve the queue until ``stop`` is set."""
        poll = self.processor.settings.poll_interval_s
        while not stop.is_set():
            await self.purge_if_due()
            try:
                job = await self.processor.claim()
            except UnavailableError as error:
                logger.warning("cannot claim jobs: %s", error.detail)
                await _sleep_unless(stop, poll * 4)
                continue
            except Exception:
                # A worker that dies here serves no job again: log, back off, go on.
                logger.exception("claiming a job failed unexpectedly")
                await _sleep_unless(stop, poll * 4)
                continue
            if job is None:
                await _sleep_unless(stop, poll)
                continue
            try:
                await self.work(job, stop)
            except UnavailableError as error:
                # The lease runs out and the job is claimed again, here or elsewhere.
                logger.warning("job %s left leased: %s", job.id, error.detail)
            except Exception as error:
                # Not the store being away, and not one task: the job cannot go on.
                logger.exception("job %s failed", job.id)
                await self._give_up(job, f"processing stopped: {type(error).__name__}")

    async def purge_if_due(self) -> None:
        """Sweep finished jobs and expired idempotency keys once every
        ``purge_interval_s``; the first sweep comes at a random point of the first
        interval, so workers started together (and the start-up burst of a process) do
        not all sweep at once. Between jobs rather than only when
        idle, so a queue that never empties is swept too.
        """
        now = time.monotonic()
        interval = self.processor.settings.purge_interval_s
        if self._next_purge is None:
            self._next_purge = now + random.uniform(0, interval)  # noqa: S311 - spread, not a secret
        if now < self._next_purge:
            return
        self._next_purge = now + interval
        await _housekeep("finished jobs", self.processor.purge)
        await _housekeep("expired idempotency keys", self.processor.forget_keys)

    async def _give_up(self, job: Job, reason: str) -> None:
        try:
            await self.processor.fail(job, reason)
        except Exception:
            # Left leased: once the lease expires it is retried, up to max_attempts.
            logger.exception("job %s could not be marked failed", job.id)

    async def work(self, job: Job, stop: asyncio.Event) -> None:
        """Take ``job`` to its end, or hand it back when stopping past the grace period."""
        deadline: float | None = None
        # After an unknown outcome the job in hand may be behind the stored one.
        stale = False
        try:
            while stale or job.remaining:
                if stop.is_set():
                    deadline = deadline or time.monotonic() + self.processor.settings.grace_s
                    if time.monotonic() >= deadline:
                        await self.processor.release(job)
                        logger.info("job %s released at %d/%d", job.id, job.processed, job.total)
                        return
                try:
                    if stale:
                        job, stale = await self.processor.reload(job), False
                        continue
                    job = await self.processor.step(job)
                except UnavailableError as error:
                    # Keep the lease while it lasts; if it runs out, another worker resumes.
                    logger.warning("job %s paused: %s", job.id, error.detail)
                    stale = True
                    await _sleep_unless(stop, self.processor.settings.poll_interval_s * 4)
            await self.processor.finish(job)
        except LeaseLostError:
            logger.warning("job %s was taken over by another worker", job.id)


async def _housekeep(what: str, sweep: Callable[[], Awaitable[int]]) -> None:
    """Run one sweep; a failure is logged and left to the next (it is housekeeping)."""
    try:
        swept = await sweep()
    except UnavailableError as error:
        logger.warning("cannot purge %s: %s", what, error.detail)
        return
    except Exception:
        logger.exception("purging %s failed", what)
        return
    if swept:
        logger.info("purged %d %s", swept, what)


async def _sleep_unless(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
