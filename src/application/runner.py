"""Running a use case on a fresh unit of work, retried on transient database failures."""

from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar

from application.ports import NO_TELEMETRY, Telemetry
from application.retry import RetryPolicy
from domain.unit_of_work import UnitOfWork

P = ParamSpec("P")
T = TypeVar("T")


class UseCaseRunner:
    """``await run(use_case, *args)`` calls ``use_case(uow, *args)`` with a new unit of
    work per attempt, under ``policy``, reporting retries to ``telemetry``. One runner
    serves every request.
    """

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        policy: RetryPolicy,
        telemetry: Telemetry = NO_TELEMETRY,
    ) -> None:
        self._uow_factory = uow_factory
        self._policy = policy
        self.telemetry = telemetry

    async def __call__(
        self,
        use_case: Callable[Concatenate[UnitOfWork, P], Awaitable[T]],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> T:
        return await self._policy.run(
            lambda: use_case(self._uow_factory(), *args, **kwargs), self.telemetry
        )
