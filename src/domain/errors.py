"""Domain errors: what went wrong, in business terms. The HTTP layer maps them to statuses."""

from dataclasses import dataclass
from enum import StrEnum


class DomainError(Exception):
    """Base of every error the core raises on purpose."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFoundError(DomainError):
    """The resource does not exist, or belongs to another user (never revealed)."""


class ConflictError(DomainError):
    """A uniqueness rule would be broken (e-mail taken, category name taken)."""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One invalid field of an input, named as the client named it."""

    field: str
    message: str


class InvalidInputError(DomainError):
    """The input breaks an invariant; ``problems`` names the fields."""

    def __init__(self, detail: str, problems: tuple[FieldProblem, ...] = ()) -> None:
        super().__init__(detail)
        self.problems = problems

    @classmethod
    def for_field(cls, field: str, message: str) -> "InvalidInputError":
        """An error about a single field."""
        return cls(f"{field}: {message}", (FieldProblem(field, message),))


class PreconditionFailedError(DomainError):
    """The caller's expected version is not the current one: nothing was changed."""


class AuthenticationError(DomainError):
    """No valid credentials: bad login, or a missing, expired or forged token."""


class TooManyRequestsError(DomainError):
    """The caller has made too many attempts, or holds too much work in the queue;
    ``retry_after_s`` says when trying again can succeed.
    """

    def __init__(self, detail: str, retry_after_s: int) -> None:
        super().__init__(detail)
        self.retry_after_s = max(1, retry_after_s)


class UnavailableCause(StrEnum):
    """Why a request could not be served now; set where the failure is recognised."""

    DATABASE_DOWN = "database_down"
    POOL_EXHAUSTED = "pool_exhausted"
    RETRIES_EXHAUSTED = "retries_exhausted"
    COMMIT_OUTCOME_UNKNOWN = "commit_outcome_unknown"
    DATABASE_BUSY = "database_busy"
    OVERLOADED = "overloaded"


class UnavailableError(DomainError):
    """The store cannot be reached now (down, exhausted, transient failure); retry later.
    ``cause`` says which, for operators (metrics, logs), never for clients.
    """

    def __init__(
        self, detail: str, cause: UnavailableCause = UnavailableCause.DATABASE_DOWN
    ) -> None:
        super().__init__(detail)
        self.cause = cause


class TransientError(UnavailableError):
    """A failure that a fresh attempt of the whole unit of work may not meet again
    (serialization failure, deadlock, lost connection). ``code`` is the SQLSTATE
    or driver error name, for logs and metrics; ``cause`` is what giving up on it means.
    """

    def __init__(
        self,
        detail: str,
        code: str | None = None,
        cause: UnavailableCause = UnavailableCause.RETRIES_EXHAUSTED,
    ) -> None:
        super().__init__(detail, cause)
        self.code = code


class ItemFailedError(DomainError):
    """One item of a batch failed; ``cause`` says why, ``index`` which one."""

    def __init__(self, index: int, cause: DomainError) -> None:
        super().__init__(f"item {index}: {cause.detail}")
        self.index = index
        self.cause = cause
