"""Who is calling, and how their use cases run: one dependency for the handlers."""

from dataclasses import dataclass

from application.runner import UseCaseRunner
from domain.ids import UserId


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated user of a request and the runner of its use cases.

    One object rather than two dependencies: Litestar resolves sibling dependencies in
    a task group, which costs more than the rest of a cached read.
    """

    id: UserId
    run: UseCaseRunner
