"""The retry policy and the use-case runner: what is retried, how often, how long."""

import time
from contextlib import AbstractContextManager, nullcontext

import pytest

from application.retry import RetryPolicy
from application.runner import UseCaseRunner
from domain.errors import ConflictError, TransientError, UnavailableCause, UnavailableError
from domain.unit_of_work import UnitOfWork
from infrastructure.persistence.memory import InMemoryStore, InMemoryUnitOfWork

pytestmark = pytest.mark.asyncio

QUICK = RetryPolicy(attempts=4, base_delay_s=0.001, max_delay_s=0.002, budget_s=1.0)


class Flaky:
    """Fails with ``error`` the first ``failures`` calls, then answers ``"done"``."""

    def __init__(self, failures: int, error: Exception) -> None:
        self.calls = 0
        self._failures = failures
        self._error = error

    async def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self._failures:
            raise self._error
        return "done"


async def test_transient_failures_are_retried_until_success() -> None:
    flaky = Flaky(3, TransientError("serialization failure", code="40001"))
    assert await QUICK.run(flaky) == "done"
    assert flaky.calls == 4


async def test_attempts_are_bounded_and_end_as_unavailable() -> None:
    flaky = Flaky(10, TransientError("connection lost", code="08006"))
    with pytest.raises(UnavailableError) as raised:
        await QUICK.run(flaky)
    assert not isinstance(raised.value, TransientError)
    assert flaky.calls == 4


async def test_the_time_budget_stops_retries_early() -> None:
    slow = RetryPolicy(attempts=100, base_delay_s=0.05, max_delay_s=0.05, budget_s=0.2)
    flaky = Flaky(1000, TransientError("deadlock", code="40P01"))
    started = time.monotonic()
    with pytest.raises(UnavailableError):
        await slow.run(flaky)
    assert time.monotonic() - started < 0.3
    assert flaky.calls < 100


@pytest.mark.parametrize(
    "error", [ConflictError("taken"), UnavailableError("pool exhausted"), ValueError("bug")]
)
async def test_permanent_errors_are_never_retried(error: Exception) -> None:
    flaky = Flaky(1, error)
    with pytest.raises(type(error)):
        await QUICK.run(flaky)
    assert flaky.calls == 1


async def test_retries_are_logged_with_the_code(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO", logger="tasklane.retry")
    await QUICK.run(Flaky(1, TransientError("serialization failure", code="40001")))
    assert any("40001" in record.getMessage() for record in caplog.records)


async def test_the_runner_gives_every_attempt_a_fresh_unit_of_work() -> None:
    store = InMemoryStore()
    made: list[UnitOfWork] = []

    def factory() -> UnitOfWork:
        made.append(InMemoryUnitOfWork(store))
        return made[-1]

    async def use_case(uow: UnitOfWork, answer: str) -> str:
        if len(made) < 3:
            raise TransientError("lost", code="57P01")
        return answer

    run = UseCaseRunner(factory, QUICK)
    assert await run(use_case, "ok") == "ok"
    assert len(made) == 3
    assert len(set(map(id, made))) == 3


class RecordingTelemetry:
    """Remembers every report."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def retried(self, code: str) -> None:
        self.events.append(("retried", code))

    def gave_up(self, code: str) -> None:
        self.events.append(("gave_up", code))

    def job_finished(self, status: str, seconds: float) -> None:
        self.events.append(("job_finished", status))

    def unavailable(self, cause: str) -> None:
        self.events.append(("unavailable", cause))

    def batch(self, job_id: int, size: int) -> AbstractContextManager[None]:
        return nullcontext()


async def test_retries_and_giving_up_are_reported_with_the_code_and_cause() -> None:
    telemetry = RecordingTelemetry()
    with pytest.raises(UnavailableError) as raised:
        await QUICK.run(Flaky(10, TransientError("deadlock", code="40P01")), telemetry)
    assert telemetry.events == [("retried", "40P01")] * 3 + [("gave_up", "40P01")]
    assert raised.value.cause is UnavailableCause.RETRIES_EXHAUSTED


async def test_giving_up_on_a_lost_database_says_it_is_down() -> None:
    lost = TransientError(
        "refused", code="ConnectionRefusedError", cause=UnavailableCause.DATABASE_DOWN
    )
    with pytest.raises(UnavailableError) as raised:
        await QUICK.run(Flaky(10, lost))
    assert raised.value.cause is UnavailableCause.DATABASE_DOWN


async def test_a_success_after_a_retry_reports_only_the_retry() -> None:
    telemetry = RecordingTelemetry()
    runner_policy = QUICK
    assert await runner_policy.run(Flaky(1, TransientError("x", code="40001")), telemetry) == "done"
    assert telemetry.events == [("retried", "40001")]
