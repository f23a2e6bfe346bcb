"""Ports for the I/O the use cases need besides persistence."""

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from domain.ids import UserId


class PasswordHasher(Protocol):
    """A slow, salted one-way hash. Async because the work belongs off the event loop."""

    async def hash(self, password: str) -> str:
        """A fresh hash of ``password``."""
        ...

    async def verify(self, password_hash: str, password: str) -> bool:
        """Whether ``password`` matches ``password_hash``."""
        ...

    async def burn(self, password: str) -> None:
        """Spend the time of one ``verify`` so an unknown e-mail answers as slowly."""
        ...


class AttemptRule(StrEnum):
    """What an attempt limit counts; each rule's allowance and window are configuration."""

    LOGIN_PER_ADDRESS = "login-address"
    LOGIN_FAILURES_PER_ACCOUNT = "login-account"
    REGISTER_PER_ADDRESS = "register-address"
    REGISTER_PER_ACCOUNT = "register-account"


class AttemptLimiter(Protocol):
    """Counts attempts per (rule, key) in a moving window. Both methods answer the
    whole seconds until the window lets one more attempt through: 0 when it does now.
    """

    async def hit(self, rule: AttemptRule, key: str) -> int:
        """Count one attempt if the window allows it; a refused attempt is not counted."""
        ...

    async def peek(self, rule: AttemptRule, key: str) -> int:
        """Whether one more attempt would be allowed, counting nothing."""
        ...


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A bearer token and its lifetime in seconds."""

    token: str
    expires_in: int


class TokenService(Protocol):
    """Issues and checks bearer tokens."""

    def issue(self, user_id: UserId) -> AccessToken:
        """A new token for ``user_id``."""
        ...

    def verify(self, token: str) -> UserId:
        """The user a valid token names; ``AuthenticationError`` otherwise."""
        ...


@dataclass(frozen=True, slots=True)
class PoolStatus:
    """Connection-pool figures, never negative."""

    size: int
    checked_in: int
    checked_out: int
    overflow: int
    invalid: int


@dataclass(frozen=True, slots=True)
class DatabaseStatus:
    """How one round trip to the store went."""

    healthy: bool
    latency_ms: float
    pool: PoolStatus | None


class DatabaseProbe(Protocol):
    """Checks that the store answers."""

    async def ping(self, timeout_s: float) -> DatabaseStatus:
        """Run a trivial query, giving up after ``timeout_s`` seconds (``healthy`` false)."""
        ...


class Telemetry(Protocol):
    """Counts what operators watch (retries, give-ups, jobs, refusals); every method is
    cheap, synchronous and never raises. ``NO_TELEMETRY`` when nobody is watching.
    """

    def retried(self, code: str) -> None:
        """A unit of work met a transient failure (``code``: SQLSTATE or driver error)
        and will be tried again.
        """
        ...

    def gave_up(self, code: str) -> None:
        """The retry policy is spent on a transient failure of ``code``."""
        ...

    def job_finished(self, status: str, seconds: float) -> None:
        """A job ended ``status`` (succeeded, failed) ``seconds`` after it was queued."""
        ...

    def unavailable(self, cause: str) -> None:
        """A request was answered 503 for ``cause`` (an ``UnavailableCause`` value)."""
        ...

    def batch(self, job_id: int, size: int) -> AbstractContextManager[None]:
        """Surrounds the processing of one batch of ``size`` tasks of job ``job_id``
        (a trace span when tracing is on); must not swallow the batch's exceptions.
        """
        ...


class _NoTelemetry:
    """Telemetry that records nothing."""

    def retried(self, code: str) -> None:
        pass

    def gave_up(self, code: str) -> None:
        pass

    def job_finished(self, status: str, seconds: float) -> None:
        pass

    def unavailable(self, cause: str) -> None:
        pass

    def batch(self, job_id: int, size: int) -> AbstractContextManager[None]:
        return nullcontext()


NO_TELEMETRY: Telemetry = _NoTelemetry()
